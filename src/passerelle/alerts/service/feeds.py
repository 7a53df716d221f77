"""Calendar feed tokens: calendar applications cannot send an Authorization header, so the
feed URL carries a secret that opens the calendar feed and nothing else. A feed token belongs
to the user or API token that asked for it, and stops working when its owner is disabled,
revoked or expired."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.alerts.model import FeedToken
from passerelle.errors import NotAuthenticated, PermissionDenied
from passerelle.node import Node
from passerelle.privacy import Principal, accounts

PREFIX = "pcal_"
#: Principals that may own a feed token (a feed token cannot issue another).
OWNERS = ("user", "token")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(session: Session, node: Node, principal: Principal) -> str:
    """A new feed token for ``principal`` (earlier ones are revoked); shown once.

    The token belongs to ``principal`` — a user or an API token — and dies with it."""
    if principal.kind not in OWNERS:
        raise PermissionDenied("only a user or an API token can have a calendar feed token")
    now = node.clock.now()
    for old in session.scalars(
        select(FeedToken).where(
            FeedToken.owner_kind == principal.kind,
            FeedToken.user_id == principal.id,
            FeedToken.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
    raw = PREFIX + secrets.token_urlsafe(32)
    session.add(
        FeedToken(
            token_hash=_hash(raw),
            username=principal.name,
            owner_kind=principal.kind,
            user_id=principal.id,
            agency=principal.agency,
            roles=sorted(principal.roles),
            created_at=now,
        )
    )
    return raw


def principal_for(session: Session, raw: str, *, now: datetime) -> Principal:
    """Who a feed token reads the calendar for: its owner as it is now (a disabled user or a
    revoked or expired API token is refused), with the owner's current roles."""
    row = session.get(FeedToken, _hash(raw)) if raw.startswith(PREFIX) else None
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("unknown or revoked calendar feed token")
    try:
        owner = accounts.principal_for_owner(session, row.owner_kind, row.user_id, now=now)
    except NotAuthenticated:
        raise NotAuthenticated("the calendar feed token's owner is disabled or revoked") from None
    if owner.name != row.username:  # defensive: the id was reused by another owner
        raise NotAuthenticated("the calendar feed token's owner is disabled or revoked")
    return Principal(
        kind="feed", id=owner.id, name=owner.name, agency=owner.agency, roles=owner.roles
    )
