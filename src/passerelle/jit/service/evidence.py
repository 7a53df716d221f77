"""Evidence items: the signed chain of custody, downloads, the custody report, and the
transfer of the content from the uploading node to the other parties (resumable pull)."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, IntegrityError, NotFound
from passerelle.federation import node_key, pull
from passerelle.jit import custody, rules
from passerelle.jit.model import Custody, Evidence, Team
from passerelle.jit.service import replicate
from passerelle.jit.service.common import get_team, trace
from passerelle.node import Node
from passerelle.privacy import Principal


def store_dir(node: Node, kind: str) -> Path:
    """``<data_dir>/jit/<kind>``: uploads in progress, or evidence content."""
    path = node.settings.data_dir / "jit" / kind
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def get(session: Session, evidence_id: str) -> Evidence:
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise NotFound(f"no evidence item {evidence_id!r} on this node")
    return row


def entries(session: Session, evidence_id: str) -> list[Custody]:
    return list(
        session.scalars(
            select(Custody)
            .where(Custody.evidence_id == evidence_id)
            .order_by(Custody.at, Custody.seq)
        )
    )


def add_entry(session: Session, node: Node, item: Evidence, event: str, actor: str) -> Custody:
    """Sign and store one custody entry of this node (its own numbered chain)."""
    mine = [c for c in entries(session, item.id) if c.node == node.code]
    mine.sort(key=lambda c: c.seq)
    seq = (mine[-1].seq if mine else 0) + 1
    now = node.clock.now()
    body = {
        "evidence_id": item.id,
        "filename": item.filename,
        "size": item.size,
        "sha256": item.sha256,
        "event": event,
        "node": node.code,
        "actor": actor,
        "at": now.isoformat(),
        "seq": seq,
        "prev": custody.chain_hash(mine[-1].signed) if mine else "",
    }
    signed, signature, public = custody.sign(node_key(node), body)
    row = Custody(
        id=str(uuid.uuid4()),
        evidence_id=item.id,
        seq=seq,
        event=event,
        node=node.code,
        actor=actor,
        at=now,
        sha256=item.sha256,
        signed=signed,
        signature=signature,
        public_key=public,
    )
    session.add(row)
    session.flush()
    return row


def create(
    session: Session,
    node: Node,
    principal: Principal,
    team: Team,
    *,
    filename: str,
    handling: str,
    content: Path,
    sha256: str,
    size: int,
) -> Evidence:
    """Record an uploaded file (already in its final place) as evidence; tell the parties."""
    item = Evidence(
        id=str(uuid.uuid4()),
        team_id=team.id,
        filename=filename,
        size=size,
        sha256=sha256,
        handling=handling,
        origin=node.code,
        uploaded_at=node.clock.now(),
        uploaded_by=principal.name,
        recipients=[c for c in team.countries if c != node.code],
        path=str(content),
    )
    session.add(item)
    session.flush()
    add_entry(session, node, item, "uploaded", principal.name)
    team.updated_at = node.clock.now()
    trace(session, node, principal, "write", "jit.evidence", item.id, details={"sha256": sha256})
    replicate.share(session, node, principal, team)
    return item


def download(session: Session, node: Node, principal: Principal, evidence_id: str) -> Evidence:
    """A member downloads the content: audited, and a signed 'downloaded' entry."""
    item = get(session, evidence_id)
    if item.path is None or not Path(item.path).exists():
        raise Conflict(
            "the content is not on this node (not yet transferred, or deleted after every "
            "recipient downloaded it or four weeks after upload)"
        )
    trace(session, node, principal, "read", "jit.evidence", item.id, details={"op": "download"})
    add_entry(session, node, item, "downloaded", principal.name)
    team = get_team(session, item.team_id)
    team.updated_at = node.clock.now()
    replicate.share(session, node, principal, team)
    return item


def published_keys(session: Session, node: Node, rows: list[Custody]) -> dict[str, str]:
    """The key this node knows for each signing node (its own, its peers')."""
    found: dict[str, str] = {}
    for code in sorted({c.node for c in rows}):
        public = pull.public_key_text(node, session, code)
        if public is not None:
            found[code] = public
    return found


def report(session: Session, node: Node, principal: Principal, evidence_id: str) -> dict[str, Any]:
    """The chain-of-custody report of one item (JSON), checkable without Passerelle."""
    item = get(session, evidence_id)
    team = get_team(session, item.team_id)
    rows = entries(session, item.id)
    trace(session, node, principal, "read", "jit.custody", item.id, details={"op": "report"})
    return {
        "format": custody.FORMAT,
        "issued_by": node.code,
        "issued_at": node.clock.now().isoformat(),
        "jit": {"id": team.id, "reference": team.reference, "name": team.name},
        "evidence": {
            "id": item.id,
            "filename": item.filename,
            "size": item.size,
            "sha256": item.sha256,
            "handling": item.handling,
            "origin": item.origin,
            "uploaded_at": item.uploaded_at.isoformat(),
            "uploaded_by": item.uploaded_by,
        },
        "entries": [
            {
                "event": c.event,
                "node": c.node,
                "actor": c.actor,
                "at": c.at.isoformat(),
                "signed": c.signed,
                "signature": c.signature,
                "public_key": c.public_key,
            }
            for c in rows
        ],
        "keys": published_keys(session, node, rows),
        "algorithm": "Ed25519 (RFC 8032) over the UTF-8 'signed' text; SHA-256 (FIPS 180-4)",
        "how_to_verify": custody.HOW_TO_VERIFY,
        "legal_basis": f"{rules.LEGAL_BASIS}; {rules.EVIDENCE_SOURCE}",
    }


def downloaded_by(session: Session, item: Evidence) -> set[str]:
    return set(
        session.scalars(
            select(Custody.node).where(
                Custody.evidence_id == item.id, Custody.event == "downloaded"
            )
        )
    )


def entry_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Custody)) or 0)


def verify_arrival(path: Path, sha256: str, size: int) -> None:
    """The content that arrived is the one the custody trail names, or IntegrityError."""
    if path.stat().st_size != size:
        raise IntegrityError(f"the transferred file has {path.stat().st_size} bytes, not {size}")
    actual = custody.sha256_file(path)
    if actual != sha256:
        raise IntegrityError(f"the transferred file's SHA-256 is {actual}, not {sha256}")


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode()
