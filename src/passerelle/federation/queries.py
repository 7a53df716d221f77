"""Hit/no-hit queries: sent to one or all peers, answered HIT + opaque reference or NO HIT.

The requester waits for each peer up to the per-peer timeout; peers that did not answer are
shown as such (a partial result), and their messages stay in the outbox so a late answer is
still recorded when it comes.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.errors import NotFound, PermissionDenied, ValidationFailed
from passerelle.federation import delivery, dispatch, kinds, outbox, peers, policies, rules
from passerelle.federation import envelope as env
from passerelle.federation.model import Answer, Message, Query, Reference
from passerelle.federation.schemas import AnswerOut, Envelope, Handling, QueryIn, QueryOut
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Access, Principal, audit

log = logging.getLogger("passerelle.federation")
WAITING = ("pending", "timeout", "unreachable")
#: Audit action of a peer's answer recorded here (issue #15: the action names what happened).
ANSWER_RECEIVED = audit.declare_action(N_("query answer received"))


def _prepare(node: Node, principal: Principal, data: QueryIn) -> tuple[str, list[int]]:
    with node.session() as session:
        known = [p.code for p in peers.all_peers(session)]
        targets = [p.upper() for p in data.peers] if data.peers else known
        unknown = sorted(set(targets) - set(known))
        if unknown:
            raise ValidationFailed(f"not registered as peers: {', '.join(unknown)}")
        if not targets:
            raise ValidationFailed("this node has no peers to ask")
        # Sharing policy of ``query``: a peer named explicitly under ``never`` is an error;
        # asking "every peer" asks those the policy allows (issue #15).
        closed = [c for c in targets if policies.effective(session, "query", c) == "never"]
        if data.peers:
            for code in closed:
                policies.require(session, "query", code, doing="send it queries")
        targets = [c for c in targets if c not in closed]
        if not targets:
            raise PermissionDenied(
                "the sharing policy of query is never towards every peer: an admin sets it "
                "(passerelle sharing set query PEER automatic --reason …)"
            )
        now = node.clock.now()
        query = Query(
            id=str(uuid.uuid4()),
            kind=data.kind,
            case_ref=data.case_ref,
            purpose=data.purpose,
            legal_basis=data.legal_basis,
            created_by=principal.name,
            created_at=now,
        )
        session.add(query)
        row_ids = []
        for code in targets:
            message = env.make(
                node,
                recipient=code,
                type="query",
                purpose=data.purpose,
                legal_basis=data.legal_basis,
                case_ref=data.case_ref,
                payload={"kind": data.kind, "query": data.payload, "query_id": query.id},
                handling=Handling(code=rules.QUERY_HANDLING),
            )
            row_ids.append(outbox.enqueue(session, message, now=now, cipher=node.cipher).id)
            session.add(
                Answer(query_id=query.id, peer=code, message_id=message.id, status="pending")
            )
        Access(principal, node.code, data.purpose, data.legal_basis).trace(
            session,
            "disclose",
            "federation.query",
            query.id,
            now=now,
            details={
                "kind": data.kind,
                "peers": targets,
                "case": data.case_ref,
                **({"not_asked_by_policy": closed} if closed else {}),
            },
        )
        return query.id, row_ids


def _close_waiting(node: Node, query_id: str) -> None:
    with node.session() as session:
        for answer in session.scalars(
            select(Answer).where(Answer.query_id == query_id, Answer.status == "pending")
        ):
            message = session.scalars(
                select(Message).where(
                    Message.message_id == answer.message_id,
                    Message.direction == "out",
                    Message.peer == answer.peer,
                )
            ).first()
            error = (message.last_error if message else None) or "no answer"
            answer.status = "timeout" if "did not answer" in error else "unreachable"
            answer.detail = error[:300]


async def send_query(
    node: Node, client: httpx.AsyncClient, principal: Principal, data: QueryIn
) -> QueryOut:
    """Ask the peers, wait for their answers up to the per-peer timeout, return what came."""
    query_id, row_ids = await run_in_threadpool(_prepare, node, principal, data)
    await delivery.deliver(node, client, row_ids)
    await run_in_threadpool(_close_waiting, node, query_id)

    def result() -> QueryOut:
        with node.session() as session:
            return get_query(session, query_id)

    return await run_in_threadpool(result)


def _answer_out(answer: Answer) -> AnswerOut:
    handling = (
        Handling(code=answer.handling_code, text=answer.handling_text)
        if answer.handling_code
        else None
    )
    return AnswerOut(
        peer=answer.peer,
        status=answer.status,
        reference=answer.reference,
        detail=answer.detail,
        handling=handling,
        answered_at=answer.answered_at,
    )


def get_query(session: Session, query_id: str) -> QueryOut:
    query = session.get(Query, query_id)
    if query is None:
        raise NotFound(f"no query {query_id}")
    answers = session.scalars(
        select(Answer).where(Answer.query_id == query_id).order_by(Answer.peer)
    ).all()
    return QueryOut(
        id=query.id,
        kind=query.kind,
        case_ref=query.case_ref,
        created_at=query.created_at,
        created_by=query.created_by,
        complete=all(a.status not in WAITING for a in answers),
        answers=[_answer_out(a) for a in answers],
    )


def recent_queries(session: Session, *, limit: int = 50) -> list[QueryOut]:
    ids = session.scalars(select(Query.id).order_by(Query.created_at.desc()).limit(limit)).all()
    return [get_query(session, i) for i in ids]


def _hit(
    session: Session,
    node: Node,
    message: Envelope,
    kind: kinds.Kind,
    internal_ref: str,
    extra: Mapping[str, Any],
) -> dict[str, object]:
    """Store a fresh opaque reference for the record found and let the kind act on the HIT.

    The kind's extra fields come after federation's own; ``SearchResult`` has already refused
    any that would overwrite them.
    """
    reference = Reference(
        token="ref-" + secrets.token_urlsafe(18),
        kind=kind.name,
        internal_ref=internal_ref,
        peer=message.sender,
        query_message_id=message.id,
        created_at=node.clock.now(),
    )
    session.add(reference)
    if kind.on_hit is not None:
        kind.on_hit(session, node, message, reference)
    return {"result": "hit", "reference": reference.token, **extra}


@dispatch.handler("query")
def _on_query(session: Session, node: Node, message: Envelope) -> Envelope:
    """Peer side: search the kind, answer HIT with a fresh opaque reference or NO HIT."""
    kind_name = str(message.payload.get("kind", ""))
    result: dict[str, object]
    try:
        if policies.effective(session, "query.answer", message.sender) == "never":
            # Sharing policy of hit/no-hit answers towards the requester: nothing is searched.
            raise PermissionDenied(
                f"this node answers no queries from {message.sender} (sharing policy of "
                "query.answer: never)"
            )
        kind = kinds.get_kind(kind_name)
        found = kind.search(message.payload.get("query") or {}, node)
    except (NotFound, PermissionDenied) as exc:
        result = {"result": "error", "detail": exc.message}
    except Exception:
        log.exception("search of kind %s failed", kind_name)
        result = {"result": "error", "detail": "the search failed on the requested node"}
    else:
        if found.hit and found.internal_ref:
            result = _hit(session, node, message, kind, found.internal_ref, found.extra)
        else:
            result = {"result": "no_hit"}  # a kind's extra fields never go with a NO HIT
    node.audit(
        session,
        dispatch.peer_actor(message),
        action="read",
        object_type="federation.query",
        object_id=message.id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome=str(result["result"]),
        details={"kind": kind_name, "case": message.case_ref},
    )
    return env.make(
        node,
        recipient=message.sender,
        type="query.answer",
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        case_ref=message.case_ref,
        in_reply_to=message.id,
        handling=Handling(code=rules.HIT_HANDLING) if result["result"] == "hit" else None,
        payload=result,
    )


@dispatch.handler("query.answer")
def _on_answer(session: Session, node: Node, message: Envelope) -> None:
    """Requester side: record a peer's answer once, even if it arrives late or twice.

    The kind's ``on_answer`` runs only when the answer is recorded, so it too runs once.
    """
    answer = session.scalars(
        select(Answer).where(
            Answer.message_id == message.in_reply_to, Answer.peer == message.sender
        )
    ).first()
    if answer is None or answer.status not in WAITING:
        return
    outcome = str(message.payload.get("result", "error"))
    answer.status = outcome if outcome in ("hit", "no_hit") else "error"
    answer.reference = message.payload.get("reference") if outcome == "hit" else None
    answer.detail = str(message.payload.get("detail", ""))[:300]
    answer.handling_code = message.handling.code if message.handling else None
    answer.handling_text = message.handling.text if message.handling else None
    answer.answered_at = node.clock.now()
    node.audit(
        session,
        dispatch.peer_actor(message),
        action=ANSWER_RECEIVED,
        object_type="federation.answer",
        object_id=answer.query_id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome=answer.status,
        details={"peer": message.sender, "case": message.case_ref},
    )
    kind = _kind_of(session, answer)
    if kind is not None and kind.on_answer is not None:
        kind.on_answer(session, node, message, answer)


def _kind_of(session: Session, answer: Answer) -> kinds.Kind | None:
    """The kind asked about, if this node has it: a node may ask about kinds it does not hold."""
    query = session.get(Query, answer.query_id)
    if query is None:
        return None
    try:
        return kinds.get_kind(query.kind)
    except NotFound:
        return None
