"""CSV outputs cannot carry a formula into a spreadsheet (OWASP CSV injection), through one
writer that every CSV of the project uses."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.csvsafe import SafeWriter, neutralise, restore, safe_row

SRC = Path(__file__).parent.parent / "src" / "passerelle"


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "\nx", "'quoted"],
)
def test_cells_starting_with_a_trigger_get_a_leading_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["W1", "Jean Dupont", "1975-03-02", "0.9512", "a=b", ""])
def test_ordinary_cells_are_unchanged(cell: str) -> None:
    assert neutralise(cell) == cell


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_restore_undoes_neutralise_exactly(cell: str) -> None:
    written = neutralise(cell)
    assert restore(written) == cell
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numeric_columns_keep_plain_numbers_and_neutralise_anything_else() -> None:
    row = safe_row(["-W1", "-0.5", -3, "=1+2", "-1e5"], [False, True, True, True, True])
    assert row == ["'-W1", "-0.5", -3, "'=1+2", "'-1e5"]


def test_the_writer_writes_the_header_then_safe_rows() -> None:
    out = io.StringIO()
    writer = SafeWriter(out, ["id", "score"], numeric=["score"], lineterminator="\n")
    writer.writerows([["=cmd|' /C calc'!A0", "-0.25"], ["ok", "1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["id", "score"], ["'=cmd|' /C calc'!A0", "-0.25"], ["ok", "1"]]


def test_no_module_writes_csv_but_through_the_safe_writer() -> None:
    direct = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "csvsafe.py" and direct.search(path.read_text())
    ]
    assert offenders == []
