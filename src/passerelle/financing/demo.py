"""Demo data and the cross-border scenario of ``passerelle demo --check``: FR publishes an
encoded filter of its subjects, BE matches its own reports against it (another spelling),
asks FR through a follow-up request that a BE supervisor approves, and FR receives it with
the row resolved to its subject. All names are synthetic."""

from __future__ import annotations

import re
import time
from contextlib import closing
from datetime import timedelta
from typing import Any

import httpx

from passerelle.errors import PasserelleError
from passerelle.financing.schemas import ReportIn
from passerelle.financing.service import keys, reports
from passerelle.financing.service.exchange import FOLLOWUP
from passerelle.node import Node
from passerelle.settings import Settings

#: Synthetic reports: FR knows Youssef Haddad; BE reports "Youssef Hadad" (a typo) on the
#: same date of birth, and a person FR does not know.
PEOPLE = {
    "FR": [("Haddad", "Youssef", "1990-04-12"), ("Lambert", "Claire", "1982-09-30")],
    "BE": [("Hadad", "Youssef", "1990-04-12"), ("Janssens", "Pieter", "1979-01-15")],
}


def seed(node: Node) -> None:
    people = PEOPLE.get(node.code)
    if not people:
        return
    now = node.clock.now()
    transfers = [
        {"number": f"{node.code}-T{i}", "occurred_at": now - timedelta(days=10 - i),
         "amount": 14_000 + 100 * i, "currency": "EUR", "from_account": f"{node.code}-ACC-1",
         "to_account": f"{node.code}-ACC-{i + 2}"}
        for i in range(3)
    ]  # fmt: skip
    report = ReportIn(
        reference=f"{node.code}-STR-DEMO-1",
        reporting_entity=f"{node.code}-BANK-1",
        submitted_on=(now - timedelta(days=3)).date().isoformat(),
        reason="Demo: small transfers just under the threshold (synthetic).",
        parties=[
            {"kind": "person", "name": family, "given_names": given, "date_of_birth": dob,
             "account": f"{node.code}-ACC-1"}
            for family, given, dob in people
        ],
        transfers=transfers,
    )  # fmt: skip
    with node.session() as session:
        if not reports._duplicate(session, report):
            reports.store(session, node, report, "console")


def wire(settings_list: list[Settings]) -> None:
    """One key shared by the FR and BE nodes (out of band in real life)."""
    by_code = {s.node: s for s in settings_list}
    if "FR" not in by_code or "BE" not in by_code:
        return
    fr_path = by_code["FR"].data_dir / "financing-BE.key"
    be_path = by_code["BE"].data_dir / "financing-FR.key"
    if fr_path.exists() and be_path.exists():
        return
    from datetime import UTC, datetime

    key = keys.generate(datetime.now(UTC))
    for path in (fr_path, be_path):
        path.unlink(missing_ok=True)
        keys.write(key, path)


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response


def _csrf(client: httpx.Client) -> dict[str, str]:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    if not match:
        raise PasserelleError("the console home page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))

    def login(n: Any, role: str) -> httpx.Client:
        account = next(a for a in accounts[n.code] if role in a.roles)
        return console_login(n, account.username, account.password)

    with closing(login(be, "admin")) as client:
        _ok(client.put(f"/api/v1/federation/sharing/{FOLLOWUP}/FR", headers=_csrf(client),
                       json={"policy": "approval",
                             "reason": "demo: follow-ups to FR after an encoded match"}),
            "BE: sharing policy")  # fmt: skip
    with closing(login(fr, "fiu")) as client:
        data = _ok(client.post("/api/v1/financing/filters/BE", headers=_csrf(client)),
                   "FR: publish filter").content  # fmt: skip
    if b"Haddad" in data:
        raise PasserelleError("FR: the filter holds a name")
    print(f"FR: filter of its subjects published ({len(data)} bytes, no name, no date)")
    with closing(login(be, "fiu")) as client:
        headers = {**_csrf(client), "content-type": "application/octet-stream"}
        found = _ok(client.post("/api/v1/financing/filters/FR/match", headers=headers,
                                content=data), "BE: match").json()  # fmt: skip
        if len(found) != 1:
            raise PasserelleError(f"BE: expected one encoded match, got {found}")
        hit = found[0]
        print(f"BE: one possible match in FR's filter (score {hit['score']})")
        sent = _ok(client.post("/api/v1/financing/followups", headers=_csrf(client),
                               json={"peer": "FR", **hit}), "BE: follow-up").json()  # fmt: skip
    if sent["status"] != "awaiting":
        raise PasserelleError(f"BE: the follow-up should await approval: {sent}")
    with closing(login(be, "supervisor")) as client:
        _ok(client.post(f"/api/v1/federation/approvals/{sent['message_id']}/approve",
                        headers=_csrf(client),
                        json={"fields": [], "handling": {"code": "H1"},
                              "evaluation": {"source": "B", "information": "2"}}),
            "BE: supervisor approval")  # fmt: skip
    print("BE: a supervisor approved the follow-up request")
    deadline = time.monotonic() + 20
    with closing(login(fr, "fiu")) as client:
        while time.monotonic() < deadline:
            received = _ok(client.get("/api/v1/financing/followups"), "FR: follow-ups").json()
            incoming = [f for f in received if f["direction"] == "in" and f["subject"]]
            if incoming:
                print(f"FR: follow-up from BE received, row resolved to subject "
                      f"{incoming[0]['subject']}")  # fmt: skip
                return
            time.sleep(0.5)
    raise PasserelleError("FR: the approved follow-up from BE did not arrive")
