"""Console pages of the alerts domain (/alerts): register, checks and hit reports, release
calendar, criteria catalogue and returnees. Thin: parse the form, call a service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.schemas import (
    AlertIn,
    DocumentIn,
    ExtensionIn,
    HitReportIn,
    PersonCheckIn,
)
from passerelle.alerts.service import (
    acts,
    criteria,
    detainees,
    exchange,
    hits,
    periods,
    register,
    returnees,
)
from passerelle.bounds import Count
from passerelle.errors import MalformedInput
from passerelle.node import db_session, node_of
from passerelle.privacy.access import require
from passerelle.privacy.accounts import Principal
from passerelle.web import listkit
from passerelle.web.console import render
from passerelle.web.i18n import N_, gettext

router = APIRouter(prefix="/alerts", include_in_schema=False)
DbSession = Annotated[Session, Depends(db_session, scope="function")]
USERS = ("analyst", "supervisor")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.get("")
def alerts_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    """The register: search ``q``, filters ``category`` and ``status``, pages."""
    query = listkit.ListQuery.of(request, "category", "status")
    status = query.get("status")
    rows = register.search(
        session,
        node_of(request),
        principal,
        text=query.q,
        category=query.get("category"),
        status=status if status in ("active", "withdrawn") else "",
        limit=2000,
    )
    return render(
        request,
        "alerts/list.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "categories": rules.CATEGORIES,
            "filters": [
                (
                    "category",
                    N_("Category"),
                    [(code, gettext(c.label)) for code, c in rules.CATEGORIES.items()],
                ),
                (
                    "status",
                    N_("Status"),
                    [("active", gettext("active")), ("withdrawn", gettext("withdrawn"))],
                ),
            ],
        },
    )


@router.get("/new")
def new_alert_page(request: Request, principal: Principal = require(*USERS)) -> Response:
    return render(
        request,
        "alerts/form.html",
        {
            "categories": rules.CATEGORIES,
            "flags": rules.WARNING_FLAGS,
            "documents": rules.DOCUMENT_CATEGORIES,
        },
    )


@router.post("")
async def create_alert(
    request: Request,
    category: Annotated[str, Form()] = "",
    family_name: Annotated[str, Form()] = "",
    given_names: Annotated[str, Form()] = "",
    date_of_birth: Annotated[str, Form()] = "",
    gender: Annotated[str, Form()] = "",
    nationalities: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    document_number: Annotated[str, Form()] = "",
    document_country: Annotated[str, Form()] = "",
    warning: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    issuing_authority: Annotated[str, Form()] = "",
    decision_reference: Annotated[str, Form()] = "",
    questions: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    try:
        data = AlertIn(
            category=category,
            family_name=family_name or None,
            given_names=given_names or None,
            date_of_birth=date_of_birth or None,
            gender=gender or None,
            nationalities=[n.strip().upper() for n in nationalities.split(",") if n.strip()],
            aliases=_lines(aliases),
            warnings=warning or [],
            reason=reason or None,
            action=action or None,
            issuing_authority=issuing_authority or None,
            decision_reference=decision_reference or None,
            questions=_lines(questions),
            documents=[DocumentIn(number=document_number, country=document_country.upper())]
            if document_number
            else [],
        )
    except ValidationError as exc:
        raise MalformedInput(f"the form is not valid: {exc.errors()[0]['msg']}") from None
    node = node_of(request)
    client = exchange.client_of(request.app)
    alert_id = await acts.alert(
        node, client, principal, lambda s: register.create(s, node, principal, data)
    )
    return RedirectResponse(f"/alerts/a/{alert_id}", status_code=303)


@router.get("/a/{alert_id}")
def alert_page(
    request: Request, alert_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    alert = register.read(session, node_of(request), principal, alert_id)
    return render(
        request,
        "alerts/detail.html",
        {"alert": alert, "categories": rules.CATEGORIES, "flags": rules.WARNING_FLAGS},
    )


@router.post("/a/{alert_id}/withdraw")
async def withdraw_alert(
    request: Request, alert_id: str, principal: Principal = require("supervisor")
) -> Response:
    node = node_of(request)
    client = exchange.client_of(request.app)
    await acts.alert(
        node, client, principal, lambda s: register.withdraw(s, node, principal, alert_id)
    )
    return RedirectResponse(f"/alerts/a/{alert_id}", status_code=303)


@router.post("/a/{alert_id}/review")
async def review_alert(
    request: Request,
    alert_id: str,
    reason: Annotated[str, Form()] = "",
    assessment: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    node = node_of(request)
    body = ExtensionIn(reason=reason, assessment=assessment)
    client = exchange.client_of(request.app)
    await acts.alert(
        node, client, principal, lambda s: periods.review(s, node, principal, alert_id, body)
    )
    return RedirectResponse(f"/alerts/a/{alert_id}", status_code=303)


@router.get("/check")
def check_page(request: Request, principal: Principal = require(*USERS)) -> Response:
    return render(request, "alerts/check.html", {"candidates": None, "person": {}})


@router.post("/check")
def run_check(
    request: Request,
    session: DbSession,
    family_name: Annotated[str, Form()],
    given_names: Annotated[str, Form()] = "",
    date_of_birth: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    data = PersonCheckIn(
        family_name=family_name,
        given_names=given_names or None,
        date_of_birth=date_of_birth or None,
    )
    found = hits.check(session, node_of(request), principal, data)
    return render(
        request,
        "alerts/check.html",
        {"candidates": found, "person": data, "fields": rules.HIT_REPORT_FIELDS},
    )


@router.post("/hits")
async def report_hit(
    request: Request,
    alert_id: Annotated[str, Form()],
    place: Annotated[str, Form()],
    checked_at: Annotated[str, Form()],
    reason_of_check: Annotated[str, Form()],
    route: Annotated[str, Form()] = "",
    destination: Annotated[str, Form()] = "",
    companions: Annotated[str, Form()] = "",
    document_user: Annotated[str, Form()] = "",
    vehicle: Annotated[str, Form()] = "",
    objects: Annotated[str, Form()] = "",
    circumstances: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    try:
        data = HitReportIn(
            alert_id=alert_id,
            source="police",
            place=place,
            checked_at=checked_at,
            reason_of_check=reason_of_check,
            route=route,
            destination=destination,
            companions=companions,
            document_user=document_user,
            vehicle=vehicle,
            objects=objects,
            circumstances=circumstances,
        )
    except ValidationError as exc:
        raise MalformedInput(f"the form is not valid: {exc.errors()[0]['msg']}") from None
    await acts.report_hit(node_of(request), exchange.client_of(request.app), principal, data)
    return RedirectResponse("/alerts/hits", status_code=303)


@router.post("/hits/{report_id}/answer")
async def answer_hit(
    request: Request,
    report_id: str,
    answer: Annotated[str, Form()],
    principal: Principal = require(*USERS),
) -> Response:
    client = exchange.client_of(request.app)
    await acts.answer_hit(node_of(request), client, principal, report_id, answer)
    return RedirectResponse("/alerts/hits", status_code=303)


@router.post("/steps/{step_id}/done")
def step_done(
    request: Request, step_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    detainees.complete_step(session, node_of(request), principal, step_id)
    return RedirectResponse("/alerts/calendar", status_code=303)


@router.get("/criteria")
def criteria_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    applied = criteria.ensure_default(session, node_of(request))
    versions = criteria.versions(session)
    diffs = {
        v.id: criteria.diff(applied.criteria, v.criteria) for v in versions if v.id != applied.id
    }
    return render(
        request, "alerts/criteria.html", {"versions": versions, "applied": applied, "diffs": diffs}
    )


@router.post("/criteria/{publisher}/{version}/adopt")
def adopt(
    request: Request,
    publisher: str,
    version: Count,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> Response:
    criteria.adopt(session, node_of(request), principal, publisher, version)
    return RedirectResponse("/alerts/criteria", status_code=303)


@router.get("/returnees")
def returnees_page(
    request: Request,
    session: DbSession,
    principal: Principal = require("analyst", "supervisor", "minors"),
) -> Response:
    rows = returnees.listing(session, node_of(request), principal)
    return render(
        request, "alerts/returnees.html", {"returnees": rows, "kinds": rules.RETURNEE_KINDS}
    )
