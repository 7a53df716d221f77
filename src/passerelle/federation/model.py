"""Tables of federation: peers, the message log (outbox and inbox), queries, answers, opaque
references and follow-up requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Peer(Base):
    """A partner node: its code (the signature key id), inbox URL and public key."""

    __tablename__ = "federation_peer"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(String(300))
    public_key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_ok_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: SHA-256 (hex) of the peer's TLS certificate, pinned for mutual TLS on the inbox.
    tls_cert_sha256: Mapped[str | None] = mapped_column(String(64), default=None)


class Message(Base):
    """Every message sent (the durable outbox) or received (the idempotent inbox).

    Outgoing rows keep the exact body that is signed on every attempt, so a retry is the same
    message; incoming rows keep the reply that was sent, so a replay can be answered with it.
    The body is encrypted with the node's field key (``bodies``) and erased when its message
    type's body retention ends; the envelope (who, when, which type, which reference, the
    SHA-256 of the body) stays for the accountability period of ``federation_message``.
    A message is known by its peer and id together: a peer cannot reach another's message (or
    the reply sent to it) by reusing its id.
    """

    __tablename__ = "federation_message"
    __table_args__ = (UniqueConstraint("peer", "message_id", "direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(3))  # "out" or "in"
    peer: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(32))
    case_ref: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    body: Mapped[str | None] = mapped_column(Text)  # encrypted; None once erased
    #: What the message is about (an alert id, a hit report id, …), for accountability.
    reference: Mapped[str | None] = mapped_column(String(200), default=None, index=True)
    body_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    #: The masked body, sealed when the message is recorded, swapped in when masking is due.
    body_masked: Mapped[str | None] = mapped_column(Text, default=None)
    #: When the body must be masked / erased, when the message type ties it to dates.
    body_mask_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    body_delete_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    body_masked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    body_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    # out: pending → sending → delivered | failed; in: received
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    reply: Mapped[str | None] = mapped_column(Text, default=None)


class Query(Base):
    """A hit/no-hit query this node sent to one or more peers."""

    __tablename__ = "federation_query"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_ref: Mapped[str] = mapped_column(String(100), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Answer(Base):
    """One peer's answer to a query: HIT with an opaque reference, NO HIT, or no answer yet."""

    __tablename__ = "federation_answer"
    __table_args__ = (UniqueConstraint("query_id", "peer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    query_id: Mapped[str] = mapped_column(ForeignKey("federation_query.id", ondelete="CASCADE"))
    peer: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(100), default=None)
    detail: Mapped[str] = mapped_column(String(300), default="")
    handling_code: Mapped[str | None] = mapped_column(String(2), default=None)
    handling_text: Mapped[str | None] = mapped_column(Text, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class Reference(Base):
    """On the answering node: what an opaque reference handed to a peer stands for."""

    __tablename__ = "federation_reference"

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    internal_ref: Mapped[str] = mapped_column(String(200))
    peer: Mapped[str] = mapped_column(String(32))
    query_message_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FollowupRequest(Base):
    """A follow-up request, on the requesting node (``out``) and on the requested one (``in``)."""

    __tablename__ = "federation_request"
    __table_args__ = (UniqueConstraint("request_id", "direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(3))
    peer: Mapped[str] = mapped_column(String(32))
    query_id: Mapped[str | None] = mapped_column(String(36), default=None)
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(100))
    case_ref: Mapped[str] = mapped_column(String(100), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # out: queued → pending → approved | refused; in: pending → approved | refused
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(120), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    #: Released items, JSON encrypted with the node's field key (``followups.seal_items``);
    #: their values are erased when ``followup_items:*`` retention says so.
    items: Mapped[str] = mapped_column(Text, default="[]")
    items_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class Policy(Base):
    """The sharing policy decided for one message type and one peer (no row: ``never`` for a
    type carrying personal data, the type's default otherwise)."""

    __tablename__ = "federation_policy"

    message_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    peer: Mapped[str] = mapped_column(String(32), primary_key=True)
    policy: Mapped[str] = mapped_column(String(16))  # automatic | approval | never
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Outgoing(Base):
    """A domain message waiting for, or decided by, a supervisor (policy ``approval``), or
    stopped by policy ``never``. Its id is the id the message gets when it is sent."""

    __tablename__ = "federation_outgoing"

    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_type: Mapped[str] = mapped_column(String(32), index=True)
    peer: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(200), default="")
    case_ref: Mapped[str] = mapped_column(String(100), default="")
    purpose: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text, default=None)  # encrypted draft payload
    # awaiting → approved | refused; never (stopped by policy)
    status: Mapped[str] = mapped_column(String(16), index=True)
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(120), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    fields: Mapped[str] = mapped_column(Text, default="[]")  # fields released, JSON
    handling_code: Mapped[str | None] = mapped_column(String(2), default=None)
    handling_text: Mapped[str | None] = mapped_column(Text, default=None)
    evaluation: Mapped[str | None] = mapped_column(String(2), default=None)


class Quarantined(Base):
    """A message from a verified peer that this node refused while processing it (a handler's
    typed error, a sharing policy): kept raw (encrypted) with the exact reason, for the admin
    and the DPO, at most ``rules.QUARANTINE_PER_PEER`` per peer, for ``QUARANTINE_RETENTION``."""

    __tablename__ = "federation_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer: Mapped[str] = mapped_column(String(32), index=True)
    message_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(32))
    error: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # encrypted; cut at QUARANTINE_RAW_MAX_CHARS
    raw_chars: Mapped[int] = mapped_column(Integer)  # length of the whole message
    body_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the whole message
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
