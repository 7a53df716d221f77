"""The ``passerelle`` command as an operator runs it: a real process, a real data directory."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from passerelle import domains


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(data_dir),
        "PASSERELLE_NODE": "BE",
        **domains.demo_env("BE"),
    }
    env.pop("PASSERELLE_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "passerelle", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "be-node"


def test_init_with_demo_data_creates_one_account_per_role(data_dir: Path) -> None:
    result = run(data_dir, "init", "--demo-data")
    assert result.returncode == 0, result.stderr
    assert f"node BE ready in {data_dir}" in result.stdout
    for role in ("analyst", "supervisor", "judicial", "dpo", "admin"):
        assert f"be.{role}" in result.stdout
    assert (data_dir / "passerelle.sqlite3").exists()
    assert oct((data_dir / "demo-accounts.json").stat().st_mode)[-3:] == "600"
    listed = run(data_dir, "user", "list")
    assert "be.dpo" in listed.stdout


def test_user_add_disable_and_bad_role(data_dir: Path) -> None:
    added = run(
        data_dir,
        "user",
        "add",
        "be.liaison",
        "--role",
        "analyst",
        "--role",
        "supervisor",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert added.returncode == 0, added.stderr
    assert "be.liaison created with roles analyst, supervisor" in added.stdout
    bad = run(
        data_dir,
        "user",
        "add",
        "xx",
        "--role",
        "chief",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: unknown role(s) chief")
    assert "Traceback" not in bad.stderr
    disabled = run(data_dir, "user", "disable", "be.liaison")
    assert disabled.returncode == 0
    assert "disabled" in run(data_dir, "user", "list").stdout
    for name in ("token:dl-analyst", "peer:BE", "BE.Liaison", "x", "a" * 65):
        refused = run(
            data_dir,
            "user",
            "add",
            name,
            "--role",
            "analyst",
            "--password-stdin",
            stdin="a long password\n",
        )
        assert refused.returncode == 2, name
        assert "is not a valid username" in refused.stderr, name
    missing = run(data_dir, "user", "disable", "nobody")
    assert (missing.returncode, missing.stderr.strip()) == (6, "error: no user named 'nobody'")


def test_token_create_prints_it_once_and_revoke(data_dir: Path) -> None:
    created = run(data_dir, "token", "create", "sncb-distributor", "--role", "carrier")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("psl_") and len(token) > 40
    listed = run(data_dir, "token", "list").stdout
    assert "sncb-distributor" in listed and token not in listed
    assert run(data_dir, "token", "revoke", "sncb-distributor").returncode == 0
    assert "revoked" in run(data_dir, "token", "list").stdout


def test_audit_verify_names_the_tampered_entry(data_dir: Path) -> None:
    run(data_dir, "init", "--demo-data")
    ok = run(data_dir, "audit", "verify")
    verified = re.fullmatch(r"audit chain ok: (\d+) entries verified\n", ok.stdout)
    assert ok.returncode == 0 and verified is not None
    assert int(verified[1]) >= 4  # the demo data's writes, each audited; entry 4 is tampered
    with sqlite3.connect(data_dir / "passerelle.sqlite3") as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'intruder' WHERE seq = 4")
    broken = run(data_dir, "audit", "verify")
    assert broken.returncode == 8
    assert (
        broken.stderr.strip()
        == "error: audit chain broken at entry 4: content does not match its hash"
    )


def test_retention_run_and_rules(data_dir: Path) -> None:
    ran = run(data_dir, "retention", "run")
    assert ran.returncode == 0, ran.stderr
    assert "audit_log" in ran.stdout and "login_session" in ran.stdout
    rules = run(data_dir, "retention", "rules")
    assert "2016/681" in rules.stdout


def test_unknown_command_is_a_usage_error(data_dir: Path) -> None:
    result = run(data_dir, "frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
