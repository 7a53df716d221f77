"""The transaction check: resolve the product, look the licence up, screen the customer
(watched persons, the customer's other purchases here and those peers notified), decide,
record the sale with its art. 8 verification, file the report and notify peers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, String, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from passerelle.identity import PersonRecord, compare, screen
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Licence, Notice, Product, Seller, Transaction
from passerelle.precursors.schemas import CheckOut, Reason, TransactionIn
from passerelle.precursors.service import registers, reports
from passerelle.precursors.service.common import delivery_key, identity_key, new_reference, regime
from passerelle.precursors.service.common import trace as audit_trace
from passerelle.precursors.service.decide import A9, Facts, covered, decide
from passerelle.privacy import Principal
from passerelle.storage import UtcDateTime

#: What a seller is told when the contact point's own screening asks for a report: never
#: that the customer is watched, nor what a peer said.
SCREENING_TEXT = "the national contact point's checks ask for this transaction to be reported"


@dataclass
class Outcome:
    out: CheckOut
    transaction: Transaction
    message_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Resolved:
    label: str
    cas: str
    concentration: float
    particle_um: float | None


def resolve(
    session: Session, seller: str, data: TransactionIn, known: Product | None = None
) -> Resolved:
    """The product sold; ``known`` is the seller's product of that sku when the caller read
    it already (the API reads it with the seller)."""
    p = data.product
    if p.sku or (p.name and not p.cas):
        product = (
            known
            if known is not None and p.sku and known.seller == seller and known.sku == p.sku
            else registers.find_product(session, seller, sku=p.sku, name=p.name)
        )
        return Resolved(product.trade_name, product.cas, product.concentration, product.particle_um)
    assert p.concentration is not None
    label = p.name or (rules.SUBSTANCES[p.cas].name if p.cas in rules.SUBSTANCES else p.cas)
    return Resolved(label, p.cas, p.concentration, p.particle_um)


def person_of(data: TransactionIn, record_id: str = "customer") -> PersonRecord:
    c = data.customer
    return PersonRecord(
        record_id,
        given_names=c.given_names or None,
        family_name=c.family_name,
        date_of_birth=c.date_of_birth or None,
        document_number=c.document_number or None,
    )


def licence_problem(
    licence: Licence | None, data: TransactionIn, cas: str, concentration: float, now: datetime
) -> str:
    if licence is None:
        return "not in the licence register"
    if licence.revoked_at is not None:
        return "revoked"
    if not licence.valid_from <= now <= licence.valid_until:
        return "not valid on this date"
    if cas not in licence.substances:
        return "does not cover this substance"
    if concentration > licence.max_concentration:
        return f"covers up to {licence.max_concentration:g} % only"
    holder = PersonRecord(
        "holder",
        given_names=licence.given_names or None,
        family_name=licence.family_name,
        date_of_birth=licence.date_of_birth or None,
        document_number=licence.document_number or None,
    )
    if compare(person_of(data), holder).score < rules.SAME_PERSON:
        return "held by someone else"
    return ""


def _same(person: PersonRecord, family: str, given: str, dob: str, doc: str) -> bool:
    other = PersonRecord(
        "other",
        given_names=given or None,
        family_name=family,
        date_of_birth=dob or None,
        document_number=doc or None,
    )
    return compare(person, other).score >= rules.SAME_PERSON


def _week_statement() -> CompoundSelect[Any]:
    t, n = Transaction, Notice
    key = bindparam("key", type_=String())
    since = bindparam("since", type_=UtcDateTime())
    until = bindparam("until", type_=UtcDateTime())
    here = select(
        t.cas,
        func.coalesce(func.nullif(t.city, ""), t.seller),
        t.country,
        t.quantity_kg,
        t.family_name,
        t.given_names,
        t.date_of_birth,
        t.document_number,
        t.reference,
    ).where(
        t.identity_key == key,
        t.occurred_at >= since,
        t.occurred_at <= until,
        t.decision != "refused",
    )
    peers = select(
        n.cas,
        n.city,
        n.country,
        n.quantity_kg,
        n.family_name,
        n.given_names,
        n.date_of_birth,
        n.document_number,
        n.reference,
    ).where(n.identity_key == key, n.occurred_at >= since, n.occurred_at <= until)
    return union_all(here, peers)


#: Built once: composing the expression cost more than running it in every check.
_WEEK = _week_statement()


def earlier_purchases(
    session: Session, key: str, since: datetime, until: datetime
) -> list[tuple[str, str, float, str, str, str, str, str]]:
    """(cas, place, kg, family, given, dob, document, reference) of purchases sharing the
    customer's blocking key in the window, here and notified by peers: one round trip (a
    UNION ALL of the two indexed look-ups), columns only, as this runs in every check."""
    with session.no_autoflush:
        return [
            (cas, f"{place} ({country})", kg, fam, given, dob, doc, ref)
            for cas, place, country, kg, fam, given, dob, doc, ref in session.execute(
                _WEEK, {"key": key, "since": since, "until": until}
            )
        ]


def screen_customer(
    session: Session, node: Node, data: TransactionIn, res: Resolved, when: datetime, key: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """Findings for the seller (generic) and the details for the contact point's report."""
    details: list[str] = []
    person = person_of(data)
    for match in screen(person, registers.watch_index(node).current(session), rules.SAME_PERSON):
        details.append(f"customer matches watched person {match.entry_id} ({match.score:.2f})")
    same_cas_kg, same_cas_n = data.product.quantity_kg, 1
    for cas, place, kg, fam, given, dob, doc, ref in earlier_purchases(
        session, key, when - rules.PATTERN_WINDOW, when
    ):
        if not _same(person, fam, given, dob, doc):
            continue
        combo = rules.combination_of(cas, res.cas)
        if combo and cas != res.cas:
            details.append(f"combination {combo}: {ref} in {place} within 7 days")
        if cas == res.cas:
            same_cas_kg += kg
            same_cas_n += 1
    if same_cas_n >= rules.SPLIT_MIN_PURCHASES and same_cas_kg > rules.SPLIT_TOTAL_KG:
        details.append(f"split purchases: {same_cas_n} purchases, {same_cas_kg:g} kg within 7 days")
    findings = [(A9, SCREENING_TEXT)] if details else []
    return findings, details


def check(
    session: Session,
    node: Node,
    principal: Principal,
    seller: Seller,
    data: TransactionIn,
    *,
    notify: bool = True,
    audited: bool = True,
    product: Product | None = None,
) -> Outcome:
    """Check and record one transaction. ``audited=False`` only for seeding synthetic demo
    data, which is nobody's act on personal data. ``product``: the seller's product of the
    transaction's sku, when the caller read it already."""
    now = node.clock.now()
    when = data.occurred_at or now
    res = resolve(session, seller.code, data, product)
    substance = rules.SUBSTANCES.get(res.cas)
    reg = regime(node, seller.country)
    v = data.verification
    problem: str | None = None
    if v.licence_number and substance is not None and substance.annex == "I":
        licence = registers.find_licence(session, seller.country, v.licence_number)
        problem = licence_problem(licence, data, res.cas, res.concentration, when)
    indicators = list(data.indicators)
    if data.payment.method == "cash" and data.payment.amount >= rules.LARGE_CASH_EUR:
        indicators = sorted({*indicators, "unusual_payment"})
    key = identity_key(data.customer.family_name, data.customer.date_of_birth)
    findings: list[tuple[str, str]] = []
    details: list[str] = []
    is_covered = covered(substance, res.concentration, res.particle_um)
    if is_covered:
        findings, details = screen_customer(session, node, data, res, when, key)
    else:
        indicators = []
    facts = Facts(
        substance=substance,
        concentration=res.concentration,
        particle_um=res.particle_um,
        customer_type=data.customer.type,
        regime=reg,
        id_checked=v.id_document_checked,
        professional_checked=v.professional_status_checked,
        statement=bool(v.intended_use) and v.statement_signed,
        licence_number=v.licence_number,
        licence_problem=problem,
        indicators=tuple(indicators),
        findings=tuple(findings),
    )
    decision = decide(facts)
    c = data.customer
    row = Transaction(
        id=str(uuid.uuid4()),
        reference=new_reference("PRE", node),
        seller=seller.code,
        seller_ref=data.reference,
        channel=data.channel or seller.channel,
        country=seller.country,
        city=seller.city,
        occurred_at=when,
        checked_at=now,
        customer_type=c.type,
        family_name=c.family_name,
        given_names=c.given_names,
        date_of_birth=c.date_of_birth,
        document_type=c.document_type,
        document_number=c.document_number,
        document_country=c.document_country,
        account=c.account,
        company=c.professional.company if c.professional else "",
        identity_key=key,
        product=res.label,
        cas=res.cas,
        annex=substance.annex if substance and is_covered else "",
        concentration=res.concentration,
        quantity_kg=data.product.quantity_kg,
        payment_method=data.payment.method,
        payment_amount=data.payment.amount,
        delivery_method=data.delivery.method,
        delivery_address=data.delivery.address,
        delivery_key=delivery_key(data.delivery.address, data.delivery.country),
        id_checked=v.id_document_checked,
        licence_number=v.licence_number,
        licence_ok=problem == "",
        professional_checked=v.professional_status_checked,
        intended_use=v.intended_use,
        statement_signed=v.statement_signed,
        indicators=indicators,
        decision=decision.decision,
        reasons=decision.reasons,
    )
    session.add(row)  # flushed with the report or the audit entry: one flush per check
    if decision.suspicious:
        reports.file_for_transaction(session, node, principal, row, details)
    if audited:
        audit_trace(
            session,
            node,
            principal,
            "write",
            "precursors.transaction",
            row.reference,
            now=now,
            outcome=decision.decision,
            details={"seller": seller.code},
        )
    else:
        session.flush()  # seeding: the next seeded sale sees this one
    ids: list[str] = []
    if notify and is_covered and res.cas in rules.combination_substances():
        from passerelle.precursors.service import exchange

        ids = exchange.notify_peers(session, node, principal, row, seller)
    out = CheckOut(
        decision=decision.decision,
        reasons=[Reason(**r) for r in decision.reasons],
        reference=row.reference,
    )
    return Outcome(out, row, ids)


def get_transaction(session: Session, node: Node, principal: Principal, ref: str) -> Transaction:
    from passerelle.errors import NotFound

    row = session.scalars(select(Transaction).where(Transaction.reference == ref)).first()
    if row is None:
        raise NotFound(f"no transaction {ref!r}")
    audit_trace(session, node, principal, "read", "precursors.transaction", ref)
    return row


def search(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    text: str = "",
    decision: str = "",
    limit: int = 200,
) -> list[Transaction]:
    stmt = select(Transaction).order_by(Transaction.occurred_at.desc()).limit(limit)
    if decision:
        stmt = stmt.where(Transaction.decision == decision)
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            Transaction.reference.ilike(like)
            | Transaction.family_name.ilike(like)
            | Transaction.product.ilike(like)
            | Transaction.seller.ilike(like)
        )
    rows = list(session.scalars(stmt))
    audit_trace(
        session,
        node,
        principal,
        "read",
        "precursors.transaction",
        "*",
        details={"q": text, "decision": decision, "count": len(rows)},
    )
    return rows
