"""Incoming CAP from outside the federation: a file, or a URL serving one CAP alert or an Atom
feed of them (embedded ``<alert>`` elements or links to CAP documents).

Each document is stored if it is valid CAP 1.2, skipped if this sender's identifier is already
stored, and otherwise quarantined raw with the schema error and its line.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.crisis import cap, rules
from passerelle.crisis.model import Feed
from passerelle.crisis.service import egress, store
from passerelle.errors import Conflict, PayloadTooLarge, Unavailable, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Principal

ATOM = "{http://www.w3.org/2005/Atom}"
CAP_MIME = "application/cap+xml"


@dataclass(frozen=True)
class Outcome:
    """What became of one document: stored, duplicate or quarantined (with the reason)."""

    source: str
    result: str
    id: str
    reason: str = ""


def import_document(session: Session, node: Node, raw: bytes, *, source: str, by: str) -> Outcome:
    """Store one CAP document or quarantine it; never raises for bad content."""
    try:
        row = store.store(session, node, raw, origin=f"feed:{source}", created_by=by)
    except cap.CapInvalid as exc:
        q = store.quarantine(session, node, raw, exc, source=source)
        return Outcome(source, "quarantined", q.id, exc.message)
    except PayloadTooLarge as exc:
        error = cap.CapInvalid(exc.message)
        q = store.quarantine(session, node, raw[: rules.MAX_CAP_BYTES], error, source=source)
        return Outcome(source, "quarantined", q.id, exc.message)
    except Conflict as exc:
        return Outcome(source, "duplicate", str(exc.details.get("message_id", "")), exc.message)
    return Outcome(source, "stored", row.id)


def import_many(
    session: Session, node: Node, docs: list[tuple[bytes, str]], *, origin: str, by: str
) -> list[Outcome]:
    """Import a batch of documents (a feed's entries) in one insert; each still gets its own
    outcome: stored, duplicate, or quarantined with its schema error."""
    outcomes: list[Outcome | None] = [None] * len(docs)
    valid: list[tuple[bytes, cap.CapMessage]] = []
    positions: list[int] = []
    for n, (raw, source) in enumerate(docs):
        try:
            valid.append((raw, cap.parse(raw)))
            positions.append(n)
        except (cap.CapInvalid, PayloadTooLarge) as exc:
            error = exc if isinstance(exc, cap.CapInvalid) else cap.CapInvalid(exc.message)
            q = store.quarantine(session, node, raw[: rules.MAX_CAP_BYTES], error, source=source)
            outcomes[n] = Outcome(source, "quarantined", q.id, error.message)
    stored = store.store_many(session, node, valid, origin=origin, created_by=by)
    for k, n in enumerate(positions):
        source = docs[n][1]
        if k in stored:
            outcomes[n] = Outcome(source, "stored", stored[k])
        else:
            outcomes[n] = Outcome(source, "duplicate", "", "already stored")
    return [o for o in outcomes if o is not None]


def _atom_items(raw: bytes) -> tuple[list[bytes], list[str]] | None:
    """(embedded CAP documents, linked CAP URLs) when ``raw`` is an Atom feed, else None."""
    try:
        root = etree.fromstring(raw, cap._parser())
    except etree.XMLSyntaxError:
        return None
    if root.tag != ATOM + "feed":
        return None
    embedded, links = [], []
    for entry in root.iter(ATOM + "entry"):
        for alert in entry.iter("{" + rules.CAP_NAMESPACE + "}alert"):
            embedded.append(etree.tostring(alert, xml_declaration=True, encoding="UTF-8"))
        for link in entry.iter(ATOM + "link"):
            href = link.get("href")
            if href and (link.get("type") == CAP_MIME or href.endswith(".xml")):
                links.append(href)
    return embedded, links


def import_bytes(
    session: Session, node: Node, raw: bytes, *, source: str, by: str
) -> tuple[list[Outcome], list[str]]:
    """Import a CAP document or an Atom feed's embedded alerts; returns the outcomes and the
    CAP links the feed names (fetched by the caller when the source was a URL)."""
    items = _atom_items(raw)
    if items is None:
        return [import_document(session, node, raw, source=source, by=by)], []
    embedded, links = items
    docs = [(doc, f"{source}#{n}") for n, doc in enumerate(embedded, 1)]
    return import_many(session, node, docs, origin=f"feed:{source}", by=by), links


def _get(url: str, client: httpx.Client, allowed: str) -> bytes:
    """The body at ``url``, fetched only from an address the egress guard lets through."""
    target = egress.resolve(url, allowed)
    try:
        with egress.stream(client, target, timeout=10.0) as response:
            if response.status_code != 200:
                raise Unavailable(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > rules.MAX_CAP_BYTES * 20:
                    raise PayloadTooLarge(f"{url} serves more than a feed may hold")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise Unavailable(f"{url} could not be fetched: {type(exc).__name__}") from exc


def fetch_url(
    node: Node, principal: Principal, url: str, *, client: httpx.Client | None = None
) -> list[Outcome]:
    """Fetch a URL (a CAP document or an Atom feed) and import what it serves."""
    own = client is None
    http = client or httpx.Client(follow_redirects=False)
    try:
        allowed = node.settings.crisis_feed_allowed_networks
        raw = _get(url, http, allowed)
        with node.session() as session:
            outcomes, links = import_bytes(session, node, raw, source=url, by=principal.name)
        for link in links[:200]:
            try:
                doc = _get(link, http, allowed)
            except (Unavailable, PayloadTooLarge, ValidationFailed) as exc:
                outcomes.append(Outcome(link, "unavailable", "", exc.message))
                continue
            with node.session() as session:
                outcomes.append(import_document(session, node, doc, source=link, by=principal.name))
        with node.session() as session:
            _remember(session, node, principal, url, outcomes)
        return outcomes
    finally:
        if own:
            http.close()


def _remember(
    session: Session, node: Node, principal: Principal, url: str, outcomes: list[Outcome]
) -> None:
    feed = session.scalars(select(Feed).where(Feed.url == url)).first()
    if feed is None:
        feed = Feed(url=url[:500], added_at=node.clock.now(), added_by=principal.name)
        session.add(feed)
    counts = {r: sum(1 for o in outcomes if o.result == r) for r in ("stored", "quarantined")}
    feed.last_fetched_at = node.clock.now()
    feed.last_result = f"{counts['stored']} stored, {counts['quarantined']} quarantined"
    store.access(principal, node).trace(
        session, "write", "crisis.feed", url[:200], now=node.clock.now(), details=counts
    )


def feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.url)))
