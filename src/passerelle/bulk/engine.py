"""The one small interface every bulk engine implements, and the registry that picks one.

An engine knows three things: make a Parquet dataset visible to SQL under a name, run a SQL
query (optionally passing its result through a Python function, one Arrow record batch at a
time) and either collect the result or write it as a Parquet dataset. Blocking is SQL (the same
text for every engine, see :mod:`passerelle.bulk.blocking`); scoring is the identity and DNA
packages' own Python code applied to Arrow batches. DuckDB runs it all in this process; Spark
runs the SQL on its executors and the batch functions through ``mapInArrow``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from passerelle.errors import UsageError
from passerelle.settings import Settings

if TYPE_CHECKING:
    import pyarrow as pa  # only in annotations: the engine names load without numpy (--help)

#: A function from one Arrow record batch to another (scoring, key generation).
BatchFn: TypeAlias = Callable[["pa.RecordBatch"], "pa.RecordBatch"]


class Engine(StrEnum):
    """Where a job runs: in memory (the identity/dna packages' reference path) or as a bulk job.

    The one list of engine names (``--engine`` of ``screen``, ``dna compare`` and ``bulk``)."""

    memory = "memory"
    duckdb = "duckdb"
    spark = "spark"


#: Engines a bulk job can run on, by name.
ENGINES = tuple(engine.value for engine in Engine)


class BulkEngine(Protocol):
    """A SQL engine over Parquet datasets that can map Arrow batches through Python."""

    name: str

    def register(self, name: str, path: Path) -> None:
        """Make the Parquet dataset in directory ``path`` queryable as table ``name``."""
        ...

    def collect(
        self, query: str, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> pa.Table:
        """Run ``query``, map each batch through ``fn`` (output ``schema``), return the rows."""
        ...

    def write(
        self, query: str, path: Path, fn: BatchFn | None = None, schema: pa.Schema | None = None
    ) -> None:
        """Like :meth:`collect` but write a Parquet dataset into directory ``path``."""
        ...

    def close(self) -> None:
        """Release the engine (connections, Spark session references)."""
        ...


#: The one-line error of ``--engine spark`` where the ``spark`` extra is not installed.
SPARK_MISSING = (
    "the spark engine needs Apache Spark: pip install 'passerelle[spark]' (and a Java runtime)"
)


def open_engine(name: str, settings: Settings | None = None, workers: int = 1) -> BulkEngine:
    """The engine called ``name`` (``duckdb`` or ``spark``), configured from ``settings``;
    ``workers`` is the number of processes DuckDB maps batches in (Spark uses its cores)."""
    if name == "duckdb":
        from passerelle.bulk.duckdb_engine import DuckDBEngine

        return DuckDBEngine(workers=max(1, workers))
    if name == "spark":
        if importlib.util.find_spec("pyspark") is None:
            raise UsageError(SPARK_MISSING)
        from passerelle.bulk.spark_engine import SparkEngine

        chosen = settings or Settings.from_env()
        return SparkEngine(chosen.spark_master, driver_memory=chosen.spark_driver_memory)
    scale = ", ".join(e for e in ENGINES if e != Engine.memory)
    raise UsageError(f"unknown bulk engine {name!r}; available: {scale}")


def check_engine(name: str) -> str:
    """``name`` if it is a known engine (memory included), else UsageError."""
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; available: {', '.join(ENGINES)}")
    return name


__all__ = ["ENGINES", "BatchFn", "BulkEngine", "Engine", "check_engine", "open_engine"]
