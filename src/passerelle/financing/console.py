"""Console pages of the financing domain (/financing), FIU role only: reports with search,
pagination and CSV export, a report's parties and transactions, money-flow findings with
their explanation and subgraph, and the analyst's confirm or dismiss. Thin: call a service,
render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from passerelle.financing import rules
from passerelle.financing.schemas import ReportIn
from passerelle.financing.service import analysis, reports, svg
from passerelle.kit import labels, listkit
from passerelle.kit.i18n import N_
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/financing", include_in_schema=False)
FIU = ("fiu",)
SEARCH_LIMIT = 5000

labels.register(
    "financing.rule",
    {
        "fan_in": N_("Fan-in"),
        "fan_out": N_("Fan-out"),
        "round_trip": N_("Round trip"),
        "quick_chain": N_("Chain of quick transfers"),
        "structuring": N_("Splitting under the threshold"),
        "shared_address": N_("Many accounts, one address or device"),
        "listed_person": N_("Link to a listed person"),
        "art_dealer": N_("Link to a cultural-goods dealer"),
    },
)
labels.register(
    "financing.status",
    {"open": N_("open"), "confirmed": N_("confirmed"), "dismissed": N_("dismissed")},
)
labels.register(
    "financing.party",
    {"person": N_("person"), "company": N_("company"), "account": N_("account"),
     "crypto": N_("crypto-asset address")},
)  # fmt: skip
NAV_LABEL = N_("Financing")

REPORT_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda r: r.reference),
    listkit.Column("reporting_entity", lambda r: r.reporting_entity),
    listkit.Column("submitted_on", lambda r: r.submitted_on),
    listkit.Column("source", lambda r: r.source),
)


@router.get("")
def reports_page(
    request: Request, session: DbSession, principal: Principal = require(*FIU)
) -> Response:
    query = listkit.ListQuery.of(request)
    rows = [
        r
        for r in reports.list_reports(session, node_of(request), principal, limit=SEARCH_LIMIT)
        if listkit.text_matches(query.q, r.reference, r.reporting_entity, r.reason)
    ]
    if query.wants_csv:
        return listkit.csv_response("financing-reports.csv", REPORT_CSV, rows)
    return render(
        request,
        "financing/reports.html",
        {"page": listkit.paginate(rows, query), "query": query, "filters": []},
    )


@router.get("/reports/{report_id}")
def report_page(
    request: Request, report_id: str, session: DbSession, principal: Principal = require(*FIU)
) -> Response:
    r = reports.get_report(session, node_of(request), principal, report_id)
    return render(request, "financing/report.html", {"r": r})


@router.get("/findings")
def findings_page(
    request: Request, session: DbSession, principal: Principal = require(*FIU)
) -> Response:
    query = listkit.ListQuery.of(request, "status")
    rows = analysis.list_findings(
        session, node_of(request), principal, status=query.get("status"), limit=SEARCH_LIMIT
    )
    rows = [f for f in rows if listkit.text_matches(query.q, f.explanation)]
    statuses = [
        (s, labels.label("financing.status", s)) for s in ("open", "confirmed", "dismissed")
    ]
    return render(
        request,
        "financing/findings.html",
        {"page": listkit.paginate(rows, query), "query": query,
         "filters": [("status", N_("Status"), statuses)]},
    )  # fmt: skip


@router.post("/analyse")
def analyse(request: Request, session: DbSession, principal: Principal = require(*FIU)) -> Response:
    new = analysis.analyse(session, node_of(request), principal)
    return RedirectResponse(f"/financing/findings?found={len(new)}", status_code=303)


@router.get("/findings/{finding_id}")
def finding_page(
    request: Request, finding_id: str, session: DbSession, principal: Principal = require(*FIU)
) -> Response:
    f = analysis.get_finding(session, node_of(request), principal, finding_id)
    accounts = tuple(f.signature.partition(":")[2].split("|"))
    drawing = Markup(svg.draw(f.edges, accounts))  # noqa: S704 (svg.draw escapes every label)
    return render(
        request,
        "financing/finding.html",
        {"f": f, "rule": rules.FLOW_RULES[f.rule], "drawing": drawing},
    )


@router.post("/findings/{finding_id}/decision")
def decide(
    request: Request,
    finding_id: str,
    session: DbSession,
    decision: Annotated[str, Form()],
    principal: Principal = require(*FIU),
) -> Response:
    analysis.decide(session, node_of(request), principal, finding_id, decision)
    # The page shows the decision and who took it: no flash message needed.
    return RedirectResponse(f"/financing/findings/{finding_id}", status_code=303)


#: Fields of the entry form: (name, label msgid).
ENTRY_FIELDS = (
    ("reference", N_("Reference")),
    ("reporting_entity", N_("Reporting entity")),
    ("submitted_on", N_("Submitted (YYYY-MM-DD)")),
    ("reason", N_("Reason")),
    ("family_name", N_("Family name")),
    ("given_names", N_("Given names")),
    ("date_of_birth", N_("Date of birth (YYYY-MM-DD)")),
    ("occurred_at", N_("Transaction date (YYYY-MM-DDTHH:MM)")),
    ("amount", N_("Amount")),
    ("currency", N_("Currency")),
    ("from_account", N_("From account")),
    ("to_account", N_("To account")),
)


def _entry(values: dict[str, str]) -> dict[str, Any]:
    """The form's flat fields as a report: one person, one transaction."""
    parties: list[dict[str, str]] = []
    if values["family_name"]:
        parties.append({"kind": "person", "name": values["family_name"],
                        "given_names": values["given_names"],
                        "date_of_birth": values["date_of_birth"],
                        "account": values["from_account"]})  # fmt: skip
    transfers = []
    if values["amount"] or values["from_account"] or values["to_account"]:
        number = f"{values['reference']}-1"
        transfers.append({"number": number, "occurred_at": values["occurred_at"],
                          "amount": values["amount"], "currency": values["currency"],
                          "from_account": values["from_account"],
                          "to_account": values["to_account"]})  # fmt: skip
    return {"reference": values["reference"], "reporting_entity": values["reporting_entity"],
            "submitted_on": values["submitted_on"], "reason": values["reason"],
            "parties": parties, "transfers": transfers}  # fmt: skip


def _field_of(loc: tuple[Any, ...]) -> str:
    names = {"name": "family_name", "number": "reference"}
    last = str(loc[-1]) if loc else "reference"
    if loc and loc[0] in ("parties", "transfers") and len(loc) < 3:
        return "family_name" if loc[0] == "parties" else "amount"
    return names.get(last, last)


@router.get("/new")
def entry_form(request: Request, principal: Principal = require(*FIU)) -> Response:
    return render(request, "financing/new.html", {"v": {}, "errors": {}, "fields": ENTRY_FIELDS})


@router.post("/new")
async def entry_post(request: Request, principal: Principal = require(*FIU)) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name, _ in ENTRY_FIELDS}
    try:
        report = ReportIn.model_validate(_entry(values))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for problem in exc.errors():
            errors.setdefault(_field_of(tuple(problem["loc"])), str(problem["msg"]))
        context = {"v": values, "errors": errors, "fields": ENTRY_FIELDS}
        return render(request, "financing/new.html", context, status=422)
    node = node_of(request)

    def store() -> str:
        with node.session() as session:
            return reports.store_new(session, node, principal, report, "console").id

    report_id = await run_in_threadpool(store)
    return RedirectResponse(f"/financing/reports/{report_id}", status_code=303)
