"""Bulk jobs: screen millions of records against watchlists, and run other packages' jobs.

One small engine interface (:class:`BulkEngine`) with two engines — DuckDB (embedded, the
default) and Apache Spark (scale-out) — plus the in-memory reference path of the identity
package. Every engine gives byte-identical output on the same input. Jobs are partitioned and
resumable (:class:`JobDir`, :func:`run_partitions`): rerun an interrupted job and it continues
from its last finished partition. Domains build their own jobs on these pieces (the DNA
comparison is :mod:`passerelle.dna.bulk_compare`); ``bulk`` itself names no domain.

The names below are imported on first use (PEP 562): a light module of the package
(the ``--help`` of ``passerelle bulk``) does not load numpy, DuckDB or the identity engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passerelle.bulk.engine import (
        ENGINES,
        BatchFn,
        BulkEngine,
        Engine,
        check_engine,
        open_engine,
    )
    from passerelle.bulk.jobs import (
        DEFAULT_PARTITION_ROWS,
        JobDir,
        JobOptions,
        JobPlan,
        JobReport,
        default_job_dir,
        run_job,
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
    "JobOptions",
    "JobPlan",
    "JobProgress",
    "JobReport",
    "check_engine",
    "default_job_dir",
    "open_engine",
    "run_job",
    "run_partitions",
    "run_with_progress",
    "screen_job",
    "write_atomic",
]

#: Each name's module and attribute, imported on first use (PEP 562).
_LAZY: dict[str, tuple[str, str]] = {
    "BatchFn": ("passerelle.bulk.engine", "BatchFn"),
    "BulkEngine": ("passerelle.bulk.engine", "BulkEngine"),
    "DEFAULT_PARTITION_ROWS": ("passerelle.bulk.options", "DEFAULT_PARTITION_ROWS"),
    "ENGINES": ("passerelle.bulk.engine", "ENGINES"),
    "ENGINE_HELP": ("passerelle.bulk.options", "ENGINE_HELP"),
    "Engine": ("passerelle.bulk.engine", "Engine"),
    "JOB_HELP": ("passerelle.bulk.options", "JOB_HELP"),
    "JobDir": ("passerelle.bulk.jobs", "JobDir"),
    "JobOptions": ("passerelle.bulk.jobs", "JobOptions"),
    "JobPlan": ("passerelle.bulk.jobs", "JobPlan"),
    "JobProgress": ("passerelle.bulk.progress", "JobProgress"),
    "JobReport": ("passerelle.bulk.jobs", "JobReport"),
    "WORKERS_HELP": ("passerelle.bulk.options", "WORKERS_HELP"),
    "check_engine": ("passerelle.bulk.engine", "check_engine"),
    "default_job_dir": ("passerelle.bulk.jobs", "default_job_dir"),
    "open_engine": ("passerelle.bulk.engine", "open_engine"),
    "run_job": ("passerelle.bulk.jobs", "run_job"),
    "run_partitions": ("passerelle.bulk.jobs", "run_partitions"),
    "run_with_progress": ("passerelle.bulk.options", "run_with_progress"),
    "screen_job": ("passerelle.bulk.jobs", "screen_job"),
    "write_atomic": ("passerelle.bulk.jobs", "write_atomic"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
