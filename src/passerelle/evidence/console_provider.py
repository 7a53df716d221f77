"""The provider's console pages (/evidence/provider) for its staff (role ``addressee``,
whose agency is the provider's code): the orders addressed to it with their deadlines
(overdue highlighted), each order's page, the acknowledgement (confirmed first), the answer
with a data file (SHA-256 computed on receipt) or with the Annex III form. Another provider's
order does not exist here (404). The same service functions as the API's provider side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle.errors import PayloadTooLarge
from passerelle.evidence.console import ORDER_CSV, STATUSES, Row, history
from passerelle.evidence.schemas import ImpossibilityIn
from passerelle.evidence.service import answers, deadlines
from passerelle.evidence.service.common import trace
from passerelle.evidence.service.directory import STAFF_ROLE, provider_of
from passerelle.kit import confirm, flash, listkit
from passerelle.kit.forms import FieldProblem, FormInvalid
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/evidence/provider", include_in_schema=False)
STAFF = (STAFF_ROLE,)
#: Annex III boxes, as the API's ``ImpossibilityIn`` and ``rules.IMPOSSIBILITY_REASONS`` name
#: them (shown translated).
REASONS = (
    N_("incomplete_or_errors"),
    N_("data_not_held"),
    N_("data_deleted_before_receipt"),
    N_("de_facto_impossibility"),
    N_("conflict_with_third_country_law"),
    N_("not_a_provider_under_regulation"),
)


def _inbox(request: Request, session: DbSession, principal: Principal) -> Response:
    node = node_of(request)
    query = listkit.ListQuery.of(request, "status")
    now = node.clock.now()
    rows = [Row(o, now) for o in answers.inbox(session, node, principal)]
    if query.get("status"):
        rows = [r for r in rows if r.status == query.get("status")]
    if query.q:
        rows = [r for r in rows if listkit.text_matches(query.q, r.reference, r.offence,
                                                        r.authority_name)]  # fmt: skip
    if query.wants_csv or request.url.path.endswith(".csv"):
        return listkit.csv_response("evidence-received.csv", ORDER_CSV, rows)
    return render(request, "evidence/provider_orders.html", {
        "provider": provider_of(session, principal),
        "page": listkit.paginate(rows, query),
        "query": query,
        "filters": [("status", N_("Status"), [(s, gettext(s)) for s in STATUSES])],
        "overdue": sum(1 for r in rows if r.urgency == "overdue"),
    })  # fmt: skip


@router.get("")
def inbox_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    return _inbox(request, session, principal)


@router.get("/orders.csv")
def inbox_export(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    """The list's export (same as ``/evidence/provider?format=csv``)."""
    return _inbox(request, session, principal)


@router.get("/orders/{order_id}")
def received_order_page(
    request: Request, order_id: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    node = node_of(request)
    order = answers.addressed(session, principal, order_id)
    trace(session, node, principal, "read", "evidence.order", order.id)
    out = answers.to_out(session, order, node.clock.now())
    found = deadlines.next_deadline(order)
    return render(request, "evidence/provider_order.html", {
        "o": out, "history": history(out), "reasons": REASONS,
        "deadline": found[0] if found else "", "deadline_at": found[1] if found else None,
        "open": order.status in deadlines.OPEN, "limit_mb": f"{answers.file_limit(node) / 1e6:.1f}",
    })  # fmt: skip


@router.post("/orders/{order_id}/ack")
def acknowledge_page(
    request: Request,
    order_id: str,
    session: DbSession,
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    """Acknowledge receipt (the deadlines are the issuing authority's to read), confirmed first."""
    order = answers.addressed(session, principal, order_id)
    back = f"/evidence/provider/orders/{order.id}"
    asked = confirm.step(
        request,
        title=gettext("Acknowledge order %(reference)s?") % {"reference": order.reference},
        consequence=gettext(
            "The issuing authority sees that you received the order; its deadlines run "
            "from its receipt."
        ),
        button=gettext("Acknowledge receipt"),
        cancel=back,
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    answers.acknowledge(session, node_of(request), principal, order_id)
    return flash.redirect(back, "Order %(reference)s acknowledged.", reference=order.reference)


@router.post("/orders/{order_id}/answer")
async def answer_page(
    request: Request,
    order_id: str,
    file: Annotated[UploadFile | None, File()] = None,
    note: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    """Answer with a data file: stored with its SHA-256 by the API's service."""
    node = node_of(request)
    limit = answers.file_limit(node)
    if file is None or not file.filename:
        raise FormInvalid([FieldProblem("file", gettext("Choose the file to send."))])
    content = await file.read(limit + 1)
    name = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "answer"
    media_type = (file.content_type or "application/octet-stream")[:100]
    if len(content) > limit:
        raise FormInvalid([FieldProblem("file", _too_large(limit))])
    if not content:
        raise FormInvalid([FieldProblem("file", gettext("The file is empty."))])

    def run() -> str:
        with node.session() as session:
            try:
                answers.answer_files(session, node, principal, order_id,
                                     [(name, media_type, content)], note.strip())  # fmt: skip
            except PayloadTooLarge:
                raise FormInvalid([FieldProblem("file", _too_large(limit))]) from None
            return answers.addressed(session, principal, order_id).reference

    reference = await run_in_threadpool(run)
    return flash.redirect(f"/evidence/provider/orders/{order_id}",
                          "Data sent for order %(reference)s.", reference=reference)  # fmt: skip


def _too_large(limit: int) -> str:
    return gettext("The file is larger than %(limit)s MB; split it into several answers.") % {
        "limit": f"{limit / 1e6:.1f}"
    }


@router.post("/orders/{order_id}/impossibility")
def impossibility_page(
    request: Request,
    order_id: str,
    session: DbSession,
    reason: Annotated[str, Form()] = "",
    explanation: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    """Annex III: the order cannot be executed, with the reason (the API's service)."""
    data = ImpossibilityIn.model_validate({"reason": reason, "explanation": explanation})
    answer = answers.answer_impossible(session, node_of(request), principal, order_id, data)
    order: Any = answers.addressed(session, principal, answer.order_id)
    return flash.redirect(f"/evidence/provider/orders/{order.id}",
                          "Order %(reference)s answered: it cannot be executed.",
                          reference=order.reference)  # fmt: skip
