"""The check of an object offered for sale: applicable rules, Red List categories, provenance
gaps, candidate stolen objects (text and image) and the risk, kept as a check record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.errors import ConfigurationError, NotFound
from passerelle.heritage.model import Check
from passerelle.heritage.schemas import CheckIn, CheckOut, GapOut
from passerelle.heritage.service import assess, imaging, registry
from passerelle.heritage.service.common import new_reference, trace
from passerelle.node import Node
from passerelle.privacy import Principal


def syria_cutoff(node: Node) -> date:
    text = node.settings.heritage_syria_cutoff
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"PASSERELLE_HERITAGE_SYRIA_CUTOFF={text!r} is not a date (YYYY-MM-DD)"
        ) from None


def describe(images: Sequence[bytes]) -> list[imaging.Descriptor]:
    return [
        imaging.describe_query(imaging.load(raw, f"image[{i}]")) for i, raw in enumerate(images)
    ]


def evaluate(
    session: Session, node: Node, data: CheckIn, descriptors: Sequence[imaging.Descriptor]
) -> CheckOut:
    """Everything a check shows, without recording it."""
    today = node.clock.now().date()
    a = assess.assess(data, today=today, syria_cutoff=syria_cutoff(node))
    matches = registry.screener(session, node).screen(data, descriptors)
    risk, reasons = assess.risk(a, matches)
    return CheckOut(
        title=data.title,
        risk=risk,
        risk_reasons=reasons,
        rules=a.rules,
        red_list=[
            {"code": c.code, "country": c.country, "label": c.label, "source": c.source}
            for c in a.red_list
        ],
        gaps=[GapOut(start=g.start, end=g.end, years=g.years, reason=g.reason) for g in a.gaps],
        matches=matches,
    )


def check(
    session: Session,
    node: Node,
    principal: Principal,
    data: CheckIn,
    images: Sequence[bytes] = (),
) -> CheckOut:
    """Check the object and keep the record (it names the seller: audited)."""
    return check_and_ask(session, node, principal, data, images, ask_peers=False)[0]


def check_and_ask(
    session: Session,
    node: Node,
    principal: Principal,
    data: CheckIn,
    images: Sequence[bytes] = (),
    *,
    ask_peers: bool,
) -> tuple[CheckOut, list[str]]:
    """The check, and when ``ask_peers`` the screening request to every peer (the message ids
    to deliver; the answers arrive as ``heritage.screen_result``)."""
    from passerelle.heritage.service import exchange

    descriptors = describe(images)
    out = evaluate(session, node, data, descriptors)
    row = Check(
        id=str(uuid.uuid4()),
        reference=new_reference("CHK", node),
        channel=data.offer.channel,
        seller=data.offer.seller,
        title=data.title,
        checked_at=node.clock.now(),
        checked_by=principal.name,
        risk=out.risk,
        submitted=data.model_dump(mode="json"),
        result=out.model_dump(mode="json"),
    )
    session.add(row)
    trace(session, node, principal, "write", "heritage.check", row.reference)
    out.reference = row.reference
    ids = []
    if ask_peers:
        ids = exchange.ask_peers(session, node, principal, data, descriptors, row.reference)
    return out, ids


def get(session: Session, node: Node, principal: Principal, reference: str) -> Check:
    row = session.scalar(select(Check).where(Check.reference == reference))
    if row is None:
        raise NotFound(f"no check {reference}", reference=reference)
    trace(session, node, principal, "read", "heritage.check", reference)
    return row


def search(
    session: Session, text: str = "", risk: str | None = None, limit: int = 5000
) -> list[Check]:
    query = select(Check).order_by(Check.checked_at.desc()).limit(limit)
    if risk:
        query = query.where(Check.risk == risk)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(
            or_(Check.reference.ilike(like), Check.title.ilike(like), Check.seller.ilike(like))
        )
    return list(session.scalars(query))
