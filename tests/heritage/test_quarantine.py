"""Refused input is kept raw with the exact reason: malformed object JSON, wrong types,
impossible dates and oversize or unreadable photographs, from the API, the console and the
CLI; the supervisor and the DPO read it (audited), an analyst does not; it leaves after 30
days."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import typer
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from passerelle.errors import MalformedInput
from passerelle.heritage import plugin, rules
from passerelle.heritage.model import Quarantine
from passerelle.heritage.service import imaging
from passerelle.node import Node, open_node
from passerelle.privacy import AuditEntry, FrozenClock, retention
from passerelle.settings import get_settings
from tests.conftest import csrf_of, login, make_user
from tests.heritage.conftest import obj, stolen
from tests.heritage.test_api import bearer


def _rows(node: Node) -> list[Quarantine]:
    with node.session() as session:
        rows = list(session.scalars(select(Quarantine).order_by(Quarantine.received_at)))
        session.expunge_all()
    return rows


def test_bad_object_json_is_kept_raw_with_the_reason_it_was_refused(
    node: Node, client: TestClient, clock: FrozenClock
) -> None:
    auth = bearer(node)
    not_json = b'{"object_type": "vase", "title": '
    wrong_type = json.dumps({"object_type": "vase", "title": "Vase", "year_made": "old"})
    impossible = obj(provenance=[]).model_dump(mode="json", exclude={"offer"})
    impossible["date_documented"] = "2024-02-30"
    answers = []
    for raw in (not_json, wrong_type.encode()):
        clock.advance(timedelta(seconds=1))
        answers.append(
            client.post("/api/v1/heritage/check", headers=auth, data={"object": raw.decode()})
        )
    clock.advance(timedelta(seconds=1))
    answers.append(
        client.post(
            "/api/v1/heritage/objects", headers=auth, content=json.dumps(impossible).encode()
        )
    )
    assert [a.status_code for a in answers] == [400, 422, 422]
    rows = _rows(node)
    assert [r.raw for r in rows] == [not_json, wrong_type.encode(), json.dumps(impossible).encode()]
    assert [r.reason for r in rows] == [a.json()["message"] for a in answers]
    assert [r.field for r in rows] == ["object", "year_made", "date_documented"]
    assert rows[0].source == "api:token:t-analyst check"
    assert rows[2].source == "api:token:t-analyst register"
    assert "date" in rows[2].reason
    # a good registration still works and leaves nothing in quarantine
    good = obj().model_dump(mode="json", exclude={"offer"})
    assert client.post("/api/v1/heritage/objects", headers=auth, json=good).status_code == 201
    assert len(_rows(node)) == 3


def test_refused_photographs_are_kept_cut_to_the_limit(node: Node, client: TestClient) -> None:
    auth = bearer(node)
    row = stolen(node, 3)
    oversize = b"\xff\xd8" + b"\x00" * imaging.MAX_BYTES
    added = client.post(
        f"/api/v1/heritage/objects/{row.reference}/photos",
        headers=auth,
        files={"image": ("big.jpg", oversize, "image/jpeg")},
    )
    assert added.status_code == 413
    unreadable = client.post(
        "/api/v1/heritage/check",
        headers=auth,
        data={"object": obj().model_dump_json()},
        files=[("image", ("x.jpg", b"not an image at all", "image/jpeg"))],
    )
    assert unreadable.status_code == 400
    big, bad = sorted(_rows(node), key=lambda r: r.size, reverse=True)
    assert big.size == imaging.MAX_BYTES + 1  # as much as the route read
    assert len(big.raw) == rules.QUARANTINE_RAW_KEPT and big.field == "image"
    assert big.reason == added.json()["message"]
    assert bad.raw == b"not an image at all" and bad.field == "image[0]"


def test_supervisor_and_dpo_read_the_quarantine_audited_analyst_does_not(
    node: Node, client: TestClient
) -> None:
    analyst = bearer(node)
    client.post("/api/v1/heritage/check", headers=analyst, data={"object": "[1, 2"})
    assert client.get("/api/v1/heritage/quarantine", headers=analyst).status_code == 403
    dpo = bearer(node, "dpo")
    listed = client.get("/api/v1/heritage/quarantine", headers=dpo)
    assert listed.status_code == 200
    (item,) = listed.json()
    assert item["raw"] == "[1, 2" and item["field"] == "object"
    assert item["reason"].startswith("object: not JSON")
    one = client.get(
        f"/api/v1/heritage/quarantine/{item['id']}", headers=bearer(node, "supervisor")
    )
    assert one.content == b"[1, 2"
    assert one.headers["x-quarantine-reason"].startswith("object: not JSON")
    missing = client.get("/api/v1/heritage/quarantine/nope", headers=dpo)
    assert missing.status_code == 404
    with node.session() as session:
        reads = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "heritage.quarantine")
        ).all()
        assert {r.object_id for r in reads} == {"list", item["id"]}


def test_console_keeps_a_refused_upload_and_lists_it_for_the_supervisor(
    node: Node, client: TestClient
) -> None:
    make_user(node, "ana", "analyst")
    login(client, "ana")
    token = csrf_of(client, "/heritage/check")
    form = {
        "title": "Statuette",
        "object_type": "statuette",
        "country_of_origin": "IQ",
        "category": "archaeological",
        "channel": "dealer",
        "csrf_token": token,
    }
    sent = client.post(
        "/heritage/check", data=form, files={"image": ("x.jpg", b"junk bytes", "image/jpeg")}
    )
    assert sent.status_code == 400
    assert client.get("/heritage/quarantine").status_code == 403
    client.cookies.clear()
    make_user(node, "sup", "supervisor")
    login(client, "sup")
    page = client.get("/heritage/quarantine")
    assert page.status_code == 200
    (row,) = _rows(node)
    assert row.source.startswith("console:") and row.source.endswith("ana check")
    assert row.field == "image" and row.raw == b"junk bytes"
    assert row.source in page.text and "not a readable image" in page.text
    detail = client.get(f"/heritage/quarantine/{row.id}")
    assert "junk bytes" in detail.text
    csv = client.get("/heritage/quarantine?format=csv")
    assert row.source in csv.text and "not a readable image" in csv.text


def test_quarantine_leaves_after_thirty_days(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        from passerelle.heritage.service import quarantine

        quarantine.keep(session, node, "test", b"{", MalformedInput("object: not JSON"))
    clock.advance(timedelta(days=29))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert len(_rows(node)) == 1
    clock.advance(timedelta(days=2))
    outcomes = retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert {o.data_class: o.deleted for o in outcomes}["heritage.quarantine"] == 1
    assert _rows(node) == []


runner = CliRunner()
app = typer.Typer()
plugin.register_cli(app)


def test_cli_quarantines_a_bad_file_and_lists_it(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"object_type": "vase", "title": "Vase", "provenance": 3}')
    result = runner.invoke(app, ["heritage", "register", "--object", str(bad)])
    assert result.exception is not None and result.exit_code != 0
    listed = runner.invoke(app, ["heritage", "quarantine"])
    assert listed.exit_code == 0, listed.output
    line = listed.stdout.splitlines()[0].split("\t")
    assert line[2].endswith(" register") and line[3] == "provenance"
    raw = runner.invoke(app, ["heritage", "quarantine", line[0]])
    assert raw.stdout_bytes == bad.read_bytes()
    node = open_node(get_settings())
    try:
        with node.session() as session:
            count = session.scalar(select(func.count()).select_from(Quarantine))
    finally:
        node.close()
    assert count == 1
