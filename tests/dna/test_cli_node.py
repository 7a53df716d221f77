"""``passerelle dna import`` and ``passerelle dna search --node`` against a node's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.dna.cli import app
from passerelle.dna.model import StoredProfile
from passerelle.node import open_node
from passerelle.settings import get_settings
from tests.dna.nodes import OTHER, csv_of

runner = CliRunner()


@pytest.fixture(autouse=True)
def node_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "node"))
    get_settings.cache_clear()
    yield tmp_path / "node"
    get_settings.cache_clear()


def _stored() -> dict[str, StoredProfile]:
    node = open_node(get_settings())
    try:
        with node.session() as session:
            rows = list(session.scalars(select(StoredProfile)))
            session.expunge_all()
    finally:
        node.close()
    return {r.national_reference: r for r in rows}


def test_import_prints_the_report_and_stores_the_good_profiles(tmp_path: Path) -> None:
    path = tmp_path / "stains.csv"
    path.write_text(csv_of({"FR-S1": {}, "FR-S2": {"FGA": "21,9.33"}, "FR-S3": {"TH01": "6,9.2"}}))
    args = ["import", str(path), "--sample-type", "crime_stain", "--laboratory", "LPS Lille"]
    result = runner.invoke(app, [*args, "--kit", "GlobalFiler"])
    assert result.exit_code == 0, result.output
    assert "2 profile(s) accepted (2 new, 0 updated), 1 rejected" in result.output
    assert "line 21: FR-S2: allele '9.33' at FGA" in result.output
    stored = _stored()
    assert set(stored) == {"FR-S1", "FR-S3"}
    assert (stored["FR-S1"].sample_type, stored["FR-S1"].laboratory, stored["FR-S1"].kit) == (
        "crime_stain",
        "LPS Lille",
        "GlobalFiler",
    )

    query = tmp_path / "query.csv"
    query.write_text(csv_of({"Q": {}}))
    found = runner.invoke(app, ["search", str(query), "--node"])
    assert found.exit_code == 0, found.output
    assert "FR-S1  quality 1 (exact)" in found.output
    assert "FR-S3  quality 3 (microvariant)" in found.output
    assert "needs laboratory confirmation" in found.output


def test_import_exits_2_when_nothing_is_importable(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(csv_of({"FR-X": {**OTHER, "vWA": "17,900"}}))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "0 profile(s) accepted" in result.output
    assert "FR-X" in result.output and "plausible range" in result.output
    assert _stored() == {}


def test_search_needs_a_database_or_the_node(tmp_path: Path) -> None:
    query = tmp_path / "query.csv"
    query.write_text(csv_of({"Q": {}}))
    result = runner.invoke(app, ["search", str(query)])
    assert result.exit_code != 0
    assert "--db FILE or --node" in str(result.exception) + result.output
