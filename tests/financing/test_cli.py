"""``passerelle financing …`` run as an operator would: the issue's contracts, exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from passerelle.financing import plugin
from passerelle.financing.model import Quarantine, Report
from passerelle.node import open_node
from passerelle.settings import get_settings
from tests.financing.conftest import CSV_HEADER, GOAML

runner = CliRunner()
app = typer.Typer()
plugin.register_cli(app)


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["financing", *args])
    assert result.exit_code == code, result.output + repr(result.exception)
    return result.output


def test_key_filter_build_and_match(tmp_path: Path) -> None:
    key = tmp_path / "fr-be.key"
    assert "written to" in invoke("key", "generate", "--out", str(key))
    invoke("key", "generate", "--out", str(key), code=2)  # never overwritten
    subjects = tmp_path / "subjects.csv"
    subjects.write_text(
        "id,given_names,family_name,date_of_birth\n"
        "FR-1,Youssef,Haddad,1990-04-12\nFR-2,Sergei,Ivanov,1980-03-04\n",
        encoding="utf-8",
    )
    flt, index = tmp_path / "FILTER.bin", tmp_path / "index.csv"
    out = invoke("filter", "build", str(subjects), "--key", str(key), "--out", str(flt),
                 "--index", str(index))  # fmt: skip
    assert "1000 rows" in out
    assert b"Haddad" not in flt.read_bytes() and b"FR-1" not in flt.read_bytes()
    assert {r["id"] for r in csv.DictReader(index.read_text().splitlines())} == {"FR-1", "FR-2"}
    candidates = tmp_path / "candidates.csv"
    candidates.write_text(
        "id,full_name,date_of_birth\nBE-7,Юсеф Хаддад,1990-04-12\n"
        "BE-8,Youssef Hadad,1990-04-12\nBE-9,Marie Peeters,1990-04-12\n",
        encoding="utf-8",
    )
    matches = tmp_path / "matches.csv"
    invoke("filter", "match", str(flt), str(candidates), "--key", str(key), "--out", str(matches))
    rows = list(csv.reader(matches.read_text().splitlines()))
    assert rows[0] == ["candidate_id", "score"]
    assert {r[0] for r in rows[1:]} == {"BE-7", "BE-8"}
    assert all(0.7 <= float(r[1]) <= 1.0 for r in rows[1:])
    other = tmp_path / "rotated.key"
    invoke("key", "generate", "--out", str(other))
    invoke("filter", "match", str(flt), str(candidates), "--key", str(other), "--out",
           str(matches), code=2)  # fmt: skip


def test_import_exit_codes(data_dir: Path, tmp_path: Path) -> None:
    xml = tmp_path / "str.xml"
    xml.write_text(GOAML, encoding="utf-8")
    assert "1 reports stored, 0 quarantined" in invoke("import", str(xml))
    good_csv = tmp_path / "reports.csv"
    good_csv.write_text(
        CSV_HEADER + "R1,BANK1,2026-11-20,T1,2026-11-01T10:00:00,100,EUR,A1,A2,,,\n"
    )
    invoke("import", str(good_csv))
    result = runner.invoke(app, ["financing", "import", str(xml), str(tmp_path / "broken.xml")])
    assert result.exit_code == 2  # a missing file: nothing is read, nothing stored
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<report><entity_reference>X</report>")
    out = runner.invoke(app, ["financing", "import", str(xml), str(broken)])
    assert out.exit_code == 3
    assert "already stored" in out.output and "not well-formed XML" in out.output
    node = open_node(get_settings())
    try:
        with node.session() as session:
            assert session.scalar(select(func.count(Report.id))) == 2
            kept = {q.reason.split(":")[0]: q.raw for q in session.scalars(select(Quarantine))}
            assert kept["not well-formed XML"] == broken.read_bytes()
            assert len(kept) == 2
    finally:
        node.close()


def test_check_address(tmp_path: Path) -> None:
    out = invoke("check-address", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")
    assert "valid\tBTC\tp2sh" in out
    assert "checksum" in invoke("check-address", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", code=2)


def test_list_add_and_analyse(data_dir: Path, tmp_path: Path) -> None:
    rows = "".join(
        f"R1,BANK1,2026-11-20,T{i},2026-11-0{i + 1}T10:00:00,{14_000 + i},EUR,S,D{i},,,\n"
        for i in range(3)
    )
    reports_csv = tmp_path / "r.csv"
    reports_csv.write_text(CSV_HEADER + rows)
    invoke("import", str(reports_csv))
    assert "added" in invoke("list-add", "dealer", "--origin", "dealers", "--account", "D1")
    out = invoke("analyse")
    assert "Splitting under the threshold" in out and "Link to a cultural-goods dealer" in out
    assert "40 hex digits" in invoke(
        "list-add", "crypto", "--origin", "x", "--account", "0x12", code=2
    )


def test_filter_match_in_two_processes_writes_the_same_file_and_never_a_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from passerelle.csvsafe import SafeWriter
    from passerelle.financing.service import parallel

    key, flt = tmp_path / "k.key", tmp_path / "FILTER.bin"
    invoke("key", "generate", "--out", str(key))
    given, family = ["Youssef", "Sergei", "Marie", "Ahmed"], ["Haddad", "Ivanov", "Peeters"]
    lines = [f"S{i},{given[i % 4]},{family[i % 3]},{1960 + i}-05-0{1 + i % 9}" for i in range(40)]
    subjects, candidates = tmp_path / "subjects.csv", tmp_path / "candidates.csv"
    subjects.write_text("id,given_names,family_name,date_of_birth\n" + "\n".join(lines) + "\n")
    candidates.write_text(
        "id,given_names,family_name,date_of_birth\n"
        + "\n".join(line.replace("S", "C", 1) for line in reversed(lines))
        + "\n"
    )
    invoke("filter", "build", str(subjects), "--key", str(key), "--out", str(flt))
    monkeypatch.setattr(parallel, "SLICE", 7)  # six slices of candidates
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"matches-{workers}.csv"
        invoke("filter", "match", str(flt), str(candidates), "--key", str(key), "--out",
               str(out), "--workers", workers)  # fmt: skip
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[1].startswith("C39,")  # the candidates' order is kept
    assert len(outputs[0].splitlines()) == 41

    def interrupted(self: SafeWriter, rows: object) -> None:
        self.writerow(("C1", "0.900"))
        raise KeyboardInterrupt

    monkeypatch.setattr(SafeWriter, "writerows", interrupted)
    previous = tmp_path / "matches-2.csv"
    result = runner.invoke(app, ["financing", "filter", "match", str(flt), str(candidates),
                                 "--key", str(key), "--out", str(previous)])  # fmt: skip
    assert result.exit_code != 0
    assert previous.read_text() == outputs[1]  # the last complete file, untouched
    assert sorted(p.name for p in tmp_path.iterdir() if "matches" in p.name) == [
        "matches-1.csv", "matches-2.csv"
    ]  # fmt: skip
