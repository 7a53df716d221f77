"""Financing: the money-flow rules on synthetic transfers with planted typologies, each
rule's recall and precision, beside the same queries in DuckDB SQL (the baseline's time).

Background traffic: random transfers among ``accounts`` accounts over a year. Planted:
``--plants`` of each of fan-in (12 senders to one account in a day), structuring (3 payments
between 12,000 and 15,000 in a week), round trips (A->B->C->A in days) and quick chains (four
transfers an hour apart, amounts shrinking). A planted pattern is found when a finding of its
rule names its accounts. Goal (issue #23): 10 million transfers, recall >= 0.95 per rule,
< 5 minutes on 2 cores (``--full``).

Run: ``.venv/bin/python benchmarks/financing_flows.py [--transfers 200000] [--plants 50]
[--full]``
"""

from __future__ import annotations

import argparse
import time

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from passerelle.financing.service.columns import select
from passerelle.financing.service.flows import DAY, Draft, Edge, _rules, detect_columns

T0 = 1_767_225_600.0  # 2026-01-01


Columns = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]


def generate(n: int, plants: int, seed: int = 5) -> tuple[Columns, list[str], dict[str, set[str]]]:
    """Transfers as columns (account codes, amounts, times), the account of each code, and the
    accounts of each planted pattern by rule."""
    rng = np.random.default_rng(seed)
    accounts = max(1000, n // 5)
    names = [f"A{i}" for i in range(accounts)]
    planted: list[Edge] = []
    truth: dict[str, set[str]] = {r: set() for r in ("fan_in", "structuring", "round_trip",
                                                    "quick_chain")}  # fmt: skip
    for p in range(plants):
        at = T0 + float(rng.random()) * 330 * DAY
        hub = f"HUB{p}"
        planted += [Edge(f"DON{p}-{i}", hub, 40.0 + i, at + i * 600) for i in range(12)]
        truth["fan_in"].add(hub)
        s = f"STR{p}"
        planted += [Edge(s, f"STRT{p}-{i}", 12_500.0 + 500 * i, at + i * DAY) for i in range(3)]
        truth["structuring"].add(s)
        a, b, c = f"RTA{p}", f"RTB{p}", f"RTC{p}"
        planted += [Edge(a, b, 5000.0, at), Edge(b, c, 4900.0, at + DAY),
                    Edge(c, a, 4800.0, at + 2 * DAY)]  # fmt: skip
        truth["round_trip"].add(a)
        chain = [f"QC{p}-{i}" for i in range(5)]
        planted += [Edge(chain[i], chain[i + 1], 9000.0 - 100 * i, at + i * 3600)
                    for i in range(4)]  # fmt: skip
        truth["quick_chain"].add(chain[0])
    code = {name: i for i, name in enumerate(names)}
    for e in planted:
        for name in (e.src, e.dst):
            if name not in code:
                code[name] = len(names)
                names.append(name)
    src = np.concatenate([rng.integers(0, accounts, n), [code[e.src] for e in planted]])
    dst = np.concatenate([rng.integers(0, accounts, n), [code[e.dst] for e in planted]])
    amount = np.concatenate([np.round(rng.lognormal(5, 1.2, n), 2), [e.amount for e in planted]])
    at = np.concatenate([T0 + rng.random(n) * 365 * DAY, [e.at for e in planted]])
    order = rng.permutation(len(src))
    cols = (src[order].astype(np.int64), dst[order].astype(np.int64), amount[order], at[order])
    return cols, names, truth


def _report(drafts: list[Draft], truth: dict[str, set[str]]) -> None:
    for rule, planted in truth.items():
        found = [d for d in drafts if d.rule == rule]
        hit = {a for d in found for a in d.accounts if a in planted}
        useful = [d for d in found if set(d.accounts) & planted]
        precision = len(useful) / len(found) if found else 1.0
        print(f"    {rule:12s} recall {len(hit) / len(planted):.3f}  precision {precision:.3f}"
              f"  ({len(found)} findings)")  # fmt: skip


def ours(cols: Columns, names: list[str], truth: dict[str, set[str]], python: bool) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    kept = int(select(*cols).sum())
    drafts = detect_columns(*cols, names)
    elapsed, used = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  passerelle (columnar selection + rules on the {kept} transfers kept): "
          f"{elapsed:.1f} s wall, {used:.1f} s CPU, {len(drafts)} findings")  # fmt: skip
    _report(drafts, truth)
    if python:
        src, dst, amount, at = cols
        edges = [Edge(names[s], names[d], a, t) for s, d, a, t in zip(
            src.tolist(), dst.tolist(), amount.tolist(), at.tolist(), strict=True)]  # fmt: skip
        t0 = time.perf_counter()
        everything = _rules(edges)
        print(
            f"  the rules alone over every transfer (Python, 1 core): "
            f"{time.perf_counter() - t0:.1f} s, {len(everything)} findings; same findings: "
            f"{sorted(d.signature for d in everything) == sorted(d.signature for d in drafts)}"
        )


SQL = {
    "fan_in": """select dst, count(distinct src) n from t
        group by dst, floor(ts / (30*86400)) having count(distinct src) >= 10""",
    "structuring": """select src from t where amount >= 12000 and amount < 15000
        group by src, floor(ts / (30*86400)) having count(*) >= 3 and sum(amount) > 15000""",
    "round_trip": """select distinct a.src from t a join t b on b.src = a.dst and b.ts > a.ts
        and b.ts < a.ts + 30*86400 join t c on c.src = b.dst and c.ts > b.ts
        and c.dst = a.src and c.ts < a.ts + 30*86400 where a.src <> b.dst""",
    "quick_chain": """select distinct a.src from t a join t b on b.src = a.dst
        and b.ts > a.ts and b.ts <= a.ts + 86400 and b.amount between 0.8*a.amount and a.amount
        join t c on c.src = b.dst and c.ts > b.ts and c.ts <= b.ts + 86400
        and c.amount between 0.8*b.amount and b.amount""",
}


def baseline(cols: Columns, names: list[str], truth: dict[str, set[str]]) -> None:
    con = duckdb.connect()
    con.execute("set threads to 2")
    src, dst, amount, at = cols
    table = pa.table({"src": src, "dst": dst, "amount": amount, "ts": at})
    con.register("t", table)
    total = 0.0
    for rule, query in SQL.items():
        t0 = time.perf_counter()
        rows = con.execute(query).fetchall()
        elapsed = time.perf_counter() - t0
        total += elapsed
        found = {names[r[0]] for r in rows}
        planted = truth[rule]
        precision = len(found & planted) / len(found) if found else 1.0
        print(f"    {rule:12s} recall {len(found & planted) / len(planted):.3f}  precision "
              f"{precision:.3f}  ({len(found)} rows, {elapsed:.2f} s)")  # fmt: skip
    print(f"  DuckDB SQL (2 threads): {total:.1f} s for the four queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--plants", type=int, default=50)
    parser.add_argument("--full", action="store_true", help="10 million transfers")
    parser.add_argument(
        "--python",
        action="store_true",
        help="also the rules alone over every transfer (small sizes)",
    )
    args = parser.parse_args()
    if args.full:
        args.transfers = 10_000_000
    t0 = time.perf_counter()
    cols, names, truth = generate(args.transfers, args.plants)
    print(f"flows: {len(cols[0])} transfers, {args.plants} planted patterns per rule "
          f"(generated in {time.perf_counter() - t0:.1f} s)")  # fmt: skip
    ours(cols, names, truth, args.python)
    baseline(cols, names, truth)


if __name__ == "__main__":
    main()
