"""Federation: signed node-to-node exchange (RFC 9421), hit/no-hit queries, follow-up requests,
a durable outbox and an idempotent inbox.

Other packages use this façade only. A domain makes its records searchable by peers with
:func:`register_kind`, and exchanges its own messages with :func:`register_message_type` and
:func:`send_message` (under the sharing policy of the type and the peer).
"""

from passerelle.federation import followups as _followups  # registers message handlers
from passerelle.federation import queries as _queries  # registers message handlers
from passerelle.federation.approvals import send as send_message
from passerelle.federation.approvals import sent_about
from passerelle.federation.approvals import state as message_state
from passerelle.federation.kinds import Kind, SearchResult, register_kind, registered_kinds
from passerelle.federation.messages import (
    BodyRetention,
    MessageType,
    Received,
    message_types,
    register_message_type,
)
from passerelle.federation.schemas import (
    DeliveryState,
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
    deliver_messages,
    get_query,
    peer_status,
    recent_queries,
    request_followup,
    send_query,
)

__all__ = [
    "BodyRetention",
    "DeliveryState",
    "Envelope",
    "Evaluation",
    "FollowupIn",
    "FollowupOut",
    "Handling",
    "Item",
    "Kind",
    "MessageType",
    "PersonQuery",
    "QueryIn",
    "QueryOut",
    "Received",
    "SearchResult",
    "case_history",
    "decide",
    "deliver_messages",
    "get_query",
    "message_state",
    "message_types",
    "peer_status",
    "recent_queries",
    "register_kind",
    "register_message_type",
    "registered_kinds",
    "request_followup",
    "send_message",
    "send_query",
    "sent_about",
]

del _followups, _queries
