"""Console pages of the precursors domain (/precursors) for the national contact point:
transactions and reports with search and CSV export, their detail pages, acknowledgement of a
report, patterns, watched persons (form with inline errors) and art. 19 statistics. Thin:
parse the form, call a service, render."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from passerelle.csvsafe import SafeWriter
from passerelle.kit import flash
from passerelle.kit.i18n import N_
from passerelle.kit.web import DbSession, node_of, render
from passerelle.precursors import rules
from passerelle.precursors.schemas import FoundCount, WatchedIn, Year
from passerelle.precursors.service import check, detection, registers, reports
from passerelle.privacy.access import require
from passerelle.privacy.accounts import Principal

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


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    out = io.StringIO()
    # csvsafe neutralises cells a spreadsheet would run (= + - @, tab, CR…).
    SafeWriter(out, header).writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("")
def transactions_page(
    request: Request,
    session: DbSession,
    q: str = "",
    decision: str = "",
    principal: Principal = require(*STAFF),
) -> Response:
    rows = check.search(session, node_of(request), principal, text=q, decision=decision)
    return render(
        request,
        "precursors/transactions.html",
        {"rows": rows, "q": q, "decision": decision, "decisions": rules.DECISIONS},
    )


@router.get("/transactions.csv")
def transactions_export(
    request: Request,
    session: DbSession,
    q: str = "",
    decision: str = "",
    principal: Principal = require(*STAFF),
) -> Response:
    rows = check.search(session, node_of(request), principal, text=q, decision=decision)
    return _csv(
        "precursors-transactions.csv",
        [
            "reference",
            "occurred_at",
            "seller",
            "channel",
            "customer",
            "product",
            "cas",
            "concentration",
            "quantity_kg",
            "decision",
        ],
        (
            [
                t.reference,
                t.occurred_at.isoformat(),
                t.seller,
                t.channel,
                f"{t.family_name}, {t.given_names}",
                t.product,
                t.cas,
                t.concentration,
                t.quantity_kg,
                t.decision,
            ]
            for t in rows
        ),
    )


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


@router.get("/reports")
def reports_page(
    request: Request,
    session: DbSession,
    q: str = "",
    status: str = "",
    principal: Principal = require(*STAFF),
) -> Response:
    node = node_of(request)
    rows = reports.search(session, node, principal, text=q, status=status)
    return render(
        request,
        "precursors/reports.html",
        {"rows": rows, "q": q, "status": status, "now": node.clock.now()},
    )


@router.get("/reports.csv")
def reports_export(
    request: Request,
    session: DbSession,
    q: str = "",
    status: str = "",
    principal: Principal = require(*STAFF),
) -> Response:
    rows = reports.search(session, node_of(request), principal, text=q, status=status)
    return _csv(
        "precursors-reports.csv",
        [
            "reference",
            "kind",
            "channel",
            "seller",
            "occurred_at",
            "filed_at",
            "due_at",
            "acknowledged_at",
            "summary",
        ],
        (
            [
                r.reference,
                r.kind,
                r.channel,
                r.seller,
                r.occurred_at.isoformat(),
                r.filed_at.isoformat(),
                r.due_at.isoformat(),
                r.acknowledged_at.isoformat() if r.acknowledged_at else "",
                r.summary,
            ]
            for r in rows
        ),
    )


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
    kind: str = "",
    found: FoundCount = -1,
    principal: Principal = require(*STAFF),
) -> Response:
    rows = detection.search(session, node_of(request), principal, kind=kind)
    return render(
        request,
        "precursors/patterns.html",
        {"rows": rows, "kind": kind, "kinds": rules.PATTERN_KINDS, "found": found},
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
