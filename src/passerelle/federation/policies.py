"""Sharing policies: for each message type and peer, ``automatic``, ``approval`` or ``never``
— data with its legal source, changed only by an admin with a reason, audited.

The table covers the protocol's own messages (``rules.PROTOCOL_POLICIES``: queries, hit/no-hit
answers, follow-up requests and answers) and every domain message type.

No row means nobody decided: a type carrying personal data is then ``never`` sent, so nothing
personal goes to a peer because the peer was added. A policy set before a peer was (re-)added
does not count for it either (``Policy.set_at`` before ``Peer.added_at``).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import PermissionDenied, ValidationFailed
from passerelle.federation import messages, peers, rules
from passerelle.federation.model import Peer, Policy
from passerelle.federation.schemas import PolicyOut
from passerelle.node import Node
from passerelle.privacy import audit


class Shared(Protocol):
    """What a policy is about: a protocol type (``rules.ProtocolPolicy``) or a domain type."""

    @property
    def name(self) -> str: ...
    @property
    def carries_personal_data(self) -> bool: ...
    @property
    def default_policy(self) -> str: ...
    @property
    def legal_basis(self) -> str: ...
    @property
    def source(self) -> str: ...


def sharable() -> list[Shared]:
    """Every type under the policy table: the protocol's, then the domains' (by name)."""
    return [*rules.PROTOCOL_POLICIES.values(), *messages.message_types()]


def get_shared(name: str) -> Shared:
    protocol = rules.PROTOCOL_POLICIES.get(name)
    return protocol if protocol is not None else messages.get_type(name)


def allowed(mtype: Shared) -> tuple[str, ...]:
    return mtype.allowed if isinstance(mtype, rules.ProtocolPolicy) else rules.POLICIES


def fallback(mtype: Shared) -> str:
    """The policy while no admin has decided one for a peer."""
    return "never" if mtype.carries_personal_data else mtype.default_policy


def _decided(session: Session, mtype: Shared, peer: Peer) -> Policy | None:
    row = session.get(Policy, (mtype.name, peer.code))
    return row if row is not None and row.set_at >= peer.added_at else None


def effective(session: Session, mtype: Shared | str, peer_code: str) -> str:
    shared = get_shared(mtype) if isinstance(mtype, str) else mtype
    peer = session.get(Peer, peer_code)
    if peer is None:
        return "never"
    row = _decided(session, shared, peer)
    return row.policy if row is not None else fallback(shared)


def require(session: Session, name: str, peer_code: str, *, doing: str) -> str:
    """The policy of protocol type ``name`` towards a peer; PermissionDenied when ``never``."""
    policy = effective(session, name, peer_code)
    if policy == "never":
        raise PermissionDenied(
            f"the sharing policy of {name} towards {peer_code} is never: this node does not "
            f"{doing} (an admin sets it: passerelle sharing set {name} {peer_code} POLICY "
            "--reason …)"
        )
    return policy


def _out(session: Session, mtype: Shared, peer: Peer) -> PolicyOut:
    row = _decided(session, mtype, peer)
    return PolicyOut(
        message_type=mtype.name,
        peer=peer.code,
        policy=row.policy if row is not None else fallback(mtype),
        carries_personal_data=mtype.carries_personal_data,
        legal_basis=mtype.legal_basis,
        source=mtype.source,
        default_policy=mtype.default_policy,
        decided=row is not None,
        reason=row.reason if row is not None else "",
        set_by=row.set_by if row is not None else None,
        set_at=row.set_at if row is not None else None,
    )


def listing(session: Session) -> list[PolicyOut]:
    """One entry per message type and peer, by type then peer."""
    all_peers = peers.all_peers(session)
    return [_out(session, t, p) for t in sharable() for p in all_peers]


def set_policy(
    session: Session,
    node: Node,
    actor: audit.Actor,
    message_type: str,
    peer_code: str,
    policy: str,
    reason: str,
) -> PolicyOut:
    """Change one policy (the caller checked the admin role); audited with its reason."""
    mtype = get_shared(message_type)
    peer = peers.get(session, peer_code)
    if policy not in allowed(mtype):
        raise ValidationFailed(
            f"unknown policy {policy!r} for {mtype.name}; one of: {', '.join(allowed(mtype))}"
        )
    if len(reason.strip()) < 3:
        raise ValidationFailed("a policy change states its reason")
    now = node.clock.now()
    previous = effective(session, mtype, peer.code)
    row = session.get(Policy, (mtype.name, peer.code))
    if row is None:
        row = Policy(message_type=mtype.name, peer=peer.code)
        session.add(row)
    row.policy, row.reason, row.set_by, row.set_at = policy, reason.strip(), actor.name, now
    session.flush()
    node.audit(
        session,
        actor,
        action="admin",
        object_type="federation.policy",
        object_id=f"{mtype.name}:{peer.code}",
        purpose="sharing policy",
        legal_basis=mtype.source,
        details={"op": "set", "policy": policy, "previous": previous, "reason": reason.strip()},
    )
    return _out(session, mtype, peer)


def apply_defaults(
    session: Session,
    node: Node,
    actor: audit.Actor,
    peer_code: str,
    reason: str,
    *,
    protocol_only: bool = False,
) -> list[PolicyOut]:
    """Set every type's declared default policy for one peer (each change audited);
    ``protocol_only``: the protocol's types only (queries and follow-ups, no domain type)."""
    types = list(rules.PROTOCOL_POLICIES.values()) if protocol_only else sharable()
    return [
        set_policy(session, node, actor, t.name, peer_code, t.default_policy, reason) for t in types
    ]


def decided_rows(session: Session) -> list[Policy]:
    return list(session.scalars(select(Policy).order_by(Policy.message_type, Policy.peer)))
