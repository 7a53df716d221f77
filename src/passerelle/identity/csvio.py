"""Reading people from CSV files and writing hits, with errors that name the line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from passerelle.errors import MalformedInput, PasserelleError
from passerelle.identity.dates import parse_date
from passerelle.identity.schemas import Match, PersonRecord

OPTIONAL_COLUMNS = (
    "full_name",
    "given_names",
    "family_name",
    "date_of_birth",
    "gender",
    "nationality",
    "document_number",
    "document_country",
)
OUTPUT_COLUMNS = ("record_id", "entry_id", "score", "explanation")
#: Output columns that are numbers by contract: written as they are (``csvsafe``).
NUMERIC_OUTPUT_COLUMNS = ("score",)


def _header(reader: csv.DictReader[str], path: Path) -> None:
    fields = [f.strip() for f in (reader.fieldnames or [])]
    if "id" not in fields:
        raise MalformedInput(f"{path}: line 1: required column 'id' is missing", line=1)
    if "full_name" not in fields and "given_names" not in fields and "family_name" not in fields:
        raise MalformedInput(
            f"{path}: line 1: a name column is required: 'full_name' or "
            "'given_names'/'family_name'",
            line=1,
        )
    reader.fieldnames = fields


def read_people(path: Path) -> Iterator[PersonRecord]:
    """People from a CSV file (UTF-8, optional BOM); unknown columns are ignored.

    Raises MalformedInput naming the file and line for a missing column, an empty id, a
    row with more cells than the header, an unreadable date or undecodable bytes.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _rows(handle, path)
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise MalformedInput(f"{path}: cannot be read ({exc.strerror})") from exc


def _rows(handle: TextIO, path: Path) -> Iterator[PersonRecord]:
    reader = csv.DictReader(handle, restkey="__extra__")
    try:
        _header(reader, path)
        for row in reader:
            line = reader.line_num
            if "__extra__" in row:
                raise MalformedInput(f"{path}: line {line}: more cells than columns", line=line)
            record_id = (row.get("id") or "").strip()
            if not record_id:
                raise MalformedInput(f"{path}: line {line}: empty 'id'", line=line)
            values = {c: ((row.get(c) or "").strip() or None) for c in OPTIONAL_COLUMNS}
            try:
                parse_date(values["date_of_birth"])
            except PasserelleError as exc:
                raise MalformedInput(f"{path}: line {line}: {exc.message}", line=line) from exc
            yield PersonRecord(id=record_id, **values)
    except csv.Error as exc:
        raise MalformedInput(
            f"{path}: line {reader.line_num}: {exc}", line=reader.line_num
        ) from exc


def count_rows(path: Path) -> int:
    """Number of data rows (for a progress bar); 0 if the file cannot be read."""
    try:
        with path.open("rb") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except OSError:
        return 0


def hit_row(record: PersonRecord, match: Match) -> tuple[str, str, str, str]:
    """One output row: ``record_id,entry_id,score,explanation``."""
    return (record.id, match.entry_id, f"{match.score:.4f}", match.explanation.summary())
