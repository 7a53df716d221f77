"""Reports in the node, analysed: findings stored once, decided once, every read audited and
limited to the FIU role; reports leave after five years."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from passerelle.errors import Conflict, PermissionDenied
from passerelle.financing.model import Finding, Party, Report, Transfer
from passerelle.financing.service import analysis, reports, svg
from passerelle.financing.service.parse import parse_csv
from passerelle.node import Node
from passerelle.privacy import AuditEntry, FrozenClock, Principal, retention
from tests.financing.conftest import fiu

HEADER = (
    "report_reference,reporting_entity,submitted_on,transaction_number,occurred_at,amount,"
    "currency,from_account,to_account,from_holder,from_address,to_chain\n"
)


def _load(node: Node, body: str) -> None:
    with node.session() as session:
        for parsed in parse_csv((HEADER + body).encode()):
            assert reports.accept(session, node, parsed, "test", "csv") is None


def test_findings_are_stored_once_decided_once_and_audited(node: Node) -> None:
    rows = "".join(
        f"R1,BANK,2026-11-20,T{i},2026-11-0{1 + i % 5}T10:00:00,{14_000 + i},EUR,S,T{i},"
        f"Karim Benali,1 rue X,\n"
        for i in range(3)
    )
    _load(node, rows)
    with node.session() as session:
        analysis.add_list_entry(session, node, "dealer", account="T2", origin="dealers FR")
        new = analysis.analyse(session, node, fiu())
        assert {f.rule for f in new} == {"structuring", "art_dealer"}
        assert analysis.analyse(session, node, fiu()) == []
        finding = next(f for f in new if f.rule == "structuring")
        assert "<svg" in svg.draw(finding.edges, ("S",)) and "S" in finding.explanation
        analysis.decide(session, node, fiu(), finding.id, "confirmed")
        with pytest.raises(Conflict):
            analysis.decide(session, node, fiu(), finding.id, "dismissed")
        entries = [
            (e.action, e.object_type, e.object_id) for e in session.scalars(select(AuditEntry))
        ]
    assert ("write", "financing.finding", finding.id) in entries
    assert ("read", "financing.transfer", "*") in entries


def test_only_the_fiu_reads_and_every_read_is_audited(node: Node) -> None:
    _load(node, "R9,BANK,2026-11-20,T1,2026-11-01T10:00:00,100,EUR,A,B,Ann Lee,,\n")
    analyst = Principal(kind="user", id=2, name="paul", agency="FR",
                        roles=frozenset({"analyst", "supervisor"}))  # fmt: skip
    with node.session() as session:
        with pytest.raises(PermissionDenied):
            reports.list_reports(session, node, analyst)
        (row,) = reports.list_reports(session, node, fiu())
        report = reports.get_report(session, node, fiu(), row.id)
        assert report.transfers[0].amount == 100.0
        assert {p.kind for p in report.parties} == {"account", "person"}
        reads = [e.object_id for e in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "financing.report")
        )]  # fmt: skip
    assert reads == ["*", row.id]


def test_reports_are_deleted_five_years_after_they_arrived(node: Node, clock: FrozenClock) -> None:
    _load(node, "R1,BANK,2026-11-20,T1,2026-11-01T10:00:00,100,EUR,A,B,,,\n")

    def counts() -> tuple[int, int, int]:
        with node.session() as session:
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).select_from(t)) or 0
                for t in (Report, Party, Transfer)
            )

    assert counts() == (1, 2, 1)
    clock.advance(timedelta(days=5 * 365))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert counts() == (1, 2, 1)
    clock.advance(timedelta(days=2))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert counts() == (0, 0, 0)
    with node.session() as session:
        assert session.scalar(select(func.count(Finding.id))) == 0
