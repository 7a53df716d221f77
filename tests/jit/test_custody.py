"""The custody report checks offline: the file's SHA-256 and every Ed25519 signature."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.jit import custody


def _report(tmp_path: Path, content: bytes = b"evidence bytes\n" * 100) -> tuple[Path, dict]:
    file = tmp_path / "scan.bin"
    file.write_bytes(content)
    key = Ed25519PrivateKey.generate()
    sha = custody.sha256_file(file)
    entries = []
    prev = ""
    for seq, event in enumerate(("uploaded", "downloaded"), 1):
        body = {
            "evidence_id": "e1",
            "sha256": sha,
            "event": event,
            "node": "FR",
            "seq": seq,
            "prev": prev,
        }
        signed, signature, public = custody.sign(key, body)
        entries.append({"signed": signed, "signature": signature, "public_key": public})
        prev = custody.chain_hash(signed)
    report = {
        "format": custody.FORMAT,
        "evidence": {"id": "e1", "sha256": sha, "size": len(content)},
        "entries": entries,
        "keys": {"FR": custody.public_b64(key)},
    }
    return file, report


def test_an_intact_file_and_report_verify(tmp_path: Path) -> None:
    file, report = _report(tmp_path)
    assert custody.problems(report, file) == []


def test_a_changed_byte_is_named(tmp_path: Path) -> None:
    file, report = _report(tmp_path)
    file.write_bytes(file.read_bytes()[:-1] + b"X")
    assert any("SHA-256" in p for p in custody.problems(report, file))


def test_a_forged_entry_or_a_foreign_key_is_named(tmp_path: Path) -> None:
    file, report = _report(tmp_path)
    forged = json.loads(report["entries"][1]["signed"])
    forged["event"] = "uploaded"
    report["entries"][1]["signed"] = custody.canonical(forged)
    assert "entry 2: its signature does not verify" in custody.problems(report, file)
    _, other = _report(tmp_path / "..")
    report["entries"][1] = other["entries"][1]
    found = custody.problems(report, file)
    assert any("not FR's published key" in p for p in found)


def test_a_removed_entry_breaks_the_chain(tmp_path: Path) -> None:
    file, report = _report(tmp_path)
    del report["entries"][0]
    found = custody.problems(report, file)
    assert any("chain" in p for p in found) and "no verified 'uploaded' entry" in found


def test_cli_verify_exits_0_then_1_with_the_reason(tmp_path: Path) -> None:
    file, report = _report(tmp_path)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    runner = CliRunner()
    ok = runner.invoke(app, ["jit", "evidence", "verify", str(file), str(path)])
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output
    file.write_bytes(b"something else")
    bad = runner.invoke(app, ["jit", "evidence", "verify", str(file), str(path)])
    assert bad.exit_code == 1
    assert "the file has 14 bytes" in bad.output
    path.write_text("{not json")
    unreadable = runner.invoke(app, ["jit", "evidence", "verify", str(file), str(path)])
    assert unreadable.exit_code == 1 and "cannot be read" in unreadable.output


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_any_json_report_gets_reasons_never_a_crash(value: object) -> None:
    report = {"format": custody.FORMAT, "evidence": {}, "entries": [value], "keys": {}}
    assert custody.problems(report, None)
    if isinstance(value, dict):
        assert custody.problems({**value, "format": custody.FORMAT}, None)
