"""Bulk screening results into the node as review candidates.

There is no generic review-queue API in the node yet, so candidates wait in this package's own
table (``bulk_candidate``); :func:`pending_candidates` is what a review screen reads. Every load
is one transaction with its audit entry.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from passerelle import csvsafe
from passerelle.bulk import rules
from passerelle.bulk.model import Candidate
from passerelle.errors import MalformedInput
from passerelle.identity import OUTPUT_COLUMNS
from passerelle.node import Node
from passerelle.privacy import Actor

_CHUNK = 10_000
_ID_LENGTH = 200  # the bulk_candidate columns


@dataclass(frozen=True)
class ReviewLoad:
    """A bulk run loaded for review: its id and how many candidates it added."""

    run_id: str
    candidates: int


def read_hits(path: Path) -> Iterator[dict[str, object]]:
    """The rows of a bulk screening output (CSV or Parquet), checked; CSV cells are read back
    through :func:`passerelle.csvsafe.restore` (the writers neutralise formulas).

    Raises :class:`MalformedInput` naming the file and line for anything unreadable.
    """
    try:
        for line, hit in enumerate(_hits(path), start=2):
            yield _row(hit, line, path)
    except (OSError, UnicodeDecodeError, csv.Error, pa.ArrowException) as exc:
        raise MalformedInput(f"{path}: cannot be read as screening hits ({exc})") from exc


def _hits(path: Path) -> Iterator[dict[str, Any]]:
    if path.suffix.lower() == ".parquet":
        table = pq.read_table(path)
        missing = [c for c in OUTPUT_COLUMNS if c not in table.column_names]
        if missing:
            raise MalformedInput(f"{path}: missing column(s) {', '.join(missing)}")
        for batch in table.select(list(OUTPUT_COLUMNS)).to_batches():
            yield from batch.to_pylist()
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in OUTPUT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MalformedInput(f"{path}: line 1: missing column(s) {', '.join(missing)}", line=1)
        for row in reader:
            yield {k: csvsafe.restore(v) if isinstance(v, str) else v for k, v in row.items()}


def _row(hit: dict[str, Any], line: int, path: Path) -> dict[str, object]:
    try:
        score = float(hit["score"])
    except (TypeError, ValueError):
        raise MalformedInput(f"{path}: line {line}: score is not a number", line=line) from None
    if not 0.0 <= score <= 1.0:
        raise MalformedInput(f"{path}: line {line}: score is not between 0 and 1", line=line)
    texts = [hit.get(c) for c in ("record_id", "entry_id", "explanation")]
    if not all(isinstance(t, str) or t is None for t in texts):
        raise MalformedInput(f"{path}: line {line}: a text column holds a number", line=line)
    record_id, entry_id, explanation = (str(t or "") for t in texts)
    if not record_id or not entry_id:
        raise MalformedInput(f"{path}: line {line}: empty record_id or entry_id", line=line)
    if len(record_id) > _ID_LENGTH or len(entry_id) > _ID_LENGTH:
        raise MalformedInput(
            f"{path}: line {line}: record_id or entry_id longer than {_ID_LENGTH}", line=line
        )
    return {
        "record_id": record_id,
        "entry_id": entry_id,
        "score": score,
        "explanation": explanation,
    }


def load_candidates(node: Node, hits: Path, source: str, actor: Actor) -> ReviewLoad:
    """Load a bulk screening output (CSV or Parquet) as pending review candidates."""
    run_id = str(uuid.uuid4())
    now = node.clock.now()
    common = {
        "run_id": run_id,
        "source": source[:200],
        "status": rules.PENDING,
        "loaded_at": now,
        "loaded_by": actor.name[:100],
    }
    count = 0
    with node.session() as session:
        chunk: list[dict[str, object]] = []
        for hit in read_hits(hits):
            chunk.append({**common, **hit})
            if len(chunk) >= _CHUNK:
                session.execute(insert(Candidate), chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            session.execute(insert(Candidate), chunk)
            count += len(chunk)
        node.audit(
            session,
            actor,
            action="write",
            object_type="bulk_run",
            object_id=run_id,
            purpose=rules.REVIEW_PURPOSE,
            legal_basis=rules.REVIEW_LEGAL_BASIS,
            details={"candidates": count, "source": source[:200]},
        )
    return ReviewLoad(run_id, count)


def pending_candidates(
    session: Session, run_id: str | None = None, limit: int = 100
) -> list[Candidate]:
    """Candidates awaiting review, best score first (callers audit what they show)."""
    query = select(Candidate).where(Candidate.status == rules.PENDING)
    if run_id is not None:
        query = query.where(Candidate.run_id == run_id)
    query = query.order_by(Candidate.score.desc(), Candidate.id).limit(limit)
    return list(session.scalars(query))


__all__ = ["ReviewLoad", "load_candidates", "pending_candidates", "read_hits"]
