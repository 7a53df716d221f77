"""Success messages after a console action ("flash"): set with the redirect, shown once on the
next page in the reader's language, then cleared.

The cookie holds the message id and its parameters, never translated text: the next page
translates it, so a user who changes language still reads it in theirs. Only message ids of
:data:`MESSAGES` are shown, so a forged cookie cannot put arbitrary text on a page.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from passerelle.kit.i18n import N_, gettext

FLASH_COOKIE = "passerelle_flash"
#: Every success message the console can show (extracted for translation).
MESSAGES = frozenset(
    {
        N_("User %(username)s added."),
        N_("User %(username)s disabled; their open sessions were ended."),
        N_("User %(username)s enabled again."),
        N_("Roles of %(username)s changed to %(roles)s."),
        N_("Password of %(username)s reset; they must use the new one from now on."),
        N_("API token %(name)s revoked."),
        N_("Alert %(alert)s withdrawn."),
        N_("Alert %(alert)s created."),
        N_("Follow-up step marked done."),
        N_("Request approved; the answer is on its way to the requesting country."),
        N_("Request refused; the requesting country will be told."),
        N_("Message approved and queued for sending."),
        N_("Message refused; it will not be sent."),
        N_("Answer sent."),
        N_("Review of the alert recorded."),
        N_("Hit report sent to the issuing country."),
        N_("Criteria catalogue version adopted."),
        N_("Message sent."),
        N_("Acknowledgement sent."),
        N_("CAP alert created."),
        N_("Match review recorded."),
        N_("Query sent."),
        N_("Follow-up request sent."),
        N_("Sharing policy changed."),
        N_("Booking linked to the case."),
        N_("Re-personalisation request sent to the judicial authority."),
        N_("Criterion saved."),
        N_("Rail scope decision recorded."),
        N_("Report acknowledged."),
        N_("Hit confirmed."),
        N_("Hit dismissed."),
        N_("Re-personalisation approved."),
        N_("Re-personalisation refused."),
        N_("Order %(reference)s validated."),
        N_("Order %(reference)s withdrawn."),
        N_("Order %(reference)s issued."),
        N_("Order %(reference)s acknowledged."),
        N_("Data sent for order %(reference)s."),
        N_("Order %(reference)s answered: it cannot be executed."),
        N_("Preservation of order %(reference)s extended by 30 days."),
        N_("Order %(reference)s confirmed: a production request follows."),
        N_("Ground for refusal raised for order %(reference)s; the issuing state is told."),
        N_("Joint investigation team %(reference)s opened."),
        N_("Press statement submitted for the leaders' approval."),
        N_("Your approval is recorded."),
        N_("Joint investigation team %(reference)s closed."),
    }
)


def redirect(url: str, message: str, **params: Any) -> Response:
    """A 303 to ``url`` that shows ``message`` (a :data:`MESSAGES` id) on the next page."""
    if message not in MESSAGES:
        raise ValueError(f"unknown flash message {message!r}")
    response = RedirectResponse(url, status_code=303)
    data = json.dumps({"m": message, "p": {k: str(v)[:200] for k, v in params.items()}})
    value = base64.urlsafe_b64encode(data.encode()).decode()
    response.set_cookie(FLASH_COOKIE, value, httponly=True, samesite="lax", max_age=300)
    return response


def take(request: Request) -> str | None:
    """The waiting message, translated, or ``None``; the caller clears the cookie."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        message, params = data["m"], data.get("p") or {}
        if message not in MESSAGES or not isinstance(params, dict):
            return None
        return gettext(message) % {str(k): str(v) for k, v in params.items()}
    except (ValueError, KeyError, TypeError):
        return None


def clear(request: Request, response: Response) -> None:
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE)
