"""DNA operations: import with a validation report, search, database comparison, Prüm answers.

Pure functions over profiles and indexes — no database or network — so the storage, REST API,
console and federation layers can call them unchanged.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from passerelle.digits import is_digits
from passerelle.dna import csvio, rules
from passerelle.dna.harmonise import exchange_flags, make_profile
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import MatchResult, codis_match
from passerelle.dna.profiles import Profile
from passerelle.dna.rules import Quality, SampleType, Stringency
from passerelle.dna.stats import FrequencyTable, Method, Rmp, random_match_probability
from passerelle.errors import ValidationFailed

_TRUE = {"1", "true", "yes", "y", "oui", "ja"}
_FALSE = {"0", "false", "no", "n", "non", "nee"}


@dataclass(frozen=True)
class RowError:
    """A problem found on one line of an import."""

    line: int
    profile_id: str
    message: str


@dataclass
class ImportReport:
    """What an import accepted, rejected and flagged.

    A profile with any invalid line is rejected as a whole. ``flagged`` lists, per accepted
    profile, why it may not be exchanged across borders (mixture, too few designated loci).
    """

    profiles: list[Profile] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    flagged: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise :class:`ValidationFailed` naming the first bad lines."""
        if self.errors:
            shown = "; ".join(f"line {e.line}: {e.message}" for e in self.errors[:5])
            more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
            raise ValidationFailed(
                f"{len(self.errors)} invalid line(s): {shown}{more}",
                lines=[e.line for e in self.errors],
            )


def _attributes(row: Mapping[str, str], line: int) -> dict[str, object]:
    attributes: dict[str, object] = {}
    if row.get("sample_type"):
        try:
            attributes["sample_type"] = SampleType(row["sample_type"].lower())
        except ValueError:
            choices = ", ".join(s.value for s in SampleType)
            raise ValidationFailed(
                f"unknown sample type {row['sample_type']!r} (one of {choices})", line=line
            ) from None
    for name in ("kit", "laboratory", "national_reference"):
        if row.get(name):
            attributes[name] = row[name]
    for name in ("single_source", "minor", "listed_offence"):
        flag = row.get(name, "").strip().lower()
        if flag:
            if flag not in _TRUE | _FALSE:
                raise ValidationFailed(f"{name} must be true or false, got {flag!r}")
            attributes[name] = flag in _TRUE
    status = row.get("person_status", "").strip().lower()
    if status:
        if status not in {s.value for s in rules.PersonStatus}:
            raise ValidationFailed(
                f"person_status must be suspect or convicted, got {status!r}", line=line
            )
        attributes["person_status"] = status
    for name in ("registered_on", "final_decision_on"):
        value = row.get(name, "").strip()
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationFailed(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None
            attributes[name] = value
    return attributes


def _alleles(row: Mapping[str, str]) -> list[str]:
    numbered = sorted(
        (int(k.removeprefix("allele_")), v)
        for k, v in row.items()
        if k.startswith("allele_") and is_digits(k.removeprefix("allele_"), 3)
    )
    return [v for _, v in numbered if v]


def import_profiles(
    rows: Iterable[Mapping[str, str] | tuple[int, Mapping[str, str]]],
) -> ImportReport:
    """Validate long-form rows into harmonised profiles and a report.

    ``rows`` are mappings with the CSV columns, or ``(line, mapping)`` pairs as yielded by
    :func:`passerelle.dna.csvio.read_rows`; bare mappings are numbered from line 2 (after the
    header). Nothing is raised for bad rows: they are listed in the report.
    """
    report = ImportReport()
    grouped: dict[str, list[tuple[int, Mapping[str, str]]]] = {}
    for number, item in enumerate(rows, start=2):
        line, row = item if isinstance(item, tuple) else (number, item)
        profile_id = (row.get("profile_id") or "").strip()
        if not profile_id:
            report.errors.append(RowError(line, "", "empty profile_id"))
            continue
        grouped.setdefault(profile_id, []).append((line, row))
    for profile_id, lines in grouped.items():
        profile = _build(profile_id, lines, report)
        if profile is None:
            report.rejected.append(profile_id)
            continue
        report.profiles.append(profile)
        flags = exchange_flags(profile)
        if flags:
            report.flagged[profile_id] = flags
    return report


def _build(
    profile_id: str, lines: list[tuple[int, Mapping[str, str]]], report: ImportReport
) -> Profile | None:
    failed = False
    attributes: dict[str, object] = {}
    accepted: list[tuple[int, str, list[str]]] = []
    for line, row in lines:
        try:
            attributes.update(_attributes(row, line))
            single = make_profile(profile_id, {row.get("locus", ""): _alleles(row)})
        except ValidationFailed as exc:
            report.errors.append(RowError(line, profile_id, exc.message))
            failed = True
            continue
        for warning in single.warnings:
            report.warnings.append(RowError(line, profile_id, warning))
        if single.loci:
            accepted.append((line, next(iter(single.loci)), _alleles(row)))
    seen: dict[str, int] = {}
    for line, locus, _ in accepted:
        if locus in seen:
            message = f"locus {locus} already given on line {seen[locus]}"
            report.errors.append(RowError(line, profile_id, message))
            failed = True
        seen.setdefault(locus, line)
    if failed:
        return None
    return make_profile(profile_id, {locus: a for _, locus, a in accepted}, **attributes)


def load_profiles(path: Path) -> list[Profile]:
    """Read a profile CSV strictly: any bad line raises, naming its line number."""
    report = import_profiles(csvio.read_rows(path))
    report.raise_for_errors()
    return report.profiles


@dataclass(frozen=True)
class SearchHit:
    """A match with the statistics a reviewer needs."""

    match: MatchResult
    rmp: Rmp

    @property
    def needs_lab_confirmation(self) -> bool:
        return self.match.needs_lab_confirmation


def search(
    query: Profile,
    index: ProfileIndex,
    table: FrequencyTable,
    theta: float = rules.DEFAULT_THETA,
    method: Method = Method.NRC2_41,
) -> list[SearchHit]:
    """Prüm search of one profile, best quality first; each hit carries the RMP of the query
    profile (the chance that an unrelated person shares it)."""
    rmp = random_match_probability(query, table, theta, method)
    hits = [SearchHit(match, rmp) for match in index.search(query)]
    return sorted(hits, key=lambda h: (h.match.quality, h.match.mismatched_alleles, h.match.b_id))


def national_search(
    query: Profile, database: Iterable[Profile], stringency: Stringency
) -> list[str]:
    """Ids of profiles matching under a CODIS stringency (national searches, mixtures allowed)."""
    return [p.profile_id for p in database if codis_match(query, p, stringency)]


_SHARED: ProfileIndex | None = None


def _search_chunk(queries: Sequence[Profile]) -> list[MatchResult]:
    assert _SHARED is not None
    return [m for q in queries for m in _SHARED.search(q)]


def compare_databases(
    a: Sequence[Profile], b: ProfileIndex | Sequence[Profile], workers: int = 1
) -> list[MatchResult]:
    """Every matching pair (a profile of ``a``, a profile of ``b``), in the order of ``a``.

    ``workers`` > 1 forks processes that share the index copy-on-write (POSIX only).
    """
    global _SHARED
    index = b if isinstance(b, ProfileIndex) else ProfileIndex.from_profiles(b)
    if workers <= 1 or len(a) < 2 * workers:
        return [m for q in a for m in index.search(q)]
    _SHARED = index
    try:
        size = max(1, min(2000, len(a) // (workers * 8)))
        chunks = [a[i : i + size] for i in range(0, len(a), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [m for part in pool.map(_search_chunk, chunks) for m in part]
    finally:
        _SHARED = None


@dataclass(frozen=True)
class PeerHit:
    """What a peer learns from a hit: an opaque reference and the quality, no personal data."""

    reference: str
    quality: Quality
    needs_lab_confirmation: bool


@dataclass(frozen=True)
class PrumAnswer:
    """HIT / NO HIT for a cross-border search."""

    hits: tuple[PeerHit, ...]

    @property
    def hit(self) -> bool:
        return bool(self.hits)


def prum_answer(
    query: Profile, index: ProfileIndex, reference_for: Callable[[str], str]
) -> PrumAnswer:
    """Answer a peer's search. The query must meet the exchange rules; ``reference_for`` turns a
    local profile id into the opaque reference the federation hands out."""
    flags = exchange_flags(query)
    if flags:
        raise ValidationFailed(
            f"profile {query.profile_id} may not be exchanged: {', '.join(flags)}", flags=flags
        )
    hits = tuple(
        PeerHit(reference_for(m.b_id), m.quality, m.needs_lab_confirmation)
        for m in sorted(index.search(query), key=lambda m: m.quality)
    )
    return PrumAnswer(hits)


__all__ = [
    "ImportReport",
    "PeerHit",
    "PrumAnswer",
    "RowError",
    "SearchHit",
    "compare_databases",
    "import_profiles",
    "load_profiles",
    "national_search",
    "prum_answer",
    "search",
]
