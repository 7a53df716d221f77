"""Sharing decided by people: BE's alerts go to FR and ES under policy ``approval``; a BE
supervisor approves one (withholding details), refuses the other with a reason; a peer added
afterwards (NL) receives nothing of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from passerelle import domains
from passerelle.alerts import load_watchlist
from passerelle.federation import keys, peers
from passerelle.node import open_node
from passerelle.privacy import AuditEntry, create_token, ensure_agency
from passerelle.settings import Settings
from passerelle.web.app import create_app
from tests.alerts.conftest import allow
from tests.alerts.test_exchange import ALERT
from tests.conftest import START
from tests.federation.conftest import CODES, Net, build_net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    built = build_net(tmp_path, [f"sqlite:///{tmp_path / (c.lower() + '.db')}" for c in CODES])
    for node in built.nodes.values():
        load_watchlist(node)
    allow(built, "automatic")
    allow(built, "approval", "alerts.alert")
    yield built
    for node in built.nodes.values():
        node.close()


def _add_nl(net: Net, tmp_path: Path) -> None:
    """A fourth node, NL, that BE registers as a peer only now."""
    settings = Settings(
        data_dir=tmp_path / "nl",
        database_url=f"sqlite:///{tmp_path / 'nl.db'}",
        node="NL",
        public_url="http://nl.test",
        federation_timeout_seconds=2.0,
    ).with_(**domains.demo_settings("NL"))
    keys.generate(settings)
    nl = open_node(settings, clock=net.clock)
    load_watchlist(nl)
    be = net.nodes["BE"]
    with nl.session() as session:
        ensure_agency(session, "NL", "NL test node", "NL")
        peers.add(
            session,
            "BE",
            "http://be.test",
            keys.public_text(keys.load(be.settings)),
            now=START,
            insecure_http=True,
        )
        net.tokens[("NL", "analyst")] = create_token(
            session, name="NL-analyst", role="analyst", agency="NL", now=START
        )
    with be.session() as session:
        peers.add(
            session,
            "NL",
            "http://nl.test",
            keys.public_text(keys.load(settings)),
            now=net.clock.now(),
            insecure_http=True,
        )
    net.nodes["NL"] = nl
    app = create_app(nl)
    app.state.federation_worker = False
    net.apps["NL"] = app
    net.mesh.apps["NL"] = httpx.ASGITransport(app=app)


async def _scenario(net: Net, tmp_path: Path) -> None:
    be_sup = net.auth("BE", "supervisor")
    async with net.running() as api:
        created = await api["BE"].post(
            "/api/v1/alerts",
            json={**ALERT, "aliases": ["Abu Yahya al-Beljiki"]},
            headers=net.auth("BE", "analyst"),
        )
        assert created.status_code == 201, created.text
        alert = created.json()
        assert net.mesh.posts == []  # nothing leaves before a supervisor decides
        for code in ("FR", "ES"):
            listed = await api[code].get("/api/v1/alerts", headers=net.auth(code, "analyst"))
            assert listed.json() == [], code
        # Analysts do not decide; supervisors see what awaits them.
        denied = await api["BE"].get(
            "/api/v1/federation/approvals", headers=net.auth("BE", "analyst")
        )
        assert denied.status_code == 403
        waiting = (
            await api["BE"].get("/api/v1/federation/approvals?status=awaiting", headers=be_sup)
        ).json()
        assert sorted((w["peer"], w["message_type"], w["reference"]) for w in waiting) == [
            ("ES", "alerts.alert", alert["id"]),
            ("FR", "alerts.alert", alert["id"]),
        ]
        to_fr = next(w for w in waiting if w["peer"] == "FR")
        to_es = next(w for w in waiting if w["peer"] == "ES")
        draft = (
            await api["BE"].get(f"/api/v1/federation/approvals/{to_fr['id']}", headers=be_sup)
        ).json()
        assert draft["payload"]["alert"]["aliases"] == ["Abu Yahya al-Beljiki"]
        assert "alert.aliases" in draft["optional_fields"]
        approved = await api["BE"].post(
            f"/api/v1/federation/approvals/{to_fr['id']}/approve",
            headers=be_sup,
            json={
                "fields": ["alert.documents"],
                "handling": {"code": "H2"},
                "evaluation": {"source": "B", "information": "2"},
            },
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
        refused = await api["BE"].post(
            f"/api/v1/federation/approvals/{to_es['id']}/refuse",
            headers=be_sup,
            json={"reason": "ES is not concerned by this person"},
        )
        assert refused.json()["status"] == "refused"
        assert refused.json()["reason"] == "ES is not concerned by this person"
        fr_copy = (
            await api["FR"].get(f"/api/v1/alerts/{alert['id']}", headers=net.auth("FR", "analyst"))
        ).json()
        assert fr_copy["family_name"] == "Vandenberghe"
        assert fr_copy["aliases"] == []  # withheld by the supervisor
        checked = await api["FR"].post(
            "/api/v1/alert-checks",
            json={
                "family_name": "Vandenberghe",
                "given_names": "Pieter Jan",
                "date_of_birth": "1991-04-17",
            },
            headers=net.auth("FR", "analyst"),
        )
        assert [c["alert"]["id"] for c in checked.json()] == [alert["id"]]
        es = await api["ES"].get(f"/api/v1/alerts/{alert['id']}", headers=net.auth("ES", "analyst"))
        assert es.status_code == 404
        # A peer added after the alert receives nothing of it, not even once a policy is set.
        _add_nl(net, tmp_path)
        listed = (
            await api["BE"].get("/api/v1/federation/sharing", headers=net.auth("BE", "admin"))
        ).json()
        nl = {p["message_type"]: p for p in listed if p["peer"] == "NL"}
        assert all(p["policy"] == "never" for p in nl.values() if p["carries_personal_data"])
        put = await api["BE"].put(
            "/api/v1/federation/sharing/alerts.alert/NL",
            headers=net.auth("BE", "admin"),
            json={"policy": "automatic", "reason": "NL joined the joint declaration"},
        )
        assert put.status_code == 200 and put.json()["policy"] == "automatic"
        not_admin = await api["BE"].put(
            "/api/v1/federation/sharing/alerts.alert/NL",
            headers=be_sup,
            json={"policy": "never", "reason": "a supervisor may not"},
        )
        assert not_admin.status_code == 403
    async with net.running() as api:
        nl_alerts = await api["NL"].get("/api/v1/alerts", headers=net.auth("NL", "analyst"))
        assert nl_alerts.json() == []
    assert "NL" not in net.mesh.posts


def _audit(net: Net, code: str, **where: Any) -> list[AuditEntry]:
    with net.nodes[code].session() as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return list(session.scalars(query))


def test_an_alert_reaches_a_peer_only_after_a_supervisor_approves(net: Net, tmp_path: Path) -> None:
    asyncio.run(_scenario(net, tmp_path))
    decisions = [(e.action, e.outcome) for e in _audit(net, "BE", object_type="alerts.alert")]
    assert decisions.count(("write", "awaiting approval")) == 2
    assert ("disclose", "approved") in decisions and ("refuse", "refused") in decisions
    refusal = next(e for e in _audit(net, "BE", object_type="alerts.alert", outcome="refused"))
    assert "ES is not concerned by this person" in refusal.details
    (received,) = _audit(net, "FR", action="alert received")
    assert (received.object_type, received.outcome, received.actor) == (
        "alerts.alert",
        "stored",
        "peer:BE",
    )
    (policy,) = _audit(net, "BE", object_type="federation.policy", object_id="alerts.alert:NL")
    assert "NL joined the joint declaration" in policy.details
