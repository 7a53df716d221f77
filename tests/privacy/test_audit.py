from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import text

from passerelle import domains
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy import audit, retention
from passerelle.privacy.clock import FrozenClock
from passerelle.privacy.model import AuditEntry, AuditHead
from passerelle.storage.migrate import alembic_config, upgrade


def _write(node: Node, n: int) -> None:
    with node.session() as session:
        for i in range(n):
            node.audit(
                session,
                audit.Actor("fr.analyst", "FR"),
                action="read",
                object_type="person",
                object_id=str(i),
                purpose="screening",
                legal_basis="Directive 2016/681 art. 6",
            )


def test_chain_of_many_entries_verifies(node: Node) -> None:
    _write(node, 25)
    with node.session() as session:
        result = audit.verify(session)
    assert result.ok and result.checked == 25


def test_database_refuses_to_update_an_entry(node: Node) -> None:
    _write(node, 2)
    with pytest.raises(Exception, match="append-only"), node.session() as session:
        session.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 1"))


def _tamper(node: Node, sql: str) -> None:
    """Edit the table as an attacker with database access would: triggers off first."""
    with node.session() as session:
        if node.db.is_sqlite:
            session.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"))
        session.execute(text(sql))


def test_edited_entry_is_named_by_verify(node: Node) -> None:
    _write(node, 5)
    _tamper(node, "UPDATE audit_log SET object_id = '999' WHERE seq = 3")
    with node.session() as session:
        result = audit.verify(session)
    assert not result.ok
    assert result.first_broken == 3
    assert "entry 3" in result.describe()


def test_removed_entry_is_detected(node: Node) -> None:
    _write(node, 5)
    _tamper(node, "DELETE FROM audit_log WHERE seq = 2")
    with node.session() as session:
        result = audit.verify(session)
    assert (result.ok, result.first_broken) == (False, 2)


def test_removed_tail_is_detected(node: Node) -> None:
    _write(node, 5)
    _tamper(node, "DELETE FROM audit_log WHERE seq = 5")
    with node.session() as session:
        assert audit.verify(session).first_broken == 5


def test_five_year_retention_keeps_the_rest_of_the_chain_verifiable(
    node: Node, clock: FrozenClock
) -> None:
    _write(node, 3)
    clock.advance(timedelta(days=4 * 365))
    _write(node, 2)
    clock.advance(timedelta(days=365 + 30))
    outcomes = retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert {o.data_class: o.deleted for o in outcomes}["audit_log"] == 3
    with node.session() as session:
        result = audit.verify(session)
        remaining, _ = audit.search(session, audit.AuditQuery(action="erase"))
    assert result.ok, result.describe()
    assert result.checked == 3  # two recent entries + the audited erasure itself
    assert remaining[0].object_type == "audit_log"


def test_search_filters_by_actor_and_action(node: Node) -> None:
    _write(node, 3)
    with node.session() as session:
        node.audit(
            session,
            audit.SYSTEM,
            action="erase",
            object_type="pnr",
            object_id="*",
            purpose="retention",
            legal_basis="art. 12",
        )
        rows, total = audit.search(session, audit.AuditQuery(actor="fr.analyst"))
        erased, _ = audit.search(session, audit.AuditQuery(action="erase"))
    assert total == 3 and all(r.actor == "fr.analyst" for r in rows)
    assert [e.object_type for e in erased] == ["pnr"]


def _migrate(node: Node, target: str, down: bool = False) -> None:
    config = alembic_config(domains.migration_dirs())
    with node.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)


def test_a_chain_written_with_the_old_receive_action_verifies_after_the_column_is_widened(
    node: Node,
) -> None:
    """Migration 0002_audit_action: entries written as ``receive`` (16-character column) keep
    their hash; new entries name what happened in up to 64 characters; still append-only."""
    _write(node, 2)
    _migrate(node, "0002_audit_action", down=True)
    with node.session() as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        old = AuditEntry(
            seq=head.last_seq + 1,
            ts=node.clock.now(),
            node=node.code,
            actor="peer:BE",
            agency="BE",
            action="receive",
            object_type="alerts.alert",
            object_id="BE-A-1",
            purpose="alert sharing",
            legal_basis="art. 36",
            outcome="alert received",
            details="{}",
            prev_hash=head.last_hash,
            hash="",
        )
        old.hash = audit._digest(old.prev_hash, audit._fields(old))
        session.add(old)
        head.last_seq, head.last_hash = old.seq, old.hash
    upgrade(node.db.engine, domains.migration_dirs())
    action = audit.declare_action("criteria catalogue and long name received")
    with node.session() as session:
        node.audit(
            session,
            audit.Actor("peer:BE", "BE"),
            action=action,
            object_type="alerts.criteria",
            object_id="BE-1",
            purpose="alert sharing",
            legal_basis="art. 36",
            outcome="stored",
        )
    with node.session() as session:
        result = audit.verify(session)
        legacy, _ = audit.search(session, audit.AuditQuery(action="receive"))
        named, _ = audit.search(session, audit.AuditQuery(action=action))
    assert result.ok and result.checked == 4, result.describe()
    assert [e.object_id for e in legacy] == ["BE-A-1"]
    assert [e.object_id for e in named] == ["BE-1"]
    assert "receive" in audit.actions() and action in audit.actions()
    with pytest.raises(Exception, match="append-only"), node.session() as session:
        session.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 3"))


def test_an_action_not_declared_is_refused(node: Node) -> None:
    with pytest.raises(ValidationFailed), node.session() as session:
        node.audit(
            session,
            audit.SYSTEM,
            action="receive",
            object_type="x",
            object_id="1",
            purpose="p",
            legal_basis="b",
        )
    with pytest.raises(ValidationFailed):
        audit.declare_action("drop table received; --")
    with pytest.raises(ValidationFailed):
        audit.declare_action("alert")
