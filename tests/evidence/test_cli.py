"""``passerelle evidence …`` as an issuing authority's operator runs it."""

from __future__ import annotations

import json
from pathlib import Path

from passerelle.errors import MalformedInput
from tests.evidence.test_nat_cli import app, invoke, runner


def test_provider_issue_list_and_export(data_dir: Path, tmp_path: Path) -> None:
    out = invoke("evidence", "provider", "add", "telco-be", "--name", "Telco Belgique SA",
                 "--kind", "legal_representative", "--country", "BE")  # fmt: skip
    assert "token (shown once):" in out
    assert "telco-be" in invoke("evidence", "provider", "list", "--country", "BE")
    order = tmp_path / "order.json"
    order.write_text(json.dumps({
        "form": "EPOC", "authority_type": "prosecutor", "authority_name": "Parquet de Lille",
        "provider": "telco-be", "category": "subscriber", "offence": "Harcèlement",
        "targets": [{"kind": "account", "value": "user@example.org"}], "grounds": "Enquête",
    }))  # fmt: skip
    out = invoke("evidence", "issue", str(order))
    reference = out.split()[0]
    assert reference.startswith("EPOC-FR-") and "to telco-be (BE)" in out
    assert reference in invoke("evidence", "orders")
    assert invoke("evidence", "orders", "--due") == ""
    body = json.loads(invoke("evidence", "export", reference))
    assert body["status"] == "issued" and body["category"] == "subscriber"
    pdf = tmp_path / "order.pdf"
    invoke("evidence", "export", reference, "--format", "pdf", "--lang", "nl", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-1.4")
    order.write_text(json.dumps({"form": "EPOC", "category": "content"}))
    result = runner.invoke(app, ["evidence", "issue", str(order)])
    # ``passerelle`` maps the typed error to its exit code (2) and message (cli.main)
    assert isinstance(result.exception, MalformedInput) and result.exception.exit_code == 2
    assert "authority_type" in result.exception.message
