"""The published filter: every subject's encoding, padded with dummies and shuffled.

``FILTER.bin`` is a magic line, a JSON header (format, key identifier, vector size, number of
rows) and the rows, each two Bloom-filter vectors. It holds no name, date or identifier: rows
are HMAC-keyed bit vectors, in random order, and the number of rows is the number of subjects
rounded up to the next step of :func:`rounded_size` with dummy rows whose bit counts are drawn
from the real rows' (a dummy cannot be told from a subject without the key, and matches nothing).

Matching is local: the partner encodes its own candidates with the shared key and compares
them with every row that shares one of :data:`TABLES` samples of :data:`SAMPLE_BITS` bit
positions (locality-sensitive hashing on Hamming distance, so a near match lands in the same
bucket at least once with high probability), scoring by Dice coefficient.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from passerelle.errors import MalformedInput, UsageError
from passerelle.financing.service.encoding import BITS, BYTES, Encoder
from passerelle.financing.service.keys import Key
from passerelle.identity.schemas import PersonRecord

MAGIC = b"PASSERELLE-FILTER/1\n"
ROW = 2 * BYTES
#: Locality-sensitive hashing: tables, and bit positions sampled per table.
TABLES = 24
SAMPLE_BITS = 28
#: Lowest Dice coefficient reported as a possible match (benchmarks/financing_match.py).
DEFAULT_THRESHOLD = 0.8
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
    half = BITS
    out = np.zeros((count, ROW), dtype=np.uint8)
    if count == 0:
        return out
    weights = np.bitwise_count(real.reshape(len(real), 2, BYTES)).sum(axis=2)
    if len(weights) == 0:
        weights = np.full((1, 2), BITS // 6)
    picks = weights[rng.integers(0, len(weights), count)]
    for i in range(count):
        for side in (0, 1):
            ones = rng.choice(half, size=int(picks[i, side]), replace=False)
            bits = np.zeros(half, dtype=np.uint8)
            bits[ones] = 1
            out[i, side * BYTES : (side + 1) * BYTES] = np.packbits(bits, bitorder="little")
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
    header = {"format": 1, "key_id": flt.key_id, "bits": BITS, "rows": len(flt)}
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
        if header.get("bits") != BITS or rows < 0:
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


def _samples(tables: int) -> list[npt.NDArray[np.int64]]:
    # Fixed, public positions: they depend on nothing secret (the rows are already keyed).
    rng = np.random.default_rng(20091)
    return [rng.choice(2 * BITS, size=SAMPLE_BITS, replace=False) for _ in range(tables)]


def _bucket_keys(rows: Matrix, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    keys = np.zeros(len(rows), dtype=np.uint64)
    for j, pos in enumerate(positions):
        bit = (rows[:, pos >> 3] >> np.uint8(pos & 7)) & np.uint8(1)
        keys |= bit.astype(np.uint64) << np.uint64(j)
    return keys


def dice(a: Matrix, b: Matrix) -> npt.NDArray[np.float64]:
    """Row-wise best Dice coefficient of the two vectors of ``a`` and ``b`` (same shape)."""
    a2, b2 = a.reshape(len(a), 2, BYTES), b.reshape(len(b), 2, BYTES)
    both = np.bitwise_count(a2 & b2).sum(axis=2, dtype=np.int64)
    total = np.bitwise_count(a2).sum(axis=2, dtype=np.int64) + np.bitwise_count(b2).sum(
        axis=2, dtype=np.int64
    )
    scores = np.where(total > 0, 2.0 * both / np.maximum(total, 1), 0.0)
    return np.asarray(scores.max(axis=1), dtype=np.float64)


class Matcher:
    """A loaded filter, indexed once, matched against many candidates."""

    def __init__(self, flt: Filter, key: Key) -> None:
        if flt.key_id != key.key_id:
            raise UsageError(
                f"the filter was built with key {flt.key_id}, not {key.key_id}: "
                "use the partner's current key (keys are rotated)"
            )
        self.filter = flt
        self.encoder = Encoder(key)
        self._samples = _samples(TABLES)
        self._tables: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]] = []
        for positions in self._samples:
            keys = _bucket_keys(flt.rows, positions)
            order = np.argsort(keys, kind="stable")
            self._tables.append((keys[order], order))

    def match_rows(
        self, rows: Matrix, threshold: float = DEFAULT_THRESHOLD
    ) -> Iterator[tuple[int, int, float]]:
        """``(candidate index, filter row, score)`` of every pair at or above ``threshold``."""
        pairs: set[tuple[int, int]] = set()
        for positions, (sorted_keys, order) in zip(self._samples, self._tables, strict=True):
            keys = _bucket_keys(rows, positions)
            lo = np.searchsorted(sorted_keys, keys, side="left")
            hi = np.searchsorted(sorted_keys, keys, side="right")
            counts = hi - lo
            hit = np.nonzero(counts)[0]
            if len(hit) == 0:
                continue
            cand = np.repeat(hit, counts[hit])
            offsets = np.arange(len(cand)) - np.repeat(
                np.cumsum(counts[hit]) - counts[hit], counts[hit]
            )
            found = order[np.repeat(lo[hit], counts[hit]) + offsets]
            pairs.update(zip(cand.tolist(), found.tolist(), strict=True))
        if not pairs:
            return
        pair_array = np.array(sorted(pairs), dtype=np.int64)
        scores = dice(rows[pair_array[:, 0]], self.filter.rows[pair_array[:, 1]])
        for (cand_i, row_i), score in zip(pair_array.tolist(), scores.tolist(), strict=True):
            if score >= threshold:
                yield int(cand_i), int(row_i), float(score)

    def best(
        self, people: list[PersonRecord], threshold: float = DEFAULT_THRESHOLD
    ) -> list[tuple[str, int, float]]:
        """Each candidate's best row: ``(candidate id, filter row, score)``, by candidate."""
        _, rows = encode_all(self.encoder, people)
        best: dict[int, tuple[int, float]] = {}
        for cand_i, row_i, score in self.match_rows(rows, threshold):
            if cand_i not in best or score > best[cand_i][1]:
                best[cand_i] = (row_i, score)
        return [(people[i].id, row, score) for i, (row, score) in sorted(best.items())]


def read(path: Path) -> Filter:
    try:
        return loads(path.read_bytes(), str(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
