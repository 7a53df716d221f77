"""Bulk jobs: screen millions of records against watchlists and compare DNA databases.

One small engine interface (:class:`BulkEngine`) with two engines — DuckDB (embedded, the
default) and Apache Spark (scale-out) — plus the in-memory reference path of the identity and
DNA packages. Every engine gives byte-identical output on the same input. Jobs are partitioned
and resumable: rerun an interrupted job and it continues from its last finished partition.
"""

from passerelle.bulk.dna_job import compare_job
from passerelle.bulk.engine import ENGINES, BulkEngine, open_engine
from passerelle.bulk.jobs import DEFAULT_PARTITION_ROWS, JobReport, screen_job
from passerelle.bulk.progress import JobProgress

__all__ = [
    "DEFAULT_PARTITION_ROWS",
    "ENGINES",
    "BulkEngine",
    "JobProgress",
    "JobReport",
    "compare_job",
    "open_engine",
    "screen_job",
]
