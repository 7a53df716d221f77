"""The node's live watchlists: named in-memory indexes that publishers keep up to date.

Domains publish entries (the alerts register publishes its person alerts); screening reads all
lists at once. Adding or withdrawing an entry changes screening results immediately, without a
rebuild. The lists are rebuilt from their owners' tables when a node starts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from passerelle.errors import NotFound
from passerelle.identity.index import Watchlist
from passerelle.identity.rules import DEFAULT_THRESHOLD
from passerelle.identity.schemas import Match, PersonRecord
from passerelle.identity.service import screen


@dataclass(frozen=True)
class ListedMatch:
    list_name: str
    match: Match
    #: The node that owns the entry (None: this node's own list, owner not recorded).
    owner: str | None = None
    #: What the entry is about, as its publisher tagged it (e.g. ``sis:art32``), so a screening
    #: purpose can leave out entries it may not use (PNR: terrorism and serious crime only).
    tags: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, object]:
        return {"list": self.list_name, **self.match.to_dict()}


class NodeWatchlists:
    def __init__(self) -> None:
        self._lists: dict[str, Watchlist] = {}
        self._owners: dict[tuple[str, str], str] = {}
        self._tags: dict[tuple[str, str], frozenset[str]] = {}
        self._lock = threading.RLock()

    def publish(
        self,
        list_name: str,
        entry: PersonRecord,
        *,
        owner: str | None = None,
        tags: frozenset[str] = frozenset(),
    ) -> None:
        """Add or replace an entry (same id) on a list.

        ``owner`` names the node that issued the entry when it is a copy of another node's
        record (a shared alert): such entries are screened here but never answered for peers.
        """
        with self._lock:
            self._lists.setdefault(list_name, Watchlist()).add(entry, replace=True)
            if tags:
                self._tags[(list_name, entry.id)] = frozenset(tags)
            else:
                self._tags.pop((list_name, entry.id), None)
            if owner is None:
                self._owners.pop((list_name, entry.id), None)
            else:
                self._owners[(list_name, entry.id)] = owner

    def withdraw(self, list_name: str, entry_id: str) -> bool:
        """Remove an entry; False when it was not listed."""
        with self._lock:
            watchlist = self._lists.get(list_name)
            if watchlist is None:
                return False
            try:
                watchlist.remove(entry_id)
            except NotFound:
                return False
            self._owners.pop((list_name, entry_id), None)
            self._tags.pop((list_name, entry_id), None)
            return True

    def get(self, list_name: str, entry_id: str) -> PersonRecord:
        """The listed entry; NotFound when the list or the entry is not there."""
        with self._lock:
            watchlist = self._lists.get(list_name)
            if watchlist is None:
                raise NotFound(f"no watchlist named {list_name!r}")
            return watchlist.get(entry_id)

    def sizes(self) -> dict[str, int]:
        with self._lock:
            return {name: len(w) for name, w in sorted(self._lists.items())}

    def screen(
        self, record: PersonRecord, threshold: float = DEFAULT_THRESHOLD
    ) -> list[ListedMatch]:
        """Matches on every list, best first."""
        with self._lock:
            found = [
                ListedMatch(
                    name,
                    match,
                    self._owners.get((name, match.entry_id)),
                    self._tags.get((name, match.entry_id), frozenset()),
                )
                for name, watchlist in self._lists.items()
                for match in screen(record, watchlist, threshold)
            ]
        return sorted(found, key=lambda m: (-m.match.score, m.list_name, m.match.entry_id))


def node_watchlists(state: dict[str, object]) -> NodeWatchlists:
    """The watchlists kept in a node's plugin state (created on first use)."""
    lists = state.setdefault("identity.watchlists", NodeWatchlists())
    assert isinstance(lists, NodeWatchlists)
    return lists
