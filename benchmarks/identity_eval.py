"""Identity quality on real list names (names-dev), three engines side by side in one run.

Run: ``.venv/bin/python benchmarks/identity_eval.py [--names-dev PATH] [--absent 50000]``
(needs the ``bench`` dependency group: nomenklatura, anyascii). The synthetic regression suite
is ``benchmarks/identity_synthetic.py``.

names-dev (``../shared/data/names-dev`` relative to the repository by default, read in place,
never copied: see its README) holds Latin-script list entries, the same people written in Arabic
or Cyrillic script, and people of the same lists who are not on the watchlist. Engines:

* passerelle: the index and scorer of ``passerelle.identity``;
* nomenklatura ``logic-v2`` (match threshold 0.7, its yente default), scoring the union of our
  index's candidates and the baseline's 10 best entries (it has no index of its own here);
* the naive baseline: ``anyascii`` then ``rapidfuzz.fuzz.token_sort_ratio`` ≥ 85 over the whole
  watchlist (names only: it ignores dates).

Measures, per engine and set, names only and with dates of birth:
* top-1: share of listed records whose best hit at the threshold is an entry of their person;
* false-positive rate: share of absent records with any hit at the threshold;
* a threshold sweep and the precision/recall curve (all records pooled: precision = correct
  top-1 hits / records with a hit);
* the perturbation set: every UN primary entry of the watchlist rewritten with one typo,
  re-ordered parts half the time and drifted dates (recall: any hit of the right person),
  among ``--absent`` synthetic people not on the list (false-positive rate: any hit).

``--failures FILE`` writes our misses and false positives there (keep it out of the repository:
it holds real names).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from passerelle.identity import DEFAULT_THRESHOLD, PersonRecord, Watchlist, prepare, screen_features

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NAMES_DEV = ROOT.parent / "shared" / "data" / "names-dev"
FLOOR = 0.5  # lowest score kept per engine, so that one run gives the whole sweep
LOGIC_V2_THRESHOLD = 0.7
BASELINE_THRESHOLD = 0.85
SETS = ("arabic", "cyrillic", "arabic-absent", "cyrillic-absent", "latin-absent")
SWEEP = tuple(round(0.6 + 0.02 * k, 2) for k in range(20))

Hits = list[tuple[str, float]]  # (entry id, score), best first
Screen = Callable[[PersonRecord], Hits]


@dataclass
class Data:
    watchlist: list[PersonRecord]
    records: list[PersonRecord]
    truth: dict[str, tuple[str, str]]  # record id -> (person id, set)


def person_of(entry_id: str) -> str:
    return entry_id.split("~", 1)[0]


def _people(path: Path, dob: bool) -> list[PersonRecord]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            PersonRecord(
                row["id"],
                full_name=row["full_name"],
                date_of_birth=(row.get("date_of_birth") or None) if dob else None,
            )
            for row in csv.DictReader(handle)
        ]


def load(folder: Path, dob: bool) -> Data:
    suffix = "_dob" if dob else ""
    with (folder / "truth.csv").open(newline="", encoding="utf-8") as handle:
        truth = {r["record_id"]: (r["person_id"], r["set"]) for r in csv.DictReader(handle)}
    return Data(
        _people(folder / f"watchlist{suffix}.csv", dob),
        _people(folder / f"records{suffix}.csv", dob),
        truth,
    )


# --- Engines ---------------------------------------------------------------------------------


def passerelle_engine(watchlist: Sequence[PersonRecord]) -> tuple[Screen, Watchlist]:
    index = Watchlist()
    for entry in watchlist:
        index.add(entry, replace=True)

    def run(record: PersonRecord) -> Hits:
        return [(m.entry_id, m.score) for m in screen_features(prepare(record), index, FLOOR)]

    return run, index


class Baseline:
    """anyascii + token_sort_ratio over the whole watchlist (brute force, rapidfuzz's C loop)."""

    def __init__(self, watchlist: Sequence[PersonRecord]) -> None:
        from anyascii import anyascii
        from rapidfuzz import fuzz, process, utils

        self._fold = lambda s: utils.default_process(anyascii(s))
        self._ids = [e.id for e in watchlist]
        self._names = [self._fold(e.display_name) for e in watchlist]
        self._extract = process.extract
        self._scorer = fuzz.token_sort_ratio

    def top(self, record: PersonRecord, limit: int, cutoff: float) -> Hits:
        found = self._extract(
            self._fold(record.display_name),
            self._names,
            scorer=self._scorer,
            processor=None,
            limit=limit,
            score_cutoff=cutoff * 100,
        )
        return [(self._ids[k], score / 100) for _, score, k in found]

    def __call__(self, record: PersonRecord) -> Hits:
        return self.top(record, 20, FLOOR)


def logic_v2_engine(
    watchlist: Sequence[PersonRecord], index: Watchlist, baseline: Baseline
) -> Screen:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig.defaults()

    def entity(r: PersonRecord):  # type: ignore[no-untyped-def]
        e = model.make_entity("Person")
        e.id = r.id
        e.add("name", r.display_name)
        if r.date_of_birth:
            e.add("birthDate", r.date_of_birth)
        return e

    entities = {e.id: entity(e) for e in watchlist}

    def run(record: PersonRecord) -> Hits:
        query = entity(record)
        ids = [index.record(s).id for s in index.candidates(prepare(record))]  # type: ignore[union-attr]
        ids += [i for i, _ in baseline.top(record, 10, 0.0)]
        hits = []
        for entry_id in dict.fromkeys(ids):
            score = float(algorithm.compare(query, entities[entry_id], config).score)
            if score >= FLOOR:
                hits.append((entry_id, score))
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits

    return run


# --- Measures --------------------------------------------------------------------------------


@dataclass
class Outcome:
    best: dict[str, tuple[str, float] | None] = field(default_factory=dict)  # record -> top hit
    right: dict[str, float] = field(default_factory=dict)  # record -> best right-person score
    seconds: float = 0.0


def run_engine(
    screen: Screen, records: Sequence[PersonRecord], person: Callable[[str], str]
) -> Outcome:
    out = Outcome()
    t0 = time.perf_counter()
    for r in records:
        hits = screen(r)
        out.best[r.id] = hits[0] if hits else None
        want = person(r.id)
        out.right[r.id] = max((s for e, s in hits if person_of(e) == want), default=0.0)
    out.seconds = time.perf_counter() - t0
    return out


def rates(out: Outcome, data: Data, threshold: float) -> dict[str, float]:
    counts = {s: [0, 0] for s in SETS}
    for rid, (pid, kind) in data.truth.items():
        best = out.best.get(rid)
        hit = best is not None and best[1] >= threshold
        good = hit and person_of(best[0]) == pid if kind in ("arabic", "cyrillic") else hit  # type: ignore[index]
        counts[kind][0] += bool(good)
        counts[kind][1] += 1
    return {s: (c[0] / c[1] if c[1] else float("nan")) for s, c in counts.items()}


def pr_point(out: Outcome, data: Data, threshold: float) -> tuple[float, float]:
    correct = with_hit = listed = 0
    for rid, (pid, kind) in data.truth.items():
        best = out.best.get(rid)
        listed += kind in ("arabic", "cyrillic")
        if best is not None and best[1] >= threshold:
            with_hit += 1
            correct += kind in ("arabic", "cyrillic") and person_of(best[0]) == pid
    return (correct / with_hit if with_hit else 1.0), (correct / listed if listed else 0.0)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(f"{c:.3f}" if isinstance(c, float) else str(c) for c in cells) + " |"


def report(mode: str, outcomes: dict[str, tuple[Outcome, float]], data: Data) -> None:
    print(f"\n## names-dev, {mode}\n")
    print(_row(["engine", "threshold", *SETS, "s/record"]))
    print("|---" * (len(SETS) + 3) + "|")
    for engine, (out, threshold) in outcomes.items():
        r = rates(out, data, threshold)
        per = out.seconds / max(1, len(out.best))
        print(_row([engine, threshold, *(r[s] for s in SETS), f"{per * 1e3:.2f} ms"]))
    print("\n(arabic, cyrillic: top-1; *-absent: false-positive rate)")
    print(f"\n### Threshold sweep, {mode}\n")
    print(_row(["engine", "threshold", *SETS, "precision", "recall"]))
    print("|---" * (len(SETS) + 4) + "|")
    for engine, (out, _) in outcomes.items():
        for t in SWEEP:
            r = rates(out, data, t)
            p, rec = pr_point(out, data, t)
            print(_row([engine, t, *(r[s] for s in SETS), p, rec]))


def write_failures(path: Path, mode: str, out: Outcome, data: Data, threshold: float) -> None:
    names = {r.id: (r.display_name, r.date_of_birth) for r in [*data.records, *data.watchlist]}
    with path.open("a", encoding="utf-8") as handle:
        for rid, (pid, kind) in sorted(data.truth.items(), key=lambda x: x[1][1]):
            best = out.best.get(rid)
            hit = best is not None and best[1] >= threshold
            listed = kind in ("arabic", "cyrillic")
            if listed and hit and person_of(best[0]) == pid:  # type: ignore[index]
                continue
            if not listed and not hit:
                continue
            shown = f"{names[best[0]]} {best[1]:.3f}" if best else "-"
            target = [e.display_name for e in data.watchlist if person_of(e.id) == pid][:3]
            right = out.right.get(rid, 0.0)
            print(f"{mode}\t{kind}\t{names[rid]}\tbest={shown}\tright={right:.3f}\t{target}",
                  file=handle)  # fmt: skip


# --- Perturbation set ------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    if op == 2:
        return word[:i] + rng.choice(_LETTERS) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _drift(iso: str | None, rng: random.Random) -> str | None:
    if not iso:
        return None
    year = int(iso[:4])
    r = rng.random()
    if r < 0.4:
        return iso
    if r < 0.6:
        return str(year + rng.choice((-2, -1, 1, 2)))  # approximate year only
    if r < 0.75:
        return f"{year + rng.choice((-1, 1))}{iso[4:]}"  # year drifted
    if r < 0.9 and len(iso) == 10 and int(iso[8:]) <= 12:
        return f"{iso[:4]}-{iso[8:]}-{iso[5:7]}"  # day and month swapped
    return iso[:4]


def perturb(entry: PersonRecord, rng: random.Random, new_id: str) -> PersonRecord:
    """One typo, re-ordered parts half the time, a drifted date: another register's copy."""
    parts = entry.display_name.split()
    long_parts = [k for k, p in enumerate(parts) if len(p) >= 4] or list(range(len(parts)))
    k = rng.choice(long_parts)
    parts[k] = _typo(parts[k], rng)
    if len(parts) > 1 and rng.random() < 0.5:
        parts = parts[-1:] + parts[:-1] if rng.random() < 0.5 else parts[1:] + parts[:1]
    return PersonRecord(
        new_id, full_name=" ".join(parts), date_of_birth=_drift(entry.date_of_birth, rng)
    )


def non_listed(n: int, seed: int) -> list[PersonRecord]:
    from passerelle.synth import generate_people, latin_form

    rng = random.Random(seed)
    locales = ("fr_FR", "nl_BE", "ar_AA", "ar_DZ", "ar_SA", "ru_RU", "uk_UA")
    out = []
    for p in generate_people(n, seed=seed, locales=locales):
        q = latin_form(p, rng)
        out.append(PersonRecord(f"z{p.id}", full_name=q.full_name, date_of_birth=q.date_of_birth))
    return out


def perturbation_set(args: argparse.Namespace, data: Data, engines: dict[str, Screen]) -> None:
    rng = random.Random(args.seed)
    listed = [e for e in data.watchlist if e.id.startswith("UN-") and "~" not in e.id]
    queries = [perturb(e, rng, f"q{k}") for k, e in enumerate(listed)]
    want = {q.id: e.id for q, e in zip(queries, listed, strict=True)}
    absent = non_listed(args.absent, args.seed)
    print(f"\n## Perturbation set: {len(queries)} UN entries perturbed, {len(absent)} not listed\n")
    print(_row(["engine", "threshold", "recall", "false-positive rate", "absent screened", "time"]))
    print("|---" * 6 + "|")
    for engine, screen in engines.items():
        threshold = {"passerelle": args.threshold, "logic-v2": LOGIC_V2_THRESHOLD}.get(
            engine, BASELINE_THRESHOLD
        )
        t0 = time.perf_counter()
        found = sum(
            any(person_of(e) == want[q.id] and s >= threshold for e, s in screen(q))
            for q in queries
        )
        sample = absent if engine != "logic-v2" else absent[: args.logic_v2_absent]
        fp = sum(any(s >= threshold for _, s in screen(r)) for r in sample)
        took = time.perf_counter() - t0
        print(_row([engine, threshold, found / len(queries), f"{fp / len(sample):.4f}",
                    len(sample), f"{took:.0f} s"]))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names-dev", type=Path, default=DEFAULT_NAMES_DEV)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--absent", type=int, default=50_000)
    parser.add_argument("--logic-v2-absent", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-logic-v2", action="store_true")
    parser.add_argument("--skip-perturbation", action="store_true")
    parser.add_argument("--failures", type=Path, help="write our misses here (real names!)")
    args = parser.parse_args()
    if not (args.names_dev / "truth.csv").exists():
        sys.exit(f"names-dev not found at {args.names_dev} (use --names-dev PATH)")
    if args.failures:
        args.failures.write_text("", encoding="utf-8")
    print(f"Identity evaluation on names-dev, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    engines: dict[str, Screen] = {}
    for dob in (False, True):
        data = load(args.names_dev, dob)
        mode = "with dates of birth" if dob else "names only"

        def person(rid: str, data: Data = data) -> str:
            return data.truth.get(rid, ("", ""))[0]

        ours, index = passerelle_engine(data.watchlist)
        baseline = Baseline(data.watchlist)
        engines = {"passerelle": ours, "baseline": baseline}
        if not args.no_logic_v2:
            engines["logic-v2"] = logic_v2_engine(data.watchlist, index, baseline)
        thresholds = {"passerelle": args.threshold, "baseline": BASELINE_THRESHOLD,
                      "logic-v2": LOGIC_V2_THRESHOLD}  # fmt: skip
        outcomes = {
            name: (run_engine(fn, data.records, person), thresholds[name])
            for name, fn in engines.items()
        }
        report(mode, outcomes, data)
        if args.failures:
            write_failures(args.failures, mode, outcomes["passerelle"][0], data, args.threshold)
    if not args.skip_perturbation:
        perturbation_set(args, data, engines)


if __name__ == "__main__":
    main()
