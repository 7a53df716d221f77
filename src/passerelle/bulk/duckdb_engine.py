"""The embedded engine: DuckDB runs the SQL, batch functions run in this process."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Iterator
from multiprocessing.pool import Pool
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from passerelle.bulk.engine import BatchFn

# Rows per Arrow batch handed to a batch function: large enough to amortise Python overhead,
# small enough to keep memory flat.
BATCH_ROWS = 65_536


class DuckDBEngine:
    """:class:`~passerelle.bulk.engine.BulkEngine` on an in-memory DuckDB connection."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, workers: int = 1) -> None:
        """``workers`` > 1 maps batches in that many forked processes (POSIX), so the Python
        scorers use more than one core; DuckDB itself uses ``threads`` (default: all)."""
        self._con = duckdb.connect(":memory:")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        self.workers = workers
        self._pool: Pool | None = None

    def register(self, name: str, path: Path) -> None:
        pattern = str(path / "*.parquet").replace("'", "''")
        # Table names are the job's own constants; the path is quoted above.
        sql = f"CREATE OR REPLACE VIEW \"{name}\" AS SELECT * FROM read_parquet('{pattern}')"  # noqa: S608
        self._con.execute(sql)

    def _batches(
        self, query: str, fn: BatchFn | None, schema: pa.Schema | None
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        rows = BATCH_ROWS if self.workers <= 1 else BATCH_ROWS // 8
        reader = self._con.execute(query).to_arrow_reader(rows)
        if fn is None:
            return reader.schema, iter(reader)
        assert schema is not None, "a batch function needs its output schema"
        if self.workers <= 1:
            return schema, (fn(batch) for batch in reader)
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        return schema, self._pool.imap(fn, reader)

    def collect(
        self, query: str, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> pa.Table:
        out_schema, batches = self._batches(query, fn, schema)
        return pa.Table.from_batches(list(batches), schema=out_schema)

    def write(
        self, query: str, path: Path, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> None:
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        out_schema, batches = self._batches(query, fn, schema)
        with pq.ParquetWriter(tmp / "part-0.parquet", out_schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
        shutil.rmtree(path, ignore_errors=True)
        tmp.replace(path)

    def close(self) -> None:
        if self._pool is not None:
            # Every result has been consumed (or the run was interrupted): stop the workers now.
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._con.close()


__all__ = ["DuckDBEngine"]
