"""A small process that pulls evidence content: ``python -m passerelle.jit.pull [EVIDENCE_ID]``.

It does what ``passerelle jit evidence fetch`` does (pull with ``Range`` from the origin,
verify size and SHA-256, sign ``received``, tell the parties) but imports only what the pull
needs: the JIT transfer service, the federation client and the database the node's server
already migrated. No web application, no other domain's retention rules (which bring DuckDB,
PyArrow and NumPy), no migrations: that is what keeps a 2 GB transfer under 200 MB RSS
(``benchmarks/jit_transfer.py``). Exit 0 when every item arrived and verified.
"""

from __future__ import annotations

import asyncio
import sys

import httpx

from passerelle import federation
from passerelle.federation import pull
from passerelle.jit.service import replicate, transfer
from passerelle.node import Node
from passerelle.privacy import SystemClock
from passerelle.settings import Settings, get_settings
from passerelle.storage import Database


def worker_node(settings: Settings) -> Node:
    """The node's database and keys, without migrations or other domains' rules: the node's
    server (or ``passerelle init``) has already migrated the database."""
    replicate.register_types()
    db = Database(settings.effective_database_url, busy_timeout=settings.db_busy_timeout_seconds)
    return Node(settings=settings, db=db, clock=SystemClock())


def _pending(node: Node) -> list[str]:
    with node.session() as session:
        return transfer.pending(session, node)


async def pull_items(node: Node, ids: list[str] | None = None) -> list[str]:
    """Pull every item of ``ids`` (all pending items when ``None``); the ids received."""
    if ids is None:
        ids = await asyncio.to_thread(_pending, node)
    done = []
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(30.0, read=300.0), **pull.client_options(node.settings)
    ) as client:
        for item in ids:
            messages = await transfer.fetch(node, client, item)
            await federation.deliver_messages(node, client, messages)
            done.append(item)
    return done


def main(argv: list[str]) -> int:
    node = worker_node(get_settings())
    try:
        for item in asyncio.run(pull_items(node, argv or None)):
            print(f"{item}: received, SHA-256 verified", flush=True)
    finally:
        node.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
