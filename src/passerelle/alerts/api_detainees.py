"""REST API of the detainee follow-up, the release calendar (with its iCalendar feed) and
returnees: /api/v1/detainees, /api/v1/release-calendar, /api/v1/returnees."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from passerelle.alerts.schemas import (
    AssessmentIn,
    DetaineeIn,
    DetaineeOut,
    ProposalOut,
    ReleaseIn,
    ReleaseOut,
    ReturneeIn,
    ReturneeOut,
)
from passerelle.alerts.service import acts, detainees, exchange, feeds, ics, returnees
from passerelle.alerts.service.exchange import run_in_session as _act
from passerelle.errors import NotAuthenticated
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import Principal, RoleRequirement, require

USERS = ("analyst", "supervisor")
RETURNEES = ("analyst", "supervisor", "minors")


class CalendarFeedRequirement(RoleRequirement):
    """The session or bearer token as usual; otherwise a calendar feed token in ``?token=``."""

    def __call__(self, request: Request) -> Principal:
        token = request.query_params.get("token")
        if getattr(request.state, "principal", None) is None and token:
            node = node_of(request)
            with node.session() as session:
                request.state.principal = feeds.principal_for(session, token, now=node.clock.now())
        if getattr(request.state, "principal", None) is None and not token:
            raise getattr(request.state, "auth_error", None) or NotAuthenticated(
                "authentication required (bearer token, session or calendar feed token)"
            )
        return super().__call__(request)


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
    await acts.plan_release(
        node,
        exchange.client_of(request.app),
        principal,
        lambda s: detainees.add_release(s, node, principal, detainee_id, body),
    )
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
