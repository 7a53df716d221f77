"""Fixtures: every bulk test runs on every engine (``engine`` fixture, markers ``duckdb`` and
``spark``); Spark is one local[2] session for the whole test run. Data are synthetic people and
DNA profiles written inline as the CSV files a user would pass."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passerelle.synth.people import SyntheticPerson, generate_people, latin_form, noisy_variant

COLUMNS = (
    "id",
    "given_names",
    "family_name",
    "date_of_birth",
    "gender",
    "nationality",
    "document_number",
    "document_country",
)


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    from passerelle.bulk.spark_engine import spark_session as start

    session = start("local[2]", partitions=2)
    yield session
    session.stop()


@pytest.fixture(
    params=[
        pytest.param("duckdb", marks=pytest.mark.duckdb),
        pytest.param("spark", marks=pytest.mark.spark),
    ]
)
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    name: str = request.param
    return name


def write_people(path: Path, people: list[SyntheticPerson] | list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for p in people:
            row = p if isinstance(p, dict) else {c: getattr(p, c) for c in COLUMNS}
            writer.writerow([row.get(c, "") for c in COLUMNS])
    return path


@pytest.fixture
def screening_files(tmp_path: Path) -> tuple[Path, Path]:
    """A watchlist and a records file that exercise every rule of candidate generation:
    noisy and cross-script variants, a watchlist id given twice (the last one counts), 70
    homonyms (more candidates than are scored, ties between them) and 30 people sharing only
    a given name (weak candidates)."""
    rng = random.Random(11)
    people = generate_people(90, seed=4)
    watchlist: list[Any] = [latin_form(p, rng) for p in people[:60]]
    records: list[Any] = [noisy_variant(p, rng, f"R{i:03d}") for i, p in enumerate(people)]
    for i in range(70):
        watchlist.append(
            {"id": f"H{i:02d}", "given_names": "Jean", "family_name": "Dupont",
             "date_of_birth": f"{1950 + i % 40}-0{1 + i % 9}-1{i % 10}"}
        )  # fmt: skip
    for i in range(30):
        watchlist.append({"id": f"G{i:02d}", "given_names": "Anouk", "family_name": f"Zz{i}x"})
    watchlist.append({"id": "H05", "given_names": "Jehan", "family_name": "Dupond"})
    records += [
        {"id": "Q1", "given_names": "Jean", "family_name": "Dupont"},
        {"id": "Q2", "given_names": "Jean", "family_name": "Dupont", "date_of_birth": "1953"},
        {"id": "Q3", "given_names": "Anouk", "family_name": "Martin"},
        {"id": "Q4", "given_names": "Jean Pierre", "family_name": "Du Pont"},
    ]
    return (
        write_people(tmp_path / "watchlist.csv", watchlist),
        write_people(tmp_path / "records.csv", records),
    )
