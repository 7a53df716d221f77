"""Console pages of the evidence domain (/evidence) for the issuing authority: the orders
with search, pagination and CSV export (overdue orders and reminders marked), and each
order's page with its certificate, deadlines, status history, answers with their file hashes
and links to the JSON/PDF exports. Thin: call a service, render."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from passerelle.evidence.model import Order
from passerelle.evidence.schemas import OrderOut, ValidateIn
from passerelle.evidence.service import answers, deadlines, orders
from passerelle.kit import confirm, flash, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/evidence", include_in_schema=False)
READERS = ("judicial", "analyst", "supervisor")
STATUSES = ("issued", "acknowledged", "answered", "impossible", "refused", "withdrawn", "expired")
#: Words the templates translate from data (menu label, statuses, urgencies, deadlines).
LABELS = (
    N_("e-Evidence"),
    N_("issued"),
    N_("acknowledged"),
    N_("answered"),
    N_("impossible"),
    N_("refused"),
    N_("withdrawn"),
    N_("expired"),
    N_("ok"),
    N_("reminder"),
    N_("overdue"),
    N_("validation"),
    N_("production"),
    N_("preservation"),
    N_("data"),
    N_("impossibility"),
    N_("validated"),
    N_("confirmed"),
    N_("closed"),
    N_("extension"),
)
#: Who may act on an order from its page: validate (a judicial authority, art. 4(5)), withdraw.
VALIDATORS = ("judicial",)
ISSUERS = ("judicial", "analyst")
VALIDATOR_TYPES = (N_("judge"), N_("court"), N_("investigating_judge"), N_("prosecutor"))
#: A search reads at most this many rows; the pages and the export cut from them.
SEARCH_LIMIT = 5000


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


ORDER_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda o: o.reference),
    listkit.Column("form", lambda o: o.form),
    listkit.Column("provider", lambda o: o.provider),
    listkit.Column("enforcing_country", lambda o: o.enforcing_country),
    listkit.Column("category", lambda o: o.category),
    listkit.Column("offence", lambda o: o.offence),
    listkit.Column("emergency", lambda o: "yes" if o.emergency else "no"),
    listkit.Column("status", lambda o: o.status),
    listkit.Column("issued_at", lambda o: _iso(o.issued_at)),
    listkit.Column("due_at", lambda o: _iso(o.due_at)),
    listkit.Column("preserve_until", lambda o: _iso(o.preserve_until)),
    listkit.Column("urgency", lambda o: o.urgency),
)


class Row:
    """One line of the list: the order and its urgency now (no targets shown)."""

    def __init__(self, order: Order, now: datetime) -> None:
        self.order = order
        self.urgency = deadlines.urgency(order, now)
        found = deadlines.next_deadline(order)
        self.deadline = found[0] if found else ""
        self.deadline_at = found[1] if found else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.order, name)


def _orders(request: Request, session: DbSession, principal: Principal) -> Response:
    node = node_of(request)
    query = listkit.ListQuery.of(request, "status")
    found = orders.search(
        session, node, principal, status=query.get("status"), q=query.q, limit=SEARCH_LIMIT
    )
    now = node.clock.now()
    rows = [Row(o, now) for o in found]
    if query.wants_csv or request.url.path.endswith(".csv"):
        return listkit.csv_response("evidence-orders.csv", ORDER_CSV, rows)
    return render(
        request,
        "evidence/orders.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("status", N_("Status"), [(s, gettext(s)) for s in STATUSES])],
            "reminders": [r for r in rows if r.urgency != "ok"],
            "can_issue": principal.has_any(ISSUERS),
        },
    )


@router.get("")
def orders_page(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    return _orders(request, session, principal)


@router.get("/orders.csv")
def orders_export(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    """The list's export (same as ``/evidence?format=csv``)."""
    return _orders(request, session, principal)


def history(o: OrderOut) -> list[tuple[datetime, str, str]]:
    """The order's steps in time order: (when, step msgid, who or detail)."""
    steps: list[tuple[datetime, str, str]] = [(o.issued_at, "issued", o.issued_by)]
    if o.validated_at:
        steps.append((o.validated_at, "validated", o.validator_name))
    if o.acknowledged_at:
        steps.append((o.acknowledged_at, "acknowledged", o.provider))
    if o.confirmed_at:
        steps.append((o.confirmed_at, "confirmed", ""))
    steps += [(a.answered_at, a.kind, a.answered_by) for a in o.answers]
    if o.closed_at:
        steps.append((o.closed_at, o.status, o.refusal_ground))
    return sorted(steps, key=lambda step: step[0])


@router.get("/orders/{order_id}")
def order_page(
    request: Request, order_id: str, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    node = node_of(request)
    now = node.clock.now()
    order = orders.get(session, node, principal, order_id)
    out = answers.to_out(session, order, now)
    found = deadlines.next_deadline(order)
    return render(
        request,
        "evidence/order.html",
        {
            "o": out,
            "history": history(out),
            "deadline": found[0] if found else "",
            "deadline_at": found[1] if found else None,
            "validator_types": VALIDATOR_TYPES,
        },
    )


@router.post("/orders/{order_id}/validate")
def validate_page(
    request: Request,
    order_id: str,
    session: DbSession,
    validator_type: Annotated[str, Form()] = "",
    validator_name: Annotated[str, Form()] = "",
    principal: Principal = require(*VALIDATORS),
) -> Response:
    """The validating authority's step (art. 4(5)): the same service as the API's."""
    # a refused field (pydantic) or rule (the service) comes back on the order's page, inline
    data = ValidateIn.model_validate(
        {"validator_type": validator_type, "validator_name": validator_name.strip()}
    )
    order = orders.validate(session, node_of(request), principal, order_id, data)
    return flash.redirect(
        f"/evidence/orders/{order.id}", "Order %(reference)s validated.", reference=order.reference
    )


@router.post("/orders/{order_id}/withdraw")
def withdraw_page(
    request: Request,
    order_id: str,
    session: DbSession,
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*ISSUERS),
) -> Response:
    """Withdraw an order — irreversible, so asked for confirmation first."""
    return _act(request, session, principal, order_id, "withdraw", confirmed)


#: The acts of the API's ``POST /orders/{order_id}/{act}``: (service, confirmation title,
#: consequence, button, flash message). All three are irreversible, so confirmed first.
ORDER_ACTS: dict[str, tuple[Any, str, str, str, str]] = {
    "withdraw": (
        orders.withdraw,
        N_("Withdraw order %(reference)s?"),
        N_(
            "The provider is no longer asked for the data and the order is closed. "
            "This cannot be undone."
        ),
        N_("Withdraw the order"),
        N_("Order %(reference)s withdrawn."),
    ),
    "extend": (
        orders.extend,
        N_("Extend the preservation of order %(reference)s by 30 days?"),
        N_(
            "The provider keeps the data 30 days longer. A preservation order can be "
            "extended once only (art. 11(1), Annex VI): this cannot be undone."
        ),
        N_("Extend the preservation"),
        N_("Preservation of order %(reference)s extended by 30 days."),
    ),
    "confirm": (
        orders.confirm,
        N_("Confirm that a production request follows order %(reference)s?"),
        N_(
            "The provider keeps the data until the production request is answered "
            "(Annex V). This cannot be undone."
        ),
        N_("Confirm the production request"),
        N_("Order %(reference)s confirmed: a production request follows."),
    ),
}


def _act(request: Request, session: DbSession, principal: Principal, order_id: str,
         act: str, confirmed: str) -> Response:  # fmt: skip
    service, title, consequence, button, message = ORDER_ACTS[act]
    node = node_of(request)
    order = orders.get(session, node, principal, order_id)
    back = f"/evidence/orders/{order.id}"
    asked = confirm.step(
        request,
        title=gettext(title) % {"reference": order.reference},
        consequence=gettext(consequence),
        button=gettext(button),
        cancel=back,
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    # a refused act (a second extension, a closed order) comes back on the order's page
    service(session, node, principal, order.id)
    return flash.redirect(back, message, reference=order.reference)


@router.post("/orders/{order_id}/extend")
def extend_page(
    request: Request,
    order_id: str,
    session: DbSession,
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*ISSUERS),
) -> Response:
    """Annex VI: extend a preservation once by 30 days (the API's service), confirmed first."""
    return _act(request, session, principal, order_id, "extend", confirmed)


@router.post("/orders/{order_id}/confirm")
def confirm_page(
    request: Request,
    order_id: str,
    session: DbSession,
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*ISSUERS),
) -> Response:
    """Annex V: a production request follows the preservation (the API's service)."""
    return _act(request, session, principal, order_id, "confirm", confirmed)
