"""``passerelle nat …`` as an access provider's operator runs it: the lookup contract."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from passerelle.evidence import plugin
from passerelle.settings import get_settings
from tests.evidence.nat.test_store import CSV

runner = CliRunner()
app = typer.Typer()
plugin.register_cli(app)


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output + repr(result.exception)
    return result.output


def test_lookup_by_log_by_mapping_not_covered_and_bad_input(data_dir: Path, tmp_path: Path) -> None:
    logs = tmp_path / "nat.csv"
    logs.write_bytes(CSV)
    out = invoke("nat", "ingest", str(logs), code=3)
    assert "2 records stored, 4 rejected" in out
    assert list((data_dir / "nat" / "quarantine").glob("*.csv"))
    invoke("nat", "pool", "add", "p1", "--inside", "198.51.100.0/24", "--outside",
           "192.0.2.0/28", "--ratio", "16")  # fmt: skip
    assert "4032 ports from 1024" in invoke("nat", "pool", "list")

    out = invoke("nat", "lookup", "203.0.113.7", "2100", "2026-12-03T11:15:00Z")
    assert out.startswith("subscriber 100.64.1.5 evidence log ")
    body = json.loads(invoke("nat", "lookup", "192.0.2.1", "5056", "2026-12-03T11:15:00Z",
                             "--json"))  # fmt: skip
    assert (body["subscriber"], body["evidence"]) == ("198.51.100.17", "mapping")

    invoke("nat", "lookup", "203.0.113.9", "2100", "2026-12-03T11:15:00Z", code=3)
    invoke("nat", "lookup", "203.0.113", "2100", "2026-12-03T11:15:00Z", code=2)
    invoke("nat", "lookup", "203.0.113.7", "99999", "2026-12-03T11:15:00Z", code=2)
    invoke("nat", "lookup", "203.0.113.7", "2100", "yesterday", code=2)


def test_every_lookup_is_audited(data_dir: Path) -> None:
    from sqlalchemy import select

    from passerelle.node import open_node
    from passerelle.privacy import AuditEntry

    invoke("nat", "lookup", "203.0.113.9", "2100", "2026-12-03T11:15:00Z", code=3)
    node = open_node(get_settings())
    try:
        with node.session() as session:
            entries = session.scalars(
                select(AuditEntry).where(AuditEntry.object_type == "evidence.nat")
            ).all()
    finally:
        node.close()
    assert [(e.action, e.outcome) for e in entries] == [("read", "not found")]
