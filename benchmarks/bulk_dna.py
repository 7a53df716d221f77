"""Bulk DNA comparison: A (e.g. 130,000 profiles) against B (e.g. 7,400,000) on each engine.

Usage::

    .venv/bin/python benchmarks/bulk_dna.py [--a-size 130000] [--b-size 7400000]
        [--engines duckdb,spark] [--spark-master local[2]] [--partition-rows 20000]

Data as ``benchmarks/dna_search.py`` draws it (real European allele frequencies, 60 % 21-locus,
30 % 15-locus, 10 % degraded stains, rare undesignated alleles). B is written straight from the
synthetic columns to the job's wide Parquet dataset (no Profile object per row); A are fresh
profiles of which 1 % are planted copies of B rows (unchanged, one allele off, or a
microvariant neighbour). Each engine runs in its own process (peak memory of the process tree,
JVM and Python workers included); both must write identical files. ``--a-size`` smaller than
130,000 measures a sample; the time per profile of A extrapolates linearly (each profile of A
is one independent index search).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bulk_screen import measure


def prepare(args: argparse.Namespace) -> Path:
    from dna_search import draw, row_profile, variant
    from passerelle.dna.stats import load_population
    from passerelle.dna.wide import write_columns, write_wide

    data: Path = args.data
    marker = data / "sizes.json"
    sizes = {"a": args.a_size, "b": args.b_size}
    if marker.exists() and json.loads(marker.read_text()) == sizes:
        return data
    data.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    rng = np.random.default_rng(7)
    freqs = {k: dict(v) for k, v in load_population("europe").frequencies.items()}
    columns = draw(args.b_size, rng, freqs)
    loci = sorted(columns)
    ids = [f"BE{i:09d}" for i in range(args.b_size)]
    write_columns(ids, columns, loci, data / "b")
    a_cols = draw(args.a_size, rng, freqs)
    queries = [row_profile(a_cols, i, f"FR{i:09d}") for i in range(args.a_size)]
    planted = rng.choice(args.a_size, size=max(1, args.a_size // 100), replace=False)
    for k, i in enumerate(planted.tolist()):
        source = row_profile(columns, int(rng.integers(args.b_size)), f"FR{i:09d}")
        queries[i] = variant(source, k % 3, rng)
    write_wide(queries, loci, data / "a")
    marker.write_text(json.dumps(sizes))
    (data / "loci.json").write_text(json.dumps(loci))
    print(f"data: B {args.b_size:,}, A {args.a_size:,} written in {time.perf_counter() - t:.0f} s")
    return data


def child(args: argparse.Namespace) -> dict[str, Any]:
    from passerelle.bulk.jobs import JobDir
    from passerelle.dna.bulk_compare import compare_prepared
    from passerelle.settings import Settings

    data: Path = args.data
    job_path = data / f"job-{args.child}"
    job = JobDir(job_path, "dna-bench", [], {"partition_rows": args.partition_rows})
    for side in ("a", "b"):
        if not (job_path / side).exists():
            os.symlink(data / side, job_path / side)
    loci = json.loads((data / "loci.json").read_text())
    report = compare_prepared(
        job,
        args.a_size,
        loci,
        args.out,
        engine=args.child,
        settings=Settings(spark_master=args.spark_master),
        partition_rows=args.partition_rows,
        workers=args.workers,
    )
    return {"matches": report.rows, "partitions": report.partitions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a-size", type=int, default=130_000)
    parser.add_argument("--b-size", type=int, default=7_400_000)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--partition-rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="DuckDB mapping processes")
    parser.add_argument("--data", type=Path, default=Path("/tmp/passerelle-bulk-dna"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    print(f"# Bulk DNA benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    prepare(args)
    results = []
    for engine in args.engines.split(","):
        out = args.data / f"out-{engine}.csv"
        cmd = [sys.executable, __file__, "--child", engine, "--data", str(args.data)]
        cmd += ["--out", str(out), "--a-size", str(args.a_size), "--b-size", str(args.b_size)]
        cmd += ["--spark-master", args.spark_master, "--workers", str(args.workers)]
        cmd += ["--partition-rows", str(args.partition_rows)]
        result = measure(cmd, engine)
        results.append(result)
        print(json.dumps(result), flush=True)
    outs = [args.data / f"out-{e}.csv" for e in args.engines.split(",")]
    outs = [o for o in outs if o.exists()]
    print(f"engines wrote identical files: {len({o.read_bytes() for o in outs}) == 1}")
    print()
    print(f"A {args.a_size:,} vs B {args.b_size:,} profiles")
    print(
        "| engine | time s | CPU s | profiles of A/s | peak MiB | matches | 130,000 extrapolated |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            print(f"| {r['engine']} | failed ({r['error']}) after {r['seconds']:.0f} s | | | | | |")
            continue
        rate = args.a_size / r["seconds"]
        print(
            f"| {r['engine']} | {r['seconds']:.0f} | {r['cpu_s']:.0f} | {rate:,.0f}"
            f" | {r['peak_mib']:,.0f}"
            f" | {r['matches']:,} | {130_000 / rate / 60:.0f} min |"
        )


if __name__ == "__main__":
    main()
