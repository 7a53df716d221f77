"""Speed and memory of the identity engine, with brute force and logic-v2 side by side.

Run (full size, the issue's figures):
    .venv/bin/python benchmarks/identity_perf.py --entries 1000000 --bulk-watchlist 100000 \
        --bulk-records 1000000
Smaller sizes are accepted for quick runs; the output states the sizes used.

Measures, in one run:
* index build time and resident memory for ``--entries`` synthetic Latin-script entries;
* single-record screening latency p50/p99 on one core (noisy variants of listed people,
  Arabic- and Cyrillic-script records, and people not on the list);
* brute force ``rapidfuzz.process.extract`` over the same names, on a few queries;
* nomenklatura ``logic-v2`` time per candidate pair, times our mean candidate count;
* bulk: ``--bulk-records`` records against a ``--bulk-watchlist`` watchlist on ``--workers``
  processes (fork: the index is built once and shared copy-on-write).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing as mp
import os
import platform
import random
import statistics
import time

import psutil

from passerelle.identity import PersonRecord, Watchlist, prepare, screen
from passerelle.synth import generate_people, latin_form, noisy_variant
from passerelle.synth.people import SyntheticPerson

LOCALES = ("fr_FR", "fr_BE", "nl_BE", "ar_AA", "ar_DZ", "ru_RU")


def _record(p: SyntheticPerson, new_id: str | None = None) -> PersonRecord:
    data = p.as_record()
    if new_id:
        data["id"] = new_id
    return PersonRecord(**data)


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _watchlist_people(n: int, seed: int) -> list[SyntheticPerson]:
    rng = random.Random(seed)
    return [latin_form(p, rng) for p in generate_people(n, seed=seed, locales=LOCALES)]


def _queries(listed: list[SyntheticPerson], n: int, seed: int) -> list[PersonRecord]:
    rng = random.Random(seed)
    absent = generate_people(n, seed=seed + 1000, locales=LOCALES)
    queries: list[PersonRecord] = []
    for i in range(n):
        if i % 2 == 0:
            p = rng.choice(listed)
            queries.append(_record(noisy_variant(p, rng, f"q{i}")))
        else:
            queries.append(_record(absent[i], f"q{i}"))  # Latin, Arabic or Cyrillic script
    return queries


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_single(entries: int, queries: int, seed: int) -> None:
    print(f"\n## Single-record screening, watchlist of {entries:,} entries\n")
    t0 = time.perf_counter()
    people = _watchlist_people(entries, seed)
    gen_s = time.perf_counter() - t0
    records = [_record(p) for p in people]
    gc.collect()
    rss0 = _rss_mb()
    gc.disable()  # as a long-running service would after start-up; avoids GC pauses on build
    t0, c0 = time.perf_counter(), time.process_time()
    watchlist = Watchlist(records)  # filed in bulk, as a service loads its list
    build_s = time.perf_counter() - t0
    build_cpu = time.process_time() - c0
    gc.enable()
    gc.collect()
    # A long-lived index should be frozen out of the cyclic GC: otherwise every full
    # collection walks millions of entry objects (a 100 ms pause at 1M entries).
    gc.freeze()
    rss1 = _rss_mb()
    print(f"- generated {entries:,} synthetic people in {gen_s:.1f} s (not part of the index)")
    print(
        f"- index build: {build_s:.1f} s wall ({build_s / entries * 1e6:.1f} µs/entry), "
        f"{build_cpu:.1f} s CPU; goal < 60 s"
    )
    print(
        f"- resident memory: {rss1:.0f} MB total, {rss1 - rss0:.0f} MB for the index "
        f"(records held outside: {rss0:.0f} MB incl. interpreter); goal < 2 GB"
    )
    qs = _queries(people, queries, seed + 7)
    latencies: list[float] = []
    cpu: list[float] = []
    candidates: list[int] = []
    hits = 0
    for q in qs:
        t, c = time.perf_counter(), time.thread_time()
        matches = screen(q, watchlist)
        cpu.append((time.thread_time() - c) * 1e3)
        latencies.append((time.perf_counter() - t) * 1e3)
        hits += bool(matches)
        candidates.append(len(watchlist.candidates(prepare(q))))
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(
        f"- screening {len(qs)} records (half listed with noise, half absent, all scripts): "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.1f} ms; goal p99 < 5 ms"
    )
    print(
        f"- the same, CPU time of the screening thread (excludes waiting for a core on a "
        f"shared machine): p50 {percentile(cpu, 0.5):.2f} ms, p99 {percentile(cpu, 0.99):.2f} "
        f"ms, max {max(cpu):.1f} ms"
    )
    mean_cand = statistics.mean(candidates)
    print(f"- candidates scored per record: mean {mean_cand:.1f}; records with a hit: {hits}")

    from rapidfuzz import fuzz, process

    names = [r.display_name for r in records]
    brute: list[float] = []
    for q in qs[:10]:
        t = time.perf_counter()
        process.extract(q.display_name, names, scorer=fuzz.WRatio, limit=5)
        brute.append((time.perf_counter() - t) * 1e3)
    print(
        f"- brute force rapidfuzz.process.extract (WRatio, 1 core) over the same "
        f"{entries:,} names: p50 {statistics.median(brute):.0f} ms per record (10 records)"
    )
    try:
        per_pair = _logic_v2_per_pair(qs[:100], records)
        print(
            f"- nomenklatura logic-v2: {per_pair:.3f} ms per pair → "
            f"{per_pair * mean_cand:.1f} ms per record if it scored our {mean_cand:.0f} "
            f"candidates (names were given to it already paired)"
        )
    except ImportError:
        print("- nomenklatura logic-v2: not installed (uv sync --group bench)")


def _logic_v2_per_pair(queries: list[PersonRecord], records: list[PersonRecord]) -> float:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig.defaults()

    def entity(r: PersonRecord, tag: str):  # type: ignore[no-untyped-def]
        e = model.make_entity("Person")
        e.id = tag + r.id
        e.add("name", r.display_name)
        if r.date_of_birth:
            e.add("birthDate", r.date_of_birth)
        return e

    rng = random.Random(1)
    pairs = [(entity(q, "q"), entity(rng.choice(records), f"e{i}")) for i, q in enumerate(queries)]
    algorithm.compare(*pairs[0], config)  # warm-up: loads its data files
    t = time.perf_counter()
    for a, b in pairs:
        algorithm.compare(a, b, config)
    return (time.perf_counter() - t) / len(pairs) * 1e3


_BULK_INDEX: Watchlist | None = None


def _bulk_worker(chunk: list[PersonRecord]) -> int:
    assert _BULK_INDEX is not None
    return sum(len(screen(r, _BULK_INDEX)) for r in chunk)


def bench_bulk(watch_n: int, records_n: int, workers: int, seed: int) -> None:
    global _BULK_INDEX
    print(f"\n## Bulk: {records_n:,} records against {watch_n:,} entries, {workers} processes\n")
    t0 = time.perf_counter()
    _BULK_INDEX = Watchlist(_record(p) for p in _watchlist_people(watch_n, seed + 50))
    build_s = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # also keeps forked workers from touching (and copying) the shared pages
    rng = random.Random(seed)
    listed = list(_BULK_INDEX)
    absent = generate_people(records_n, seed=seed + 60, locales=LOCALES)
    records: list[PersonRecord] = []
    for i in range(records_n):
        if i % 20 == 0:  # 5 % of travellers resemble a listed person
            e = rng.choice(listed)
            records.append(PersonRecord(**{**e.to_dict(), "id": f"b{i}"}))
        else:
            records.append(_record(absent[i], f"b{i}"))
    del absent
    chunks = [records[i::workers] for i in range(workers)]
    ctx = mp.get_context("fork")
    t0 = time.perf_counter()
    before = os.times()
    pool = ctx.Pool(workers)
    hits = sum(pool.map(_bulk_worker, chunks))
    pool.close()
    pool.join()  # reaped workers' CPU time shows in os.times() children fields
    after = os.times()
    bulk_s = time.perf_counter() - t0
    cpu_s = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    print(f"- watchlist build {build_s:.1f} s; screening {bulk_s:.1f} s ({hits:,} hits)")
    print(
        f"- throughput {records_n / bulk_s:,.0f} records/s; "
        f"1,000,000 records would take {1_000_000 / (records_n / bulk_s) / 60:.1f} min; "
        "goal < 5 min"
    )
    if cpu_s > 0:
        projected = 1_000_000 / (records_n / cpu_s) / workers / 60
        print(
            f"- CPU time of the workers {cpu_s:.1f} s ({cpu_s / records_n * 1e3:.2f} ms/record): "
            f"with {workers} cores to ourselves, 1,000,000 records ≈ {projected:.1f} min"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--bulk-watchlist", type=int, default=100_000)
    parser.add_argument("--bulk-records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-bulk", action="store_true")
    args = parser.parse_args()
    print(
        f"Identity performance, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average at start "
        f"{os.getloadavg()[0]:.1f} (the 2 cores are shared: figures are noisy above 2)"
    )
    bench_single(args.entries, args.queries, args.seed)
    if not args.skip_bulk:
        bench_bulk(args.bulk_watchlist, args.bulk_records, args.workers, args.seed)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
