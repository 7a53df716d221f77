"""REST API of the alerts domain: /api/v1/alerts, /api/v1/alert-checks, /api/v1/alert-criteria
(detainees, calendar and returnees: ``api_detainees``). Routes are thin: parse, call a service,
shape the answer. Acts that tell peers commit first, then send through federation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.alerts import rules
from passerelle.alerts.api_detainees import back, calendar, prison
from passerelle.alerts.model import Alert, CatalogueVersion
from passerelle.alerts.schemas import (
    AlertIn,
    AlertOut,
    CandidateOut,
    CatalogueIn,
    CatalogueOut,
    ExtensionIn,
    HitAnswerIn,
    HitReportIn,
    HitReportOut,
    PersonCheckIn,
)
from passerelle.alerts.service import acts, criteria, exchange, hits, periods, register
from passerelle.alerts.service import checks as checks_of
from passerelle.alerts.service.exchange import run_in_session as _act
from passerelle.bounds import Count
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.privacy import Principal, require

USERS = ("analyst", "supervisor")
RETURNEES = ("analyst", "supervisor", "minors")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the node's ``alerts`` watchlist from the table when the server starts."""
    await run_in_threadpool(register.load_watchlist, app.state.node)
    yield


router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"], lifespan=lifespan)


# ---- alerts ---------------------------------------------------------------------------------


async def _alert(
    request: Request, principal: Principal, act: Callable[[Session, Node], Alert]
) -> AlertOut:
    node = node_of(request)
    client = exchange.client_of(request.app)
    alert_id = await acts.alert(node, client, principal, lambda s: act(s, node))
    return await _act(node, lambda s: register.to_out(register.get(s, alert_id)))


@router.post("", status_code=201)
async def create_alert(
    request: Request, body: AlertIn, principal: Principal = require(*USERS)
) -> AlertOut:
    """Enter a person alert; it is screened against at once and shared with the peers."""
    return await _alert(request, principal, lambda s, n: register.create(s, n, principal, body))


@router.get("")
def list_alerts(
    request: Request,
    session: DbSession,
    q: str = "",
    category: str = "",
    status: str = "active",
    principal: Principal = require(*USERS),
) -> list[AlertOut]:
    """Search alerts by name or reference, category and status."""
    rows = register.search(
        session, node_of(request), principal, text=q, category=category, status=status
    )
    return [register.to_out(a) for a in rows]


@router.get("/categories")
def categories(principal: Principal = require(*USERS)) -> dict[str, dict[str, str]]:
    """The alert categories with their article and review period."""
    return {
        c.code: {
            "label": c.label,
            "article": c.article,
            "review_days": str(c.review_within.days),
            "review_source": c.review_source,
        }
        for c in rules.CATEGORIES.values()
    }


@router.get("/expiring")
def expiring_alerts(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> list[AlertOut]:
    """Alerts issued here whose automatic deletion (art. 53(7)) is due within the warning
    period, soonest first: extend them after an assessment, or let them go."""
    node = node_of(request)
    rows = periods.expiring(session, node)
    register.access(principal, node).trace(
        session, "read", "alert", "*", now=node.clock.now(), details={"expiring": len(rows)}
    )
    return [register.to_out(a) for a in rows]


@router.get("/{alert_id}")
def get_alert(
    request: Request, alert_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> AlertOut:
    return register.to_out(register.read(session, node_of(request), principal, alert_id))


@router.put("/{alert_id}")
async def update_alert(
    request: Request, alert_id: str, body: AlertIn, principal: Principal = require(*USERS)
) -> AlertOut:
    """Change an alert issued here; screening and peers see the change at once."""
    return await _alert(
        request, principal, lambda s, n: register.update(s, n, principal, alert_id, body)
    )


@router.post("/{alert_id}/withdraw")
async def withdraw_alert(
    request: Request, alert_id: str, principal: Principal = require("supervisor")
) -> AlertOut:
    """Withdraw an alert issued here; it leaves every watchlist at once."""
    return await _alert(
        request, principal, lambda s, n: register.withdraw(s, n, principal, alert_id)
    )


@router.post("/{alert_id}/review")
async def review_alert(
    request: Request,
    alert_id: str,
    body: ExtensionIn,
    principal: Principal = require("supervisor"),
) -> AlertOut:
    """Extend the alert after a recorded individual assessment (art. 53(6))."""
    return await _alert(
        request, principal, lambda s, n: periods.review(s, n, principal, alert_id, body)
    )


# ---- checks and hit reports -----------------------------------------------------------------

checks = APIRouter(prefix="/api/v1/alert-checks", tags=["alerts"])


@checks.post("")
def check_person(
    request: Request,
    body: PersonCheckIn,
    session: DbSession,
    principal: Principal = require(*USERS),
) -> list[CandidateOut]:
    """Screen a checked person against the alerts; candidates for a human to confirm."""
    return hits.check(session, node_of(request), principal, body)


@checks.get("/lookup")
def lookup_checks(
    request: Request,
    session: DbSession,
    family_name: str,
    given_names: str | None = None,
    date_of_birth: str | None = None,
    principal: Principal = require("dpo"),
) -> list[dict[str, Any]]:
    """Was this person checked, and by whom? (the audit keeps keyed hashes, not names)"""
    return checks_of.lookup(
        session, node_of(request), principal, family_name, given_names, date_of_birth
    )


@checks.post("/hits", status_code=201)
async def report_hit(
    request: Request, body: HitReportIn, principal: Principal = require(*USERS)
) -> HitReportOut:
    """Record a confirmed hit with its art. 37(1) content and send it to the issuing node."""
    node = node_of(request)
    report_id = await acts.report_hit(node, exchange.client_of(request.app), principal, body)
    return await _act(node, lambda s: hits.to_out(hits.current(s, report_id), node.clock.now()))


@checks.get("/hits")
def list_hits(
    request: Request,
    session: DbSession,
    direction: str = "",
    principal: Principal = require(*USERS),
) -> list[HitReportOut]:
    """Hit reports sent (``out``) and received (``in``), with their 12-hour answer deadline."""
    node = node_of(request)
    now = node.clock.now()
    return [
        hits.to_out(r, now) for r in hits.listing(session, node, principal, direction=direction)
    ]


@checks.post("/hits/{report_id}/answer")
async def answer_hit(
    request: Request, report_id: str, body: HitAnswerIn, principal: Principal = require(*USERS)
) -> HitReportOut:
    """Answer a received hit report (SIRENE, within 12 hours); the answer goes back signed."""
    node = node_of(request)
    client = exchange.client_of(request.app)
    await acts.answer_hit(node, client, principal, report_id, body.answer)
    return await _act(node, lambda s: hits.to_out(hits.get(s, report_id), node.clock.now()))


# ---- criteria catalogue ---------------------------------------------------------------------

catalogue = APIRouter(prefix="/api/v1/alert-criteria", tags=["alerts"])


@catalogue.get("")
def list_catalogue(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> list[CatalogueOut]:
    """Every catalogue version known here (published, received, adopted), which is in force."""
    applied = criteria.ensure_default(session, node_of(request))
    return [criteria.to_out(v, applied) for v in criteria.versions(session)]


@catalogue.post("", status_code=201)
async def publish_catalogue(
    request: Request, body: CatalogueIn, principal: Principal = require("supervisor")
) -> CatalogueOut:
    """Publish a new catalogue version here and send it to the peers for adoption."""
    node = node_of(request)
    published: list[int] = []

    def act(s: Session) -> CatalogueVersion:
        row = criteria.publish(s, node, principal, body)
        published.append(row.version)
        return row

    await acts.publish_catalogue(node, exchange.client_of(request.app), principal, act)
    return await _act(
        node,
        lambda s: criteria.to_out(
            criteria.get(s, node.code, published[0]), criteria.current(s, node.clock.now().date())
        ),
    )


@catalogue.post("/{publisher}/{version}/adopt")
def adopt_catalogue(
    request: Request,
    publisher: str,
    version: Count,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> CatalogueOut:
    """Apply a version received from a peer."""
    node = node_of(request)
    row = criteria.adopt(session, node, principal, publisher, version)
    return criteria.to_out(row, criteria.current(session, node.clock.now().date()))


ROUTERS = [router, checks, catalogue, prison, calendar, back]
