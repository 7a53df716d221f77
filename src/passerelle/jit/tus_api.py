"""tus 1.0 endpoints for evidence uploads under /api/v1/jit/uploads (core protocol, creation,
checksum and termination extensions), so that standard tus clients work. A PATCH streams the
request body to the upload's file, block by block; a cut connection keeps what arrived."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from passerelle import federation
from passerelle.errors import Conflict, PayloadTooLarge
from passerelle.jit import custody, rules
from passerelle.jit.api import client_of
from passerelle.jit.service import replicate, uploads
from passerelle.kit.web import node_of
from passerelle.privacy import Principal, require

USERS = ("analyst", "supervisor")
router = APIRouter(prefix="/api/v1/jit/uploads", tags=["jit"])
_WRITING: set[str] = set()


def _tus_headers(**more: str) -> dict[str, str]:
    return {"Tus-Resumable": rules.TUS_VERSION, "Cache-Control": "no-store", **more}


@router.options("")
def tus_options(request: Request, principal: Principal = require(*USERS)) -> Response:
    """What this server supports: tus version, extensions, maximum size, checksums."""
    node = node_of(request)
    return Response(
        status_code=204,
        headers={
            "Tus-Resumable": rules.TUS_VERSION,
            "Tus-Version": rules.TUS_VERSION,
            "Tus-Extension": ",".join(rules.TUS_EXTENSIONS),
            "Tus-Max-Size": str(node.settings.jit_max_upload_bytes),
            "Tus-Checksum-Algorithm": ",".join(rules.TUS_CHECKSUMS),
        },
    )


@router.post("", status_code=201)
async def tus_create(request: Request, principal: Principal = require(*USERS)) -> Response:
    """Create an upload: ``Upload-Length`` and ``Upload-Metadata`` (jit, filename, handling)."""
    uploads.check_version(request.headers.get("tus-resumable"))
    length = uploads.parse_offset(request.headers.get("upload-length"), "Upload-Length")
    metadata = uploads.parse_metadata(request.headers.get("upload-metadata", ""))
    node = node_of(request)

    def run() -> tuple[str, list[str]]:
        with node.session() as session:
            upload_id = uploads.create(session, node, principal, length, metadata).id
            if length == 0:  # an empty file is complete at creation (tus 1.0, creation)
                session.flush()
                uploads.finish(session, node, principal, upload_id)
            return upload_id, list(session.info.get(replicate.OUTBOX_KEY, []))

    upload_id, ids = await run_in_threadpool(run)
    if ids:
        await federation.deliver_messages(node, client_of(request.app), ids)
    return Response(status_code=201, headers=_tus_headers(Location=f"{router.prefix}/{upload_id}"))


@router.head("/{upload_id}")
def tus_head(request: Request, upload_id: str, principal: Principal = require(*USERS)) -> Response:
    """Where an upload stands: ``Upload-Offset`` (bytes stored) and ``Upload-Length``."""
    node = node_of(request)
    with node.read_session() as session:
        row = uploads.get(session, principal, upload_id)
        offset, length = uploads.offset_of(row), row.length
    return Response(
        status_code=200,
        headers=_tus_headers(**{"Upload-Offset": str(offset), "Upload-Length": str(length)}),
    )


async def _write(
    request: Request, target: uploads.Target, digest: str | None
) -> tuple[int, bytes, bool]:
    """Append the body to the file; returns the bytes written (kept even if the client goes),
    their digest when the checksum extension asked for one, and whether the body went beyond
    the announced length (the bytes up to it are kept)."""
    hasher = hashlib.new(digest) if digest else None
    written = 0
    overflow = False
    with Path(target.path).open("ab") as handle:
        try:
            async for block in request.stream():
                room = target.length - target.offset - written
                if len(block) > room:
                    block, overflow = block[:room], True
                handle.write(block)
                written += len(block)
                if hasher is not None:
                    hasher.update(block)
                if overflow:
                    break
        except ClientDisconnect:
            pass
        handle.flush()
    return written, (hasher.digest() if hasher is not None else b""), overflow


@router.patch("/{upload_id}")
async def tus_patch(
    request: Request, upload_id: str, principal: Principal = require(*USERS)
) -> Response:
    """Append bytes at ``Upload-Offset`` (409 when it is not the upload's offset)."""
    uploads.check_version(request.headers.get("tus-resumable"))
    if request.headers.get("content-type") != rules.TUS_CONTENT_TYPE:
        raise uploads.UnsupportedMediaType(f"Content-Type must be {rules.TUS_CONTENT_TYPE}")
    offset = uploads.parse_offset(request.headers.get("upload-offset"))
    checksum = uploads.parse_checksum(request.headers.get("upload-checksum"))
    node = node_of(request)

    def begin() -> uploads.Target:
        with node.read_session() as session:
            return uploads.begin_patch(session, principal, upload_id, offset)

    target = await run_in_threadpool(begin)
    if upload_id in _WRITING:
        raise Conflict("another PATCH is writing this upload")
    _WRITING.add(upload_id)
    try:
        hasher_name = checksum[0] if checksum else None
        written, digest, overflow = await _write(request, target, hasher_name)
        if checksum is not None and digest != checksum[1]:
            with Path(target.path).open("r+b") as handle:
                handle.truncate(target.offset)
            raise uploads.ChecksumMismatch("the chunk does not match its Upload-Checksum")
        new_offset = target.offset + written
        ids: list[str] = []
        if new_offset == target.length:

            def finish() -> list[str]:
                sha256 = custody.sha256_file(Path(target.path))  # before the transaction
                with node.session() as session:
                    uploads.finish(session, node, principal, upload_id, sha256)
                    return list(session.info.get(replicate.OUTBOX_KEY, []))

            ids = await run_in_threadpool(finish)
    finally:
        _WRITING.discard(upload_id)
    if ids:
        await asyncio.shield(federation.deliver_messages(node, client_of(request.app), ids))
    if overflow:
        raise PayloadTooLarge("the body goes beyond the announced Upload-Length")
    return Response(status_code=204, headers=_tus_headers(**{"Upload-Offset": str(new_offset)}))


@router.delete("/{upload_id}", status_code=204)
def tus_delete(
    request: Request, upload_id: str, principal: Principal = require(*USERS)
) -> Response:
    """tus termination: drop an unfinished upload."""
    node = node_of(request)
    with node.session() as session:
        uploads.terminate(session, node, principal, upload_id)
    return Response(status_code=204, headers=_tus_headers())
