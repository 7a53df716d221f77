"""The node-to-node route of the JIT domain: a party pulls evidence content, authenticated by
its RFC 9421 signature (its federation key), with ``Range`` to resume."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from passerelle.jit.service import transfer
from passerelle.kit.web import node_of

router = APIRouter(tags=["jit"])


@router.get(transfer.PEER_PATH)
async def evidence_content(request: Request, evidence_id: str) -> FileResponse:
    """The content of an evidence item, for a party listed as its recipient; supports Range."""
    node = node_of(request)
    headers = {k.lower(): v for k, v in request.headers.items()}

    def run() -> str:
        signer = transfer.verify_peer(
            node, method=request.method, path=request.url.path, headers=headers
        )
        with node.session() as session:
            return str(transfer.serve(session, node, signer, evidence_id))

    path = await run_in_threadpool(run)
    return FileResponse(path, media_type="application/octet-stream")
