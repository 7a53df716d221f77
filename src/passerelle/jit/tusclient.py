"""A small tus 1.0 client (creation + core): uploads a file in chunks read from disk and
resumes an interrupted upload from the offset the server reports. Any standard tus client
does the same; this one serves ``passerelle jit evidence push`` and the benchmark."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx

from passerelle.errors import Unavailable

VERSION = "1.0.0"
BLOCK = 1024 * 1024


def _metadata(values: Mapping[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _blocks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(BLOCK, left))
            if not block:
                return
            left -= len(block)
            yield block


def upload(
    path: Path,
    endpoint: str,
    metadata: Mapping[str, str],
    *,
    headers: Mapping[str, str],
    chunk: int = 16 * BLOCK,
    state: Path | None = None,
    timeout: float = 300.0,
) -> str:
    """Upload ``path``; return the upload URL. ``state`` (default ``path + '.tus'``) keeps the
    upload URL so a killed run resumes."""
    state = state or path.with_name(path.name + ".tus")
    size = path.stat().st_size
    base = {**headers, "tus-resumable": VERSION}
    with httpx.Client(timeout=timeout) as client:
        location = state.read_text().strip() if state.exists() else ""
        offset = 0
        if location:
            head = client.head(location, headers=base)
            if head.status_code == 200:
                offset = int(head.headers["upload-offset"])
            else:
                location = ""
        if not location:
            created = client.post(
                endpoint,
                headers={
                    **base,
                    "upload-length": str(size),
                    "upload-metadata": _metadata(metadata),
                },
            )
            if created.status_code != 201:
                raise Unavailable(f"creation refused: {created.status_code} {created.text[:300]}")
            location = str(httpx.URL(endpoint).join(created.headers["location"]))
            state.write_text(location)
        while offset < size:
            length = min(chunk, size - offset)
            sent = client.patch(
                location,
                headers={
                    **base,
                    "upload-offset": str(offset),
                    "content-type": "application/offset+octet-stream",
                    "content-length": str(length),
                },
                content=_blocks(path, offset, length),
            )
            if sent.status_code != 204:
                raise Unavailable(f"PATCH refused: {sent.status_code} {sent.text[:300]}")
            offset = int(sent.headers["upload-offset"])
    state.unlink(missing_ok=True)
    return location
