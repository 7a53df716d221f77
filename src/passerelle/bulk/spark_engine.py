"""The scale-out engine: Spark SQL runs the blocking joins, ``mapInArrow`` runs the scorers.

The master URL comes from ``PASSERELLE_SPARK_MASTER`` (``local[*]`` by default; any cluster
URL in production). Python workers run this interpreter, so they import the same identity and
DNA code as the in-memory path; on a cluster the executors need the same package installed.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from passerelle.bulk.engine import BatchFn
from passerelle.digits import to_int
from passerelle.settings import Settings

_TYPES = {
    pa.string(): "string",
    pa.large_string(): "string",
    pa.int64(): "bigint",
    pa.int32(): "int",
    pa.float64(): "double",
    pa.bool_(): "boolean",
}


def spark_ddl(schema: pa.Schema) -> str:
    """A Spark DDL string for an Arrow schema (the types bulk jobs use)."""
    return ", ".join(f"`{f.name}` {_TYPES[f.type]}" for f in schema)


def spark_session(
    master: str, partitions: int | None = None, driver_memory: str = Settings.spark_driver_memory
) -> Any:
    """The process's Spark session (created once; later calls reuse it, whatever their
    arguments: the driver's memory is fixed when its JVM starts)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("passerelle-bulk")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", driver_memory)
        # A partition's key rows (tens of MB) are broadcast to the watchlist's key table
        # instead of shuffling that table (millions of rows) once per partition.
        .config("spark.sql.autoBroadcastJoinThreshold", str(256 * 2**20))
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    if partitions is None and master.startswith("local"):
        # Spark's default of 200 shuffle partitions is for clusters; locally a few per core.
        cores = os.cpu_count() or 2
        inside = master[master.find("[") + 1 : -1] if "[" in master else "1"
        threads = to_int(inside, 4)
        partitions = 2 * (cores if inside == "*" or not threads else threads)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _mapper(fn: BatchFn) -> Any:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield fn(batch)

    return run


class SparkEngine:
    """:class:`~passerelle.bulk.engine.BulkEngine` on a Spark session."""

    name = "spark"

    def __init__(
        self,
        master: str = Settings.spark_master,
        session: Any = None,
        driver_memory: str = Settings.spark_driver_memory,
    ) -> None:
        self.spark = (
            session if session is not None else spark_session(master, driver_memory=driver_memory)
        )
        self.parallelism = int(self.spark.sparkContext.defaultParallelism)

    def register(self, name: str, path: Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def _frame(self, query: str, fn: BatchFn | None, schema: pa.Schema | None) -> Any:
        frame = self.spark.sql(query)
        if fn is None:
            return frame
        assert schema is not None, "a batch function needs its output schema"
        # Spread the Python work over every core, whatever the input's file layout.
        frame = frame.repartition(self.parallelism)
        return frame.mapInArrow(_mapper(fn), spark_ddl(schema))

    def collect(
        self, query: str, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> pa.Table:
        table: pa.Table = self._frame(query, fn, schema).toArrow()
        if schema is not None:
            table = table.cast(schema)
        return table

    def write(
        self, query: str, path: Path, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> None:
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self._frame(query, fn, schema).write.mode("overwrite").parquet(str(tmp))
        shutil.rmtree(path, ignore_errors=True)
        tmp.replace(path)

    def close(self) -> None:
        """The session is shared by the process (starting one costs seconds): keep it."""
        for table in self.spark.catalog.listTables():
            if table.isTemporary:
                self.spark.catalog.dropTempView(table.name)


__all__ = ["SparkEngine", "spark_ddl", "spark_session"]
