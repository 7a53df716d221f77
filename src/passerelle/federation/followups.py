"""Follow-up requests: after a HIT, ask the peer for the data behind its opaque reference.

On the requested node a supervisor approves (choosing the fields to release, with a handling
code and a 4×4 evaluation code) or refuses with a reason; the answer returns signed through the
outbox. Both nodes audit every step; deadlines come from ``rules.deadline_for``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import dispatch, kinds, outbox, policies, rules
from passerelle.federation import envelope as env
from passerelle.federation.items import open_items, seal_items
from passerelle.federation.model import Answer, FollowupRequest, Query, Reference
from passerelle.federation.schemas import (
    ApproveIn,
    Envelope,
    FollowupIn,
    FollowupOut,
    Item,
    RefuseIn,
)
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Access, FieldCipher, Principal, audit

OPEN = ("queued", "pending")
_REQUEST_ID = re.compile(rules.REQUEST_ID_PATTERN)
#: Audit actions of received protocol messages: the action names what happened (issue #15).
REQUEST_RECEIVED = audit.declare_action(N_("follow-up request received"))
ANSWER_RECEIVED = audit.declare_action(N_("follow-up answer received"))


def _due(kind: str, urgent: bool, now: datetime, directly_accessible: bool = True) -> datetime:
    deadline = rules.deadline_for(kind, urgent=urgent, directly_accessible=directly_accessible)
    return now + deadline.answer_within


def request(
    session: Session, node: Node, principal: Principal, data: FollowupIn
) -> tuple[str, int]:
    """Ask ``data.peer`` for the data behind a HIT; returns the request id and its outbox row."""
    answer = session.scalars(
        select(Answer).where(Answer.query_id == data.query_id, Answer.peer == data.peer.upper())
    ).first()
    if answer is None or answer.status != "hit" or answer.reference != data.reference:
        raise ValidationFailed("a follow-up needs a HIT from that peer with that reference")
    query = session.get(Query, data.query_id)
    assert query is not None
    policies.require(session, "followup.request", answer.peer, doing="send it follow-up requests")
    now = node.clock.now()
    request_id = str(uuid.uuid4())
    session.add(
        FollowupRequest(
            request_id=request_id,
            direction="out",
            peer=answer.peer,
            query_id=query.id,
            kind=query.kind,
            reference=data.reference,
            case_ref=data.case_ref,
            purpose=data.purpose,
            legal_basis=data.legal_basis,
            requested_by=principal.name,
            requested_at=now,
            due_at=_due(query.kind, data.urgent, now, data.directly_accessible),
            status="queued",
        )
    )
    message = env.make(
        node,
        recipient=answer.peer,
        type="followup.request",
        purpose=data.purpose,
        legal_basis=data.legal_basis,
        case_ref=data.case_ref,
        payload={
            "request_id": request_id,
            "kind": query.kind,
            "reference": data.reference,
            "urgent": data.urgent,
            "directly_accessible": data.directly_accessible,
            "requested_by": principal.name,
        },
    )
    row = outbox.enqueue(session, message, now=now, cipher=node.cipher)
    Access(principal, node.code, data.purpose, data.legal_basis).trace(
        session,
        "disclose",
        "federation.followup",
        request_id,
        now=now,
        details={"peer": answer.peer, "reference": data.reference, "case": data.case_ref},
    )
    return request_id, row.id


def _incoming_or_none(session: Session, request_id: str) -> FollowupRequest | None:
    return session.scalars(
        select(FollowupRequest).where(
            FollowupRequest.request_id == request_id, FollowupRequest.direction == "in"
        )
    ).first()


def _incoming(session: Session, request_id: str) -> FollowupRequest:
    row = _incoming_or_none(session, request_id)
    if row is None:
        raise NotFound(f"no incoming follow-up request {request_id}")
    return row


def available_fields(
    session: Session, node: Node, principal: Principal, request_id: str
) -> dict[str, str]:
    """What could be released for an incoming request (read by the deciding supervisor)."""
    row = _incoming(session, request_id)
    ref = session.get(Reference, row.reference)
    if ref is None or ref.peer != row.peer:
        return {}
    fields = kinds.get_kind(ref.kind).fetch(ref.internal_ref, node)
    Access(principal, node.code, row.purpose, row.legal_basis).trace(
        session,
        "read",
        "federation.followup",
        request_id,
        now=node.clock.now(),
        details={"fields": sorted(fields)},
    )
    return fields


def approve(
    session: Session, node: Node, principal: Principal, request_id: str, data: ApproveIn
) -> int:
    """Release the chosen fields with their codes; returns the answer's outbox row."""
    row = _incoming(session, request_id)
    if row.status != "pending":
        raise Conflict(f"request {request_id} is already {row.status}")
    policies.require(session, "followup.answer", row.peer, doing="release follow-up data to it")
    ref = session.get(Reference, row.reference)
    if ref is None or ref.peer != row.peer:
        raise ValidationFailed("the request names a reference this node never gave that peer")
    record = kinds.get_kind(ref.kind).fetch(ref.internal_ref, node)
    unknown = [f for f in data.fields if f not in record]
    if unknown:
        raise ValidationFailed(f"no such field(s) behind this reference: {', '.join(unknown)}")
    items = [
        Item(field=f, value=record[f], handling=data.handling, evaluation=data.evaluation)
        for f in data.fields
    ]
    now = node.clock.now()
    row.status, row.decided_by, row.decided_at = "approved", principal.name, now
    seal_items(node.cipher, row, items)
    message = env.make(
        node,
        recipient=row.peer,
        type="followup.answer",
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        case_ref=row.case_ref,
        handling=data.handling,
        evaluation=data.evaluation,
        payload={
            "request_id": request_id,
            "decision": "approved",
            "items": [i.model_dump() for i in items],
        },
    )
    Access(principal, node.code, row.purpose, row.legal_basis).trace(
        session,
        "disclose",
        "federation.followup",
        request_id,
        now=now,
        outcome="approved",
        details={
            "peer": row.peer,
            "fields": data.fields,
            "handling": data.handling.code,
            "evaluation": str(data.evaluation),
        },
    )
    return outbox.enqueue(session, message, now=now, cipher=node.cipher).id


def refuse(
    session: Session, node: Node, principal: Principal, request_id: str, data: RefuseIn
) -> int:
    """Refuse with a reason, which is sent back to the requester."""
    row = _incoming(session, request_id)
    if row.status != "pending":
        raise Conflict(f"request {request_id} is already {row.status}")
    now = node.clock.now()
    row.status, row.decided_by, row.decided_at, row.reason = (
        "refused",
        principal.name,
        now,
        data.reason,
    )
    message = env.make(
        node,
        recipient=row.peer,
        type="followup.answer",
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        case_ref=row.case_ref,
        payload={"request_id": request_id, "decision": "refused", "reason": data.reason},
    )
    Access(principal, node.code, row.purpose, row.legal_basis).trace(
        session,
        "refuse",
        "federation.followup",
        request_id,
        now=now,
        outcome="refused",
        details={"peer": row.peer, "reason": data.reason},
    )
    return outbox.enqueue(session, message, now=now, cipher=node.cipher).id


def _out(
    row: FollowupRequest, now: datetime, *, with_items: bool, cipher: FieldCipher | None = None
) -> FollowupOut:
    return FollowupOut(
        id=row.request_id,
        direction=row.direction,
        peer=row.peer,
        kind=row.kind,
        reference=row.reference,
        case_ref=row.case_ref,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        due_at=row.due_at,
        overdue=row.status in OPEN and now > row.due_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        items=open_items(cipher, row) if with_items and cipher is not None else [],
        items_erased_at=row.items_erased_at,
    )


def listing(
    session: Session, node: Node, *, direction: str | None = None, status: str | None = None
) -> list[FollowupOut]:
    """Requests without their released data (listing them reads no personal data)."""
    conditions = []
    if direction:
        conditions.append(FollowupRequest.direction == direction)
    if status:
        conditions.append(FollowupRequest.status == status)
    rows = session.scalars(
        select(FollowupRequest).where(*conditions).order_by(FollowupRequest.requested_at.desc())
    )
    now = node.clock.now()
    return [_out(r, now, with_items=False) for r in rows]


def get(
    session: Session, node: Node, principal: Principal, request_id: str, direction: str
) -> FollowupOut:
    """One request with its released data; reading released data is audited."""
    row = session.scalars(
        select(FollowupRequest).where(
            FollowupRequest.request_id == request_id, FollowupRequest.direction == direction
        )
    ).first()
    if row is None:
        raise NotFound(f"no follow-up request {request_id}")
    out = _out(row, node.clock.now(), with_items=True, cipher=node.cipher)
    if out.items and row.items_erased_at is None:
        Access(principal, node.code, row.purpose, row.legal_basis).trace(
            session,
            "read",
            "federation.followup",
            request_id,
            now=node.clock.now(),
            details={"fields": [i.field for i in out.items]},
        )
    return out


@dispatch.handler("followup.request")
def _on_request(session: Session, node: Node, message: Envelope) -> Envelope:
    """Requested side: record the request for a supervisor's decision."""
    payload = message.payload
    request_id = str(payload.get("request_id", ""))
    if not _REQUEST_ID.match(request_id):
        # It becomes part of console links: only the form every node generates is accepted.
        raise ValidationFailed("a follow-up request id must be a lower-case UUID")
    if _incoming_or_none(session, request_id) is not None:
        raise Conflict(f"a follow-up request {request_id} was already received")
    if policies.effective(session, "followup.answer", message.sender) == "never":
        # Refused on arrival (permanent, 422): this node could never answer it.
        raise ValidationFailed(
            f"this node releases no follow-up data to {message.sender} (sharing policy of "
            "followup.answer: never)"
        )
    kind = str(payload.get("kind", ""))[:40]
    now = node.clock.now()
    session.add(
        FollowupRequest(
            request_id=request_id,
            direction="in",
            peer=message.sender,
            kind=kind,
            reference=str(payload.get("reference", ""))[:100],
            case_ref=message.case_ref,
            purpose=message.purpose,
            legal_basis=message.legal_basis,
            requested_by=f"{message.sender}:{payload.get('requested_by', '?')}"[:120],
            requested_at=now,
            due_at=_due(
                kind,
                bool(payload.get("urgent")),
                now,
                payload.get("directly_accessible", True) is not False,
            ),
            status="pending",
        )
    )
    node.audit(
        session,
        dispatch.peer_actor(message),
        action=REQUEST_RECEIVED,
        object_type="federation.followup",
        object_id=request_id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome="pending",
        details={"reference": payload.get("reference"), "case": message.case_ref},
    )
    return dispatch.ack(node, message, request_id=request_id)


def _our_request(session: Session, request_id: str, peer: str) -> FollowupRequest | None:
    """A follow-up request this node sent to ``peer``."""
    return session.scalars(
        select(FollowupRequest).where(
            FollowupRequest.request_id == request_id,
            FollowupRequest.direction == "out",
            FollowupRequest.peer == peer,
        )
    ).first()


@dispatch.handler("ack")
def _on_ack(session: Session, node: Node, message: Envelope) -> None:
    """Requester side: the peer holds our request; it now awaits a decision there."""
    request_id = message.payload.get("request_id")
    if not request_id:
        return
    row = _our_request(session, request_id, message.sender)
    if row is not None and row.status == "queued":
        row.status = "pending"


@dispatch.handler("followup.answer")
def _on_answer(session: Session, node: Node, message: Envelope) -> None:
    """Requester side: record the decision and any released data."""
    payload = message.payload
    request_id = str(payload.get("request_id", ""))
    row = _our_request(session, request_id, message.sender)
    if row is None or row.status not in OPEN:
        return
    decision = payload.get("decision")
    items = [Item.model_validate(i) for i in payload.get("items", [])]
    row.status = "approved" if decision == "approved" else "refused"
    row.decided_by, row.decided_at = message.sender, node.clock.now()
    row.reason = payload.get("reason")
    seal_items(node.cipher, row, items)
    node.audit(
        session,
        dispatch.peer_actor(message),
        action=ANSWER_RECEIVED,
        object_type="federation.followup",
        object_id=request_id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome=row.status,
        details={"fields": [i.field for i in items], "case": message.case_ref},
    )
