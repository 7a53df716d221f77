"""Our own UN/EDIFACT tokenizer, tolerant of what real PNRGOV and PAXLST pushes look like.

It honours the UNA service string advice (any service characters), the release character,
UNG/UNE functional groups, segments split over several lines, the typographic apostrophe (’)
used as segment terminator, missing or short UNA strings and empty segments.

Speed matters (millions of passengers a day), so the work is done by ``str.split`` and
``str.replace`` in C: line breaks are removed in one pass, released service characters are
swapped for placeholders that cannot occur in EDIFACT text, and the text is then split on the
terminator, the element and the component separators. There is no per-character Python loop.

Errors are typed (:class:`EdifactError`, a :class:`~passerelle.errors.MalformedInput`) and
carry the 1-based number of the segment they concern; segments that cannot be read are not
fatal: they are reported in :attr:`Tokens.invalid` with their raw text so that callers can
quarantine them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from passerelle.digits import to_int
from passerelle.errors import MalformedInput

__all__ = [
    "DEFAULT_SERVICE",
    "EdifactError",
    "EnvelopeError",
    "Interchange",
    "InvalidSegment",
    "Message",
    "NotEdifact",
    "Segment",
    "ServiceChars",
    "Tokens",
    "decode",
    "split_interchange",
    "tokenize",
]


class EdifactError(MalformedInput):
    """An EDIFACT text that cannot be read; ``segment`` is the 1-based segment number."""

    code = "edifact_error"

    def __init__(self, message: str, *, segment: int = 0, **details: Any) -> None:
        super().__init__(message, segment=segment, **details)
        self.segment = segment


class NotEdifact(EdifactError):
    """The input is empty or is not EDIFACT at all."""

    code = "not_edifact"


class EnvelopeError(EdifactError):
    """The interchange envelope (UNB/UNG/UNH/UNT/UNE/UNZ) cannot be recovered."""

    code = "edifact_envelope"


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six service characters of ISO 9735 (UNA)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"


DEFAULT_SERVICE = ServiceChars()

# Placeholders for released service characters: control characters never valid in EDIFACT
# text (level A/B/C character sets), so they cannot collide with data.
_REL_RELEASE, _REL_TERM, _REL_ELEM, _REL_COMP, _REL_REP = "\x00", "\x01", "\x02", "\x03", "\x04"
_PLACEHOLDERS = (_REL_RELEASE, _REL_TERM, _REL_ELEM, _REL_COMP, _REL_REP)
_HAS_PLACEHOLDER = re.compile("[\x00-\x04]").search
_TAG_OK = re.compile(r"[A-Z][A-Z0-9]{2}\Z").match
_APOSTROPHES = ("'", "\u2019")


class _Dialect:
    """What a segment needs to split itself: separators, and whether text was released."""

    __slots__ = ("component", "element", "released", "service")

    def __init__(self, service: ServiceChars, released: bool) -> None:
        self.service = service
        self.element = service.element
        self.component = service.component
        self.released = released


_PLAIN = _Dialect(ServiceChars(), released=False)


class Segment:
    """One segment: its tag, its number (1-based) and its data elements.

    Elements (each a list of components, released characters restored) are split on first
    access: finding segments is the tokenizer's hot loop, and many segments of a PNRGOV
    push are only counted, never read.
    """

    __slots__ = ("_dialect", "_elements", "_text", "number", "tag")

    def __init__(self, tag: str, number: int, text: str, dialect: _Dialect = _PLAIN) -> None:
        self.tag = tag
        self.number = number
        self._text = text
        self._dialect = dialect
        self._elements: list[list[str]] | None = None

    @classmethod
    def of(cls, tag: str, elements: list[list[str]], number: int, raw: str) -> Segment:
        """A segment built from already split elements (``raw`` is kept for quarantine)."""
        seg = cls(tag, number, raw)
        seg._elements = elements
        return seg

    @property
    def raw(self) -> str:
        """The segment's text as sent (without terminator, service characters restored)."""
        d = self._dialect
        return _restore(self._text, d.service) if d.released else self._text

    @property
    def elements(self) -> list[list[str]]:
        """Data elements after the tag, each a list of components."""
        elements = self._elements
        if elements is None:
            d = self._dialect
            parts = self._text.split(d.element)
            del parts[0]
            elements = list(map(str.split, parts, repeat(d.component)))
            if d.released and _HAS_PLACEHOLDER(self._text):
                svc = d.service
                elements = [[_restore(c, svc) for c in e] for e in elements]
            self._elements = elements
        return elements

    def get(self, element: int, component: int = 0, default: str = "") -> str:
        """Component ``component`` of data element ``element`` (both 0-based), or ``default``."""
        try:
            return self.elements[element][component]
        except IndexError:
            return default

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.number}, {self.raw!r})"


@dataclass(frozen=True, slots=True)
class InvalidSegment:
    """A piece of text between two terminators that is not a segment."""

    number: int
    raw: str
    reason: str


@dataclass(slots=True)
class Tokens:
    """The result of :func:`tokenize`."""

    service: ServiceChars
    segments: list[Segment]
    invalid: list[InvalidSegment] = field(default_factory=list)
    empty: int = 0
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Decode a push: UTF-8 (with or without BOM) when valid, else ISO 8859-1 (never fails)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _read_una(text: str, warnings: list[str]) -> tuple[ServiceChars, int]:
    """Service characters and the offset where the data after UNA starts."""
    if not text.startswith("UNA"):
        return DEFAULT_SERVICE, 0
    chars = text[3:9]
    if len(chars) == 6 and len(set(chars[:2] + chars[3:])) == 5 and chars[5] not in " \r\n":
        return ServiceChars(chars[0], chars[1], chars[2], chars[3], chars[4], chars[5]), 9
    # A short UNA (one character missing, seen in real pushes): the terminator is the
    # apostrophe that closes it; the missing character is the decimal mark.
    for end in range(5, 9):
        if text[end : end + 1] in _APOSTROPHES:
            got = text[3:end]
            if len(got) == 4 and got[2] not in ".,":
                warnings.append(f"UNA has 5 service characters, decimal mark assumed: {got!r}")
                return ServiceChars(got[0], got[1], ".", got[2], got[3], text[end]), end + 1
            if len(got) == 5:
                return ServiceChars(got[0], got[1], got[2], got[3], got[4], text[end]), end + 1
    raise NotEdifact("UNA service string advice cannot be read", segment=1, una=text[:9])


def tokenize(data: str | bytes) -> Tokens:
    """Split an EDIFACT interchange into segments, elements and components.

    Raises :class:`NotEdifact` when the text holds no segment at all. Unreadable segments
    (bad tag) are returned in ``invalid`` rather than raised.
    """
    text = decode(data) if isinstance(data, bytes) else data
    warnings: list[str] = []
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise NotEdifact("empty input: no EDIFACT segment")
    svc, start = _read_una(text, warnings)
    if start:
        text = text[start:]
    # Segments split over lines: EDIFACT carries no line breaks, so they are removed.
    if "\n" in text or "\r" in text:
        text = text.replace("\r", "").replace("\n", "")
    term, elem, comp, rel = svc.terminator, svc.element, svc.component, svc.release
    if term in _APOSTROPHES:
        other = _APOSTROPHES[1] if term == "'" else _APOSTROPHES[0]
        if other in text:
            text = text.replace(other, term)
    released = rel in text
    if released:
        if any(p in text for p in _PLACEHOLDERS):
            raise NotEdifact("control characters in EDIFACT text", segment=0)
        text = (
            text.replace(rel + rel, _REL_RELEASE)
            .replace(rel + term, _REL_TERM)
            .replace(rel + elem, _REL_ELEM)
            .replace(rel + comp, _REL_COMP)
            .replace(rel + svc.repetition, _REL_REP)
        )
    pieces = [p.strip() for p in text.split(term)]
    kept = [p for p in pieces if p]
    empty = len(pieces) - len(kept) - (1 if not pieces[-1] else 0)  # a final terminator
    dialect = _Dialect(svc, released)
    ok = (elem, "")
    if all(_TAG_OK(h[:3]) and (h[3:] in ok or h[:3] == "UNA") for h in {p[:4] for p in kept}):
        # The usual case: every piece is a segment; no per-piece Python branch.
        tags = [p[:3] for p in kept]
        segments = list(map(Segment, tags, range(1, len(kept) + 1), kept, repeat(dialect)))
        invalid: list[InvalidSegment] = []
    else:
        segments, invalid = _checked(kept, dialect)
    if not segments:
        raise NotEdifact("no EDIFACT segment found", segment=len(kept))
    return Tokens(svc, segments, invalid, max(empty, 0), warnings)


def _checked(kept: list[str], dialect: _Dialect) -> tuple[list[Segment], list[InvalidSegment]]:
    """The slow path, when some piece is not a segment: check each one."""
    segments: list[Segment] = []
    invalid: list[InvalidSegment] = []
    ok = (dialect.element, "")
    for number, piece in enumerate(kept, 1):
        tag = piece[:3]
        if _TAG_OK(tag) and (piece[3:4] in ok or tag == "UNA"):
            segments.append(Segment(tag, number, piece, dialect))
        else:
            raw = _restore(piece, dialect.service) if dialect.released else piece
            invalid.append(InvalidSegment(number, raw, _bad(piece.split(dialect.element, 1)[0])))
    return segments, invalid


def _bad(tag: str) -> str:
    shown = tag[:12] + ("…" if len(tag) > 12 else "")
    return f"not a segment: tag {shown!r} is not three letters or digits"


def _restore(value: str, svc: ServiceChars) -> str:
    if not _HAS_PLACEHOLDER(value):
        return value
    return (
        value.replace(_REL_TERM, svc.terminator)
        .replace(_REL_ELEM, svc.element)
        .replace(_REL_COMP, svc.component)
        .replace(_REL_REP, svc.repetition)
        .replace(_REL_RELEASE, svc.release)
    )


@dataclass(slots=True)
class Message:
    """One UNH…UNT message: its header, its body segments and the group it was sent in."""

    header: Segment
    body: list[Segment]
    group: Segment | None = None
    trailer: Segment | None = None

    @property
    def reference(self) -> str:
        """The message reference number (UNH element 1)."""
        return self.header.get(0)

    @property
    def type(self) -> str:
        """The message type, e.g. ``PNRGOV`` or ``PAXLST``."""
        return self.header.get(1)


@dataclass(slots=True)
class Interchange:
    """The envelope view of a token stream."""

    header: Segment | None
    messages: list[Message]
    stray: list[InvalidSegment]
    warnings: list[str]


def split_interchange(tokens: Tokens) -> Interchange:
    """Group segments into messages (UNH…UNT), within optional UNG…UNE groups.

    Recoverable faults (missing UNT or UNZ, wrong segment counts) become warnings; segments
    outside any message become ``stray`` for quarantine.
    """
    header: Segment | None = None
    group: Segment | None = None
    current: Message | None = None
    messages: list[Message] = []
    stray: list[InvalidSegment] = []
    warnings = list(tokens.warnings)
    for seg in tokens.segments:
        tag = seg.tag
        if tag == "UNH":
            if current is not None:
                warnings.append(
                    f"segment {seg.number}: UNH before UNT of message {current.reference}"
                )
            current = Message(seg, [], group)
            messages.append(current)
        elif tag == "UNT":
            if current is None:
                stray.append(InvalidSegment(seg.number, seg.raw, "UNT outside a message"))
                continue
            current.trailer = seg
            declared = seg.get(0)
            actual = len(current.body) + 2
            count = to_int(declared)
            if count is None and declared:
                shown = declared[:12] + ("…" if len(declared) > 12 else "")
                warnings.append(f"segment {seg.number}: UNT count {shown!r} is not a number")
            elif count is not None and count != actual:
                warnings.append(
                    f"segment {seg.number}: UNT counts {declared} segments, message has {actual}"
                )
            current = None
        elif current is not None and tag not in ("UNB", "UNZ", "UNG", "UNE", "UNA"):
            current.body.append(seg)
            continue
        if tag in ("UNB", "UNZ", "UNG", "UNE", "UNA") and current is not None:
            warnings.append(f"message {current.reference}: no UNT before {tag}")
            current = None
        if tag in ("UNH", "UNT"):
            continue
        if tag == "UNB":
            header = seg
        elif tag == "UNG":
            group = seg
        elif tag == "UNE":
            group = None
        elif tag in ("UNZ", "UNA"):  # UNA: a later interchange's service string advice
            pass
        else:
            stray.append(InvalidSegment(seg.number, seg.raw, f"{tag} segment outside a message"))
    if current is not None:
        warnings.append(f"message {current.reference}: no UNT, ends at end of file")
    return Interchange(header, messages, stray, warnings)
