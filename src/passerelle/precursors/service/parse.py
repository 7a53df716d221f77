"""Parsers of what sellers send (transaction JSON lines, catalogue CSV files) and of the
licence register's bulk file (CSV).

Each parser yields, line by line, either the validated object or a typed error naming the
line, the field and the reason; nothing is dropped silently. Unreadable input is quarantined
raw with the reason (:func:`quarantine`).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from pydantic import ValidationError
from sqlalchemy.orm import Session

from passerelle.errors import MalformedInput, PasserelleError, PayloadTooLarge, ValidationFailed
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Quarantine
from passerelle.precursors.schemas import LicenceIn, ProductRow, TransactionIn

CATALOGUE_COLUMNS = ("sku", "trade_name", "synonyms", "cas", "concentration", "particle_um")
#: Columns of a licence file; given_names, date_of_birth and document_number may be left out.
LICENCE_COLUMNS = (
    "country",
    "number",
    "family_name",
    "substances",
    "max_concentration",
    "valid_from",
    "valid_until",
    "given_names",
    "date_of_birth",
    "document_number",
)
LICENCE_REQUIRED = LICENCE_COLUMNS[:7]


@dataclass(frozen=True)
class Line:
    number: int
    raw: bytes
    value: TransactionIn | ProductRow | LicenceIn | None = None
    error: PasserelleError | None = None


def _problem(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "line"
    return field, str(first["msg"])


def transaction(raw: bytes | str) -> TransactionIn:
    """One transaction from its JSON text; a typed error with the field and reason."""
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > rules.MAX_LINE_BYTES:
        raise PayloadTooLarge(f"a transaction line is limited to {rules.MAX_LINE_BYTES} bytes")
    try:
        obj = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInput(f"not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise MalformedInput("a transaction is a JSON object")
    try:
        return TransactionIn.model_validate(obj)
    except ValidationError as exc:
        field, reason = _problem(exc)
        raise ValidationFailed(f"{field}: {reason}", field=field, reason=reason) from None


def transaction_lines(data: bytes) -> Iterator[Line]:
    """Every non-empty line of a JSON-lines file, parsed or with its error."""
    for number, raw in enumerate(data.splitlines(), start=1):
        if number > rules.MAX_FILE_LINES:
            yield Line(number, b"", error=PayloadTooLarge("too many lines in one file"))
            return
        if not raw.strip():
            continue
        try:
            yield Line(number, raw, value=transaction(raw))
        except PasserelleError as exc:
            yield Line(number, raw, error=exc)


def _csv_rows(
    data: bytes, required: tuple[str, ...]
) -> Iterator[tuple[int, bytes, dict[str, str] | PasserelleError]]:
    """(line number, raw cells, the row by column name or its error) of a CSV file with a
    header naming at least ``required``; a file-level error ends the iteration."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield 1, data[:200], MalformedInput(f"the file is not UTF-8: {exc}")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        yield 1, data[:200], MalformedInput("the file has no header row")
        return
    missing = [c for c in required if c not in header]
    if missing:
        yield 1, data[:200], MalformedInput(f"missing columns: {', '.join(missing)}")
        return
    number = 1
    while True:
        number += 1
        if number > rules.MAX_FILE_LINES + 1:
            yield number, b"", PayloadTooLarge("too many lines in one file")
            return
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, b"", MalformedInput(f"line {number}: {exc}")
            return
        raw = ",".join(cells).encode()[: rules.MAX_LINE_BYTES]
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problem = f"line {number}: {len(cells)} cells, {len(header)} expected"
            yield number, raw, MalformedInput(problem, field="line", reason="wrong cell count")
            continue
        yield number, raw, dict(zip(header, (c.strip() for c in cells), strict=True))


def catalogue_rows(data: bytes) -> Iterator[Line]:
    """Rows of a catalogue CSV (header: sku, trade_name, synonyms, cas, concentration and
    optionally particle_um; synonyms separated by ``|``)."""
    for number, raw, row in _csv_rows(data, CATALOGUE_COLUMNS[:5]):
        if isinstance(row, PasserelleError):
            yield Line(number, raw, error=row)
            continue
        try:
            value = ProductRow(
                sku=row["sku"],
                trade_name=row["trade_name"],
                synonyms=[s.strip() for s in row["synonyms"].split("|") if s.strip()],
                cas=row["cas"],
                concentration=row["concentration"],
                particle_um=row.get("particle_um") or None,
            )
        except ValidationError as exc:
            field, reason = _problem(exc)
            yield Line(
                number,
                raw,
                error=ValidationFailed(f"line {number}, {field}: {reason}", field=field),
            )
            continue
        yield Line(number, raw, value=value)


def _when(text: str, field: str, *, end_of_day: bool) -> datetime:
    """An ISO date (the whole day counts) or date-time (UTC when no offset is given)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{field}: {text[:40]!r} is not a date (YYYY-MM-DD)",
            field=field,
            reason="not a date",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def licence_rows(data: bytes) -> Iterator[Line]:
    """Rows of a licence register file (CSV; header: country, number, family_name, substances
    (CAS numbers separated by ``|``), max_concentration, valid_from, valid_until and optionally
    given_names, date_of_birth, document_number). Each row is a :class:`LicenceIn` or a typed
    error naming the line, the field and the reason."""
    for number, raw, row in _csv_rows(data, LICENCE_REQUIRED):
        if isinstance(row, PasserelleError):
            yield Line(number, raw, error=row)
            continue
        try:
            value = LicenceIn.model_validate(
                {
                    "country": row["country"].upper(),
                    "number": row["number"],
                    "family_name": row["family_name"],
                    "given_names": row.get("given_names", ""),
                    "date_of_birth": row.get("date_of_birth", ""),
                    "document_number": row.get("document_number", ""),
                    "substances": [c.strip() for c in row["substances"].split("|") if c.strip()],
                    "max_concentration": row["max_concentration"],
                    "valid_from": _when(row["valid_from"], "valid_from", end_of_day=False),
                    "valid_until": _when(row["valid_until"], "valid_until", end_of_day=True),
                }
            )
        except ValidationFailed as exc:
            yield Line(number, raw, error=_at_line(number, exc))
            continue
        except ValidationError as exc:
            field, reason = _problem(exc)
            if field == "line":  # a check across fields: name the field it is about
                field = "valid_until" if "valid_until" in reason else "substances"
            problem = f"line {number}, {field}: {reason}"
            yield Line(number, raw, error=ValidationFailed(problem, field=field, reason=reason))
            continue
        yield Line(number, raw, value=value)


def _at_line(number: int, exc: ValidationFailed) -> ValidationFailed:
    return ValidationFailed(f"line {number}, {exc.message}", **exc.details)


def quarantine(session: Session, node: Node, source: str, line: Line) -> Quarantine:
    assert line.error is not None
    row = Quarantine(
        id=str(uuid.uuid4()),
        source=source[:300],
        line=line.number,
        reason=line.error.message,
        raw=line.raw,
        received_at=node.clock.now(),
    )
    session.add(row)
    session.flush()
    return row
