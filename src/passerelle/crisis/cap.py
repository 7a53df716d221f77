"""CAP 1.2 documents: validation against the official XSD, then parsing into plain values.

The parser never resolves entities, never loads a DTD and never touches the network; a document
with a DOCTYPE is refused outright. Validation reports the first schema error with its line, the
way ``xmllint --schema`` does. What the XSD types as plain strings but CAP 1.2 §3.3.2 defines
(polygons, circles) and the references list are checked after the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from lxml import etree

from passerelle.crisis import rules
from passerelle.errors import MalformedInput, PayloadTooLarge

NS = rules.CAP_NAMESPACE
_Q = "{" + NS + "}"


class CapInvalid(MalformedInput):
    """A document that is not valid CAP 1.2; ``reason`` names the error and its line."""

    code = "cap_invalid"

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{reason}", line=line, reason=reason)
        self.line = line
        self.reason = reason


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


@cache
def schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema, loaded once from the package (never from the network)."""
    return etree.XMLSchema(etree.parse(str(rules.CAP_XSD), _parser()))


@dataclass(frozen=True)
class Area:
    desc: str
    #: Each polygon as (lat, lon) pairs, closed.
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    #: Each circle as (lat, lon, radius_km).
    circles: list[tuple[float, float, float]] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Info:
    language: str
    categories: list[str]
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str = ""
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    onset: datetime | None = None
    expires: datetime | None = None
    areas: list[Area] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: str

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


@dataclass(frozen=True)
class CapMessage:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    restriction: str = ""
    addresses: str = ""
    note: str = ""
    references: list[Reference] = field(default_factory=list)
    incidents: str = ""
    infos: list[Info] = field(default_factory=list)

    @property
    def first_info(self) -> Info | None:
        return self.infos[0] if self.infos else None


def _document(raw: bytes) -> etree._ElementTree:
    if len(raw) > rules.MAX_CAP_BYTES:
        raise PayloadTooLarge(
            f"a CAP document is at most {rules.MAX_CAP_BYTES} bytes; this one is {len(raw)}",
            limit=rules.MAX_CAP_BYTES,
        )
    if not raw.strip():
        raise CapInvalid("the document is empty", line=1)
    try:
        tree = etree.ElementTree(etree.fromstring(raw, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc))
        raise CapInvalid(f"not well-formed XML: {message}", line=line) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CapInvalid("a DOCTYPE is not allowed in a CAP document", line=1)
    return tree


def validate(raw: bytes) -> etree._ElementTree:
    """The parsed document if ``raw`` is valid CAP 1.2; :class:`CapInvalid` otherwise."""
    tree = _document(raw)
    xsd = schema()
    if not xsd.validate(tree):
        error = xsd.error_log[0]
        raise CapInvalid(f"schema: {error.message}", line=error.line or None)
    _check_semantics(tree)
    return tree


def parse(raw: bytes) -> CapMessage:
    """Validate and read a CAP 1.2 alert."""
    return _read(validate(raw).getroot())


# ---- semantic checks (CAP 1.2 §3.3.2, §3.2.1 references) -----------------------------------


def _coordinate(text: str, line: int | None, what: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise CapInvalid(f"{what}: {text!r} is not a lat,lon pair", line=line)
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise CapInvalid(f"{what}: {text!r} is not a lat,lon pair", line=line) from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise CapInvalid(f"{what}: {text!r} is outside WGS 84 latitude/longitude", line=line)
    return lat, lon


def polygon_points(text: str, line: int | None = None) -> list[tuple[float, float]]:
    points = [_coordinate(p, line, "polygon") for p in text.split()]
    if len(points) < rules.POLYGON_MIN_POINTS:
        raise CapInvalid(
            f"polygon: at least {rules.POLYGON_MIN_POINTS} coordinate pairs are needed, "
            f"got {len(points)}",
            line=line,
        )
    if points[0] != points[-1]:
        raise CapInvalid("polygon: the first and last pairs must be the same (closed)", line=line)
    return points


def circle_value(text: str, line: int | None = None) -> tuple[float, float, float]:
    parts = text.split()
    if len(parts) != 2:
        raise CapInvalid(f"circle: {text!r} is not 'lat,lon radius'", line=line)
    lat, lon = _coordinate(parts[0], line, "circle")
    try:
        radius = float(parts[1])
    except ValueError:
        raise CapInvalid(f"circle: radius {parts[1]!r} is not a number", line=line) from None
    if not 0.0 <= radius <= rules.CIRCLE_MAX_RADIUS_KM:
        raise CapInvalid(
            f"circle: radius {radius:g} km is outside 0-{rules.CIRCLE_MAX_RADIUS_KM:g}", line=line
        )
    return lat, lon, radius


def reference_list(text: str, line: int | None = None) -> list[Reference]:
    refs = []
    for item in text.split():
        parts = item.split(",")
        if len(parts) != 3 or not all(parts):
            raise CapInvalid(f"references: {item!r} is not 'sender,identifier,sent'", line=line)
        refs.append(Reference(*parts))
    return refs


def _check_semantics(tree: etree._ElementTree) -> None:
    root = tree.getroot()
    for el in root.iter(_Q + "polygon"):
        polygon_points((el.text or "").strip(), el.sourceline)
    for el in root.iter(_Q + "circle"):
        circle_value((el.text or "").strip(), el.sourceline)
    refs = root.find(_Q + "references")
    if refs is not None:
        reference_list((refs.text or "").strip(), refs.sourceline)
    msg_type = root.findtext(_Q + "msgType")
    if msg_type in ("Update", "Cancel", "Ack") and refs is None:
        line = root.find(_Q + "msgType").sourceline
        raise CapInvalid(
            f"an {msg_type} message must name what it refers to in <references>", line=line
        )
    if root.findtext(_Q + "scope") == "Restricted" and root.find(_Q + "restriction") is None:
        line = root.find(_Q + "scope").sourceline
        raise CapInvalid("a Restricted message must state its <restriction>", line=line)


# ---- reading --------------------------------------------------------------------------------


_NS_LEN = len(_Q)


def _children(el: Any) -> tuple[dict[str, str], dict[str, list[Any]]]:
    """One pass over an element's children: first text by local name, and every child by name
    (the schema has already fixed which may repeat)."""
    texts: dict[str, str] = {}
    every: dict[str, list[Any]] = {}
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(_Q):
            continue  # comments, processing instructions, xmldsig signatures
        name = tag[_NS_LEN:]
        every.setdefault(name, []).append(child)
        if name not in texts:
            texts[name] = (child.text or "").strip()
    return texts, every


def _time(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise CapInvalid(f"{text!r} is not a date and time with its offset") from None


def _area(el: Any) -> Area:
    texts, every = _children(el)
    geocodes = []
    for g in every.get("geocode", []):
        pair, _ = _children(g)
        geocodes.append((pair.get("valueName", ""), pair.get("value", "")))
    return Area(
        desc=texts.get("areaDesc", ""),
        polygons=[polygon_points((p.text or "").strip()) for p in every.get("polygon", [])],
        circles=[circle_value((c.text or "").strip()) for c in every.get("circle", [])],
        geocodes=geocodes,
    )


def _info(el: Any) -> Info:
    t, every = _children(el)
    return Info(
        language=t.get("language") or "en-US",
        categories=[(c.text or "").strip() for c in every.get("category", [])],
        event=t.get("event", ""),
        urgency=t.get("urgency", ""),
        severity=t.get("severity", ""),
        certainty=t.get("certainty", ""),
        headline=t.get("headline", ""),
        description=t.get("description", ""),
        instruction=t.get("instruction", ""),
        sender_name=t.get("senderName", ""),
        onset=_time(t.get("onset", "")),
        expires=_time(t.get("expires", "")),
        areas=[_area(a) for a in every.get("area", [])],
    )


def _read(root: Any) -> CapMessage:
    t, every = _children(root)
    refs = t.get("references", "")
    return CapMessage(
        identifier=t.get("identifier", ""),
        sender=t.get("sender", ""),
        sent=_time(t.get("sent", "")) or datetime.min,
        status=t.get("status", ""),
        msg_type=t.get("msgType", ""),
        scope=t.get("scope", ""),
        restriction=t.get("restriction", ""),
        addresses=t.get("addresses", ""),
        note=t.get("note", ""),
        references=reference_list(refs) if refs else [],
        incidents=t.get("incidents", ""),
        infos=[_info(i) for i in every.get("info", [])],
    )
