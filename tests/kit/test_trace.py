"""A domain's audited read: one entry with the domain's purpose and basis, in the caller's
transaction, stamped by the node's clock."""

from __future__ import annotations

from sqlalchemy import select
from tests.conftest import START

from passerelle.kit.trace import Tracer
from passerelle.node import Node
from passerelle.privacy import AuditEntry, Principal, audit

ANALYST = Principal("user", 1, "fr.analyst", "FR", frozenset({"analyst"}))
trace = Tracer("heritage screening", "Regulation (EU) 2019/880 art. 3")


def test_a_read_is_recorded_with_the_domains_purpose_and_basis(node: Node) -> None:
    with node.session() as session:
        trace(session, node, ANALYST, "read", "heritage_object", "OBJ-1", details={"q": "vase"})
    with node.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.object_id == "OBJ-1")).one()
        assert (entry.actor, entry.action, entry.outcome) == ("fr.analyst", "read", "ok")
        assert entry.purpose == "heritage screening"
        assert entry.legal_basis == "Regulation (EU) 2019/880 art. 3"
        assert entry.ts == START
        assert audit.verify(session).ok


def test_a_rolled_back_read_leaves_no_entry(node: Node) -> None:
    try:
        with node.session() as session:
            trace(session, node, ANALYST, "read", "heritage_object", "OBJ-2", outcome="refused")
            raise RuntimeError("the caller's work failed")
    except RuntimeError:
        pass
    with node.session() as session:
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.object_id == "OBJ-2")).all() == []
        )
