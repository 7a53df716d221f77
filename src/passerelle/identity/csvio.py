"""Reading people from CSV files and writing hits, with errors that name the line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from passerelle.csvsafe import SafeWriter
from passerelle.errors import MalformedInput, PasserelleError
from passerelle.identity.dates import read_dates
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
REJECT_COLUMNS = ("file", "line", "reason")


@dataclass(frozen=True, slots=True)
class Reject:
    """A problem found in one input row that did not stop the run (lenient reading)."""

    file: str
    line: int
    reason: str


def rejects_path(out: Path) -> Path:
    """Where the rejects report of a run writing ``out`` goes: beside it."""
    return out.with_name(f"{out.stem}.rejects.csv")


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    """The rejects report: ``file,line,reason``, one row per problem."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeWriter(handle, REJECT_COLUMNS, numeric=("line",), lineterminator="\n")
        writer.writerows((r.file, r.line, r.reason) for r in rejects)


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


def read_people(path: Path, rejects: list[Reject] | None = None) -> Iterator[PersonRecord]:
    """People from a CSV file (UTF-8, optional BOM); unknown columns are ignored.

    Raises MalformedInput naming the file and line for a missing column, an empty id, a
    row with more cells than the header, an unreadable date or undecodable bytes.

    With a ``rejects`` list the reading is lenient row by row: the unusable part of a date of
    birth is treated as unknown (the row is kept with the usable part), a row without an id or
    with extra cells is skipped, and each problem is appended to ``rejects``. A missing
    column or an unreadable file still raises.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _rows(handle, path, rejects)
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise MalformedInput(f"{path}: cannot be read ({exc.strerror})") from exc


def _rows(handle: TextIO, path: Path, rejects: list[Reject] | None) -> Iterator[PersonRecord]:
    reader = csv.DictReader(handle, restkey="__extra__")
    try:
        _header(reader, path)
        for row in reader:
            line = reader.line_num
            record_id = (row.get("id") or "").strip()
            problem = "more cells than columns" if "__extra__" in row else ""
            problem = problem or ("" if record_id else "empty 'id'")
            if problem:
                if rejects is None:
                    raise MalformedInput(f"{path}: line {line}: {problem}", line=line)
                rejects.append(Reject(str(path), line, f"{problem}: row skipped"))
                continue
            values = {c: ((row.get(c) or "").strip() or None) for c in OPTIONAL_COLUMNS}
            values["date_of_birth"] = check_date(values["date_of_birth"], path, line, rejects)
            yield PersonRecord(id=record_id, **values)
    except csv.Error as exc:
        raise MalformedInput(
            f"{path}: line {reader.line_num}: {exc}", line=reader.line_num
        ) from exc


def check_date(text: str | None, path: Path, line: int, rejects: list[Reject] | None) -> str | None:
    """The date of birth to keep: as given, or (lenient) only its usable part.

    Strict (``rejects`` is None): MalformedInput naming the file and line.
    """
    if rejects is None:
        try:
            read_dates(text)
        except PasserelleError as exc:
            raise MalformedInput(f"{path}: line {line}: {exc.message}", line=line) from exc
        return text
    dates, problem = read_dates(text, strict=False)
    if not problem:
        return text
    kept = ";".join(str(d) for d in dates) or None
    rejects.append(Reject(str(path), line, f"{problem}; screened with {kept or 'no date'}"))
    return kept


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
