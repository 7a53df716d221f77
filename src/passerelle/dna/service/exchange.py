"""Cross-border DNA search over the federation: the ``dna`` kind (Prüm model).

- On the requested node, :func:`peer_search` answers HIT / NO HIT under the Prüm rules against
  the node's *exchangeable* profiles; a query that breaks the exchange rules (mixture, too few
  designated loci) is refused with its reason, never answered NO HIT.
- The HIT carries an opaque reference (federation's) **and the quality class**: ``quality``,
  ``quality_name`` and ``needs_lab_confirmation`` go in the signed reply as the search result's
  ``extra`` fields. The kind's ``on_hit`` and ``on_answer`` hooks record the match on both
  sides, inside federation's transaction. Nothing else in the answer changes.
- Personal data follow only through federation's follow-up workflow: :func:`peer_fetch`
  returns the releasable fields behind a reference, a supervisor on the requested node chooses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.dna import rules
from passerelle.dna.harmonise import exchange_flags, make_profile, prum_genotype
from passerelle.dna.model import CrossBorderSearch, MatchRecord, StoredProfile
from passerelle.dna.rules import NEEDS_LAB_CONFIRMATION, Quality, SampleType
from passerelle.dna.service import prum_answer, store
from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import Answer, Envelope, QueryIn, Reference
from passerelle.node import Node
from passerelle.privacy import Principal

KIND = "dna"
MAX_REFERENCED = 10


def _peer_index(node: Node) -> store.NodeIndex:
    generation = tuple(node.db.read_committed(store.GENERATION)[0])
    query = select(*store.INDEX_COLUMNS).order_by(StoredProfile.id)
    return store.node_index(node, generation, lambda: node.db.read_committed(query), key="raw")


def peer_search(payload: Mapping[str, Any], node: Node) -> federation.SearchResult:
    """Requested node: HIT with an internal reference ``quality:lab:row ids`` or NO HIT."""
    loci = payload.get("loci")
    if not isinstance(loci, dict) or not loci:
        raise NotFound("refused: the query carries no loci")
    try:
        raw = {
            str(k): [str(a) for a in (v if isinstance(v, list) else [v])] for k, v in loci.items()
        }
        # The requester applied the reference-profile rule (6 of the 7 ESS loci) before sending;
        # a query carries no sample type, so here only the general rules apply.
        query = make_profile(
            "peer-query",
            raw,
            single_source=payload.get("single_source", True) is not False,
            sample_type=SampleType.CRIME_STAIN,
        )
        indexed = _peer_index(node)
        answer = prum_answer(query, indexed.index, lambda ref: ref)
    except ValidationFailed as exc:
        # federation passes a NotFound's message back to the requester; other errors generically
        raise NotFound(f"refused: {exc.message}") from exc
    hits = [h for h in answer.hits if h.reference in indexed.exchangeable]
    if not hits:
        return federation.SearchResult.no_hit()
    best = hits[0]
    ids = ",".join(str(indexed.row_ids[h.reference]) for h in hits[:MAX_REFERENCED])
    return federation.SearchResult(
        True,
        f"{int(best.quality)}:{int(best.needs_lab_confirmation)}:{ids}",
        extra={
            "quality": int(best.quality),
            "quality_name": store.QUALITY_NAMES[int(best.quality)],
            "needs_lab_confirmation": best.needs_lab_confirmation,
        },
    )


def _parse(internal_ref: str) -> tuple[Quality, bool, list[int]]:
    quality, lab, ids = internal_ref.split(":", 2)
    return Quality(int(quality)), lab == "1", [int(i) for i in ids.split(",") if i]


def peer_fetch(internal_ref: str, node: Node) -> dict[str, str]:
    """Requested node: the fields a supervisor may release for a HIT (per matching profile)."""
    quality, lab, ids = _parse(internal_ref)
    columns = (
        StoredProfile.id,
        StoredProfile.national_reference,
        StoredProfile.sample_type,
        StoredProfile.laboratory,
        StoredProfile.kit,
        StoredProfile.loci,
    )
    rows = node.db.read_committed(
        select(*columns).where(StoredProfile.id.in_(ids)).order_by(StoredProfile.id)
    )
    if not rows:
        raise NotFound("the matching DNA profile is no longer held")
    fields = {
        "quality": f"{int(quality)} ({store.QUALITY_NAMES[int(quality)]})",
        "needs_lab_confirmation": "yes" if lab else "no",
    }
    for i, (_, reference, sample_type, laboratory, kit, loci) in enumerate(rows, 1):
        prefix = "" if len(rows) == 1 else f"profile_{i}_"
        raw = json.loads(loci) if isinstance(loci, str) else loci
        fields[f"{prefix}national_reference"] = reference
        fields[f"{prefix}sample_type"] = sample_type
        fields[f"{prefix}laboratory"] = laboratory or ""
        fields[f"{prefix}kit"] = kit or ""
        fields[f"{prefix}profile"] = "; ".join(f"{k} {','.join(v)}" for k, v in raw.items())
    return fields


# --- federation hooks: the match is recorded on both sides, with the message ---------------


def _record_in(session: Session, node: Node, message: Envelope, ref: Reference) -> None:
    """Requested node, on a HIT: one ``in`` match per profile behind the reference."""
    quality, lab, ids = _parse(ref.internal_ref)
    for row in session.scalars(select(StoredProfile).where(StoredProfile.id.in_(ids))):
        session.add(
            MatchRecord(
                scope="in",
                query_ref=f"{message.sender} {message.case_ref}".strip()[:100],
                matched_ref=row.national_reference,
                peer=message.sender,
                query_id=message.id,
                quality=int(quality),
                needs_lab_confirmation=lab,
                created_by=f"peer:{message.sender}",
                created_at=node.clock.now(),
            )
        )


def _record_out(session: Session, node: Node, message: Envelope, answer: Answer) -> None:
    """Requesting node, once per answer recorded: an ``out`` match for a HIT with a quality.

    During :func:`cross_border` the answer comes before the search is linked to its profile;
    the link then fills in ``query_ref`` and ``created_by``. A late answer finds the link.
    """
    raw_quality = message.payload.get("quality")
    if answer.status != "hit" or raw_quality not in (1, 2, 3, 4):
        return
    quality = Quality(int(raw_quality))
    link = session.get(CrossBorderSearch, answer.query_id)
    session.add(
        MatchRecord(
            scope="out",
            query_ref=link.profile_ref if link else "",
            matched_ref=str(message.payload.get("reference", ""))[:100],
            peer=message.sender,
            query_id=answer.query_id,
            quality=int(quality),
            # decided here too: a peer cannot waive the confirmation the rules require
            needs_lab_confirmation=quality in NEEDS_LAB_CONFIRMATION
            or bool(message.payload.get("needs_lab_confirmation")),
            created_by=link.requested_by if link else "",
            created_at=node.clock.now(),
        )
    )


def register() -> None:
    """Register the ``dna`` kind with its hooks (idempotent: it replaces an earlier one)."""
    federation.register_kind(
        KIND, peer_search, peer_fetch, on_hit=_record_in, on_answer=_record_out, replace=True
    )


# --- requesting side -------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerAnswer:
    peer: str
    status: str
    reference: str | None
    detail: str
    quality: int | None
    quality_name: str | None
    needs_lab_confirmation: bool


@dataclass(frozen=True)
class CrossBorderResult:
    query_id: str
    profile_id: str
    complete: bool
    answers: list[PeerAnswer]


def result_of(session: Session, query_id: str) -> CrossBorderResult:
    """A cross-border search with each peer's answer and, for a HIT, its quality class."""
    out = federation.get_query(session, query_id)
    if out.kind != KIND:
        raise NotFound(f"no DNA search {query_id}")
    link = session.get(CrossBorderSearch, query_id)
    matches = {
        m.peer: m
        for m in session.scalars(
            select(MatchRecord).where(MatchRecord.scope == "out", MatchRecord.query_id == query_id)
        )
    }
    answers = []
    for a in out.answers:
        m = matches.get(a.peer) if a.status == "hit" else None
        answers.append(
            PeerAnswer(
                peer=a.peer,
                status=a.status,
                reference=a.reference,
                detail=a.detail,
                quality=m.quality if m else None,
                quality_name=store.QUALITY_NAMES[m.quality] if m and m.quality else None,
                needs_lab_confirmation=bool(m and m.needs_lab_confirmation),
            )
        )
    return CrossBorderResult(query_id, link.profile_ref if link else "", out.complete, answers)


def _prepare(
    node: Node, principal: Principal, profile_ref: str, purpose: str
) -> dict[str, list[str]]:
    with node.session() as session:
        access = store.access_for(principal, node, purpose)
        profile = store.profile_of(store.get_profile(session, node, access, profile_ref))
    flags = exchange_flags(profile)
    if flags:
        raise ValidationFailed(
            f"profile {profile_ref} may not be exchanged: {', '.join(flags)}", flags=flags
        )
    return {locus: [a.value for a in prum_genotype(g)] for locus, g in sorted(profile.loci.items())}


async def cross_border(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    *,
    profile_ref: str,
    peers: list[str] | None,
    case_ref: str,
    purpose: str = rules.PURPOSE,
) -> CrossBorderResult:
    """Search one stored profile against one or all peers (HIT / NO HIT with quality)."""
    loci = await run_in_threadpool(_prepare, node, principal, profile_ref, purpose)
    query = QueryIn(
        kind=KIND,
        payload={"loci": loci},
        peers=peers or None,
        case_ref=case_ref,
        purpose=purpose,
        legal_basis=rules.PRUM_LEGAL_BASIS,
    )
    sent = await federation.send_query(node, client, principal, query)

    def link() -> CrossBorderResult:
        with node.session() as session:
            session.add(
                CrossBorderSearch(
                    query_id=sent.id,
                    profile_ref=profile_ref,
                    requested_by=principal.name,
                    created_at=node.clock.now(),
                )
            )
            for m in session.scalars(
                select(MatchRecord).where(
                    MatchRecord.query_id == sent.id, MatchRecord.scope == "out"
                )
            ):
                m.query_ref, m.created_by = profile_ref, principal.name
            session.flush()
            return result_of(session, sent.id)

    return await run_in_threadpool(link)


__all__ = [
    "KIND",
    "CrossBorderResult",
    "PeerAnswer",
    "cross_border",
    "peer_fetch",
    "peer_search",
    "register",
    "result_of",
]
