"""Per-user calendar feed tokens: calendar applications cannot send an Authorization header,
so the feed URL carries a secret that opens the calendar feed and nothing else."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.alerts.model import FeedToken
from passerelle.errors import NotAuthenticated
from passerelle.node import Node
from passerelle.privacy.accounts import Principal
from passerelle.privacy.model import User

PREFIX = "pcal_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(session: Session, node: Node, principal: Principal) -> str:
    """A new feed token for ``principal`` (earlier ones are revoked); shown once."""
    now = node.clock.now()
    for old in session.scalars(
        select(FeedToken).where(
            FeedToken.username == principal.name, FeedToken.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
    raw = PREFIX + secrets.token_urlsafe(32)
    session.add(
        FeedToken(
            token_hash=_hash(raw),
            username=principal.name,
            user_id=principal.id,
            agency=principal.agency,
            roles=sorted(principal.roles),
            created_at=now,
        )
    )
    return raw


def principal_for(session: Session, raw: str) -> Principal:
    row = session.get(FeedToken, _hash(raw)) if raw.startswith(PREFIX) else None
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("unknown or revoked calendar feed token")
    user = session.get(User, row.user_id)
    if user is None or user.disabled_at is not None:
        raise NotAuthenticated("the calendar feed token's account is disabled")
    # The account's roles today, not those it had when the token was issued.
    return Principal(
        kind="feed", id=row.user_id, name=row.username, agency=row.agency, roles=user.role_set
    )
