"""The confirmation step of a dangerous console action (withdraw, disable, approve, refuse …).

A route calls :func:`step` first: until the form comes back with ``confirmed=yes`` (and, where
the law asks for one, a reason), it answers a page that names what will happen, with the
submitted fields kept, a reason box and a button that sends them again. Then the route acts and
says what it did with :func:`passerelle.kit.flash.redirect`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from passerelle.kit import forms
from passerelle.kit.i18n import gettext
from passerelle.kit.web import render

#: The value of the ``confirmed`` field the confirmation page sends.
CONFIRMED = "yes"
#: Fields the confirmation page sets itself and does not carry over.
_OWN_FIELDS = frozenset({"csrf_token", "confirmed", "reason"})


def step(
    request: Request,
    *,
    title: str,
    consequence: str,
    button: str,
    cancel: str,
    confirmed: str,
    reason: str | None = None,
    reason_required: bool = False,
    reason_hint: str = "",
) -> Response | None:
    """``None`` when the user confirmed (with a reason where required), else the page to show.

    ``title``, ``consequence`` and ``button`` are already translated; ``reason`` is ``None``
    when the action takes no reason, the submitted text otherwise."""
    problems: list[forms.FieldProblem] = []
    if confirmed == CONFIRMED:
        if reason_required and not (reason or "").strip():
            problems.append(
                forms.FieldProblem("reason", gettext("Give the reason for this decision."))
            )
        else:
            return None
    kept = [
        (n, v)
        for n, v in getattr(request.state, "form_items", [])
        if n not in _OWN_FIELDS and n not in forms.SECRET_FIELDS
    ]
    context: dict[str, Any] = {
        "title": title,
        "consequence": consequence,
        "button": button,
        "cancel": cancel,
        "action": request.url.path,
        "kept": kept,
        "asks_reason": reason is not None,
        "reason": reason or "",
        "reason_required": reason_required,
        "reason_hint": reason_hint,
        "reason_limit": forms.limit_for("reason"),
        "problems": problems,
        "confirmed_value": CONFIRMED,
    }
    return render(request, "core/confirm.html", context, 422 if problems else 200)
