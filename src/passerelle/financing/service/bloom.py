"""The published filter: every subject's encoding, padded with dummies and shuffled.

``FILTER.bin`` is a magic line, a JSON header (format, key identifier, vector size, number of
rows) and the rows, each two Bloom-filter vectors. It holds no name, date or identifier: rows
are HMAC-keyed bit vectors, in random order, and the number of rows is the number of subjects
rounded up to the next step of :func:`rounded_size` with dummy rows whose bit counts are drawn
from the real rows' (a dummy cannot be told from a subject without the key, and matches nothing).

Matching is local: the partner encodes its own candidates with the shared key and scores
(:func:`dice`) the rows that share a bucket with them in at least :data:`MIN_TABLES` of
:data:`TABLES` samples of :data:`SAMPLE_BITS` bit positions of the name vectors
(locality-sensitive hashing on Hamming distance: a near match shares many buckets).
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
from passerelle.financing.service.encoding import BITS, BYTES, DATE_BITS, DATE_BYTES, Encoder
from passerelle.financing.service.keys import Key
from passerelle.identity import PersonRecord

MAGIC = b"PASSERELLE-FILTER/1\n"
ROW = 2 * BYTES + DATE_BYTES
#: Locality-sensitive hashing: tables, and bit positions sampled per table.
TABLES = 128
SAMPLE_BITS = 28
MIN_SAMPLE_ONES = 2
MIN_TABLES = 2
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


def _counts(
    a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]
) -> tuple[npt.NDArray[np.int64], ...]:
    both = np.bitwise_count(a & b).sum(axis=-1, dtype=np.int64)
    return (
        both,
        np.bitwise_count(a).sum(axis=-1, dtype=np.int64),
        np.bitwise_count(b).sum(axis=-1, dtype=np.int64),
    )


def dice(a: Matrix, b: Matrix) -> npt.NDArray[np.float64]:
    """Row-wise score of two encodings in [0, 1] (1.0: the same tokens).

    The name part is the best of: the Dice coefficient of the spelling vectors, that of the
    skeleton vectors, and 0.9 times the share of the smaller spelling vector found in the
    larger (a middle name or patronymic recorded on one side only). When both sides know a
    date of birth, the score is 0.75 times the name part plus 0.25 times the Dice coefficient
    of the date vectors; when either does not, the name part alone.
    """
    n = len(a)
    # Counted on 64-bit words: eight times fewer elements than bytes.
    wide_a = np.ascontiguousarray(a).view(np.uint64)
    wide_b = np.ascontiguousarray(b).view(np.uint64)
    words = BYTES // 8
    names_a = wide_a[:, : 2 * words].reshape(n, 2, words)
    names_b = wide_b[:, : 2 * words].reshape(n, 2, words)
    both, wa, wb = _counts(names_a, names_b)
    dices = np.where(wa + wb > 0, 2.0 * both / np.maximum(wa + wb, 1), 0.0)
    smaller = np.minimum(wa[:, 0], wb[:, 0])
    contained = np.where(smaller > 0, both[:, 0] / np.maximum(smaller, 1), 0.0)
    name = np.maximum(dices.max(axis=1), 0.9 * contained)
    d_both, d_a, d_b = _counts(wide_a[:, 2 * words :], wide_b[:, 2 * words :])
    known = (d_a > 0) & (d_b > 0)
    date = np.where(known, 2.0 * d_both / np.maximum(d_a + d_b, 1), 0.0)
    return np.asarray(np.where(known, 0.75 * name + 0.25 * date, name), dtype=np.float64)


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
            # A sample with almost no bit set says nothing (most sparse rows share it).
            order = np.nonzero(np.bitwise_count(keys) >= MIN_SAMPLE_ONES)[0]
            order = order[np.argsort(keys[order], kind="stable")]
            self._tables.append((keys[order], order))

    def match_rows(
        self, rows: Matrix, threshold: float = DEFAULT_THRESHOLD
    ) -> Iterator[tuple[int, int, float]]:
        """``(candidate index, filter row, score)`` of every pair at or above ``threshold``."""
        width = np.int64(max(len(self.filter), 1))
        codes: list[npt.NDArray[np.int64]] = []
        for positions, (sorted_keys, order) in zip(self._samples, self._tables, strict=True):
            keys = _bucket_keys(rows, positions)
            keys[np.bitwise_count(keys) < MIN_SAMPLE_ONES] = np.uint64(1 << 63)  # no bucket
            lo = np.searchsorted(sorted_keys, keys, side="left")
            hi = np.searchsorted(sorted_keys, keys, side="right")
            counts = hi - lo
            hit = np.nonzero(counts)[0]
            if len(hit) == 0:
                continue
            sizes = counts[hit]
            cand = np.repeat(hit, sizes)
            offsets = np.arange(len(cand)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            found = order[np.repeat(lo[hit], sizes) + offsets]
            codes.append(cand.astype(np.int64) * width + found.astype(np.int64))
        if not codes:
            return
        # A pair is compared when it shares a bucket in at least MIN_TABLES tables: a near
        # match shares many, a chance collision one.
        unique, seen = np.unique(np.concatenate(codes), return_counts=True)
        kept = unique[seen >= MIN_TABLES]
        cand_i, row_i = kept // width, kept % width
        for start in range(0, len(kept), 1 << 20):
            part = slice(start, start + (1 << 20))
            scores = dice(rows[cand_i[part]], self.filter.rows[row_i[part]])
            good = np.nonzero(scores >= threshold)[0]
            for c, r, sc in zip(
                cand_i[part][good].tolist(), row_i[part][good].tolist(),
                scores[good].tolist(), strict=True,
            ):  # fmt: skip
                yield int(c), int(r), float(sc)

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
