"""Federation: signed node-to-node exchange (RFC 9421), hit/no-hit queries, follow-up requests,
a durable outbox and an idempotent inbox.

Other packages use this façade only. A domain makes its records searchable by peers with
:func:`register_kind`.
"""

from passerelle.federation import followups as _followups  # registers message handlers
from passerelle.federation import queries as _queries  # registers message handlers
from passerelle.federation.kinds import Kind, SearchResult, register_kind, registered_kinds
from passerelle.federation.schemas import (
    Envelope,
    Evaluation,
    FollowupIn,
    FollowupOut,
    Handling,
    Item,
    PersonQuery,
    QueryIn,
    QueryOut,
)
from passerelle.federation.service import (
    case_history,
    decide,
    get_query,
    peer_status,
    recent_queries,
    request_followup,
    send_query,
)

__all__ = [
    "Envelope",
    "Evaluation",
    "FollowupIn",
    "FollowupOut",
    "Handling",
    "Item",
    "Kind",
    "PersonQuery",
    "QueryIn",
    "QueryOut",
    "SearchResult",
    "case_history",
    "decide",
    "get_query",
    "peer_status",
    "recent_queries",
    "register_kind",
    "registered_kinds",
    "request_followup",
    "send_query",
]

del _followups, _queries
