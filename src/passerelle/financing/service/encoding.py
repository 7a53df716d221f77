"""Keyed Bloom-filter encodings of people (Schnell, Bachteler and Reiher, 2009).

Each person becomes two name vectors of :data:`BITS` bits ("cryptographic long-term keys")
and one date vector of :data:`DATE_BITS` bits:

- the *spelling* vector holds the letter bigrams of every name part as the identity engine
  folds it (accents removed, Cyrillic transliterated, particles joined, any order);
- the *skeleton* vector holds the bigrams of each part's consonant skeleton, which the identity
  engine shares between Latin and Arabic script (``Muhammad`` and ``محمد`` are both ``mhmd``).

The date vector holds the year, month and day of birth as separate tokens, so one wrong digit
keeps two of three; it is empty when the date is unknown. Every token is hashed
:data:`HASHES` times with HMAC-SHA256 under the shared key (double hashing), so nobody without
the key can encode a guess. How two encodings are scored is told in :func:`bloom.scores`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from functools import lru_cache

from passerelle.errors import MalformedInput
from passerelle.financing.service.keys import Key
from passerelle.identity import PersonRecord, prepare

BITS = 1024
BYTES = BITS // 8
#: Hash functions per name bigram and per date token (dates weigh more: three tokens only).
HASHES = 12
DATE_BITS = 256
DATE_BYTES = DATE_BITS // 8
DATE_HASHES = 8


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _positions(secret: bytes, token: str, count: int, bits: int = BITS) -> int:
    digest = hmac.new(secret, token.encode("utf-8"), hashlib.sha256).digest()
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    mask = 0
    for i in range(count):
        mask |= 1 << ((h1 + i * h2) % bits)
    return mask


class Encoder:
    """Encodes people under one key; token masks are cached (bigrams repeat a lot)."""

    def __init__(self, key: Key) -> None:
        self.key_id = key.key_id
        secret = key.secret
        self._mask = lru_cache(maxsize=1 << 18)(
            lambda token, n, bits=BITS: _positions(secret, token, n, bits)
        )

    def tokens(self, record: PersonRecord) -> tuple[list[str], list[str], list[str]]:
        """Spelling tokens, skeleton tokens and date tokens of one person (for tests and docs)."""
        try:
            features = prepare(record)
        except MalformedInput:  # an unreadable date is unknown here, as in lenient screening
            features = prepare(dataclasses.replace(record, date_of_birth=None))
        parts = features.parts
        spelling = [f"t{g}" for p in parts if not p.arabic for g in _bigrams(p.text)]
        skeleton = [f"s{g}" for p in parts for g in _bigrams(p.skeleton or p.text)]
        dates = []
        first = features.date_of_birth
        if first is not None:
            for label, value in (("y", first.year), ("m", first.month), ("d", first.day)):
                if value is not None:
                    dates.append(f"{label}{value}")
        return spelling, skeleton, dates

    def encode(self, record: PersonRecord) -> bytes:
        """The vectors of one person, ``2 * BYTES + DATE_BYTES`` bytes."""
        spelling, skeleton, dates = self.tokens(record)
        first = second = date_mask = 0
        for token in dates:
            date_mask |= self._mask(token, DATE_HASHES, DATE_BITS)
        for token in spelling:
            first |= self._mask(token, HASHES)
        for token in skeleton:
            second |= self._mask(token, HASHES)
        return (
            first.to_bytes(BYTES, "little")
            + second.to_bytes(BYTES, "little")
            + date_mask.to_bytes(DATE_BYTES, "little")
        )
