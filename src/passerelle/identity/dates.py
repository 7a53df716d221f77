"""Dates of birth with unknown parts, and how two of them compare.

Watchlists and travel documents often hold partial dates: the year only (``1965``), the
year and month (``1965-04``), or an MRZ date with unknown parts written ``XX`` or ``00``
(common for people born where civil registration was incomplete). A date is kept as
``(year, month, day)`` with ``None`` for an unknown part. Lists also give approximate years
(``1975~``), ranges (``1975/1977``) and several dates per person (``1975-03-01;1976``): all
are kept, and two people are compared on their best-agreeing pair, graded by year distance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from passerelle.digits import to_int
from passerelle.errors import MalformedInput
from passerelle.identity import rules

_ISO = re.compile(r"^\s*([0-9]{4}|[Xx]{4})(?:-([0-9]{2}|[Xx]{2})(?:-([0-9]{2}|[Xx]{2}))?)?\s*$")
# The same shape with unpadded month or day ("1969-7-16"), read only in lenient mode.
_LOOSE = re.compile(r"^\s*([0-9]{4})(?:-([0-9]{1,2}|[Xx]{2})(?:-([0-9]{1,2}|[Xx]{2}))?)?\s*$")
_APPROX = re.compile(r"^\s*(?:~|ca\.?\s*|circa\s+)?([0-9]{4})\s*~?\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*([0-9]{4})\s*/\s*([0-9]{4})\s*$")
# A year range wider than this is no information about the year (it is read as unknown).
MAX_RANGE_YEARS = 10


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of birth in which any part may be unknown; ``approx`` years either way (``1975~``)."""

    year: int | None
    month: int | None = None
    day: int | None = None
    approx: int = 0

    def __str__(self) -> str:
        y = f"{self.year:04d}" if self.year is not None else "XXXX"
        if self.approx:
            return f"{y}~"
        if self.month is None and self.day is None:
            return y
        m = f"{self.month:02d}" if self.month is not None else "XX"
        if self.day is None:
            return f"{y}-{m}"
        return f"{y}-{m}-{self.day:02d}"


def _part(text: str | None, low: int, high: int) -> int | None:
    value = to_int(text, 4) if text is not None else None
    if not value:  # None (XX, XXXX) or 0 (00, 0000): unknown
        return None
    return value if low <= value <= high else -1


def _one(text: str, strict: bool, problems: list[str]) -> tuple[PartialDate, ...]:
    """One value: an ISO date, an approximate year or a year range."""
    m = _APPROX.match(text)
    if m and not text.strip().isdigit():
        return (PartialDate(int(m.group(1)), approx=rules.DOB_APPROX_YEARS),)
    m = _RANGE.match(text)
    if m:
        low, high = sorted((int(m.group(1)), int(m.group(2))))
        if high - low > MAX_RANGE_YEARS:
            problems.append(f"date of birth {text!r}: range wider than {MAX_RANGE_YEARS} years")
            return ()
        return tuple(PartialDate(y) for y in range(low, high + 1))
    m = _ISO.match(text)
    if not m:
        m = None if strict else _LOOSE.match(text)
        if not m:
            problems.append(f"date of birth {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            return ()
        problems.append(f"date of birth {text!r}: month or day not written with two digits")
    year = _part(m.group(1), 1, 9999)
    month = _part(m.group(2), 1, 12)
    day = _part(m.group(3), 1, 31)
    if month == -1:
        problems.append(f"date of birth {text!r} has an impossible month")
        return (PartialDate(year),)
    if day == -1 or (day and month and year and not _exists(year, month, day)):
        problems.append(f"date of birth {text!r} has an impossible day")
        return (PartialDate(year, month),)
    return (PartialDate(year, month, day),)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1 << 16)
def read_dates(text: str | None, strict: bool = True) -> tuple[tuple[PartialDate, ...], str]:
    """Every date a ``date_of_birth`` cell gives, and what was wrong with it ("" if nothing).

    A cell holds one value or several separated by ``;``; a value is ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` (``XX``/``00`` = unknown), an approximate year ``1975~`` or a range
    ``1975/1977``. Strict: any problem raises MalformedInput. Lenient: the unusable part of a
    value is unknown (``1974-01-32`` keeps 1974-01; ``1969-7-16`` is read as 1969-07-16) and
    the problem is returned for a rejects report.
    """
    if text is None or not text.strip():
        return (), ""
    problems: list[str] = []
    found: list[PartialDate] = []
    for value in text.split(";"):
        if value.strip():
            found.extend(_one(value, strict, problems))
    if strict and problems:
        raise MalformedInput(problems[0])
    return tuple(dict.fromkeys(found)), "; ".join(problems)


def parse_date(text: str | None) -> PartialDate | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``XX``/``00`` = unknown); None if empty.

    Raises MalformedInput for anything else, so that a typo in an input file is reported
    instead of silently ignored. A cell with several dates (``;``), an approximate year or a
    range gives its first date here; :func:`read_dates` gives them all.
    """
    dates, _ = read_dates(text)
    return dates[0] if dates else None


def _one_digit_apart(a: int, b: int, width: int) -> bool:
    sa, sb = f"{a:0{width}d}", f"{b:0{width}d}"
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> str:
    """How two dates of birth relate, as a label used by the scorer and the explanation.

    ``exact``, ``compatible`` (agree on every part both know, or within an approximate
    year's margin), ``day/month swapped``, ``one-digit typo``, ``1 year apart``,
    ``N years apart`` (2 to 5), ``same year, other day``, ``conflict`` (more than 5 years) or
    ``unknown`` (either side missing). Symmetric.
    """
    if a is None or b is None or a.year is None or b.year is None:
        return "unknown"
    gap = abs(a.year - b.year)
    if a.approx or b.approx:
        gap = max(0, gap - max(a.approx, b.approx))
        return "compatible" if gap == 0 else _years_apart(gap)
    pairs = [(a.year, b.year), (a.month, b.month), (a.day, b.day)]
    known = [(x, y) for x, y in pairs if x is not None and y is not None]
    if all(x == y for x, y in known):
        full = a.month is not None and a.day is not None and a == b
        return "exact" if full else "compatible"
    if (
        a.year == b.year
        and None not in (a.month, a.day, b.month, b.day)
        and (a.month, a.day) == (b.day, b.month)
    ):
        return "day/month swapped"
    if len(known) == 3:
        diffs = [(x, y, w) for (x, y), w in zip(pairs, (4, 2, 2), strict=True) if x != y]
        if len(diffs) == 1:
            x, y, w = diffs[0]
            if x is not None and y is not None and _one_digit_apart(x, y, w):
                return "one-digit typo"
    if gap == 0:
        return "same year, other day"
    return _years_apart(gap)


def _years_apart(gap: int) -> str:
    if gap > rules.DOB_CLOSE_YEARS:
        return "conflict"
    return "1 year apart" if gap == 1 else f"{gap} years apart"


def date_delta(label: str, year_only: bool = False) -> float:
    """Score added for a date label (graded by year distance, ``rules.DOB_*``).

    ``year_only``: one of the two dates is a bare year, often an estimate; the distance then
    costs ``rules.DOB_YEAR_ONLY_APPROX`` years less (the label still says how far apart).
    """
    if label.endswith("years apart") or label == "1 year apart":
        gap = int(label.split()[0])
        if year_only:
            gap -= rules.DOB_YEAR_ONLY_APPROX
        return rules.DOB_YEARS_APART[gap]
    return _DELTA.get(label, 0.0)


_DELTA = {
    "exact": rules.DOB_EXACT,
    "compatible": rules.DOB_COMPATIBLE,
    "day/month swapped": rules.DOB_SWAPPED,
    "one-digit typo": rules.DOB_TYPO,
    "same year, other day": rules.DOB_SAME_YEAR,
    "conflict": rules.DOB_CONFLICT,
}


def compare_birth_dates(
    a: tuple[PartialDate, ...], b: tuple[PartialDate, ...]
) -> tuple[str, float]:
    """The best-agreeing pair of dates of two people (several per person allowed)."""
    if not a or not b:
        return "unknown", 0.0
    best = ("unknown", -1.0)
    for x in a:
        for y in b:
            label = compare_dates(x, y)
            bare = not (x.approx or y.approx) and (x.month is None or y.month is None)
            delta = date_delta(label, bare)
            if delta > best[1]:
                best = (label, delta)
    return best
