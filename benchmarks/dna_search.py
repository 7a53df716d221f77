"""Prüm search at national-database scale: the block index next to a plain vectorised scan.

Usage::

    .venv/bin/python benchmarks/dna_search.py [--size 7400000] [--queries 1000]
        [--scan-queries 20] [--bulk 130000] [--workers 2] [--seed 7]

Data: a synthetic national database drawn from the real European allele frequencies shipped
with ``passerelle.dna`` (norSTR): 60 % profiles at 21 loci (CODIS 20 + SE33, GlobalFiler-like),
30 % older 15-locus profiles (ESS + D16S539, D19S433, D2S1338, NGM-like), 10 % degraded crime
stains (each locus lost with probability 0.3), 0.2 % of loci with an undesignated allele.
Queries: half are database profiles (a third unchanged, a third with one allele changed, a third
with a microvariant neighbour), half fresh profiles; 10 % of queries are partial stains.

Measured, side by side in one run:
1. single-profile search on one core: p50/p99 latency of ``ProfileIndex.search`` and of
   ``ProfileIndex.scan`` (the straightforward vectorised NumPy scan of the same encoded data),
   and that both return the same matches;
2. memory: bytes held by the index and the process's resident/peak memory;
3. bytes/s: the scan's achieved read rate against the machine's memory bandwidth (NumPy copy);
4. bulk comparison: ``--bulk`` fresh profiles (with 1 % planted copies) against the database on
   ``--workers`` processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing
import os
import platform
import time

import numpy as np

from passerelle.dna import rules
from passerelle.dna.harmonise import make_profile
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import MatchResult
from passerelle.dna.profiles import Profile
from passerelle.dna.service import compare_databases
from passerelle.dna.stats import load_population
from passerelle.synth.dna import SyntheticLocus, draw_columns

LOCI = [*rules.CODIS_CORE.loci, "SE33"]
OLD_KIT = {*rules.ESS.loci, "D16S539", "D19S433", "D2S1338"}


def status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory_bandwidth(megabytes: int = 512) -> float:
    """Best-of-5 NumPy copy rate in bytes/s (bytes read + bytes written)."""
    src = np.ones(megabytes * 2**20 // 8)
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - t)
    return 2 * src.nbytes / best


def draw(n: int, rng: np.random.Generator, freqs: dict) -> dict[str, SyntheticLocus]:
    columns = draw_columns(
        freqs, LOCI, n, rng, partial_fraction=0.10, dropout=0.3, wildcard_rate=0.002
    )
    old = rng.random(n) < 0.30
    for locus in LOCI:
        if locus not in OLD_KIT:
            columns[locus].first[old] = -1
            columns[locus].second[old] = -1
    return columns


def row_profile(columns: dict[str, SyntheticLocus], row: int, profile_id: str) -> Profile:
    loci = {}
    for locus, c in columns.items():
        if c.first[row] >= 0:
            loci[locus] = [c.alphabet[c.first[row]], c.alphabet[c.second[row]]]
    return make_profile(profile_id, loci)


def variant(profile: Profile, kind: int, rng: np.random.Generator) -> Profile:
    """kind 0: unchanged; 1: one allele changed by two repeats; 2: a microvariant neighbour."""
    loci = {k: [a.value for a in v] for k, v in profile.loci.items()}
    if kind:
        locus = str(rng.choice([k for k in loci if k not in {"SE33", "Penta D", "Penta E"}]))
        allele = profile.loci[locus][0]
        if allele.numeric:
            loci[locus][0] = str(allele.repeats + 2) if kind == 1 else f"{allele.repeats - 1}.3"
    return make_profile(profile.profile_id + "-v", loci)


def percentiles(times: list[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 99) * 1e3)


def keyed(found: list[MatchResult]) -> list[tuple[str, int, int, int]]:
    return sorted((m.b_id, m.matching_loci, m.mismatched_alleles, int(m.quality)) for m in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="database profiles")
    parser.add_argument("--queries", type=int, default=1000, help="timed index searches")
    parser.add_argument("--scan-queries", type=int, default=20, help="timed full scans")
    parser.add_argument("--bulk", type=int, default=130_000, help="profiles in the bulk side")
    parser.add_argument("--workers", type=int, default=2, help="processes for the bulk run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    freqs = {k: dict(v) for k, v in load_population("europe").frequencies.items()}

    print(f"# DNA search benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with multiprocessing.get_context("fork").Pool(1) as pool:  # keeps its buffers out of our RSS
        bandwidth = pool.apply(memory_bandwidth)
    print(f"memory bandwidth (NumPy copy, read+write): {bandwidth / 1e9:.1f} GB/s")

    t = time.perf_counter()
    columns = draw(args.size, rng, freqs)
    ids = np.char.add(b"FR", np.arange(args.size).astype("S9"))
    drawn = time.perf_counter() - t
    t = time.perf_counter()
    index = ProfileIndex(ids, columns)
    built = time.perf_counter() - t
    print(f"database: {args.size:,} profiles drawn in {drawn:.1f} s, index built in {built:.1f} s")

    n_db = args.queries // 2
    rows = rng.integers(0, args.size, n_db)
    queries = [
        variant(row_profile(columns, int(r), f"Q{i}"), i % 3, rng) for i, r in enumerate(rows)
    ]
    fresh = draw(args.queries - n_db, np.random.default_rng(args.seed + 1), freqs)
    queries += [row_profile(fresh, i, f"N{i}") for i in range(args.queries - n_db)]
    order = rng.permutation(len(queries))
    queries = [queries[i] for i in order]
    del columns, fresh
    gc.collect()
    print(
        f"memory: index arrays {index.nbytes / 2**20:,.0f} MiB; process RSS "
        f"{status_mb('VmRSS'):,.0f} MiB, peak {status_mb('VmHWM'):,.0f} MiB"
    )

    searched, found, candidates = [], 0, []
    for q in queries:
        t = time.perf_counter()
        found += len(index.search(q))
        searched.append(time.perf_counter() - t)
        rows_seen = index.candidates(q)
        candidates.append(len(index) if rows_seen is None else len(rows_seen))
    scanned, agree = [], True
    for q in queries[: args.scan_queries]:
        t = time.perf_counter()
        by_scan = index.scan(q)
        scanned.append(time.perf_counter() - t)
        agree &= keyed(by_scan) == keyed(index.search(q))
    s50, s99 = percentiles(searched)
    c50, c99 = percentiles(scanned)
    loci_per_query = np.mean([len(q.typed_loci()) for q in queries[: args.scan_queries]])
    scan_bytes = loci_per_query * len(index) * index.codes.itemsize
    db_bytes = index.codes.nbytes
    print()
    print(f"single-profile search, one core ({args.queries} index / {len(scanned)} scan queries)")
    print("| method | p50 ms | p99 ms | rows verified (median) | bytes/s |")
    print("|---|---|---|---|---|")
    print(
        f"| block index | {s50:.2f} | {s99:.2f} | {int(np.median(candidates)):,} | "
        f"{db_bytes / (s50 / 1e3) / 1e9:.0f} GB/s equivalent (sublinear) |"
    )
    print(
        f"| vectorised NumPy scan | {c50:.1f} | {c99:.1f} | {len(index):,} | "
        f"{scan_bytes / (c50 / 1e3) / 1e9:.2f} GB/s read "
        f"({scan_bytes / (c50 / 1e3) / bandwidth:.0%} of copy bandwidth) |"
    )
    complete = np.array([set(rules.ESS.loci) <= set(q.typed_loci()) for q in queries])
    times = np.array(searched)
    for label, mask in (("profiles with the full ESS", complete), ("partial stains", ~complete)):
        if mask.any():
            p50, p99 = percentiles(list(times[mask]))
            print(
                f"| block index, {label} ({mask.sum()}) | {p50:.2f} | {p99:.2f} | "
                f"{int(np.median(np.array(candidates)[mask])):,} | |"
            )
    over = int(np.sum(times > 0.020))
    print(f"searches over 20 ms: {over} of {len(times)}")
    print(f"matches found: {found}; scan and index agree on the scanned queries: {agree}")
    print(f"speed-up of the index over the scan at p50: {c50 / s50:.0f}x")

    if args.bulk:
        brng = np.random.default_rng(args.seed + 2)
        side = draw(args.bulk, brng, freqs)
        bulk = [row_profile(side, i, f"BE{i}") for i in range(args.bulk)]
        for i in brng.choice(args.bulk, args.bulk // 100, replace=False):
            source = int(brng.integers(0, len(index)))
            bulk[int(i)] = row_profile_from_index(index, source, f"BE{i}")
        del side
        t, before = time.perf_counter(), os.times()
        pairs = compare_databases(bulk, index, workers=args.workers)
        took, after = time.perf_counter() - t, os.times()
        cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system"))
        cpu += sum(
            getattr(after, f) - getattr(before, f) for f in ("children_user", "children_system")
        )
        print()
        print(
            f"bulk: {args.bulk:,} against {len(index):,} on {args.workers} processes: "
            f"{took:.0f} s ({took / 60:.1f} min), {len(pairs):,} matching pairs, "
            f"{took / args.bulk * 1e3 * args.workers:.2f} ms per profile per process"
        )
        print(
            f"bulk CPU time {cpu:.0f} s ({cpu / args.bulk * 1e3:.2f} ms per profile): "
            f"{cpu / args.workers / 60:.1f} min on {args.workers} otherwise idle cores"
        )
    print(f"peak RSS {status_mb('VmHWM'):,.0f} MiB")


def row_profile_from_index(index: ProfileIndex, row: int, profile_id: str) -> Profile:
    """Rebuild a database profile from the encoded index (to plant true matches)."""
    loci = {}
    for i, locus in enumerate(index.loci):
        code = int(index.codes[i, row])
        if code:
            a, b = locus.alleles[locus.gt1[code]], locus.alleles[locus.gt2[code]]
            loci[locus.name] = [a.value, b.value]
    return make_profile(profile_id, loci)


if __name__ == "__main__":
    main()
