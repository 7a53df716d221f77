"""The release calendar as iCalendar (RFC 5545): one VEVENT per release and per step.

Written by hand (about sixty lines): CRLF line ends (3.1), lines folded at 75 octets without
splitting a UTF-8 sequence (3.1), TEXT values escaped (3.3.11), all-day events as DATE values
(3.3.4) and a DTSTAMP on every event (3.6.1). TEXT may hold no control character but HTAB
(3.3.11 ``TSAFE-CHAR``): every line break a reader might honour (CR, LF, VT, FF, the
file/group/record separators, NEL, U+2028, U+2029) becomes ``\\n``, and the other C0 and C1
controls are dropped, so a name or institution received from a peer cannot add a property.
Summaries carry initials and a short id rather than names: a subscribed calendar is copied to
calendar servers outside the node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from passerelle.alerts import rules
from passerelle.alerts.schemas import ReleaseOut

PRODID = "-//Passerelle//alerts release calendar//EN"


_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): ``\\ ; ,`` escaped, line breaks ``\\n``,
    other control characters dropped (only HTAB is allowed)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(r"\\n", text))
    return _SURROGATES.sub("\ufffd", text)


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # continuation lines begin with one space
    return "\r\n ".join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _who(release: ReleaseOut) -> str:
    initials = " ".join(f"{p[0]}." for p in release.detainee_name.split() if p)
    return f"{initials} ({release.detainee_id[:8]})"


def _event(
    uid: str, day: date, summary: str, description: str, stamp: str, categories: str
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{escape(uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + timedelta(days=1))}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"CATEGORIES:{categories}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(releases: Iterable[ReleaseOut], *, node: str, now: datetime) -> str:
    """The VCALENDAR text (CRLF line ends) for ``releases`` and their steps."""
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(f'Passerelle {node} — releases')}",
    ]
    for r in releases:
        kind = rules.RELEASE_KINDS.get(r.kind, r.kind)
        lines += _event(
            f"release-{r.id}@{node.lower()}.passerelle",
            r.release_date,
            f"{kind}: {_who(r)}",
            f"{kind}, {r.institution}; scope: {r.scope}; followed by {r.origin}",
            stamp,
            "RELEASE",
        )
        for s in r.steps:
            state = "done" if s.done_at else ("OVERDUE" if s.overdue else "due")
            lines += _event(
                f"step-{s.id}@{node.lower()}.passerelle",
                s.due_date,
                f"{s.label} ({state}): {_who(r)}",
                f"{s.label} before the {kind.lower()} of {r.release_date.isoformat()}",
                stamp,
                "STEP",
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
