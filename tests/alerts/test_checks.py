"""Checks that found nothing leave no name in the audit log, yet the data-protection officer,
with the name in hand, learns who checked that person and when."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.alerts import load_watchlist
from passerelle.alerts.schemas import PersonCheckIn
from passerelle.alerts.service import checks, hits, register
from passerelle.node import Node
from passerelle.privacy import AuditEntry, audit
from tests.alerts.conftest import alert_in, principal


def _check(node: Node, name: str, **person: str) -> list[str]:
    data = PersonCheckIn(family_name=name, **person)
    with node.session() as session:
        found = hits.check(session, node, principal("analyst", name=person.pop("by", "ana")), data)
    return [c.alert.id for c in found]


def test_a_check_with_no_candidate_keeps_a_keyed_hash_not_the_name(node: Node) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in())
    load_watchlist(node, force=True)
    assert _check(node, "Lefebvre", given_names="Claire", date_of_birth="1980-05-06") == []
    assert _check(node, "Vandenberghe", given_names="Pieter Jan", date_of_birth="1991-04-17") == [
        alert.id
    ]
    with node.session() as session:
        entries = list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.object_type == "alert", AuditEntry.object_id == "*"
                )
            )
        )
        nothing, hit = entries[-2:]
        assert "lefebvre" not in nothing.details.lower() and "claire" not in nothing.details.lower()
        assert "Vandenberghe" in hit.details  # a hit is followed up: the name stays
        dpo = principal("dpo", name="dora")
        found = checks.lookup(session, node, dpo, "LEFÈBVRE")  # case and accents do not matter
        assert [(f["by"], f["candidates"]) for f in found] == [("ana", [])]
        assert checks.lookup(session, node, dpo, "Lefebvre", "Claire", "1980-05-06")
        assert checks.lookup(session, node, dpo, "Lefebvre", "Claire", "1980-05-07") == []
        assert checks.lookup(session, node, dpo, "Martin") == []
        # The lookup is audited, by hash too.
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and last.object_type == "alert.check"
        assert "martin" not in last.details.lower()
        assert audit.verify(session).ok


def test_hashes_ignore_case_and_spacing_and_differ_by_scope(node: Node) -> None:
    theirs = checks.hashes(node, "Lefebvre")
    assert theirs == checks.hashes(node, "lefebvre ")
    assert len(theirs["name"]) == 64 and theirs["name"] != theirs["person"]
