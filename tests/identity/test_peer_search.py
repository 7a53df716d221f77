"""The ``person`` kind: a peer's hit/no-hit query is answered from this node's watchlists."""

from __future__ import annotations

import asyncio
from typing import Any

from passerelle.identity import PersonRecord
from passerelle.identity.peer_search import fetch, search
from passerelle.identity.watchlists import node_watchlists
from tests.federation.conftest import Net

QUERY = {
    "kind": "person",
    "payload": {"family_name": "Ivanov", "given_names": "Sergei", "birth_date": "1980-04-12"},
    "case_ref": "FR-2026-0107",
    "purpose": "investigation of a terrorist offence",
    "legal_basis": "Prüm Decision 2008/615/JHA",
}


def _listed(net: Net) -> None:
    be = node_watchlists(net.nodes["BE"].state)
    be.publish(
        "alerts",
        PersonRecord(
            "SIS-BE-17", full_name="Сергей Иванов", date_of_birth="1980-04-12", nationality="RUS"
        ),
    )


def test_person_query_hits_on_the_peer_that_lists_the_person(net: Net) -> None:
    _listed(net)

    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            r = await c["FR"].post(
                "/api/v1/federation/queries", json=QUERY, headers=net.auth("FR", "analyst")
            )
            assert r.status_code == 200, r.text
            data: dict[str, Any] = r.json()
            return data

    result = asyncio.run(scenario())
    answers = {a["peer"]: a for a in result["answers"]}
    assert (answers["BE"]["status"], answers["ES"]["status"]) == ("hit", "no_hit")
    assert "SIS-BE-17" not in answers["BE"]["reference"]  # opaque outside the node


def test_released_fields_come_from_the_listed_entry_and_vanish_on_withdrawal(net: Net) -> None:
    _listed(net)
    node = net.nodes["BE"]
    found = search({"family_name": "IVANOV", "given_names": "Sergey", "birth_date": "1980"}, node)
    assert found.hit and found.internal_ref == "alerts:SIS-BE-17"
    assert fetch(found.internal_ref, node)["date_of_birth"] == "1980-04-12"
    node_watchlists(node.state).withdraw("alerts", "SIS-BE-17")
    assert fetch(found.internal_ref, node) == {}
    assert not search({"family_name": "Ivanov", "given_names": "Sergei"}, node).hit


def test_copies_of_other_nodes_entries_are_not_answered_for(net: Net) -> None:
    be = net.nodes["BE"]
    node_watchlists(be.state).publish(
        "alerts",
        PersonRecord("SIS-FR-3", full_name="Jean Dupont", date_of_birth="1975"),
        owner="FR",
    )
    assert not search({"family_name": "Dupont", "given_names": "Jean"}, be).hit
    node_watchlists(be.state).publish(
        "alerts",
        PersonRecord("SIS-BE-4", full_name="Jean Dupont", date_of_birth="1975"),
        owner="BE",
    )
    assert (
        search({"family_name": "Dupont", "given_names": "Jean"}, be).internal_ref
        == "alerts:SIS-BE-4"
    )
