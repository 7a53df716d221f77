"""The content of an evidence item crosses from the uploading node to each other party.

The receiving node pulls it: a GET signed with its federation key (RFC 9421, as every
node-to-node request) on ``/federation/v1/jit/evidence/{id}``, with ``Range`` from what it
already holds, so a killed transfer resumes where it stopped. The bytes stream to disk; on
arrival the size and SHA-256 are checked against the custody trail before the item counts as
received, and the node signs a ``received`` entry.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.errors import Conflict, IntegrityError, PermissionDenied, Unavailable
from passerelle.federation import peers, pull
from passerelle.jit import rules
from passerelle.jit.model import Evidence
from passerelle.jit.service import evidence, replicate
from passerelle.jit.service.common import get_team
from passerelle.node import Node
from passerelle.privacy import audit

PEER_PATH = "/federation/v1/jit/evidence/{evidence_id}"
BLOCK = 1024 * 1024


def peer_path(evidence_id: str) -> str:
    return PEER_PATH.format(evidence_id=evidence_id)


def verify_peer(node: Node, *, method: str, path: str, headers: dict[str, str]) -> str:
    """The peer that signed this request (SignatureInvalid otherwise)."""
    return pull.verify_get(node, method=method, path=path, headers=headers)


def serve(session: Session, node: Node, signer: str, evidence_id: str) -> Path:
    """The content file a party may pull; the disclosure is audited."""
    item = evidence.get(session, evidence_id)
    if signer not in item.recipients:
        raise PermissionDenied(f"{signer} is not a recipient of this evidence item")
    if item.path is None or not Path(item.path).exists():
        raise Conflict("the content is no longer on this node")
    node.audit(
        session,
        audit.Actor(f"peer:{signer}", signer),
        action="disclose",
        object_type="jit.evidence",
        object_id=item.id,
        purpose=rules.PURPOSE,
        legal_basis=rules.LEGAL_BASIS,
        details={"op": "transfer"},
    )
    return Path(item.path)


def pending(session: Session, node: Node) -> list[str]:
    """Items this node is a recipient of whose content has not arrived (nor expired)."""
    rows = session.scalars(
        select(Evidence).where(
            Evidence.path.is_(None),
            Evidence.content_deleted_at.is_(None),
            Evidence.origin != node.code,
        )
    )
    return [r.id for r in rows if node.code in r.recipients]


def partial_path(node: Node, evidence_id: str) -> Path:
    return evidence.store_dir(node, "incoming") / f"{evidence_id}.part"


def _source(node: Node, evidence_id: str) -> tuple[str, int, str] | None:
    """(url, size, sha256) of an item to pull, None when its content is already here."""
    with node.read_session() as session:
        item = evidence.get(session, evidence_id)
        if item.path is not None:
            return None
        if item.content_deleted_at is not None:
            raise Conflict("the content was deleted before it was transferred")
        url = peers.get(session, item.origin).url.rstrip("/") + peer_path(item.id)
        return url, item.size, item.sha256


def _arrived(node: Node, evidence_id: str, part: Path, sha256: str, size: int) -> list[str]:
    """Check the copy, move it into the store, sign 'received', tell the parties."""
    try:
        evidence.verify_arrival(part, sha256, size)
    except IntegrityError:
        part.unlink()  # a wrong copy is never kept; the next fetch starts again
        raise
    final = evidence.store_dir(node, "evidence") / evidence_id
    os.replace(part, final)
    with node.session() as session:
        item = evidence.get(session, evidence_id)
        item.path = str(final)
        evidence.add_entry(session, node, item, "received", f"node:{node.code}")
        team = get_team(session, item.team_id)
        team.updated_at = node.clock.now()
        actor = audit.Actor(f"node:{node.code}", node.code)
        return replicate.share(session, node, actor, team)


async def fetch(node: Node, client: httpx.AsyncClient, evidence_id: str) -> list[str]:
    """Pull (or resume pulling) one item's content from its origin; verify; record it.

    Returns the federation messages that tell the parties (to deliver after the commit)."""
    source = await run_in_threadpool(_source, node, evidence_id)
    if source is None:
        return []
    url, size, sha256 = source
    part = partial_path(node, evidence_id)
    offset = part.stat().st_size if part.exists() else 0
    if offset > size:
        part.unlink()
        offset = 0
    if offset < size:
        await _pull(node, client, url, part, offset)
    return await run_in_threadpool(_arrived, node, evidence_id, part, sha256, size)


async def _pull(node: Node, client: httpx.AsyncClient, url: str, part: Path, offset: int) -> None:
    path = httpx.URL(url).path
    headers = pull.signed_get_headers(node, path)
    headers["range"] = f"bytes={offset}-"
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 200:
                offset = 0  # the origin ignored the range: start again
            elif response.status_code != 206:
                body = (await response.aread())[:300].decode(errors="replace")
                raise Unavailable(f"the origin answered {response.status_code}: {body}")
            with part.open("r+b" if offset else "wb") as handle:
                handle.seek(offset)
                handle.truncate()
                async for block in response.aiter_bytes(BLOCK):
                    handle.write(block)
    except httpx.HTTPError as exc:
        raise Unavailable(f"the transfer from the origin stopped: {exc}") from exc
