"""Two nodes in one process (reusing tests.federation's mesh): a BE alert screened on FR, a FR
hit report received on BE with its 12-hour deadline, the answer back, the criteria catalogue
published by FR and adopted by BE, a release notified to the country the detainee is linked to.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.alerts import load_watchlist
from passerelle.alerts.service import register
from passerelle.privacy import AuditEntry
from tests.alerts.conftest import allow
from tests.federation.conftest import CODES, Net, _pg_urls, build_net
from tests.federation.test_dispatch import Forger, patient

PERSON = {"family_name": "Vandenberghe", "given_names": "Pieter Jan", "date_of_birth": "1991-04-17"}
ALERT = {
    **PERSON,
    "category": "art36_inquiry",
    "nationalities": ["BEL"],
    "warnings": ["violent", "terrorist_activity"],
    "reason": "Released detainee assessed as violent and radicalised (synthetic)",
    "action": "Inquiry check; report to the BE SIRENE",
    "questions": ["Where is the person travelling to?"],
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def net(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Net]:
    """FR, BE and ES on SQLite, then on PostgreSQL, started as the server starts them."""
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    else:
        urls = _pg_urls(request)
    built = build_net(tmp_path, urls)
    for node in built.nodes.values():
        load_watchlist(node)  # what the server's start-up (the router's lifespan) does
    allow(built, "automatic")  # approvals have their own tests (test_sharing.py)
    yield built
    for node in built.nodes.values():
        node.close()


def _report(alert_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "alert_id": alert_id,
        "source": "border",
        "place": "Lille-Europe (synthetic)",
        "checked_at": "2026-03-02T08:30:00Z",
        "reason_of_check": "Border check",
        "route": "Brussels → Lille",
        "destination": "Paris",
        "companions": "none",
        "answers": {"Where is the person travelling to?": "Paris, for a family visit"},
    }
    body.update(changes)
    return body


async def _a_be_alert_hits_on_fr_and_the_hit_report_reaches_be(net: Net) -> None:
    async with net.running() as api:
        created = await api["BE"].post(
            "/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst")
        )
        assert created.status_code == 201, created.text
        alert = created.json()
        # Shared at once: FR (and ES) screen against it.
        checked = await api["FR"].post(
            "/api/v1/alert-checks", json=PERSON, headers=net.auth("FR", "analyst")
        )
        (candidate,) = checked.json()
        assert candidate["alert"]["reference"] == alert["reference"]
        assert candidate["alert"]["issuing_node"] == "BE"
        # An inquiry check answers the issuing country's questions.
        unanswered = await api["FR"].post(
            "/api/v1/alert-checks/hits",
            json=_report(alert["id"], answers={}),
            headers=net.auth("FR", "analyst"),
        )
        assert unanswered.status_code == 422
        assert "unanswered: Where is the person travelling to?" in unanswered.json()["message"]
        sent = await api["FR"].post(
            "/api/v1/alert-checks/hits",
            json=_report(alert["id"]),
            headers=net.auth("FR", "analyst"),
        )
        assert sent.status_code == 201, sent.text
        report = sent.json()
        assert report["delivery"] == "delivered", report
        received = (
            await api["BE"].get(
                "/api/v1/alert-checks/hits?direction=in", headers=net.auth("BE", "analyst")
            )
        ).json()
        (copy,) = received
        assert copy["id"] == report["id"]
        assert copy["executing_node"] == "FR"
        assert copy["content"]["place"] == "Lille-Europe (synthetic)"
        assert copy["content"]["answers"] == _report("x")["answers"]
        assert copy["answer_due_at"].startswith("2026-03-02T21:00")
        assert not copy["overdue"]
        net.clock.advance(timedelta(hours=13))
        late = (
            await api["BE"].get(
                "/api/v1/alert-checks/hits?direction=in", headers=net.auth("BE", "analyst")
            )
        ).json()
        assert late[0]["overdue"]
        answered = await api["BE"].post(
            f"/api/v1/alert-checks/hits/{copy['id']}/answer",
            json={"answer": "Keep discreet watch; no arrest."},
            headers=net.auth("BE", "analyst"),
        )
        assert answered.status_code == 200, answered.text
        back = (
            await api["FR"].get(
                "/api/v1/alert-checks/hits?direction=out", headers=net.auth("FR", "analyst")
            )
        ).json()
        assert back[0]["answer"] == "Keep discreet watch; no arrest."


async def _a_withdrawn_alert_stops_hitting_on_every_node(net: Net) -> None:
    async with net.running() as api:
        alert = (
            await api["BE"].post("/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst"))
        ).json()
        withdrawn = await api["BE"].post(
            f"/api/v1/alerts/{alert['id']}/withdraw", headers=net.auth("BE", "supervisor")
        )
        assert withdrawn.json()["status"] == "withdrawn"
        for code in ("FR", "ES", "BE"):
            checked = await api[code].post(
                "/api/v1/alert-checks", json=PERSON, headers=net.auth(code, "analyst")
            )
            assert checked.json() == [], code
        refused = await api["FR"].post(
            "/api/v1/alert-checks/hits",
            json=_report(alert["id"]),
            headers=net.auth("FR", "analyst"),
        )
        assert refused.status_code == 404


async def _a_peer_cannot_report_on_an_alert_it_does_not_know(net: Net) -> None:
    async with net.running() as api:
        alert = (
            await api["BE"].post("/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst"))
        ).json()
        # FR's copy of the alert claims ES issued it: ES refuses the report.
        with net.nodes["FR"].session() as session:
            from passerelle.alerts.model import Alert

            row = session.get(Alert, alert["id"])
            assert row is not None
            row.issuing_node = "ES"
        load_watchlist(net.nodes["FR"], force=True)
        sent = await api["FR"].post(
            "/api/v1/alert-checks/hits",
            json=_report(alert["id"]),
            headers=net.auth("FR", "analyst"),
        )
        assert sent.json()["delivery"] == "refused"
        assert "no active alert" in sent.json()["delivery_detail"]


async def _fr_publishes_a_catalogue_version_and_be_adopts_it(net: Net) -> None:
    catalogue = {
        "effective_from": "2026-04-01",  # a month after the test clock
        "note": "harmonised after the expert meeting",
        "criteria": [
            {
                "code": "H1",
                "title": "Terrorist offence with links abroad",
                "facts": ["terrorist_offence", "links_abroad"],
                "category": "art36_specific",
                "action": "Specific check",
                "source": "Regulation (EU) 2018/1862 art. 36(3)",
            }
        ],
    }
    async with net.running() as api:
        published = await api["FR"].post(
            "/api/v1/alert-criteria", json=catalogue, headers=net.auth("FR", "supervisor")
        )
        assert published.status_code == 201, published.text
        assert published.json()["version"] == 2
        be = net.auth("BE", "supervisor")
        versions = (await api["BE"].get("/api/v1/alert-criteria", headers=be)).json()
        received = next(v for v in versions if v["publisher"] == "FR")
        assert received["status"] == "received"
        adopted = await api["BE"].post("/api/v1/alert-criteria/FR/2/adopt", headers=be)
        assert adopted.json()["status"] == "adopted"
        detainee = (
            await api["BE"].post(
                "/api/v1/detainees",
                headers=be,
                json={
                    "family_name": "Janssens",
                    "date_of_birth": "1988-02-11",
                    "scope": "terrorist_offence",
                    "institution": "Synthetic prison B",
                    "links": [{"country": "FR", "kind": "travel"}],
                },
            )
        ).json()
        path = f"/api/v1/detainees/{detainee['id']}/proposals"
        early = (await api["BE"].post(path, headers=be)).json()
        assert (early["catalogue_publisher"], early["catalogue_version"]) == ("BE", 1)
        net.clock.advance(timedelta(days=30))
        proposal = (await api["BE"].post(path, headers=be)).json()
        assert (proposal["catalogue_publisher"], proposal["catalogue_version"]) == ("FR", 2)
        in_force = [
            v
            for v in (await api["BE"].get("/api/v1/alert-criteria", headers=be)).json()
            if v["in_force"]
        ]
        assert [(v["publisher"], v["version"]) for v in in_force] == [("FR", 2)]
        assert proposal["category"] == "art36_specific"
        assert proposal["fired"][0]["facts"] == ["terrorist_offence", "links_abroad"]
        forbidden = {
            **catalogue,
            "criteria": [{**catalogue["criteria"][0], "facts": ["religious_practice"]}],
        }
        refused = await api["FR"].post(
            "/api/v1/alert-criteria", json=forbidden, headers=net.auth("FR", "supervisor")
        )
        assert refused.status_code == 422
        assert "religion" in refused.json()["message"]


async def _a_release_is_notified_to_the_country_the_detainee_is_linked_to(net: Net) -> None:
    fr = net.auth("FR", "analyst")
    async with net.running() as api:
        detainee = (
            await api["FR"].post(
                "/api/v1/detainees",
                headers=fr,
                json={
                    "family_name": "Lambert",
                    "given_names": "Youssef",
                    "date_of_birth": "1994-09-03",
                    "scope": "violent_radicalised",
                    "institution": "Synthetic prison A",
                    "links": [{"country": "BE", "kind": "family"}],
                },
            )
        ).json()
        planned = await api["FR"].post(
            f"/api/v1/detainees/{detainee['id']}/releases",
            headers=fr,
            json={"kind": "conditional_release", "release_date": "2026-09-01"},
        )
        assert planned.json()["releases"][0]["notified"] == ["BE"]
        be_calendar = (
            await api["BE"].get("/api/v1/release-calendar", headers=net.auth("BE", "analyst"))
        ).json()
        (release,) = be_calendar
        assert (release["origin"], release["release_date"]) == ("FR", "2026-09-01")
        assert [s["step"] for s in release["steps"]] == ["concertation"]
        es_calendar = (
            await api["ES"].get("/api/v1/release-calendar", headers=net.auth("ES", "analyst"))
        ).json()
        assert es_calendar == []


def test_a_be_alert_hits_on_fr_and_the_hit_report_reaches_be(net: Net) -> None:
    asyncio.run(_a_be_alert_hits_on_fr_and_the_hit_report_reaches_be(net))


def test_a_withdrawn_alert_stops_hitting_on_every_node(net: Net) -> None:
    asyncio.run(_a_withdrawn_alert_stops_hitting_on_every_node(net))


def test_a_peer_cannot_report_on_an_alert_it_does_not_know(net: Net) -> None:
    asyncio.run(_a_peer_cannot_report_on_an_alert_it_does_not_know(net))


def test_fr_publishes_a_catalogue_version_and_be_adopts_it(net: Net) -> None:
    asyncio.run(_fr_publishes_a_catalogue_version_and_be_adopts_it(net))


def test_a_release_is_notified_to_the_country_the_detainee_is_linked_to(net: Net) -> None:
    asyncio.run(_a_release_is_notified_to_the_country_the_detainee_is_linked_to(net))


async def _a_report_to_an_unreachable_issuer_is_delivered_later(net: Net) -> None:
    from passerelle.federation import delivery

    fr = net.auth("FR", "analyst")
    async with net.running() as api:
        alert = (
            await api["BE"].post("/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst"))
        ).json()
        net.mesh.down.add("BE")
        sent = (
            await api["FR"].post("/api/v1/alert-checks/hits", json=_report(alert["id"]), headers=fr)
        ).json()
        assert sent["delivery"] == "queued"
        assert "BE unreachable" in sent["delivery_detail"]
        net.mesh.down.discard("BE")
        net.clock.advance(timedelta(minutes=30))
        client = net.apps["FR"].state.federation_client
        assert await delivery.deliver_due(net.nodes["FR"], client) == 1
        (later,) = (await api["FR"].get("/api/v1/alert-checks/hits", headers=fr)).json()
        assert (later["delivery"], later["delivery_detail"]) == ("delivered", "")
        received = (
            await api["BE"].get("/api/v1/alert-checks/hits", headers=net.auth("BE", "analyst"))
        ).json()
        assert [r["id"] for r in received] == [sent["id"]]


def test_a_report_to_an_unreachable_issuer_is_delivered_later(net: Net) -> None:
    asyncio.run(_a_report_to_an_unreachable_issuer_is_delivered_later(net))


async def _a_peer_cannot_overwrite_another_nodes_alert(net: Net) -> None:
    from passerelle.alerts.model import Alert
    from passerelle.alerts.service import acts, register
    from tests.alerts.conftest import principal

    async with net.running() as api:
        alert = (
            await api["BE"].post("/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst"))
        ).json()
        # ES turns its copy of BE's alert into "its own" and shares it: FR keeps BE's.
        with net.nodes["ES"].session() as session:
            row = session.get(Alert, alert["id"])
            assert row is not None
            row.issuing_node, row.reference, row.family_name = "ES", "ES-A-2026-9", "Forged"
        client = net.apps["ES"].state.federation_client
        await acts.alert(
            net.nodes["ES"], client, principal(), lambda s: register.get(s, alert["id"])
        )
        fr_copy = (
            await api["FR"].get(f"/api/v1/alerts/{alert['id']}", headers=net.auth("FR", "analyst"))
        ).json()
        assert (fr_copy["issuing_node"], fr_copy["family_name"]) == ("BE", "Vandenberghe")


def test_a_peer_cannot_overwrite_another_nodes_alert(net: Net) -> None:
    asyncio.run(_a_peer_cannot_overwrite_another_nodes_alert(net))


async def _nobody_speaks_in_another_nodes_name(net: Net) -> None:
    forged_alert = {
        "id": "00000000-0000-4000-8000-000000000001",
        "reference": "ES-A-2026-000001",
        "issuing_node": "ES",
        "category": "art36_discreet",
        "status": "active",
        "family_name": "Forged",
        "date_of_birth": "1990-01-01",
        "reason": "x",
        "action": "x",
        "created_at": "2026-03-02T09:00:00Z",
        "created_by": "x",
        "reviewed_at": "2026-03-02T09:00:00Z",
        "valid_until": "2026-12-31T00:00:00Z",
    }
    from passerelle import federation
    from passerelle.privacy import audit

    fr = net.nodes["FR"]
    async with net.running() as api:
        # FR signs an alert claiming ES issued it: BE refuses it, stores nothing.
        with fr.session() as session:
            sent = federation.send_message(
                session,
                fr,
                audit.Actor("mallory", "FR"),
                "alerts.alert",
                peer="BE",
                payload={"alert": forged_alert},
                case_ref="FORGED",
                purpose="test",
            )
        client = net.apps["FR"].state.federation_client
        (state,) = await federation.deliver_messages(fr, client, [sent.message_id])
        assert state.status == "failed"
        assert "a node shares only the alerts it issued" in state.detail
        listed = (await api["BE"].get("/api/v1/alerts", headers=net.auth("BE", "analyst"))).json()
        assert listed == []


def test_nobody_speaks_in_another_nodes_name(net: Net) -> None:
    asyncio.run(_nobody_speaks_in_another_nodes_name(net))


async def _a_peer_cannot_rewrite_another_nodes_alert_in_a_reply(net: Net) -> None:
    """Issue #14, finding 2 as the red team ran it: ES answered FR's message with a reply in
    BE's name carrying BE's alert rewritten; FR stored it and audited the write as peer:BE."""
    patient(net)
    async with net.running() as api:
        created = await api["BE"].post(
            "/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst")
        )
        assert created.status_code == 201, created.text
        alert_id = created.json()["id"]
        with net.nodes["BE"].session() as session:
            rewritten = {
                **register.payload_of(register.get(session, alert_id)),
                "reason": "Rewritten by ES (synthetic)",
            }
        before = _writes_as_be(net)
        net.mesh.apps["ES"] = Forger(  # type: ignore[assignment]
            net,
            lambda sent, real: {
                **real,
                "sender": "BE",
                "type": "query",
                "in_reply_to": sent["id"],
                "payload": {"kind": "alerts.alert", "query": {"alert": rewritten, "from": "BE"}},
                "handling": {"code": "H0"},
            },
        )
        mine = await api["FR"].post(
            "/api/v1/alerts",
            json={**ALERT, "family_name": "Dupont", "nationalities": ["FRA"]},
            headers=net.auth("FR", "analyst"),
        )
        assert mine.status_code == 201, mine.text
    with net.nodes["FR"].session() as session:
        assert register.get(session, alert_id).reason == ALERT["reason"]
    assert _writes_as_be(net) == before
    with net.nodes["FR"].session() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "refuse")).all()
    assert [(e.actor, json.loads(e.details)["refused"]) for e in refused] == [("peer:ES", "reply")]


def _writes_as_be(net: Net) -> int:
    with net.nodes["FR"].session() as session:
        return len(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.actor == "peer:BE", AuditEntry.object_type == "alert"
                )
            ).all()
        )


def test_a_peer_cannot_rewrite_another_nodes_alert_in_a_reply(net: Net) -> None:
    asyncio.run(_a_peer_cannot_rewrite_another_nodes_alert_in_a_reply(net))


async def _bodies_go_with_the_alert_and_the_report(net: Net) -> None:
    async with net.running() as api:
        alert = (
            await api["BE"].post("/api/v1/alerts", json=ALERT, headers=net.auth("BE", "analyst"))
        ).json()
        sent = await api["FR"].post(
            "/api/v1/alert-checks/hits",
            json=_report(alert["id"]),
            headers=net.auth("FR", "analyst"),
        )
        assert sent.json()["delivery"] == "delivered"


def _bodies(net: Net, code: str, message_type: str) -> set[bool]:
    """For each message of the type on the node (at least one): is its body still kept?"""
    from sqlalchemy import select

    from passerelle.federation import Message

    with net.nodes[code].session() as session:
        rows = session.scalars(select(Message).where(Message.type == message_type)).all()
        assert rows and all(r.body_hash for r in rows)  # the envelope stays, with the hash
        return {r.body is not None for r in rows}


def test_message_bodies_go_with_the_alert_and_the_report_and_the_envelope_stays(
    net: Net,
) -> None:
    from passerelle.alerts import rules
    from passerelle.privacy import audit, retention

    asyncio.run(_bodies_go_with_the_alert_and_the_report(net))

    def run_all() -> None:
        for code, node in net.nodes.items():
            retention.run(node.session, node.retention, node=code, now=node.clock.now())

    run_all()  # protocol bodies (acks) go at once; the alert and the report are still held
    for code in ("BE", "FR"):
        assert _bodies(net, code, "alerts.alert") == {True}, code
        assert _bodies(net, code, "alerts.hit_report") == {True}, code
        assert _bodies(net, code, "ack") == {False}, code
    net.clock.advance(rules.CATEGORIES["art36_inquiry"].review_within + timedelta(days=1))
    run_all()  # the alert expired and left both nodes: so did the bodies that carried it
    for code in ("BE", "FR"):
        assert _bodies(net, code, "alerts.alert") == {False}, code
        assert _bodies(net, code, "alerts.hit_report") == {True}, code
    # Reports go one year after their alert left the node (art. 64(2)).
    net.clock.advance(rules.HIT_REPORT_RETENTION + timedelta(days=1))
    run_all()
    for code in ("BE", "FR"):
        assert _bodies(net, code, "alerts.hit_report") == {False}, code
        with net.nodes[code].session() as session:
            assert audit.verify(session).ok
