"""Demo data (synthetic alerts, detainees, releases, returnees) and the cross-border check:
a BE alert on a person, a FR check that hits it and the hit report received on BE."""

from __future__ import annotations

import re
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from passerelle.alerts.schemas import (
    AlertIn,
    DetaineeIn,
    LinkIn,
    ReleaseIn,
    ReturneeIn,
)
from passerelle.alerts.service import criteria, detainees, register, returnees
from passerelle.errors import PasserelleError
from passerelle.node import Node
from passerelle.privacy import Principal
from passerelle.synth.people import generate_people

SEEDS = {"FR": 501, "BE": 502}


def _system(node: Node) -> Principal:
    return Principal(
        kind="cli",
        id=0,
        name="demo-seed",
        agency=node.code,
        roles=frozenset({"supervisor", "minors"}),
    )


def seed(node: Node) -> None:
    """Synthetic alerts, detainees with releases and returnees. Written without audit entries:
    seeding synthetic data is nobody's access to personal data."""
    people = generate_people(8, seed=SEEDS.get(node.code, 503), locales=("fr_FR", "nl_BE", "ar_AA"))
    principal = _system(node)
    other = "BE" if node.code == "FR" else "FR"
    today = node.clock.now().date()
    with node.session() as session:
        criteria.ensure_default(session, node)
        for person, category in zip(
            people[:3], ("art36_discreet", "art36_inquiry", "art34"), strict=True
        ):
            register.insert(
                session,
                node,
                principal,
                AlertIn(
                    category=category,
                    family_name=person.family_name,
                    given_names=person.given_names,
                    date_of_birth=person.date_of_birth,
                    gender=person.gender,
                    nationalities=[person.nationality],
                    reason="Synthetic demo alert",
                    action="Report the check to the issuing SIRENE",
                    warnings=["terrorist_activity"] if category != "art34" else [],
                    questions=["Where is the person travelling to?"]
                    if category == "art36_inquiry"
                    else [],
                    issuing_authority=f"{node.code} demo authority",
                ),
            )
        for i, person in enumerate(people[3:5]):
            row = detainees.insert(
                session,
                node,
                principal,
                DetaineeIn(
                    family_name=person.family_name,
                    given_names=person.given_names,
                    date_of_birth=person.date_of_birth,
                    nationality=person.nationality,
                    scope="terrorist_offence" if i == 0 else "violent_radicalised",
                    institution=f"{node.code} demo prison",
                    offences=["synthetic offence"],
                    links=[LinkIn(country=other, kind="family")] if i == 0 else [],
                    facts=["high_risk_assessment"] if i == 0 else [],
                ),
            )
            detainees.insert_release(
                session,
                node,
                row.id,
                ReleaseIn(
                    kind="end_of_sentence" if i == 0 else "leave",
                    # the first within the next 30 days: the calendar has work at once
                    release_date=today + timedelta(days=21 + 100 * i),
                ),
            )
        ftf, minor = people[5], people[6]
        returnees.insert(
            session,
            node,
            principal,
            ReturneeIn(
                kind="ftf",
                family_name=ftf.family_name,
                given_names=ftf.given_names,
                date_of_birth=ftf.date_of_birth,
                returned_on=today - timedelta(days=30),
                returned_from="Syria (synthetic)",
                status="judicial follow-up",
            ),
        )
        returnees.insert(
            session,
            node,
            principal,
            ReturneeIn(
                kind="minor",
                family_name=minor.family_name,
                given_names=minor.given_names,
                date_of_birth=(today - timedelta(days=9 * 365)).isoformat(),
                returned_on=today - timedelta(days=10),
                returned_from="Iraq (synthetic)",
                protection_measures=["placement with a guardian", "psychological support"],
                responsible_authority="Youth protection service (synthetic)",
            ),
        )


def _csrf(client: httpx.Client) -> dict[str, str]:
    page = client.get("/alerts")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not match:
        raise PasserelleError("the alerts console page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json()


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    _hit_report(fr, be, accounts, 777)
    _release_notice(fr, be, accounts, 778, 120)


def scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    """Leave work on BE: a hit report received from FR to answer, and a FR release in the next
    30 days in the calendar (and, on FR, the seed's own release within 30 days)."""
    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    _hit_report(fr, be, accounts, 779)
    _release_notice(fr, be, accounts, 780, 12)


def _hit_report(fr: Any, be: Any, accounts: dict[str, list[Any]], seed: int) -> None:
    """BE issues an alert shared with FR; a FR check hits it and FR reports the hit to BE."""
    from passerelle.kit.demo import console_login

    be_user = next(a for a in accounts["BE"] if "analyst" in a.roles)
    fr_user = next(a for a in accounts["FR"] if "analyst" in a.roles)
    person = generate_people(1, seed=seed, locales=("nl_BE",))[0]
    with closing(console_login(be, be_user.username, be_user.password)) as client:
        alert = _ok(
            client.post(
                "/api/v1/alerts",
                headers=_csrf(client),
                json={
                    "category": "art36_discreet",
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "date_of_birth": person.date_of_birth,
                    "nationalities": [person.nationality],
                    "warnings": ["terrorist_activity"],
                    "reason": "Released detainee, violent radicalisation (synthetic)",
                    "action": "Discreet check; report to the BE SIRENE",
                },
            ),
            "BE: alert",
        )
        print(f"BE: alert {alert['reference']} ({alert['category']}) on {person.full_name}")
    be_boss = next(a for a in accounts["BE"] if "supervisor" in a.roles)
    with closing(console_login(be, be_boss.username, be_boss.password)) as client:
        approved = _approve(client, "alerts.alert", alert["id"], "FR", ["alert.aliases"])
        print(
            f"BE: supervisor {be_boss.username} approved sharing {alert['reference']} with FR "
            f"({approved['handling']['code']}, {approved['evaluation']})"
        )
    with closing(console_login(fr, fr_user.username, fr_user.password)) as client:
        headers = _csrf(client)
        candidates = _ok(
            client.post(
                "/api/v1/alert-checks",
                headers=headers,
                json={
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "date_of_birth": person.date_of_birth,
                },
            ),
            "FR: check",
        )
        hit = next((c for c in candidates if c["alert"]["id"] == alert["id"]), None)
        if hit is None:
            raise PasserelleError(f"FR: the check did not hit BE's alert: {candidates}")
        print(f"FR: border check → hit on BE alert {alert['reference']} (score {hit['score']})")
        report = _ok(
            client.post(
                "/api/v1/alert-checks/hits",
                headers=headers,
                json={
                    "alert_id": alert["id"],
                    "source": "border",
                    "score": hit["score"],
                    "place": "Lille-Europe station (synthetic)",
                    "checked_at": "2026-01-05T08:30:00Z",
                    "reason_of_check": "Border check",
                    "route": "Brussels → Lille",
                    "destination": "Paris",
                    "circumstances": "Travelling alone",
                },
            ),
            "FR: hit report",
        )
        # Delivered at once, or queued in the outbox and retried (a busy BE node): either way
        # it must arrive, which is checked on BE below.
        print(f"FR: hit report {report['id'][:8]} sent to BE ({report['delivery']})")
    with closing(console_login(be, be_user.username, be_user.password)) as client:
        for _ in range(240):
            received = _ok(client.get("/api/v1/alert-checks/hits?direction=in"), "BE: hits")
            found = next((r for r in received if r["id"] == report["id"]), None)
            if found:
                print(
                    f"BE: hit report received from {found['executing_node']} on "
                    f"{found['alert_reference']}, answer due {found['answer_due_at']}"
                )
                break
            time.sleep(0.25)
        else:
            raise PasserelleError("BE: the hit report never arrived")


def _approve(
    client: httpx.Client, message_type: str, reference: str, peer: str, fields: list[str]
) -> dict[str, Any]:
    """As a supervisor: approve the message of ``message_type`` about ``reference`` to ``peer``."""
    for _ in range(240):
        waiting = _ok(client.get("/api/v1/federation/approvals?status=awaiting"), "approvals")
        found = next(
            (
                w
                for w in waiting
                if (w["message_type"], w["reference"], w["peer"]) == (message_type, reference, peer)
            ),
            None,
        )
        if found is not None:
            break
        time.sleep(0.25)
    else:
        raise PasserelleError(f"no {message_type} about {reference} awaits approval for {peer}")
    decided: dict[str, Any] = _ok(
        client.post(
            f"/api/v1/federation/approvals/{found['id']}/approve",
            headers=_csrf(client),
            json={
                "fields": fields,
                "handling": {"code": "H0"},
                "evaluation": {"source": "B", "information": "2"},
            },
        ),
        "approval",
    )
    return decided


def _release_notice(fr: Any, be: Any, accounts: dict[str, list[Any]], seed: int, days: int) -> None:
    """FR plans a release of a detainee linked with BE; a FR supervisor approves the notice
    (withholding the offences); BE sees the release in its calendar."""
    from passerelle.kit.demo import console_login

    fr_user = next(a for a in accounts["FR"] if "analyst" in a.roles)
    fr_boss = next(a for a in accounts["FR"] if "supervisor" in a.roles)
    be_user = next(a for a in accounts["BE"] if "analyst" in a.roles)
    person = generate_people(1, seed=seed, locales=("fr_FR",))[0]
    with closing(console_login(fr, fr_user.username, fr_user.password)) as client:
        headers = _csrf(client)
        detainee = _ok(
            client.post(
                "/api/v1/detainees",
                headers=headers,
                json={
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "date_of_birth": person.date_of_birth,
                    "scope": "violent_radicalised",
                    "institution": "Synthetic prison A",
                    "offences": ["synthetic offence"],
                    "links": [{"country": "BE", "kind": "family"}],
                },
            ),
            "FR: detainee",
        )
        planned = _ok(
            client.post(
                f"/api/v1/detainees/{detainee['id']}/releases",
                headers=headers,
                json={"kind": "conditional_release", "release_date": _in_days(days)},
            ),
            "FR: release",
        )
        release = planned["releases"][0]
        print(f"FR: release of {person.full_name} on {release['release_date']} planned")
    with closing(console_login(fr, fr_boss.username, fr_boss.password)) as client:
        _approve(client, "alerts.release_notice", release["id"], "BE", ["detainee.links"])
        print(f"FR: supervisor {fr_boss.username} approved the release notice to BE")
    with closing(console_login(be, be_user.username, be_user.password)) as client:
        for _ in range(240):
            calendar = _ok(client.get("/api/v1/release-calendar"), "BE: calendar")
            found = next((r for r in calendar if r["id"] == release["id"]), None)
            if found:
                print(
                    f"BE: release notice received from {found['origin']}: {found['release_date']}"
                )
                return
            time.sleep(0.25)
    raise PasserelleError("BE: the release notice never arrived")


def _in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()
