"""Index build: the same entries filed one by one and in bulk, side by side in one process.

Run:
    .venv/bin/python benchmarks/identity_build.py --entries 200000 --rounds 2

Prints the CPU time of each way of filing per round (name caches warmed first, garbage
collector off as in ``identity_perf.py``), and the load average before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import time

from identity_perf import _record, _watchlist_people
from passerelle.identity import Watchlist, prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    records = [_record(p) for p in _watchlist_people(args.entries, args.seed)]
    for r in records:  # warm the name caches so that both ways start alike
        prepare(r)
    gc.collect()
    gc.disable()
    print(f"{args.entries:,} entries; load average {os.getloadavg()[0]:.1f}")
    for n in range(args.rounds):
        c = time.process_time()
        one_by_one = Watchlist()
        for r in records:
            one_by_one.add(r)
        single_s = time.process_time() - c
        del one_by_one
        gc.collect()
        c = time.process_time()
        bulk = Watchlist(records)
        bulk_s = time.process_time() - c
        del bulk
        gc.collect()
        print(f"- round {n}: one by one {single_s:.1f} s CPU, bulk {bulk_s:.1f} s CPU")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
