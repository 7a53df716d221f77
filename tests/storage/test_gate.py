"""The write gate: a node's writers wait on a lock, give up with DatabaseBusy, never leak it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import DatabaseBusy
from passerelle.node import Node, open_node
from passerelle.privacy import Agency, accounts
from passerelle.settings import Settings
from passerelle.storage.gate import WriteGate


@pytest.fixture
def sqlite_node(tmp_path: Path) -> Iterator[Node]:
    node = open_node(
        Settings(
            data_dir=tmp_path / "node",
            node="FR",
            retention_interval_seconds=0,
            db_busy_timeout_seconds=0.5,
        )
    )
    yield node
    node.close()


def _agency(session: Session, code: str) -> None:
    accounts.ensure_agency(session, code, f"agency {code}", "FR")


def test_a_second_writer_gives_up_with_database_busy_then_passes(sqlite_node: Node) -> None:
    node = sqlite_node
    with node.session() as first:
        _agency(first, "A1")
        first.flush()  # the first transaction now holds the write lock
        started = time.monotonic()
        with ThreadPoolExecutor(1) as pool:
            refused = pool.submit(_write, node, "A2").exception(timeout=30)
        assert isinstance(refused, DatabaseBusy)
        assert 0.4 < time.monotonic() - started < 3
    _write(node, "A2")  # the gate opened at the first commit
    with node.read_session() as session:
        assert _codes(session) >= {"A1", "A2"}


def _codes(session: Session) -> set[str]:
    return set(session.scalars(select(Agency.code)))


def _write(node: Node, code: str) -> None:
    with node.session() as session:
        _agency(session, code)


def test_a_rolled_back_or_failed_transaction_frees_the_gate(sqlite_node: Node) -> None:
    node = sqlite_node
    with pytest.raises(RuntimeError), node.session() as session:
        _agency(session, "B1")
        session.flush()
        raise RuntimeError("the act failed")
    assert node.db.write_gate.holder is None
    _write(node, "B2")
    assert node.db.write_gate.holder is None


def test_a_transaction_committed_in_another_thread_frees_the_gate(sqlite_node: Node) -> None:
    # FastAPI runs a route in one worker thread and the session's exit (the commit) in another.
    node = sqlite_node
    unit = node.session()
    session = unit.__enter__()
    _agency(session, "C1")
    session.flush()
    assert node.db.write_gate.holder is not None
    threading.Thread(target=unit.__exit__, args=(None, None, None)).start()
    _write(node, "C2")  # waits for the other thread's commit, not for the busy timeout
    assert node.db.write_gate.holder is None
    with node.read_session() as check:
        assert _codes(check) >= {"C1", "C2"}


def test_many_writers_in_one_process_all_land(tmp_path: Path) -> None:
    # More writers than pooled connections, with the default 5 s wait: none is refused.
    node = open_node(Settings(data_dir=tmp_path / "node", node="FR", retention_interval_seconds=0))
    codes = [f"W{i:02d}" for i in range(48)]
    try:
        with ThreadPoolExecutor(48) as pool:
            for future in [pool.submit(_write, node, code) for code in codes]:
                future.result(timeout=120)
        with node.read_session() as session:
            assert _codes(session) >= set(codes)
    finally:
        node.close()


def test_the_gate_is_released_only_by_its_holder() -> None:
    gate = WriteGate()
    gate.acquire(1, 1.0)
    gate.acquire(1, 1.0)  # the holder again: no wait
    assert not gate.release(2)
    with pytest.raises(DatabaseBusy):
        gate.acquire(2, 0.05)
    assert gate.release(1)
    gate.acquire(2, 0.05)
    assert gate.holder == 2
