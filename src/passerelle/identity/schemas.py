"""Plain dataclasses exchanged with the engine: a person, a match and its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person to screen or a watchlist entry. Give ``full_name`` or the two name fields.

    ``date_of_birth`` is ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``gender`` is ``M``,
    ``F`` or ``X``; country fields accept ISO 3166 alpha-2/alpha-3 or ICAO codes.
    """

    id: str
    full_name: str | None = None
    given_names: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    nationality: str | None = None
    document_number: str | None = None
    document_country: str | None = None

    @property
    def display_name(self) -> str:
        """The name as written, for people reading a match."""
        if self.given_names or self.family_name:
            return " ".join(p for p in (self.given_names, self.family_name) if p)
        return self.full_name or ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (unset fields omitted)."""
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class NamePair:
    """Two name parts the scorer paired, and why."""

    record_part: str
    entry_part: str
    similarity: float
    rule: str  # exact, spelling variant, consonant skeleton, particle, initial, fuzzy …

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "record_part": self.record_part,
            "entry_part": self.entry_part,
            "similarity": round(self.similarity, 3),
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a record and a watchlist entry got their score, in terms a reviewer can check."""

    name_score: float
    pairs: tuple[NamePair, ...]
    unpaired_record: tuple[str, ...]
    unpaired_entry: tuple[str, ...]
    order_swapped: bool
    # exact, compatible, day/month swapped, one-digit typo, "1 year apart", "N years apart"
    # (2-5), "same year, other day", conflict (more than 5 years apart), unknown
    date_of_birth: str
    document: str  # exact, OCR confusion, different, other country, unknown
    gender: str  # same, conflict, unknown
    nationality: str  # same, conflict, unknown
    adjustments: tuple[tuple[str, float], ...]  # (feature, score added)
    # Which evidence carried the score: the most informative name pairs, weak ones, caps.
    evidence: str = ""

    def summary(self) -> str:
        """One line for a CSV cell or a log."""
        pairs = "; ".join(
            f"{p.record_part}~{p.entry_part} ({p.rule} {p.similarity:.2f})" for p in self.pairs
        )
        parts = [f"name {self.name_score:.2f}: {pairs or 'no parts paired'}"]
        if self.order_swapped:
            parts.append("given/family order swapped")
        if self.unpaired_record or self.unpaired_entry:
            extra = ", ".join([*self.unpaired_record, *self.unpaired_entry])
            parts.append(f"unpaired: {extra}")
        parts.append(f"dob {self.date_of_birth}")
        parts.append(f"document {self.document}")
        if self.gender != "unknown":
            parts.append(f"gender {self.gender}")
        if self.nationality != "unknown":
            parts.append(f"nationality {self.nationality}")
        for feature, delta in self.adjustments:
            if not feature.startswith(("date of birth", "document", "gender", "nationality")):
                parts.append(f"{feature} {delta:+.2f}")
        if self.evidence:
            parts.append(self.evidence)
        return " | ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "name_score": round(self.name_score, 3),
            "pairs": [p.to_dict() for p in self.pairs],
            "unpaired_record": list(self.unpaired_record),
            "unpaired_entry": list(self.unpaired_entry),
            "order_swapped": self.order_swapped,
            "date_of_birth": self.date_of_birth,
            "document": self.document,
            "gender": self.gender,
            "nationality": self.nationality,
            "adjustments": [{"feature": f, "delta": round(d, 3)} for f, d in self.adjustments],
            "evidence": self.evidence,
            "summary": self.summary(),
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A watchlist entry that scored at or above the threshold: a candidate for review."""

    entry_id: str
    score: float
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "explanation": self.explanation.to_dict(),
        }
