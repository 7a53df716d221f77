"""Bulk jobs: screen millions of records against watchlists, and run other packages' jobs.

One small engine interface (:class:`BulkEngine`) with two engines — DuckDB (embedded, the
default) and Apache Spark (scale-out) — plus the in-memory reference path of the identity
package. Every engine gives byte-identical output on the same input. Jobs are partitioned and
resumable (:class:`JobDir`, :func:`run_partitions`): rerun an interrupted job and it continues
from its last finished partition. Domains build their own jobs on these pieces (the DNA
comparison is :mod:`passerelle.dna.bulk_compare`); ``bulk`` itself names no domain.
"""

from passerelle.bulk.engine import ENGINES, BatchFn, BulkEngine, Engine, check_engine, open_engine
from passerelle.bulk.jobs import (
    DEFAULT_PARTITION_ROWS,
    JobDir,
    JobReport,
    default_job_dir,
    run_partitions,
    screen_job,
    write_atomic,
)
from passerelle.bulk.options import ENGINE_HELP, JOB_HELP, WORKERS_HELP, run_with_progress
from passerelle.bulk.progress import JobProgress

__all__ = [
    "DEFAULT_PARTITION_ROWS",
    "ENGINES",
    "ENGINE_HELP",
    "JOB_HELP",
    "WORKERS_HELP",
    "BatchFn",
    "BulkEngine",
    "Engine",
    "JobDir",
    "JobProgress",
    "JobReport",
    "check_engine",
    "default_job_dir",
    "open_engine",
    "run_partitions",
    "run_with_progress",
    "screen_job",
    "write_atomic",
]
