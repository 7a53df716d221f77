"""Searchable kinds: what a peer may be asked about (DNA profiles, persons, …).

A domain package registers a kind with a ``search`` function (payload → hit or no hit plus its
*internal* reference) and a ``fetch`` function (internal reference → the fields a supervisor
may choose to release). Federation turns internal references into opaque tokens before they
leave the node, so a peer never learns how records are keyed here.

A kind that needs more than HIT / NO HIT says so through public hooks rather than by wrapping
federation's message handlers: ``SearchResult.extra`` adds fields to a HIT answer, ``on_hit``
runs on the answering node when it answers HIT, ``on_answer`` on the requesting node when a
peer's answer is recorded. Both callbacks run inside federation's transaction, so their writes
commit with the message or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import rules

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from passerelle.federation.model import Answer, Reference
    from passerelle.federation.schemas import Envelope
    from passerelle.node import Node

#: Payload keys federation writes in a query answer (``queries``): a kind's ``extra`` may not
#: use them, or a peer could be told a HIT is something else, or carry a second reference.
RESERVED_ANSWER_KEYS = frozenset({"result", "reference", "detail"})


@dataclass(frozen=True)
class SearchResult:
    """HIT with the internal reference of the matching record, or NO HIT.

    ``extra`` holds fields the kind adds to the payload of a HIT answer (a quality class, say):
    JSON values under keys federation does not use itself. They travel in the signed reply to
    the requester; a NO HIT never carries them. Checked here, so a kind that breaks the rule
    fails where it builds its result, and copied, so it cannot change after the check.
    """

    hit: bool
    internal_ref: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", MappingProxyType(_checked_extra(self.extra)))

    @classmethod
    def no_hit(cls) -> SearchResult:
        return cls(False)


def _checked_extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(extra)
    clash = sorted(RESERVED_ANSWER_KEYS & set(fields))
    if clash:
        raise ValidationFailed(
            f"a search result's extra fields may not use {', '.join(clash)}: federation sets "
            "those in the answer itself",
            keys=clash,
        )
    if not all(isinstance(k, str) for k in fields):
        raise ValidationFailed("a search result's extra fields must be named by strings")
    try:
        json.dumps(fields, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            f"a search result's extra fields must be JSON values: {exc}"
        ) from exc
    return fields


Search = Callable[[Mapping[str, Any], "Node"], SearchResult]
Fetch = Callable[[str, "Node"], dict[str, str]]
#: Answering node, after it stored the opaque reference of a HIT: (session, node, the query
#: received, the reference handed to the peer).
OnHit = Callable[["Session", "Node", "Envelope", "Reference"], None]
#: Requesting node, once per peer answer recorded (HIT, NO HIT or error, late ones too):
#: (session, node, the answer received, the recorded answer row with its query id and status).
OnAnswer = Callable[["Session", "Node", "Envelope", "Answer"], None]


@dataclass(frozen=True)
class Kind:
    name: str
    search: Search
    fetch: Fetch
    description: str = ""
    on_hit: OnHit | None = None
    on_answer: OnAnswer | None = None
    #: The legal basis messages of this kind travel under (``rules.KIND_LEGAL_BASES``).
    legal_basis: str = ""


_KINDS: dict[str, Kind] = {}

#: Kinds the protocol knows before a domain wires them; a node without a handler answers
#: "not supported here" instead of NO HIT, so a requester never mistakes absence for a miss.
KNOWN_KINDS = {
    "person": "A person, by family name, given names, date of birth and nationality "
    "(wired by the identity package).",
    "dna": "A DNA profile, by harmonised STR loci (wired by the dna package).",
}


def register_kind(
    name: str,
    search: Search,
    fetch: Fetch,
    *,
    description: str = "",
    on_hit: OnHit | None = None,
    on_answer: OnAnswer | None = None,
    replace: bool = False,
    legal_basis: str = "",
) -> Kind:
    """Make ``name`` searchable by peers; ``replace`` swaps an existing handler (tests, reload).

    ``on_hit`` and ``on_answer`` are optional (see :data:`OnHit`, :data:`OnAnswer`); an
    exception they raise rolls back the whole message, which is then retried like any other.
    """
    if name in _KINDS and not replace:
        raise Conflict(f"the kind {name!r} is already registered")
    basis = legal_basis or rules.kind_legal_basis(name)
    if not basis:
        raise ValidationFailed(
            f"the kind {name!r} names no legal basis: pass legal_basis= or add it to "
            "federation.rules.KIND_LEGAL_BASES (each message kind travels under one)"
        )
    kind = Kind(
        name,
        search,
        fetch,
        description or KNOWN_KINDS.get(name, ""),
        on_hit=on_hit,
        on_answer=on_answer,
        legal_basis=basis,
    )
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
