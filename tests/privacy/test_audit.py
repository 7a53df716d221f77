from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from passerelle import domains
from passerelle.errors import ValidationFailed
from passerelle.node import Node, open_node
from passerelle.privacy import audit, retention
from passerelle.privacy.clock import FrozenClock
from passerelle.privacy.model import AuditEntry, AuditHead
from passerelle.settings import Settings
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


# ---- entries join the chain at commit ---------------------------------------------------------


def _entry(node: Node, session: Session, actor: str, object_id: str) -> None:
    node.audit(
        session,
        audit.Actor(actor, "FR"),
        action="read",
        object_type="person",
        object_id=object_id,
        purpose="screening",
        legal_basis="Directive 2016/681 art. 6",
    )


@pytest.fixture
def quick_node(settings: Settings, clock: FrozenClock) -> Iterator[Node]:
    """A node whose lock waits give up after 0.5 s, so a wait that should not happen fails fast."""
    n = open_node(replace(settings, db_busy_timeout_seconds=0.5), clock=clock)
    yield n
    n.close()


def test_an_open_audited_transaction_does_not_hold_up_another(quick_node: Node) -> None:
    node = quick_node
    with node.session() as slow:
        _entry(node, slow, "slow.analyst", "1")
        # Another request audits and commits while the first is still open: it must not wait
        # for the first's commit (before, the first held the chain's head from its entry on).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_write_one, node, "quick.analyst", "2").result(timeout=30)
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery())
        result = audit.verify(session)
    assert [(e.seq, e.actor) for e in sorted(entries, key=lambda e: e.seq)] == [
        (1, "quick.analyst"),
        (2, "slow.analyst"),
    ]
    assert result.ok, result.describe()


def _write_one(node: Node, actor: str, object_id: str) -> None:
    with node.session() as session:
        _entry(node, session, actor, object_id)


def test_a_rolled_back_transaction_leaves_no_entry(node: Node) -> None:
    with pytest.raises(RuntimeError), node.session() as session:
        _entry(node, session, "fr.analyst", "lost")
        raise RuntimeError("the act failed")
    _write_one(node, "fr.analyst", "kept")
    with node.session() as session:
        entries, total = audit.search(session, audit.AuditQuery())
        result = audit.verify(session)
    assert total == 1 and entries[0].object_id == "kept"
    assert result.ok and result.checked == 1


def test_a_session_sees_its_own_entries_in_recording_order(node: Node) -> None:
    with node.session() as session:
        for i in range(3):
            _entry(node, session, "fr.analyst", str(i))
        entries, total = audit.search(session, audit.AuditQuery())
        _entry(node, session, "fr.analyst", "3")
    assert total == 3 and [e.object_id for e in entries] == ["2", "1", "0"]
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery())
    assert [(e.seq, e.object_id) for e in entries] == [(4, "3"), (3, "2"), (2, "1"), (1, "0")]


def test_concurrent_audited_writes_all_land_once_and_the_chain_verifies(node: Node) -> None:
    writers, per_writer = 24, 10

    def work(w: int) -> None:
        for i in range(per_writer):
            _write_one(node, f"analyst.{w}", str(i))

    with ThreadPoolExecutor(writers) as pool:
        for future in [pool.submit(work, w) for w in range(writers)]:
            future.result(timeout=300)
    with node.session() as session:
        result = audit.verify(session)
        entries, total = audit.search(session, audit.AuditQuery(limit=500))
    assert result.ok, result.describe()
    assert total == result.checked == writers * per_writer
    assert len({(e.actor, e.object_id) for e in entries}) == writers * per_writer


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


def test_transactions_of_one_and_of_many_entries_link_in_order_and_advance_the_head(
    node: Node,
) -> None:
    """On PostgreSQL the entries and the head's advance are one statement after the head's
    lock: the chain, its order and the head are what three statements gave."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    _write(node, 1)  # the first entry ever creates the head row
    event.listen(node.db.engine, "before_cursor_execute", seen)
    try:
        for n in (1, 3, 1, 7, 2):
            _write(node, n)
    finally:
        event.remove(node.db.engine, "before_cursor_execute", seen)
    with node.session() as session:
        result = audit.verify(session)
        rows = session.execute(text("SELECT seq, object_id FROM audit_log ORDER BY seq")).all()
        head = session.get(AuditHead, 1)
        last = session.get(AuditEntry, 15)
    assert result.ok and result.checked == 15, result.describe()
    assert [r.object_id for r in rows] == [
        *["0"],
        *["0"],
        *["0", "1", "2"],
        *["0"],
        *[str(i) for i in range(7)],
        *["0", "1"],
    ]
    assert head is not None and last is not None
    assert (head.last_seq, head.last_hash) == (15, last.hash)
    if node.db.engine.dialect.name == "postgresql":
        # Per transaction: the head's position (locked), then one statement.
        assert sum("FOR UPDATE" in s for s in statements) == 5
        assert (
            sum(s.startswith("WITH linked AS") and "INSERT INTO audit_log" in s for s in statements)
            == 5
        )
        assert not any(s.lstrip().startswith("UPDATE audit_head") for s in statements)
