"""Console forms: a limit and a format for every field, errors kept next to the fields.

Every console form is checked here before its route runs (:func:`check_console_form`, called by
the request dependency): each text field has a length limit (:data:`FIELD_LIMITS`, else
:data:`TEXT_LIMIT`), date fields say the format they expect, usernames follow the account rule.
A failure is a :class:`FormInvalid` with one :class:`FieldProblem` per field, in the user's
language; ``passerelle.web.errors`` shows it GOV.UK-style (an error summary linked to the fields,
the input kept) instead of an error page. Validation errors of the route's own parameters and of
the schemas it fills are turned into the same problems (:func:`problems_from_pydantic`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from passerelle.errors import PasserelleError, ValidationFailed
from passerelle.kit.i18n import N_, gettext
from passerelle.privacy import USERNAME_PATTERN

#: The limit of a text field that has none of its own in :data:`FIELD_LIMITS`.
TEXT_LIMIT = 4000
#: Length limits by field name (characters), shared by every console form.
FIELD_LIMITS: dict[str, int] = {
    "username": 64,
    "password": 1024,
    "new_password": 1024,
    "display_name": 120,
    "name": 64,
    "role": 32,
    "locale": 8,
    "csrf_token": 128,
    "confirmed": 8,
    "next": 512,
    "back": 512,
    "family_name": 200,
    "given_names": 200,
    "aliases": 1000,
    "nationalities": 200,
    "document_number": 64,
    "document_country": 3,
    "gender": 16,
    "date_of_birth": 10,
    "case_ref": 100,
    "reference": 100,
    "peer": 16,
    "query_id": 64,
    "profile_id": 64,
    "alert_id": 64,
    "hit_id": 64,
    "code": 64,
    "title": 200,
    "kind": 64,
    "category": 64,
    "decision": 32,
    "policy": 32,
    "message_type": 64,
    "stringency": 32,
    "sample_type": 64,
    "laboratory": 200,
    "kit": 100,
    "handling_code": 32,
    "approver": 200,
    "approver_agency": 64,
    "authority": 200,
    "judicial_reference": 100,
    "investigation_number": 100,
    "basis": 200,
    "place": 200,
    "url": 2000,
    "information": 20000,
    "csv_text": 2_000_000,
}
#: Dates of birth may be partial: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
PARTIAL_DATE_FIELDS = frozenset({"date_of_birth"})
DATE_FIELDS = frozenset({"review_on"})
DATETIME_FIELDS = frozenset({"checked_at", "starts_at", "ends_at", "review_by"})
#: Never sent back to the browser when a form is shown again.
SECRET_FIELDS = frozenset({"password", "new_password"})
#: Form pages that check the username themselves without revealing the rule (login).
_NO_USERNAME_RULE = frozenset({"/login"})
_USERNAME = re.compile(USERNAME_PATTERN)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

#: Field labels of the console, by form field name (extracted for translation).
FIELD_LABELS: dict[str, str] = {
    "username": N_("Username"),
    "password": N_("Password"),
    "new_password": N_("New password"),
    "display_name": N_("Name"),
    "name": N_("Name"),
    "role": N_("Role"),
    "roles": N_("Roles"),
    "locale": N_("Language"),
    "family_name": N_("Family name"),
    "given_names": N_("Given names"),
    "date_of_birth": N_("Date of birth"),
    "gender": N_("Gender"),
    "nationalities": N_("Nationalities"),
    "aliases": N_("Aliases"),
    "document_number": N_("Document number"),
    "document_country": N_("Document country"),
    "category": N_("Category"),
    "warning": N_("Warnings"),
    "reason": N_("Reason"),
    "action": N_("Action to take"),
    "issuing_authority": N_("Issuing authority"),
    "decision_reference": N_("Decision reference"),
    "questions": N_("Questions"),
    "assessment": N_("Assessment"),
    "alert_id": N_("Alert"),
    "place": N_("Place"),
    "checked_at": N_("Time of the check"),
    "reason_of_check": N_("Reason for the check"),
    "route": N_("Route"),
    "destination": N_("Destination"),
    "companions": N_("Companions"),
    "document_user": N_("Document used"),
    "vehicle": N_("Vehicle"),
    "objects": N_("Objects"),
    "circumstances": N_("Circumstances"),
    "answer": N_("Answer"),
    "kind": N_("Kind"),
    "criteria": N_("Criteria"),
    "case_ref": N_("Case reference"),
    "purpose": N_("Purpose"),
    "legal_basis": N_("Legal basis"),
    "peer": N_("Partner"),
    "query_id": N_("Query"),
    "reference": N_("Reference"),
    "urgent": N_("Urgent"),
    "indirect": N_("Indirect"),
    "handling_code": N_("Handling code"),
    "source": N_("Source"),
    "information": N_("Information"),
    "field": N_("Fields"),
    "handling_text": N_("Handling conditions"),
    "message_type": N_("Message type"),
    "policy": N_("Policy"),
    "decision": N_("Decision"),
    "note": N_("Note"),
    "file": N_("File"),
    "csv_text": N_("CSV text"),
    "sample_type": N_("Sample type"),
    "laboratory": N_("Laboratory"),
    "kit": N_("Kit"),
    "profile_id": N_("Profile"),
    "stringency": N_("Stringency"),
    "ground": N_("Ground"),
    "review_on": N_("Review date"),
    "hit_id": N_("Hit"),
    "judicial_reference": N_("Judicial reference"),
    "investigation_number": N_("Investigation number"),
    "approver": N_("Approver"),
    "approver_agency": N_("Approver's agency"),
    "grounds": N_("Grounds"),
    "code": N_("Code"),
    "title": N_("Title"),
    "expression": N_("Expression"),
    "justification": N_("Justification"),
    "review_by": N_("Review by"),
    "active": N_("Active"),
    "authority": N_("Authority"),
    "starts_at": N_("Start"),
    "ends_at": N_("End"),
    "targets": N_("Targets"),
    "basis": N_("Basis"),
    "url": N_("Address (URL)"),
}


#: Console forms that show their own page again on a field error, by action path: called in
#: the thread pool with the request and the problems (the generic page is used otherwise).
FORM_PAGES: dict[str, Callable[[Request, list[FieldProblem]], Response]] = {}
#: The page that holds a form, by action path, when the path does not say it (``/alerts`` is
#: posted from ``/alerts/new``); every other form is found on the page the user was on or on a
#: parent path of its action (``passerelle.web.form_again``).
FORM_HOMES: dict[str, str] = {"/alerts": "/alerts/new"}


def form_page(path: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register the page that shows the form posted to ``path`` again with its problems."""

    def register(page: Callable[..., Response]) -> Callable[..., Response]:
        FORM_PAGES[path] = page
        return page

    return register


def limit_for(name: str) -> int:
    """The length limit of the console field ``name``."""
    return FIELD_LIMITS.get(name, TEXT_LIMIT)


def label_for(name: str) -> str:
    """The label of the field ``name`` in the current language."""
    msgid = FIELD_LABELS.get(name)
    return gettext(msgid) if msgid else name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field, already in the user's language."""

    field: str
    message: str

    @property
    def label(self) -> str:
        return label_for(self.field)

    @property
    def anchor(self) -> str:
        return "field-" + self.field


class FormInvalid(ValidationFailed):
    """A console form broke a field rule; it is shown again with the problems next to fields."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        super().__init__(
            f"invalid form: {summary}",
            problems=[{"field": p.field, "problem": p.message} for p in problems],
        )
        self.problems = problems


def _too_long(limit: int, length: int) -> str:
    return gettext("Use at most %(limit)s characters (you entered %(length)s).") % {
        "limit": limit,
        "length": length,
    }


def username_message() -> str:
    return gettext("Use 2 to 64 lower-case letters, digits, dots, underscores or hyphens.")


def _date_problem(name: str, value: str) -> str | None:
    if name in PARTIAL_DATE_FIELDS and not _PARTIAL_DATE.match(value):
        return gettext("Enter the date as YYYY-MM-DD, YYYY-MM or YYYY (for example 1984-03-31).")
    if name in DATE_FIELDS:
        try:
            date.fromisoformat(value)
        except ValueError:
            return gettext("Enter the date as YYYY-MM-DD (for example 2026-03-31).")
    if name in DATETIME_FIELDS:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return gettext(
                "Enter the date and time as YYYY-MM-DD HH:MM (for example 2026-03-31 14:30)."
            )
    return None


def check_fields(items: Iterable[tuple[str, str]], *, path: str = "") -> list[FieldProblem]:
    """The problems of a submitted form: length limits, date formats and the username rule."""
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for name, value in items:
        if name in seen:
            continue
        message: str | None = None
        if len(value) > limit_for(name):
            message = _too_long(limit_for(name), len(value))
        elif value and name in PARTIAL_DATE_FIELDS | DATE_FIELDS | DATETIME_FIELDS:
            message = _date_problem(name, value)
        elif name == "username" and path not in _NO_USERNAME_RULE and not _USERNAME.match(value):
            message = username_message()
        if message:
            seen.add(name)
            problems.append(FieldProblem(name, message))
    return problems


async def check_console_form(request: Request) -> None:
    """Keep the submitted console form on the request (to show it again) and check its fields.

    Called by the request dependency once the principal is known; uploaded files are kept by
    name only."""
    if not request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return
    form = await request.form()
    items: list[tuple[str, str]] = []
    files: list[str] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            files.append(name)
        else:
            items.append((name, value))
    request.state.form_items = items
    request.state.form_files = files
    problems = check_fields(items, path=request.url.path)
    if problems:
        raise FormInvalid(problems)


#: Pydantic error types and what the console says of them.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "too_short": N_("Choose at least one."),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "bool_parsing": N_("Choose yes or no."),
    "date_parsing": N_("Enter the date as YYYY-MM-DD (for example 2026-03-31)."),
    "date_from_datetime_parsing": N_("Enter the date as YYYY-MM-DD (for example 2026-03-31)."),
    "datetime_parsing": N_(
        "Enter the date and time as YYYY-MM-DD HH:MM (for example 2026-03-31 14:30)."
    ),
    "datetime_from_date_parsing": N_(
        "Enter the date and time as YYYY-MM-DD HH:MM (for example 2026-03-31 14:30)."
    ),
    "literal_error": N_("Choose one of the options offered."),
    "enum": N_("Choose one of the options offered."),
    "string_pattern_mismatch": N_("This value does not have the expected format."),
    "greater_than": N_("This number is too small."),
    "greater_than_equal": N_("This number is too small."),
    "less_than": N_("This number is too large."),
    "less_than_equal": N_("This number is too large."),
}


def problems_from_pydantic(errors: Iterable[Mapping[str, Any]]) -> list[FieldProblem]:
    """Pydantic errors (of the form parameters or of a schema a route fills) as field problems."""
    problems: list[FieldProblem] = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        if loc and loc[0] in ("body", "query", "path"):
            loc = loc[1:]
        name = loc[-1] if loc else "form"
        kind = str(error.get("type", ""))
        ctx = error.get("ctx") or {}
        if kind == "string_too_long":
            message = _too_long(int(ctx.get("max_length", 0)), len(str(error.get("input", ""))))
        elif kind == "string_pattern_mismatch" and name == "username":
            message = username_message()
        elif kind == "value_error":  # a rule of the schema, in its own words
            message = gettext(str(error.get("msg", "")).removeprefix("Value error, "))
        elif kind in _PYDANTIC_MESSAGES:
            message = gettext(_PYDANTIC_MESSAGES[kind])
        else:
            message = gettext("This value is not valid.")
        if all(p.field != name for p in problems):
            problems.append(FieldProblem(name, message))
    return problems


#: What the console says when a service refuses one of these fields (its text is English).
_RULE_MESSAGES: dict[str, Callable[[], str]] = {
    "username": username_message,
    "roles": lambda: gettext("Choose at least one of the roles offered."),
}


def problems_of(error: PasserelleError) -> list[FieldProblem]:
    """The field problems an error carries; a rule broken by the whole form is named ``form``."""
    if isinstance(error, FormInvalid):
        return error.problems
    field = error.details.get("field")
    if isinstance(field, str) and field:
        rule = _RULE_MESSAGES.get(field)
        return [FieldProblem(field, rule() if rule else gettext(error.message))]
    return [FieldProblem("form", gettext(error.message))]


def kept_items(request: Request) -> list[tuple[str, str]]:
    """The submitted fields to show again (secrets and the CSRF token left out)."""
    items: list[tuple[str, str]] = getattr(request.state, "form_items", [])
    return [(n, v) for n, v in items if n not in SECRET_FIELDS and n not in ("csrf_token",)]
