"""Decoders for PNRGOV/PAXLST data elements: dates, names, documents, contacts, payments, legs.

Each function takes an :class:`~passerelle.pnr.edifact.Segment` (or a string) and returns
normalised values; none raises on odd input, because real pushes are odd.
"""

from __future__ import annotations

import datetime as dt
import re

from passerelle.digits import is_digits
from passerelle.pnr.edifact import Segment
from passerelle.pnr.normalised import Contact, Document, Leg, Mode, Payment

__all__ = [
    "contact_from_text",
    "ddmmyy",
    "docs_document",
    "edifact_datetime",
    "leg_from_tvl",
    "payment_from_fop",
    "split_title",
    "yymmdd",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_TITLES = ("MSTR", "MISS", "MRS", "MR", "MS", "DR", "PROF")
_GLUED_TITLES = ("MSTR", "MISS", "MRS", "MR")  # "JOHNMR": safe to unglue; "ADAMS" is not "ADA MS"
_CTC = re.compile(r"^(?:[A-Z]{2} )?CTC([EPHBMTRA])\s*(.*)$")


def _iso(year: int, month: int, day: int, hhmm: str = "") -> str | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if len(hhmm) == 4 and is_digits(hhmm) and int(hhmm[:2]) < 24 and int(hhmm[2:]) < 60:
        return f"{date.isoformat()}T{hhmm[:2]}:{hhmm[2:]}"
    return date.isoformat()


def ddmmyy(value: str, hhmm: str = "") -> str | None:
    """``121210`` (+ ``0915``) → ``2010-12-12T09:15``; None when not a date."""
    value = value.strip()
    if len(value) != 6 or not is_digits(value):
        return None
    return _iso(2000 + int(value[4:]), int(value[2:4]), int(value[:2]), hhmm.strip())


def yymmdd(value: str, hhmm: str = "") -> str | None:
    """PAXLST/UNB style ``101209`` → ``2010-12-09``."""
    value = value.strip()
    if len(value) != 6 or not is_digits(value):
        return None
    return _iso(2000 + int(value[:2]), int(value[2:4]), int(value[4:]), hhmm.strip())


def edifact_datetime(value: str, *, birth: bool = False) -> str | None:
    """``12JUL64`` → ``1964-07-12`` (a birth date is never in the future), else None."""
    value = value.strip().upper()
    if len(value) != 7 or not is_digits(value[:2]) or not is_digits(value[5:]):
        return None
    month = _MONTHS.get(value[2:5])
    if month is None:
        return None
    year = 2000 + int(value[5:])
    if birth and year > dt.date.today().year:
        year -= 100
    return _iso(year, month, int(value[:2]))


def split_title(given: str) -> tuple[str, str]:
    """``JOHNMR`` → (``JOHN``, ``MR``); ``NINA MS`` → (``NINA``, ``MS``)."""
    given = " ".join(given.split())
    for title in _TITLES:
        if given.endswith(" " + title):
            return given[: -len(title) - 1].strip(), title
    for title in _GLUED_TITLES:
        if given.endswith(title) and len(given) > len(title) + 1:
            return given[: -len(title)], title
    return given, ""


def docs_document(text: str) -> Document | None:
    """The free text of an SSR DOCS: ``/P/GBR/123/GBR/12JUL64/M/23AUG19/SMITH/JOHN/ROBERT``."""
    parts = text.strip().split("/")
    if len(parts) < 8:
        return None
    if parts[0] == "":
        parts = parts[1:]
    parts += [""] * (10 - len(parts))
    doc_type, issuer, number, nationality, birth, gender, expiry, surname = parts[:8]
    given = " ".join(p.strip() for p in parts[8:] if p.strip())
    return Document(
        doc_type=doc_type.strip(),
        number=number.strip(),
        issuing_country=issuer.strip(),
        nationality=nationality.strip(),
        date_of_birth=edifact_datetime(birth, birth=True),
        gender=gender.strip(),
        expiry=edifact_datetime(expiry),
        surname=surname.strip(),
        given_names=given,
    )


def contact_from_text(text: str) -> Contact | None:
    """IATA contact remarks: ``CTCE JOHN..DOE//MAIL.COM`` → e-mail, ``CTCP 0044…`` → phone."""
    match = _CTC.match(text.strip().upper())
    if not match:
        return None
    kind, value = match.groups()
    value = value.strip()
    if not value:
        return None
    if kind == "E":  # IATA e-mail encoding: // is @, .. is _, ./ is -
        return Contact("email", value.replace("//", "@").replace("..", "_").replace("./", "-"))
    if kind == "A":
        return Contact("address", value)
    return Contact("phone", value)


def payment_from_fop(seg: Segment) -> Payment:
    """``FOP+CC:::VI:XXXXXXXX1186:0211`` or ``FOP+CA::1999.99``."""
    return Payment(
        method=seg.get(0, 0),
        amount=seg.get(0, 2),
        card_type=seg.get(0, 3),
        card_number=seg.get(0, 4),
        card_expiry=seg.get(0, 5),
    )


def leg_from_tvl(seg: Segment, mode: Mode = "air") -> Leg | None:
    """``TVL+121210:0915::1230+LHR+JFK+DL:KE+324:B`` → a leg; None without a route."""
    origin, destination = seg.get(1, 0).strip(), seg.get(2, 0).strip()
    if not origin or not destination:
        return None
    dep_date, dep_time = seg.get(0, 0), seg.get(0, 1)
    arr_date, arr_time = seg.get(0, 2) or dep_date, seg.get(0, 3)
    if seg.get(0, 2) and not seg.get(0, 3) and len(seg.get(0, 2)) == 4:
        arr_date, arr_time = dep_date, seg.get(0, 2)  # "date:dep:arr" variant
    return Leg(
        mode=mode,
        carrier=seg.get(3, 0).strip(),
        operating_carrier=seg.get(3, 1).strip(),
        number=seg.get(4, 0).strip(),
        booking_class=seg.get(4, 1).strip(),
        origin=origin,
        destination=destination,
        origin_name=seg.get(1, 1).strip(),
        departure=ddmmyy(dep_date, dep_time),
        arrival=ddmmyy(arr_date, arr_time) if arr_time else None,
    )
