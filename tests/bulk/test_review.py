"""Loading a bulk screening output into the node as review candidates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.bulk.review import load_candidates, pending_candidates
from passerelle.errors import MalformedInput
from passerelle.node import Node
from passerelle.privacy import AuditEntry, FrozenClock, audit

HITS = (
    "record_id,entry_id,score,explanation\n"
    "R1,W1,0.9100,name 0.91: Jean~Jean (exact 1.00)\n"
    "R2,W7,0.9700,name 0.97; date of birth exact\n"
)


def test_hits_become_pending_candidates_best_first_with_an_audit_entry(
    node: Node, tmp_path: Path
) -> None:
    hits = tmp_path / "hits.csv"
    hits.write_text(HITS, encoding="utf-8")
    loaded = load_candidates(node, hits, "AF1234 2026-11-26", audit.Actor("ana", "FR"))
    assert loaded.candidates == 2
    with node.session() as session:
        pending = pending_candidates(session, loaded.run_id)
        assert [(c.record_id, c.entry_id, c.score) for c in pending] == [
            ("R2", "W7", 0.97),
            ("R1", "W1", 0.91),
        ]
        assert all(c.status == "pending" and c.loaded_by == "ana" for c in pending)
        trace = session.scalars(select(AuditEntry).where(AuditEntry.object_id == loaded.run_id))
        assert [(e.action, e.object_type) for e in trace] == [("write", "bulk_run")]


def test_a_hits_file_without_the_columns_is_refused(node: Node, tmp_path: Path) -> None:
    hits = tmp_path / "hits.csv"
    hits.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(MalformedInput, match="missing column"):
        load_candidates(node, hits, "x", audit.Actor("ana", "FR"))
    with node.session() as session:
        assert pending_candidates(session) == []


def test_candidates_are_erased_six_months_after_loading(
    node: Node, tmp_path: Path, clock: FrozenClock
) -> None:
    from passerelle.bulk.plugin import retention_rules

    hits = tmp_path / "hits.csv"
    hits.write_text(HITS, encoding="utf-8")
    load_candidates(node, hits, "old run", audit.Actor("ana", "FR"))
    (rule,) = retention_rules()
    assert rule.delete_after is not None and rule.delete is not None
    assert "2016/681" in rule.source
    clock.advance(rule.delete_after + timedelta(days=1))
    load_candidates(node, hits, "new run", audit.Actor("ana", "FR"))
    with node.session() as session:
        erased = rule.delete(session, clock.now() - rule.delete_after)
        remaining = {c.source for c in pending_candidates(session)}
    assert (erased, remaining) == (2, {"new run"})


def test_neutralised_ids_are_loaded_as_they_were(node: Node, tmp_path: Path) -> None:
    hits = tmp_path / "hits.csv"
    hits.write_text(
        "record_id,entry_id,score,explanation\n'=R1,'@W1,0.9100,'-name 0.91\n", encoding="utf-8"
    )
    loaded = load_candidates(node, hits, "run", audit.Actor("ana", "FR"))
    with node.session() as session:
        (candidate,) = pending_candidates(session, loaded.run_id)
    assert (candidate.record_id, candidate.entry_id) == ("=R1", "@W1")
    assert candidate.explanation == "-name 0.91"
