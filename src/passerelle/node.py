"""A node: its settings, database, clock, retention rules and keys, opened in one call.

The CLI and the web app both start from :func:`open_node`; domains plug in by adding their
migrations and retention rules to :data:`DOMAINS` (see ``passerelle.domains``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from passerelle.privacy import (
    Actor,
    Clock,
    FieldCipher,
    RetentionRegistry,
    SystemClock,
    audit,
    foundation_rules,
)
from passerelle.settings import Settings, get_settings
from passerelle.storage import Database


@dataclass
class Node:
    settings: Settings
    db: Database
    clock: Clock
    retention: RetentionRegistry = field(default_factory=RetentionRegistry)
    #: Live, in-process state that plugins keep per node (e.g. the identity watchlists).
    state: dict[str, Any] = field(default_factory=dict)
    _cipher: FieldCipher | None = None

    @property
    def code(self) -> str:
        return self.settings.node

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only unit of work (no write lock on SQLite); see ``Database.read_session``."""
        with self.db.read_session() as session:
            yield session

    @property
    def cipher(self) -> FieldCipher:
        if self._cipher is None:
            self._cipher = FieldCipher.from_key_file(self.settings.keys_dir / "fields.key")
        return self._cipher

    def audit(self, session: Session, actor: Actor, **fields: Any) -> None:
        """Record an audit entry stamped with this node's code and clock."""
        audit.record(session, node=self.code, actor=actor, now=self.clock.now(), **fields)

    def audit_admin(
        self,
        session: Session,
        actor: Actor,
        object_type: str,
        object_id: str,
        op: str,
        **details: Any,
    ) -> None:
        """Record an administrative act on accounts (users, tokens)."""
        self.audit(
            session,
            actor,
            action="admin",
            object_type=object_type,
            object_id=object_id,
            purpose="account management",
            legal_basis="node security",
            details={"op": op, **details},
        )

    def close(self) -> None:
        self.db.dispose()


def private_dir(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0700, and bring an existing one to 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def open_node(settings: Settings | None = None, *, clock: Clock | None = None) -> Node:
    """Create the data directory if needed, open the database and apply migrations."""
    from passerelle import domains  # composition: the list of installed domain packages

    settings = settings or get_settings()
    retention_rules = domains.retention_rules(settings)  # a package may refuse to start here
    private_dir(settings.data_dir)
    private_dir(settings.quarantine_dir)
    db = Database(
        settings.effective_database_url,
        extra_migrations=domains.migration_dirs(),
        busy_timeout=settings.db_busy_timeout_seconds,
    )
    try:
        db.migrate()
    except BaseException:
        db.dispose()  # a node that did not open leaves no connection behind
        raise
    node = Node(settings=settings, db=db, clock=clock or SystemClock())
    for rule in [*foundation_rules(), *retention_rules]:
        node.retention.register(rule)
    return node
