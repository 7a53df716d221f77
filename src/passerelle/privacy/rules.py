"""Regulatory constants of the privacy layer, each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RoleInfo:
    code: str
    label: str
    machine: bool
    source: str


#: Human and machine roles. A user may hold several; an API token holds exactly one.
ROLES: dict[str, RoleInfo] = {
    r.code: r
    for r in (
        RoleInfo("analyst", "Analyst", False, "Directive (EU) 2016/681 art. 4 (PIU staff)"),
        RoleInfo("supervisor", "Supervisor", False, "Second-person review, DESIGN principle 5"),
        RoleInfo(
            "judicial",
            "Judicial authority",
            False,
            "Directive (EU) 2016/681 art. 12(3) (approval of re-personalisation)",
        ),
        RoleInfo(
            "dpo",
            "Data-protection officer",
            False,
            "Directive (EU) 2016/680 art. 32-34; Directive (EU) 2016/681 art. 5",
        ),
        RoleInfo("admin", "Administrator", False, "Node operation"),
        RoleInfo(
            "minors",
            "Child-protection officer",
            False,
            "Restricted access to minors' records (UN CRC art. 3, 16)",
        ),
        RoleInfo(
            "fiu",
            "Financial intelligence analyst",
            False,
            "Directive (EU) 2015/849 art. 32 (FIU staff)",
        ),
        RoleInfo(
            "addressee",
            "Service provider staff",
            False,
            "Regulation (EU) 2023/1543 art. 7; Directive (EU) 2023/1544 art. 3 (addressee's staff)",
        ),
        RoleInfo("carrier", "Carrier (machine)", True, "Directive (EU) 2016/681 art. 8"),
        RoleInfo("marketplace", "Online marketplace (machine)", True, "Regulation (EU) 2019/1148"),
        RoleInfo("peer", "Partner node (machine)", True, "Prüm Decision 2008/615/JHA"),
        RoleInfo(
            "provider",
            "Service provider (machine)",
            True,
            "Regulation (EU) 2023/1543 art. 7 (designated establishment, legal representative)",
        ),
    )
}

#: The one rule for usernames, in every entry path (CLI ``user add``, API, console form, demo):
#: lower-case ASCII letters, digits, ``.``, ``_`` and ``-``, 2 to 64 characters (project choice,
#: issues #14 and #17). No ``:``, so no user can be named like a token (``token:NAME``) or a peer
#: (``peer:CODE``) in the audit log, and no case variants of one name.
USERNAME_PATTERN = r"^[a-z0-9._-]{2,64}$"

HUMAN_ROLES = tuple(code for code, info in ROLES.items() if not info.machine)
MACHINE_ROLES = tuple(code for code, info in ROLES.items() if info.machine)

#: Audit entries are kept five years (DESIGN principle 3; Directive (EU) 2016/681 art. 13(6)
#: keeps PIU logs five years; Directive (EU) 2016/680 art. 25 requires the logs).
AUDIT_RETENTION = timedelta(days=5 * 365 + 1)

#: Console sessions that ended (logout or expiry) are purged after this grace period.
SESSION_PURGE_AFTER = timedelta(days=1)

#: The audit actions. Every access to personal data is one of the first four.
AUDIT_ACTIONS = (
    "read",
    "write",
    "disclose",
    "erase",
    "mask",
    "login",
    "logout",
    "admin",
    "refuse",
)
#: Actions written before issue #15 named what a peer's message did: ``receive`` with the
#: outcome naming it ("alert received"). Old entries keep it (their hash covers it, so it is
#: never rewritten) and the console still filters on it; no new entry uses it.
LEGACY_AUDIT_ACTIONS = ("receive",)
#: A received message is audited under an action that names it ("alert received", "hit
#: report received", …), declared by its message type: ``RECEIVED_ACTION_PATTERN``, at most
#: ``AUDIT_ACTION_MAX_CHARS`` (the width of ``audit_log.action`` since migration
#: ``0002_audit_action``; issue #15, "audit actions name what happened").
AUDIT_ACTION_MAX_CHARS = 64
RECEIVED_ACTION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,54} received$"

#: Online guessing of passwords is throttled: after this many failed logins for one username
#: within the window, further attempts are refused until the window has passed
#: (OWASP ASVS 4.0 V2.2.1; ANSSI, recommandations relatives à l'authentification, R29).
LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
