"""Console pages of sharing policies and of outgoing messages under approval (/exchange)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from passerelle.federation import approvals, policies, rules, service
from passerelle.federation.api import client_of
from passerelle.federation.api_sharing import actor
from passerelle.federation.console import _build
from passerelle.federation.schemas import MessageApproveIn, RefuseIn
from passerelle.kit import confirm, flash, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/exchange", include_in_schema=False)


@router.get("/sharing")
def sharing_page(
    request: Request,
    session: DbSession,
    principal: Principal = require("admin", "supervisor", "dpo"),
) -> Response:
    return render(
        request,
        "federation/sharing.html",
        {
            "rows": policies.listing(session),
            "policies": rules.POLICIES,
            "can_change": "admin" in principal.roles,
        },
    )


@router.post("/sharing")
def change_policy(
    request: Request,
    session: DbSession,
    message_type: Annotated[str, Form()],
    peer: Annotated[str, Form()],
    policy: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    principal: Principal = require("admin"),
) -> Response:
    policies.set_policy(
        session, node_of(request), actor(principal), message_type, peer, policy, reason
    )
    return flash.redirect("/exchange/sharing", "Sharing policy changed.")


#: Decisions on the approvals page, for its filter (``awaiting`` is the default view).
APPROVAL_STATUSES = {
    "awaiting": N_("awaiting a decision"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "never": N_("never (policy)"),
}


@router.get("/approvals")
def approvals_page(
    request: Request, session: DbSession, principal: Principal = require("supervisor")
) -> Response:
    lq = listkit.ListQuery.of(request, "status")
    status = lq.get("status")
    rows = [
        o
        for o in approvals.listing(session, status=status or None, limit=5000)
        if listkit.text_matches(
            lq.q, o.peer, o.case_ref, o.reference, o.requested_by, o.decided_by, o.reason
        )
    ]
    rows.sort(key=lambda o: o.status != "awaiting")  # the decisions to take first
    statuses = [(code, gettext(msgid)) for code, msgid in APPROVAL_STATUSES.items()]
    return render(
        request,
        "federation/approvals.html",
        {
            "page": listkit.paginate(rows, lq),
            "query": lq,
            "status": status,
            "filters": [("status", N_("Status"), statuses)],
        },
    )


@router.get("/approvals/{message_id}")
def approval_page(
    request: Request,
    message_id: str,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> Response:
    item = approvals.read(session, node_of(request), actor(principal), message_id)
    return render(
        request,
        "federation/approval.html",
        {
            "item": item,
            "handling_codes": rules.HANDLING_CODES,
            "reliability": rules.SOURCE_RELIABILITY,
            "accuracy": rules.INFORMATION_ACCURACY,
        },
    )


@router.post("/approvals/{message_id}/approve")
async def approve_message(
    request: Request,
    message_id: str,
    handling_code: Annotated[str, Form()],
    source: Annotated[str, Form()],
    information: Annotated[str, Form()],
    field: Annotated[list[str] | None, Form()] = None,
    handling_text: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    # Checked before asking: a refused choice is shown at once, not after confirming.
    data = _build(
        MessageApproveIn,
        {
            "fields": field or [],
            "handling": {"code": handling_code, "text": handling_text or None},
            "evaluation": {"source": source, "information": information},
        },
    )
    asked = confirm.step(
        request,
        title=gettext("Approve and send this message?"),
        consequence=gettext(
            "The fields you ticked (%(count)s) are sent to the partner country with the "
            "handling code and evaluation you chose. This cannot be undone."
        )
        % {"count": len(field or [])},
        button=gettext("Approve and send"),
        cancel=f"/exchange/approvals/{message_id}",
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    await service.decide_message(
        node_of(request), client_of(request.app), principal, message_id, data
    )
    return flash.redirect(
        f"/exchange/approvals/{message_id}", "Message approved and queued for sending."
    )


@router.post("/approvals/{message_id}/refuse")
async def refuse_message(
    request: Request,
    message_id: str,
    reason: Annotated[str, Form()],
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    asked = confirm.step(
        request,
        title=gettext("Refuse this message?"),
        consequence=gettext("The message is not sent; your reason is recorded."),
        button=gettext("Refuse the message"),
        cancel=f"/exchange/approvals/{message_id}",
        confirmed=confirmed,
        reason=reason,
        reason_required=True,
    )
    if asked is not None:
        return asked
    data = _build(RefuseIn, {"reason": reason})
    await service.decide_message(
        node_of(request), client_of(request.app), principal, message_id, data
    )
    return flash.redirect(
        f"/exchange/approvals/{message_id}", "Message refused; it will not be sent."
    )
