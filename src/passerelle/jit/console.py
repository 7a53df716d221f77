"""Console pages of the JIT domain (/jit): the list of JITs with search and CSV export, the
workspace page (members, agreement versions with PDF exports, evidence with its custody
trail, statements and approvals, actions) and the action form with inline errors. The forms
that open, draft, approve and close are in :mod:`passerelle.jit.console_forms`. Thin: parse,
call a service, render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from passerelle.jit import views
from passerelle.jit.model import Team
from passerelle.jit.schemas import ActionIn
from passerelle.jit.service import teams
from passerelle.jit.service.common import get_team, trace
from passerelle.kit import listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/jit", include_in_schema=False)
STAFF = ("analyst", "supervisor")
#: Words the templates translate from data (menu label, roles, states, custody events).
LABELS = (
    N_("Joint investigation teams"),
    N_("open"),
    N_("closed"),
    N_("leader"),
    N_("member"),
    N_("seconded"),
    N_("eurojust"),
    N_("europol"),
    N_("original"),
    N_("extension"),
    N_("amendment"),
    N_("uploaded"),
    N_("received"),
    N_("downloaded"),
)
CSV: tuple[listkit.Column[Team], ...] = (
    listkit.Column("reference", lambda t: t.reference),
    listkit.Column("name", lambda t: t.name),
    listkit.Column("countries", lambda t: " ".join(t.countries)),
    listkit.Column("status", lambda t: t.status),
    listkit.Column("starts_on", lambda t: t.starts_on.isoformat()),
    listkit.Column("ends_on", lambda t: t.ends_on.isoformat()),
)


@router.get("")
def list_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    query = listkit.ListQuery.of(request, "status")
    rows = teams.listing(session, status=query.get("status") or None)
    if query.q:
        needle = query.q.casefold()
        rows = [t for t in rows if needle in f"{t.reference} {t.name}".casefold()]
    if query.wants_csv:
        return listkit.csv_response("jit-teams.csv", CSV, rows)
    return render(
        request,
        "jit/list.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("status", N_("Status"), [(s, gettext(s)) for s in ("open", "closed")])],
        },
    )


def _workspace(
    request: Request,
    session: Any,
    principal: Principal,
    team: str,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    node = node_of(request)
    row = get_team(session, team)
    trace(session, node, principal, "read", "jit.team", row.id, details={"via": "console"})
    return render(
        request,
        "jit/workspace.html",
        {
            "ws": views.workspace_out(session, row),
            "v": form or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
            "today": node.clock.now().date(),
        },
        status=status,
    )


@router.get("/{team}")
def workspace_page(
    request: Request, team: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    return _workspace(request, session, principal, team)


@router.post("/{team}/actions")
def add_action(
    request: Request,
    team: str,
    session: DbSession,
    title: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    due_on: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    values = {"title": title, "owner": owner, "country": country, "due_on": due_on}
    try:
        data = ActionIn.model_validate(values)
    except ValidationError as exc:
        errors = {str(e["loc"][-1]): str(e["msg"]) for e in exc.errors()}
        return _workspace(request, session, principal, team, form=values, errors=errors, status=422)
    row = get_team(session, team)
    teams.add_action(session, node_of(request), principal, row.id, data)
    return RedirectResponse(f"/jit/{row.id}?done=action#actions", status_code=303)


@router.post("/actions/{action_id}/done")
def complete_action(
    request: Request, action_id: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    row = teams.complete_action(session, node_of(request), principal, action_id)
    return RedirectResponse(f"/jit/{row.team_id}?done=done#actions", status_code=303)
