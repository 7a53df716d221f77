"""The provider side: orders addressed to the calling provider, acknowledgement, answers with
data files (hashed on receipt) or the Annex III form, the NAT lookup inside an identification
order, and reading answers back (audited)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, MalformedInput, NotFound, PayloadTooLarge
from passerelle.evidence import rules
from passerelle.evidence.model import Answer, AnswerFile, Order
from passerelle.evidence.schemas import (
    AnswerOut,
    DataAnswerIn,
    FileOut,
    ImpossibilityIn,
    NatLookupIn,
    OrderOut,
)
from passerelle.evidence.service import deadlines
from passerelle.evidence.service.common import trace
from passerelle.evidence.service.directory import provider_of
from passerelle.node import Node
from passerelle.privacy import Principal


def inbox(session: Session, node: Node, principal: Principal) -> list[Order]:
    """Orders addressed to the calling provider, newest first (audited read)."""
    provider = provider_of(session, principal)
    rows = list(session.scalars(
        select(Order).where(Order.provider == provider.code).order_by(Order.issued_at.desc())
    ))  # fmt: skip
    trace(session, node, principal, "read", "evidence.order", "inbox",
          details={"count": len(rows)})  # fmt: skip
    return rows


def addressed(session: Session, principal: Principal, order_id: str) -> Order:
    """An order of the calling provider; another provider's order does not exist for it."""
    provider = provider_of(session, principal)
    order = session.scalars(select(Order).where(
        (Order.id == order_id) | (Order.reference == order_id)
    )).first()  # fmt: skip
    if order is None or order.provider != provider.code:
        raise NotFound(f"no order {order_id!r} for this provider", field="order")
    return order


def acknowledge(session: Session, node: Node, principal: Principal, order_id: str) -> Order:
    order = addressed(session, principal, order_id)
    if order.status != "issued":
        raise Conflict(f"order {order.reference} is {order.status}")
    order.status, order.acknowledged_at = "acknowledged", node.clock.now()
    trace(session, node, principal, "read", "evidence.order", order.id,
          details={"op": "acknowledge"})  # fmt: skip
    return order


def _open(order: Order) -> None:
    if order.status not in deadlines.OPEN:
        raise Conflict(f"order {order.reference} is {order.status}: no answer accepted")


def file_limit(node: Node) -> int:
    """The largest answer file, in bytes: what a request body of the node's limit can carry
    base64-encoded in JSON (3/4 of it), for the API and the console alike."""
    return node.settings.max_body_bytes * 3 // 4


def answer_data(
    session: Session, node: Node, principal: Principal, order_id: str, data: DataAnswerIn
) -> Answer:
    """Store the data files (base64 in the API's JSON) with their SHA-256; the order is
    answered."""
    decoded: list[tuple[str, str, bytes]] = []
    for i, f in enumerate(data.files):
        try:
            content = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedInput(f"files[{i}].content_base64: not base64",
                                 field=f"files[{i}].content_base64") from None  # fmt: skip
        decoded.append((f.name, f.media_type, content))
    return answer_files(session, node, principal, order_id, decoded, data.note)


def answer_files(
    session: Session, node: Node, principal: Principal, order_id: str,
    files: list[tuple[str, str, bytes]], note: str = "",
) -> Answer:  # fmt: skip
    """Store ``(name, media type, content)`` files with their SHA-256 computed here; the order
    is answered. The API (base64) and the console (upload) both land here."""
    order = addressed(session, principal, order_id)
    _open(order)
    limit = file_limit(node)
    for i, (_, _, content) in enumerate(files):
        if len(content) > limit:
            raise PayloadTooLarge(f"files[{i}]: larger than {limit} bytes", field=f"files[{i}]")
    now = node.clock.now()
    answer = Answer(id=str(uuid.uuid4()), order_id=order.id, kind="data", reason="",
                    note=note, answered_at=now, answered_by=principal.name)  # fmt: skip
    session.add(answer)
    for name, media_type, content in files:
        session.add(AnswerFile(answer_id=answer.id, name=name, media_type=media_type,
                               size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                               content=content))  # fmt: skip
    order.status = "answered"
    order.closed_at = now
    session.flush()
    trace(session, node, principal, "disclose", "evidence.order", order.id,
          details={"op": "answer", "files": len(files)})  # fmt: skip
    return answer


def answer_impossible(
    session: Session, node: Node, principal: Principal, order_id: str, data: ImpossibilityIn
) -> Answer:
    """Annex III: the provider cannot execute the order, with the reason."""
    order = addressed(session, principal, order_id)
    _open(order)
    now = node.clock.now()
    answer = Answer(id=str(uuid.uuid4()), order_id=order.id, kind="impossibility",
                    reason=data.reason, note=data.explanation, answered_at=now,
                    answered_by=principal.name)  # fmt: skip
    session.add(answer)
    order.status, order.closed_at = "impossible", now
    session.flush()
    trace(session, node, principal, "write", "evidence.order", order.id,
          details={"op": "impossibility", "reason": data.reason})  # fmt: skip
    return answer


def nat_lookup(
    session: Session, node: Node, principal: Principal, order_id: str, data: NatLookupIn,
    store_dir: Path | None = None,
) -> dict[str, object]:  # fmt: skip
    """Attribute (IP, port, time) from the node's NAT-log store, only inside an open order for
    identification data addressed to this provider; the read is audited."""
    from passerelle.evidence.nat.lookup import attribute, parse_query
    from passerelle.evidence.nat.store import NatStore

    order = addressed(session, principal, order_id)
    _open(order)
    if order.category != rules.IDENTIFICATION:
        raise Conflict(f"order {order.reference} is for {order.category} data, not "
                       f"identification: no NAT lookup")  # fmt: skip
    query = parse_query(data.ip, data.port, data.timestamp)
    found = attribute(NatStore(store_dir or node.settings.data_dir / "nat"), query)
    trace(session, node, principal, "read", "evidence.nat", f"{data.ip}:{data.port}",
          outcome="ok" if found else "not found",
          details={"order": order.reference, "timestamp": data.timestamp})  # fmt: skip
    if found is None:
        raise NotFound(f"no record covers {data.ip}:{data.port} at {data.timestamp}",
                       field="timestamp")  # fmt: skip
    return found.to_dict()


def answers_of(session: Session, order: Order) -> list[tuple[Answer, list[AnswerFile]]]:
    out = []
    for a in session.scalars(select(Answer).where(Answer.order_id == order.id)
                             .order_by(Answer.answered_at)):  # fmt: skip
        files = list(session.scalars(select(AnswerFile).where(AnswerFile.answer_id == a.id)))
        out.append((a, files))
    return out


def read_file(
    session: Session, node: Node, principal: Principal, order: Order, file_id: int
) -> AnswerFile:
    """One answer file of ``order`` (audited: it is the evidence itself)."""
    row = session.get(AnswerFile, file_id)
    answer = session.get(Answer, row.answer_id) if row is not None else None
    if row is None or answer is None or answer.order_id != order.id:
        raise NotFound(f"no file {file_id} in order {order.reference}", field="file")
    trace(session, node, principal, "read", "evidence.file", str(row.id),
          details={"order": order.reference, "sha256": row.sha256})  # fmt: skip
    return row


def to_out(session: Session, order: Order, now: object) -> OrderOut:
    from datetime import datetime

    assert isinstance(now, datetime)
    fields = {c: getattr(order, c) for c in OrderOut.model_fields if hasattr(order, c)}
    fields["answers"] = [
        AnswerOut(id=a.id, kind=a.kind, reason=a.reason, note=a.note,
                  answered_at=a.answered_at, answered_by=a.answered_by,
                  files=[FileOut(id=f.id, name=f.name, media_type=f.media_type,
                                 size=f.size, sha256=f.sha256) for f in files])
        for a, files in answers_of(session, order)
    ]  # fmt: skip
    fields["urgency"] = deadlines.urgency(order, now)
    return OrderOut(**fields)
