"""A console form that failed is shown again on its own page, GOV.UK-style.

When a form posted to ``/x/y`` is refused (a field too long, a bad date, a rule of the service),
the page that holds the form is rendered again for the same user (an internal GET of that page,
through the whole application, so the page's own roles and audit apply), and in the form whose
``action`` is the posted path:

* every field gets the value the user entered back (secrets and files excepted);
* each field with a problem is marked (``aria-invalid``, an error message before it);
* an error summary linked to those fields opens the page and the title starts with "Error:".

The page is found from the ``Referer`` (the page the user was on), else from the posted path
itself and its parents (``/pnr/review/7`` → ``/pnr/review`` → ``/pnr``), else from
:data:`passerelle.kit.forms.FORM_HOMES` (a domain names the page of a form whose path says
nothing of it). A page without that form is not used; when none is found the generic
"check what you entered" page keeps the input instead (``core/form_error.html``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import lxml.html
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from lxml.html import HtmlElement
from starlette.routing import Match

from passerelle.kit import forms
from passerelle.kit.i18n import gettext

#: Per-request attributes that belong to the refused POST, not to the page shown again.
_POST_STATE = ("principal", "form_items", "form_files", "body_too_large", "auth_error")
_DROPPED_HEADERS = {b"content-type", b"content-length", b"hx-request", b"hx-target"}


def candidates(request: Request) -> list[str]:
    """The pages that may hold the form posted to ``request``, most likely first."""
    path = request.url.path
    found: list[str] = []
    referer = request.headers.get("referer", "")
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == request.url.netloc and parts.path.startswith("/"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    home = forms.FORM_HOMES.get(path)
    if home:
        found.append(home)
    segments = path.rstrip("/").split("/")
    while len(segments) > 1:
        found.append("/".join(segments) or "/")
        segments.pop()
    return [p for i, p in enumerate(found) if p not in found[:i] and p != "/"]


def _has_get_route(request: Request, path: str) -> bool:
    scope = {"type": "http", "method": "GET", "path": path.split("?", 1)[0]}
    for route in request.app.router.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return True
    return False


async def _fetch(request: Request, target: str) -> tuple[int, str] | None:
    """The HTML the application answers to a GET of ``target`` for the same user."""
    path, _, query = target.partition("?")
    scope: dict[str, Any] = dict(request.scope)
    state = dict(scope.get("state") or {})
    for key in _POST_STATE:
        state.pop(key, None)
    scope.update(
        method="GET",
        path=path,
        raw_path=path.encode(),
        query_string=query.encode(),
        headers=[(k, v) for k, v in request.scope["headers"] if k not in _DROPPED_HEADERS],
        state=state,
    )
    scope.pop("router", None)
    scope.pop("endpoint", None)
    scope.pop("route", None)
    scope.pop("path_params", None)
    status = 0
    chunks: list[bytes] = []
    html = False

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, html
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = dict(message.get("headers", []))
            html = headers.get(b"content-type", b"").startswith(b"text/html")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await request.app(scope, receive, send)
    if status != 200 or not html:
        return None
    return status, b"".join(chunks).decode("utf-8")


def _target_form(doc: HtmlElement, action: str, items: list[tuple[str, str]]) -> HtmlElement | None:
    """The form posted to ``action``; of several (one per candidate), the one whose hidden
    fields hold the submitted values."""
    found = [
        form
        for form in doc.iter("form")
        if (form.get("method") or "").lower() == "post" and form.get("action") == action
    ]
    submitted = set(items)

    def hidden_match(form: HtmlElement) -> bool:
        hidden = [
            (c.get("name"), c.get("value") or "")
            for c in form.iter("input")
            if c.get("type") == "hidden" and c.get("name") not in (None, "csrf_token")
        ]
        return all(h in submitted for h in hidden)

    return next((f for f in found if hidden_match(f)), found[0] if found else None)


def _refill(form: HtmlElement, items: list[tuple[str, str]]) -> None:
    """Put the submitted values back into the form's controls."""
    submitted: dict[str, list[str]] = {}
    for name, value in items:
        submitted.setdefault(name, []).append(value)
    used: dict[str, int] = {}
    for control in form.iter("input", "textarea", "select"):
        name = control.get("name")
        kind = (control.get("type") or "text").lower()
        if not name or kind in ("hidden", "file", "password", "submit", "button"):
            continue
        values = submitted.get(name, [])
        if kind in ("checkbox", "radio"):
            if (control.get("value") or "on") in values:
                control.set("checked", "checked")
            elif "checked" in control.attrib:
                del control.attrib["checked"]
        elif control.tag == "select":
            for option in control.iter("option"):
                value = option.get("value", option.text_content())
                if value in values:
                    option.set("selected", "selected")
                elif "selected" in option.attrib:
                    del option.attrib["selected"]
        elif name in submitted:
            index = used.get(name, 0)
            used[name] = index + 1
            value = values[index] if index < len(values) else ""
            if control.tag == "textarea":
                control.text = value
            else:
                control.set("value", value)


def _mark(form: HtmlElement, problem: forms.FieldProblem) -> str:
    """Mark the control of ``problem`` and return the anchor the summary links to."""
    control = next(
        (c for c in form.iter("input", "textarea", "select") if c.get("name") == problem.field),
        None,
    )
    message = lxml.html.fragment_fromstring(
        '<span class="error-message"><span class="sr"></span></span>'
    )
    message.set("id", "error-" + problem.field)
    message[0].text = gettext("Error") + ":"
    message[0].tail = " " + problem.message
    if control is None or control.get("type") == "hidden":
        if not form.get("id"):
            form.set("id", problem.anchor)
        form.insert(0, message)
        return str(form.get("id"))
    if not control.get("id"):
        control.set("id", problem.anchor)
    control.set("aria-invalid", "true")
    control.set("aria-describedby", "error-" + problem.field)
    holder = control
    parent = control.getparent()
    while parent is not None and parent.tag in ("label",):
        holder, parent = parent, parent.getparent()
    if parent is not None:
        parent.insert(parent.index(holder), message)
        field = parent
        while field is not None and field is not form:
            if "field" in (field.get("class") or "").split():
                field.set("class", field.get("class", "") + " field-error")
                break
            field = field.getparent()
    return str(control.get("id"))


def _summary(problems: list[tuple[forms.FieldProblem, str]]) -> HtmlElement:
    box = lxml.html.fragment_fromstring(
        '<div class="error-summary" role="alert" tabindex="-1" '
        'aria-labelledby="error-summary-title" data-autofocus>'
        '<h2 id="error-summary-title"></h2><ul></ul></div>'
    )
    box[0].text = gettext("There is a problem")
    for problem, anchor in problems:
        item = lxml.html.fragment_fromstring("<li><a></a></li>")
        link = item[0]
        link.set("href", "#" + anchor)
        prefix = f"{problem.label}: " if problem.field != "form" else ""
        link.text = prefix + problem.message
        box[1].append(item)
    return box


def show_on_page(html: str, action: str, problems: list[forms.FieldProblem], items: Any) -> str:
    """``html`` with the form posted to ``action`` refilled and its problems shown; ``""`` when
    the page has no such form."""
    doc = lxml.html.document_fromstring(html)
    kept = list(items)
    form = _target_form(doc, action, kept)
    if form is None:
        return ""
    _refill(form, kept)
    anchors = [(p, _mark(form, p)) for p in problems]
    main = next(doc.iter("main"), None)
    if main is not None:
        main.insert(0, _summary(anchors))
    else:
        form.addprevious(_summary(anchors))
    title = next(doc.iter("title"), None)
    if title is not None and not (title.text or "").startswith(gettext("Error") + ":"):
        title.text = gettext("Error") + ": " + (title.text or "")
    out: str = lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    return out


async def own_page(
    request: Request, problems: list[forms.FieldProblem], status: int
) -> Response | None:
    """The refused form's own page with its problems, or ``None`` if no page holds it."""
    action = request.url.path
    for target in candidates(request):
        if not _has_get_route(request, target):
            continue
        fetched = await _fetch(request, target)
        if fetched is None:
            continue
        page = show_on_page(fetched[1], action, problems, forms.kept_items(request))
        if page:
            return HTMLResponse(page, status_code=status)
    return None


def with_problems(
    request: Request, response: Response, problems: list[forms.FieldProblem]
) -> Response | None:
    """A form page a domain rendered again (``forms.form_page``) with its problems shown in the
    posted form, unless the page already shows them itself; ``None`` if the page has no such
    form (the generic page keeps the input then)."""
    body = bytes(response.body)
    if b'class="error-summary"' in body or response.media_type != "text/html":
        return response
    page = show_on_page(body.decode("utf-8"), request.url.path, problems, forms.kept_items(request))
    return HTMLResponse(page, status_code=response.status_code) if page else None
