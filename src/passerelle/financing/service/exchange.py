"""Encoded matching between two FIUs' nodes, and the follow-up it leads to.

This FIU publishes a filter of the persons named in its reports (the row -> subject map stays
here). The partner matches its own persons against it locally and, for a possible match,
sends ``financing.followup`` naming only the filter, the row and the score: no name, no date.
The type's default policy is ``approval``: a supervisor of the sending node approves each
request before it leaves. On arrival this node resolves the row to its subject and records
the request for its FIU, which decides what to share.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.errors import NotFound, UsageError
from passerelle.financing import rules
from passerelle.financing.model import FollowUp, Party, PublishedFilter
from passerelle.financing.service import bloom, keys
from passerelle.financing.service.common import require_fiu, trace
from passerelle.identity import PersonRecord
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

FOLLOWUP = "financing.followup"
PURPOSE = "terrorism financing: follow-up of an encoded match between FIUs"


class FollowupPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=36)
    filter_id: str = Field(pattern=r"^[0-9a-f]{64}$")
    row: int = Field(ge=0, le=10_000_000)
    score: float = Field(ge=0, le=1)


def key_path(node: Node, peer: str) -> Path:
    """Where the key shared with ``peer`` is kept (``passerelle financing key generate``)."""
    return Path(node.settings.data_dir) / f"financing-{peer.upper()}.key"


def _key(node: Node, peer: str) -> keys.Key:
    path = key_path(node, peer)
    if not path.exists():
        raise UsageError(f"no key shared with {peer}: generate one at {path}")
    return keys.read(path)


def _persons(session: Session) -> list[PersonRecord]:
    rows = session.scalars(select(Party).where(Party.kind == "person").order_by(Party.id))
    return [
        PersonRecord(str(p.id), given_names=p.given_names or None, family_name=p.name,
                     date_of_birth=p.date_of_birth or None)
        for p in rows
    ]  # fmt: skip


def publish(session: Session, node: Node, principal: Principal, peer: str) -> bytes:
    """The filter of this FIU's subjects for ``peer``; the row map is kept here."""
    require_fiu(principal)
    flt, labels = bloom.build(_key(node, peer), _persons(session))
    data = bloom.dumps(flt)
    digest = hashlib.sha256(data).hexdigest()
    session.add(PublishedFilter(id=digest, key_id=flt.key_id, labels=labels,
                                created_at=node.clock.now()))  # fmt: skip
    trace(session, node, principal, "read", "financing.party", "*",
          details={"filter": digest, "for": peer})  # fmt: skip
    return data


def match(
    session: Session, node: Node, principal: Principal, peer: str, data: bytes
) -> list[dict[str, Any]]:
    """Possible matches of this FIU's persons in ``peer``'s filter."""
    require_fiu(principal)
    matcher = bloom.Matcher(bloom.loads(data, "filter"), _key(node, peer))
    digest = hashlib.sha256(data).hexdigest()
    found = matcher.best(_persons(session))
    trace(session, node, principal, "read", "financing.party", "*",
          details={"matched_filter": digest, "possible": len(found)})  # fmt: skip
    return [
        {"party_id": pid, "filter_id": digest, "row": row, "score": round(score, 3)}
        for pid, row, score in found
    ]


def request_followup(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    peer: str,
    filter_id: str,
    row: int,
    score: float,
    party_id: str,
) -> FollowUp:
    """Ask ``peer`` about one possible match, under the sharing policy (approval)."""
    require_fiu(principal)
    record = FollowUp(
        id=str(uuid.uuid4()), direction="out", peer=peer.upper(), filter_id=filter_id, row=row,
        score=score, subject=party_id, status="sent", created_at=node.clock.now(),
    )  # fmt: skip
    payload = FollowupPayload(request_id=record.id, filter_id=filter_id, row=row, score=score)
    state = federation.send_message(
        session, node, principal.actor, FOLLOWUP, peer=record.peer, payload=payload,
        case_ref=record.id, purpose=PURPOSE,
    )  # fmt: skip
    record.message_id, record.status = state.message_id, state.status
    session.add(record)
    return record


def _receive(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, FollowupPayload)
    published = session.get(PublishedFilter, p.filter_id)
    if published is None or p.row >= len(published.labels):
        raise NotFound("no such filter row on this node")
    subject = published.labels[p.row]
    session.add(
        FollowUp(
            id=p.request_id[:36], direction="in", peer=received.sender, filter_id=p.filter_id,
            row=p.row, score=p.score, subject=subject,
            status="received" if subject else "dummy", created_at=node.clock.now(),
        )
    )  # fmt: skip
    return {"subject_found": bool(subject)}


def followups(session: Session, node: Node, principal: Principal) -> list[FollowUp]:
    require_fiu(principal)
    rows = list(session.scalars(select(FollowUp).order_by(FollowUp.created_at.desc())))
    trace(session, node, principal, "read", "financing.followup", "*")
    return rows


def register_types() -> None:
    """Declare the follow-up message type to federation (idempotent)."""
    federation.register_message_type(
        FOLLOWUP,
        FollowupPayload,
        _receive,
        description="A follow-up request after an encoded match: the partner's filter, the row "
        "and the score (no name, no date); the receiving FIU decides what to share.",
        carries_personal_data=True,
        legal_basis=rules.EXCHANGE_SOURCE,
        source=rules.EXCHANGE_SOURCE,
        retention=federation.BodyRetention(
            keep_for=rules.RETENTION,
            source=rules.RETENTION_SOURCE,
            description="A follow-up request body lives as long as the reports (five years).",
        ),
        default_policy="approval",
        received=N_("financing follow-up received"),
        reference=lambda payload: (
            payload.request_id if isinstance(payload, FollowupPayload) else ""
        ),
        handling="H1",
        replace=True,
    )
