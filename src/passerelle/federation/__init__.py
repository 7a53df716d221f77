"""Federation: signed node-to-node exchange (RFC 9421), hit/no-hit queries, follow-up requests,
a durable outbox and an idempotent inbox.

Other packages use this façade only. A domain makes its records searchable by peers with
:func:`register_kind`, and exchanges its own messages with :func:`register_message_type` and
:func:`send_message` (under the sharing policy of the type and the peer).

The names below are imported on first use (PEP 562), so that importing a light module of
the package (``passerelle peers --help``) does not load the database and the services. The
protocol's own message handlers (queries, follow-ups) are registered by
:mod:`passerelle.federation.plugin`, which every node loads when it opens.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_LAZY: dict[str, tuple[str, str]] = {
    "BodyRetention": ("passerelle.federation.messages", "BodyRetention"),
    "DeliveryState": ("passerelle.federation.schemas", "DeliveryState"),
    "Envelope": ("passerelle.federation.schemas", "Envelope"),
    "Evaluation": ("passerelle.federation.schemas", "Evaluation"),
    "FollowupIn": ("passerelle.federation.schemas", "FollowupIn"),
    "FollowupOut": ("passerelle.federation.schemas", "FollowupOut"),
    "Handling": ("passerelle.federation.schemas", "Handling"),
    "Item": ("passerelle.federation.schemas", "Item"),
    "Kind": ("passerelle.federation.kinds", "Kind"),
    "MessageType": ("passerelle.federation.messages", "MessageType"),
    "PersonQuery": ("passerelle.federation.schemas", "PersonQuery"),
    "QueryIn": ("passerelle.federation.schemas", "QueryIn"),
    "QueryOut": ("passerelle.federation.schemas", "QueryOut"),
    "Received": ("passerelle.federation.messages", "Received"),
    "SearchResult": ("passerelle.federation.kinds", "SearchResult"),
    "case_history": ("passerelle.federation.service", "case_history"),
    "decide": ("passerelle.federation.service", "decide"),
    "deliver_messages": ("passerelle.federation.service", "deliver_messages"),
    "get_query": ("passerelle.federation.service", "get_query"),
    "message_state": ("passerelle.federation.approvals", "state"),
    "message_types": ("passerelle.federation.messages", "message_types"),
    "peer_status": ("passerelle.federation.service", "peer_status"),
    "recent_queries": ("passerelle.federation.service", "recent_queries"),
    "register_kind": ("passerelle.federation.kinds", "register_kind"),
    "register_message_type": ("passerelle.federation.messages", "register_message_type"),
    "registered_kinds": ("passerelle.federation.kinds", "registered_kinds"),
    "request_followup": ("passerelle.federation.service", "request_followup"),
    "send_message": ("passerelle.federation.approvals", "send"),
    "send_query": ("passerelle.federation.service", "send_query"),
    "sent_about": ("passerelle.federation.approvals", "sent_about"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
