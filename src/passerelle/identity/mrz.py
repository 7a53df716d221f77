"""ICAO Doc 9303 machine-readable zones: TD1, TD2, TD3 and visas (MRV-A, MRV-B).

Layouts and the check-digit algorithm follow ICAO Doc 9303 (8th ed.): Part 3 section 4.9
(check digits: weights 7-3-1, ``<`` = 0, ``A``–``Z`` = 10–35), Part 4 (TD3 passports, 2×44),
Part 5 (TD1 cards, 3×30), Part 6 (TD2, 2×36), Part 7 (visas: MRV-A 2×44, MRV-B 2×36).
A failed check digit does not raise: it is reported in ``checks`` so a reviewer sees it, since
a misread character must not hide a person from screening.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from passerelle.digits import to_int
from passerelle.errors import MalformedInput
from passerelle.identity.dates import PartialDate

_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data`` (Part 3 section 4.9)."""
    total = 0
    for i, ch in enumerate(data):
        if "0" <= ch <= "9":
            value = ord(ch) - 48
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        elif ch == "<":
            value = 0
        else:
            raise MalformedInput(f"character {ch!r} is not allowed in a machine-readable zone")
        total += value * (7, 3, 1)[i % 3]
    return total % 10


@dataclass(frozen=True, slots=True)
class MrzData:
    """The fields of a machine-readable zone, with the outcome of every check digit."""

    format: str  # TD1, TD2, TD3, MRV-A, MRV-B
    document_code: str
    issuing_state: str
    family_name: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: PartialDate | None
    sex: str  # M, F or X (unspecified)
    expiry_date: PartialDate | None
    optional_data: str
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when every check digit of the zone verifies."""
        return all(self.checks.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        data = asdict(self)
        data["date_of_birth"] = str(self.date_of_birth) if self.date_of_birth else None
        data["expiry_date"] = str(self.expiry_date) if self.expiry_date else None
        data["valid"] = self.valid
        return data


def _date(yymmdd: str, *, birth: bool, today: dt.date | None = None) -> PartialDate | None:
    if len(yymmdd) != 6 or yymmdd == "<<<<<<":
        return None
    yy, mm, dd = yymmdd[:2], yymmdd[2:4], yymmdd[4:]
    year: int | None = None
    short = to_int(yy, 2)
    if short is not None:
        now = (today or dt.date.today()).year % 100
        # Birth dates are in the past; expiry dates of valid documents within a few decades.
        century = (1900 if short > now else 2000) if birth else (2000 if short < 70 else 1900)
        year = century + short
    month, day = to_int(mm, 2), to_int(dd, 2)
    month = month if month is not None and 1 <= month <= 12 else None
    day = day if day is not None and 1 <= day <= 31 else None
    return PartialDate(year, month, day)


def _names(field_text: str) -> tuple[str, str]:
    family, _, given = field_text.strip("<").partition("<<")
    return family.replace("<", " ").strip(), given.replace("<", " ").strip()


def _lines(mrz: str | list[str] | tuple[str, ...]) -> list[str]:
    raw = mrz.splitlines() if isinstance(mrz, str) else list(mrz)
    lines = [line.strip().upper().replace(" ", "") for line in raw if line.strip()]
    for n, line in enumerate(lines, 1):
        if not _MRZ_CHARS.match(line):
            raise MalformedInput(f"MRZ line {n} has characters outside A-Z, 0-9 and '<'", line=n)
    return lines


def _check(data: str, digit: str) -> bool:
    return check_digit(data) == to_int(digit, 1)


def parse_mrz(mrz: str | list[str] | tuple[str, ...]) -> MrzData:
    """Parse a TD1, TD2, TD3 or visa MRZ given as one string with line breaks or as lines."""
    lines = _lines(mrz)
    shape = (len(lines), *(len(line) for line in lines))
    if shape == (3, 30, 30, 30):
        return _td1(lines)
    if shape in ((2, 44, 44), (2, 36, 36)):
        return _two_line(lines)
    raise MalformedInput(
        "not an ICAO 9303 MRZ: expected 3×30 (TD1), 2×36 (TD2, MRV-B) or 2×44 (TD3, MRV-A) "
        f"characters, got {len(lines)} line(s) of {', '.join(str(len(x)) for x in lines)}"
    )


def _two_line(lines: list[str]) -> MrzData:
    l1, l2 = lines
    width = len(l1)
    visa = l1[0] == "V"
    fmt = ("MRV-A" if visa else "TD3") if width == 44 else ("MRV-B" if visa else "TD2")
    family, given = _names(l1[5:])
    number = l2[0:9]
    checks = {
        "document_number": _check(number, l2[9]),
        "date_of_birth": _check(l2[13:19], l2[19]),
        "expiry_date": _check(l2[21:27], l2[27]),
    }
    if fmt == "TD3":
        optional = l2[28:42]
        if optional.strip("<") or l2[42] != "<":
            checks["optional_data"] = _check(optional, l2[42]) or (
                l2[42] == "<" and not optional.strip("<")
            )
        checks["composite"] = _check(l2[0:10] + l2[13:20] + l2[21:43], l2[43])
    elif fmt == "TD2":
        optional = l2[28:35]
        checks["composite"] = _check(l2[0:10] + l2[13:20] + l2[21:35], l2[35])
    else:
        optional = l2[28:]
    return MrzData(
        format=fmt,
        document_code=l1[0:2].strip("<"),
        issuing_state=l1[2:5].strip("<"),
        family_name=family,
        given_names=given,
        document_number=number.strip("<"),
        nationality=l2[10:13].strip("<"),
        date_of_birth=_date(l2[13:19], birth=True),
        sex=l2[20] if l2[20] in "MF" else "X",
        expiry_date=_date(l2[21:27], birth=False),
        optional_data=optional.strip("<"),
        checks=checks,
    )


def _td1(lines: list[str]) -> MrzData:
    l1, l2, l3 = lines
    number, digit, optional1 = l1[5:14], l1[14], l1[15:30]
    if digit == "<" and optional1.strip("<"):
        # Part 5 note j: a number longer than 9 characters continues in the optional field,
        # followed by its check digit, and the check-digit position holds "<".
        extra = optional1.split("<", 1)[0]
        number, digit, optional1 = number + extra[:-1], extra[-1:], optional1[len(extra) :]
    family, given = _names(l3)
    checks = {
        "document_number": _check(number, digit),
        "date_of_birth": _check(l2[0:6], l2[6]),
        "expiry_date": _check(l2[8:14], l2[14]),
        "composite": _check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    }
    return MrzData(
        format="TD1",
        document_code=l1[0:2].strip("<"),
        issuing_state=l1[2:5].strip("<"),
        family_name=family,
        given_names=given,
        document_number=number.strip("<"),
        nationality=l2[15:18].strip("<"),
        date_of_birth=_date(l2[0:6], birth=True),
        sex=l2[7] if l2[7] in "MF" else "X",
        expiry_date=_date(l2[8:14], birth=False),
        optional_data=(optional1 + l2[18:29]).strip("<"),
        checks=checks,
    )
