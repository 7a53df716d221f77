"""Retention of every JIT record class, tested by moving the clock: evidence content never
outlives four weeks (Reg. 2023/969 art. 21), nor its last intended recipient's download;
unfinished uploads go after seven days; the workspace five years after closure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from passerelle.federation import keys
from passerelle.jit import rules
from passerelle.jit.model import Custody, Evidence, Team, Upload
from passerelle.jit.schemas import EvaluationIn
from passerelle.jit.service import evidence, teams, uploads
from passerelle.node import Node
from passerelle.privacy import FrozenClock, retention
from tests.jit.conftest import principal, team_in

DAY = timedelta(days=1)


def _run(node: Node) -> dict[str, int]:
    outcomes = retention.run(node.session, node.retention, node=node.code, now=node.clock.now())
    return {o.data_class: o.deleted for o in outcomes if o.data_class.startswith("jit.")}


@pytest.fixture
def item(node: Node) -> tuple[str, Path]:
    keys.generate(node.settings)
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        content = evidence.store_dir(node, "evidence") / "x"
        content.write_bytes(b"operational data")
        row = evidence.create(
            session,
            node,
            principal(),
            team,
            filename="x.bin",
            handling="H2",
            content=content,
            sha256=evidence.digest_of(b"operational data"),
            size=16,
        )
        return row.id, content


def test_every_record_class_has_a_rule_with_its_source(node: Node) -> None:
    found = {r.data_class: r for r in node.retention if r.data_class.startswith("jit.")}
    assert set(found) == {"jit.evidence_content", "jit.upload", "jit.workspace"}
    assert "2023/969 art. 21" in found["jit.evidence_content"].source


def test_content_goes_four_weeks_after_upload_even_if_nobody_downloaded_it(
    node: Node, clock: FrozenClock, item: tuple[str, Path]
) -> None:
    item_id, content = item
    clock.advance(rules.EVIDENCE_MAX_STORAGE - DAY)
    assert _run(node)["jit.evidence_content"] == 0 and content.exists()
    clock.advance(2 * DAY)
    assert _run(node)["jit.evidence_content"] == 1
    assert not content.exists()
    with node.session() as session:
        row = session.get(Evidence, item_id)
        assert row is not None and row.path is None and row.content_deleted_at is not None
        # the custody trail stays for the court
        assert session.query(Custody).filter_by(evidence_id=item_id).count() == 1


def test_content_goes_as_soon_as_every_recipient_downloaded_it(
    node: Node, item: tuple[str, Path]
) -> None:
    item_id, content = item
    with node.session() as session:
        row = session.get(Evidence, item_id)
        assert row is not None and row.recipients == ["BE"]
        # FR's own download does not count: BE is the intended recipient.
        evidence.add_entry(session, node, row, "downloaded", "ana")
    assert _run(node)["jit.evidence_content"] == 0
    with node.session() as session:
        row = session.get(Evidence, item_id)
        assert row is not None
        forged = evidence.add_entry(session, node, row, "downloaded", "jan")
        forged.node = "BE"  # as if BE's signed entry had arrived
    assert _run(node)["jit.evidence_content"] == 1 and not content.exists()


def test_unfinished_uploads_go_after_seven_days(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        ref = teams.open_team(session, node, principal(), team_in()).reference
        row = uploads.create(session, node, principal(), 100, {"jit": ref})
        path = Path(row.path)
    path.write_bytes(b"partial")
    clock.advance(rules.UPLOAD_RETENTION + DAY)
    assert _run(node)["jit.upload"] == 1
    assert not path.exists()
    with node.session() as session:
        assert session.query(Upload).count() == 0


def test_the_workspace_goes_five_years_after_closure(
    node: Node, clock: FrozenClock, item: tuple[str, Path]
) -> None:
    with node.session() as session:
        [team] = teams.listing(session)
        teams.close(session, node, principal(), team.id, EvaluationIn(results="two convictions"))
    clock.advance(rules.WORKSPACE_RETENTION - DAY)
    assert _run(node)["jit.workspace"] == 0
    clock.advance(2 * DAY)
    assert _run(node)["jit.workspace"] == 1
    with node.session() as session:
        assert session.query(Team).count() == 0
        assert session.query(Custody).count() == 0
