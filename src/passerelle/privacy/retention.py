"""The retention framework: each domain registers rules, a scheduler applies them on time.

A rule names a data class, when its records are masked and when they are deleted (measured back
from the clock's *now*), the legal text it comes from, and the two operations that do the work on
the domain's own tables. Running the scheduler twice at the same time changes nothing the second
time, so it is safe to run it from cron, from the server loop and from the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from passerelle.errors import Conflict
from passerelle.privacy import audit
from passerelle.privacy.model import LoginSession
from passerelle.privacy.rules import AUDIT_RETENTION, SESSION_PURGE_AFTER

#: ``operation(session, cutoff) -> number of records changed``; the node's code is in
#: ``session.info[NODE_KEY]`` (for operations that audit or notify on their own).
NODE_KEY = "retention.node"
Operation = Callable[[Session, datetime], int]


@dataclass(frozen=True)
class RetentionRule:
    data_class: str
    description: str
    source: str
    mask_after: timedelta | None = None
    delete_after: timedelta | None = None
    mask: Operation | None = None
    delete: Operation | None = None

    def __post_init__(self) -> None:
        if (self.mask_after is None) != (self.mask is None):
            raise ValueError(f"{self.data_class}: mask_after and mask go together")
        if (self.delete_after is None) != (self.delete is None):
            raise ValueError(f"{self.data_class}: delete_after and delete go together")


@dataclass
class RetentionRegistry:
    rules: dict[str, RetentionRule] = field(default_factory=dict)

    def register(self, rule: RetentionRule) -> None:
        if rule.data_class in self.rules:
            raise Conflict(f"a retention rule for {rule.data_class!r} is already registered")
        self.rules[rule.data_class] = rule

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self.rules.values(), key=lambda r: r.data_class))


@dataclass(frozen=True)
class RetentionOutcome:
    data_class: str
    masked: int
    deleted: int


def run(
    open_session: Callable[[], object],
    registry: RetentionRegistry,
    *,
    node: str,
    now: datetime,
) -> list[RetentionOutcome]:
    """Apply every rule, each in its own transaction, and audit what was masked or erased.

    ``open_session`` is ``Database.session``: a context manager yielding a session.
    """
    outcomes = []
    for rule in registry:
        with open_session() as session:  # type: ignore[attr-defined]
            session.info[NODE_KEY] = node
            masked = deleted = 0
            if rule.mask is not None and rule.mask_after is not None:
                masked = rule.mask(session, now - rule.mask_after)
            if rule.delete is not None and rule.delete_after is not None:
                deleted = rule.delete(session, now - rule.delete_after)
            for action, count in (("mask", masked), ("erase", deleted)):
                if count:
                    audit.record(
                        session,
                        node=node,
                        actor=audit.SYSTEM,
                        action=action,
                        object_type=rule.data_class,
                        object_id="*",
                        purpose="retention",
                        legal_basis=rule.source,
                        details={"count": count},
                        now=now,
                    )
            outcomes.append(RetentionOutcome(rule.data_class, masked, deleted))
    return outcomes


def _purge_sessions(session: Session, cutoff: datetime) -> int:
    result = session.execute(
        delete(LoginSession).where(
            or_(LoginSession.ended_at < cutoff, LoginSession.expires_at < cutoff)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def foundation_rules() -> list[RetentionRule]:
    """The rules of the privacy layer itself."""
    return [
        RetentionRule(
            data_class="audit_log",
            description="Audit entries are deleted five years after they were written; the "
            "chain is anchored on the last deleted entry so it still verifies.",
            source="Directive (EU) 2016/681 art. 13(6); Directive (EU) 2016/680 art. 25",
            delete_after=AUDIT_RETENTION,
            delete=audit.purge_before,
        ),
        RetentionRule(
            data_class="login_session",
            description="Console sessions are purged one day after they ended or expired.",
            source="Data minimisation, Regulation (EU) 2016/679 art. 5(1)(c)",
            delete_after=SESSION_PURGE_AFTER,
            delete=_purge_sessions,
        ),
    ]
