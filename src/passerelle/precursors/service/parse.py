"""Parsers of what sellers send: transaction JSON lines and catalogue CSV files.

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

from pydantic import ValidationError
from sqlalchemy.orm import Session

from passerelle.errors import MalformedInput, PasserelleError, PayloadTooLarge, ValidationFailed
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Quarantine
from passerelle.precursors.schemas import ProductRow, TransactionIn

CATALOGUE_COLUMNS = ("sku", "trade_name", "synonyms", "cas", "concentration", "particle_um")


@dataclass(frozen=True)
class Line:
    number: int
    raw: bytes
    value: TransactionIn | ProductRow | None = None
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


def catalogue_rows(data: bytes) -> Iterator[Line]:
    """Rows of a catalogue CSV (header: sku, trade_name, synonyms, cas, concentration and
    optionally particle_um; synonyms separated by ``|``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Line(1, data[:200], error=MalformedInput(f"the file is not UTF-8: {exc}"))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        yield Line(1, data[:200], error=MalformedInput("the file has no header row"))
        return
    missing = [c for c in CATALOGUE_COLUMNS[:5] if c not in header]
    if missing:
        yield Line(1, data[:200], error=MalformedInput(f"missing columns: {', '.join(missing)}"))
        return
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Line(number, b"", error=MalformedInput(f"line {number}: {exc}"))
            return
        raw = ",".join(cells).encode()
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield Line(
                number,
                raw,
                error=MalformedInput(f"line {number}: {len(cells)} cells, {len(header)} expected"),
            )
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
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
