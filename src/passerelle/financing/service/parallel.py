"""Matching many candidates against a filter on every core: worker processes.

Encoding a candidate is Python (the identity engine's normalisation, HMAC per token) and holds
the interpreter lock, and numpy's blocking and scoring hold it between calls, so threads keep
two cores only partly busy. :func:`best` forks ``workers`` processes after the filter is read
and indexed: each inherits the index (copy-on-write, never copied or rebuilt), encodes and
matches its slices of the candidates, and sends back each matched candidate's best row. The
slices are put back in order, so the result is the same, row for row, as one process's
(:meth:`bloom.Matcher.best`): a pair's score and whether it is a candidate depend on that pair
only. Where processes cannot be forked (no ``fork`` start method), matching stays in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import numpy.typing as npt

from passerelle.financing.service.bloom import DEFAULT_THRESHOLD, Matcher, encode_all
from passerelle.identity import PersonRecord

#: Most candidates per task sent to a worker (several matching chunks; small enough to balance).
SLICE = 16_384
#: Most worker processes :func:`default_workers` proposes (each holds its scoring buffers).
MAX_WORKERS = 8

Result = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]

_shared: tuple[Matcher, list[PersonRecord]] | None = None


def default_workers() -> int:
    """The cores this process may use, at most :data:`MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _adopt(matcher: Matcher, people: list[PersonRecord]) -> None:
    global _shared
    matcher.threads = 1  # the processes are the parallelism
    _shared = (matcher, people)


def _match_slice(start: int, size: int, threshold: float) -> Result:
    if _shared is None:  # pragma: no cover - set by the initializer before any task
        raise RuntimeError("worker not initialised")
    matcher, people = _shared
    _, rows = encode_all(matcher.encoder, people[start : start + size])
    return matcher.best_rows(rows, threshold)


def best(
    matcher: Matcher,
    people: list[PersonRecord],
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
) -> list[tuple[str, int, float]]:
    """Each matched candidate's best row, ``(candidate id, filter row, score)`` in candidate
    order: the same list as ``matcher.best(people, threshold)``, computed by ``workers``
    processes (default :func:`default_workers`)."""
    workers = default_workers() if workers is None else max(1, workers)
    # At least four slices per worker, so that a small run is shared evenly too.
    size = max(1, min(SLICE, -(-len(people) // (4 * workers))))
    starts = range(0, len(people), size)
    if workers == 1 or len(starts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return matcher.best(people, threshold)
    context = multiprocessing.get_context("fork")
    found: list[tuple[str, int, float]] = []
    with ProcessPoolExecutor(
        min(workers, len(starts)), mp_context=context, initializer=_adopt,
        initargs=(matcher, people),
    ) as pool:  # fmt: skip
        results = pool.map(_match_slice, starts, [size] * len(starts), [threshold] * len(starts))
        for start, (cand, rows, scores) in zip(starts, results, strict=True):
            found.extend(
                (people[start + c].id, r, s)
                for c, r, s in zip(cand.tolist(), rows.tolist(), scores.tolist(), strict=True)
            )
    return found
