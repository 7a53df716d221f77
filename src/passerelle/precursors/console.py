"""Console pages of the precursors domain (/precursors) for the national contact point:
transactions and reports with search and CSV export, their detail pages, acknowledgement of a
report, patterns, watched persons (form with inline errors) and art. 19 statistics. Thin:
parse the form, call a service, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from passerelle.kit import flash, labels, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.precursors import rules
from passerelle.precursors.schemas import FoundCount, WatchedIn, Year
from passerelle.precursors.service import check, detection, registers, reports
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/precursors", include_in_schema=False)
STAFF = ("analyst", "supervisor")
#: Words the templates translate from data (menu label, decisions, kinds, states).
LABELS = (
    N_("Precursors"),
    N_("allowed"),
    N_("licence_required"),
    N_("refused"),
    N_("report"),
    N_("suspicious"),
    N_("disappearance"),
    N_("theft"),
    N_("combination"),
    N_("split"),
    N_("shared_address"),
    N_("online"),
    N_("offline"),
)


labels.register(
    "precursors.statistic",
    {
        "reports_suspicious": N_("Reports: suspicious transactions"),
        "reports_disappearance": N_("Reports: significant disappearances"),
        "reports_theft": N_("Reports: thefts"),
        "checks_allowed": N_("Checks: sale allowed"),
        "checks_licence_required": N_("Checks: licence required"),
        "checks_refused": N_("Checks: sale refused"),
        "checks_report": N_("Checks: to be reported"),
    },
)


TRANSACTION_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda t: t.reference),
    listkit.Column("occurred_at", lambda t: t.occurred_at.isoformat()),
    listkit.Column("seller", lambda t: t.seller),
    listkit.Column("channel", lambda t: t.channel),
    listkit.Column("customer", lambda t: f"{t.family_name}, {t.given_names}"),
    listkit.Column("product", lambda t: t.product),
    listkit.Column("cas", lambda t: t.cas),
    listkit.Column("concentration", lambda t: t.concentration, numeric=True),
    listkit.Column("quantity_kg", lambda t: t.quantity_kg, numeric=True),
    listkit.Column("decision", lambda t: t.decision),
)
REPORT_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda r: r.reference),
    listkit.Column("kind", lambda r: r.kind),
    listkit.Column("channel", lambda r: r.channel),
    listkit.Column("seller", lambda r: r.seller),
    listkit.Column("occurred_at", lambda r: r.occurred_at.isoformat()),
    listkit.Column("filed_at", lambda r: r.filed_at.isoformat()),
    listkit.Column("due_at", lambda r: r.due_at.isoformat()),
    listkit.Column(
        "acknowledged_at", lambda r: r.acknowledged_at.isoformat() if r.acknowledged_at else ""
    ),
    listkit.Column("summary", lambda r: r.summary),
)
#: A search reads at most this many rows; the pages and the export cut from them.
SEARCH_LIMIT = 5000


def _transactions(request: Request, session: Session, principal: Principal) -> Response:
    query = listkit.ListQuery.of(request, "decision")
    rows = check.search(
        session,
        node_of(request),
        principal,
        text=query.q,
        decision=query.get("decision"),
        limit=SEARCH_LIMIT,
    )
    if query.wants_csv or request.url.path.endswith(".csv"):
        return listkit.csv_response("precursors-transactions.csv", TRANSACTION_CSV, rows)
    return render(
        request,
        "precursors/transactions.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("decision", N_("Decision"), [(d, gettext(d)) for d in rules.DECISIONS])],
        },
    )


@router.get("")
def transactions_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    return _transactions(request, session, principal)


@router.get("/transactions.csv")
def transactions_export(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    """The list's export under its former address (same as ``/precursors?format=csv``)."""
    return _transactions(request, session, principal)


@router.get("/t/{reference}")
def transaction_page(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    t = check.get_transaction(session, node_of(request), principal, reference)
    return render(
        request,
        "precursors/transaction.html",
        {"t": t, "substance": rules.SUBSTANCES.get(t.cas), "indicators": rules.INDICATORS},
    )


def _reports(request: Request, session: Session, principal: Principal) -> Response:
    node = node_of(request)
    query = listkit.ListQuery.of(request, "status")
    rows = reports.search(
        session, node, principal, text=query.q, status=query.get("status"), limit=SEARCH_LIMIT
    )
    if query.wants_csv or request.url.path.endswith(".csv"):
        return listkit.csv_response("precursors-reports.csv", REPORT_CSV, rows)
    return render(
        request,
        "precursors/reports.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "now": node.clock.now(),
            "filters": [
                (
                    "status",
                    N_("Status"),
                    [("open", gettext("Open")), ("acknowledged", gettext("Taken in charge"))],
                )
            ],
        },
    )


@router.get("/reports")
def reports_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    return _reports(request, session, principal)


@router.get("/reports.csv")
def reports_export(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    """The list's export under its former address (same as ``/precursors/reports?format=csv``)."""
    return _reports(request, session, principal)


@router.get("/reports/{reference}")
def report_page(
    request: Request,
    reference: str,
    session: DbSession,
    done: str = "",
    principal: Principal = require(*STAFF),
) -> Response:
    node = node_of(request)
    r = reports.get(session, node, principal, reference)
    return render(
        request,
        "precursors/report.html",
        {
            "r": reports.to_out(session, r),
            "now": node.clock.now(),
            "done": done,
            "indicators": rules.INDICATORS,
        },
    )


@router.post("/reports/{reference}/acknowledge")
def acknowledge(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    reports.acknowledge(session, node_of(request), principal, reference)
    return flash.redirect(f"/precursors/reports/{reference}?done=ack", "Report acknowledged.")


@router.get("/patterns")
def patterns_page(
    request: Request,
    session: DbSession,
    found: FoundCount = -1,
    principal: Principal = require(*STAFF),
) -> Response:
    lq = listkit.ListQuery.of(request, "kind")
    rows = [
        p
        for p in detection.search(session, node_of(request), principal, kind=lq.get("kind"))
        if listkit.text_matches(lq.q, p.summary, " ".join(p.countries))
    ]
    kinds = [(k, gettext(k)) for k in rules.PATTERN_KINDS]
    return render(
        request,
        "precursors/patterns.html",
        {
            "page": listkit.paginate(rows, lq),
            "query": lq,
            "filters": [("kind", N_("Kind"), kinds)],
            "found": found,
        },
    )


@router.post("/patterns/run")
def patterns_run(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    node = node_of(request)
    now = node.clock.now()
    new = detection.run(session, node, principal, since=now - timedelta(days=7), until=now)
    return RedirectResponse(f"/precursors/patterns?found={len(new)}", status_code=303)


@router.get("/patterns/{pattern_id}")
def pattern_page(
    request: Request, pattern_id: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    p = detection.get(session, node_of(request), principal, pattern_id)
    return render(request, "precursors/pattern.html", {"p": p})


@router.get("/watched")
def watched_form(request: Request, principal: Principal = require("supervisor")) -> Response:
    return render(request, "precursors/watch.html", {"v": {}, "errors": {}, "added": ""})


@router.post("/watched")
def watched_add(
    request: Request,
    session: DbSession,
    family_name: Annotated[str, Form()] = "",
    given_names: Annotated[str, Form()] = "",
    date_of_birth: Annotated[str, Form()] = "",
    document_number: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    values = {
        "family_name": family_name,
        "given_names": given_names,
        "date_of_birth": date_of_birth,
        "document_number": document_number,
        "reason": reason,
    }
    try:
        data = WatchedIn(**values)
    except ValidationError as exc:
        errors = {str(e["loc"][-1]): str(e["msg"]) for e in exc.errors()}
        return render(
            request,
            "precursors/watch.html",
            {"v": values, "errors": errors, "added": ""},
            status=422,
        )
    node = node_of(request)
    row = registers.add_watched(session, node, principal, data)
    node.audit(
        session,
        principal.actor,
        action="write",
        object_type="precursors.watched",
        object_id=row.id,
        purpose="precursors watch list",
        legal_basis=rules.REPORT_SOURCE,
    )
    return render(request, "precursors/watch.html", {"v": {}, "errors": {}, "added": row.id})


@router.get("/statistics")
def statistics_page(
    request: Request, session: DbSession, year: Year = 0, principal: Principal = require(*STAFF)
) -> Response:
    year = year or node_of(request).clock.now().year
    return render(
        request,
        "precursors/statistics.html",
        {"year": year, "stats": reports.statistics(session, year)},
    )
