"""Bulk DNA comparison gives ``dna compare``'s output on every engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from passerelle.dna import csvio, rules
from passerelle.dna.bulk_compare import compare_job
from passerelle.dna.cli import app
from passerelle.dna.harmonise import make_profile
from passerelle.dna.profiles import Profile
from passerelle.dna.stats import load_population
from passerelle.synth.dna import draw_columns

LOCI = [*rules.CODIS_CORE.loci, "SE33"]


def drawn(n: int, prefix: str, rng: np.random.Generator) -> list[Profile]:
    freqs = {k: dict(v) for k, v in load_population("europe").frequencies.items()}
    columns = draw_columns(
        freqs, LOCI, n, rng, partial_fraction=0.2, dropout=0.4, wildcard_rate=0.02
    )
    profiles = []
    for row in range(n):
        loci = {
            locus: [c.alphabet[c.first[row]], c.alphabet[c.second[row]]]
            for locus, c in columns.items()
            if c.first[row] >= 0
        }
        profiles.append(make_profile(f"{prefix}{row}", loci))
    return profiles


@pytest.fixture
def databases(tmp_path: Path) -> tuple[Path, Path]:
    """B: 300 synthetic profiles; A: 120, of which every third is a copy of a B profile,
    unchanged, with one allele two repeats off (near match) or a microvariant neighbour."""
    rng = np.random.default_rng(3)
    b = drawn(300, "BE-", rng)
    a = drawn(120, "FR-", rng)
    for i in range(0, 120, 3):
        source = b[(i * 7) % 300]
        loci = {k: [x.value for x in v] for k, v in source.loci.items()}
        locus = sorted(loci)[i % 5]
        first = source.loci[locus][0]
        if first.numeric and i % 9 == 3:
            loci[locus][0] = str(first.repeats + 2)
        elif first.numeric and i % 9 == 6:
            loci[locus][0] = f"{first.repeats - 1}.3"
        a[i] = make_profile(f"FR-{i}", loci)
    csvio.write_profiles(tmp_path / "a.csv", a)
    csvio.write_profiles(tmp_path / "b.csv", b)
    return tmp_path / "a.csv", tmp_path / "b.csv"


def compare(a: Path, b: Path, out: Path, engine: str) -> None:
    args = ["compare", "--a", str(a), "--b", str(b), "--out", str(out), "--engine", engine]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_dna_compare_on_each_engine_writes_the_in_memory_output(
    engine: str, databases: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = databases
    compare(a, b, tmp_path / "memory.csv", "memory")
    compare(a, b, tmp_path / "bulk.csv", engine)
    expected = (tmp_path / "memory.csv").read_bytes()
    assert (tmp_path / "bulk.csv").read_bytes() == expected
    qualities = {line.rsplit(",", 1)[1] for line in expected.decode().splitlines()[1:]}
    assert {"1", "4"} <= qualities, "exact and near matches are both exercised"


@pytest.mark.duckdb
def test_dna_job_resumes_and_writes_parquet(databases: tuple[Path, Path], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    a, b = databases
    compare(a, b, tmp_path / "memory.csv", "memory")

    def stop(index: int) -> None:
        raise KeyboardInterrupt

    out = tmp_path / "m.parquet"
    with pytest.raises(KeyboardInterrupt):
        compare_job(a, b, out, engine="duckdb", partition_rows=50, on_partition=stop)
    report = compare_job(a, b, out, engine="duckdb", partition_rows=50)
    assert (report.partitions, report.resumed) == (3, 1)
    rows = pq.read_table(out).to_pylist()
    lines = (tmp_path / "memory.csv").read_text("utf-8").splitlines()[1:]
    assert [",".join(str(v) for v in r.values()) for r in rows] == lines


def test_several_matches_of_one_profile_follow_database_order_on_each_engine(
    engine: str, tmp_path: Path
) -> None:
    # The same person typed with three kits, interleaved in B: the index stores them grouped by
    # kit, yet every engine must list the matches in B's order, as the in-memory path does.
    rng = np.random.default_rng(11)
    person = next(p for p in drawn(20, "P", rng) if set(rules.ESS.loci) <= set(p.loci))
    full = {k: [x.value for x in v] for k, v in person.loci.items()}
    ess = {k: v for k, v in full.items() if k in rules.ESS.loci}
    partial = {k: v for k, v in list(ess.items())[2:]}
    kits = [full, partial, ess]
    b = drawn(30, "BE-", rng)
    for i in range(9):
        b.insert(i * 4, make_profile(f"BE-SAME-{i}", kits[i % 3]))
    csvio.write_profiles(tmp_path / "a.csv", [make_profile("FR-Q", full)])
    csvio.write_profiles(tmp_path / "b.csv", b)
    compare(tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "memory.csv", "memory")
    compare(tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "bulk.csv", engine)
    lines = (tmp_path / "bulk.csv").read_text("utf-8").splitlines()[1:]
    assert [line.split(",")[1] for line in lines] == [f"BE-SAME-{i}" for i in range(9)]
    assert (tmp_path / "bulk.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()


@pytest.mark.duckdb
@pytest.mark.parametrize("command", ["dna", "bulk"])
def test_workers_reach_the_engine(
    command: str, databases: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--workers`` is the number of DuckDB scoring processes (both commands ignored it)."""
    from passerelle.bulk import jobs  # the generic runner opens the engine for every job
    from passerelle.bulk.cli import app as bulk_app

    opened: list[int] = []
    real = jobs.open_engine

    def recording(name: str, settings: object = None, workers: int = 1) -> object:
        opened.append(workers)
        return real(name, settings, workers)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "open_engine", recording)
    a, b = databases
    compare(a, b, tmp_path / "memory.csv", "memory")
    args = ["--a", str(a), "--b", str(b), "--out", str(tmp_path / "two.csv"), "--workers", "2"]
    if command == "dna":
        result = CliRunner().invoke(app, ["compare", *args, "--engine", "duckdb"])
    else:
        result = CliRunner().invoke(bulk_app, ["dna-compare", *args, "--engine", "duckdb"])
    assert result.exit_code == 0, result.output
    assert opened == [2]
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
