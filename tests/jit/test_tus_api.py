"""tus 1.0 uploads of evidence: creation, HEAD, PATCH in chunks, resumption, the protocol's
error statuses, the checksum extension and termination; a complete upload becomes evidence
with its SHA-256 and a signed custody entry that verifies offline."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from passerelle.cli import app as cli
from passerelle.federation import keys
from passerelle.jit.model import Evidence, Upload
from passerelle.jit.service import teams
from passerelle.node import Node
from passerelle.privacy import accounts
from tests.jit.conftest import principal, team_in

TUS = {"tus-resumable": "1.0.0"}


@pytest.fixture
def ref(node: Node) -> str:
    keys.generate(node.settings)
    with node.session() as session:
        return teams.open_team(session, node, principal(), team_in()).reference


@pytest.fixture
def auth(node: Node) -> dict[str, str]:
    with node.session() as session:
        token = accounts.create_token(
            session, name="FR-analyst", role="analyst", agency="FR", now=node.clock.now()
        )
    return {"authorization": f"Bearer {token}", **TUS}


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _create(client: TestClient, auth: dict[str, str], ref: str, length: int) -> str:
    r = client.post(
        "/api/v1/jit/uploads",
        headers={
            **auth,
            "upload-length": str(length),
            "upload-metadata": _meta(jit=ref, filename="../../phone-dump.bin", handling="H2"),
        },
    )
    assert r.status_code == 201, r.text
    assert r.headers["tus-resumable"] == "1.0.0"
    return r.headers["location"]


def _patch(
    client: TestClient, auth: dict[str, str], url: str, offset: int, body: bytes, **h: str
) -> Iterator[int] | object:
    return client.patch(
        url,
        content=body,
        headers={
            **auth,
            "upload-offset": str(offset),
            "content-type": "application/offset+octet-stream",
            **h,
        },
    )


def test_options_announce_version_extensions_and_maximum(
    client: TestClient, auth: dict[str, str]
) -> None:
    r = client.options("/api/v1/jit/uploads", headers=auth)
    assert r.status_code == 204
    assert r.headers["tus-version"] == "1.0.0"
    assert "creation" in r.headers["tus-extension"]
    assert int(r.headers["tus-max-size"]) > 2 * 1024**3


def test_an_upload_in_chunks_resumes_and_becomes_verified_evidence(
    client: TestClient, node: Node, auth: dict[str, str], ref: str, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    url = _create(client, auth, ref, len(data))
    first = _patch(client, auth, url, 0, data[:300_000])
    assert first.status_code == 204 and first.headers["upload-offset"] == "300000"
    # The client lost track (connection cut): HEAD says where to resume.
    head = client.head(url, headers=auth)
    assert head.headers["upload-offset"] == "300000"
    assert head.headers["upload-length"] == str(len(data))
    stale = _patch(client, auth, url, 0, data[:10])
    assert stale.status_code == 409
    assert "does not match" in stale.json()["message"]
    last = _patch(client, auth, url, 300_000, data[300_000:])
    assert last.status_code == 204 and last.headers["upload-offset"] == str(len(data))
    with node.session() as session:
        item = session.query(Evidence).one()
        assert item.sha256 == hashlib.sha256(data).hexdigest()
        assert item.filename == "phone-dump.bin" and item.handling == "H2"
        assert item.recipients == ["BE"]
        evidence_id = item.id
    report = client.get(f"/api/v1/jit/evidence/{evidence_id}/custody", headers=auth).json()
    assert [e["event"] for e in report["entries"]] == ["uploaded"]
    got = client.get(f"/api/v1/jit/evidence/{evidence_id}/content", headers=auth)
    assert got.content == data
    report = client.get(f"/api/v1/jit/evidence/{evidence_id}/custody", headers=auth).json()
    assert [e["event"] for e in report["entries"]] == ["uploaded", "downloaded"]
    file, path = tmp_path / "copy.bin", tmp_path / "report.json"
    file.write_bytes(got.content)
    path.write_text(json.dumps(report))
    verified = CliRunner().invoke(cli, ["jit", "evidence", "verify", str(file), str(path)])
    assert verified.exit_code == 0, verified.output
    pdf = client.get(f"/api/v1/jit/evidence/{evidence_id}/custody.pdf", headers=auth)
    assert pdf.content.startswith(b"%PDF")


def test_protocol_errors_have_the_tus_statuses(
    client: TestClient, node: Node, auth: dict[str, str], ref: str
) -> None:
    too_big = client.post(
        "/api/v1/jit/uploads",
        headers={**auth, "upload-length": str(10**15), "upload-metadata": _meta(jit=ref)},
    )
    assert too_big.status_code == 413
    no_version = client.post(
        "/api/v1/jit/uploads",
        headers={"authorization": auth["authorization"], "upload-length": "10"},
    )
    assert no_version.status_code == 412
    bad_meta = client.post(
        "/api/v1/jit/uploads",
        headers={**auth, "upload-length": "10", "upload-metadata": "jit %%%"},
    )
    assert bad_meta.status_code == 400 and "base64" in bad_meta.json()["message"]
    url = _create(client, auth, ref, 10)
    wrong_type = client.patch(
        url, content=b"x", headers={**auth, "upload-offset": "0", "content-type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    beyond = _patch(client, auth, url, 0, b"0123456789AB")
    assert beyond.status_code == 413
    assert client.head(url, headers=auth).headers["upload-offset"] == "10"
    with node.session() as session:
        assert session.query(Evidence).count() == 1  # the 10 announced bytes were kept


def test_checksum_mismatch_drops_the_chunk_and_termination_drops_the_upload(
    client: TestClient, node: Node, auth: dict[str, str], ref: str
) -> None:
    url = _create(client, auth, ref, 8)
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    bad = _patch(client, auth, url, 0, b"abcd", **{"upload-checksum": f"sha256 {wrong}"})
    assert bad.status_code == 460
    assert client.head(url, headers=auth).headers["upload-offset"] == "0"
    right = base64.b64encode(hashlib.sha256(b"abcd").digest()).decode()
    good = _patch(client, auth, url, 0, b"abcd", **{"upload-checksum": f"sha256 {right}"})
    assert good.status_code == 204
    assert client.delete(url, headers=auth).status_code == 204
    assert client.head(url, headers=auth).status_code == 404
    with node.session() as session:
        assert session.query(Upload).count() == 0


def test_an_empty_file_is_evidence_at_creation(
    client: TestClient, node: Node, auth: dict[str, str], ref: str
) -> None:
    url = _create(client, auth, ref, 0)
    assert client.head(url, headers=auth).headers["upload-offset"] == "0"
    with node.session() as session:
        item = session.query(Evidence).one()
        assert item.size == 0 and item.sha256 == hashlib.sha256(b"").hexdigest()
