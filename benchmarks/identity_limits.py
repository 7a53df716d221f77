"""Candidate limits of the identity index: speed and listed people found, side by side.

Run:
    .venv/bin/python benchmarks/identity_limits.py --entries 200000 --queries 1000 \
        --variant 1000:40 --variant 2000:64

For each ``POSTING_CAP:CANDIDATE_LIMIT`` variant, screens the same records (half noisy variants
of listed people, half people not on the list, all scripts, as ``identity_perf.py``) against
one index and prints the CPU time per record (p50/p90/p99) and how many listed people were
found among their own record's matches.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

from identity_perf import LOCALES, _record, _watchlist_people, percentile
from passerelle.identity import Watchlist, prepare, rules, screen_features
from passerelle.synth import generate_people, noisy_variant


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--variant", action="append", default=[], help="POSTING_CAP:LIMIT")
    args = parser.parse_args()
    variants = [tuple(int(x) for x in v.split(":")) for v in args.variant or ["1000:40"]]
    people = _watchlist_people(args.entries, args.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    watchlist = Watchlist(_record(p) for p in people)
    print(
        f"{args.entries:,} entries: build {time.perf_counter() - t0:.1f} s wall, "
        f"{time.process_time() - c0:.1f} s CPU (incl. making the records)"
    )
    gc.collect()
    gc.freeze()
    rng = random.Random(args.seed + 14)
    absent = generate_people(args.queries, seed=args.seed + 1014, locales=LOCALES)
    queries = []
    for i in range(args.queries):
        if i % 2 == 0:
            p = rng.choice(people)
            queries.append((prepare(_record(noisy_variant(p, rng, f"q{i}"))), p.id))
        else:
            queries.append((prepare(_record(absent[i], f"q{i}")), None))
    listed = sum(truth is not None for _, truth in queries)
    for cap, limit in variants:
        rules.POSTING_CAP = cap
        cpu: list[float] = []
        found = hits = 0
        for features, truth in queries:
            t = time.thread_time()
            matches = screen_features(features, watchlist, rules.DEFAULT_THRESHOLD, limit)
            cpu.append((time.thread_time() - t) * 1e3)
            ids = [m.entry_id for m in matches]
            hits += len(ids)
            found += truth in ids
        print(
            f"- cap {cap}, limit {limit}: CPU p50 {percentile(cpu, 0.5):.2f} ms, "
            f"p90 {percentile(cpu, 0.9):.2f} ms, p99 {percentile(cpu, 0.99):.2f} ms; "
            f"listed people found {found}/{listed}; matches {hits}",
            flush=True,
        )


if __name__ == "__main__":
    main()
