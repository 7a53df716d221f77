"""The ``person`` kind of federated hit/no-hit queries, answered from the node's watchlists.

A peer asks with a :class:`~passerelle.federation.schemas.PersonQuery`; this node screens it
against its live watchlists at the default threshold (only entries it owns, not copies of
peers' alerts) and answers HIT (with the internal
reference ``list:entry``, which federation turns into an opaque token) or NO HIT. The fields
behind a reference are released only through an approved follow-up request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from passerelle.errors import NotFound
from passerelle.federation import SearchResult, register_kind
from passerelle.identity.schemas import PersonRecord
from passerelle.identity.watchlists import node_watchlists

if TYPE_CHECKING:
    from passerelle.node import Node


def search(criteria: Mapping[str, Any], node: Node) -> SearchResult:
    record = PersonRecord(
        id="peer-query",
        family_name=str(criteria.get("family_name") or "") or None,
        given_names=str(criteria.get("given_names") or "") or None,
        date_of_birth=str(criteria.get("birth_date") or "") or None,
        nationality=str(criteria.get("nationality") or "") or None,
        document_number=str(criteria.get("document_number") or "") or None,
    )
    # Copies of other nodes' records are theirs to answer for, never ours.
    matches = [
        m for m in node_watchlists(node.state).screen(record) if m.owner in (None, node.code)
    ]
    if not matches:
        return SearchResult.no_hit()
    best = matches[0]
    return SearchResult(True, f"{best.list_name}:{best.match.entry_id}")


def fetch(internal_ref: str, node: Node) -> dict[str, str]:
    """The fields a supervisor may release; empty when the entry has since been withdrawn."""
    list_name, _, entry_id = internal_ref.partition(":")
    try:
        record = node_watchlists(node.state).get(list_name, entry_id)
    except NotFound:
        return {}
    return {key: str(value) for key, value in record.to_dict().items() if key != "id"}


def register() -> None:
    register_kind(
        "person",
        search,
        fetch,
        description="A person, screened against this node's watchlists.",
        replace=True,
    )
