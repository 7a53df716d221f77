"""Searchable kinds: what a peer may be asked about (DNA profiles, persons, …).

A domain package registers a kind with a ``search`` function (payload → hit or no hit plus its
*internal* reference) and a ``fetch`` function (internal reference → the fields a supervisor
may choose to release). Federation turns internal references into opaque tokens before they
leave the node, so a peer never learns how records are keyed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from passerelle.errors import Conflict, NotFound

if TYPE_CHECKING:
    from passerelle.node import Node


@dataclass(frozen=True)
class SearchResult:
    """HIT with the internal reference of the matching record, or NO HIT."""

    hit: bool
    internal_ref: str | None = None

    @classmethod
    def no_hit(cls) -> SearchResult:
        return cls(False)


Search = Callable[[Mapping[str, Any], "Node"], SearchResult]
Fetch = Callable[[str, "Node"], dict[str, str]]


@dataclass(frozen=True)
class Kind:
    name: str
    search: Search
    fetch: Fetch
    description: str = ""


_KINDS: dict[str, Kind] = {}

#: Kinds the protocol knows before a domain wires them; a node without a handler answers
#: "not supported here" instead of NO HIT, so a requester never mistakes absence for a miss.
KNOWN_KINDS = {
    "person": "A person, by family name, given names, date of birth and nationality "
    "(wired by the identity package).",
    "dna": "A DNA profile, by harmonised STR loci (wired by the dna package).",
}


def register_kind(
    name: str, search: Search, fetch: Fetch, *, description: str = "", replace: bool = False
) -> Kind:
    """Make ``name`` searchable by peers; ``replace`` swaps an existing handler (tests, reload)."""
    if name in _KINDS and not replace:
        raise Conflict(f"the kind {name!r} is already registered")
    kind = Kind(name, search, fetch, description or KNOWN_KINDS.get(name, ""))
    _KINDS[name] = kind
    return kind


def unregister_kind(name: str) -> None:
    _KINDS.pop(name, None)


def get_kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise NotFound(f"the kind {name!r} is not searchable on this node") from None


def registered_kinds() -> list[str]:
    return sorted(_KINDS)
