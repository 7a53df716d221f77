"""Incoming CAP from a URL: one document or an Atom feed, served by a real local HTTP server.

The server listens on 127.0.0.1, which the egress guard refuses unless the node's settings
allow it (``PASSERELLE_CRISIS_FEED_ALLOWED_NETWORKS``): the ``server`` fixture allows it, the
SSRF tests below do not."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from passerelle.crisis.model import CapMessage, Feed
from passerelle.crisis.service import feeds
from passerelle.errors import Unavailable, ValidationFailed
from passerelle.node import Node
from tests.crisis.conftest import cap_xml, principal

DOCS: dict[str, bytes] = {}
SEEN: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN.append(self.path)
        body = DOCS.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("content-type", "application/xml")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local() -> Iterator[str]:
    """A real HTTP server on the loopback interface."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    SEEN.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(node: Node, local: str) -> str:
    """The local server, on a node whose settings allow feeds from the loopback network."""
    node.settings = node.settings.with_(crisis_feed_allowed_networks="127.0.0.0/8")
    return local


def test_an_atom_feed_is_imported_embedded_and_linked_alerts_alike(node: Node, server: str) -> None:
    embedded = cap_xml(identifier="BE.feed.1").split(b"?>", 1)[1]
    DOCS["/feed.atom"] = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>NCCN</title>'
        b"<entry><title>one</title><content type='text/xml'>" + embedded + b"</content></entry>"
        b"<entry><title>two</title><link type='application/cap+xml' href='"
        + f"{server}/two.xml".encode()
        + b"'/></entry><entry><title>three</title><link type='application/cap+xml' href='"
        + f"{server}/bad.xml".encode()
        + b"'/></entry></feed>"
    )
    DOCS["/two.xml"] = cap_xml(identifier="BE.feed.2")
    DOCS["/bad.xml"] = cap_xml(identifier="BE.feed.3", sent="yesterday")
    outcomes = feeds.fetch_url(node, principal(), f"{server}/feed.atom")
    assert [o.result for o in outcomes] == ["stored", "stored", "quarantined"]
    assert "sent" in outcomes[2].reason and "line 5" in outcomes[2].reason
    with node.session() as session:
        assert {m.identifier for m in session.query(CapMessage)} == {"BE.feed.1", "BE.feed.2"}
        feed = session.query(Feed).one()
        assert feed.last_result == "2 stored, 1 quarantined"


def test_a_url_that_fails_is_a_typed_error(node: Node, server: str) -> None:
    with pytest.raises(Unavailable, match="HTTP 404"):
        feeds.fetch_url(node, principal(), f"{server}/missing.xml")
    with pytest.raises(ValidationFailed, match="http"):
        feeds.fetch_url(node, principal(), "file:///etc/passwd")


def test_a_feed_on_a_private_or_loopback_address_is_refused_before_connecting(
    node: Node, local: str
) -> None:
    """SSRF: without the setting, neither the loopback server nor a cloud metadata address
    nor a name resolving to loopback is fetched; nothing reaches the server."""
    DOCS["/one.xml"] = cap_xml(identifier="BE.ssrf.1")
    port = local.rsplit(":", 1)[1]
    for url in (
        f"{local}/one.xml",
        "http://169.254.169.254/latest/meta-data/",
        f"http://localhost:{port}/one.xml",
        "http://[::1]/one.xml",
        "http://10.1.2.3/feed.atom",
    ):
        with pytest.raises(ValidationFailed, match="private, loopback or link-local") as caught:
            feeds.fetch_url(node, principal(), url)
        assert caught.value.details == {"field": "url"}
    assert SEEN == []
    with node.session() as session:
        assert session.query(CapMessage).count() == 0


def test_a_link_in_a_feed_to_an_internal_address_is_reported_not_fetched(
    node: Node, local: str
) -> None:
    """An allowed feed may still not send the node to another internal address."""
    node.settings = node.settings.with_(crisis_feed_allowed_networks="127.0.0.1/32")
    DOCS["/links.atom"] = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>a</title>'
        b"<link type='application/cap+xml' href='http://169.254.169.254/cap.xml'/></entry></feed>"
    )
    (outcome,) = feeds.fetch_url(node, principal(), f"{local}/links.atom")
    assert outcome.result == "unavailable" and "169.254.169.254" in outcome.reason
    assert SEEN == ["/links.atom"]


def test_the_allowed_networks_setting_lets_a_private_feed_through(node: Node, local: str) -> None:
    node.settings = node.settings.with_(crisis_feed_allowed_networks="10.0.0.0/8, 127.0.0.1/32")
    DOCS["/one.xml"] = cap_xml(identifier="BE.allowed.1")
    (outcome,) = feeds.fetch_url(node, principal(), f"{local}/one.xml")
    assert outcome.result == "stored"
    assert SEEN == ["/one.xml"]
