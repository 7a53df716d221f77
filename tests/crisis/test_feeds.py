"""Incoming CAP from a URL: one document or an Atom feed, served by a real local HTTP server."""

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


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = DOCS.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("content-type", "application/xml")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


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
