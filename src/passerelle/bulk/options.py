"""What every bulk command shares, in ``passerelle bulk`` and in a domain's own commands: the
option help texts and the runner with its progress bar. (Not in ``bulk.cli``, which loads the
domains' commands when imported: a domain's command module imports this instead.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console

from passerelle.bulk.jobs import JobReport
from passerelle.bulk.progress import JobProgress
from passerelle.settings import get_settings

ENGINE_HELP = "memory, duckdb or spark (default: PASSERELLE_BULK_ENGINE)."
WORKERS_HELP = "Processes the duckdb engine scores in (spark uses its cores)."
JOB_HELP = "Job state directory (default: .<out>.job beside the output); rerun to resume."


def run_with_progress(
    job: Callable[..., JobReport], *args: Any, **options: Any
) -> tuple[JobReport, Console]:
    """Run a bulk job (``screen_job``, a domain's job) with a progress bar on stderr and this
    node's settings; returns its report and the console to print the outcome on."""
    console = Console(stderr=True)
    with JobProgress(console) as progress:
        report = job(*args, settings=get_settings(), progress=progress, **options)
    return report, console


__all__ = ["ENGINE_HELP", "JOB_HELP", "WORKERS_HELP", "run_with_progress"]
