"""People as Arrow tables: the job's copy of a records file or a watchlist.

Every input (CSV or Parquet) is read through identity's own CSV reader rules — same columns,
same trimming, same validation — and written once into the job directory as Parquet with an
``ord`` column (the row's place in the input), which fixes output order and watchlist slots.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from passerelle.errors import MalformedInput
from passerelle.identity import OPTIONAL_COLUMNS, PersonRecord, Reject, check_date, read_people

PERSON_COLUMNS = ("id", *OPTIONAL_COLUMNS)
PEOPLE_SCHEMA = pa.schema([("ord", pa.int64()), *((c, pa.string()) for c in PERSON_COLUMNS)])
_CHUNK = 100_000


def people_of(
    batch: pa.RecordBatch | dict[str, list[object]], prefix: str = "", ordinal: str = "ord"
) -> Iterator[tuple[int, PersonRecord]]:
    """``(ordinal, PersonRecord)`` per row of a batch (columns named ``prefix + column``)."""
    data = batch if isinstance(batch, dict) else batch.to_pydict()
    ords: list[int] = data[ordinal]  # type: ignore[assignment]
    columns = [data[prefix + c] for c in PERSON_COLUMNS]
    for i in range(len(ords)):
        values = [col[i] for col in columns]
        yield ords[i], PersonRecord(*values)  # type: ignore[arg-type]


def _from_parquet(path: Path, rejects: list[Reject] | None = None) -> Iterator[PersonRecord]:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise MalformedInput(f"{path}: cannot be read as Parquet ({exc})") from exc
    if "id" not in table.column_names:
        raise MalformedInput(f"{path}: required column 'id' is missing")
    present = [c for c in PERSON_COLUMNS if c in table.column_names]
    for row, item in enumerate(table.select(present).to_pylist(), start=1):
        values = {
            c: (str(item[c]).strip() or None) if item[c] is not None else None for c in present
        }
        if not values["id"]:
            if rejects is None:
                raise MalformedInput(f"{path}: row {row}: empty 'id'", line=row)
            rejects.append(Reject(str(path), row, "empty 'id': row skipped"))
            continue
        values["date_of_birth"] = check_date(values.get("date_of_birth"), path, row, rejects)
        yield PersonRecord(**values)  # type: ignore[arg-type]


def read_any(path: Path, rejects: list[Reject] | None = None) -> Iterator[PersonRecord]:
    """People from a CSV file (identity's format) or a Parquet file with the same columns.

    With ``rejects``, bad rows are read leniently and reported there (see ``read_people``).
    """
    if path.suffix.lower() == ".parquet":
        return _from_parquet(path, rejects)
    return read_people(path, rejects)


def write_people(source: Path, dest: Path, rejects: list[Reject] | None = None) -> int:
    """Copy people from ``source`` into the Parquet dataset directory ``dest``; return the count.

    With ``rejects`` a bad row never stops the copy: it is kept with its usable part (or
    skipped when it has no id) and reported there."""
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    count = 0
    with pq.ParquetWriter(tmp / "part-0.parquet", PEOPLE_SCHEMA) as writer:
        chunk: list[PersonRecord] = []

        def flush() -> None:
            nonlocal count
            columns: list[list[object]] = [list(range(count, count + len(chunk)))]
            columns += [[getattr(r, c) for r in chunk] for c in PERSON_COLUMNS]
            writer.write_batch(pa.record_batch(columns, schema=PEOPLE_SCHEMA))
            count += len(chunk)
            chunk.clear()

        for record in read_any(source, rejects):
            chunk.append(record)
            if len(chunk) >= _CHUNK:
                flush()
        flush()
    tmp.replace(dest)
    return count


__all__ = ["PEOPLE_SCHEMA", "PERSON_COLUMNS", "people_of", "read_any", "write_people"]
