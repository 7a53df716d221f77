"""One registry of labels: the code a screen would otherwise show raw, and the words it shows.

Codes (an exchange kind ``alerts.hit_answer``, a role ``dpo``, a sample type, a scope ``in``)
are stable keys in the database and on the wire; a user reads a label in their language instead.
Each group maps a code to an English msgid marked with :func:`N_`; :func:`label` translates it
when the page is rendered (lazily, so the request's language applies). The core groups are
declared here; a domain declares its own with :func:`register` when its console is imported.
Templates call ``label(group, code)``; a code no group knows is shown as it is, and the
every-page test (``tests/web/test_pages.py``) fails when a raw code reaches a screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from passerelle.kit.i18n import N_, gettext
from passerelle.privacy import AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS, ROLES

__all__ = [
    "citation",
    "groups",
    "label",
    "labels_of",
    "options",
    "register",
    "register_purposes",
]

_GROUPS: dict[str, dict[str, str]] = {}


def register(group: str, labels: Mapping[str, str]) -> None:
    """Add ``code -> msgid`` labels to ``group`` (a later registration of a code wins)."""
    _GROUPS.setdefault(group, {}).update(labels)


def label(group: str, code: object) -> str:
    """The label of ``code`` in the current language; the code itself when none is known."""
    text = "" if code is None else str(code)
    msgid = _GROUPS.get(group, {}).get(text)
    if msgid is None and group == "audit.action" and text.endswith(" received"):
        msgid = text  # an action a message type declared, marked N_() where it is declared
    return gettext(msgid) if msgid else text


def labels_of(group: str) -> Mapping[str, str]:
    """The msgids of a group (read-only)."""
    return MappingProxyType(_GROUPS.get(group, {}))


def register_purposes(purposes: tuple[str, ...]) -> None:
    """Audit purposes (each the stored English text, marked with ``N_``) as labels of the
    ``audit.purpose`` group: the audit log shows them in the reader's language."""
    register("audit.purpose", {p: p for p in purposes})


def options(group: str) -> list[tuple[str, str]]:
    """``(code, translated label)`` pairs of a group, for a filter's select."""
    return [(code, gettext(msgid)) for code, msgid in _GROUPS.get(group, {}).items()]


#: Parts of a legal citation that change with the language (the numbers never do).
_CITATION_PARTS = (
    (N_("Regulation (EU)"), "Regulation (EU)"),
    (N_("Directive (EU)"), "Directive (EU)"),
    (N_("Council Decision"), "Council Decision"),
    (N_("Prüm Decision"), "Prüm Decision"),
    (N_("SIS police and judicial cooperation"), "SIS police and judicial cooperation"),
    (N_(" and "), " and "),
)


def citation(text: object) -> str:
    """A legal citation (``Regulation (EU) 2018/1862 art. 26``) in the current language."""
    out = "" if text is None else str(text)
    for msgid, english in _CITATION_PARTS:
        if english in out:
            out = out.replace(english, gettext(msgid))
    return out


def groups() -> Mapping[str, Mapping[str, str]]:
    """Every group (for the tests that look for raw codes and untranslated labels)."""
    return MappingProxyType({k: MappingProxyType(v) for k, v in _GROUPS.items()})


# ---- core groups ----------------------------------------------------------------------------

register("role", {code: info.label for code, info in ROLES.items()})
_ROLE_MSGIDS = (
    N_("Analyst"),
    N_("Supervisor"),
    N_("Judicial authority"),
    N_("Data-protection officer"),
    N_("Administrator"),
    N_("Child-protection officer"),
    N_("Carrier (machine)"),
    N_("Online marketplace (machine)"),
    N_("Partner node (machine)"),
    N_("Service provider (machine)"),
)
register(
    "audit.action",
    {
        "read": N_("Read"),
        "write": N_("Write"),
        "disclose": N_("Disclosure"),
        "erase": N_("Erasure"),
        "mask": N_("Masking"),
        "login": N_("Log-in"),
        "logout": N_("Log-out"),
        "admin": N_("Administration"),
        "refuse": N_("Refusal"),
        "receive": N_("Reception"),
    },
)
assert set(labels_of("audit.action")) == {*AUDIT_ACTIONS, *LEGACY_AUDIT_ACTIONS}
register(
    "audit.outcome",
    {
        "ok": N_("done"),
        "denied": N_("denied"),
        "throttled": N_("throttled"),
        "refused": N_("refused"),
        "failed": N_("failed"),
    },
)
register("crisis.origin", {"local": N_("composed here")})
#: ``in``/``out``: a message, report or search received here or sent from here.
register("direction", {"in": N_("received"), "out": N_("sent"), "national": N_("national")})
register("yesno", {"True": N_("yes"), "False": N_("no")})
#: What an audit entry is about (``object_type``), as the DPO reads it.
register(
    "audit.object",
    {
        "session": N_("Session"),
        "user": N_("User account"),
        "api_token": N_("API token"),
        "audit_log": N_("Audit log"),
        "bulk_run": N_("Bulk run"),
        "watchlist": N_("Watchlist"),
        "alert": N_("Alert"),
        "alert.catalogue": N_("Criteria catalogue"),
        "alert.check": N_("Person check"),
        "alert.hit_report": N_("Hit report"),
        "detainee": N_("Detainee"),
        "detainee.release": N_("Release of a detainee"),
        "detainee.proposal": N_("Release notice proposal"),
        "returnee": N_("Returnee"),
        "crisis.ack": N_("Crisis acknowledgement"),
        "crisis.escalation": N_("Crisis escalation"),
        "crisis.message": N_("CAP message"),
        "crisis.quarantine": N_("Quarantined CAP message"),
        "crisis.situation": N_("Situation picture"),
        "dna.match": N_("DNA match"),
        "dna.profile": N_("DNA profile"),
        "dna.search": N_("DNA search"),
        "federation.answer": N_("Answer to a query"),
        "federation.followup": N_("Follow-up request"),
        "federation.message": N_("Exchange message"),
        "federation.policy": N_("Sharing policy"),
        "federation.query": N_("Hit/no-hit query"),
        "pnr.booking": N_("Passenger booking"),
        "pnr.criterion": N_("Risk criterion"),
        "pnr.dpo_notification": N_("Notice to the DPO"),
        "pnr.message": N_("Passenger data file"),
        "pnr.scope": N_("Rail scope decision"),
        "pnr.sensitive": N_("Sensitive data"),
        "pnr.hit": N_("Passenger hit"),
        "pnr.quarantine": N_("Quarantined passenger data"),
        "pnr.repersonalisation": N_("Re-personalisation request"),
        "precursors.watched": N_("Watched person"),
        "precursors.transaction": N_("Precursor transaction"),
        "precursors.report": N_("Suspicious transaction report"),
        "precursors.pattern": N_("Transaction pattern"),
        "precursors.quarantine": N_("Quarantined precursor file"),
    },
)
#: Exchange message types between nodes (the protocol's and each domain's).
register(
    "message.type",
    {
        "query": N_("Hit/no-hit query"),
        "query.answer": N_("Answer to a query"),
        "followup.request": N_("Follow-up request"),
        "followup.answer": N_("Answer to a follow-up request"),
        "ack": N_("Acknowledgement"),
        "alerts.alert": N_("Alert"),
        "alerts.withdrawal": N_("Withdrawal of an alert"),
        "alerts.hit_report": N_("Hit report"),
        "alerts.hit_answer": N_("Answer to a hit report"),
        "alerts.release_notice": N_("Release notice"),
        "alerts.catalogue": N_("Criteria catalogue"),
        "crisis.alert": N_("CAP alert"),
        "crisis.ack": N_("Crisis acknowledgement"),
        "crisis.escalation": N_("Crisis escalation"),
        "pnr.result": N_("Passenger data result"),
        "precursors.report": N_("Suspicious transaction report"),
        "precursors.notice": N_("Precursor notice"),
    },
)
#: What a hit/no-hit query searches (federation kinds registered by the domains).
register(
    "query.kind",
    {
        "person": N_("person"),
        "demo.person": N_("synthetic person (demo)"),
        "vehicle": N_("vehicle"),
        "dna": N_("DNA profile"),
        "pnr": N_("passenger data"),
    },
)
#: Delivery states of an exchange message.
register(
    "message.status",
    {
        "pending": N_("waiting"),
        "queued": N_("queued"),
        "sending": N_("sending"),
        "delivered": N_("delivered"),
        "failed": N_("failed"),
        "received": N_("received"),
        "awaiting": N_("waiting for approval"),
        "approved": N_("approved"),
        "refused": N_("refused"),
        "never": N_("stopped by the sharing policy"),
        "timeout": N_("no answer in time"),
        "local": N_("on this node (nothing to send)"),
    },
)

# Purposes of the core's own audit entries (accounts, retention, federation, bulk screening).
register_purposes(
    (
        N_("authentication"),
        N_("account management"),
        N_("retention"),
        N_("demo seed"),
        N_("federation configuration"),
        N_("sharing policy"),
        N_("review of a refused message"),
        N_("node-to-node exchange: refused message"),
        N_("node-to-node exchange"),
        N_("screening review"),
        N_("exchange case file"),
        N_("data-protection supervision"),
    )
)
