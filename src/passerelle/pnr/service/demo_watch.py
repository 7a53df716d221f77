"""Demo only: synthetic watchlist entries written by ``demo_seed`` to a file in the node
directory and published to the node's live watchlists the first time this process screens
(the server is another process than the seeding one, and watchlists live in memory). Without
the file (any real node) this module does nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from passerelle.identity import NodeWatchlists, PersonRecord
from passerelle.node import Node

__all__ = ["FILE_NAME", "ensure_published", "write_entries"]

FILE_NAME = "pnr-demo-watchlist.json"
_FLAG = "pnr.demo_watch_loaded"


def _path(node: Node) -> Path:
    return node.settings.data_dir / FILE_NAME


def write_entries(node: Node, list_name: str, entries: list[PersonRecord]) -> None:
    """Keep synthetic entries for this node's server process to publish."""
    data = {"list": list_name, "entries": [e.to_dict() for e in entries]}
    _path(node).write_text(json.dumps(data, ensure_ascii=False, indent=2))


def ensure_published(node: Node, watchlists: NodeWatchlists) -> NodeWatchlists:
    """Publish the demo entries once per process (no-op without the file)."""
    if node.state.get(_FLAG):
        return watchlists
    node.state[_FLAG] = True
    path = _path(node)
    if path.is_file():
        data = json.loads(path.read_text())
        for entry in data["entries"]:
            watchlists.publish(data["list"], PersonRecord(**entry))
    return watchlists
