"""End-to-end PNR ingestion: parse, scope, store, screen against a 100,000-entry watchlist.

Run (the issue's figures; about 5 minutes on 2 cores, run it alone):
    .venv/bin/python -W ignore benchmarks/pnr_end_to_end.py --rail-bookings 55000 \
        --air-pnrs 6000 --watchlist 100000 --workers 2

* Rail: ``--rail-bookings`` synthetic OSDM bookings, each pushed twice (48 h before departure,
  then at closure with a changed seat), i.e. 110,000 pushes for a Eurostar-scale day; goal
  < 2 minutes on 2 cores.
* Air: ``--air-pnrs`` synthetic PNRs in PNRGOV files (one flight per file), a fraction of a
  day of EU traffic; the time per passenger is extrapolated linearly to 3 million passengers
  (goal < 1 hour). The extrapolation assumes the database keeps its insert rate as it grows.

Each worker is a forked process with its own node handle on the same SQLite file; the
watchlist is built once in the parent and shared copy-on-write. Files are ingested 500 per
transaction with :func:`passerelle.pnr.service.ingest_files` — the same call as
``passerelle pnr ingest`` and the carrier API — so the figures include digest dedupe, scope,
split and encryption of the art. 12(2) fields, screening, bulk inserts and audit entries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node, open_node
from passerelle.pnr.service import scope
from passerelle.pnr.service.store import ingest_files
from passerelle.pnr.synth import osdm_booking, pnrgov_message
from passerelle.privacy import accounts, audit
from passerelle.settings import Settings
from passerelle.synth import generate_people, latin_form

LOCALES = ("fr_FR", "fr_BE", "nl_BE", "ar_AA", "ar_DZ", "ru_RU")
BATCH = 500
ACTOR = audit.Actor("benchmark-carrier", "FR")
_NODE: Node | None = None


def _watchlist(node: Node, size: int) -> float:
    started = time.perf_counter()
    rng = random.Random(11)
    lists = node_watchlists(node.state)
    for p in generate_people(size, seed=11, locales=LOCALES):
        data = latin_form(p, rng).as_record()
        lists.publish("alerts", PersonRecord(**data))
    return time.perf_counter() - started


def _rail_pushes(bookings: int) -> list[tuple[bytes, str]]:
    """Each booking twice: the 48-hour push, then the closure push with another seat."""
    rng = random.Random(5)
    first: list[tuple[bytes, str]] = []
    second: list[tuple[bytes, str]] = []
    for i in range(bookings):
        doc = osdm_booking(rng, i)
        first.append((json.dumps(doc).encode(), f"osdm-{i}-48h.json"))
        for offer in doc.get("bookedOffers") or []:
            for reservation in offer.get("reservations") or []:
                for place in (reservation.get("placeAllocation") or {}).get("reservedPlaces", []):
                    place["placeNumbers"] = [str(int(place["placeNumbers"][0]) + 1)]
        second.append((json.dumps(doc).encode(), f"osdm-{i}-closure.json"))
    return first + second


def _air_pushes(pnrs: int) -> tuple[list[tuple[bytes, str]], int]:
    rng = random.Random(9)
    files, passengers, ref = [], 0, 1
    while pnrs > 0:
        n = min(pnrs, rng.randrange(20, 41))
        text, travellers = pnrgov_message(rng, n, ref)
        files.append((text.encode(), f"pnrgov-{ref:06d}.edi"))
        passengers += travellers
        pnrs, ref = pnrs - n, ref + 1
    return files, passengers


def _work(chunk: Sequence[tuple[bytes, str]]) -> tuple[int, int]:
    assert _NODE is not None
    hits = stored = 0
    for start in range(0, len(chunk), BATCH):
        for outcome in ingest_files(_NODE, chunk[start : start + BATCH], ACTOR):
            hits += outcome.hits
            stored += outcome.stored
    return stored, hits


def _cpu() -> float:
    """CPU seconds used so far by this process and its reaped children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(node: Node, files: list[tuple[bytes, str]], workers: int) -> tuple[float, float, int, int]:
    """Ingest ``files`` on ``workers`` forked processes; pushes of one booking stay ordered.

    Returns wall seconds, CPU seconds (all processes), bookings stored, candidate hits.
    """
    global _NODE
    _NODE = node
    node.db.engine.dispose()  # every process opens its own connections
    chunks = [files[i::workers] for i in range(workers)] if workers > 1 else [files]
    started, cpu = time.perf_counter(), _cpu()
    if workers > 1:
        pool = mp.get_context("fork").Pool(workers)
        results = pool.map(_work, chunks)
        pool.close()
        pool.join()
    else:
        results = [_work(files)]
    elapsed = time.perf_counter() - started
    return elapsed, _cpu() - cpu, sum(r[0] for r in results), sum(r[1] for r in results)


def _node(base: Path, name: str) -> Node:
    node = open_node(Settings(data_dir=base / name, node="FR", retention_interval_seconds=0))
    now = node.clock.now()
    with node.session() as session:
        accounts.ensure_agency(session, "FR", "benchmark", "FR")
        scope.decide_scope(
            session,
            kind="threat",
            targets=[],
            justification="Benchmark: every intra-EU train is in scope",
            authority="benchmark",
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(days=1),
            author="benchmark",
            now=now,
        )
    return node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rail-bookings", type=int, default=55_000)
    parser.add_argument("--air-pnrs", type=int, default=6_000)
    parser.add_argument("--watchlist", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pnr-e2e-"))
    print(
        f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.processor() or 'cpu'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.workers} worker(s)"
    )
    try:
        rail_node = _node(base, "rail")
        built = _watchlist(rail_node, args.watchlist)
        print(f"watchlist: {args.watchlist:,} entries built in {built:.1f} s")
        started = time.perf_counter()
        rail = _rail_pushes(args.rail_bookings)
        print(f"rail: {len(rail):,} pushes generated in {time.perf_counter() - started:.1f} s")
        elapsed, cpu, stored, hits = _run(rail_node, rail, args.workers)
        rate = len(rail) / elapsed
        print(
            f"rail: {len(rail):,} pushes ({args.rail_bookings:,} bookings x 2) ingested + "
            f"screened in {elapsed:.1f} s wall = {rate:,.0f} pushes/s; {stored:,} stored, "
            f"{hits:,} candidate hits; goal 110,000 in < 120 s: "
            f"{'MET' if 110_000 / rate < 120 else 'NOT MET'} ({110_000 / rate:.0f} s)"
        )
        print(
            f"rail: {cpu:.0f} CPU s in all processes ({1000 * cpu / len(rail):.2f} ms per "
            f"push); CPU time / {args.workers} cores = {cpu / args.workers:.0f} s, the wall "
            f"time if the cores were ours alone (a lower bound: database writes are serialised)"
        )
        rail_node.close()
        air_node = _node(base, "air")
        _watchlist(air_node, args.watchlist)
        air, passengers = _air_pushes(args.air_pnrs)
        elapsed, cpu, stored, hits = _run(air_node, air, args.workers)
        per_pax = elapsed / passengers
        day = 3_000_000 * per_pax
        print(
            f"air: {args.air_pnrs:,} PNRs, {passengers:,} passengers in {len(air)} PNRGOV "
            f"files ingested + screened in {elapsed:.1f} s = {passengers / elapsed:,.0f} "
            f"passengers/s; {hits:,} candidate hits"
        )
        print(
            f"air: extrapolated to 3,000,000 passengers: {day / 60:.0f} min; goal < 60 min: "
            f"{'MET' if day < 3600 else 'NOT MET'} (linear extrapolation from "
            f"{passengers:,} passengers)"
        )
        cpu_day = 3_000_000 * cpu / passengers
        print(
            f"air: {cpu:.0f} CPU s in all processes ({1000 * cpu / passengers:.2f} ms per "
            f"passenger); 3,000,000 passengers: CPU time / {args.workers} cores = "
            f"{cpu_day / args.workers / 60:.0f} min (same lower-bound caveat)"
        )
        air_node.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
