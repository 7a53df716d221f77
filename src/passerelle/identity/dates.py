"""Dates of birth with unknown parts, and how two of them compare.

Watchlists and travel documents often hold partial dates: the year only (``1965``), the
year and month (``1965-04``), or an MRZ date with unknown parts written ``XX`` or ``00``
(common for people born where civil registration was incomplete). A date is kept as
``(year, month, day)`` with ``None`` for an unknown part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from passerelle.digits import to_int
from passerelle.errors import MalformedInput

_ISO = re.compile(r"^\s*([0-9]{4}|[Xx]{4})(?:-([0-9]{2}|[Xx]{2})(?:-([0-9]{2}|[Xx]{2}))?)?\s*$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of birth in which any part may be unknown."""

    year: int | None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        y = f"{self.year:04d}" if self.year is not None else "XXXX"
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


@lru_cache(maxsize=1 << 16)
def parse_date(text: str | None) -> PartialDate | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``XX``/``00`` = unknown); None if empty.

    Raises MalformedInput for anything else, so that a typo in an input file is reported
    instead of silently ignored.
    """
    if text is None or not text.strip():
        return None
    m = _ISO.match(text)
    if not m:
        raise MalformedInput(f"date of birth {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = _part(m.group(1), 1, 9999)
    month = _part(m.group(2), 1, 12)
    day = _part(m.group(3), 1, 31)
    if month == -1 or day == -1:
        raise MalformedInput(f"date of birth {text!r} has an impossible month or day")
    return PartialDate(year, month, day)


def _one_digit_apart(a: int, b: int, width: int) -> bool:
    sa, sb = f"{a:0{width}d}", f"{b:0{width}d}"
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> str:
    """How two dates of birth relate, as a label used by the scorer and the explanation.

    ``exact``, ``compatible`` (agree on every part both know), ``day/month swapped``,
    ``one-digit typo``, ``conflict`` or ``unknown`` (either side missing). Symmetric.
    """
    if a is None or b is None or a.year is None or b.year is None:
        return "unknown"
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
    return "conflict"
