"""``passerelle sharing`` and ``passerelle retention rules --json`` as an operator runs them,
with every installed package's message types."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.errors import ValidationFailed
from passerelle.federation import keys
from passerelle.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "fr"))
    monkeypatch.setenv("PASSERELLE_NODE", "FR")
    monkeypatch.setenv("PASSERELLE_DATABASE_URL", "")
    get_settings.cache_clear()
    yield tmp_path / "fr"
    get_settings.cache_clear()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _policies() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(invoke("sharing", "list", "--json"))
    return rows


def test_a_new_peer_gets_never_for_every_personal_type_until_an_admin_decides() -> None:
    assert _policies() == []
    public = keys.public_text(Ed25519PrivateKey.generate())
    invoke("peers", "add", "BE", "https://be.example", public)
    rows = _policies()
    types = {r["message_type"] for r in rows}
    assert {"alerts.alert", "alerts.hit_report", "alerts.release_notice", "pnr.result"} <= types
    # The protocol's messages are under the same table: hit/no-hit answers are automatic, a
    # query's criteria and a follow-up's released data are personal, so never for now.
    by_type = {r["message_type"]: r for r in rows}
    assert (
        by_type["query.answer"]["policy"],
        by_type["query.answer"]["carries_personal_data"],
    ) == (
        "automatic",
        False,
    )
    assert by_type["query"]["policy"] == by_type["followup.answer"]["policy"] == "never"
    assert by_type["followup.request"]["policy"] == "automatic"

    for row in rows:
        assert {
            "message_type",
            "peer",
            "policy",
            "carries_personal_data",
            "legal_basis",
            "source",
        } <= set(row)
        assert row["peer"] == "BE"
        assert isinstance(row["carries_personal_data"], bool)
        if row["carries_personal_data"]:
            assert row["policy"] == "never", row
    assert next(r for r in rows if r["message_type"] == "alerts.alert")["carries_personal_data"]
    invoke("sharing", "set", "alerts.alert", "BE", "approval", "--reason", "joint declaration 2018")
    changed = next(r for r in _policies() if r["message_type"] == "alerts.alert")
    assert (changed["policy"], changed["decided"], changed["reason"]) == (
        "approval",
        True,
        "joint declaration 2018",
    )
    refused = runner.invoke(
        app, ["sharing", "set", "alerts.alert", "BE", "sometimes", "--reason", "x y z"]
    )
    # (``main`` maps the typed error to "error: …" and exit code 2)
    assert isinstance(refused.exception, ValidationFailed)
    assert "unknown policy" in refused.exception.message
    audit_log = invoke("audit", "verify")
    assert "audit chain ok" in audit_log
    invoke("sharing", "defaults", "BE", "--reason", "recommended policies")
    after = {r["message_type"]: r["policy"] for r in _policies()}
    assert after["alerts.alert"] == "approval" and after["alerts.release_notice"] == "approval"
    assert after["alerts.hit_report"] == "automatic"
    assert (after["query"], after["query.answer"], after["followup.answer"]) == (
        "automatic",
        "automatic",
        "approval",
    )
    no_wait = runner.invoke(app, ["sharing", "set", "query", "BE", "approval", "--reason", "xyz"])
    assert isinstance(no_wait.exception, ValidationFailed)
    assert "automatic, never" in no_wait.exception.message


def test_retention_rules_list_one_rule_per_message_body() -> None:
    rules = json.loads(invoke("retention", "rules", "--json"))
    by_class = {r["data_class"]: r for r in rules}
    for row in rules:
        assert {"data_class", "delete_after_days", "source"} <= set(row)
    for name in ("query", "followup.answer", "alerts.alert", "alerts.hit_report", "pnr.result"):
        rule = by_class[f"message_body:{name}"]
        assert rule["source"], name
    assert by_class["message_body:query"]["delete_after_days"] == 0
    assert by_class["message_body:pnr.result"]["mask_after_days"] == 0
