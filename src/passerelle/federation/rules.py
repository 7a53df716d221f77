"""Regulatory and protocol constants of federation, each with the text it comes from.

A lawyer can review this file without reading the code: handling codes, evaluation codes,
answer deadlines, the clock-skew window of signatures and the retry policy of the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str
    source: str


_EUROPOL_HANDLING = "Europol handling codes (Europol Regulation (EU) 2016/794 art. 19; SIENA)"

#: Europol handling codes, required on every exchanged item that carries data.
HANDLING_CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("H0", "Use only for preventing and combating crime.", _EUROPOL_HANDLING),
        Code(
            "H1",
            "Not to be used as evidence in judicial proceedings without the provider's permission.",
            _EUROPOL_HANDLING,
        ),
        Code("H2", "Not to be disseminated without the provider's permission.", _EUROPOL_HANDLING),
        Code("H3", "Other restrictions, stated in text.", _EUROPOL_HANDLING),
    )
}
#: The handling code whose restrictions must be spelled out in text.
HANDLING_WITH_TEXT = "H3"

_ART29 = "Regulation (EU) 2016/794 (Europol Regulation) art. 29"

#: 4×4 evaluation code: reliability of the source (first character).
SOURCE_RELIABILITY: dict[str, Code] = {
    c.code: c
    for c in (
        Code(
            "A",
            "No doubt about authenticity, trustworthiness and competence; "
            "reliable in all instances.",
            f"{_ART29}(1)(a)",
        ),
        Code("B", "Mostly reliable.", f"{_ART29}(1)(b)"),
        Code("C", "Mostly unreliable.", f"{_ART29}(1)(c)"),
        Code("X", "Reliability cannot be assessed.", f"{_ART29}(1)(d)"),
    )
}
#: 4×4 evaluation code: accuracy of the information (second character).
INFORMATION_ACCURACY: dict[str, Code] = {
    c.code: c
    for c in (
        Code("1", "Not in doubt.", f"{_ART29}(2)(a)"),
        Code(
            "2",
            "Known personally to the source but not to the official passing it on.",
            f"{_ART29}(2)(b)",
        ),
        Code(
            "3",
            "Not known personally to the source but corroborated by other information.",
            f"{_ART29}(2)(c)",
        ),
        Code(
            "4", "Not known personally to the source and cannot be corroborated.", f"{_ART29}(2)(d)"
        ),
    )
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    answer_within: timedelta
    source: str


#: Default time a requested node has to answer a follow-up request (non-urgent requests).
DEFAULT_DEADLINE = Deadline(
    "*",
    timedelta(days=7),
    "Directive (EU) 2023/977 art. 5(1)(c): other requests answered within 7 calendar days",
)

#: Answer deadlines of follow-up requests per searchable kind.
FOLLOWUP_DEADLINES: dict[str, Deadline] = {
    d.kind: d
    for d in (
        Deadline(
            "person",
            timedelta(hours=12),
            "SIRENE Manual (supplementary information after a hit on a person is exchanged "
            "within 12 hours); project choice modelled on it",
        ),
        Deadline(
            "dna",
            timedelta(days=7),
            "Council Decision 2008/615/JHA (Prüm) art. 5: supply of further data under "
            "national law; deadline per Directive (EU) 2023/977 art. 5(1)(c)",
        ),
        Deadline(
            "urgent",
            timedelta(hours=8),
            "Directive (EU) 2023/977 art. 5(1)(a): urgent requests, directly accessible data, "
            "8 hours",
        ),
        Deadline(
            "urgent_indirect",
            timedelta(days=3),
            "Directive (EU) 2023/977 art. 5(1)(b): urgent requests for information that is not "
            "directly accessible, 3 calendar days (checked 2026-12-03)",
        ),
    )
}


def deadline_for(kind: str, *, urgent: bool = False, directly_accessible: bool = True) -> Deadline:
    """The answer deadline of a follow-up request on ``kind``: 8 hours when urgent and the
    information is directly accessible, 3 calendar days when urgent and it is not, else the
    kind's (7 calendar days by default) — Directive (EU) 2023/977 art. 5(1)(a)-(c)."""
    if urgent:
        return FOLLOWUP_DEADLINES["urgent" if directly_accessible else "urgent_indirect"]
    return FOLLOWUP_DEADLINES.get(kind, DEFAULT_DEADLINE)


#: The channel (Directive (EU) 2023/977 art. 13(1) [read: https://gesetze.legal/eu/rl_2023_977_eu/
#: 13, checked 2026-12-03]): requests between the single points of contact and competent
#: authorities of EU member states under that directive travel over SIENA; exceptions are third
#: countries, urgency and technical incidents. Passerelle's signed channel serves bilateral
#: exchange under other legal bases and with partner countries; it is not the 2023/977 channel.
CHANNEL_SOURCE = "Directive (EU) 2023/977 art. 13 (SIENA between EU member states)"

#: The legal basis each message kind travels under, for the kinds the protocol knows by name or
#: by prefix; a domain may name its own when it registers a kind (``register_kind``).
KIND_LEGAL_BASES: dict[str, str] = {
    "person": "Bilateral police cooperation agreement between the two nodes' countries "
    "(UNVERIFIED: name it per peer); Directive (EU) 2016/680 art. 8",
    "dna": "Council Decision 2008/615/JHA arts. 3-5 (automated DNA search, Prüm)",
    "pnr": "Directive (EU) 2016/681 art. 9(2)-(3) (requests between PIUs)",
    "pnr.": "Directive (EU) 2016/681 art. 9(1) (results to other PIUs)",
    "alerts.": "Bilateral exchange on person alerts modelled on Reg. (EU) 2018/1862 "
    "(FR-BE declaration of 11 June 2018); not the SIS/SIRENE channel",
    "demo.": "Synthetic demo data (no personal data)",
}


def kind_legal_basis(name: str) -> str:
    """The legal basis the protocol knows for ``name`` (exact name, then prefix), or ''."""
    if name in KIND_LEGAL_BASES:
        return KIND_LEGAL_BASES[name]
    prefixes = [p for p in KIND_LEGAL_BASES if p.endswith(".") and name.startswith(p)]
    return KIND_LEGAL_BASES[max(prefixes, key=len)] if prefixes else ""


#: Largest accepted difference between a signed message's date and the receiver's clock.
#: RFC 9421 §7.2.4 leaves the window to the verifier; 5 minutes is the customary Kerberos
#: skew (RFC 4120 §1.2) and what the issue fixes.
CLOCK_SKEW = timedelta(minutes=5)

#: The one inbox path every node-to-node message is posted to (issue #3).
INBOX_PATH = "/federation/v1/messages"

#: Components covered by the signature of a request and of a response (RFC 9421 §2).
REQUEST_COMPONENTS = ("@method", "@path", "date", "content-digest")
RESPONSE_COMPONENTS = ("@status", "date", "content-digest")
SIGNATURE_LABEL = "sig1"
SIGNATURE_ALG = "ed25519"  # RFC 9421 §3.3.6

#: Bounds checked on an inbox request before anything from it is parsed or logged (project
#: choice, finding 4 of issue #14): the headers a signature uses are short by construction
#: (``Signature-Input`` is about 120 characters), so anything longer is refused unread.
SIGNED_HEADER_MAX_CHARS = 1024
#: All request headers together (bytes of names and values).
HEADERS_MAX_BYTES = 16 * 1024
#: A key id is a node code: upper-case ASCII letters, digits, ``-`` and ``_``, at most 32.
KEYID_PATTERN = r"^[A-Z0-9_-]{1,32}$"
#: How many peer keys (or "no such peer" answers) the inbox keeps in memory, least recently
#: used dropped first: a stream of invented key ids cannot grow the cache.
PEER_KEY_CACHE_SIZE = 256
#: Refused requests are audited in full at most this many times per source (remote address,
#: or peer for a refused reply) and error code in each window; the rest are counted and one
#: summary entry gives their number when the window has passed.
REFUSAL_AUDIT_PER_WINDOW = 10
REFUSAL_AUDIT_WINDOW = timedelta(minutes=1)
#: Sources tracked at once by that limiter (the oldest are summarised and dropped beyond).
REFUSAL_SOURCES_TRACKED = 1024
#: Longest refusal reason written to the audit log.
REFUSAL_REASON_MAX_CHARS = 300
#: A follow-up request id is a lower-case RFC 9562 UUID, as every node generates them: it is
#: used in console links, so nothing else (``../../admin``) may be accepted from a peer.
REQUEST_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

#: Outbox retry policy (project choice): exponential back-off, capped, then parked as failed
#: until an operator runs ``passerelle outbox retry``.
RETRY_FIRST = timedelta(seconds=1)
RETRY_FACTOR = 2.0
RETRY_MAX_DELAY = timedelta(minutes=10)
RETRY_MAX_ATTEMPTS = 25
#: How long a worker holds a message it is delivering before another may take it over.
DELIVERY_LEASE = timedelta(seconds=60)
#: How often the server's delivery worker looks for due messages.
WORKER_POLL_SECONDS = 0.5

#: How long a server trusts a peer key it read from the database before reading it again
#: (project choice: verification then runs outside any transaction, so it never holds SQLite's
#: write lock; a key removed by ``passerelle peers remove`` in another process stops working
#: within this delay, at once in the process that removed it).
PEER_KEY_CACHE_SECONDS = 2.0

#: Message types on the wire.
MESSAGE_TYPES = ("query", "query.answer", "followup.request", "followup.answer", "ack")
#: Message types whose payload may carry data and then needs a handling code (a query always
#: does: its criteria describe a person or a trace).
DATA_TYPES = ("query", "query.answer", "followup.answer")
#: The protocol's own message types; domains add theirs with ``register_message_type``.
PROTOCOL_TYPES = ("query", "query.answer", "followup.request", "followup.answer", "ack")

#: Sharing policies of a domain message type towards a peer (issue #15): ``automatic`` for what
#: the law makes routine (hit/no-hit answers), ``approval`` when a supervisor of the sending
#: agency decides each message (as for follow-up answers, Directive (EU) 2023/977 art. 6), and
#: ``never``. A peer gets ``never`` for every type carrying personal data until an admin sets
#: a policy: nothing personal leaves because a peer was added (Directive (EU) 2016/680 art. 20,
#: data protection by design and by default).
POLICIES = ("automatic", "approval", "never")
POLICY_SOURCE = "Directive (EU) 2016/680 art. 20 (data protection by design and by default)"


@dataclass(frozen=True)
class ProtocolPolicy:
    """The sharing policy of one protocol message type: whether it carries personal data, the
    policy ``sharing defaults`` sets, the policies it admits, its legal basis and source."""

    name: str
    carries_personal_data: bool
    default_policy: str
    allowed: tuple[str, ...]
    legal_basis: str
    source: str
    description: str


#: The protocol's messages under the same policy table as domain types (issue #15). A query's
#: criteria and a follow-up answer's released data are personal: a new peer gets ``never``
#: for them until an admin decides. A hit/no-hit answer (an opaque reference, no data) and a
#: follow-up request (a reference and the requesting officer) are routine: ``automatic``.
#: A query is answered while the requester waits, so it cannot wait for a supervisor
#: (``automatic`` or ``never``); a follow-up answer is always decided by a supervisor of the
#: requested node (``approval`` or ``never``).
PROTOCOL_POLICIES: dict[str, ProtocolPolicy] = {
    p.name: p
    for p in (
        ProtocolPolicy(
            "query",
            True,
            "automatic",
            ("automatic", "never"),
            "Council Decision 2008/615/JHA arts. 3, 4 and 9 (automated searching by reference "
            "data); bilateral agreement for persons",
            "Council Decision 2008/615/JHA arts. 3(1) and 9(1): searches are made in individual "
            "cases, by the national contact point, on the requester's decision",
            "A hit/no-hit query: the criteria of a person or a trace.",
        ),
        ProtocolPolicy(
            "query.answer",
            False,
            "automatic",
            ("automatic", "never"),
            "Council Decision 2008/615/JHA arts. 3(1) and 9(1) (hit/no-hit)",
            "Council Decision 2008/615/JHA arts. 3(1), 4(1) and 9(1): the answer to an "
            "automated search is given automatically (hit or no hit with a reference only)",
            "The hit/no-hit answer to a peer's query: HIT with an opaque reference, or NO HIT.",
        ),
        ProtocolPolicy(
            "followup.request",
            False,
            "automatic",
            ("automatic", "never"),
            "Council Decision 2008/615/JHA art. 5; Directive (EU) 2023/977 art. 4",
            "Council Decision 2008/615/JHA art. 5 (supply of further data after a hit, under "
            "the requested state's national law)",
            "A request for the data behind a HIT: the opaque reference and who asks.",
        ),
        ProtocolPolicy(
            "followup.answer",
            True,
            "approval",
            ("approval", "never"),
            "Council Decision 2008/615/JHA art. 5; Directive (EU) 2023/977 arts. 5-6",
            "Directive (EU) 2023/977 art. 6 (the requested authority decides each request and "
            "may refuse it); Directive (EU) 2016/680 art. 20",
            "The data a supervisor of the requested node releases after a follow-up request.",
        ),
    )
}

#: Bodies of protocol messages are erased once the exchange is complete (delivered, or
#: processed on arrival): what they carried lives in federation's tables (queries, answers,
#: requests), and a DNA query profile must be deleted once compared (Council Decision
#: 2008/615/JHA art. 26(2)); the envelope stays for ``MESSAGE_RETENTION``.
PROTOCOL_BODY_RETENTION = timedelta(0)
PROTOCOL_BODY_SOURCE = (
    "Council Decision 2008/615/JHA art. 26(2) (Prüm Treaty art. 35(2)): supplied data deleted "
    "after the comparison; Directive (EU) 2016/680 art. 4(1)(e)"
)


@dataclass(frozen=True)
class ItemsRetention:
    """How long the values of follow-up data are kept (``followup_items:<name>``)."""

    name: str
    keep_for: timedelta
    source: str
    description: str


#: Data a supervisor of this node released to a peer (``federation_request`` ``in``): the
#: values are a copy of this node's own records, which keep their own retention; once the answer
#: is sent the copy is erased, the field names and codes stay as the record of what was released.
FOLLOWUP_RELEASED_RETENTION = ItemsRetention(
    "released",
    timedelta(0),
    "Directive (EU) 2016/680 art. 4(1)(c) and (e) (minimisation, storage limitation); the "
    "released record stays in this node's register under its own retention",
    "Values this node released in follow-up answers are erased once the answer is sent; the "
    "field names, handling and evaluation codes stay.",
)

#: Data received in a follow-up answer (``federation_request`` ``out``), per searchable kind:
#: kept as long as such data may be kept by the requester outside its national case file.
FOLLOWUP_RECEIVED_RETENTION: dict[str, ItemsRetention] = {
    r.name: r
    for r in (
        ItemsRetention(
            "person",
            timedelta(days=365),
            "Regulation (EU) 2018/1862 art. 64(2) (information exchanged after a hit kept at the "
            "latest 1 year after the related alert is deleted), modelled for bilateral person "
            "follow-ups; Directive (EU) 2016/680 art. 5",
            "Person data received after a hit: one year from receipt, then only in the "
            "national case file (national law).",
        ),
        ItemsRetention(
            "dna",
            timedelta(days=365),
            "Council Decision 2008/615/JHA art. 5 (further data supplied under national law) "
            "and Directive (EU) 2016/680 art. 5 (time limits for erasure); project choice of "
            "one year pending the national term",
            "Data received after a DNA match: one year from receipt, then only in the "
            "national case file (national law).",
        ),
        ItemsRetention(
            "*",
            timedelta(days=365),
            "Directive (EU) 2016/680 art. 5 (appropriate time limits for erasure or periodic "
            "review); project choice of one year",
            "Data received in follow-up answers about other kinds: one year from receipt.",
        ),
    )
}


#: Messages of verified peers refused while being processed (a handler's typed error, a
#: sharing policy) are kept raw, encrypted, with the exact reason (project rule: "malformed
#: messages are quarantined raw with the exact reason"), for the admin and the DPO to see why.
#: A peer cannot fill the database with them: at most ``QUARANTINE_PER_PEER`` are kept per
#: peer at once (further ones are refused and audited, not kept) and each keeps at most
#: ``QUARANTINE_RAW_MAX_CHARS`` characters of the message (its length and SHA-256 in full).
QUARANTINE_PER_PEER = 200
QUARANTINE_RAW_MAX_CHARS = 256 * 1024
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = (
    "Directive (EU) 2016/680 art. 4(1)(c), (e) (minimisation, storage limitation): long enough "
    "to settle the refusal with the peer; period: project default, as PNR and crisis quarantine"
)
#: Errors that refuse a message for good (kept in quarantine); others are retried by the peer.
QUARANTINE_STATUSES = (400, 403, 404, 409, 413, 422)

#: Federation messages hold personal data (queries, released records): kept as long as the
#: audit trail of the exchange, then erased.
MESSAGE_RETENTION = timedelta(days=5 * 365 + 1)
MESSAGE_RETENTION_SOURCE = (
    "Directive (EU) 2016/680 art. 5 (time limits for storage) and art. 25 (logging); "
    "kept with the audit log, five years"
)

#: Handling code put on a HIT answer, which carries only an opaque reference (project choice:
#: the reference may serve only the prevention and combating of crime, Europol code H0).
HIT_HANDLING = "H0"
#: Handling code put on a query's criteria (project choice, Europol code H0: the requested node
#: may use them only to answer, i.e. for preventing and combating crime).
QUERY_HANDLING = "H0"
