"""Console pages of DNA matches as users work with them: the list (search, scope and status
filters, pages, CSV export) and one match, both profiles locus by locus with the differing
alleles marked. Thin: the store reads (audited), the list kit pages and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from passerelle.bounds import RowId
from passerelle.dna import rules
from passerelle.dna.model import MatchRecord
from passerelle.dna.service import store
from passerelle.errors import NotFound
from passerelle.kit import labels, listkit
from passerelle.kit.i18n import N_
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/dna", include_in_schema=False)
OVERSIGHT = ("analyst", "supervisor", "dpo")

labels.register(
    "dna.sample_type",
    {
        rules.SampleType.REFERENCE_PERSON.value: N_("Reference sample of a person"),
        rules.SampleType.CRIME_STAIN.value: N_("Crime-scene stain"),
        rules.SampleType.MISSING_PERSON.value: N_("Missing person"),
        rules.SampleType.UNIDENTIFIED_REMAINS.value: N_("Unidentified remains"),
    },
)
assert set(labels.labels_of("dna.sample_type")) == {s.value for s in rules.SampleType}
labels.register(
    "dna.scope",
    {
        "national": N_("national"),
        "out": N_("our search abroad"),
        "in": N_("a peer's search here"),
    },
)
labels.register(
    "dna.status",
    {"candidate": N_("to review"), "confirmed": N_("confirmed"), "rejected": N_("rejected")},
)
labels.register(
    "dna.quality",
    {
        "1": N_("exact match"),
        "2": N_("match with a wildcard"),
        "3": N_("match with a microvariant"),
        "4": N_("near match (one allele differs)"),
    },
)

MATCH_CSV: tuple[listkit.Column[MatchRecord], ...] = (
    listkit.Column("id", lambda m: m.id, numeric=True),
    listkit.Column("created_at", lambda m: m.created_at.isoformat()),
    listkit.Column("scope", lambda m: m.scope),
    listkit.Column("searched_profile", lambda m: m.query_ref),
    listkit.Column("matched_profile", lambda m: m.matched_ref),
    listkit.Column("peer", lambda m: m.peer or ""),
    listkit.Column("rule", lambda m: m.rule),
    listkit.Column("quality", lambda m: m.quality or "", numeric=True),
    listkit.Column("matching_loci", lambda m: m.matching_loci or "", numeric=True),
    listkit.Column("mismatched_alleles", lambda m: m.mismatched_alleles or "", numeric=True),
    listkit.Column("rmp", lambda m: m.rmp if m.rmp is not None else "", numeric=True),
    listkit.Column("status", lambda m: m.status),
)


def matches(request: Request, session: Session, principal: Principal) -> Response | dict[str, Any]:
    """The list's rows and context, or its CSV (used by ``console.matches_page``)."""
    node = node_of(request)
    query = listkit.ListQuery.of(request, "scope", "status")
    rows = [
        m
        for m in store.list_matches(
            session,
            node,
            store.access_for(principal, node),
            scope=query.get("scope") or None,
            limit=5000,
        )
        if query.get("status") in ("", m.status)
        and listkit.text_matches(query.q, m.query_ref, m.matched_ref, m.peer)
    ]
    if query.wants_csv:
        return listkit.csv_response("dna-matches.csv", MATCH_CSV, rows)
    return {
        "page": listkit.paginate(rows, query),
        "query": query,
        "filters": [
            ("scope", N_("Scope"), labels.options("dna.scope")),
            ("status", N_("Status"), labels.options("dna.status")),
        ],
    }


@dataclass(frozen=True)
class LocusRow:
    """One locus of a match: the searched and the matched profile's alleles."""

    locus: str
    searched: list[str]
    matched: list[str]

    @property
    def differs(self) -> bool:
        return bool(self.searched and self.matched) and sorted(self.searched) != sorted(
            self.matched
        )

    def odd(self, allele: str, other: list[str]) -> bool:
        """An allele of one side the other side does not have at this locus."""
        return bool(other) and allele not in other


def _profile(session: Session, request: Request, principal: Principal, ref: str) -> Any:
    node = node_of(request)
    try:
        return store.get_profile(session, node, store.access_for(principal, node), ref)
    except NotFound:
        return None  # a peer's profile: only its opaque reference is known here


@router.get("/matches/{match_id}")
def match_page(
    request: Request,
    match_id: RowId,
    session: DbSession,
    principal: Principal = require(*OVERSIGHT),
) -> Response:
    match = session.get(MatchRecord, match_id)
    if match is None:
        raise NotFound(f"no DNA match {match_id}")
    node = node_of(request)
    store.access_for(principal, node).trace(
        session, "read", "dna.match", str(match.id), now=node.clock.now()
    )
    searched = _profile(session, request, principal, match.query_ref) if match.query_ref else None
    matched = (
        _profile(session, request, principal, match.matched_ref)
        if match.scope != "out" and match.matched_ref
        else None
    )
    loci = sorted(set(searched.loci if searched else {}) | set(matched.loci if matched else {}))
    rows = [
        LocusRow(
            locus,
            [str(a) for a in (searched.loci.get(locus, []) if searched else [])],
            [str(a) for a in (matched.loci.get(locus, []) if matched else [])],
        )
        for locus in loci
    ]
    return render(
        request,
        "dna/match.html",
        {"m": match, "searched": searched, "matched": matched, "rows": rows},
    )


__all__ = ["matches", "router"]
