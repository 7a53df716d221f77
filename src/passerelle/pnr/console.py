"""Console pages of the passenger-data domain under /pnr. Thin: parse the form, call the
service, render a template."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from passerelle.bounds import RowId
from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import client_of
from passerelle.kit import confirm, flash, labels, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.pnr import places, rules
from passerelle.pnr.service import criteria, exchange, grounds, masking, review, scope, views
from passerelle.privacy import Principal, audit, require

router = APIRouter(prefix="/pnr", include_in_schema=False)
PIU = ("analyst", "supervisor")
OVERSIGHT = ("analyst", "supervisor", "dpo")


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed(f"not a date: {text!r} (YYYY-MM-DD)") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


labels.register("pnr.hit_kind", {"watchlist": N_("watchlist"), "criterion": N_("risk criterion")})
labels.register(
    "pnr.hit_status",
    {"pending": N_("to review"), "confirmed": N_("confirmed"), "dismissed": N_("dismissed")},
)
labels.register(
    "pnr.retention_policy",
    {"cjeu": N_("CJEU C-817/19: six months, then kept only with a ground for it")},
)
labels.register("pnr.mode", {"air": N_("air"), "rail": N_("rail")})
labels.register(
    "pnr.ground",
    {
        "confirmed_hit": N_("Confirmed hit"),
        "judicial_case": N_("Case with a judicial reference"),
        "investigation": N_("Ongoing investigation (approved by another agency)"),
    },
)
labels.register("audit.object", {"pnr_booking": N_("Passenger booking")})


@router.get("")
def journeys_page(
    request: Request, session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> Response:
    return render(
        request,
        "pnr/journeys.html",
        {
            "journeys": views.journeys(session),
            "stats": views.statistics(session),
            "place": places.name_of,
        },
    )


@router.get("/journeys/{key}")
def journey_page(
    request: Request, key: str, session: DbSession, principal: Principal = require(*PIU)
) -> Response:
    bookings = views.journey_bookings(session, key)
    if not bookings:
        raise NotFound(f"no journey {key[:60]!r}")
    return render(
        request,
        "pnr/journey.html",
        {
            "key": key,
            "first": bookings[0],
            "bookings": bookings,
            "hits": views.journey_hits(session, [b.id for b in bookings]),
            "place": places.name_of,
        },
    )


@router.get("/bookings/{booking_id}")
def booking_page(
    request: Request,
    booking_id: RowId,
    session: DbSession,
    unmask: RowId | None = None,
    principal: Principal = require(*PIU),
) -> Response:
    node = node_of(request)
    if unmask is not None:
        data = masking.unmasked_view(session, node, principal, unmask)
    else:
        data = masking.booking_view(session, node, principal, booking_id)
    row = masking.get_booking(session, booking_id)
    return render(
        request,
        "pnr/booking.html",
        {
            "booking": row,
            "data": data,
            "unmasked": unmask is not None,
            "history": [(v, json.loads(v.changed)) for v in views.history(session, booking_id)],
            "requests": [r for r in masking.requests(session) if r.booking_id == booking_id],
        },
    )


@router.post("/bookings/{booking_id}/case")
def booking_case(
    request: Request,
    booking_id: RowId,
    session: DbSession,
    case_ref: Annotated[str, Form()],
    ground: Annotated[str, Form()] = "",
    review_on: Annotated[str, Form()] = "",
    hit_id: Annotated[str, Form()] = "",
    judicial_reference: Annotated[str, Form()] = "",
    investigation_number: Annotated[str, Form()] = "",
    approver: Annotated[str, Form()] = "",
    approver_agency: Annotated[str, Form()] = "",
    principal: Principal = require(*PIU),
) -> Response:
    try:
        review = date.fromisoformat(review_on) if review_on else None
    except ValueError:
        raise ValidationFailed("the review date is YYYY-MM-DD", field="review_on") from None
    grounds.link_case(
        session, node_of(request), principal, booking_id, case_ref,
        ground=ground, review_on=review, hit_id=int(hit_id) if hit_id.isdigit() else None,
        judicial_reference=judicial_reference, investigation_number=investigation_number,
        approver=approver, approver_agency=approver_agency,
    )  # fmt: skip
    return flash.redirect(f"/pnr/bookings/{booking_id}", "Booking linked to the case.")


@router.post("/bookings/{booking_id}/repersonalisation")
def booking_repersonalisation(
    request: Request,
    booking_id: RowId,
    session: DbSession,
    case_ref: Annotated[str, Form()],
    grounds: Annotated[str, Form()],
    principal: Principal = require(*PIU),
) -> Response:
    masking.request_repersonalisation(
        session, node_of(request), principal, booking_id, grounds=grounds, case_ref=case_ref
    )
    return flash.redirect(
        f"/pnr/bookings/{booking_id}", "Re-personalisation request sent to the judicial authority."
    )


#: The review queue's export: the matches and decisions, without the passengers' names.
HIT_CSV: tuple[listkit.Column[review.HitView], ...] = (
    listkit.Column("hit", lambda h: h.id, numeric=True),
    listkit.Column("status", lambda h: h.status),
    listkit.Column("record_locator", lambda h: h.record_locator),
    listkit.Column("mode", lambda h: h.mode),
    listkit.Column("carrier", lambda h: h.carrier),
    listkit.Column("service", lambda h: h.service_number),
    listkit.Column("origin", lambda h: places.name_of(h.origin)),
    listkit.Column("destination", lambda h: places.name_of(h.destination)),
    listkit.Column("departure", lambda h: h.departure),
    listkit.Column("kind", lambda h: h.kind),
    listkit.Column("source", lambda h: h.source),
    listkit.Column("score", lambda h: h.score, numeric=True),
    listkit.Column("reviewer", lambda h: h.reviewer or ""),
    listkit.Column("reason", lambda h: h.reason or ""),
)


@router.get("/review")
def review_page(
    request: Request,
    session: DbSession,
    principal: Principal = require(*PIU),
) -> Response:
    # No ``status`` at all: the hits to review; ``status=`` (the filter's "All"): every hit.
    status = request.query_params.get("status", "pending")[:20]
    lq = listkit.ListQuery.of(request, "status")
    lq = replace(lq, filters={"status": status})
    node = node_of(request)
    statuses = [status] if status else list(labels.labels_of("pnr.hit_status"))
    hits = [
        h
        for s in statuses
        for h in review.queue(session, node, principal, status=s)
        if listkit.text_matches(
            lq.q,
            h.passenger_name,
            h.record_locator,
            h.source,
            h.carrier,
            h.service_number,
            places.name_of(h.origin),
            places.name_of(h.destination),
        )
    ]
    if lq.wants_csv:
        return listkit.csv_response("pnr-hits.csv", HIT_CSV, hits)
    filters = [("status", N_("Status"), labels.options("pnr.hit_status"))]
    context = {
        "page": listkit.paginate(hits, lq),
        "query": lq,
        "filters": filters,
        "status": status,
        "place": places.name_of,
    }
    return render(request, "pnr/review.html", context)


@router.post("/review/{hit_id}")
async def review_decide(
    request: Request,
    hit_id: RowId,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    principal: Principal = require(*PIU),
) -> Response:
    await exchange.decide(
        node_of(request),
        client_of(request.app),
        principal,
        hit_id,
        confirm=decision == "confirm",
        reason=reason,
    )
    done = "Hit confirmed." if decision == "confirm" else "Hit dismissed."
    return flash.redirect("/pnr/review", done)


@router.get("/criteria")
def criteria_page(
    request: Request, session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> Response:
    return render(
        request,
        "pnr/criteria.html",
        {
            "criteria": criteria.listing(session),
            "attributes": rules.CRITERIA_ATTRIBUTES,
            "forbidden": rules.FORBIDDEN_ATTRIBUTES,
            "now": node_of(request).clock.now(),
        },
    )


@router.post("/criteria")
def criteria_save(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form()],
    title: Annotated[str, Form()],
    expression: Annotated[str, Form()],
    justification: Annotated[str, Form()],
    review_by: Annotated[str, Form()],
    active: Annotated[bool, Form()] = False,
    principal: Principal = require("supervisor"),
) -> Response:
    criteria.save_audited(
        session, node_of(request), principal, code=code, title=title, expression=expression,
        justification=justification, review_by=_date(review_by), active=active,
    )  # fmt: skip
    return flash.redirect("/pnr/criteria", "Criterion saved.")


@router.get("/scope")
def scope_page(
    request: Request, session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> Response:
    rows: list[dict[str, Any]] = []
    now = node_of(request).clock.now()
    for row in scope.decisions(session):
        rows.append(
            {
                "row": row,
                "targets": json.loads(row.targets),
                "active": row.starts_at <= now < row.ends_at,
                "days_left": max((row.ends_at - now).days, 0),
            }
        )
    return render(request, "pnr/scope.html", {"decisions": rows})


@router.post("/scope")
def scope_save(
    request: Request,
    session: DbSession,
    kind: Annotated[str, Form()],
    justification: Annotated[str, Form()],
    authority: Annotated[str, Form()],
    starts_at: Annotated[str, Form()],
    ends_at: Annotated[str, Form()],
    targets: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    node = node_of(request)
    row = scope.decide_scope(
        session, kind=kind, targets=targets.replace(",", " ").split(),
        justification=justification, authority=authority, starts_at=_date(starts_at),
        ends_at=_date(ends_at), author=principal.name, now=node.clock.now(),
    )  # fmt: skip
    node.audit(
        session,
        audit.Actor(principal.name, principal.agency),
        action="write",
        object_type="pnr.scope",
        object_id=str(row.id),
        purpose="scope of intra-EU rail data collection",
        legal_basis=rules.BASIS_SCOPE,
        details={"kind": row.kind, "authority": row.authority},
    )
    return flash.redirect("/pnr/scope", "Rail scope decision recorded.")


@router.get("/repersonalisations")
def repersonalisations_page(
    request: Request,
    session: DbSession,
    principal: Principal = require("judicial", "analyst", "supervisor", "dpo"),
) -> Response:
    return render(request, "pnr/repersonalisations.html", {"requests": masking.requests(session)})


@router.post("/repersonalisations/{request_id}")
def repersonalisation_decide(
    request: Request,
    request_id: RowId,
    session: DbSession,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    basis: Annotated[str, Form()] = "judicial",
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("judicial"),
) -> Response:
    approve = decision == "approve"
    asked = confirm.step(
        request,
        title=gettext("Approve the re-personalisation?")
        if approve
        else gettext("Refuse the re-personalisation?"),
        consequence=gettext(
            "The requesting unit will see this booking's unmasked passenger data; "
            "your decision and reason are recorded."
        )
        if approve
        else gettext("The data stay masked; your decision and reason are recorded."),
        button=gettext("Approve") if approve else gettext("Refuse"),
        cancel="/pnr/repersonalisations",
        confirmed=confirmed,
        reason=reason,
        reason_required=True,
    )
    if asked is not None:
        return asked
    masking.decide_repersonalisation(
        session, node_of(request), principal, request_id,
        approve=approve, reason=reason, basis=basis,
    )  # fmt: skip
    done = "Re-personalisation approved." if approve else "Re-personalisation refused."
    return flash.redirect("/pnr/repersonalisations", done)


@router.get("/quarantine")
def quarantine_page(
    request: Request, session: DbSession, principal: Principal = require("analyst", "dpo")
) -> Response:
    items = views.quarantine(session, node_of(request), principal)
    return render(request, "pnr/quarantine.html", {"items": items})


@router.get("/results")
def results_page(
    request: Request, session: DbSession, principal: Principal = require(*PIU)
) -> Response:
    return render(request, "pnr/results.html", {"results": exchange.received_results(session)})
