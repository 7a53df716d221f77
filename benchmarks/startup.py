"""Start-up time of the ``passerelle`` command, next to a bare ``python -c pass``.

Run: ``.venv/bin/python benchmarks/startup.py [--runs 5]``

Each command runs ``--runs`` times as a fresh process; the median wall-clock time and the
median CPU time (user + system of the child) are printed. Goals (issue #17): ``passerelle
--help`` and every subcommand's ``--help`` under 0.5 s; ``passerelle screen`` on a one-row file
under 1 s. On a shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
#: Subcommands whose ``--help`` is timed: the node's own and one per installed package.
SUBCOMMANDS = [
    ["demo"], ["user", "add"], ["serve"], ["retention"], ["screen"], ["alerts"], ["dna"],
    ["pnr"], ["bulk", "screen"], ["peers"], ["crisis"], ["precursors"],
]  # fmt: skip


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "w.csv").write_text("id,full_name\nW1,Jean Dupont\n", encoding="utf-8")
        (folder / "r.csv").write_text("id,full_name\nR1,Jean Dupond\n", encoding="utf-8")
        screen = [
            str(BIN / "passerelle"), "screen", "--watchlist", str(folder / "w.csv"),
            "--records", str(folder / "r.csv"), "--out", str(folder / "hits.csv"),
        ]  # fmt: skip
        exe = str(BIN / "passerelle")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "passerelle --help": [exe, "--help"],
            **{f"passerelle {' '.join(c)} --help": [exe, *c, "--help"] for c in SUBCOMMANDS},
            "passerelle screen (1 row)": screen,
        }
        load = os.getloadavg()[0]
        print(f"Start-up, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {args.runs} runs each, "
              f"load average {load:.1f}\n")  # fmt: skip
        print("| command | median wall | median CPU | goal |")
        print("|---|---|---|---|")
        for name, argv in commands.items():
            wall, cpu = measure(argv, args.runs)
            goal = "" if name.startswith("python") else "< 0.5 s" if "help" in name else "< 1 s"
            print(f"| `{name}` | {wall:.2f} s | {cpu:.2f} s | {goal} |")


if __name__ == "__main__":
    main()
