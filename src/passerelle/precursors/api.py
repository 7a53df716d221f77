"""REST API of the precursors domain under /api/v1/precursors. Sellers (token role
``marketplace``) check transactions, upload their catalogue and file reports; the contact point
(analyst, supervisor) reads transactions, reports, patterns and statistics. Routes are thin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.bounds import Count
from passerelle.errors import PasserelleError
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.schemas import (
    CheckOut,
    LicenceIn,
    PatternOut,
    ProductRow,
    ReportIn,
    ReportOut,
    WatchedIn,
    Year,
)
from passerelle.precursors.service import check, detection, parse, registers, reports
from passerelle.precursors.service.common import trace
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/api/v1/precursors", tags=["precursors"])
STAFF = ("analyst", "supervisor")
SELLER = ("marketplace",)


def client_of(app: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client


async def _run(node: Node, fn: Any) -> Any:
    def run() -> Any:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)


def _quarantine_and_raise(node: Node, source: str, raw: bytes, exc: PasserelleError) -> None:
    with node.session() as session:
        parse.quarantine(session, node, source, parse.Line(1, raw[:65536], error=exc))
    raise exc


@router.post("/check")
async def check_transaction(request: Request, principal: Principal = require(*SELLER)) -> CheckOut:
    """Check one transaction (the JSON body): allowed, licence_required, refused or report.

    A purchase notice for the peers is queued in the federation outbox in the check's own
    transaction (durable: it survives a crash) and delivered by the delivery worker, so the
    answer never waits for a peer."""
    node = node_of(request)
    raw = await request.body()
    try:
        data = parse.transaction(raw)
    except PasserelleError as exc:
        await run_in_threadpool(_quarantine_and_raise, node, f"api:{principal.name}", raw, exc)
        raise

    def run(session: Session) -> check.Outcome:
        seller, product = registers.seller_and_product(session, principal, data.product.sku)
        return check.check(session, node, principal, seller, data, product=product)

    outcome = await _run(node, run)
    out: CheckOut = outcome.out
    return out


@router.put("/catalogue")
async def upload_catalogue(
    request: Request, principal: Principal = require(*SELLER)
) -> dict[str, Any]:
    """Replace products of the calling seller's catalogue from a CSV body."""
    node = node_of(request)
    lines = list(parse.catalogue_rows(await request.body()))

    def write(session: Session) -> dict[str, Any]:
        seller = registers.seller_of(session, principal)
        good = [ln.value for ln in lines if isinstance(ln.value, ProductRow)]
        errors = []
        for ln in lines:
            if ln.error is not None:
                parse.quarantine(session, node, f"catalogue:{seller.code}", ln)
                errors.append({"line": ln.number, "error": ln.error.message})
        written = registers.load_catalogue(session, seller.code, good)
        return {"written": written, "errors": errors}

    result: dict[str, Any] = await _run(node, write)
    return result


@router.post("/reports", status_code=201)
def file_report(
    request: Request, body: ReportIn, session: DbSession, principal: Principal = require(*SELLER)
) -> ReportOut:
    """A seller reports a disappearance, a theft or a suspicious attempt."""
    node = node_of(request)
    seller = registers.seller_of(session, principal)
    return reports.to_out(session, reports.file_by_seller(session, node, principal, seller, body))


@router.get("/substances")
def substances(principal: Principal = require(*STAFF, *SELLER)) -> list[dict[str, Any]]:
    """The Annex I and II tables with limit values, licence upper limits, CN codes, sources."""
    return [
        {
            "name": s.name,
            "cas": s.cas,
            "annex": s.annex,
            "limit": s.limit,
            "licence_upper": s.licence_upper,
            "cn_pure": s.cn_pure,
            "cn_mixture": s.cn_mixture,
            "source": s.source,
            "note": s.note,
        }
        for s in rules.SUBSTANCES.values()
    ]


@router.get("/transactions")
def list_transactions(
    request: Request,
    session: DbSession,
    q: str = "",
    decision: str = "",
    principal: Principal = require(*STAFF),
) -> list[dict[str, Any]]:
    """Checked transactions, newest first (audited read)."""
    rows = check.search(session, node_of(request), principal, text=q, decision=decision)
    return [transaction_out(t) for t in rows]


@router.get("/transactions/{reference}")
def get_transaction(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> dict[str, Any]:
    """One transaction with its art. 8 verification record (audited read)."""
    return transaction_out(check.get_transaction(session, node_of(request), principal, reference))


def transaction_out(t: Any) -> dict[str, Any]:
    return {
        "reference": t.reference,
        "seller": t.seller,
        "channel": t.channel,
        "country": t.country,
        "occurred_at": t.occurred_at.isoformat(),
        "customer": {
            "type": t.customer_type,
            "family_name": t.family_name,
            "given_names": t.given_names,
            "date_of_birth": t.date_of_birth,
            "document_type": t.document_type,
            "document_number": t.document_number,
            "account": t.account,
            "company": t.company,
        },
        "product": t.product,
        "cas": t.cas,
        "concentration": t.concentration,
        "quantity_kg": t.quantity_kg,
        "payment": {"method": t.payment_method, "amount": t.payment_amount},
        "delivery": {"method": t.delivery_method, "address": t.delivery_address},
        "verification": {
            "id_document_checked": t.id_checked,
            "licence_number": t.licence_number,
            "licence_valid": t.licence_ok,
            "professional_status_checked": t.professional_checked,
            "intended_use": t.intended_use,
            "statement_signed": t.statement_signed,
        },
        "indicators": t.indicators,
        "decision": t.decision,
        "reasons": t.reasons,
    }


@router.get("/reports")
def list_reports(
    request: Request,
    session: DbSession,
    q: str = "",
    status: str = "",
    principal: Principal = require(*STAFF),
) -> list[ReportOut]:
    """Reports to the contact point (``status``: open or acknowledged), newest first."""
    rows = reports.search(session, node_of(request), principal, text=q, status=status)
    return [reports.to_out(session, r) for r in rows]


@router.get("/reports/{reference}")
def get_report(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> ReportOut:
    return reports.to_out(session, reports.get(session, node_of(request), principal, reference))


@router.post("/reports/{reference}/acknowledge")
def acknowledge_report(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> ReportOut:
    """The contact point takes a report in charge (time recorded against its deadline)."""
    r = reports.acknowledge(session, node_of(request), principal, reference)
    return reports.to_out(session, r)


@router.get("/patterns")
def list_patterns(
    request: Request, session: DbSession, kind: str = "", principal: Principal = require(*STAFF)
) -> list[PatternOut]:
    rows = detection.search(session, node_of(request), principal, kind=kind)
    return [pattern_out(p) for p in rows]


@router.post("/patterns/run")
def run_patterns(
    request: Request, session: DbSession, days: Count = 7, principal: Principal = require(*STAFF)
) -> list[PatternOut]:
    """Detect patterns over the last ``days`` days (new ones are recorded and reported)."""
    node = node_of(request)
    now = node.clock.now()
    days = max(1, min(days, 62))
    found = detection.run(session, node, principal, since=now - timedelta(days=days), until=now)
    return [pattern_out(p) for p in found]


def pattern_out(p: Any) -> PatternOut:
    return PatternOut(
        id=p.id,
        kind=p.kind,
        detected_at=p.detected_at,
        countries=p.countries,
        summary=p.summary,
        members=p.members,
    )


@router.get("/statistics")
def statistics(
    request: Request, session: DbSession, year: Year = 0, principal: Principal = require(*STAFF)
) -> dict[str, Any]:
    """Art. 19 annual statistics, split online/offline."""
    year = year or node_of(request).clock.now().year
    return {"year": year, "source": f"{rules.REG} art. 19", **reports.statistics(session, year)}


@router.post("/licences", status_code=201)
def add_licence(
    request: Request,
    body: LicenceIn,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> dict[str, Any]:
    """Register a licence in the national licence register (audited: it names its holder)."""
    row = registers.add_licence(session, body)
    trace(session, node_of(request), principal, "write", "precursors.licence", row.number)
    return {"country": row.country, "number": row.number}


@router.post("/licences/import")
async def import_licences(
    request: Request, principal: Principal = require("supervisor")
) -> dict[str, Any]:
    """Import licences from a CSV body (the columns of ``precursors licence import``): counts
    of added, updated and unchanged licences, and each rejected row with its line, field and
    reason (quarantined). Importing the same file again changes nothing."""
    from passerelle.precursors.service import licences

    node = node_of(request)
    data = await request.body()  # its size is bounded by PASSERELLE_MAX_BODY_BYTES

    def write(session: Session) -> dict[str, Any]:
        result = licences.import_file(session, node, principal, "api:licences", data)
        return result.as_dict()

    out: dict[str, Any] = await _run(node, write)
    return out


@router.post("/watched", status_code=201)
def add_watched(
    request: Request,
    body: WatchedIn,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> dict[str, Any]:
    """Add a watched person: a check naming them is reported (the seller is not told why)."""
    node = node_of(request)
    row = registers.add_watched(session, node, principal, body)
    trace(session, node, principal, "write", "precursors.watched", row.id)
    return {"id": row.id, "added_at": datetime.isoformat(row.added_at)}
