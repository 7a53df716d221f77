"""Bulk import of the national licence register (art. 5(3)) from a CSV file.

Each valid row adds the licence or brings the registered one up to date (keyed by country and
number), so importing the same file again changes nothing; a row in error is quarantined raw
with its line, field and reason and the other rows are still imported. A revocation is never
undone by an import (``precursors licence revoke`` is the only way in or out of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.precursors.model import Licence
from passerelle.precursors.schemas import LicenceIn
from passerelle.precursors.service import parse
from passerelle.precursors.service.common import trace
from passerelle.privacy import Principal

#: Licences looked up per query when matching a file against the register.
CHUNK = 500
#: The fields an import may change on a registered licence.
FIELDS = (
    "family_name",
    "given_names",
    "date_of_birth",
    "document_number",
    "substances",
    "max_concentration",
    "valid_from",
    "valid_until",
)


@dataclass
class Rejected:
    line: int
    field: str
    reason: str


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [vars(r) for r in self.rejected],
        }


def _existing(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Licence]:
    found: dict[tuple[str, str], Licence] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        stmt = select(Licence).where(tuple_(Licence.country, Licence.number).in_(chunk))
        for row in session.scalars(stmt):
            found[(row.country, row.number)] = row
    return found


def _same(value: object, current: object) -> bool:
    if hasattr(value, "timestamp") and hasattr(current, "timestamp"):
        return bool(value.timestamp() == current.timestamp())
    return value == current


def import_file(
    session: Session, node: Node, principal: Principal, source: str, data: bytes
) -> ImportResult:
    """Import every row of a licence file in the caller's transaction."""
    result = ImportResult()
    good: list[tuple[int, LicenceIn]] = []
    first_line: dict[tuple[str, str], int] = {}
    for line in parse.licence_rows(data):
        value = line.value
        if isinstance(value, LicenceIn):
            key = (value.country, value.number)
            if key in first_line:
                problem = f"line {line.number}, number: repeated from line {first_line[key]}"
                reason = f"repeated from line {first_line[key]}"
                line = parse.Line(
                    line.number,
                    line.raw,
                    error=ValidationFailed(problem, field="number", reason=reason),
                )
            else:
                first_line[key] = line.number
                good.append((line.number, value))
                continue
        assert line.error is not None
        parse.quarantine(session, node, source, line)
        result.rejected.append(
            Rejected(
                line.number,
                str(line.error.details.get("field", "file")),
                str(line.error.details.get("reason", line.error.message)),
            )
        )
    existing = _existing(session, list(first_line))
    for _, data_in in good:
        licence = existing.get((data_in.country, data_in.number))
        values = data_in.model_dump()
        if licence is None:
            session.add(Licence(**values))
            result.added += 1
        elif all(_same(values[f], getattr(licence, f)) for f in FIELDS):
            result.unchanged += 1
        else:
            for f in FIELDS:
                setattr(licence, f, values[f])
            result.updated += 1
    session.flush()
    trace(
        session,
        node,
        principal,
        "write",
        "precursors.licence",
        source[:200],
        outcome="rejected" if result.rejected else "ok",
        details={k: v for k, v in result.as_dict().items() if k != "rejected"}
        | {"rejected": len(result.rejected)},
    )
    return result
