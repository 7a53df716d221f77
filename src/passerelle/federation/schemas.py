"""The wire envelope and the API's input and output shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from passerelle.federation import rules

NodeCode = str
#: A message type's name: dotted lower-case words (``query.answer``, ``alerts.hit_report``).
TYPE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
Text = str


class Handling(BaseModel):
    """A Europol handling code; H3 carries its restriction in text."""

    model_config = ConfigDict(extra="forbid")

    code: Literal["H0", "H1", "H2", "H3"]
    text: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _h3_has_text(self) -> Handling:
        if self.code == rules.HANDLING_WITH_TEXT and not (self.text or "").strip():
            raise ValueError("handling code H3 needs its restrictions stated in text")
        return self


class Evaluation(BaseModel):
    """The 4×4 evaluation code: source reliability and information accuracy."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["A", "B", "C", "X"]
    information: Literal["1", "2", "3", "4"]

    def __str__(self) -> str:
        return f"{self.source}{self.information}"


class Item(BaseModel):
    """One released piece of data, with its own handling and evaluation codes."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(max_length=100)
    value: str = Field(max_length=10_000)
    handling: Handling
    evaluation: Evaluation


class Envelope(BaseModel):
    """Every node-to-node message (issue #3, "Envelope")."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    sender: NodeCode = Field(min_length=2, max_length=32)
    recipient: NodeCode = Field(min_length=2, max_length=32)
    created_at: datetime
    #: A protocol type (``rules.PROTOCOL_TYPES``) or a domain message type registered with
    #: ``register_message_type``; a node refuses types it does not handle (422).
    type: str = Field(pattern=TYPE_PATTERN, max_length=32)
    purpose: Text = Field(min_length=1, max_length=200)
    legal_basis: Text = Field(min_length=1, max_length=200)
    case_ref: str = Field(default="", max_length=100)
    in_reply_to: str | None = None
    handling: Handling | None = None
    evaluation: Evaluation | None = None
    payload: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _data_is_marked(self) -> Envelope:
        carries = self.type in rules.DATA_TYPES and (
            self.type == "query"
            or self.payload.get("result") == "hit"
            or self.payload.get("decision") == "approved"
        )
        if carries and self.handling is None:
            raise ValueError(f"a {self.type} carrying data needs a handling code")
        return self


class PersonQuery(BaseModel):
    """Criteria of a query of kind ``person`` (the identity package's search receives these)."""

    model_config = ConfigDict(extra="forbid")

    family_name: str = Field(min_length=1, max_length=200)
    given_names: str = Field(default="", max_length=200)
    birth_date: str = Field(default="", pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")
    nationality: str = Field(default="", pattern=r"^([A-Z]{3})?$", description="ICAO 9303 code")
    document_number: str = Field(default="", max_length=40)


#: Criteria schema per kind the protocol knows; other kinds take free criteria.
QUERY_SCHEMAS: dict[str, type[BaseModel]] = {"person": PersonQuery}


# ---- API shapes -----------------------------------------------------------------------------


class QueryIn(BaseModel):
    kind: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any]
    peers: list[str] | None = Field(default=None, description="Peer codes; omitted = all peers")
    case_ref: str = Field(min_length=1, max_length=100)
    purpose: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _criteria_fit_the_kind(self) -> QueryIn:
        schema = QUERY_SCHEMAS.get(self.kind)
        if schema is not None:
            self.payload = schema.model_validate(self.payload).model_dump(exclude_defaults=True)
        return self


class AnswerOut(BaseModel):
    peer: str
    status: Literal["pending", "hit", "no_hit", "error", "timeout", "unreachable"]
    reference: str | None = None
    detail: str = ""
    handling: Handling | None = None
    answered_at: datetime | None = None


class QueryOut(BaseModel):
    id: str
    kind: str
    case_ref: str
    created_at: datetime
    created_by: str
    complete: bool = Field(description="False when some peers have not answered (partial)")
    answers: list[AnswerOut]


class FollowupIn(BaseModel):
    query_id: str
    peer: str
    reference: str = Field(min_length=1, max_length=100)
    case_ref: str = Field(min_length=1, max_length=100)
    purpose: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field(min_length=1, max_length=200)
    urgent: bool = False
    directly_accessible: bool = Field(
        default=True,
        description="urgent only: False when the requested node must obtain the information "
        "(3 calendar days instead of 8 hours, Directive (EU) 2023/977 art. 5(1)(b))",
    )


class ApproveIn(BaseModel):
    fields: list[str] = Field(min_length=1)
    handling: Handling
    evaluation: Evaluation


class RefuseIn(BaseModel):
    reason: str = Field(min_length=3, max_length=1000)


class FollowupOut(BaseModel):
    id: str
    direction: Literal["in", "out"]
    peer: str
    kind: str
    reference: str
    case_ref: str
    purpose: str
    legal_basis: str
    status: Literal["queued", "pending", "approved", "refused"]
    requested_by: str
    requested_at: datetime
    due_at: datetime
    overdue: bool
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    items: list[Item] = Field(default_factory=list)
    #: When retention erased the released values (field names and codes stay).
    items_erased_at: datetime | None = None


class PeerOut(BaseModel):
    code: str
    url: str
    public_key: str
    last_ok_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    pending_messages: int


class MessageOut(BaseModel):
    id: str
    direction: Literal["in", "out"]
    peer: str
    type: str
    case_ref: str
    created_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


class PolicyOut(BaseModel):
    """The sharing policy of one message type towards one peer (``sharing list --json``)."""

    message_type: str
    peer: str
    policy: Literal["automatic", "approval", "never"]
    carries_personal_data: bool
    legal_basis: str
    source: str
    default_policy: str = Field(description="What `sharing defaults` would set")
    decided: bool = Field(description="False while no admin has set it (the fallback applies)")
    reason: str = ""
    set_by: str | None = None
    set_at: datetime | None = None


class PolicyIn(BaseModel):
    policy: Literal["automatic", "approval", "never"]
    reason: str = Field(min_length=3, max_length=1000)


class OutgoingOut(BaseModel):
    """A domain message under a supervisor's decision (policy ``approval``) or stopped by
    policy ``never``; ``payload`` only when one supervisor reads one message."""

    id: str
    message_type: str
    peer: str
    reference: str
    case_ref: str
    purpose: str
    legal_basis: str
    status: Literal["awaiting", "approved", "refused", "never"]
    requested_by: str
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    fields: list[str] = Field(default_factory=list)
    optional_fields: list[str] = Field(default_factory=list)
    handling: Handling | None = None
    evaluation: str | None = None
    payload: dict[str, Any] | None = None


class MessageApproveIn(BaseModel):
    """Approve a message: the optional fields to send, with the handling and evaluation codes."""

    fields: list[str] = Field(default_factory=list)
    handling: Handling
    evaluation: Evaluation


class DeliveryState(BaseModel):
    """Where one outgoing domain message stands, as the sender's outbox says."""

    message_id: str
    peer: str
    status: Literal["awaiting", "refused", "never", "queued", "delivered", "failed"]
    detail: str = ""


class QuarantinedOut(BaseModel):
    """A message of a verified peer refused while processed, kept with the exact reason."""

    id: int
    peer: str
    message_id: str
    type: str
    error: str
    reason: str
    raw_chars: int
    raw_truncated: bool
    body_hash: str
    received_at: datetime
    raw: str | None = Field(None, description="The message as received (one item only)")
