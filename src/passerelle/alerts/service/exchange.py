"""Alerts' messages between nodes, carried by federation's signed hit/no-hit queries.

Federation's envelope has a fixed set of message types, so each alerts message is a query of a
kind registered by this package (``alerts.alert``, ``alerts.hit_report``, ``alerts.hit_answer``,
``alerts.catalogue``, ``alerts.release_notice``). The receiving node validates the payload in
the kind's ``search`` function, answers HIT (accepted, with an opaque reference) or an error
detail, and stores it right after the inbox transaction commits (see ``hooks``). Delivery,
signatures, retries and the audit of the exchange stay federation's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts.service import hooks
from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import QueryIn, QueryOut
from passerelle.node import Node
from passerelle.privacy.accounts import Principal

LEGAL_BASIS = "Regulation (EU) 2018/1862 arts. 8 and 37; joint declaration FR-BE 11 June 2018"

#: What a receiving node does with a validated payload: (payload, node) -> internal reference
#: and the write to run once the inbox transaction has committed.
Receiver = Callable[[Mapping[str, Any], Node], tuple[str, Callable[[Session], None]]]
_RECEIVERS: dict[str, tuple[str, Receiver]] = {}


def receiver(kind: str, description: str) -> Callable[[Receiver], Receiver]:
    def register(fn: Receiver) -> Receiver:
        _RECEIVERS[kind] = (description, fn)
        return fn

    return register


def _search(kind: str) -> Callable[[Mapping[str, Any], Node], federation.SearchResult]:
    def search(payload: Mapping[str, Any], node: Node) -> federation.SearchResult:
        _, fn = _RECEIVERS[kind]
        try:
            internal_ref, write = fn(payload, node)
        except ValidationFailed as exc:
            # federation passes NotFound's message back to the sender, other errors generically
            raise NotFound(f"refused: {exc.message}") from exc
        except (KeyError, TypeError, ValueError) as exc:
            # A payload missing a field or holding a bad date is the peer's input, not a bug.
            raise NotFound(
                f"refused: the {kind} payload cannot be read ({type(exc).__name__}: "
                f"{str(exc)[:100]})"
            ) from exc
        hooks.defer_write(node, write)
        return federation.SearchResult(True, internal_ref)

    return search


def _fetch(internal_ref: str, node: Node) -> dict[str, str]:
    # Nothing is released behind these references: the message itself was the data.
    return {}


def register_kinds() -> None:
    """Make this node accept alerts messages from its peers (idempotent)."""
    for kind, (description, _) in _RECEIVERS.items():
        federation.register_kind(kind, _search(kind), _fetch, description=description, replace=True)


def sender(payload: Mapping[str, Any]) -> str:
    """The sending node: the payload's ``from``, which must be the node that signed the
    message (a user cannot send an alerts message in another node's name)."""
    claimed = str(payload.get("from", "")).upper()
    verified = hooks.verified_sender()
    if not claimed or claimed != verified:
        raise ValidationFailed("the message's sending node is not the node that signed it")
    return claimed


async def send(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    *,
    kind: str,
    payload: dict[str, Any],
    peers: list[str] | None,
    case_ref: str,
    purpose: str,
) -> QueryOut | None:
    """Send one alerts message to ``peers`` (all when None); None when there is nobody to tell."""
    known = await hooks.run_in_session(
        node, lambda session: [p.code for p in federation.peer_status(session)]
    )
    targets = [p for p in (peers if peers is not None else known) if p in known]
    if not targets:
        return None
    query = QueryIn(
        kind=kind,
        payload={**payload, "from": node.code},
        peers=targets,
        case_ref=case_ref[:100],
        purpose=purpose,
        legal_basis=LEGAL_BASIS,
    )
    return await federation.send_query(node, client, principal, query)


def outcome(result: QueryOut | None, peer: str) -> tuple[str, str]:
    """Delivery state of a message to ``peer``: (delivered|queued|refused, detail)."""
    if result is None:
        return "local", ""
    answer = next((a for a in result.answers if a.peer == peer), None)
    if answer is None:
        return "queued", "not sent"
    if answer.status == "hit":
        return "delivered", f"accepted by {peer}"
    if answer.status in ("error", "no_hit"):
        return "refused", answer.detail or answer.status
    return "queued", answer.detail or answer.status


def client_of(app: Any) -> httpx.AsyncClient:
    """The app's HTTP client for peers (shared with federation when it created one)."""
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client
