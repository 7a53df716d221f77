"""The chain-of-custody format: signed entries and the report a court checks offline.

Each entry is a canonical JSON object (keys sorted, no spaces, UTF-8) signed with the Ed25519
key of the node that wrote it. The report carries, for every entry, the exact signed text,
the signature and the public key, so that anyone can check it with a generic tool (OpenSSL,
any Ed25519 library) and the file's SHA-256. This module needs no database and no node: it is
what ``passerelle jit evidence verify`` runs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.errors import MalformedInput

FORMAT = "passerelle-jit-custody/1"
EVENTS = ("uploaded", "received", "downloaded")
CHUNK = 1024 * 1024
HOW_TO_VERIFY = (
    "1. Compute the SHA-256 of the file; it must equal evidence.sha256 (and its size "
    "evidence.size). 2. For every entry, decode 'signature' and 'public_key' (base64, raw "
    "Ed25519) and verify the signature over the UTF-8 bytes of 'signed'. 3. 'public_key' must "
    "be the key published for the entry's node (keys). 4. The JSON in 'signed' names the "
    "evidence id and the same SHA-256; 'prev' is the SHA-256 of the previous entry's 'signed' "
    "text by the same node (empty for its first)."
)


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (never whole in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def public_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(key: Ed25519PrivateKey, body: dict[str, Any]) -> tuple[str, str, str]:
    """(signed text, signature, public key) of one entry."""
    text = canonical(body)
    signature = base64.b64encode(key.sign(text.encode())).decode()
    return text, signature, public_b64(key)


def chain_hash(signed: str) -> str:
    return hashlib.sha256(signed.encode()).hexdigest()


def signature_problem(entry: dict[str, Any]) -> str:
    try:
        raw_key = base64.b64decode(str(entry["public_key"]), validate=True)
        raw_sig = base64.b64decode(str(entry["signature"]), validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_sig, str(entry["signed"]).encode())
    except (InvalidSignature, binascii.Error, ValueError, KeyError):
        return "its signature does not verify"
    return ""


def problems(report: dict[str, Any], file: Path | None) -> list[str]:
    """Every reason the file and its report do not verify (empty: all good)."""
    found: list[str] = []
    if report.get("format") != FORMAT:
        return [f"not a custody report (format is not {FORMAT})"]
    evidence = report.get("evidence")
    entries = report.get("entries")
    keys = report.get("keys")
    if (
        not isinstance(evidence, dict)
        or not isinstance(entries, list)
        or not isinstance(keys, dict)
    ):
        return ["the report lacks evidence, entries or keys"]
    expected = str(evidence.get("sha256", ""))
    if file is not None:
        size = file.stat().st_size
        if size != evidence.get("size"):
            found.append(f"the file has {size} bytes, the report says {evidence.get('size')}")
        actual = sha256_file(file)
        if actual != expected:
            found.append(f"the file's SHA-256 is {actual}, the report says {expected}")
    if not entries:
        found.append("the report has no custody entry")
    last: dict[str, str] = {}
    uploaded = False
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            found.append(f"entry {number} is not an object")
            continue
        bad = signature_problem(entry)
        if bad:
            found.append(f"entry {number}: {bad}")
            continue
        try:
            body = json.loads(entry["signed"])
        except ValueError:
            body = None
        if not isinstance(body, dict):
            found.append(f"entry {number}: the signed text is not a JSON object")
            continue
        node = str(body.get("node", ""))
        if keys.get(node) != entry["public_key"]:
            found.append(f"entry {number}: signed by a key that is not {node}'s published key")
        if body.get("evidence_id") != evidence.get("id"):
            found.append(f"entry {number}: it is about another evidence item")
        if body.get("sha256") != expected:
            found.append(f"entry {number}: it records another SHA-256")
        if body.get("prev", "") != last.get(node, ""):
            found.append(f"entry {number}: the chain of {node}'s entries is broken")
        last[node] = chain_hash(entry["signed"])
        uploaded = uploaded or body.get("event") == "uploaded"
    if not uploaded:
        found.append("no verified 'uploaded' entry")
    return found


def parse_report(raw: bytes) -> dict[str, Any]:
    """A custody report from its JSON bytes; MalformedInput when it is not a JSON object."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedInput(f"the report is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedInput("the report is not a JSON object")
    return data
