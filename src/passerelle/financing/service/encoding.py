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

import hashlib
import hmac
from functools import lru_cache

from passerelle.errors import MalformedInput
from passerelle.financing.service.keys import Key
from passerelle.identity import PersonRecord, parse_date, prepare

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
    """Encodes people under one key. Names and dates repeat a lot, so the encoded name vectors
    of each distinct (full name, given names, family name) and the date vector of each distinct
    date of birth are kept (bounded caches), as are the bit masks of each token."""

    def __init__(self, key: Key) -> None:
        self.key_id = key.key_id
        secret = key.secret
        self._mask = lru_cache(maxsize=1 << 18)(
            lambda token, n, bits=BITS: _positions(secret, token, n, bits)
        )
        self._names = lru_cache(maxsize=1 << 17)(self._encode_names)
        self._dates = lru_cache(maxsize=1 << 16)(self._encode_date)
        self._parts = lru_cache(maxsize=1 << 17)(self._encode_part)

    def tokens(self, record: PersonRecord) -> tuple[list[str], list[str], list[str]]:
        """Spelling tokens, skeleton tokens and date tokens of one person (for tests and docs)."""
        spelling, skeleton = self._name_tokens(
            record.full_name, record.given_names, record.family_name
        )
        return spelling, skeleton, self._date_tokens(record.date_of_birth)

    @staticmethod
    def _name_tokens(
        full_name: str | None, given_names: str | None, family_name: str | None
    ) -> tuple[list[str], list[str]]:
        names = PersonRecord("", full_name=full_name, given_names=given_names,
                             family_name=family_name)  # fmt: skip
        parts = prepare(names).parts
        spelling = [f"t{g}" for p in parts if not p.arabic for g in _bigrams(p.text)]
        skeleton = [f"s{g}" for p in parts for g in _bigrams(p.skeleton or p.text)]
        return spelling, skeleton

    @staticmethod
    def _date_tokens(date_of_birth: str | None) -> list[str]:
        try:
            first = parse_date(date_of_birth)
        except MalformedInput:  # an unreadable date is unknown here, as in lenient screening
            return []
        if first is None:
            return []
        values = (("y", first.year), ("m", first.month), ("d", first.day))
        return [f"{label}{value}" for label, value in values if value is not None]

    def _encode_names(
        self, full_name: str | None, given_names: str | None, family_name: str | None
    ) -> bytes:
        names = PersonRecord("", full_name=full_name, given_names=given_names,
                             family_name=family_name)  # fmt: skip
        first = second = 0
        for part in prepare(names).parts:
            spelling, skeleton = self._parts(part.text, part.skeleton, part.arabic)
            first |= spelling
            second |= skeleton
        return first.to_bytes(BYTES, "little") + second.to_bytes(BYTES, "little")

    def _encode_part(self, text: str, skeleton: str, arabic: bool) -> tuple[int, int]:
        """The spelling and skeleton masks of one name part (as in :meth:`_name_tokens`)."""
        spelling = 0
        if not arabic:
            for gram in _bigrams(text):
                spelling |= self._mask(f"t{gram}", HASHES)
        sound = 0
        for gram in _bigrams(skeleton or text):
            sound |= self._mask(f"s{gram}", HASHES)
        return spelling, sound

    def _encode_date(self, date_of_birth: str | None) -> bytes:
        mask = 0
        for token in self._date_tokens(date_of_birth):
            mask |= self._mask(token, DATE_HASHES, DATE_BITS)
        return mask.to_bytes(DATE_BYTES, "little")

    def encode(self, record: PersonRecord) -> bytes:
        """The vectors of one person, ``2 * BYTES + DATE_BYTES`` bytes."""
        return self._names(record.full_name, record.given_names, record.family_name) + self._dates(
            record.date_of_birth
        )
