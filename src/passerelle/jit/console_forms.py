"""Console forms of the JIT domain: open a JIT with the terms of the agreement, draft a press
statement (submitted for the leaders' approval at once), close a JIT with its evaluation after
a confirmation step. They call the same service functions as the API (through
:func:`passerelle.jit.api.act`, so the other parties get the workspace copy at once); a field
error is raised as :class:`~passerelle.kit.forms.FormInvalid` and shown next to its field on
the form's own page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.jit import rules
from passerelle.jit.api import act
from passerelle.jit.schemas import EvaluationIn, StatementIn, TeamIn
from passerelle.jit.service import statements, teams
from passerelle.jit.service.common import get_team
from passerelle.kit import confirm, flash, forms
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import node_of, render
from passerelle.node import Node
from passerelle.privacy import Principal, require

M = TypeVar("M", bound=BaseModel)
router = APIRouter(prefix="/jit", include_in_schema=False)
STAFF = ("analyst", "supervisor")

#: Labels of this domain's form fields in the error summary (those kit.forms lacks).
for _name, _label in {
    "countries": N_("Countries"),
    "starts_on": N_("Start date"),
    "ends_on": N_("End date"),
    "evidence_rules": N_("Evidence and information rules"),
    "confidentiality": N_("Confidentiality"),
    "communication": N_("Communication with the media"),
    "leader_name": N_("Leader for this country"),
    "leader_login": N_("Leader's account on this node"),
    "text": N_("Text"),
    "results": N_("Results"),
    "difficulties": N_("Difficulties"),
    "lessons": N_("Lessons learned"),
}.items():
    forms.FIELD_LABELS.setdefault(_name, _label)

#: What the console says when a rule of the schemas is broken (their text is English): the
#: start of the rule's message, the field it is about, the message shown.
_RULES = (
    ("ends_on must be after", "ends_on", N_("The end date must be after the start date.")),
    ("countries:", "countries", N_(
        "Enter the two-letter codes of at least two different countries, this node's included "
        "(for example FR BE)."
    )),
    ("members:", "leader_name", N_("The leader must belong to one of the countries.")),
)  # fmt: skip
#: Fields of the opening form, in their order on the page: (name, label msgid, input kind).
OPEN_FIELDS = (
    ("name", N_("Name of the team"), "text"),
    ("countries", N_("Countries (FR BE …)"), "text"),
    ("purpose", N_("Purpose"), "textarea"),
    ("legal_basis", N_("Legal basis"), "text"),
    ("starts_on", N_("Start date"), "date"),
    ("ends_on", N_("End date"), "date"),
    ("evidence_rules", N_("Evidence and information rules"), "textarea"),
    ("confidentiality", N_("Confidentiality"), "textarea"),
    ("communication", N_("Communication with the media"), "textarea"),
    ("leader_name", N_("Leader for this country"), "text"),
    ("leader_login", N_("Leader's account on this node"), "text"),
)


def _problems(errors: Iterable[Mapping[str, Any]]) -> list[forms.FieldProblem]:
    """Pydantic errors as problems of the flat form fields (a rule of the whole model is put on
    the field it is about, in the user's language)."""
    problems: list[forms.FieldProblem] = []
    for error in errors:
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        rule = next((r for r in _RULES if message.startswith(r[0])), None)
        if rule is not None:
            found = [forms.FieldProblem(rule[1], gettext(rule[2]))]
        else:
            found = forms.problems_from_pydantic([error])
        problems += [p for p in found if all(q.field != p.field for q in problems)]
    return problems


def _validated(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise forms.FormInvalid(_problems(exc.errors())) from None


@router.get("/new")
def open_page(request: Request, principal: Principal = require(*STAFF)) -> Response:
    node = node_of(request)
    today = node.clock.now().date()
    defaults = {
        "countries": f"{node.code} ",
        "legal_basis": rules.LEGAL_BASIS,
        "starts_on": today.isoformat(),
        "leader_login": principal.name if principal.kind == "user" else "",
    }
    return render(request, "jit/new.html", {"fields": OPEN_FIELDS, "v": defaults})


@router.post("/new")
async def open_post(
    request: Request,
    name: Annotated[str, Form()] = "",
    countries: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    legal_basis: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    evidence_rules: Annotated[str, Form()] = "",
    confidentiality: Annotated[str, Form()] = "",
    communication: Annotated[str, Form()] = "",
    leader_name: Annotated[str, Form()] = "",
    leader_login: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    node = node_of(request)
    codes = [c.strip().upper() for c in countries.replace(",", " ").split() if c.strip()]
    terms = {
        "purpose": purpose.strip(),
        "legal_basis": legal_basis.strip() or rules.LEGAL_BASIS,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "evidence_rules": evidence_rules.strip(),
        "confidentiality": confidentiality.strip(),
        "communication": communication.strip(),
    }
    members = []
    if leader_name.strip():
        members.append(
            {"country": node.code, "name": leader_name.strip(), "role": "leader",
             "login": leader_login.strip()}
        )  # fmt: skip
    data = {"name": name.strip(), "countries": codes, "terms": terms, "members": members}
    problems: list[forms.FieldProblem] = []
    if node.code not in codes:  # said first: the leader's country then follows
        problems.append(forms.FieldProblem("countries", gettext(_RULES[1][2])))
        data["members"] = []
    try:
        body = TeamIn.model_validate(data)
    except ValidationError as exc:
        problems += [p for p in _problems(exc.errors()) if p.field != "countries" or not problems]
    if problems:
        raise forms.FormInvalid(problems)

    def fn(s: Session, n: Node) -> tuple[str, str]:
        row = teams.open_team(s, n, principal, body)
        return row.id, row.reference

    team_id, reference = await act(request, fn)
    return flash.redirect(
        f"/jit/{team_id}", "Joint investigation team %(reference)s opened.", reference=reference
    )


@router.post("/{team}/statements")
async def draft_post(
    request: Request,
    team: str,
    title: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    body = _validated(StatementIn, {"title": title.strip(), "text": text.strip()})

    def fn(s: Session, n: Node) -> str:
        return statements.draft(s, n, principal, team, body).team_id

    team_id = await act(request, fn)
    return flash.redirect(
        f"/jit/{team_id}#statements", "Press statement submitted for the leaders' approval."
    )


@router.post("/statements/{statement_id}/approve")
async def approve_post(
    request: Request,
    statement_id: str,
    version: Annotated[int, Form()],
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    asked = confirm.step(
        request,
        title=gettext("Approve this press statement?"),
        consequence=gettext(
            "You approve version %(version)s for your country. The statement becomes "
            "publishable once a leader of every country of the team has approved it."
        )
        % {"version": version},
        button=gettext("Approve"),
        cancel=request.headers.get("referer", "/jit"),
        confirmed=confirmed,
    )
    if asked is not None:
        return asked

    def fn(s: Session, n: Node) -> str:
        return statements.approve(s, n, principal, statement_id, version).statement.team_id

    team_id = await act(request, fn)
    return flash.redirect(f"/jit/{team_id}#statements", "Your approval is recorded.")


@router.post("/{team}/close")
async def close_post(
    request: Request,
    team: str,
    results: Annotated[str, Form()] = "",
    difficulties: Annotated[str, Form()] = "",
    lessons: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    values = {"results": results.strip(), "difficulties": difficulties.strip(),
              "lessons": lessons.strip()}  # fmt: skip
    body = _validated(EvaluationIn, values)
    node = node_of(request)

    def find() -> tuple[str, str]:
        with node.session() as session:
            row = get_team(session, team)
            return row.id, row.reference

    team_id, reference = await run_in_threadpool(find)
    asked = confirm.step(
        request,
        title=gettext("Close %(reference)s?") % {"reference": reference},
        consequence=gettext(
            "The team is closed on every party's node with this evaluation: no more "
            "statements, actions or evidence. Its workspace is kept five years, then deleted."
        ),
        button=gettext("Close the team"),
        cancel=f"/jit/{team_id}",
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    await act(request, lambda s, n: teams.close(s, n, principal, team_id, body).id)
    return flash.redirect(
        f"/jit/{team_id}", "Joint investigation team %(reference)s closed.", reference=reference
    )
