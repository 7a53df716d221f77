"""A rich progress bar for bulk jobs: records processed, throughput and time left."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Records per second over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        if speed is None and task.elapsed:
            # Too few samples yet (long partitions): the average over this run.
            speed = (task.completed - task.fields.get("resumed", 0)) / task.elapsed or None
        return Text("… records/s" if speed is None else f"{speed:,.0f} records/s")


class JobProgress:
    """Progress of one job; records already done by an earlier run count as done, not as speed.

    Use as a context manager; ``enabled=False`` draws nothing (tests, quiet runs).
    """

    def __init__(self, console: Console | None = None, enabled: bool = True) -> None:
        self.console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not enabled,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> JobProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, description: str, total: int, done: int = 0) -> None:
        """Show a bar for ``total`` records of which ``done`` were finished by an earlier run."""
        self._task = self._progress.add_task(description, total=total, completed=done, resumed=done)

    def advance(self, records: int) -> None:
        """``records`` more records processed."""
        if self._task is not None:
            self._progress.advance(self._task, records)

    def note(self, message: str) -> None:
        """A line above the bar (e.g. that a run resumes)."""
        self._progress.console.print(message)


__all__ = ["JobProgress", "RateColumn"]
