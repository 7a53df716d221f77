"""Federation: signed node-to-node exchange (RFC 9421), hit/no-hit queries, follow-up requests,
a durable outbox and an idempotent inbox.

Other packages use this façade only. A domain makes its records searchable by peers with
:func:`register_kind`, and exchanges its own messages with :func:`register_message_type` and
:func:`send_message` (under the sharing policy of the type and the peer).

The names below are imported on first use (PEP 562), so that importing a light module of
the package (``passerelle peers --help``) does not load the database and the services. The
protocol's own message handlers (queries, follow-ups) are registered by
:mod:`passerelle.federation.plugin`, which every node loads when it opens.

Every name other packages use is exported here (the tables ``Message``, ``Peer``…, the
schemas ``Envelope``, ``QueryIn``…, ``client_of``, ``node_key``), plus the ``peers``
namespace; the package's modules are internal (``tests/test_architecture.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passerelle.federation import peers
    from passerelle.federation.api import client_of
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
    from passerelle.federation.model import (
        Answer,
        FollowupRequest,
        Message,
        Outgoing,
        Peer,
        Policy,
        Quarantined,
        Query,
        Reference,
    )
    from passerelle.federation.schemas import (
        QUERY_SCHEMAS,
        TYPE_PATTERN,
        AnswerOut,
        ApproveIn,
        DeliveryState,
        Envelope,
        Evaluation,
        FollowupIn,
        FollowupOut,
        Handling,
        Item,
        MessageApproveIn,
        MessageOut,
        OutgoingOut,
        PeerOut,
        PersonQuery,
        PolicyIn,
        PolicyOut,
        QuarantinedOut,
        QueryIn,
        QueryOut,
        RefuseIn,
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
    from passerelle.federation.transport import Outcome, node_key

__all__ = [
    "QUERY_SCHEMAS",
    "TYPE_PATTERN",
    "Answer",
    "AnswerOut",
    "ApproveIn",
    "BodyRetention",
    "DeliveryState",
    "Envelope",
    "Evaluation",
    "FollowupIn",
    "FollowupOut",
    "FollowupRequest",
    "Handling",
    "Item",
    "Kind",
    "Message",
    "MessageApproveIn",
    "MessageOut",
    "MessageType",
    "Outcome",
    "Outgoing",
    "OutgoingOut",
    "Peer",
    "PeerOut",
    "PersonQuery",
    "Policy",
    "PolicyIn",
    "PolicyOut",
    "Quarantined",
    "QuarantinedOut",
    "Query",
    "QueryIn",
    "QueryOut",
    "Received",
    "Reference",
    "RefuseIn",
    "SearchResult",
    "case_history",
    "client_of",
    "decide",
    "deliver_messages",
    "get_query",
    "message_state",
    "message_types",
    "node_key",
    "peer_status",
    "peers",
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
    "Answer": ("passerelle.federation.model", "Answer"),
    "AnswerOut": ("passerelle.federation.schemas", "AnswerOut"),
    "ApproveIn": ("passerelle.federation.schemas", "ApproveIn"),
    "FollowupRequest": ("passerelle.federation.model", "FollowupRequest"),
    "Message": ("passerelle.federation.model", "Message"),
    "MessageApproveIn": ("passerelle.federation.schemas", "MessageApproveIn"),
    "MessageOut": ("passerelle.federation.schemas", "MessageOut"),
    "Outcome": ("passerelle.federation.transport", "Outcome"),
    "Outgoing": ("passerelle.federation.model", "Outgoing"),
    "OutgoingOut": ("passerelle.federation.schemas", "OutgoingOut"),
    "Peer": ("passerelle.federation.model", "Peer"),
    "PeerOut": ("passerelle.federation.schemas", "PeerOut"),
    "Policy": ("passerelle.federation.model", "Policy"),
    "PolicyIn": ("passerelle.federation.schemas", "PolicyIn"),
    "PolicyOut": ("passerelle.federation.schemas", "PolicyOut"),
    "QUERY_SCHEMAS": ("passerelle.federation.schemas", "QUERY_SCHEMAS"),
    "Quarantined": ("passerelle.federation.model", "Quarantined"),
    "QuarantinedOut": ("passerelle.federation.schemas", "QuarantinedOut"),
    "Query": ("passerelle.federation.model", "Query"),
    "Reference": ("passerelle.federation.model", "Reference"),
    "RefuseIn": ("passerelle.federation.schemas", "RefuseIn"),
    "TYPE_PATTERN": ("passerelle.federation.schemas", "TYPE_PATTERN"),
    "client_of": ("passerelle.federation.api", "client_of"),
    "node_key": ("passerelle.federation.transport", "node_key"),
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


#: Modules exported as namespaces (``from passerelle.federation import peers``, then
#: ``peers.public_key(...)``); their names are never imported from the module directly.
_NAMESPACES = frozenset({"peers"})


def __getattr__(name: str) -> Any:
    if name in _NAMESPACES:
        return importlib.import_module(f"{__name__}.{name}")
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
