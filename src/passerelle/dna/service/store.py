"""The node's DNA database: import with a validation report, audited reads, national searches
recorded as match records, and the retention operations.

Business logic over the tables of :mod:`passerelle.dna.model`; the pure rules stay in
:mod:`passerelle.dna.service`. Every access to stored profiles is audited through
:class:`~passerelle.privacy.access.Access`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.dna import rules, service
from passerelle.dna.harmonise import make_profile
from passerelle.dna.index import ProfileIndex
from passerelle.dna.model import MatchRecord, StoredProfile
from passerelle.dna.profiles import Profile
from passerelle.dna.rules import Quality, SampleType, Stringency
from passerelle.dna.stats import Method, load_population, random_match_probability
from passerelle.errors import NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Access, Principal

QUALITY_NAMES = {1: "exact", 2: "wildcard", 3: "microvariant", 4: "near match"}
_STATE_KEY = "dna.index"


def access_for(principal: Principal, node: Node, purpose: str = rules.PURPOSE) -> Access:
    """The access a DNA operation runs under (purpose and legal basis of the DNA database)."""
    return Access(principal, node.code, purpose, rules.LEGAL_BASIS)


def cli_access(node: Node, user: str) -> Access:
    """The access of a command run on the node itself (``passerelle dna import``)."""
    principal = Principal(kind="cli", id=0, name=f"cli:{user}", agency="node", roles=frozenset())
    return access_for(principal, node)


# --- import ------------------------------------------------------------------------------


def with_defaults(
    rows: Iterable[tuple[int, Mapping[str, str]]], **defaults: str | None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with ``sample_type``/``laboratory``/``kit`` filled in where the row leaves them
    empty (a column in the file wins over the command's option)."""
    given = {k: v for k, v in defaults.items() if v}
    for line, row in rows:
        merged = dict(row)
        for key, value in given.items():
            if not merged.get(key):
                merged[key] = value
        yield line, merged


@dataclass
class StoreOutcome:
    """An import's validation report and what it changed in the node."""

    report: service.ImportReport
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "accepted": [p.profile_id for p in r.profiles],
            "created": self.created,
            "updated": self.updated,
            "rejected": r.rejected,
            "errors": [
                {"line": e.line, "profile_id": e.profile_id, "message": e.message} for e in r.errors
            ],
            "warnings": [
                {"line": e.line, "profile_id": e.profile_id, "message": e.message}
                for e in r.warnings
            ],
            "flagged": r.flagged,
        }


def _loci_json(profile: Profile) -> dict[str, list[str]]:
    return {locus: [a.value for a in alleles] for locus, alleles in sorted(profile.loci.items())}


def _registered(profile: Profile, now: datetime) -> datetime:
    """When the profile was registered: the given date (national database), else now."""
    if not profile.registered_on:
        return now
    given = datetime.combine(date.fromisoformat(profile.registered_on), time(), tzinfo=UTC)
    return min(given, now)


def store_profiles(
    session: Session,
    node: Node,
    access: Access,
    rows: Iterable[Mapping[str, str] | tuple[int, Mapping[str, str]]],
    *,
    audited: bool = True,
) -> StoreOutcome:
    """Validate rows, store every accepted profile (a known national reference is replaced),
    and audit the write. Rejected profiles are listed, never stored. ``audited=False`` is for
    synthetic demo seeding only, where nobody accesses personal data."""
    report = service.import_profiles(rows)
    outcome = StoreOutcome(report)
    now = node.clock.now()
    refs = [p.profile_id for p in report.profiles]
    existing = {
        row.national_reference: row
        for chunk in _chunks(refs, 500)
        for row in session.scalars(
            select(StoredProfile).where(StoredProfile.national_reference.in_(chunk))
        )
    }
    for profile in report.profiles:
        flags = report.flagged.get(profile.profile_id, [])
        row = existing.get(profile.profile_id)
        if row is None:
            row = StoredProfile(
                national_reference=profile.profile_id,
                created_by=access.principal.name,
                created_at=now,
                registered_at=_registered(profile, now),
            )
            session.add(row)
            outcome.created.append(profile.profile_id)
        else:
            # A re-import replaces the alleles; it never restarts the retention count: the
            # earlier of the stored and the given registration stays.
            row.registered_at = min(row.registered_at, _registered(profile, now))
            outcome.updated.append(profile.profile_id)
        row.sample_type = profile.sample_type.value
        row.kit = profile.kit
        row.laboratory = profile.laboratory
        row.single_source = profile.single_source
        row.loci = _loci_json(profile)
        row.flags = list(flags)
        row.exchangeable = not flags
        row.updated_at = now
        row.person_status = profile.person_status or row.person_status or None
        row.minor = profile.minor or bool(row.minor)
        row.listed_offence = profile.listed_offence or bool(row.listed_offence)
        if profile.final_decision_on:
            row.final_decision_on = date.fromisoformat(profile.final_decision_on)
    if refs and audited:
        access.trace(
            session,
            "write",
            "dna.profile",
            refs[0] if len(refs) == 1 else "*",
            now=now,
            details={
                "created": len(outcome.created),
                "updated": len(outcome.updated),
                "refs": refs[:50],
            },
        )
    return outcome


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- reading -----------------------------------------------------------------------------


def profile_of(row: StoredProfile) -> Profile:
    """The harmonised profile of a stored row."""
    return make_profile(
        row.national_reference,
        row.loci,
        sample_type=SampleType(row.sample_type),
        kit=row.kit,
        laboratory=row.laboratory,
        single_source=row.single_source,
    )


def _row(session: Session, reference: str) -> StoredProfile:
    row = session.scalars(
        select(StoredProfile).where(StoredProfile.national_reference == reference)
    ).first()
    if row is None:
        raise NotFound(f"no DNA profile {reference!r} on this node")
    return row


def get_profile(session: Session, node: Node, access: Access, reference: str) -> StoredProfile:
    """One stored profile; the read is audited."""
    row = _row(session, reference)
    access.trace(session, "read", "dna.profile", reference, now=node.clock.now())
    return row


#: ``() -> [(row id, national reference, sample type, exchangeable, loci)]``
Loader = Callable[[], list[tuple[Any, ...]]]


def _generation(session: Session) -> tuple[Any, ...]:
    return tuple(session.execute(GENERATION).one())


INDEX_COLUMNS = (
    StoredProfile.id,
    StoredProfile.national_reference,
    StoredProfile.sample_type,
    StoredProfile.exchangeable,
    StoredProfile.loci,
)
GENERATION = select(func.count(StoredProfile.id), func.max(StoredProfile.updated_at))


def _load(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(select(*INDEX_COLUMNS).order_by(StoredProfile.id))]


@dataclass(frozen=True)
class NodeIndex:
    """The node's profiles in a search index, and which of them may be exchanged."""

    generation: tuple[Any, ...]
    index: ProfileIndex
    exchangeable: frozenset[str]
    row_ids: Mapping[str, int]


def node_index(
    node: Node, generation: tuple[Any, ...], load: Loader, key: str = "orm"
) -> NodeIndex:
    """The cached index of the node's profiles, rebuilt when the table changed (count or last
    update differ), so imports by another process are seen at the next search."""
    cached: NodeIndex | None = node.state.get(f"{_STATE_KEY}.{key}")
    if cached is not None and cached.generation == generation:
        return cached
    profiles, shareable, row_ids = [], set(), {}
    for row_id, reference, sample_type, exchangeable, loci in load():
        raw = json.loads(loci) if isinstance(loci, str) else loci
        profiles.append(make_profile(reference, raw, sample_type=SampleType(sample_type)))
        row_ids[reference] = int(row_id)
        if exchangeable:
            shareable.add(reference)
    built = NodeIndex(
        generation, ProfileIndex.from_profiles(profiles), frozenset(shareable), row_ids
    )
    node.state[f"{_STATE_KEY}.{key}"] = built
    return built


def session_index(session: Session, node: Node) -> NodeIndex:
    return node_index(node, _generation(session), lambda: _load(session))


# --- national search ---------------------------------------------------------------------


@dataclass(frozen=True)
class NodeHit:
    """A national search result as shown to an analyst."""

    matched_ref: str
    matching_loci: int | None
    mismatched_alleles: int | None
    quality: int | None
    rmp: float | None
    needs_lab_confirmation: bool
    rule: str
    match_id: int


def query_profile(
    session: Session,
    node: Node,
    access: Access,
    reference: str | None,
    loci: Mapping[str, Sequence[str]] | None,
) -> Profile:
    """The profile to search: a stored one (audited read) or one given inline."""
    if reference:
        return profile_of(get_profile(session, node, access, reference))
    if not loci:
        raise ValidationFailed("give a stored profile_id or the loci of the profile to search")
    return make_profile("query", loci)


def national_search(
    session: Session,
    node: Node,
    access: Access,
    query: Profile,
    *,
    population: str = rules.DEFAULT_POPULATION,
    theta: float = rules.DEFAULT_THETA,
    method: Method = Method.NRC2_41,
    stringency: Stringency | None = None,
) -> list[NodeHit]:
    """Search the node's profiles (Prüm rules, or a CODIS stringency) and record each match."""
    now = node.clock.now()
    table = load_population(population)
    rmp = random_match_probability(query, table, theta, method).value
    found: list[tuple[str, int | None, int | None, Quality | None, bool]] = []
    if stringency is not None:
        rows = session.scalars(select(StoredProfile).order_by(StoredProfile.id))
        database = [profile_of(r) for r in rows if r.national_reference != query.profile_id]
        found = [
            (ref, None, None, None, False)
            for ref in service.national_search(query, database, stringency)
        ]
        rule = f"codis-{stringency.value}"
    else:
        index = session_index(session, node).index
        for hit in service.search(query, index, table, theta, method):
            m = hit.match
            if m.b_id != query.profile_id:
                found.append(
                    (
                        m.b_id,
                        m.matching_loci,
                        m.mismatched_alleles,
                        m.quality,
                        hit.needs_lab_confirmation,
                    )
                )
        rule = "prum"
    hits = []
    for ref, loci_count, mismatched, quality, lab in found:
        record = MatchRecord(
            scope="national",
            rule=rule,
            query_ref=query.profile_id,
            matched_ref=ref,
            matching_loci=loci_count,
            mismatched_alleles=mismatched,
            quality=int(quality) if quality is not None else None,
            rmp=rmp,
            needs_lab_confirmation=lab,
            created_by=access.principal.name,
            created_at=now,
        )
        session.add(record)
        session.flush()
        hits.append(NodeHit(ref, loci_count, mismatched, record.quality, rmp, lab, rule, record.id))
    access.trace(
        session,
        "read",
        "dna.search",
        query.profile_id,
        now=now,
        outcome="hit" if hits else "no_hit",
        details={"rule": rule, "matches": [h.matched_ref for h in hits][:50]},
    )
    return hits


REVIEW_DECISIONS = ("confirmed", "rejected")


def review_match(
    session: Session, node: Node, access: Access, match_id: int, decision: str, note: str
) -> MatchRecord:
    """Record a person's review of a candidate match (DESIGN principle 5: automated matches
    are candidates until reviewed; for quality 3 and 4 the note should cite the laboratory's
    confirmation)."""
    if decision not in REVIEW_DECISIONS:
        raise ValidationFailed(f"decision must be one of {', '.join(REVIEW_DECISIONS)}")
    match = session.get(MatchRecord, match_id)
    if match is None:
        raise NotFound(f"no DNA match {match_id}")
    if match.status != "candidate":
        raise ValidationFailed(f"match {match_id} was already reviewed ({match.status})")
    if match.needs_lab_confirmation and decision == "confirmed" and not note.strip():
        raise ValidationFailed(
            "this match needs the laboratory's confirmation: cite it in the note"
        )
    match.status = decision
    access.trace(
        session,
        "write",
        "dna.match",
        str(match_id),
        now=node.clock.now(),
        outcome=decision,
        details={"note": note[:500], "quality": match.quality},
    )
    return match


def list_matches(
    session: Session, node: Node, access: Access, *, scope: str | None = None, limit: int = 200
) -> list[MatchRecord]:
    """Recorded matches, newest first; the read is audited."""
    query = select(MatchRecord).order_by(MatchRecord.created_at.desc(), MatchRecord.id.desc())
    if scope:
        query = query.where(MatchRecord.scope == scope)
    rows = list(session.scalars(query.limit(limit)))
    access.trace(
        session, "read", "dna.match", "*", now=node.clock.now(), details={"count": len(rows)}
    )
    return rows


__all__ = [
    "GENERATION",
    "INDEX_COLUMNS",
    "QUALITY_NAMES",
    "NodeHit",
    "NodeIndex",
    "StoreOutcome",
    "access_for",
    "cli_access",
    "get_profile",
    "list_matches",
    "national_search",
    "node_index",
    "profile_of",
    "query_profile",
    "review_match",
    "session_index",
    "store_profiles",
    "with_defaults",
]
