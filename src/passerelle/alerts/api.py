"""REST API of the alerts domain under /api/v1/alerts. Routes are thin: parse, call a service,
shape the answer. Acts that tell peers commit first, then send through federation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.alerts import rules
from passerelle.alerts.schemas import (
    AlertIn,
    AlertOut,
    AssessmentIn,
    CandidateOut,
    CatalogueIn,
    CatalogueOut,
    DetaineeIn,
    DetaineeOut,
    HitAnswerIn,
    HitReportIn,
    HitReportOut,
    PersonCheckIn,
    ProposalOut,
    ReleaseIn,
    ReleaseOut,
    ReturneeIn,
    ReturneeOut,
)
from passerelle.alerts.service import (
    criteria,
    detainees,
    exchange,
    feeds,
    hits,
    ics,
    register,
    returnees,
    sharing,
)
from passerelle.errors import NotAuthenticated
from passerelle.node import Node, db_session, node_of
from passerelle.privacy.access import RoleRequirement, require
from passerelle.privacy.accounts import Principal

T = TypeVar("T")
DbSession = Annotated[Session, Depends(db_session)]
USERS = ("analyst", "supervisor")
RETURNEES = ("analyst", "supervisor", "minors")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the node's ``alerts`` watchlist from the table when the server starts."""
    await run_in_threadpool(register.load_watchlist, app.state.node)
    yield


router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"], lifespan=lifespan)


class CalendarFeedRequirement(RoleRequirement):
    """The session or bearer token as usual; otherwise a calendar feed token in ``?token=``."""

    def __call__(self, request: Request) -> Principal:
        token = request.query_params.get("token")
        if getattr(request.state, "principal", None) is None and token:
            with node_of(request).session() as session:
                request.state.principal = feeds.principal_for(session, token)
        if getattr(request.state, "principal", None) is None and not token:
            raise getattr(request.state, "auth_error", None) or NotAuthenticated(
                "authentication required (bearer token, session or calendar feed token)"
            )
        return super().__call__(request)


async def _act(node: Node, fn: Callable[[Session], T]) -> T:
    def run() -> T:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)


# ---- alerts ---------------------------------------------------------------------------------


@router.post("", status_code=201)
async def create_alert(
    request: Request, body: AlertIn, principal: Principal = require(*USERS)
) -> AlertOut:
    """Enter a person alert; it is screened against at once and shared with the peers."""
    node = node_of(request)
    out = await _act(node, lambda s: register.to_out(register.create(s, node, principal, body)))
    await sharing.share(node, exchange.client_of(request.app), principal, out.id)
    return out


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
    node = node_of(request)
    out = await _act(
        node, lambda s: register.to_out(register.update(s, node, principal, alert_id, body))
    )
    await sharing.share(node, exchange.client_of(request.app), principal, out.id)
    return out


@router.post("/{alert_id}/withdraw")
async def withdraw_alert(
    request: Request, alert_id: str, principal: Principal = require("supervisor")
) -> AlertOut:
    """Withdraw an alert issued here; it leaves every watchlist at once."""
    node = node_of(request)
    out = await _act(
        node, lambda s: register.to_out(register.withdraw(s, node, principal, alert_id))
    )
    await sharing.share(node, exchange.client_of(request.app), principal, out.id)
    return out


@router.post("/{alert_id}/review")
async def review_alert(
    request: Request, alert_id: str, principal: Principal = require("supervisor")
) -> AlertOut:
    """Record a review that keeps the alert for a new review period (art. 53)."""
    node = node_of(request)
    out = await _act(node, lambda s: register.to_out(register.review(s, node, principal, alert_id)))
    await sharing.share(node, exchange.client_of(request.app), principal, out.id)
    return out


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


@checks.post("/hits", status_code=201)
async def report_hit(
    request: Request, body: HitReportIn, principal: Principal = require(*USERS)
) -> HitReportOut:
    """Record a confirmed hit with its art. 37(1) content and send it to the issuing node."""
    node = node_of(request)
    report_id = await _act(node, lambda s: hits.report(s, node, principal, body).id)
    row = await hits.send_report(node, exchange.client_of(request.app), principal, report_id)
    return hits.to_out(row, node.clock.now())


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
    await _act(node, lambda s: hits.answer(s, node, principal, report_id, body.answer))
    await hits.send_answer(node, exchange.client_of(request.app), principal, report_id)
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
    out = await _act(
        node,
        lambda s: criteria.to_out(
            criteria.publish(s, node, principal, body), criteria.current(s, node.clock.now().date())
        ),
    )
    await criteria.send(node, exchange.client_of(request.app), principal, out.version)
    return out


@catalogue.post("/{publisher}/{version}/adopt")
def adopt_catalogue(
    request: Request,
    publisher: str,
    version: int,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> CatalogueOut:
    """Apply a version received from a peer."""
    node = node_of(request)
    row = criteria.adopt(session, node, principal, publisher, version)
    return criteria.to_out(row, criteria.current(session, node.clock.now().date()))


# ---- detainees and the release calendar -----------------------------------------------------

prison = APIRouter(prefix="/api/v1/detainees", tags=["alerts"])


@prison.post("", status_code=201)
def create_detainee(
    request: Request, body: DetaineeIn, session: DbSession, principal: Principal = require(*USERS)
) -> DetaineeOut:
    node = node_of(request)
    row = detainees.create(session, node, principal, body)
    return detainees.detail(session, node, principal, row.id)


@prison.get("/{detainee_id}")
def get_detainee(
    request: Request, detainee_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> DetaineeOut:
    return detainees.detail(session, node_of(request), principal, detainee_id)


@prison.post("/{detainee_id}/assessments")
def assess_detainee(
    request: Request,
    detainee_id: str,
    body: AssessmentIn,
    session: DbSession,
    principal: Principal = require(*USERS),
) -> DetaineeOut:
    node = node_of(request)
    detainees.assess(session, node, principal, detainee_id, body)
    return detainees.detail(session, node, principal, detainee_id)


@prison.post("/{detainee_id}/releases", status_code=201)
async def add_release(
    request: Request, detainee_id: str, body: ReleaseIn, principal: Principal = require(*USERS)
) -> DetaineeOut:
    """Plan a release with its steps; peers the detainee has links with are notified."""
    node = node_of(request)
    release_id = await _act(
        node, lambda s: detainees.add_release(s, node, principal, detainee_id, body).id
    )
    await detainees.notify_release(node, exchange.client_of(request.app), principal, release_id)
    return await _act(node, lambda s: detainees.detail(s, node, principal, detainee_id))


@prison.post("/{detainee_id}/proposals", status_code=201)
def propose_alert(
    request: Request, detainee_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> ProposalOut:
    """Apply the catalogue version in force: proposed category, action and facts that fired."""
    return detainees.proposal_out(
        detainees.propose(session, node_of(request), principal, detainee_id)
    )


@prison.post("/steps/{step_id}/done")
def complete_step(
    request: Request, step_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> dict[str, str]:
    step = detainees.complete_step(session, node_of(request), principal, step_id)
    return {"id": step.id, "step": step.step, "done_by": step.done_by or ""}


calendar = APIRouter(prefix="/api/v1/release-calendar", tags=["alerts"])


@calendar.get("")
def release_calendar(
    request: Request,
    session: DbSession,
    start: date | None = None,
    end: date | None = None,
    principal: Principal = require(*USERS),
) -> list[ReleaseOut]:
    """Releases and their steps (``overdue`` when a step passed its deadline undone)."""
    return detainees.calendar(session, node_of(request), principal, start=start, end=end)


@calendar.get("/feed.ics", response_class=Response)
def release_calendar_ics(
    request: Request,
    session: DbSession,
    token: Annotated[str | None, Query(description="Calendar feed token")] = None,
    principal: Principal = Depends(CalendarFeedRequirement(USERS)),  # noqa: B008
) -> Response:
    """The release calendar as iCalendar: ``Authorization: Bearer`` or a feed token."""
    node = node_of(request)
    releases = detainees.calendar(session, node, principal)
    body = ics.calendar(releases, node=node.code, now=node.clock.now())
    return Response(body, media_type="text/calendar; charset=utf-8")


@calendar.post("/feed-token", status_code=201)
def new_feed_token(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> dict[str, str]:
    """A personal calendar feed URL (earlier ones stop working); shown once."""
    node = node_of(request)
    raw = feeds.issue(session, node, principal)
    return {
        "token": raw,
        "url": f"{node.settings.public_url}/api/v1/release-calendar/feed.ics?token={raw}",
    }


# ---- returnees ------------------------------------------------------------------------------

back = APIRouter(prefix="/api/v1/returnees", tags=["alerts"])


@back.post("", status_code=201)
def create_returnee(
    request: Request,
    body: ReturneeIn,
    session: DbSession,
    principal: Principal = require(*RETURNEES),
) -> ReturneeOut:
    """A returning fighter, or (role ``minors`` only) a returning minor."""
    return returnees.to_out(returnees.create(session, node_of(request), principal, body))


@back.get("")
def list_returnees(
    request: Request, session: DbSession, principal: Principal = require(*RETURNEES)
) -> list[ReturneeOut]:
    """Returnees; minors appear only for the role ``minors``."""
    return [returnees.to_out(r) for r in returnees.listing(session, node_of(request), principal)]


@back.get("/{returnee_id}")
def get_returnee(
    request: Request,
    returnee_id: str,
    session: DbSession,
    principal: Principal = require(*RETURNEES),
) -> ReturneeOut:
    return returnees.to_out(returnees.get(session, node_of(request), principal, returnee_id))


ROUTERS = [router, checks, catalogue, prison, calendar, back]
