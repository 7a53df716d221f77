"""Writing CAP 1.2 documents: alerts, updates, cancels composed on this node, and Ack messages.

Every document written here is validated against the official XSD before it leaves this module
(:func:`passerelle.crisis.cap.validate`), so a node never stores or sends CAP it would refuse.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from passerelle.crisis import cap, rules
from passerelle.crisis.schemas import CapIn

_Q = "{" + rules.CAP_NAMESPACE + "}"


def cap_time(when: datetime) -> str:
    """CAP 1.2 date-time: seconds, explicit offset, never ``Z`` (the XSD pattern)."""
    return when.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _sub(parent: etree._Element, name: str, text: str) -> etree._Element:
    el = etree.SubElement(parent, _Q + name)
    el.text = text
    return el


def _header(
    *, identifier: str, sender: str, sent: datetime, status: str, msg_type: str, scope: str
) -> etree._Element:
    root = etree.Element(_Q + "alert", nsmap={None: rules.CAP_NAMESPACE})
    _sub(root, "identifier", identifier)
    _sub(root, "sender", sender)
    _sub(root, "sent", cap_time(sent))
    _sub(root, "status", status)
    _sub(root, "msgType", msg_type)
    _sub(root, "scope", scope)
    return root


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def alert(
    data: CapIn, *, identifier: str, sender: str, sent: datetime, references: list[str]
) -> bytes:
    """The CAP document of ``data``; ``references`` are CAP ``sender,identifier,sent`` triples."""
    root = _header(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=data.status,
        msg_type=data.msg_type,
        scope=data.scope,
    )
    if data.scope == "Restricted":
        _sub(root, "restriction", data.restriction.strip())
    if data.addresses.strip():
        _sub(root, "addresses", data.addresses.strip())
    if references:
        _sub(root, "references", " ".join(references))
    if data.incidents.strip():
        _sub(root, "incidents", data.incidents.strip())
    for text in data.infos:
        info = etree.SubElement(root, _Q + "info")
        _sub(info, "language", rules.LANGUAGES[text.language])
        for category in data.category:
            _sub(info, "category", category)
        _sub(info, "event", text.event.strip() or data.event)
        _sub(info, "urgency", data.urgency)
        _sub(info, "severity", data.severity)
        _sub(info, "certainty", data.certainty)
        if data.onset is not None:
            _sub(info, "onset", cap_time(data.onset))
        if data.expires is not None:
            _sub(info, "expires", cap_time(data.expires))
        _sub(info, "senderName", sender)
        _sub(info, "headline", text.headline)
        if text.description:
            _sub(info, "description", text.description)
        if text.instruction:
            _sub(info, "instruction", text.instruction)
        for area in data.areas:
            el = etree.SubElement(info, _Q + "area")
            _sub(el, "areaDesc", area.desc)
            for points in area.polygons:
                _sub(el, "polygon", " ".join(f"{_fmt(lat)},{_fmt(lon)}" for lat, lon in points))
            for c in area.circles:
                _sub(el, "circle", f"{_fmt(c.lat)},{_fmt(c.lon)} {_fmt(c.radius_km)}")
    return _finish(root)


def ack(
    *, identifier: str, sender: str, sent: datetime, status: str, of: cap.Reference, note: str
) -> bytes:
    """A CAP ``Ack`` of the message ``of`` (CAP 1.2 §3.2.1: references names the acknowledged
    message; ``note`` may say what was done)."""
    root = _header(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=status,
        msg_type="Ack",
        scope=rules.INTER_SERVICE_SCOPE,
    )
    _sub(root, "restriction", rules.DEFAULT_RESTRICTION)
    if note.strip():
        _sub(root, "note", note.strip()[:1000])
    _sub(root, "references", str(of))
    return _finish(root)


def _finish(root: etree._Element) -> bytes:
    raw: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    cap.validate(raw)  # outbound: never store or send what the schema refuses
    return raw
