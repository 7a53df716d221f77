"""Console pages of the enforcing state's authority (/evidence/notifications): the art. 8
notifications received from issuing states with their review window, each one's page with
the order's certificate, and the art. 12 refusal form (a ground, confirmed first since the
issuing node closes the order). The same service functions as the API's enforcing side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.evidence.api import client_of
from passerelle.evidence.console import READERS
from passerelle.evidence.model import Notification
from passerelle.evidence.schemas import RefuseIn
from passerelle.evidence.service import exchange
from passerelle.kit import confirm, flash, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/evidence/notifications", include_in_schema=False)
#: Who raises a ground for refusal (the API's ``refuse`` route).
REFUSERS = ("judicial",)
#: Art. 12(1) grounds, as ``RefuseIn`` and ``rules.REFUSAL_GROUNDS`` name them (shown translated).
GROUNDS = (
    N_("immunity_or_privilege"),
    N_("fundamental_rights"),
    N_("ne_bis_in_idem"),
    N_("double_criminality"),
)
STATES = (N_("open"), N_("closed"), N_("refused"))


def state_of(row: Notification, request: Request) -> str:
    """``refused`` once a ground was raised, else ``open`` within the review window."""
    if row.refused_at is not None:
        return "refused"
    return "open" if node_of(request).clock.now() <= row.review_until else "closed"


def _matches(q: str, row: Notification) -> bool:
    offence = str(row.certificate.get("offence", ""))
    return listkit.text_matches(q, row.reference, row.sender, offence)


@router.get("")
def notifications_page(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    query = listkit.ListQuery.of(request, "state")
    rows = [(n, state_of(n, request))
            for n in exchange.notifications(session, node_of(request), principal)]  # fmt: skip
    if query.get("state"):
        rows = [r for r in rows if r[1] == query.get("state")]
    if query.q:
        rows = [r for r in rows if _matches(query.q, r[0])]
    return render(request, "evidence/notifications.html", {
        "page": listkit.paginate(rows, query), "query": query,
        "filters": [("state", N_("Status"), [(s, gettext(s)) for s in STATES])],
    })  # fmt: skip


@router.get("/{reference}")
def notification_page(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    row = exchange.notification(session, node_of(request), principal, reference)
    return render(request, "evidence/notification.html", {
        "n": row, "c": row.certificate, "state": state_of(row, request), "grounds": GROUNDS,
        "can_refuse": principal.has_any(REFUSERS),
    })  # fmt: skip


@router.post("/{reference}/refuse")
async def refuse_page(
    request: Request,
    reference: str,
    ground: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require(*REFUSERS),
) -> Response:
    """Raise a ground for refusal (art. 12) — the issuing node closes its order, so it is
    confirmed first; the refusal goes to the issuing node at once (the outbox retries)."""
    node = node_of(request)
    # a ground the API would refuse comes back on the notification's page, inline
    data = RefuseIn.model_validate({"ground": ground, "reason": reason.strip()})
    back = f"/evidence/notifications/{reference}"

    def known() -> str:
        with node.session() as session:
            return exchange.notification(session, node, principal, reference).reference

    found = await run_in_threadpool(known)
    asked = confirm.step(
        request,
        title=gettext("Refuse order %(reference)s?") % {"reference": found},
        consequence=gettext(
            "The issuing state is told of the ground for refusal and closes its order. "
            "This cannot be undone."
        ),
        button=gettext("Raise the ground for refusal"),
        cancel=back,
        confirmed=confirmed,
        reason=data.reason,
    )
    if asked is not None:
        return asked

    def run() -> list[str]:
        with node.session() as session:
            return exchange.refuse(session, node, principal, found, data.ground, data.reason)

    ids = await run_in_threadpool(run)
    await federation.deliver_messages(node, client_of(request.app), ids)
    return flash.redirect(back, "Ground for refusal raised for order %(reference)s; the "
                          "issuing state is told.", reference=found)  # fmt: skip
