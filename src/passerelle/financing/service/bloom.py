"""The published filter: every subject's encoding, padded with dummies and shuffled.

``FILTER.bin`` is a magic line, a JSON header (format, key identifier, vector size, number of
rows) and the rows, each two Bloom-filter vectors. It holds no name, date or identifier: rows
are HMAC-keyed bit vectors, in random order, and the number of rows is the number of subjects
rounded up to the next step of :func:`rounded_size` with dummy rows whose bit counts are drawn
from the real rows' (a dummy cannot be told from a subject without the key, and matches nothing).

Matching is local: the partner encodes its own candidates with the shared key and scores
(:func:`dice`) only the rows that the locality-sensitive index (:mod:`.lsh`) puts in the same
buckets as each candidate.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from passerelle.errors import MalformedInput, UsageError
from passerelle.financing.service import lsh
from passerelle.financing.service.encoding import BITS, BYTES, DATE_BITS, DATE_BYTES, Encoder
from passerelle.financing.service.keys import Key
from passerelle.identity import PersonRecord

MAGIC = b"PASSERELLE-FILTER/1\n"
ROW = 2 * BYTES + DATE_BYTES
#: Lowest Dice coefficient reported as a possible match (benchmarks/financing_match.py).
DEFAULT_THRESHOLD = 0.7
_STEPS = (1.0, 1.25, 1.6, 2.0, 2.5, 3.2, 4.0, 5.0, 6.4, 8.0)
MIN_ROWS = 1000

Matrix = npt.NDArray[np.uint8]


def rounded_size(real: int) -> int:
    """Rows published for ``real`` subjects: at least 5 % more, rounded up to the next step of
    a ~25 % geometric series (1000, 1250, 1600, 2000 …), never fewer than 1000."""
    wanted = max(MIN_ROWS, int(real * 1.05) + 1)
    scale = 1
    while True:
        for step in _STEPS:
            size = int(step * 1000 * scale)
            if size >= wanted:
                return size
        scale *= 10


@dataclass
class Filter:
    key_id: str
    rows: Matrix  # shape (n, ROW)

    def __len__(self) -> int:
        return int(self.rows.shape[0])


def encode_all(encoder: Encoder, people: Iterable[PersonRecord]) -> tuple[list[str], Matrix]:
    ids: list[str] = []
    chunks: list[bytes] = []
    for person in people:
        ids.append(person.id)
        chunks.append(encoder.encode(person))
    matrix = np.frombuffer(b"".join(chunks), dtype=np.uint8).reshape(len(ids), ROW)
    return ids, matrix


def _dummies(real: Matrix, count: int) -> Matrix:
    rng = np.random.default_rng(secrets.randbits(64))
    out = np.zeros((count, ROW), dtype=np.uint8)
    if count == 0:
        return out
    spans = ((0, BYTES), (BYTES, 2 * BYTES), (2 * BYTES, ROW))
    weights = (
        np.stack([np.bitwise_count(real[:, a:b]).sum(axis=1) for a, b in spans], axis=1)
        if len(real)
        else np.array([[BITS // 6, BITS // 6, 24]])
    )
    picks = weights[rng.integers(0, len(weights), count)]
    for i in range(count):
        for side, (a, b) in enumerate(spans):
            width = (b - a) * 8
            ones = rng.choice(width, size=int(picks[i, side]), replace=False)
            bits = np.zeros(width, dtype=np.uint8)
            bits[ones] = 1
            out[i, a:b] = np.packbits(bits, bitorder="little")
    return out


def build(key: Key, people: Iterable[PersonRecord]) -> tuple[Filter, list[str]]:
    """The filter and, kept by its owner only, the subject id of each row ("" for a dummy)."""
    ids, real = encode_all(Encoder(key), people)
    size = rounded_size(len(ids))
    rows = np.concatenate([real, _dummies(real, size - len(ids))])
    order = np.random.default_rng(secrets.randbits(64)).permutation(size)
    labels = [*ids, *([""] * (size - len(ids)))]
    return Filter(key.key_id, rows[order]), [labels[i] for i in order]


def dumps(flt: Filter) -> bytes:
    header = {"format": 2, "key_id": flt.key_id, "bits": BITS, "date_bits": DATE_BITS,
              "rows": len(flt)}  # fmt: skip
    head = json.dumps(header, sort_keys=True).encode("ascii")
    return MAGIC + len(head).to_bytes(4, "big") + head + flt.rows.tobytes()


def loads(data: bytes, source: str = "filter") -> Filter:
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise MalformedInput(f"{source}: not a Passerelle filter file", field="filter")
    start = len(MAGIC) + 4
    length = int.from_bytes(data[len(MAGIC) : start], "big")
    try:
        header = json.loads(data[start : start + length])
        rows, key_id = int(header["rows"]), str(header["key_id"])
        if header.get("bits") != BITS or header.get("date_bits") != DATE_BITS or rows < 0:
            raise ValueError("unsupported vector size")
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedInput(f"{source}: unreadable header ({exc})", field="filter") from None
    body = data[start + length :]
    if len(body) != rows * ROW:
        raise MalformedInput(
            f"{source}: {len(body)} bytes of rows, {rows * ROW} expected (truncated?)",
            field="filter",
        )
    matrix = np.frombuffer(body, dtype=np.uint8).reshape(rows, ROW)
    return Filter(key_id, matrix)


def _counts(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Set bits of the spelling, skeleton and date vectors of each row (n, 3)."""
    cut = BYTES // 8
    sums: npt.NDArray[np.int64] = np.add.reduceat(
        np.bitwise_count(words), [0, cut, 2 * cut], axis=1, dtype=np.int64
    )
    return sums


def _score(
    both: npt.NDArray[np.int64], ca: npt.NDArray[np.int64], cb: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """The score from the shared bits (n, 3) and each side's set bits (n, 3): see :func:`dice`."""
    total = ca[:, :2] + cb[:, :2]
    dices = np.where(total > 0, 2.0 * both[:, :2] / np.maximum(total, 1), 0.0)
    smaller = np.minimum(ca[:, 0], cb[:, 0])
    contained = np.where(smaller > 0, both[:, 0] / np.maximum(smaller, 1), 0.0)
    name = np.maximum(dices.max(axis=1), 0.9 * contained)
    known = (ca[:, 2] > 0) & (cb[:, 2] > 0)
    date = np.where(known, 2.0 * both[:, 2] / np.maximum(ca[:, 2] + cb[:, 2], 1), 0.0)
    return np.asarray(np.where(known, 0.75 * name + 0.25 * date, name), dtype=np.float64)


def _words(rows: Matrix) -> npt.NDArray[np.uint64]:
    return np.ascontiguousarray(rows).view(np.uint64)


def dice(a: Matrix, b: Matrix) -> npt.NDArray[np.float64]:
    """Row-wise score of two encodings in [0, 1] (1.0: the same tokens).

    The name part is the best of: the Dice coefficient of the spelling vectors, that of the
    skeleton vectors, and 0.9 times the share of the smaller spelling vector found in the
    larger (a middle name or patronymic recorded on one side only). When both sides know a
    date of birth, the score is 0.75 times the name part plus 0.25 times the Dice coefficient
    of the date vectors; when either does not, the name part alone.
    """
    wide_a, wide_b = _words(a), _words(b)
    return _score(_counts(wide_a & wide_b), _counts(wide_a), _counts(wide_b))


#: Candidates handled at once (bounds the memory of the pairs being scored), and chunks at once.
CHUNK = 4096
WORKERS = 2
_PAIRS = 8192


class Matcher:
    """A loaded filter, indexed once (:class:`lsh.Index`), matched against many candidates.

    Candidates go through in chunks: their bucket keys, the pairs that share enough buckets,
    then the scores of those pairs only, counted on 64-bit words against the filter rows'
    bit counts computed once."""

    def __init__(self, flt: Filter, key: Key) -> None:
        if flt.key_id != key.key_id:
            raise UsageError(
                f"the filter was built with key {flt.key_id}, not {key.key_id}: "
                "use the partner's current key (keys are rotated)"
            )
        self.filter = flt
        self.encoder = Encoder(key)
        self._index = lsh.Index(flt.rows)
        self._words = _words(flt.rows)
        self._counts = _counts(self._words)
        #: Chunks matched at once in threads (1 in the worker processes of :mod:`.parallel`).
        self.threads = WORKERS

    def _chunk(
        self, rows: Matrix, threshold: float
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        cand, found = self._index.candidates(rows)
        words = _words(rows)
        counts = _counts(words)
        scores = np.empty(len(cand), dtype=np.float64)
        for start in range(0, len(cand), _PAIRS):  # pieces that stay in the processor's cache
            c, f = cand[start : start + _PAIRS], found[start : start + _PAIRS]
            both = np.take(words, c, axis=0)
            both &= np.take(self._words, f, axis=0)
            scores[start : start + _PAIRS] = _score(_counts(both), counts[c], self._counts[f])
        good = scores >= threshold
        return cand[good], found[good], scores[good]

    def match_arrays(
        self, rows: Matrix, threshold: float = DEFAULT_THRESHOLD
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Every pair at or above ``threshold``: candidate indexes, filter rows, scores."""
        starts = range(0, len(rows), CHUNK)
        if len(starts) > 1 and self.threads > 1:
            # numpy releases the GIL in its sorts, searches, gathers and popcounts: two chunks
            # at once keep both cores busy.
            with ThreadPoolExecutor(max_workers=self.threads) as pool:
                parts = list(
                    pool.map(lambda s: self._chunk(rows[s : s + CHUNK], threshold), starts)
                )
        else:
            parts = [self._chunk(rows[s : s + CHUNK], threshold) for s in starts]
        if not parts:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.float64)
        offsets = range(0, len(rows), CHUNK)
        return (
            np.concatenate([c + o for (c, _, _), o in zip(parts, offsets, strict=True)]),
            np.concatenate([f for _, f, _ in parts]),
            np.concatenate([s for _, _, s in parts]),
        )

    def match_rows(
        self, rows: Matrix, threshold: float = DEFAULT_THRESHOLD
    ) -> Iterator[tuple[int, int, float]]:
        """``(candidate index, filter row, score)`` of every pair at or above ``threshold``."""
        cand, found, scores = self.match_arrays(rows, threshold)
        for c, r, sc in zip(cand.tolist(), found.tolist(), scores.tolist(), strict=True):
            yield int(c), int(r), float(sc)

    def best_rows(
        self, rows: Matrix, threshold: float = DEFAULT_THRESHOLD
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Each matched candidate's best row (ties: the lowest row), by candidate index."""
        cand, found, scores = self.match_arrays(rows, threshold)
        order = np.lexsort((found, -scores, cand))
        cand, found, scores = cand[order], found[order], scores[order]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = cand[1:] != cand[:-1]
        return cand[first], found[first], scores[first]

    def best(
        self, people: list[PersonRecord], threshold: float = DEFAULT_THRESHOLD
    ) -> list[tuple[str, int, float]]:
        """Each candidate's best row: ``(candidate id, filter row, score)``, by candidate."""
        _, rows = encode_all(self.encoder, people)
        cand, found, scores = self.best_rows(rows, threshold)
        return [
            (people[c].id, r, s)
            for c, r, s in zip(cand.tolist(), found.tolist(), scores.tolist(), strict=True)
        ]


def read(path: Path) -> Filter:
    try:
        return loads(path.read_bytes(), str(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
