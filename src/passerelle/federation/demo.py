"""Demo wiring and the cross-border check of ``passerelle demo --check``.

The demo kind ``demo.person`` searches a few synthetic persons kept in a JSON file in each demo
node's data directory, so the scenario runs before the identity package wires ``person``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from passerelle.errors import PasserelleError
from passerelle.federation import keys, kinds, peers, policies
from passerelle.kit.confirm import CONFIRMED
from passerelle.node import Node, open_node
from passerelle.privacy import audit
from passerelle.settings import Settings

if TYPE_CHECKING:
    from passerelle.kit.demo import DemoAccount, DemoNode

DEMO_KIND = "demo.person"
DEMO_FILE = "federation-demo-persons.json"
#: Synthetic people per demo node (invented names, no real person).
DEMO_PERSONS: dict[str, list[dict[str, str]]] = {
    "FR": [
        {
            "family_name": "LEFEVRE",
            "given_names": "Camille",
            "birth_date": "1991-02-17",
            "nationality": "FRA",
            "alias": "Cam",
            "last_known_city": "Lille",
        },
    ],
    "BE": [
        {
            "family_name": "PEETERS",
            "given_names": "Jan",
            "birth_date": "1985-03-14",
            "nationality": "BEL",
            "alias": "Jantje",
            "last_known_city": "Gent",
        },
        {
            "family_name": "DUBOIS",
            "given_names": "Léa",
            "birth_date": "1979-11-30",
            "nationality": "BEL",
            "alias": "",
            "last_known_city": "Namur",
        },
    ],
}


def _persons(node: Node) -> list[dict[str, str]]:
    path = node.settings.data_dir / DEMO_FILE
    if not path.exists():
        return []
    data: list[dict[str, str]] = json.loads(path.read_text())
    return data


def _search(query: Mapping[str, Any], node: Node) -> kinds.SearchResult:
    family = str(query.get("family_name", "")).strip().upper()
    born = str(query.get("birth_date", "")).strip()
    for index, person in enumerate(_persons(node)):
        if person["family_name"] == family and person["birth_date"] == born:
            return kinds.SearchResult(True, f"demo-person-{index}")
    return kinds.SearchResult.no_hit()


def _fetch(internal_ref: str, node: Node) -> dict[str, str]:
    index = int(internal_ref.rsplit("-", 1)[1])
    persons = _persons(node)
    return dict(persons[index]) if index < len(persons) else {}


def register_demo_kind() -> None:
    kinds.register_kind(
        DEMO_KIND, _search, _fetch, description="Synthetic persons of the demo.", replace=True
    )


def seed(node: Node) -> None:
    path: Path = node.settings.data_dir / DEMO_FILE
    path.write_text(json.dumps(DEMO_PERSONS.get(node.code, []), ensure_ascii=False, indent=1))


def wire(settings_list: list[Settings]) -> None:
    """Every demo node gets a key pair, knows every other one as a peer, and applies the
    recommended sharing policy of every message type towards it (as an admin would)."""
    public = {s.node: keys.public_text(keys.ensure(s)) for s in settings_list}
    for s in settings_list:
        node = open_node(s)
        try:
            with node.session() as session:
                for other in settings_list:
                    if other.node != s.node:
                        peers.add(
                            session,
                            other.node,
                            other.public_url,
                            public[other.node],
                            now=node.clock.now(),
                            insecure_http=True,  # the demo runs on loopback
                        )
                        policies.apply_defaults(
                            session,
                            node,
                            audit.Actor("demo:admin", s.node),
                            other.node,
                            "demo: the recommended policy of each message type",
                        )
        finally:
            node.close()


def _csrf(client: httpx.Client, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    if not match:
        raise PasserelleError(f"{path} carries no CSRF token")
    return match.group(1)


def _wait(client: httpx.Client, path: str, done: str, what: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        data: dict[str, Any] = client.get(path).json()
        if data.get("status") == done:
            return data
        time.sleep(0.2)
    raise PasserelleError(f"{what} did not happen within 60 s")


@contextmanager
def _logged_in(node: DemoNode, username: str, password: str) -> Iterator[httpx.Client]:
    from passerelle.kit.demo import console_login

    client = console_login(node, username, password)
    try:
        yield client
    finally:
        client.close()


def check(nodes: list[DemoNode], accounts: dict[str, list[DemoAccount]]) -> None:
    """FR queries, BE hits, FR asks, BE approves, FR receives the signed answer."""
    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    analyst = next(a for a in accounts["FR"] if "analyst" in a.roles)
    supervisor = next(a for a in accounts["BE"] if "supervisor" in a.roles)
    request_id = _ask(fr, analyst, "FR-2026-DEMO-001", "PEETERS", "1985-03-14")
    with _logged_in(be, supervisor.username, supervisor.password) as client:
        path = f"/api/v1/federation/followups/{request_id}?direction=in"
        _wait(client, path, "pending", "BE: receipt of the follow-up request")
        client.post(
            f"/exchange/requests/{request_id}/approve",
            data={
                "csrf_token": _csrf(client, f"/exchange/requests/{request_id}?direction=in"),
                "field": ["family_name", "given_names", "last_known_city"],
                "handling_code": "H2",
                "source": "B",
                "information": "2",
                # "Approve and send" asks for confirmation first (kit.confirm); confirmed here.
                "confirmed": CONFIRMED,
            },
        )
        print(f"BE: {supervisor.username} approved the release (H2, evaluation B2)")
    with _logged_in(fr, analyst.username, analyst.password) as client:
        path = f"/api/v1/federation/followups/{request_id}?direction=out"
        data = _wait(client, path, "approved", "FR: receipt of BE's signed answer")
        fields = {i["field"]: i["value"] for i in data["items"]}
        print(f"FR: signed answer received: {fields}")


def _ask(fr: DemoNode, analyst: DemoAccount, case: str, family: str, born: str) -> str:
    """As a FR analyst: query BE for a person, then ask for the data behind the HIT; returns
    the follow-up request's id."""
    with _logged_in(fr, analyst.username, analyst.password) as client:
        answer = client.post(
            "/exchange/queries",
            data={
                "csrf_token": _csrf(client, "/exchange"),
                "kind": DEMO_KIND,
                "criteria": f"family_name={family}\nbirth_date={born}",
                "case_ref": case,
                "purpose": "counter-terrorism investigation",
                "legal_basis": "Prüm Decision 2008/615/JHA",
            },
        )
        query_id = answer.headers["location"].rsplit("/", 1)[1]
        query = client.get(f"/api/v1/federation/queries/{query_id}").json()
        hit = next((a for a in query["answers"] if a["peer"] == "BE"), None)
        if not hit or hit["status"] != "hit":
            raise PasserelleError(f"FR: expected a HIT on BE, got {query['answers']}")
        print(f"FR: query {DEMO_KIND} → BE HIT, opaque reference {hit['reference']}")
        answer = client.post(
            "/exchange/followups",
            data={
                "csrf_token": _csrf(client, f"/exchange/queries/{query_id}"),
                "query_id": query_id,
                "peer": "BE",
                "reference": hit["reference"],
                "case_ref": case,
                "purpose": "counter-terrorism investigation",
                "legal_basis": "Directive (EU) 2023/977 art. 4",
            },
        )
        request_id = answer.headers["location"].split("/")[-1].split("?")[0]
        print(f"FR: follow-up request {request_id} sent to BE")
    return request_id


def scene(nodes: list[DemoNode], accounts: dict[str, list[DemoAccount]]) -> None:
    """Leave a follow-up request from FR waiting for the BE supervisor's decision."""
    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    analyst = next(a for a in accounts["FR"] if "analyst" in a.roles)
    supervisor = next(a for a in accounts["BE"] if "supervisor" in a.roles)
    request_id = _ask(fr, analyst, "FR-2026-DEMO-002", "DUBOIS", "1979-11-30")
    with _logged_in(be, supervisor.username, supervisor.password) as client:
        path = f"/api/v1/federation/followups/{request_id}?direction=in"
        _wait(client, path, "pending", "BE: receipt of the follow-up request")
    print(f"BE: follow-up request {request_id} from FR waits for {supervisor.username}")
