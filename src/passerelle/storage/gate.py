"""The write gate: this process's SQLite writers wait on a lock, not on SQLite's busy handler.

SQLite lets one writer at a time hold its lock; the others are made to wait by its busy handler,
which sleeps and polls (1, 2, 5, … then 100 ms between tries). Under load that handler wastes
the lock and is unfair: the lock often sits free while every waiter sleeps, and a writer that
has waited long polls every 100 ms while newcomers poll every few milliseconds, so it may run
out of its ``busy_timeout`` (a 503) while others pass. Within one process a lock does better:
each write transaction takes the gate before it sends ``BEGIN IMMEDIATE``, and one waiter is
woken the moment the previous transaction commits or rolls back. Other processes on the same
file (more ``serve`` workers, a CLI command) are still kept out by SQLite's own lock and its
busy handler.

The gate is keyed by the DBAPI connection that holds it: a transaction may begin in one thread
and commit in another (FastAPI runs a route in one worker thread and the session's exit in
another), and a connection that leaves the pool or returns to it frees the gate too.
"""

from __future__ import annotations

import threading

from passerelle.errors import DatabaseBusy


class WriteGate:
    """A lock with a timeout, held by one connection at a time and released by its owner."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._guard = threading.Lock()
        self._holder: int | None = None

    @property
    def holder(self) -> int | None:
        """``id`` of the DBAPI connection that holds the gate, if any."""
        return self._holder

    def acquire(self, owner: int, timeout: float) -> None:
        """Wait at most ``timeout`` seconds, then raise :class:`DatabaseBusy`.

        A no-op for the connection that already holds the gate."""
        if self._holder == owner:
            return
        if not self._lock.acquire(timeout=max(timeout, 0.0)):
            raise DatabaseBusy("the database is busy; retry in a moment", wait_seconds=timeout)
        with self._guard:
            self._holder = owner

    def release(self, owner: int) -> bool:
        """Free the gate if ``owner`` holds it; True when it did."""
        with self._guard:
            if self._holder != owner:
                return False
            self._holder = None
        self._lock.release()
        return True
