"""An in-memory inverted index over a watchlist, for candidate generation.

Each entry is filed under a few *selective keys* so that a query only scores the entries
that share something meaningful with it:

* one-part keys: the phonetic key and the consonant skeleton of every name part (and of the
  part without its particles);
* pair keys, for every two parts of a name, order-free: both skeletons (this is how an
  Arabic-script record finds "Mohamed Said"), and each part's full phonetic key with the
  first or last three letters of the other part as written — one typo anywhere in a name of
  two parts still leaves one pair key intact;
* the document number, folded for OCR confusions.

One-part keys shared by more than ``rules.POSTING_CAP`` entries are ignored at query time (a
common given name alone selects nothing); pair keys keep such names findable. Candidates are
ranked by the weight of the keys they share and only the best ``rules.CANDIDATE_LIMIT`` are
scored. Entries are added and withdrawn at any time; nothing is ever rebuilt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import combinations, permutations

from passerelle.errors import Conflict, NotFound
from passerelle.identity import rules
from passerelle.identity.documents import ocr_fold
from passerelle.identity.features import Features, prepare
from passerelle.identity.names import Part
from passerelle.identity.postings import FrozenPostings, KeyPairs
from passerelle.identity.schemas import PersonRecord
from passerelle.identity.variants import finish_skeleton, skeleton

# Parts of a name that take part in pair keys (a name rarely has more that matter).
_PAIR_PARTS = 4
# Stands for a frozen posting list longer than the cap: not read out, and ignored like one.
_TOO_LONG: list[int] = []
# Fewer entries given together are filed one by one (a bulk filing sorts every entry again;
# and small lists never import numpy, for start-up).
BULK_MIN = 5_000


@lru_cache(maxsize=1 << 18)
def _part_keys(p: Part) -> tuple[str, ...]:
    # Cached per part object: parts are shared between entries through split_name's cache.
    if p.initial:
        return ()
    keys: list[str] = []
    sk = p.skeleton
    if len(sk) >= 2:
        keys.append("s" + sk)
    if not p.arabic and len(p.key) >= 2:
        keys.append("k" + p.key)
    if p.skeleton_alt:
        keys.append("s" + p.skeleton_alt)
    if p.core != p.text:
        core_sk = skeleton(p.core, p.arabic)
        if len(core_sk) >= 2:
            keys.append("s" + core_sk)
    return tuple(keys)


def index_keys(f: Features, ordered: bool = True) -> tuple[list[str], list[str]]:
    """(one-part keys, pair and document keys) of a prepared person, without duplicates.

    ``ordered`` sorts them so that candidate ranking (ties included) never depends on hash
    seeds; filing an entry does not need it.
    """
    singles: set[str] = set()
    for p in f.parts:
        singles.update(_part_keys(p))
    # A compound with a short second part (Mohammad Reza, Hasan Ali) is often written as one
    # word on the other side: its merged skeleton is a one-part key too.
    for a, b in zip(f.parts, f.parts[1:], strict=False):
        if not (a.initial or b.initial) and 0 < min(len(a.skeleton), len(b.skeleton)) <= 2:
            merged = finish_skeleton(a.skeleton + " " + b.skeleton)
            if len(merged) > max(len(a.skeleton), len(b.skeleton)):
                singles.add("s" + merged)
    pairs: set[str] = set()
    full = [
        p
        for p in f.parts
        # Patronymics are shared by too many people to select anyone in a pair key; they
        # still count as one-part keys.
        if not p.initial and p.weight > rules.WEIGHT_PATRONYMIC
    ][:_PAIR_PARTS]
    # When the name comes in given/family fields, pair only across them: two given names
    # (or a given name and a patronymic) together say little about who someone is.
    roles = {p.role for p in full}
    across = "given" in roles and "family" in roles
    for a, b in combinations(full, 2):
        if across and a.role == b.role:
            continue
        for sa in (a.skeleton, a.skeleton_alt):
            for sb in (b.skeleton, b.skeleton_alt):
                if sa and sb and sa != sb:
                    pairs.add("S" + "|".join(sorted((sa, sb))))
    latin = [p for p in full if not p.arabic and len(p.key) >= 2]
    for initial in (p for p in f.parts if p.initial):
        for b in latin:
            pairs.add(f"I{b.key}|{initial.text}")
    for a, b in permutations(latin, 2):
        if across and a.role == b.role:
            continue
        # The other part's letters as written, not its key: a typo changes a key in ways
        # that reach its ends (Michele → "micel", Mihcele → "mihsel").
        ka, tb = a.key, b.text
        pairs.add(f"P{ka}|{tb[:3]}")
        pairs.add(f"X{ka}|{tb[-3:]}")
        pairs.add(f"I{ka}|{tb[0]}")  # "E. Nicolas" finds "Etienne Nicolas"
    if len(f.document) >= 4:
        pairs.add("D" + ocr_fold(f.document))
    for year in {d.year for d in f.dates_of_birth if d.year is not None and not d.approx}:
        for p in full:
            if len(p.skeleton) >= 2:
                pairs.add(f"Y{p.skeleton}|{year}")
            if len(p.key) >= 2:
                pairs.add(f"Z{p.key}|{year}")
    if ordered:
        return sorted(singles), sorted(pairs)
    return list(singles), list(pairs)


def key_weight(key: str) -> int:
    """Ranking weight of a shared pair or document key (one-part keys are weighted apart:
    1, or ``rules.RARE_KEY_WEIGHT`` when their posting list is short). Other engines that
    reproduce :meth:`Watchlist.candidates` must use this function."""
    kind = key[0]
    if kind == "D":
        return rules.KEY_WEIGHT_DOCUMENT
    if kind in "YZI":
        return rules.KEY_WEIGHT_WEAK_PAIR
    return rules.KEY_WEIGHT_PAIR


class Watchlist:
    """Watchlist entries with their index. Add and withdraw entries at any time.

    Entries given together (``BULK_MIN`` or more, to the constructor or :meth:`extend`) are
    filed in bulk (:mod:`passerelle.identity.postings`: sorted arrays, faster to build and
    smaller than a dictionary at a million entries); others go to a dictionary beside them.
    Both give the same candidates, in the same order.
    """

    def __init__(self, entries: Iterable[PersonRecord] = ()) -> None:
        self._records: list[PersonRecord | None] = []
        self._features: list[Features | None] = []
        self._slots: dict[str, int] = {}
        # key -> slot or list of slots: a bare int for the (very common) one-entry key saves
        # memory on large watchlists. Entries added one by one, after the frozen ones.
        self._postings: dict[str, int | list[int]] = {}
        self._frozen: FrozenPostings | None = None
        self._frozen_end = 0  # slots below it are in the frozen postings
        self._dead: set[int] = set()  # withdrawn slots still in the frozen postings
        self.extend(entries)

    def __reduce__(self) -> tuple[type[Watchlist], tuple[list[PersonRecord]]]:
        # Frozen postings hold salted string hashes: another process rebuilds them.
        return (Watchlist, (list(self),))

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._slots

    def __iter__(self) -> Iterator[PersonRecord]:
        return (r for r in self._records if r is not None)

    def get(self, entry_id: str) -> PersonRecord:
        """The entry with this id; NotFound if there is none."""
        slot = self._slots.get(entry_id)
        record = None if slot is None else self._records[slot]
        if record is None:
            raise NotFound(f"watchlist entry {entry_id!r} not found")
        return record

    def features(self, slot: int) -> Features | None:
        """Prepared features of a slot (None once withdrawn)."""
        return self._features[slot]

    def record(self, slot: int) -> PersonRecord | None:
        """The record in a slot (None once withdrawn)."""
        return self._records[slot]

    def extend(self, records: Iterable[PersonRecord]) -> None:
        """Add many entries at once, filed in bulk; Conflict (and nothing added) if an id is
        already present or given twice. Entries added one by one before are re-filed with
        them, so later queries see one frozen index."""
        prepared: list[tuple[PersonRecord, Features]] = []
        seen: set[str] = set()
        for record in records:
            if record.id in self._slots or record.id in seen:
                raise Conflict(f"watchlist entry {record.id!r} already present")
            seen.add(record.id)
            prepared.append((record, prepare(record)))
        if len(prepared) < BULK_MIN:
            for record, features in prepared:  # few entries: not worth sorting everything
                self._file(record, features)
            return
        pairs = KeyPairs()
        # Entries added one by one since the last bulk filing come first (lower slots).
        for slot in range(len(self._records)):
            filed = self._features[slot]
            if filed is not None and slot not in self._dead and self._in_dict(slot):
                singles, keys = index_keys(filed, ordered=False)
                pairs.add(slot, singles)
                pairs.add(slot, keys)
        for record, features in prepared:
            slot = len(self._records)
            self._records.append(record)
            self._features.append(features)
            self._slots[record.id] = slot
            singles, keys = index_keys(features, ordered=False)
            pairs.add(slot, singles)
            pairs.add(slot, keys)
        base = self._frozen
        if base is not None and self._dead:
            base = self._without_dead(base)
        self._frozen = FrozenPostings.build(pairs, base)
        self._frozen_end = len(self._records)
        self._postings = {}
        self._dead = set()

    def _in_dict(self, slot: int) -> bool:
        return self._frozen is None or slot >= self._frozen_end

    def _without_dead(self, frozen: FrozenPostings) -> FrozenPostings:
        pairs = KeyPairs()
        for slot in range(self._frozen_end):
            filed = self._features[slot]
            if filed is not None:
                singles, keys = index_keys(filed, ordered=False)
                pairs.add(slot, singles)
                pairs.add(slot, keys)
        return FrozenPostings.build(pairs)

    def add(self, record: PersonRecord, *, replace: bool = False) -> None:
        """Add an entry; Conflict if its id is present (unless ``replace``)."""
        if record.id in self._slots:
            if not replace:
                raise Conflict(f"watchlist entry {record.id!r} already present")
            self.remove(record.id)
        self._file(record, prepare(record))

    def _file(self, record: PersonRecord, features: Features) -> None:
        slot = len(self._records)
        self._records.append(record)
        self._features.append(features)
        self._slots[record.id] = slot
        singles, pairs = index_keys(features, ordered=False)
        postings = self._postings
        for key in (*singles, *pairs):
            current = postings.get(key)
            if current is None:
                postings[key] = slot
            elif isinstance(current, int):
                postings[key] = [current, slot]
            else:
                current.append(slot)

    def remove(self, entry_id: str) -> PersonRecord:
        """Withdraw an entry at once; NotFound if absent. Returns the withdrawn record."""
        slot = self._slots.pop(entry_id, None)
        if slot is None:
            raise NotFound(f"watchlist entry {entry_id!r} not found")
        record, features = self._records[slot], self._features[slot]
        assert record is not None and features is not None
        self._records[slot] = None
        self._features[slot] = None
        if not self._in_dict(slot):
            self._dead.add(slot)  # filtered out of the frozen postings at query time
            return record
        singles, pairs = index_keys(features, ordered=False)
        for key in (*singles, *pairs):
            current = self._postings.get(key)
            if isinstance(current, int):
                del self._postings[key]
            elif current is not None:
                current.remove(slot)
                if len(current) == 1:
                    self._postings[key] = current[0]
        return record

    def _found(self, keys: list[str], cap: int | None) -> list[list[int]]:
        """Postings of each key, frozen then added one by one (withdrawn slots left out).
        Frozen postings longer than ``cap`` are not read out (they are not used)."""
        found: list[list[int]] = []
        frozen = self._frozen
        dead = self._dead
        get = self._postings.get
        ranges = frozen.ranges(keys) if frozen is not None else [(0, 0)] * len(keys)
        for key, (start, end) in zip(keys, ranges, strict=True):
            slots: list[int] = []
            if end > start:
                if cap is not None and end - start > cap and not dead:
                    found.append(_TOO_LONG)
                    continue
                assert frozen is not None
                slots = frozen.slots(start, end)
                if dead:
                    slots = [s for s in slots if s not in dead]
            extra = get(key)
            if isinstance(extra, int):
                slots = [*slots, extra]
            elif extra is not None:
                slots = slots + extra if slots else extra  # read only: no copy needed
            found.append(slots)
        return found

    def candidates(self, query: Features, limit: int = rules.CANDIDATE_LIMIT) -> list[int]:
        """Slots of the entries most worth scoring against ``query``, best-supported first.

        Entries sharing only weak evidence (below ``rules.STRONG_WEIGHT``: typically one name
        part, or one key of each of two parts) are kept only up to ``rules.WEAK_LIMIT``; a
        one-part key from a short posting list (a rare name) counts double. Deterministic:
        ties keep the order in which keys and postings were met.
        """
        singles, pairs = index_keys(query)
        counts: Counter[int] = Counter()
        cap = rules.POSTING_CAP
        for found in self._found(singles, cap):
            n = len(found)
            if n == 1:
                counts[found[0]] += rules.RARE_KEY_WEIGHT
            elif 1 < n <= cap:
                counts.update(found)  # counted in C
                if n <= rules.RARE_POSTINGS:
                    counts.update(found)
        for key, found in zip(pairs, self._found(pairs, None), strict=True):
            if not found:
                continue
            weight = key_weight(key)
            if len(found) == 1:
                counts[found[0]] += weight
            else:
                for _ in range(weight):
                    counts.update(found)
        # Arabic-script parts only have skeleton keys, so one shared key must be enough.
        full_parts = sum(not p.initial for p in query.parts)
        arabic = any(p.arabic for p in query.parts)
        least = rules.MIN_CANDIDATE_WEIGHT if full_parts > 1 and not arabic else 1
        chosen: list[int] = []
        weak = 0
        for slot, weight in counts.most_common(limit):
            if weight < least:
                break
            if weight < rules.STRONG_WEIGHT:
                weak += 1
                if weak > rules.WEAK_LIMIT:
                    break
            chosen.append(slot)
        return chosen
