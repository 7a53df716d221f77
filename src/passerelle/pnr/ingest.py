"""Read one pushed file (PNRGOV, PAXLST or OSDM JSON) into bookings and quarantine items.

:func:`parse_file` is pure: it reads, it does not store. The service layer stores what was
accepted, keeps the quarantined items raw, and audits the deletions counted in ``dropped``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from passerelle.errors import MalformedInput
from passerelle.pnr import edifact
from passerelle.pnr.normalised import Booking, DropReport, Passenger
from passerelle.pnr.osdm import parse_osdm
from passerelle.pnr.paxlst import parse_paxlst
from passerelle.pnr.pnrgov import parse_pnrgov

__all__ = ["Format", "ParseResult", "QuarantinedItem", "detect_format", "parse_file"]

Format = Literal["edifact", "osdm"]


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
    pnrs: list[Booking] = field(default_factory=list)  # PNRGOV and OSDM bookings
    api: list[Booking] = field(default_factory=list)  # PAXLST passenger lists
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: DropReport = field(default_factory=DropReport)

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
        return not self.quarantined

    def summary(self) -> dict[str, Any]:
        """The JSON Lines object of ``passerelle pnr ingest --json``."""
        return {
            "file": self.file,
            "messages": self.messages,
            "pnrs": len(self.pnrs),
            "passengers": len(self.passengers),
            "record_locators": self.record_locators,
            "quarantined": [q.to_dict() for q in self.quarantined],
        }


def detect_format(data: bytes) -> Format:
    """JSON documents are OSDM; everything else is read as EDIFACT."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "osdm" if head[:1] in (b"{", b"[") else "edifact"


def parse_file(source: str | Path | bytes, filename: str | None = None) -> ParseResult:
    """Parse one pushed file; never raises on content (bad content goes to quarantine).

    ``source`` is a path or the raw bytes; ``filename`` names it in the result (defaults to
    the path). Raises only :class:`OSError` when a path cannot be read.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<bytes>"
    else:
        data = Path(source).read_bytes()
        name = filename or str(source)
    fmt = detect_format(data)
    result = ParseResult(name, fmt, hashlib.sha256(data).hexdigest())
    if fmt == "osdm":
        _osdm(data, result)
    else:
        _edifact(data, result)
    for booking in (*result.pnrs, *result.api):
        result.dropped.merge(booking.dropped)
    return result


def _osdm(data: bytes, result: ParseResult) -> None:
    result.messages = 1
    try:
        result.pnrs.append(parse_osdm(data))
    except MalformedInput as exc:
        result.quarantined.append(QuarantinedItem(result.file, 0, exc.message, _text(data)))


def _text(data: bytes) -> str:
    return edifact.decode(data)


def _edifact(data: bytes, result: ParseResult) -> None:
    try:
        tokens = edifact.tokenize(data)
    except edifact.EdifactError as exc:
        result.quarantined.append(
            QuarantinedItem(result.file, exc.segment, exc.message, _text(data))
        )
        return
    for bad in tokens.invalid:
        result.quarantined.append(QuarantinedItem(result.file, bad.number, bad.reason, bad.raw))
    interchange = edifact.split_interchange(tokens)
    result.warnings.extend(interchange.warnings)
    for bad in interchange.stray:
        result.quarantined.append(QuarantinedItem(result.file, bad.number, bad.reason, bad.raw))
    if not interchange.messages:
        result.quarantined.append(
            QuarantinedItem(result.file, 0, "no UNH message in the interchange", _text(data))
        )
    result.messages = len(interchange.messages)
    for message in interchange.messages:
        kind = message.type.upper()
        if kind == "PNRGOV":
            parsed = parse_pnrgov(message)
            result.pnrs.extend(parsed.bookings)
            result.warnings.extend(parsed.warnings)
            result.quarantined.extend(
                QuarantinedItem(result.file, q.number, q.reason, q.raw) for q in parsed.quarantined
            )
        elif kind == "PAXLST":
            result.api.append(parse_paxlst(message))
        else:
            raw = "'".join(s.raw for s in (message.header, *message.body))
            result.quarantined.append(
                QuarantinedItem(
                    result.file, message.header.number, f"unsupported message type {kind!r}", raw
                )
            )
