"""Bulk import of the licence register: rows added, updated or left alone, errors per row with
their field and reason (quarantined), the same file twice changes nothing; CLI and API."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.precursors.model import Licence, Quarantine
from passerelle.precursors.service import check, licences, registers
from passerelle.privacy import AuditEntry
from tests.precursors.conftest import add_seller, principal, sale
from tests.precursors.test_api import bearer, staff_token
from tests.precursors.test_cli import invoke

HEADER = (
    "country,number,family_name,given_names,date_of_birth,substances,max_concentration,"
    "valid_from,valid_until\n"
)
GOOD = (
    "BE,BE-LIC-1,Lefevre,Jean Luc,1988-06-12,7722-84-1,35,2026-01-01,2027-12-31\n"
    "be,BE-LIC-2,Janssens,Anke,1975-03-02,7722-84-1|7697-37-2,10,2026-01-01,2027-12-31\n"
)
BAD = (
    "BE,BE-LIC-3,Peeters,,1970-01-01,7722-84-1,abc,2026-01-01,2027-12-31\n"
    "BE,BE-LIC-4,Peeters,,1970-01-01,7722-84-1,10,2026-02-30,2027-12-31\n"
    "BE,BE-LIC-1,Lefevre,Jean Luc,1988-06-12,7722-84-1,12,2026-01-01,2027-12-31\n"
)


def run_import(node: Node, data: str) -> licences.ImportResult:
    with node.session() as session:
        return licences.import_file(session, node, principal(), "test", data.encode())


def test_rows_are_imported_with_errors_per_row_and_a_rerun_changes_nothing(node: Node) -> None:
    first = run_import(node, HEADER + GOOD + BAD)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    assert [(r.line, r.field) for r in first.rejected] == [
        (4, "max_concentration"),
        (5, "valid_from"),
        (6, "number"),
    ]
    assert "repeated from line 2" in first.rejected[2].reason
    again = run_import(node, HEADER + GOOD)
    assert (again.added, again.updated, again.unchanged, again.rejected) == (0, 0, 2, [])
    changed = run_import(node, HEADER + GOOD.replace(",35,", ",30,"))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    with node.session() as session:
        assert session.scalar(select(func.count(Licence.id))) == 2
        assert registers.find_licence(session, "BE", "BE-LIC-1").max_concentration == 30.0
        kept = list(session.scalars(select(Quarantine).order_by(Quarantine.line)))
        assert [q.line for q in kept] == [4, 5, 6]
        assert b"abc" in kept[0].raw
        writes = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "precursors.licence")
        ).all()
        assert len(writes) == 3 and writes[0].outcome == "rejected"


def test_an_imported_licence_allows_the_sale_where_licences_are_issued(node: Node) -> None:
    node.settings = node.settings.with_(precursors_regimes="BE=licence")
    run_import(node, HEADER + GOOD)
    shop, _ = add_seller(node, code="brico-tournai", country="BE")
    data = sale(product={"sku": "H2O2-30"}, verification={"licence_number": "BE-LIC-1"})
    with node.session() as session:
        out = check.check(
            session, node, principal(), registers.get_seller(session, shop.code), data
        )
    assert out.out.decision == "allowed"


def test_a_revoked_licence_stays_revoked_after_an_import(node: Node) -> None:
    run_import(node, HEADER + GOOD)
    with node.session() as session:
        registers.revoke_licence(session, "BE", "BE-LIC-1", now=node.clock.now())
    assert run_import(node, HEADER + GOOD.replace(",35,", ",30,")).updated == 1
    with node.session() as session:
        assert registers.find_licence(session, "BE", "BE-LIC-1").revoked_at is not None


def test_a_file_without_the_columns_is_quarantined_whole(node: Node) -> None:
    result = run_import(node, "country,number\nBE,1\n")
    assert [(r.line, r.field) for r in result.rejected] == [(1, "file")]
    assert "missing columns: family_name" in result.rejected[0].reason


def test_cli_import_exits_3_with_rejects_and_0_on_a_clean_rerun(
    data_dir: Path,
    tmp_path: Path,
) -> None:
    mixed, clean, rejects = tmp_path / "mixed.csv", tmp_path / "clean.csv", tmp_path / "rej.csv"
    mixed.write_text(HEADER + GOOD + BAD)
    clean.write_text(HEADER + GOOD)
    out = invoke("precursors", "licence", "import", str(mixed), "--rejects", str(rejects), code=3)
    assert "2 added, 0 updated, 0 unchanged, 3 rejected" in out
    assert "line 4, max_concentration:" in out
    assert rejects.read_text().splitlines()[:2] == [
        "line,field,reason",
        '4,max_concentration,"Input should be a valid number, unable to parse string as a number"',
    ]
    assert "0 added, 0 updated, 2 unchanged, 0 rejected" in invoke(
        "precursors", "licence", "import", str(clean)
    )


def test_api_import_answers_counts_and_rows_and_needs_a_supervisor(
    node: Node, client: TestClient
) -> None:
    url = "/api/v1/precursors/licences/import"
    body = (HEADER + GOOD + BAD).encode()
    denied = client.post(url, headers=bearer(staff_token(node, "analyst")), content=body)
    assert denied.status_code == 403
    boss = bearer(staff_token(node, "supervisor"))
    answer = client.post(url, headers=boss, content=body)
    assert answer.status_code == 200
    data = answer.json()
    assert (data["added"], data["updated"], data["unchanged"]) == (2, 0, 0)
    assert data["rejected"][1] == {"line": 5, "field": "valid_from", "reason": "not a date"}
    again = client.post(url, headers=boss, content=(HEADER + GOOD).encode()).json()
    assert (again["added"], again["unchanged"], again["rejected"]) == (0, 2, [])
