"""Bulk screening: DuckDB vs Spark (local) vs Splink (DuckDB backend), side by side in one run.

Usage::

    .venv/bin/python benchmarks/bulk_screen.py [--records 3000000] [--watchlist 1000000]
        [--labelled 20000] [--engines duckdb,spark,splink] [--spark-master local[2]]
        [--partition-rows 100000] [--workers 1] [--data DIR]

Data (synthetic, reproducible): a pool of people from ``passerelle.synth`` (French, Belgian,
Arabic and Russian names); watchlist entries and records recombine given names, family names,
dates and documents from the pool (so millions of rows cost seconds, with realistic name
frequencies); watchlist entries are written in Latin script. The *labelled part* of the records:
``labelled / 2`` noisy variants of watchlist people (typos, spelling variants, swapped fields,
missing middle names, partial dates, OCR-damaged documents, original script) and
``labelled / 2`` fresh people who are on no list. F1 is computed on that part only.

Each engine runs in its own process; the parent samples the memory of that process and all its
children (Spark's JVM and Python workers included; PSS, so shared pages count once) for the
peak. Passerelle's engines
must write identical files; the run checks it. Splink links the same two files with a
comparable blocking (surname + first initial, given name + birth year, document number) and a
model trained without labels (u by random sampling, m by EM).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

COLUMNS = (
    "id",
    "given_names",
    "family_name",
    "date_of_birth",
    "gender",
    "nationality",
    "document_number",
    "document_country",
)


def _mix(pool: list[Any], rng: random.Random, new_id: str, locales: int) -> Any:
    a = rng.randrange(len(pool))
    b = (a + locales * rng.randrange(1, 50)) % len(pool)  # same locale: pool cycles locales
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(24_000))
    document = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", k=9))
    return dataclasses.replace(
        pool[a],
        id=new_id,
        family_name=pool[b].family_name,
        date_of_birth=born.isoformat(),
        document_number=document,
    )


def _write(path: Path, people: list[Any]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for p in people:
            writer.writerow([getattr(p, c) for c in COLUMNS])


def make_data(args: argparse.Namespace, data: Path) -> None:
    from passerelle.synth.people import DEFAULT_LOCALES, generate_people, latin_form, noisy_variant

    marker = data / "sizes.json"
    sizes = {"records": args.records, "watchlist": args.watchlist, "labelled": args.labelled}
    if marker.exists() and json.loads(marker.read_text()) == sizes:
        return
    data.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    rng = random.Random(17)
    pool = generate_people(60_000, seed=8)
    n_loc = len(DEFAULT_LOCALES)
    originals = [_mix(pool, rng, f"W{i:08d}", n_loc) for i in range(args.watchlist)]
    _write(data / "watchlist.csv", [latin_form(p, rng) for p in originals])
    half = args.labelled // 2
    truth = []
    records = []
    for i in range(half):
        entry = originals[rng.randrange(len(originals))]
        rid = f"RM{i:08d}"
        records.append(noisy_variant(entry, rng, rid))
        truth.append((rid, entry.id))
    records += [_mix(pool, rng, f"RF{i:08d}", n_loc) for i in range(half)]
    records += [_mix(pool, rng, f"RU{i:08d}", n_loc) for i in range(args.records - 2 * half)]
    rng.shuffle(records)
    _write(data / "records.csv", records)
    with (data / "truth.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(truth)
    marker.write_text(json.dumps(sizes))
    took = time.perf_counter() - t
    print(f"data: {args.records:,} records, {args.watchlist:,} entries in {took:.0f} s")


# ------------------------------------------------------------------ children (one per engine)


def child_passerelle(args: argparse.Namespace, data: Path, out: Path) -> dict[str, Any]:
    from passerelle.bulk import screen_job
    from passerelle.settings import Settings

    started = time.perf_counter()

    def log(index: int) -> None:
        # Per-partition timings on stderr: the steady state shows apart from preparation.
        took = time.perf_counter() - started
        print(f"{args.child}: partition {index} done at {took:.0f} s", file=sys.stderr, flush=True)

    report = screen_job(
        data / "watchlist.csv",
        data / "records.csv",
        out,
        threshold=args.threshold,
        engine=args.child,
        settings=Settings(spark_master=args.spark_master),
        job_dir=out.with_suffix(".job"),
        partition_rows=args.partition_rows,
        workers=args.workers,
        on_partition=log,
    )
    return {"hits": report.rows, "partitions": report.partitions}


def child_splink(args: argparse.Namespace, data: Path, out: Path) -> dict[str, Any]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    tables = []
    for name in ("watchlist", "records"):
        path = str(data / f"{name}.csv")
        rel = con.sql(
            f"""SELECT id AS unique_id, lower(given_names) AS given_names,
                lower(family_name) AS family_name,
                CASE WHEN length(date_of_birth) = 10 THEN date_of_birth END AS date_of_birth,
                substr(date_of_birth, 1, 4) AS birth_year, nationality, document_number
            FROM read_csv('{path}', all_varchar = true)"""
        )
        tables.append(db_api.register(rel.to_arrow_table(), table_name=name))
    settings = SettingsCreator(
        link_type="link_only",
        # Prior: about one record in a thousand is a listed person (the planted share is
        # close to it); Splink's deterministic estimate needs a source-dataset column.
        probability_two_random_records_match=1 / (1000 * args.watchlist),
        comparisons=[
            cl.ForenameSurnameComparison("given_names", "family_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("nationality"),
            cl.LevenshteinAtThresholds("document_number", 2),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "substr(given_names, 1, 1)"),
            block_on("given_names", "birth_year"),
            block_on("document_number"),
        ],
    )
    linker = Linker(tables, settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    # EM on pairs sharing a date of birth and a nationality (the date alone gives ~125 million
    # training pairs at 3 M x 1 M); nationality's m values come from the second EM pass.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth", "nationality")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("family_name", "given_names")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    table = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability")
    table.write_csv(str(out))
    return {"hits": int(table.count("*").fetchone()[0])}


# ------------------------------------------------------------------------ parent: measuring


def _tree_rss(pid: int, cpu: dict[int, float]) -> int:
    """Memory of a process and its descendants, shared pages counted once (proportional set
    size: forked workers sharing an index count it once, not once each); updates ``cpu``
    (pid → CPU seconds)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            try:
                total += p.memory_full_info().pss
            except (AttributeError, psutil.AccessDenied):
                total += p.memory_info().rss
            times = p.cpu_times()
            cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
    return total


def run_child(args: argparse.Namespace, engine: str, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", engine, "--data", str(args.data), "--out", str(out)]
    cmd += ["--threshold", str(args.threshold), "--spark-master", args.spark_master]
    cmd += ["--partition-rows", str(args.partition_rows), "--workers", str(args.workers)]
    cmd += ["--watchlist", str(args.watchlist)]
    return measure(cmd, engine)


def measure(cmd: list[str], engine: str) -> dict[str, Any]:
    """Run ``cmd`` (which prints a JSON line last); wall time and peak memory (PSS) of its tree."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak = 0
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid, cpu))
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    stop.set()
    sampler.join()
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        return {"engine": engine, "error": f"exit {proc.returncode}", "seconds": elapsed}
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    # CPU seconds of the whole tree (sampled): the work, whatever the machine's contention.
    result.update(engine=engine, seconds=elapsed, peak_mib=peak / 2**20, cpu_s=sum(cpu.values()))
    return result


def f1(
    pairs: set[tuple[str, str]], truth: set[tuple[str, str]], labelled: set[str]
) -> tuple[float, float, float]:
    predicted = {p for p in pairs if p[0] in labelled}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def pairs_of(engine: str, out: Path, min_probability: float = 0.0) -> set[tuple[str, str]]:
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    if engine != "splink":
        return {(r[0], r[1]) for r in rows}
    found = set()
    for left, right, probability in rows:
        if float(probability) >= min_probability:
            found.add((left, right) if left.startswith("R") else (right, left))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3_000_000)
    parser.add_argument("--watchlist", type=int, default=1_000_000)
    parser.add_argument("--labelled", type=int, default=20_000)
    parser.add_argument("--engines", default="duckdb,spark,splink")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--partition-rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="DuckDB scoring processes")
    parser.add_argument("--threshold", type=float, default=0.85)
    parser.add_argument("--data", type=Path, default=Path("/tmp/passerelle-bulk-bench"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run = child_splink if args.child == "splink" else child_passerelle
        print(json.dumps(run(args, args.data, args.out)))
        return

    print(f"# Bulk screening benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    make_data(args, args.data)
    truth = set(map(tuple, csv.reader((args.data / "truth.csv").open())))
    labelled = {r for r, _ in truth}
    with (args.data / "records.csv").open() as handle:
        labelled |= {line.split(",", 1)[0] for line in handle if line.startswith("RF")}
    results = []
    for engine in args.engines.split(","):
        out = args.data / f"out-{engine}.csv"
        result = run_child(args, engine, out)
        if "error" not in result:
            if engine == "splink":
                for p in (0.5, 0.9, 0.99):
                    result[f"f1@{p}"] = f1(pairs_of(engine, out, p), truth, labelled)
            else:
                result["f1"] = f1(pairs_of(engine, out), truth, labelled)
        results.append(result)
        print(json.dumps(result), flush=True)
    outputs = [args.data / f"out-{e}.csv" for e in args.engines.split(",") if e != "splink"]
    outputs = [o for o in outputs if o.exists()]
    if len(outputs) > 1:
        same = len({o.read_bytes() for o in outputs}) == 1
        print(f"passerelle engines wrote identical files: {same}")
    print()
    print(f"{args.records:,} records vs {args.watchlist:,} entries, threshold {args.threshold}")
    print("| engine | time s | CPU s | records/s | peak MiB | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            print(
                f"| {r['engine']} | failed ({r['error']}) after {r['seconds']:.0f} s | | | | | | |"
            )
            continue
        scores = (
            [("", r["f1"])] if "f1" in r else [(f" p≥{p}", r[f"f1@{p}"]) for p in (0.5, 0.9, 0.99)]
        )
        for label, (p, rc, f) in scores:
            print(
                f"| {r['engine']}{label} | {r['seconds']:.0f} | {r['cpu_s']:.0f}"
                f" | {args.records / r['seconds']:,.0f}"
                f" | {r['peak_mib']:,.0f} | {p:.3f} | {rc:.3f} | {f:.3f} |"
            )


if __name__ == "__main__":
    main()
