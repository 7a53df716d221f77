"""Purchase notices between national contact points, as the federation domain message type
``precursors.purchase``.

When a customer buys a substance that belongs to a dangerous combination (rules.COMBINATIONS),
the node tells its peers' contact points, under the sharing policy an admin set for the type
and the peer (until then: never). The notice carries only what identity matching needs; the
receiving node keeps it 30 days (the pattern window), and on arrival — inside the inbox's
transaction — compares it with its own purchases of the week: a combination bought across the
border becomes a pattern and a report to its contact point.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Notice, Seller, Transaction
from passerelle.precursors.service import detection
from passerelle.precursors.service.common import identity_key
from passerelle.privacy import Principal

PURCHASE = "precursors.purchase"
PURPOSE = "prevention of the illicit manufacture of explosives (suspicious transactions)"


class PurchasePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=24)
    occurred_at: AwareDatetime
    cas: str = Field(pattern=r"^\d{2,7}-\d{2}-\d$")
    quantity_kg: float = Field(gt=0, le=100_000)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    city: str = Field(default="", max_length=100)
    seller_name: str = Field(default="", max_length=200)
    family_name: str = Field(min_length=1, max_length=100)
    given_names: str = Field(default="", max_length=100)
    date_of_birth: str = Field(default="", max_length=10)
    document_number: str = Field(default="", max_length=40)


def _reference(payload: BaseModel) -> str:
    return payload.reference if isinstance(payload, PurchasePayload) else ""


def _held(session: Session, references: Sequence[str]) -> Collection[str]:
    if not references:
        return []
    local = session.scalars(
        select(Transaction.reference).where(Transaction.reference.in_(references))
    )
    foreign = session.scalars(select(Notice.reference).where(Notice.reference.in_(references)))
    return {*local, *foreign}


def _row(t: Transaction | Notice, seller: str) -> tuple[object, ...]:
    account = t.account if isinstance(t, Transaction) else ""
    return (
        t.reference,
        t.country,
        seller,
        t.occurred_at,
        t.family_name,
        t.given_names,
        t.date_of_birth,
        t.document_number,
        t.identity_key,
        t.cas,
        t.quantity_kg,
        account,
        "",
    )


def _receive(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, PurchasePayload)
    notice = Notice(
        id=str(uuid.uuid4()),
        sender=received.sender,
        reference=p.reference,
        received_at=node.clock.now(),
        occurred_at=p.occurred_at,
        family_name=p.family_name,
        given_names=p.given_names,
        date_of_birth=p.date_of_birth,
        document_number=p.document_number,
        identity_key=identity_key(p.family_name, p.date_of_birth),
        cas=p.cas,
        quantity_kg=p.quantity_kg,
        city=p.city,
        country=p.country,
        seller_name=p.seller_name,
    )
    session.add(notice)
    session.flush()
    found = cross_border(session, node, notice, actor=f"peer:{received.sender}")
    return {"patterns": found}


def cross_border(session: Session, node: Node, notice: Notice, *, actor: str) -> int:
    """Patterns completed by a peer's notice with this node's purchases of the window."""
    window = rules.PATTERN_WINDOW
    local = list(
        session.scalars(
            select(Transaction).where(
                Transaction.identity_key == notice.identity_key,
                Transaction.occurred_at >= notice.occurred_at - window,
                Transaction.occurred_at <= notice.occurred_at + window,
                Transaction.annex != "",
                Transaction.decision != "refused",
            )
        )
    )
    if not local:
        return 0
    rows = [_row(notice, f"{notice.sender}:{notice.seller_name}")]
    rows += [_row(t, t.seller) for t in local]
    from passerelle.precursors.service import patterns  # DuckDB loads on first use

    count = 0
    for found in patterns.detect(patterns.table(rows), threads=1):
        if found.kind == "combination" and detection.record(session, node, found, actor):
            count += 1
    return count


def register_types() -> None:
    """Declare the precursors message type to federation (idempotent)."""
    federation.register_message_type(
        PURCHASE,
        PurchasePayload,
        _receive,
        description="A purchase of a precursor that belongs to a dangerous combination, for "
        "the peer's pattern detection (kept 30 days).",
        carries_personal_data=True,
        legal_basis=rules.EXCHANGE_LEGAL_BASIS[:200],
        source=rules.NOTICE_SOURCE,
        retention=federation.BodyRetention(
            keep_for=rules.NOTICE_RETENTION,
            source=rules.NOTICE_SOURCE,
            description="A purchase notice body lives as long as the notice or the purchase.",
            held=_held,
        ),
        default_policy="automatic",
        received=N_("purchase notice received"),
        reference=_reference,
        handling="H1",
        replace=True,
    )


def payload_of(t: Transaction, seller: Seller) -> PurchasePayload:
    return PurchasePayload(
        reference=t.reference,
        occurred_at=t.occurred_at,
        cas=t.cas,
        quantity_kg=t.quantity_kg,
        country=t.country,
        city=t.city,
        seller_name=seller.name,
        family_name=t.family_name,
        given_names=t.given_names,
        date_of_birth=t.date_of_birth,
        document_number=t.document_number,
    )


#: Built once: the check runs it every time.
_PEER_CODES = select(federation.Peer.code).order_by(federation.Peer.code)


def notify_peers(
    session: Session, node: Node, principal: Principal, t: Transaction, seller: Seller
) -> list[str]:
    """Send the purchase to every peer as its sharing policy says (same transaction).

    Runs in every check of a combination substance: it reads the peers' codes only (one
    indexed query), not their status — counting each peer's undelivered messages cost a
    scan of the outbox per check."""
    ids = []
    payload = payload_of(t, seller)
    for code in session.scalars(_PEER_CODES):
        state = federation.send_message(
            session,
            node,
            principal.actor,
            PURCHASE,
            peer=code,
            payload=payload,
            case_ref=t.reference,
            purpose=PURPOSE,
        )
        if state.status in ("queued", "awaiting"):
            ids.append(state.message_id)
    return ids


def notices(session: Session, since: datetime) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice).where(Notice.received_at >= since).order_by(Notice.received_at.desc())
        )
    )
