"""What every bulk command shares, in ``passerelle bulk`` and in a domain's own commands: the
option help texts and the runner with its progress bar. (Not in ``bulk.cli``, which loads the
domains' commands when imported: a domain's command module imports this instead.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from passerelle.bulk.jobs import JobReport

# Light at import (the option defaults and help texts of ``--help``); rich and the jobs load
# when a job runs.

#: Records per partition: the unit of progress and of resumption.
DEFAULT_PARTITION_ROWS = 100_000
ENGINE_HELP = "memory, duckdb or spark (default: PASSERELLE_BULK_ENGINE)."
WORKERS_HELP = "Processes the duckdb engine scores in (spark uses its cores)."
JOB_HELP = "Job state directory (default: .<out>.job beside the output); rerun to resume."


def run_with_progress(
    job: Callable[..., JobReport], *args: Any, **options: Any
) -> tuple[JobReport, Console]:
    """Run a bulk job (``screen_job``, a domain's job) with a progress bar on stderr and this
    node's settings; returns its report and the console to print the outcome on."""
    from rich.console import Console

    from passerelle.bulk.progress import JobProgress
    from passerelle.settings import get_settings

    console = Console(stderr=True)
    with JobProgress(console) as progress:
        report = job(*args, settings=get_settings(), progress=progress, **options)
    return report, console


__all__ = ["DEFAULT_PARTITION_ROWS", "ENGINE_HELP", "JOB_HELP", "WORKERS_HELP", "run_with_progress"]
