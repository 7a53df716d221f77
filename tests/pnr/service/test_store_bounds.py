"""A carrier push is bounded: quarantine rows capped, garbage refused whole but kept raw once,
answers small, bodies read in bounded chunks (red-team finding: 300,000 empty segments made
300,002 quarantine rows, +128 MB of database and a 25 MB answer)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.pnr.model import PushMessage, QuarantineItem
from passerelle.privacy import AuditEntry, accounts
from passerelle.settings import Settings
from tests.conftest import login, make_user
from tests.pnr.conftest import pnrgov

ROWS = 10  # quarantine rows kept per push in these tests


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_(pnr_max_push_bytes=400_000, pnr_quarantine_rows=ROWS)


def _carrier(node: Node) -> dict[str, str]:
    with node.session() as session:
        token = accounts.create_token(
            session, name="af-push", role="carrier", agency="FR", now=node.clock.now()
        )
    return {"authorization": f"Bearer {token}"}


def _garbage(segments: int) -> str:
    return "UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'" + "XX'" * segments + "UNT+3+1'UNZ+1+1'"


def _count(node: Node, table: type[PushMessage] | type[QuarantineItem]) -> int:
    with node.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_mostly_garbage_push_is_refused_and_kept_raw_once(node: Node, client: TestClient) -> None:
    text = _garbage(100_000)
    headers = _carrier(node)
    answer = client.post("/api/v1/pnr/pnrgov?filename=junk.edi", content=text, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "push_refused"
    assert "100000 of its 100004 segments cannot be read" in answer.json()["message"]
    assert len(answer.content) < 2_000
    with node.session() as session:
        message = session.scalars(select(PushMessage)).one()
        item = session.scalars(select(QuarantineItem)).one()
        refusals = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "pnr.message", AuditEntry.action == "refuse"
            )
        ).all()
    assert (message.filename, message.bookings, message.quarantined) == ("junk.edi", 0, 100_000)
    assert (item.segment, item.raw) == (0, text)
    assert item.reason.startswith("push refused")
    assert [r.object_id for r in refusals] == [str(message.id)]
    again = client.post("/api/v1/pnr/pnrgov", content=text, headers=headers)
    assert again.json()["error"] == "push_refused"
    assert again.json()["details"]["duplicate"] is True
    assert (_count(node, PushMessage), _count(node, QuarantineItem)) == (1, 1)


def test_quarantine_rows_are_capped_per_push_and_the_rest_counted(
    node: Node, client: TestClient
) -> None:
    good = ["SRC", "RCI+AF:CAP123", "TIF+DUPONT+MARIE:A:1", *["LTS+FREE TEXT"] * 200]
    text = pnrgov(*good, *[f"X{i % 10}" for i in range(60)])
    answer = client.post("/api/v1/pnr/pnrgov", content=text, headers=_carrier(node))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["record_locators"] == ["CAP123"]
    assert (len(body["quarantined"]), body["quarantined_total"]) == (ROWS, 60)
    assert _count(node, QuarantineItem) == ROWS
    with node.session() as session:
        assert session.scalars(select(PushMessage.quarantined)).one() == 60
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "pnr.message")
        ).one()
    assert json.loads(audit.details)["quarantined"] == 60


def test_a_push_over_the_size_setting_is_refused_before_parsing(
    node: Node, client: TestClient
) -> None:
    text = pnrgov("SRC", "RCI+AF:BIG123", "TIF+DUPONT+MARIE:A:1", "LTS+" + "A" * 400_000)
    headers = _carrier(node)
    answer = client.post("/api/v1/pnr/pnrgov", content=text, headers=headers)
    assert answer.status_code == 413
    assert answer.json()["error"] == "payload_too_large"
    assert "PASSERELLE_PNR_MAX_PUSH_BYTES" in answer.json()["message"]

    def chunks() -> object:
        yield text[:200_000].encode()
        yield text[200_000:].encode()  # no Content-Length: the stream itself is counted

    streamed = client.post("/api/v1/pnr/pnrgov", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert _count(node, PushMessage) == 0


def test_the_quarantine_listing_cuts_long_raw_text(node: Node, client: TestClient) -> None:
    client.post("/api/v1/pnr/pnrgov", content=_garbage(100_000), headers=_carrier(node))
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    (item,) = client.get("/api/v1/pnr/quarantine").json()
    assert len(item["raw"]) == 4000
    assert item["raw_length"] == len(_garbage(100_000))
