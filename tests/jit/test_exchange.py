"""FR and BE share a JIT workspace through federation: the team replicated, evidence uploaded
over tus on FR and pulled by BE (resumable, hash verified), custody entries from both sides,
a press statement publishable only once both leaders approved, content deleted on FR once BE
downloaded it."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.errors import IntegrityError
from passerelle.federation import policies
from passerelle.jit.service import replicate, transfer
from passerelle.privacy import audit, retention
from tests.federation.conftest import CODES, Net, build_net
from tests.jit.conftest import team_in

DATA = bytes(range(251)) * 8000  # about 2 MB, not a multiple of any chunk size


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    built = build_net(tmp_path, urls)
    for code, other in (("FR", "BE"), ("BE", "FR")):
        node = built.nodes[code]
        with node.session() as session:
            policies.set_policy(
                session,
                node,
                audit.Actor("admin", code),
                replicate.WORKSPACE,
                other,
                "automatic",
                "JIT agreement in force",
            )
    yield built
    for node in built.nodes.values():
        node.close()


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to the mesh and notes each one's Range and answer status."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str | None, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "GET":
            self.seen.append((request.headers.get("range"), response.status_code))
        return response


def _team_body() -> dict[str, object]:
    body = team_in().model_dump(mode="json")
    body["members"][0]["login"] = "token:FR-supervisor"
    body["members"][1]["login"] = "token:BE-supervisor"
    return body


async def _upload(api: httpx.AsyncClient, headers: dict[str, str], ref: str) -> None:
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"jit": ref, "filename": "seized-phone.img"}.items()
    )
    tus = {**headers, "tus-resumable": "1.0.0"}
    created = await api.post(
        "/api/v1/jit/uploads",
        headers={**tus, "upload-length": str(len(DATA)), "upload-metadata": meta},
    )
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    for start in range(0, len(DATA), 700_000):
        sent = await api.patch(
            url,
            content=DATA[start : start + 700_000],
            headers={
                **tus,
                "upload-offset": str(start),
                "content-type": "application/offset+octet-stream",
            },
        )
        assert sent.status_code == 204, sent.text


def test_a_jit_opened_by_fr_with_be_exchanges_verified_evidence(net: Net) -> None:
    async def scenario() -> None:
        async with net.running() as api:
            fr, be = net.auth("FR", "analyst"), net.auth("BE", "analyst")
            opened = await api["FR"].post("/api/v1/jit/teams", json=_team_body(), headers=fr)
            assert opened.status_code == 201, opened.text
            team = opened.json()
            seen = (await api["BE"].get(f"/api/v1/jit/teams/{team['id']}", headers=be)).json()
            assert seen["reference"] == team["reference"] and seen["countries"] == ["FR", "BE"]
            assert {m["name"] for m in seen["members"]} >= {"Claire Martin", "Jan Peeters"}
            assert [v["kind"] for v in seen["agreement"]] == ["original"]

            await _upload(api["FR"], fr, team["reference"])
            ws = (await api["BE"].get(f"/api/v1/jit/teams/{team['id']}", headers=be)).json()
            [item] = ws["evidence"]
            assert item["present"] is False and item["recipients"] == ["BE"]

            pulled = await api["BE"].post(f"/api/v1/jit/evidence/{item['id']}/fetch", headers=be)
            assert pulled.status_code == 200, pulled.text
            got = await api["BE"].get(f"/api/v1/jit/evidence/{item['id']}/content", headers=be)
            assert got.content == DATA
            report = (
                await api["FR"].get(f"/api/v1/jit/evidence/{item['id']}/custody", headers=fr)
            ).json()
            assert [(e["event"], e["node"]) for e in report["entries"]] == [
                ("uploaded", "FR"),
                ("received", "BE"),
                ("downloaded", "BE"),
            ]
            assert set(report["keys"]) == {"FR", "BE"}

            # BE, the only recipient, downloaded it: FR's copy goes at the next retention run.
            fr_node = net.nodes["FR"]
            retention.run(fr_node.session, fr_node.retention, node="FR", now=net.clock.now())
            ws = (await api["FR"].get(f"/api/v1/jit/teams/{team['id']}", headers=fr)).json()
            assert ws["evidence"][0]["present"] is False
            gone = await api["FR"].get(f"/api/v1/jit/evidence/{item['id']}/content", headers=fr)
            assert gone.status_code == 409

    asyncio.run(scenario())


def test_a_statement_is_publishable_only_once_both_leaders_approved(net: Net) -> None:
    async def scenario() -> None:
        async with net.running() as api:
            fr, be = net.auth("FR", "supervisor"), net.auth("BE", "supervisor")
            team = (await api["FR"].post("/api/v1/jit/teams", json=_team_body(), headers=fr)).json()
            drafted = await api["FR"].post(
                f"/api/v1/jit/teams/{team['id']}/statements",
                json={"title": "Arrests", "text": "Two arrests were made today."},
                headers=fr,
            )
            statement = drafted.json()
            assert statement["publishable"] is False
            be_analyst = await api["BE"].post(
                f"/api/v1/jit/statements/{statement['id']}/approve",
                json={"version": 1},
                headers=net.auth("BE", "analyst"),
            )
            assert be_analyst.status_code == 403  # not a leader of the JIT
            ok = await api["FR"].post(
                f"/api/v1/jit/statements/{statement['id']}/approve",
                json={"version": 1},
                headers=fr,
            )
            assert ok.json()["approvals"] == ["FR"] and ok.json()["publishable"] is False
            # BE edits the text: FR's approval was for version 1 only.
            redrafted = await api["BE"].post(
                f"/api/v1/jit/statements/{statement['id']}/versions",
                json={"text": "Two arrests were made in Lille and Tournai today."},
                headers=be,
            )
            assert redrafted.json()["version"] == 2 and redrafted.json()["approvals"] == []
            for code, headers in (("BE", be), ("FR", fr)):
                done = await api[code].post(
                    f"/api/v1/jit/statements/{statement['id']}/approve",
                    json={"version": 2},
                    headers=headers,
                )
                assert done.status_code == 200, done.text
            for code in ("FR", "BE"):
                ws = (
                    await api[code].get(
                        f"/api/v1/jit/teams/{team['id']}", headers=net.auth(code, "analyst")
                    )
                ).json()
                [s] = ws["statements"]
                assert s["publishable"] is True and s["approvals"] == ["BE", "FR"], code

    asyncio.run(scenario())


def test_a_cut_transfer_resumes_and_a_wrong_copy_is_refused(net: Net) -> None:
    async def scenario() -> None:
        async with net.running() as api:
            fr, be = net.auth("FR", "analyst"), net.auth("BE", "analyst")
            team = (await api["FR"].post("/api/v1/jit/teams", json=_team_body(), headers=fr)).json()
            await _upload(api["FR"], fr, team["reference"])
            ws = (await api["BE"].get(f"/api/v1/jit/teams/{team['id']}", headers=be)).json()
            item_id = ws["evidence"][0]["id"]
            be_node = net.nodes["BE"]
            part = transfer.partial_path(be_node, item_id)
            part.write_bytes(DATA[:1_000_000])  # what arrived before the transfer was killed
            recorder = Recorder(net.mesh)
            mesh_client = httpx.AsyncClient(transport=recorder)
            await transfer.fetch(be_node, mesh_client, item_id)
            # Only the missing bytes travelled: a Range request answered 206.
            assert recorder.seen[0] == ("bytes=1000000-", 206)
            stored = be_node.settings.data_dir / "jit" / "evidence" / item_id
            assert stored.read_bytes() == DATA

            # A copy that does not match its hash is refused and not kept.
            await _upload(api["FR"], fr, team["reference"])
            ws = (await api["BE"].get(f"/api/v1/jit/teams/{team['id']}", headers=be)).json()
            second = next(e for e in ws["evidence"] if not e["present"])["id"]
            bad = transfer.partial_path(be_node, second)
            bad.write_bytes(b"\0" * len(DATA))  # complete size, wrong bytes
            with pytest.raises(IntegrityError):
                await transfer.fetch(be_node, mesh_client, second)
            assert not bad.exists()
            await mesh_client.aclose()

    asyncio.run(scenario())
