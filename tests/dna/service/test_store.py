"""The node's DNA database: import with a validation report, national search recorded as
matches, audited reads, retention by sample type with a moved clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from passerelle.dna import csvio
from passerelle.dna.model import MatchRecord, StoredProfile
from passerelle.dna.rules import Stringency
from passerelle.dna.service import store
from passerelle.node import Node
from passerelle.privacy import AuditEntry, FrozenClock, Principal, retention
from tests.dna.nodes import OTHER, csv_of

ANA = Principal(kind="user", id=1, name="ana", agency="FR", roles=frozenset({"analyst"}))


def _import(node: Node, text: str, **defaults: str) -> store.StoreOutcome:
    with node.session() as session:
        rows = store.with_defaults(csvio.read_rows(text), **defaults)
        return store.store_profiles(session, node, store.access_for(ANA, node), rows)


def test_import_stores_good_profiles_and_reports_bad_lines_by_number(node: Node) -> None:
    text = csv_of({"FR-1": {}, "FR-2": {"TH01": "6,9.33"}, "FR-3": {"vWA": "17,17,18,19"}})
    outcome = _import(node, text, sample_type="crime_stain", laboratory="LPS Lyon")
    report = outcome.report
    assert [p.profile_id for p in report.profiles] == ["FR-1", "FR-3"]
    assert report.rejected == ["FR-2"]
    (error,) = report.errors
    assert error.profile_id == "FR-2" and "9.33" in error.message
    assert error.line == 1 + 13 + 6  # header, FR-1 on 13 lines, TH01 is the 6th line of FR-2
    assert report.flagged == {"FR-3": ["mixture"]}
    with node.session() as session:
        rows = {r.national_reference: r for r in session.scalars(select(StoredProfile))}
    assert set(rows) == {"FR-1", "FR-3"}
    assert rows["FR-1"].sample_type == "crime_stain" and rows["FR-1"].laboratory == "LPS Lyon"
    assert rows["FR-1"].exchangeable and not rows["FR-3"].exchangeable


def test_reimport_updates_and_a_column_beats_the_default(node: Node) -> None:
    _import(node, csv_of({"FR-1": {}}))
    text = csv_of({"FR-1": {"TH01": "7,9.3"}})
    text = text.replace("allele_2", "allele_2,sample_type", 1)
    text = "\n".join(
        line if i == 0 else line + ",missing_person" for i, line in enumerate(text.splitlines())
    )
    outcome = _import(node, text, sample_type="crime_stain")
    assert outcome.updated == ["FR-1"] and outcome.created == []
    with node.session() as session:
        row = session.scalars(select(StoredProfile)).one()
    assert row.sample_type == "missing_person"
    assert row.loci["TH01"] == ["7", "9.3"]


def test_national_search_records_matches_with_quality_rmp_and_lab_flag(node: Node) -> None:
    _import(node, csv_of({"FR-1": {}, "FR-2": {"TH01": "6,9.2"}, "FR-3": OTHER}))
    with node.session() as session:
        access = store.access_for(ANA, node)
        query = store.query_profile(session, node, access, "FR-1", None)
        hits = store.national_search(session, node, access, query)
    assert [(h.matched_ref, h.quality, h.needs_lab_confirmation) for h in hits] == [
        ("FR-2", 3, True)
    ]
    assert hits[0].rmp is not None and 0 < hits[0].rmp < 1e-9
    with node.session() as session:
        codis = store.national_search(
            session, node, store.access_for(ANA, node), query, stringency=Stringency.HIGH
        )
        recorded = list(session.scalars(select(MatchRecord).order_by(MatchRecord.id)))
    assert codis == []
    assert [(m.scope, m.query_ref, m.matched_ref, m.quality) for m in recorded] == [
        ("national", "FR-1", "FR-2", 3)
    ]


def test_reads_and_writes_are_audited(node: Node) -> None:
    _import(node, csv_of({"FR-1": {}}))
    with node.session() as session:
        access = store.access_for(ANA, node)
        store.get_profile(session, node, access, "FR-1")
        store.list_matches(session, node, access)
    with node.session() as session:
        entries = [
            (e.actor, e.action, e.object_type, e.object_id)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.object_type.like("dna.%")))
        ]
    assert entries == [
        ("ana", "write", "dna.profile", "FR-1"),
        ("ana", "read", "dna.profile", "FR-1"),
        ("ana", "read", "dna.match", "*"),
    ]


def test_retention_deletes_suspects_profiles_before_stains(node: Node, clock: FrozenClock) -> None:
    _import(node, csv_of({"FR-REF": {}}), sample_type="reference_person")
    _import(node, csv_of({"FR-STAIN": OTHER}), sample_type="crime_stain")
    with node.session() as session:
        store.national_search(
            session,
            node,
            store.access_for(ANA, node),
            store.query_profile(session, node, store.access_for(ANA, node), "FR-REF", None),
        )

    def held() -> set[str]:
        with node.session() as session:
            return set(session.scalars(select(StoredProfile.national_reference)))

    # CPP R53-14 (2021): a suspect's profile 15 years from registration, a trace 25.
    clock.advance(timedelta(days=round(365.25 * 15) - 2))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert held() == {"FR-REF", "FR-STAIN"}
    clock.advance(timedelta(days=10))
    outcomes = {
        o.data_class: o
        for o in retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    }
    assert held() == {"FR-STAIN"}
    assert outcomes["dna_profile_suspect"].deleted == 1
    clock.advance(timedelta(days=round(365.25 * 10)))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert held() == set()
