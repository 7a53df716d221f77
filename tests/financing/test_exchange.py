"""Publishing a filter of the node's subjects and matching the partner's: the row map stays
home, the follow-up names only the filter, row and score, and waits for a supervisor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.errors import UsageError
from passerelle.financing.model import FollowUp, PublishedFilter
from passerelle.financing.schemas import ReportIn
from passerelle.financing.service import exchange, keys, reports
from passerelle.node import Node
from tests.financing.conftest import fiu


def _report(node: Node, family: str) -> None:
    report = ReportIn(
        reference=f"R-{family}",
        reporting_entity="BANK",
        submitted_on="2026-11-20",
        parties=[{"kind": "person", "name": family, "given_names": "Youssef",
                  "date_of_birth": "1990-04-12"}],
    )  # fmt: skip
    with node.session() as session:
        reports.store(session, node, report, "console")


def test_publish_match_and_a_followup_awaiting_approval(node: Node) -> None:
    with node.session() as session, pytest.raises(UsageError, match="no key shared with BE"):
        exchange.publish(session, node, fiu(), "BE")
    keys.write(keys.generate(node.clock.now()), exchange.key_path(node, "BE"))
    _report(node, "Haddad")
    with node.session() as session:
        data = exchange.publish(session, node, fiu(), "BE")
        assert b"Haddad" not in data
        published = session.scalars(select(PublishedFilter)).one()
        assert sorted(x for x in published.labels if x) == ["1"]
    _report(node, "Hadad")
    with node.session() as session:
        found = exchange.match(session, node, fiu(), "BE", data)
        assert {f["party_id"] for f in found} == {"1", "2"}
        assert all(f["filter_id"] == published.id for f in found)
        sent = exchange.request_followup(
            session, node, fiu(), peer="BE", filter_id=published.id, row=found[1]["row"],
            score=found[1]["score"], party_id="2",
        )  # fmt: skip
    # No admin has set a policy for BE yet: a type about persons is never sent until then.
    assert sent.status == "never"
    with node.session() as session:
        (row,) = session.scalars(select(FollowUp)).all()
        assert (row.direction, row.subject, row.peer) == ("out", "2", "BE")
