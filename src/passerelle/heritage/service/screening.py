"""Screening against stolen-object lists, by text and by image, with the reasons of each match.

The stolen objects of the node live in an in-memory :class:`Screener` rebuilt when the index
version row moves: an inverted index of folded words for text, and a multi-index over the
photographs' perceptual hashes (:mod:`.hashindex`) for images."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from passerelle.heritage import rules
from passerelle.heritage.schemas import MatchOut, ObjectIn
from passerelle.heritage.service import imaging
from passerelle.heritage.service.common import fold, words
from passerelle.heritage.service.hashindex import MultiIndex

#: Nearest photographs the multi-index returns before re-ranking. At 100,000 generated objects
#: (2026-12-03) the true object was among 200 for 0.930 of the copies, 400: 0.940, 800: 0.950,
#: but the re-ranking then kept it in the top 10 for 0.930, 0.940, 0.935 (more distractors).
IMAGE_CANDIDATES = 400
#: ... of which the multi-index guarantees the nearest this many (it stops probing there).
EXACT = 10
#: Alignments (registered position × query rotation) averaged into a candidate's distance.
ALIGNMENTS = 2
#: Nearest candidates whose best rotation chooses where the query is hashed again.
REFINED = 10
#: Text candidates scored in full (those sharing the most words).
TEXT_CANDIDATES = 60
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


#: Re-ranking: bits apart (pHash + dHash of the same registered position and the same query
#: rotation, 0–128) less the colour and texture similarities (0–1) times these weights, mapped
#: to a 0–1 score by a logistic curve: 0.5 at MIDPOINT, steeper as SLOPE falls. The curve never
#: flattens to 1, so close matches keep their order (a clipped scale tied them at 1.0 and let
#: the tie-break decide). Chosen on generated pictures (benchmarks/heritage.py): colour compared
#: under every hue shift separates objects better than the hashes alone; a copy scores about
#: 0.9, an unrelated object under 0.3.
COLOUR_WEIGHT = 30.0
TEXTURE_WEIGHT = 15.0
MIDPOINT = 0.0
SLOPE = 7.0


def _padded(values: Sequence[int], width: int) -> list[int]:
    """``values`` repeated from its first to ``width`` items (zeros when there are none)."""
    if not values:
        return [0] * width
    return list(values[:width]) + [values[0]] * (width - len(values))


def _apart(stored: npt.NDArray[np.uint64], hashes: Sequence[int]) -> npt.NDArray[np.uint8]:
    """Bits apart, candidate × registered position × query hash."""
    query = np.asarray(hashes, dtype=np.uint64)
    apart: npt.NDArray[np.uint8] = np.bitwise_count(stored[:, :, None] ^ query[None, None, :])
    return apart


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
        self.arrays = {w: np.asarray(p, dtype=np.int64) for w, p in self.postings.items()}
        self.vocabulary = sorted(self.postings)
        self.photos = list(photos)
        width = max((len(p.descriptor.phashes) for p in self.photos), default=1)
        #: each photograph's hashes, pHash and dHash of the same region side by side (a
        #: photograph with fewer positions repeats its first one)
        self.phash = np.zeros((len(self.photos), width), dtype=np.uint64)
        self.dhash = np.zeros((len(self.photos), width), dtype=np.uint64)
        self.colour = np.zeros((len(self.photos), imaging.HUE_BINS))
        self.texture = np.zeros((len(self.photos), imaging.TEXTURE_BINS))
        counts = np.zeros(len(self.photos), dtype=np.int64)
        for n, photo in enumerate(self.photos):
            d = photo.descriptor
            self.phash[n] = _padded(d.phashes, width)
            self.dhash[n] = _padded(d.dhashes, width)
            counts[n] = len(d.phashes)
            if len(d.colour) == imaging.HUE_BINS:
                self.colour[n] = d.colour
            if len(d.texture) == imaging.TEXTURE_BINS:
                self.texture[n] = d.texture
        rows = np.arange(width)[None, :] < counts[:, None]
        self.index = MultiIndex(
            np.stack([self.phash[rows], self.dhash[rows]], axis=1),
            np.broadcast_to(np.arange(len(self.photos))[:, None], rows.shape)[rows],
        )

    @staticmethod
    def _keywords(*texts: str) -> list[str]:
        return [w for t in texts for w in words(t) if len(w) > 2 and w not in STOPWORDS]

    # ---- text ---------------------------------------------------------------------------------
    def _near_words(self, word: str) -> list[str]:
        """Words of the index a misspelt query word may stand for."""
        if word in self.postings or len(word) < 4:
            return [word]
        found = process.extract(word, self.vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=75)
        return [w for w, _, _ in found]

    def text_candidates(self, obj: ObjectIn) -> list[int]:
        """Entries sharing the most words with the query (misspelt words stand for their near
        words); a word found in more than a fifth of the entries only counts when no rarer word
        is given."""
        wanted = {n for w in self._keywords(obj.title, obj.maker) for n in self._near_words(w)}
        lists = sorted((self.arrays[w] for w in wanted if w in self.arrays), key=len)
        if not lists:
            return []
        rare = [a for a in lists if a.size <= max(1000, len(self.entries) // 5)] or lists[:1]
        counts = np.bincount(np.concatenate(rare), minlength=len(self.entries))
        top = np.argpartition(-counts, min(TEXT_CANDIDATES, counts.size - 1))[:TEXT_CANDIDATES]
        return [int(i) for i in top if counts[i] > 0]

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
        """Entry index -> (image score, reasons, photo id), best photograph per object. The
        multi-index (or the scan) gives the IMAGE_CANDIDATES photographs nearest by pHash; the
        re-ranking adds dHash and the colour and texture histograms, all vectorised."""
        out: dict[int, tuple[float, list[str], str]] = {}
        for q in queries:
            search = self.index.scan if linear else self.index.search
            # built as uint64 from the start: NumPy turns a list of Python ints of 2**63 and
            # more into float64, and back to uint64 they lose their lowest 11 bits
            pairs = np.array(
                [_padded(q.phashes, len(q.phashes)), _padded(q.dhashes, len(q.phashes))],
                dtype=np.uint64,
            ).T
            near = search(pairs, EXACT, keep=IMAGE_CANDIDATES)
            if not near:
                continue
            ids = np.fromiter(near, dtype=np.int64)
            stored_p, stored_d = self.phash[ids], self.dhash[ids]
            queried = len(q.phashes)  # the query's own hashes, before any hashed again
            # candidate × registered position × query hash: both hashes of the same pair, so
            # a candidate is as near as its best alignment, not its best pHash and its best
            # dHash taken from two different alignments (recall@10 at 100,000 objects 0.950 ->
            # 0.965, benchmarks/heritage.py)
            dp = _apart(stored_p, q.phashes)
            dd = _apart(stored_d, q.dhashes)
            rolls = imaging.hue_rolls(q.colour)
            per_shift = np.minimum(rolls[None, :, :], self.colour[ids][:, None, :]).sum(axis=2)
            shift = per_shift.argmax(axis=1)
            colour = per_shift.max(axis=1)
            qt = np.asarray(q.texture, dtype=np.float64)
            if qt.size != imaging.TEXTURE_BINS:  # no texture known: it adds nothing
                qt = np.zeros(imaging.TEXTURE_BINS)
            texture = np.minimum(self.texture[ids], qt[None, :]).sum(axis=1)
            alike = COLOUR_WEIGHT * colour + TEXTURE_WEIGHT * texture
            pair = (dp + dd).reshape(ids.size, -1)
            chosen = 0
            if q.around is not None:
                # the rotation the nearest candidates agree on, hashed again between the
                # registered positions: closer alignments for the copy, chance ones for the
                # look-alikes (recall@10 at 100,000 objects +1 point, 2.5 ms)
                first = (pair.min(axis=1) - alike).argsort(kind="stable")[:REFINED]
                votes = np.bincount(pair[first].argmin(axis=1) % queried, minlength=queried)
                chosen = int(votes.argmax())
                extra_p, extra_d = q.around(chosen)
                dp = np.concatenate([dp, _apart(stored_p, extra_p)], 2)
                dd = np.concatenate([dd, _apart(stored_d, extra_d)], 2)
                pair = (dp + dd).reshape(ids.size, -1)
            hashes = dp.shape[2]
            best = pair.argmin(axis=1)
            rows = np.arange(ids.size)
            # a copy is near its original at neighbouring positions and rotations too, a
            # look-alike at one alignment only: the mean of the ALIGNMENTS nearest
            kept = min(ALIGNMENTS, pair.shape[1])
            bits = np.partition(pair, kept - 1, axis=1)[:, :kept].mean(axis=1)
            which = best % hashes  # the query hash of the best alignment
            dp = dp.reshape(ids.size, -1)[rows, best]
            dd = dd.reshape(ids.size, -1)[rows, best]
            raw = bits - alike
            scores = 1.0 / (1.0 + np.exp((raw - MIDPOINT) / SLOPE))
            for n, p in enumerate(ids.tolist()):
                photo = self.photos[p]
                score = float(scores[n])
                owner = photo.owner
                if owner in out and score <= out[owner][0]:
                    continue
                turned = q.angles[which[n]] if which[n] < len(q.angles) else 0.0
                if which[n] >= queried:  # one of the hashes between positions
                    turned = q.angles[chosen] if chosen < len(q.angles) else 0.0
                bins = int(shift[n]) if shift[n] <= imaging.HUE_BINS // 2 else int(shift[n]) - 16
                reasons = [
                    f"perceptual hash {dp[n]}/64 bits apart (query turned {turned:+.0f}°)",
                    f"gradient hash {dd[n]}/64 bits apart",
                    f"colour palette {colour[n]:.0%} alike"
                    + (f" (hue shifted {bins * 360 // imaging.HUE_BINS:+d}°)" if bins else ""),
                    f"texture {texture[n]:.0%} alike",
                ]
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
