"""Messages this node issues: an Alert, Update or Cancel composed by a duty officer, and the CAP
Ack of a message received from a peer. Each is validated against the XSD before it is stored."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from passerelle.crisis import cap, compose
from passerelle.crisis.model import CapMessage
from passerelle.crisis.schemas import CapIn
from passerelle.crisis.service import store
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Principal


def sender_of(node: Node) -> str:
    """This node's CAP sender (CAP 1.2 §3.2.1: unique, no spaces, commas or reserved marks)."""
    return f"crisis-centre@{node.code.lower()}.passerelle.eu"


def new_identifier(node: Node) -> str:
    return f"{node.code}.crisis.{uuid.uuid4()}"


def reference_of(row: CapMessage) -> cap.Reference:
    """How other messages refer to ``row``: its sender, identifier and original ``sent`` text."""
    sent = cap.parse(row.xml.encode()).sent.isoformat()
    return cap.Reference(row.sender, row.identifier, sent)


def create(session: Session, node: Node, principal: Principal, data: CapIn) -> CapMessage:
    """Compose, validate and store a message issued here (sending is a separate act)."""
    earlier = []
    for message_id in data.references:
        row = session.get(CapMessage, message_id)
        if row is None:
            raise ValidationFailed(
                f"the referenced message {message_id} is not known here", field="references"
            )
        if row.msg_type in ("Cancel", "Ack"):
            raise ValidationFailed(
                f"an {data.msg_type} cannot refer to a {row.msg_type}", field="references"
            )
        earlier.append(row)
    raw = compose.alert(
        data,
        identifier=new_identifier(node),
        sender=sender_of(node),
        sent=node.clock.now(),
        references=[str(reference_of(r)) for r in earlier],
    )
    row = store.store(
        session,
        node,
        raw,
        origin="local",
        created_by=principal.name,
        names_people=data.names_people,
    )
    store.access(principal, node).trace(
        session,
        "write",
        "crisis.message",
        row.id,
        now=node.clock.now(),
        details={"msg_type": row.msg_type, "thread": row.thread},
    )
    return row


def acknowledge(
    session: Session, node: Node, principal: Principal, message_id: str, *, note: str = ""
) -> CapMessage:
    """Write the CAP Ack of a message received from a peer (sending it is a separate act)."""
    row = session.get(CapMessage, message_id)
    if row is None:
        raise NotFound(f"no crisis message {message_id}")
    if not row.origin.startswith("peer:"):
        raise ValidationFailed(
            "only a message received from a peer can be acknowledged to it", field="id"
        )
    if row.msg_type == "Ack":
        raise ValidationFailed("an Ack is not acknowledged", field="id")
    ref = reference_of(row)
    already = session.query(CapMessage).filter(
        CapMessage.msg_type == "Ack",
        CapMessage.origin == "local",
        CapMessage.references.isnot(None),
        CapMessage.thread == row.thread,
    )
    if any(str(ref) in a.references for a in already):
        raise Conflict(f"message {row.identifier} is already acknowledged")
    raw = compose.ack(
        identifier=new_identifier(node),
        sender=sender_of(node),
        sent=node.clock.now(),
        status=row.status,
        of=ref,
        note=note or f"Received by {node.code} crisis centre",
    )
    ack = store.store(session, node, raw, origin="local", created_by=principal.name)
    store.access(principal, node).trace(
        session,
        "write",
        "crisis.ack",
        ack.id,
        now=node.clock.now(),
        details={"acknowledges": row.id},
    )
    return ack


def peer_of(row: CapMessage) -> str:
    """The node a received message came from ("" for local or feed messages)."""
    return row.origin.removeprefix("peer:") if row.origin.startswith("peer:") else ""
