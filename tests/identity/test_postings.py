"""Entries filed in bulk give the same candidates, in the same order, as entries added one
by one, before and after withdrawals and later additions."""

from __future__ import annotations

import pickle
import random

import pytest

import passerelle.identity.index as index_module
from passerelle.errors import Conflict
from passerelle.identity import PersonRecord, Watchlist, prepare, rules, screen
from passerelle.synth import generate_people, latin_form, noisy_variant

LOCALES = ("fr_FR", "fr_BE", "nl_BE", "ar_AA", "ar_DZ", "ru_RU")


@pytest.fixture(autouse=True)
def _bulk_from_few_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "BULK_MIN", 100)


def _people(n: int, seed: int) -> list[PersonRecord]:
    rng = random.Random(seed)
    return [
        PersonRecord(**latin_form(p, rng).as_record())
        for p in generate_people(n, seed=seed, locales=LOCALES)
    ]


@pytest.fixture(scope="module")
def entries() -> list[PersonRecord]:
    return _people(1500, 31)


@pytest.fixture(scope="module")
def queries(entries: list[PersonRecord]) -> list[PersonRecord]:
    rng = random.Random(5)
    listed = [
        PersonRecord(**noisy_variant(p, rng, f"q{i}").as_record())
        for i, p in enumerate(generate_people(150, seed=31, locales=LOCALES))
    ]
    absent = _people(150, 77)  # other people, Latin, Arabic and Cyrillic script
    return listed + [PersonRecord(**{**r.to_dict(), "id": f"a{i}"}) for i, r in enumerate(absent)]


def _ids(watchlist: Watchlist, query: PersonRecord) -> list[str]:
    found = []
    for slot in watchlist.candidates(prepare(query)):
        record = watchlist.record(slot)
        assert record is not None
        found.append(record.id)
    return found


def _one_by_one(records: list[PersonRecord]) -> Watchlist:
    watchlist = Watchlist()
    for r in records:
        watchlist.add(r)
    return watchlist


def test_bulk_filing_gives_the_same_candidates_in_the_same_order(
    entries: list[PersonRecord], queries: list[PersonRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small cap so that some one-part posting lists of this small list exceed it.
    monkeypatch.setattr(rules, "POSTING_CAP", 20)
    bulk, single = Watchlist(entries), _one_by_one(entries)
    assert bulk._frozen is not None and single._frozen is None
    found = 0
    for q in queries:
        expected = _ids(single, q)
        assert _ids(bulk, q) == expected
        found += bool(expected)
    assert found > len(queries) // 2  # the comparison is not between empty lists


def test_withdrawals_and_additions_after_a_bulk_filing_match_one_by_one(
    entries: list[PersonRecord], queries: list[PersonRecord]
) -> None:
    bulk, single = Watchlist(entries[:1000]), _one_by_one(entries[:1000])
    for r in entries[1000:1200]:
        bulk.add(r)
        single.add(r)
    for r in entries[:1200:7]:
        bulk.remove(r.id)
        single.remove(r.id)
    for q in queries:
        assert _ids(bulk, q) == _ids(single, q)
    # A second bulk filing re-files the entries added one by one and drops the withdrawn.
    bulk.extend(entries[1200:])
    for r in entries[1200:]:
        single.add(r)
    assert len(bulk) == len(single)
    for q in queries:
        assert _ids(bulk, q) == _ids(single, q)


def test_a_withdrawn_bulk_entry_is_no_longer_found(entries: list[PersonRecord]) -> None:
    watchlist = Watchlist(entries[:200])
    target = entries[3]
    query = PersonRecord("r", **{k: v for k, v in target.to_dict().items() if k != "id"})
    assert target.id in [m.entry_id for m in screen(query, watchlist)]
    watchlist.remove(target.id)
    assert target.id not in [m.entry_id for m in screen(query, watchlist)]
    watchlist.add(target)
    assert target.id in [m.entry_id for m in screen(query, watchlist)]


def test_a_duplicate_id_in_a_bulk_filing_adds_nothing(entries: list[PersonRecord]) -> None:
    watchlist = Watchlist(entries[:200])
    with pytest.raises(Conflict):
        watchlist.extend([*entries[300:400], entries[5]])
    with pytest.raises(Conflict):
        watchlist.extend([*entries[300:400], entries[300]])
    assert len(watchlist) == 200 and entries[300].id not in watchlist


def test_few_entries_given_together_are_filed_one_by_one(entries: list[PersonRecord]) -> None:
    watchlist = Watchlist(entries[:99])
    assert watchlist._frozen is None
    watchlist.extend(entries[99:300])
    assert watchlist._frozen is not None and len(watchlist) == 300


def test_a_pickled_watchlist_is_rebuilt_with_the_same_candidates(
    entries: list[PersonRecord], queries: list[PersonRecord]
) -> None:
    watchlist = Watchlist(entries[:300])
    watchlist.remove(entries[0].id)
    copy = pickle.loads(pickle.dumps(watchlist))
    assert [r.id for r in copy] == [r.id for r in watchlist]
    for q in queries[:50]:
        assert [m.entry_id for m in screen(q, copy)] == [m.entry_id for m in screen(q, watchlist)]
