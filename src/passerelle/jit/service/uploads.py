"""tus 1.0 resumable uploads of evidence (core protocol, creation, checksum, termination).

The bytes of an upload go straight to ``<data_dir>/jit/uploads/<id>``: the offset is the size
of that file, so what was written before a crash or a cut connection is kept and the client
resumes from the offset a HEAD returns. Nothing holds a whole file in memory. When the last
byte arrives the file is hashed (SHA-256, read in blocks), moved to the evidence store and
recorded with a signed ``uploaded`` custody entry.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import (
    Conflict,
    MalformedInput,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    UsageError,
    ValidationFailed,
)
from passerelle.jit import custody, rules
from passerelle.jit.model import Evidence, Upload
from passerelle.jit.service import evidence
from passerelle.jit.service.common import get_team, require_open, trace
from passerelle.node import Node
from passerelle.privacy import Principal


class TusVersionUnsupported(UsageError):
    """The request's ``Tus-Resumable`` is missing or not 1.0.0 (tus 1.0 core: 412)."""

    status, code = 412, "tus_version_unsupported"


class UnsupportedMediaType(UsageError):
    status, code = 415, "unsupported_media_type"


class ChecksumMismatch(ValidationFailed):
    """The chunk does not match its ``Upload-Checksum`` (tus checksum extension: 460)."""

    status, code = 460, "checksum_mismatch"


def check_version(value: str | None) -> None:
    if value != rules.TUS_VERSION:
        raise TusVersionUnsupported(
            f"Tus-Resumable must be {rules.TUS_VERSION} (got {value or 'nothing'})"
        )


def parse_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs (tus 1.0, creation)."""
    found: dict[str, str] = {}
    if len(header) > 4096:
        raise MalformedInput("Upload-Metadata is longer than 4096 characters")
    for pair in header.split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _, value = pair.partition(" ")
        if not key or not key.isascii() or " " in key or key in found:
            raise MalformedInput(f"Upload-Metadata: {key!r} is not a valid or unique key")
        try:
            found[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise MalformedInput(f"Upload-Metadata: the value of {key!r} is not base64") from exc
    return found


def parse_offset(value: str | None, name: str = "Upload-Offset") -> int:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 19:
        raise MalformedInput(f"{name} must be a non-negative integer")
    return int(value)


def parse_checksum(value: str | None) -> tuple[str, bytes] | None:
    """``Upload-Checksum: <algorithm> <base64 digest>`` (tus checksum extension)."""
    if value is None:
        return None
    algorithm, _, digest = value.strip().partition(" ")
    if algorithm not in rules.TUS_CHECKSUMS:
        raise UsageError(f"Upload-Checksum: unsupported algorithm {algorithm!r}")
    try:
        return algorithm, base64.b64decode(digest, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedInput("Upload-Checksum: the digest is not base64") from exc


def safe_filename(name: str) -> str:
    """A display name without path or control characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if not name or name in (".", ".."):
        raise ValidationFailed("the file name is empty", field="filename")
    return name[:255]


def create(
    session: Session, node: Node, principal: Principal, length: int, metadata: dict[str, str]
) -> Upload:
    """A new upload (tus creation): announced length, metadata ``jit``, ``filename``,
    ``handling``."""
    if length > node.settings.jit_max_upload_bytes:
        raise PayloadTooLarge(
            f"Upload-Length {length} exceeds the maximum {node.settings.jit_max_upload_bytes}"
        )
    team_ref = metadata.get("jit", "")
    if not team_ref:
        raise ValidationFailed("Upload-Metadata must name the JIT (key 'jit')", field="jit")
    team = get_team(session, team_ref)
    require_open(team)
    handling = metadata.get("handling", "H1")
    if handling not in rules.HANDLING:
        raise ValidationFailed(f"unknown handling code {handling!r}", field="handling")
    upload_id = secrets.token_hex(16)
    path = evidence.store_dir(node, "uploads") / upload_id
    path.touch(mode=0o600)
    row = Upload(
        id=upload_id,
        team_id=team.id,
        filename=safe_filename(metadata.get("filename", "evidence.bin")),
        length=length,
        handling=handling,
        path=str(path),
        created_at=node.clock.now(),
        created_by=principal.name,
    )
    session.add(row)
    trace(session, node, principal, "write", "jit.upload", upload_id, details={"length": length})
    return row


def get(session: Session, principal: Principal, upload_id: str) -> Upload:
    row = session.get(Upload, upload_id)
    if row is None:
        raise NotFound(f"no upload {upload_id!r}")
    if row.created_by != principal.name and not principal.has_any({"supervisor"}):
        raise PermissionDenied("this upload belongs to someone else")
    return row


def offset_of(row: Upload) -> int:
    path = Path(row.path)
    return path.stat().st_size if path.exists() else 0


@dataclass(frozen=True)
class Target:
    """Where a PATCH writes: the file, the current offset and the announced length."""

    upload_id: str
    path: Path
    offset: int
    length: int


def begin_patch(session: Session, principal: Principal, upload_id: str, offset: int) -> Target:
    row = get(session, principal, upload_id)
    if row.evidence_id is not None:
        raise Conflict("this upload is complete")
    current = offset_of(row)
    if offset != current:
        raise Conflict(f"Upload-Offset {offset} does not match the upload's offset {current}")
    return Target(row.id, Path(row.path), current, row.length)


def finish(
    session: Session, node: Node, principal: Principal, upload_id: str, sha256: str | None = None
) -> Evidence | None:
    """When every byte is there: hash, move into the evidence store, record it. A caller that
    hashed the complete file before its transaction passes ``sha256`` (hashing 2 GB inside the
    transaction would hold SQLite's write gate for many seconds)."""
    row = session.get(Upload, upload_id)
    if row is None or row.evidence_id is not None or offset_of(row) != row.length:
        return None
    source = Path(row.path)
    sha256 = sha256 or custody.sha256_file(source)
    team = get_team(session, row.team_id)
    target = evidence.store_dir(node, "evidence") / row.id
    os.replace(source, target)
    item = evidence.create(
        session,
        node,
        principal,
        team,
        filename=row.filename,
        handling=row.handling,
        content=target,
        sha256=sha256,
        size=row.length,
    )
    row.evidence_id = item.id
    row.path = str(target)
    return item


def terminate(session: Session, node: Node, principal: Principal, upload_id: str) -> None:
    """tus termination: drop an unfinished upload and its bytes."""
    row = get(session, principal, upload_id)
    if row.evidence_id is not None:
        raise Conflict("a complete upload is evidence now; it cannot be terminated")
    Path(row.path).unlink(missing_ok=True)
    session.delete(row)
    trace(session, node, principal, "erase", "jit.upload", upload_id)


def stale(session: Session) -> list[Upload]:
    return list(session.scalars(select(Upload).where(Upload.evidence_id.is_(None))))
