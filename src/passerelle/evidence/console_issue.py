"""The issuing authority's console form (/evidence/new): an EPOC (Annex I) or EPOC-PR
(Annex II) with the fields the API takes, sent through the same service as the API, so each
rule of the regulation comes back inline on the form's own page. Thin: parse, call, redirect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.errors import NotFound, ValidationFailed
from passerelle.evidence import rules
from passerelle.evidence.console import ISSUERS
from passerelle.evidence.schemas import OrderIn, Target
from passerelle.evidence.service import directory, orders
from passerelle.kit import flash
from passerelle.kit.forms import FieldProblem, FormInvalid, problems_from_pydantic
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/evidence", include_in_schema=False)
#: Choices of the form, as the API's ``OrderIn`` takes them (codes shown translated).
FORMS = (("EPOC", N_("European Production Order (EPOC, Annex I)")),
         ("EPOC-PR", N_("European Preservation Order (EPOC-PR, Annex II)")))  # fmt: skip
AUTHORITY_TYPES = (N_("judge"), N_("court"), N_("investigating_judge"), N_("prosecutor"),
                   N_("other"))  # fmt: skip
CATEGORIES = (N_("subscriber"), N_("identification"), N_("traffic"), N_("content"))
TARGET_KINDS = ("account", "email", "phone", "ip")
#: Codes the form shows translated: the addressee's kind and the listed offences (art. 5(4)).
LABELS = (N_("establishment"), N_("legal_representative"), N_("terrorism"),
          N_("child_sexual_abuse"), N_("non_cash_payment_fraud"),
          N_("attacks_on_information_systems"))  # fmt: skip
#: Rules of the regulation (``orders.check_order``) in the console's words, by field.
RULES = {
    "authority_type": N_(
        "This authority cannot issue this order for these data: traffic and content data "
        "need a judge, a court or an investigating judge (%(source)s)."
    ),
    "validator_type": N_(
        "This order needs validation by a judge, a court, an investigating judge or, where "
        "allowed, a prosecutor (%(source)s)."
    ),
    "max_sentence_years": N_(
        "Traffic and content data only for offences punishable by at least %(years)s years "
        "or a listed offence (%(source)s)."
    ),
    "provider": N_(
        "The provider's addressee must be in another member state than the issuing state "
        "(%(source)s)."
    ),
    "period_to": N_("The end of the period is before its start."),
}


def _source(field: str) -> dict[str, Any]:
    sources = {"authority_type": rules.ISSUER_SOURCE, "validator_type": rules.ISSUER_SOURCE,
               "max_sentence_years": rules.OFFENCE_SOURCE,
               "provider": f"{rules.REG} art. 2"}  # fmt: skip
    return {"source": sources.get(field, rules.REG), "years": rules.MIN_MAX_SENTENCE_YEARS}


def _utc(text: str, field: str) -> datetime | None:
    """A console time (``YYYY-MM-DD HH:MM``, UTC unless a zone is given)."""
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        message = gettext(
            "Enter the date and time as YYYY-MM-DD HH:MM (for example 2026-03-31 14:30)."
        )
        raise FormInvalid([FieldProblem(field, message)]) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_targets(text: str) -> list[dict[str, Any]]:
    """One identifier per line: ``KIND VALUE`` or, for an IP address, ``ip ADDRESS PORT TIME``
    (RFC 6302); a bad line is a problem of the ``targets`` field naming the line."""
    found: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        problem = ""
        kind = words[0].lower()
        if kind not in TARGET_KINDS or len(words) < 2:
            problem = gettext("start with account, email, phone or ip, then the identifier")
        item: dict[str, Any] = {"kind": kind, "value": words[1] if len(words) > 1 else ""}
        if not problem and kind == "ip":
            if len(words) != 4 or not words[2].isdigit():
                problem = gettext("an IP address needs its source port and time (RFC 6302)")
            else:
                item["port"] = int(words[2])
                try:
                    item["at"] = _utc(words[3], "targets")
                except FormInvalid:
                    problem = gettext("write the time as YYYY-MM-DDTHH:MM")
        if not problem:
            try:
                Target.model_validate(item)
            except ValidationError:
                problem = gettext("this identifier is not valid")
        if problem:
            raise FormInvalid([FieldProblem("targets", gettext("Line %(line)s: %(problem)s.") % {
                "line": number, "problem": problem})])  # fmt: skip
        found.append(item)
    if not found:
        raise FormInvalid([FieldProblem("targets", gettext("This field is required."))])
    return found


@router.get("/new")
def new_order_page(
    request: Request, session: DbSession, principal: Principal = require(*ISSUERS)
) -> Response:
    node = node_of(request)
    providers = [p for p in directory.list_providers(session) if p.country != node.code]
    return render(request, "evidence/new.html", {
        "forms": FORMS, "authority_types": AUTHORITY_TYPES, "categories": CATEGORIES,
        "providers": providers, "listed_offences": rules.LISTED_OFFENCES,
    })  # fmt: skip


@router.post("/new")
async def issue_order_page(
    request: Request,
    form: Annotated[str, Form()] = "",
    authority_type: Annotated[str, Form()] = "",
    authority_name: Annotated[str, Form()] = "",
    validator_type: Annotated[str, Form()] = "",
    validator_name: Annotated[str, Form()] = "",
    provider: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    offence: Annotated[str, Form()] = "",
    max_sentence_years: Annotated[str, Form()] = "",
    listed_offence: Annotated[str, Form()] = "",
    emergency: Annotated[str, Form()] = "",
    domestic_exception: Annotated[str, Form()] = "",
    targets: Annotated[str, Form()] = "",
    period_from: Annotated[str, Form()] = "",
    period_to: Annotated[str, Form()] = "",
    grounds: Annotated[str, Form()] = "",
    principal: Principal = require(*ISSUERS),
) -> Response:
    """Issue the order with ``orders.issue`` (the API's service); a notified order's
    certificate goes to the enforcing state's node at once, as from the API."""
    fields: dict[str, Any] = {
        "form": form, "authority_type": authority_type, "authority_name": authority_name,
        "validator_type": validator_type, "validator_name": validator_name,
        "provider": provider, "category": category, "offence": offence,
        "listed_offence": listed_offence, "emergency": bool(emergency),
        "domestic_exception": bool(domestic_exception), "grounds": grounds,
        "period_from": _utc(period_from, "period_from"), "period_to": _utc(period_to, "period_to"),
    }  # fmt: skip
    if max_sentence_years.strip():
        fields["max_sentence_years"] = max_sentence_years.strip()
    try:
        data = OrderIn.model_validate({**fields, "targets": parse_targets(targets)})
    except ValidationError as exc:
        raise FormInvalid(problems_from_pydantic(exc.errors())) from None
    node = node_of(request)

    def run() -> tuple[str, str, list[str]]:
        with node.session() as session:
            order = orders.issue(session, node, principal, data)
            return order.id, order.reference, list(session.info.get(orders.OUTBOX_KEY, []))

    try:
        order_id, reference, ids = await run_in_threadpool(run)
    except (ValidationFailed, NotFound) as exc:
        field = str(exc.details.get("field") or "form").split("[")[0]
        message = gettext(RULES[field]) % _source(field) if field in RULES else exc.message
        raise FormInvalid([FieldProblem(field, message)]) from None
    if ids:
        from passerelle.evidence.api import client_of

        await federation.deliver_messages(node, client_of(request.app), ids)
    return flash.redirect(f"/evidence/orders/{order_id}", "Order %(reference)s issued.",
                          reference=reference)  # fmt: skip
