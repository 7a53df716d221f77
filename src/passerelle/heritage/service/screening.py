"""Screening against stolen-object lists, by text and by image, with the reasons of each match.

The stolen objects of the node live in an in-memory :class:`Screener` rebuilt when the index
version row moves: an inverted index of folded words for text, and a multi-index over the
photographs' perceptual hashes (:mod:`.hashindex`) for images."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from passerelle.heritage import rules
from passerelle.heritage.schemas import MatchOut, ObjectIn
from passerelle.heritage.service import imaging
from passerelle.heritage.service.common import fold, words
from passerelle.heritage.service.hashindex import MultiIndex

#: Nearest photographs the multi-index returns before re-ranking.
IMAGE_CANDIDATES = 50
#: Text candidates scored in full (those sharing the most words).
TEXT_CANDIDATES = 200
MIN_SCORE = 0.35
STOPWORDS = frozenset({"the", "of", "and", "with", "from", "de", "du", "la", "le", "les", "des"})
WEIGHTS = {"title": 0.4, "maker": 0.2, "materials": 0.15, "measurements": 0.15, "type": 0.1}
DIMENSIONS = ("height_cm", "width_cm", "depth_cm")


@dataclass
class Entry:
    """One stolen object as the screener knows it."""

    object_id: str
    reference: str
    title: str
    status: str
    source: str
    object_type: str = ""
    maker: str = ""
    materials: frozenset[str] = frozenset()
    measures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PhotoEntry:
    photo_id: str
    owner: int
    descriptor: imaging.Descriptor


def hash_similarity(distance: int) -> float:
    """1 at ≤ 8 differing bits, 0 at ≥ 32 (unrelated pictures differ by about 32 of 64)."""
    return float(min(1.0, max(0.0, (32 - distance) / 24)))


class Screener:
    def __init__(self, entries: Sequence[Entry], photos: Sequence[PhotoEntry]) -> None:
        self.entries = list(entries)
        self.titles = [fold(e.title) for e in self.entries]
        self.makers = [fold(e.maker) for e in self.entries]
        self.types = [fold(e.object_type) for e in self.entries]
        self.postings: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for word in set(self._keywords(e.title, e.maker, e.object_type)):
                self.postings.setdefault(word, []).append(i)
        self.photos = list(photos)
        hashes: list[int] = []
        owners: list[int] = []
        for p, photo in enumerate(self.photos):
            hashes.extend(photo.descriptor.phashes)
            owners.extend([p] * len(photo.descriptor.phashes))
        self.index = MultiIndex(hashes, owners)

    @staticmethod
    def _keywords(*texts: str) -> list[str]:
        return [w for t in texts for w in words(t) if len(w) > 2 and w not in STOPWORDS]

    # ---- text ---------------------------------------------------------------------------------
    def text_candidates(self, obj: ObjectIn) -> list[int]:
        """Entries sharing the most words with the query, rarest words first: a word found in
        more than RARE of the entries only counts when no rarer word is given."""
        lists = sorted(
            (self.postings.get(w, []) for w in set(self._keywords(obj.title, obj.maker))),
            key=len,
        )
        lists = [p for p in lists if p]
        limit = max(1000, len(self.entries) // 20)
        rare = [p for p in lists if len(p) <= limit] or lists[:1]
        counts: Counter[int] = Counter()
        for posting in rare:
            counts.update(posting)
        return [i for i, _ in counts.most_common(TEXT_CANDIDATES)]

    def text_scores(
        self, obj: ObjectIn, candidates: list[int]
    ) -> dict[int, tuple[float, list[str]]]:
        title, maker, kind = fold(obj.title), fold(obj.maker), fold(obj.object_type)
        mine = {fold(m) for m in obj.materials}
        m = obj.measurements
        given = {"height_cm": m.height_cm, "width_cm": m.width_cm, "depth_cm": m.depth_cm}
        out = {}
        for i in candidates:
            e = self.entries[i]
            parts: dict[str, float] = {"title": fuzz.token_set_ratio(title, self.titles[i]) / 100}
            reasons = [f"title {parts['title']:.0%} alike ('{e.title}')"]
            if maker and self.makers[i]:
                parts["maker"] = fuzz.token_sort_ratio(maker, self.makers[i]) / 100
                reasons.append(f"maker {parts['maker']:.0%} alike ('{e.maker}')")
            if mine and e.materials:
                parts["materials"] = len(mine & e.materials) / len(mine | e.materials)
                shared = ", ".join(sorted(mine & e.materials)) or "none"
                reasons.append(f"materials in common: {shared}")
            compared = [(d, v, e.measures[d]) for d, v in given.items() if v and d in e.measures]
            if compared:
                within = [
                    (d, a, b)
                    for d, a, b in compared
                    if abs(a - b)
                    <= max(rules.MEASURE_TOLERANCE_CM, rules.MEASURE_TOLERANCE_REL * max(a, b))
                ]
                parts["measurements"] = len(within) / len(compared)
                reasons.append(
                    f"{len(within)}/{len(compared)} measurements within tolerance"
                    + "".join(f"; {d[:-3]} {a:g} vs {b:g} cm" for d, a, b in compared)
                )
            if kind and self.types[i]:
                parts["type"] = 1.0 if kind == self.types[i] else 0.0
            weight = sum(WEIGHTS[k] for k in parts)
            out[i] = (sum(WEIGHTS[k] * v for k, v in parts.items()) / weight, reasons)
        return out

    # ---- images -------------------------------------------------------------------------------
    def image_matches(
        self, queries: Iterable[imaging.Descriptor], *, linear: bool = False
    ) -> dict[int, tuple[float, list[str], str]]:
        """Entry index -> (image score, reasons, photo id), best photograph per object."""
        out: dict[int, tuple[float, list[str], str]] = {}
        for q in queries:
            search = self.index.scan if linear else self.index.search
            near = search(list(q.phashes), IMAGE_CANDIDATES)
            qd = np.asarray(q.dhashes, dtype=np.uint64)
            hues = imaging.hue_rolls(q.colour)
            for p, (distance, which) in near.items():
                photo = self.photos[p]
                dd = np.bitwise_count(
                    np.asarray(photo.descriptor.dhashes, dtype=np.uint64)[:, None] ^ qd[None, :]
                )
                d2 = int(dd.min())
                colour, shift = imaging.colour_similarity(hues, photo.descriptor.colour)
                texture = imaging.texture_similarity(q.texture, photo.descriptor.texture)
                score = (
                    0.55 * hash_similarity(distance)
                    + 0.25 * hash_similarity(d2)
                    + 0.1 * colour
                    + 0.1 * texture
                )
                angle = q.angles[which] if which < len(q.angles) else 0.0
                reasons = [
                    f"perceptual hash {distance}/64 bits apart (query turned {angle:+.0f}°)",
                    f"gradient hash {d2}/64 bits apart",
                    f"colour palette {colour:.0%} alike"
                    + (f" (hue shifted {shift * 360 // imaging.HUE_BINS:+d}°)" if shift else ""),
                    f"texture {texture:.0%} alike",
                ]
                owner = photo.owner
                if owner not in out or score > out[owner][0]:
                    out[owner] = (score, reasons, photo.photo_id)
        return out

    # ---- both ---------------------------------------------------------------------------------
    def screen(
        self, obj: ObjectIn | None, images: Sequence[imaging.Descriptor], k: int = 10
    ) -> list[MatchOut]:
        text: dict[int, tuple[float, list[str]]] = {}
        if obj is not None:
            text = self.text_scores(obj, self.text_candidates(obj))
        image = self.image_matches(images) if images else {}
        found = []
        for i in set(text) | set(image):
            t, ti = text.get(i, (None, []))
            m, mi, photo = image.get(i, (None, [], None))
            scores = [s for s in (t, m) if s is not None]
            score = max(scores) if len(scores) == 1 else 0.5 * (t or 0) + 0.5 * (m or 0)
            if len(scores) == 2 and min(scores) >= 0.6:
                score = min(1.0, score + 0.1)  # words and picture agree
            if score < MIN_SCORE:
                continue
            e = self.entries[i]
            found.append(
                MatchOut(
                    reference=e.reference,
                    title=e.title,
                    status=e.status,
                    source=e.source,
                    score=round(score, 3),
                    text_score=None if t is None else round(t, 3),
                    image_score=None if m is None else round(m, 3),
                    reasons=ti + mi,
                    photo_id=photo,
                )
            )
        found.sort(key=lambda m: (-m.score, m.reference))
        return found[:k]


class Cache:
    """One screener per database, rebuilt when the index version moves."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.built: dict[str, tuple[int, Screener]] = {}

    def get(self, key: str, version: int, build: object) -> Screener:
        with self.lock:
            current = self.built.get(key)
            if current is None or current[0] != version:
                assert callable(build)
                current = (version, build())
                self.built[key] = current
            return current[1]


CACHE = Cache()
