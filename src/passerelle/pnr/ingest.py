"""Read one pushed file (PNRGOV, PAXLST or OSDM JSON) into bookings and quarantine items.

:func:`parse_file` is pure: it reads, it does not store. The service layer stores what was
accepted, keeps the quarantined items raw, and audits the deletions counted in ``dropped``.

A push is bounded (:mod:`passerelle.pnr.rules`): at most ``max_quarantined`` items are kept
(the others are counted in ``quarantined_total``), and a push that is mostly unreadable, or
has more than ``MAX_SEGMENTS`` segments, is ``refused``: nothing of it is read, and it is kept
raw once as a single quarantine item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from passerelle.errors import MalformedInput, Quarantined
from passerelle.pnr import edifact, rules
from passerelle.pnr.normalised import DropReport, ParsedBooking, Passenger
from passerelle.pnr.osdm import parse_osdm
from passerelle.pnr.paxlst import parse_paxlst
from passerelle.pnr.pnrgov import parse_pnrgov

__all__ = [
    "Format",
    "ParseResult",
    "PushRefused",
    "QuarantinedItem",
    "detect_format",
    "parse_file",
]

Format = Literal["edifact", "osdm"]
#: Quarantine items kept per push by default (``PASSERELLE_PNR_QUARANTINE_ROWS``).
DEFAULT_QUARANTINE_ROWS = 100


class PushRefused(Quarantined):
    """A push refused whole (mostly unreadable, or too many segments); kept raw once."""

    code = "push_refused"


@dataclass(frozen=True, slots=True)
class QuarantinedItem:
    """What could not be recovered: raw text, file, segment number (0: whole file) and why."""

    file: str
    segment: int
    reason: str
    raw: str

    def to_dict(self) -> dict[str, Any]:
        """``{segment, reason}`` as printed by ``pnr ingest --json``."""
        return {"segment": self.segment, "reason": self.reason}


@dataclass(slots=True)
class ParseResult:
    """Everything read from one file."""

    file: str
    format: Format
    digest: str  # SHA-256 of the raw bytes: the same push twice is processed once
    messages: int = 0
    pnrs: list[ParsedBooking] = field(default_factory=list)  # PNRGOV and OSDM bookings
    api: list[ParsedBooking] = field(default_factory=list)  # PAXLST passenger lists
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: DropReport = field(default_factory=DropReport)
    quarantined_total: int = 0  # every item, also those beyond the per-push cap
    refused: str = ""  # why the whole push was refused, or ""
    max_quarantined: int = DEFAULT_QUARANTINE_ROWS

    def quarantine(self, item: QuarantinedItem) -> None:
        """Keep ``item`` unless the push already holds ``max_quarantined``; count it anyway."""
        self.quarantined_total += 1
        if len(self.quarantined) < self.max_quarantined:
            self.quarantined.append(item)

    def refuse(self, reason: str, raw: str, unreadable: int) -> None:
        """Refuse the whole push: nothing read is kept, the raw text once, with ``reason``."""
        self.refused = reason
        self.pnrs, self.api, self.messages = [], [], 0
        self.dropped = DropReport()
        self.quarantined = [QuarantinedItem(self.file, 0, reason, raw)]
        self.quarantined_total = max(unreadable, 1)

    @property
    def passengers(self) -> list[Passenger]:
        """Every traveller read, from PNRs and API lists."""
        return [p for b in (*self.pnrs, *self.api) for p in b.passengers]

    @property
    def record_locators(self) -> list[str]:
        """The record locator of each PNR (its first RCI), in file order."""
        return [b.record_locator for b in self.pnrs]

    @property
    def accepted(self) -> bool:
        """True when nothing went to quarantine."""
        return not self.quarantined_total and not self.quarantined

    def summary(self) -> dict[str, Any]:
        """The JSON Lines object of ``passerelle pnr ingest --json``.

        ``quarantined`` lists the items kept (at most the per-push cap);
        ``quarantined_total`` (when more were found) and ``refused`` (when the push was
        refused whole) appear only when they apply.
        """
        summary: dict[str, Any] = {
            "file": self.file,
            "messages": self.messages,
            "pnrs": len(self.pnrs),
            "passengers": len(self.passengers),
            "record_locators": self.record_locators,
            "quarantined": [q.to_dict() for q in self.quarantined],
        }
        if self.quarantined_total > len(self.quarantined):
            summary["quarantined_total"] = self.quarantined_total
        if self.refused:
            summary["refused"] = self.refused
        return summary


def detect_format(data: bytes) -> Format:
    """JSON documents are OSDM; everything else is read as EDIFACT."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "osdm" if head[:1] in (b"{", b"[") else "edifact"


def parse_file(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    max_quarantined: int = DEFAULT_QUARANTINE_ROWS,
) -> ParseResult:
    """Parse one pushed file; never raises on content (bad content goes to quarantine).

    ``source`` is a path or the raw bytes; ``filename`` names it in the result (defaults to
    the path); ``max_quarantined`` caps the quarantine items kept (the rest are counted).
    Raises only :class:`OSError` when a path cannot be read.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<bytes>"
    else:
        data = Path(source).read_bytes()
        name = filename or str(source)
    fmt = detect_format(data)
    result = ParseResult(
        name, fmt, hashlib.sha256(data).hexdigest(), max_quarantined=max(max_quarantined, 1)
    )
    if fmt == "osdm":
        _osdm(data, result)
    else:
        _edifact(data, result)
    if result.refused:
        return result
    for booking in (*result.pnrs, *result.api):
        result.dropped.merge(booking.dropped)
    return result


def _osdm(data: bytes, result: ParseResult) -> None:
    result.messages = 1
    try:
        result.pnrs.append(parse_osdm(data))
    except MalformedInput as exc:
        result.quarantine(QuarantinedItem(result.file, 0, exc.message, _text(data)))


def _text(data: bytes) -> str:
    return edifact.decode(data)


def _mostly_garbage(unreadable: int, segments: int) -> bool:
    return unreadable >= rules.GARBAGE_MIN_ITEMS and unreadable > rules.GARBAGE_SHARE * segments


def _refusal(unreadable: int, segments: int) -> str:
    return (
        f"push refused: {unreadable} of its {segments} segments cannot be read; "
        "kept raw once, nothing of it stored"
    )


def _edifact(data: bytes, result: ParseResult) -> None:
    text = _text(data)
    # Counting terminators costs no memory; splitting millions of tiny segments would.
    head = text[:16].lstrip("\ufeff \t\r\n")
    terminator = head[8] if head.startswith("UNA") and len(head) > 8 else "'"
    pieces = text.count(terminator) + (text.count("\u2019") if terminator == "'" else 0)
    if pieces > rules.MAX_SEGMENTS:
        result.refuse(
            f"push refused: about {pieces} segments, more than the {rules.MAX_SEGMENTS} a "
            "push may hold; kept raw once, nothing of it stored",
            text,
            pieces,
        )
        return
    try:
        tokens = edifact.tokenize(text)
    except edifact.EdifactError as exc:
        result.quarantine(QuarantinedItem(result.file, exc.segment, exc.message, text))
        return
    segments = len(tokens.segments) + len(tokens.invalid) + tokens.empty
    unreadable = len(tokens.invalid) + tokens.empty
    if _mostly_garbage(unreadable, segments):
        result.refuse(_refusal(unreadable, segments), text, unreadable)
        return
    for bad in tokens.invalid:
        result.quarantine(QuarantinedItem(result.file, bad.number, bad.reason, bad.raw))
    interchange = edifact.split_interchange(tokens)
    result.warnings.extend(interchange.warnings[: result.max_quarantined])
    for bad in interchange.stray:
        result.quarantine(QuarantinedItem(result.file, bad.number, bad.reason, bad.raw))
    if not interchange.messages:
        result.quarantine(
            QuarantinedItem(result.file, 0, "no UNH message in the interchange", text)
        )
    result.messages = len(interchange.messages)
    for message in interchange.messages:
        kind = message.type.upper()
        if kind == "PNRGOV":
            parsed = parse_pnrgov(message)
            result.pnrs.extend(parsed.bookings)
            result.warnings.extend(parsed.warnings[: result.max_quarantined])
            for q in parsed.quarantined:
                result.quarantine(QuarantinedItem(result.file, q.number, q.reason, q.raw))
        elif kind == "PAXLST":
            result.api.append(parse_paxlst(message))
        else:
            raw = "'".join(s.raw for s in (message.header, *message.body))
            result.quarantine(
                QuarantinedItem(
                    result.file, message.header.number, f"unsupported message type {kind!r}", raw
                )
            )
    if _mostly_garbage(result.quarantined_total, segments):
        result.refuse(_refusal(result.quarantined_total, segments), text, result.quarantined_total)
