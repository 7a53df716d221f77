"""Demo data (a JIT opened by FR with BE, with its members, a planned action, a draft statement
and an evidence file with its custody trail, shared with BE when the nodes start) and the
cross-border check: a JIT opened by FR with BE, a file uploaded over tus on FR, pulled and
verified by BE, and a press statement approved by both leaders."""

from __future__ import annotations

import base64
import hashlib
import re
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from passerelle.errors import PasserelleError
from passerelle.jit import custody
from passerelle.jit.schemas import ActionIn, StatementIn, TeamIn
from passerelle.jit.service import statements, teams
from passerelle.node import open_node
from passerelle.privacy import Principal
from passerelle.settings import Settings

#: A synthetic scanned document: what the demo exchanges as evidence.
EVIDENCE = b"%PDF-1.4 synthetic seizure report (demo)\n" + bytes(range(256)) * 2048


def team_body(now: Any, name: str) -> dict[str, Any]:
    start = now.date()
    return {
        "name": name,
        "countries": ["FR", "BE"],
        "terms": {
            "purpose": "Investigate the synthetic attacks of Lille and Tournai (demo)",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=180)).isoformat(),
            "evidence_rules": "Evidence gathered by either party is used in both states.",
            "confidentiality": "Members listed in this agreement only.",
            "communication": "Any public communication needs the approval of both leaders.",
        },
        "members": [
            {"country": "FR", "name": "Claire Martin", "role": "leader", "login": "fr.supervisor"},
            {"country": "FR", "name": "Paul Dubois", "role": "member", "login": "fr.analyst"},
            {"country": "BE", "name": "Jan Peeters", "role": "leader", "login": "be.supervisor"},
            {"country": "BE", "name": "Sofie Claes", "role": "member", "login": "be.analyst"},
            {"country": "NL", "name": "E. de Vries", "role": "eurojust"},
        ],
    }


def wire(settings_list: list[Settings]) -> None:
    """FR opens a demo JIT with BE (shared when the nodes start), with an action, a draft press
    statement for the leaders to approve and an evidence file BE pulls and verifies."""
    fr = next((s for s in settings_list if s.node == "FR"), None)
    if fr is None or not any(s.node == "BE" for s in settings_list):
        return
    node = open_node(fr)
    who = Principal(
        kind="cli", id=0, name="demo-seed", agency="FR", roles=frozenset({"supervisor"})
    )
    try:
        with node.session() as session:
            if teams.listing(session):
                return
            body = TeamIn.model_validate(team_body(node.clock.now(), "Opération Frontière"))
            team = teams.open_team(session, node, who, body)
            teams.add_action(
                session,
                node,
                who,
                team.id,
                ActionIn(
                    title="Hear the witness in Tournai",
                    owner="Sofie Claes",
                    country="BE",
                    due_on=node.clock.now().date() + timedelta(days=7),
                ),
            )
            statements.draft(
                session,
                node,
                who,
                team.id,
                StatementIn(
                    title="Joint investigation",
                    text="The French and Belgian authorities have set up a joint "
                    "investigation team.",
                ),
            )
            _seed_evidence(session, node, who, team)
    finally:
        node.close()


def _seed_evidence(session: Any, node: Any, who: Principal, team: Any) -> None:
    """A synthetic scanned report stored on FR with its signed ``uploaded`` entry, as a finished
    tus upload leaves it; BE's node pulls it once both run and signs ``received``."""
    from passerelle.jit.service import evidence

    target = evidence.store_dir(node, "evidence") / f"demo-{team.id}"
    target.write_bytes(EVIDENCE)
    evidence.create(
        session,
        node,
        who,
        team,
        filename="seizure-report.pdf",
        handling="H2",
        content=target,
        sha256=hashlib.sha256(EVIDENCE).hexdigest(),
        size=len(EVIDENCE),
    )


def _csrf(client: httpx.Client) -> dict[str, str]:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/jit").text)
    if not match:
        raise PasserelleError("the JIT console page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json() if response.content else None


def _wait(what: str, probe: Callable[[], Any]) -> Any:
    for _ in range(80):
        found = probe()
        if found:
            return found
        time.sleep(0.25)
    raise PasserelleError(f"{what} never happened")


def _upload(client: httpx.Client, headers: dict[str, str], ref: str) -> None:
    tus = {**headers, "tus-resumable": "1.0.0"}
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"jit": ref, "filename": "seizure-report.pdf", "handling": "H2"}.items()
    )
    created = client.post(
        "/api/v1/jit/uploads",
        headers={**tus, "upload-length": str(len(EVIDENCE)), "upload-metadata": meta},
    )
    _ok(created, "FR: tus creation")
    url = created.headers["location"]
    half = len(EVIDENCE) // 2
    for start, chunk in ((0, EVIDENCE[:half]), (half, EVIDENCE[half:])):
        sent = client.patch(
            url,
            content=chunk,
            headers={
                **tus,
                "upload-offset": str(start),
                "content-type": "application/offset+octet-stream",
            },
        )
        _ok(sent, "FR: tus PATCH")


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    """FR opens a JIT with BE and uploads a file; BE pulls and verifies it against the signed
    custody report; a press statement is approved by both leaders and becomes publishable."""
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    user = {
        (code, role): next(a for a in accounts[code] if role in a.roles)
        for code in ("FR", "BE")
        for role in ("analyst", "supervisor")
    }

    def login(node: Any, code: str, role: str) -> httpx.Client:
        account = user[(code, role)]
        return console_login(node, account.username, account.password)

    with closing(login(fr, "FR", "analyst")) as client:
        headers = _csrf(client)
        body = team_body(_now(), "Opération Frontière (demo check)")
        team = _ok(client.post("/api/v1/jit/teams", headers=headers, json=body), "FR: open JIT")
        print(f"FR: JIT {team['reference']} opened with BE")
        _upload(client, headers, team["reference"])
        print(f"FR: evidence uploaded over tus ({len(EVIDENCE)} bytes)")
    with closing(login(be, "BE", "analyst")) as client:
        seeded = _wait("BE: the demo JIT with its evidence received", lambda: _seeded(client))
        print(
            f"BE: demo JIT {seeded['reference']} shown with {len(seeded['members'])} members, "
            f"{len(seeded['statements'])} draft statement and its evidence received "
            f"({len(seeded['evidence'][0]['custody'])} custody entries)"
        )
        headers = _csrf(client)
        path = f"/api/v1/jit/teams/{team['id']}"
        ws = _wait("BE: the JIT workspace", lambda: _evidence(client, path))
        item = ws["evidence"][0]
        _ok(client.post(f"/api/v1/jit/evidence/{item['id']}/fetch", headers=headers), "BE: fetch")
        content = client.get(f"/api/v1/jit/evidence/{item['id']}/content").content
        report = _ok(client.get(f"/api/v1/jit/evidence/{item['id']}/custody"), "BE: report")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "evidence.bin"
            copy.write_bytes(content)
            problems = custody.problems(report, copy)
        if problems or hashlib.sha256(content).hexdigest() != item["sha256"]:
            raise PasserelleError(f"BE: the evidence does not verify: {problems}")
        print(
            f"BE: evidence received and verified (SHA-256 {item['sha256'][:16]}…, "
            f"{len(report['entries'])} signed custody entries)"
        )
    with closing(login(fr, "FR", "supervisor")) as client:
        headers = _csrf(client)
        drafted = _ok(
            client.post(
                f"/api/v1/jit/teams/{team['id']}/statements",
                headers=headers,
                json={"title": "Arrests", "text": "Two suspects were arrested today (demo)."},
            ),
            "FR: statement",
        )
        _ok(
            client.post(
                f"/api/v1/jit/statements/{drafted['id']}/approve",
                headers=headers,
                json={"version": 1},
            ),
            "FR: approval",
        )
        print("FR: press statement drafted and approved by the FR leader")
    with closing(login(be, "BE", "supervisor")) as client:
        headers = _csrf(client)
        path = f"/api/v1/jit/teams/{team['id']}"
        _wait("BE: the statement", lambda: _statement(client, path, drafted["id"], "FR"))
        done = _ok(
            client.post(
                f"/api/v1/jit/statements/{drafted['id']}/approve",
                headers=headers,
                json={"version": 1},
            ),
            "BE: approval",
        )
        if not done["publishable"]:
            raise PasserelleError("BE: the statement is not publishable after both approvals")
    with closing(login(fr, "FR", "analyst")) as client:
        path = f"/api/v1/jit/teams/{team['id']}"
        _wait("FR: BE's approval", lambda: _publishable(client, path, drafted["id"]))
        print("FR: press statement approved by both leaders: publishable")


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _evidence(client: httpx.Client, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        return None
    ws = response.json()
    return ws if ws["evidence"] else None


def _statement(client: httpx.Client, path: str, statement_id: str, country: str) -> bool:
    response = client.get(path)
    if response.status_code != 200:
        return False
    return any(
        s["id"] == statement_id and country in s["approvals"] for s in response.json()["statements"]
    )


def _publishable(client: httpx.Client, path: str, statement_id: str) -> bool:
    response = client.get(path)
    return response.status_code == 200 and any(
        s["id"] == statement_id and s["publishable"] for s in response.json()["statements"]
    )


def _seeded(client: httpx.Client) -> Any:
    """The demo JIT seeded on FR, once BE holds it with its evidence pulled and verified."""
    listing = client.get("/api/v1/jit/teams")
    if listing.status_code != 200:
        return None
    team = next((t for t in listing.json() if t["name"] == "Opération Frontière"), None)
    if team is None:
        return None
    ws = client.get(f"/api/v1/jit/teams/{team['id']}").json()
    trail = [c["event"] for e in ws.get("evidence", []) for c in e["custody"]]
    return ws if "received" in trail and ws["statements"] else None
