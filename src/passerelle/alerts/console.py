"""Console pages of the alerts domain (/alerts): register, checks and hit reports, release
calendar, criteria catalogue and returnees. Thin: parse the form, call a service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert
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
from passerelle.kit import confirm, flash, forms, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/alerts", include_in_schema=False)
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
    # A schema refusal becomes the form shown again, each problem next to its field.
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
    node = node_of(request)
    client = exchange.client_of(request.app)
    created: list[str] = []

    def act(s: Session) -> Alert:
        row = register.create(s, node, principal, data)
        created.append(row.reference)
        return row

    alert_id = await acts.alert(node, client, principal, act)
    return flash.redirect(f"/alerts/a/{alert_id}", "Alert %(alert)s created.", alert=created[0])


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
    request: Request,
    alert_id: str,
    reason: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    asked = confirm.step(
        request,
        title=gettext("Withdraw this alert?"),
        consequence=gettext(
            "The alert leaves the watchlist at once and the partner countries are told to "
            "withdraw it too. It cannot be made active again."
        ),
        button=gettext("Withdraw the alert"),
        cancel=f"/alerts/a/{alert_id}",
        confirmed=confirmed,
        reason=reason,
        reason_required=True,
    )
    if asked is not None:
        return asked
    node = node_of(request)
    client = exchange.client_of(request.app)
    withdrawn: list[str] = []

    def act(s: Session) -> Alert:
        row = register.withdraw(s, node, principal, alert_id, reason=reason)
        withdrawn.append(row.reference)
        return row

    await acts.alert(node, client, principal, act)
    return flash.redirect(f"/alerts/a/{alert_id}", "Alert %(alert)s withdrawn.", alert=withdrawn[0])


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
    return flash.redirect(f"/alerts/a/{alert_id}", "Review of the alert recorded.")


@router.get("/check")
def check_page(request: Request, principal: Principal = require(*USERS)) -> Response:
    return render(request, "alerts/check.html", {"candidates": None, "person": {}})


@forms.form_page("/alerts/check")
def _check_again(request: Request, problems: list[forms.FieldProblem]) -> Response:
    """The check form with its problems next to the fields and the input kept."""
    person = dict(forms.kept_items(request))
    context = {"candidates": None, "person": person, "problems": problems}
    return render(request, "alerts/check.html", context, 422)


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


@forms.form_page("/alerts/hits")
def _report_again(request: Request, problems: list[forms.FieldProblem]) -> Response:
    """A refused hit report: the check it came from is shown again (and audited as such), the
    report's input kept and its problems marked in that candidate's form."""
    kept = dict(forms.kept_items(request))
    principal: Principal = request.state.principal
    node = node_of(request)
    try:
        data = PersonCheckIn(
            family_name=kept.get("family_name", ""),
            given_names=kept.get("given_names") or None,
            date_of_birth=kept.get("date_of_birth") or None,
        )
    except ValueError:  # no check to show again: the generic page keeps the input
        return render(request, "alerts/check.html", {"candidates": None, "person": {}}, 422)
    with node.session() as session:
        found = hits.check(session, node, principal, data)
        context = {"candidates": found, "person": data, "fields": rules.HIT_REPORT_FIELDS}
        return render(request, "alerts/check.html", context, 422)


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
    # A schema refusal becomes the form shown again, each problem next to its field.
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
    await acts.report_hit(node_of(request), exchange.client_of(request.app), principal, data)
    return flash.redirect("/alerts/hits", "Hit report sent to the issuing country.")


@router.post("/hits/{report_id}/answer")
async def answer_hit(
    request: Request,
    report_id: str,
    answer: Annotated[str, Form()],
    principal: Principal = require(*USERS),
) -> Response:
    client = exchange.client_of(request.app)
    await acts.answer_hit(node_of(request), client, principal, report_id, answer)
    return flash.redirect("/alerts/hits", "Answer sent.")


@router.post("/steps/{step_id}/done")
def step_done(
    request: Request,
    step_id: str,
    session: DbSession,
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    asked = confirm.step(
        request,
        title=gettext("Mark this follow-up step done?"),
        consequence=gettext(
            "The step leaves the release calendar and is recorded as done by you; "
            "it cannot be reopened."
        ),
        button=gettext("Mark done"),
        cancel="/alerts/calendar",
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    detainees.complete_step(session, node_of(request), principal, step_id)
    return flash.redirect("/alerts/calendar", "Follow-up step marked done.")


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
    return flash.redirect("/alerts/criteria", "Criteria catalogue version adopted.")


@router.get("/returnees")
def returnees_page(
    request: Request,
    session: DbSession,
    principal: Principal = require("analyst", "supervisor", "minors"),
) -> Response:
    lq = listkit.ListQuery.of(request, "kind")
    rows = [
        r
        for r in returnees.listing(session, node_of(request), principal)
        if lq.get("kind") in ("", r.kind)
        and listkit.text_matches(lq.q, r.family_name, r.given_names, r.returned_from, r.status)
    ]
    kinds = [(k, gettext(v)) for k, v in rules.RETURNEE_KINDS.items()]
    context = {
        "page": listkit.paginate(rows, lq),
        "query": lq,
        "filters": [("kind", N_("Kind"), kinds)],
        "kinds": rules.RETURNEE_KINDS,
    }
    return render(request, "alerts/returnees.html", context)
