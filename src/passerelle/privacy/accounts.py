"""Users, agencies, API tokens and console sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import (
    Conflict,
    InvalidCredentials,
    NotAuthenticated,
    NotFound,
    SessionExpired,
    TooManyRequests,
    ValidationFailed,
)
from passerelle.privacy.audit import Actor
from passerelle.privacy.model import Agency, ApiToken, AuditEntry, LoginSession, User
from passerelle.privacy.rules import (
    HUMAN_ROLES,
    LOGIN_FAILURE_WINDOW,
    LOGIN_MAX_FAILURES,
    ROLES,
    USERNAME_PATTERN,
)

_hasher = PasswordHasher()
TOKEN_PREFIX = "psl_"  # noqa: S105 - a public prefix, not a secret
LOCALES = ("fr", "nl", "en")


@dataclass(frozen=True)
class Principal:
    """Whoever a request acts for: a console user or an API token."""

    kind: str  # "user" or "token"
    id: int
    name: str
    agency: str
    roles: frozenset[str]
    locale: str | None = None
    session_id: str | None = None
    csrf_token: str | None = None

    @property
    def actor(self) -> Actor:
        """This principal as it is named in the audit log."""
        return Actor(self.name, self.agency)

    def has_any(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def ensure_agency(session: Session, code: str, name: str, country: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        agency = Agency(code=code, name=name, country=country.upper())
        session.add(agency)
        session.flush()
    return agency


_USERNAME = re.compile(USERNAME_PATTERN)


def check_username(username: str) -> str:
    """``username`` if it follows :data:`~passerelle.privacy.rules.USERNAME_PATTERN`, else a
    :class:`ValidationFailed` saying the rule. Every path that creates a user calls this."""
    if not _USERNAME.match(username):
        shown = username if len(username) <= 64 else username[:64] + "…"
        raise ValidationFailed(
            f"{shown!r} is not a valid username: use 2 to 64 lower-case letters, digits, "
            "'.', '_' or '-'",
            field="username",
        )
    return username


def _check_roles(roles: list[str], allowed: tuple[str, ...]) -> None:
    if not roles:
        raise ValidationFailed("at least one role is required", field="roles")
    unknown = [r for r in roles if r not in allowed]
    if unknown:
        raise ValidationFailed(
            f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(allowed)}",
            field="roles",
        )


def add_user(
    session: Session,
    *,
    username: str,
    password: str,
    roles: list[str],
    agency: str,
    display_name: str = "",
    now: datetime,
) -> User:
    """Create a console user with an argon2 password hash."""
    check_username(username)
    _check_roles(roles, HUMAN_ROLES)
    check_password(password)
    if len(display_name) > DISPLAY_NAME_MAX:
        raise ValidationFailed(
            f"the name must have at most {DISPLAY_NAME_MAX} characters", field="display_name"
        )
    if session.get(Agency, agency) is None:
        raise NotFound(f"unknown agency {agency!r}; create it first")
    if session.scalars(select(User).where(User.username == username)).first():
        raise Conflict(f"a user named {username!r} already exists")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        agency_code=agency,
        roles=" ".join(roles),
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


#: Longest display name a user may have (the column holds 200; the console lays out 120).
DISPLAY_NAME_MAX = 120
PASSWORD_MIN = 10


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ValidationFailed(
            f"the password must have at least {PASSWORD_MIN} characters", field="password"
        )


def enable_user(session: Session, username: str) -> User:
    """Let a disabled account log in again (its old sessions stay ended)."""
    user = get_user(session, check_username(username))
    user.disabled_at = None
    return user


def set_roles(session: Session, username: str, roles: list[str]) -> User:
    """Replace the roles of a console user; they apply from the user's next request."""
    user = get_user(session, check_username(username))
    _check_roles(roles, HUMAN_ROLES)
    user.roles = " ".join(sorted(set(roles)))
    return user


def reset_password(session: Session, username: str, password: str, *, now: datetime) -> User:
    """Give a user a new password and end their open sessions (whoever held them)."""
    user = get_user(session, check_username(username))
    check_password(password)
    user.password_hash = _hasher.hash(password)
    _end_sessions(session, user, now)
    return user


def _end_sessions(session: Session, user: User, now: datetime) -> None:
    for login in session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    ):
        login.ended_at = now


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def disable_user(session: Session, username: str, *, now: datetime) -> User:
    """Disable an account and end its open sessions at once."""
    user = get_user(session, check_username(username))
    user.disabled_at = user.disabled_at or now
    _end_sessions(session, user, now)
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    """The user for these credentials; the same error whatever was wrong, to reveal nothing."""
    user = session.scalars(select(User).where(User.username == username)).first()
    wrong = InvalidCredentials("wrong username or password")
    if user is None:
        # Spend the same time as a real check so timing does not reveal which names exist.
        _hasher.hash(password)
        raise wrong
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise wrong from None
    if user.disabled_at is not None:
        raise wrong
    return user


def check_login_throttle(session: Session, username: str, *, now: datetime) -> None:
    """Refuse a login attempt when this username failed too often recently (audited failures)."""
    since = now - LOGIN_FAILURE_WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "login",
            AuditEntry.outcome == "denied",
            AuditEntry.actor == username,
            AuditEntry.ts >= since,
        )
    )
    if (failures or 0) >= LOGIN_MAX_FAILURES:
        minutes = int(LOGIN_FAILURE_WINDOW.total_seconds() // 60)
        raise TooManyRequests(
            f"too many failed logins for this account; try again in {minutes} minutes"
        )


def open_session(session: Session, user: User, *, now: datetime, hours: float) -> str:
    """Start a console session; returns the cookie value (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            id=_sha256(raw),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return raw


def close_session(session: Session, raw: str, *, now: datetime) -> None:
    login = session.get(LoginSession, _sha256(raw))
    if login is not None and login.ended_at is None:
        login.ended_at = now


def principal_for_session(session: Session, raw: str, *, now: datetime) -> Principal:
    login = session.get(LoginSession, _sha256(raw))
    if login is None:
        raise NotAuthenticated("please log in")
    if login.ended_at is not None or login.expires_at <= now:
        raise SessionExpired("your session has expired; please log in again")
    user = session.get(User, login.user_id)
    if user is None or user.disabled_at is not None:
        raise SessionExpired("your session has expired; please log in again")
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        agency=user.agency_code,
        roles=user.role_set,
        locale=user.locale,
        session_id=login.id,
        csrf_token=login.csrf_token,
    )


def create_token(
    session: Session,
    *,
    name: str,
    role: str,
    agency: str,
    now: datetime,
    days: int | None = None,
) -> str:
    """Create an API token for a machine client; the clear value is returned once, never stored."""
    _check_roles([role], tuple(ROLES))
    if session.get(Agency, agency) is None:
        raise NotFound(f"unknown agency {agency!r}; create it first")
    if session.scalars(select(ApiToken).where(ApiToken.name == name)).first():
        raise Conflict(f"a token named {name!r} already exists")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            name=name,
            token_hash=_sha256(raw),
            prefix=raw[:10],
            role=role,
            agency_code=agency,
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
    )
    session.flush()
    return raw


def revoke_token(session: Session, name: str, *, now: datetime) -> ApiToken:
    token = session.scalars(select(ApiToken).where(ApiToken.name == name)).first()
    if token is None:
        raise NotFound(f"no token named {name!r}")
    token.revoked_at = token.revoked_at or now
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def principal_for_token(session: Session, raw: str, *, now: datetime) -> Principal:
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == _sha256(raw))).first()
    if token is None or token.revoked_at is not None:
        raise NotAuthenticated("invalid or revoked API token")
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated("this API token has expired")
    return Principal(
        kind="token",
        id=token.id,
        name=f"token:{token.name}",
        agency=token.agency_code,
        roles=frozenset({token.role}),
    )


def principal_for_owner(session: Session, kind: str, owner_id: int, *, now: datetime) -> Principal:
    """The principal ``kind`` ("user" or "token") number ``owner_id`` is *now*: a disabled user,
    or a revoked or expired token, is refused. For credentials derived from a principal (a
    calendar feed token), so they die with their owner and carry its current roles."""
    if kind == "user":
        user = session.get(User, owner_id)
        if user is None or user.disabled_at is not None:
            raise NotAuthenticated("the account behind this credential is disabled")
        return Principal(
            kind="user",
            id=user.id,
            name=user.username,
            agency=user.agency_code,
            roles=user.role_set,
            locale=user.locale,
        )
    if kind == "token":
        token = session.get(ApiToken, owner_id)
        if token is None or token.revoked_at is not None:
            raise NotAuthenticated("the API token behind this credential is revoked")
        if token.expires_at is not None and token.expires_at <= now:
            raise NotAuthenticated("the API token behind this credential has expired")
        return Principal(
            kind="token",
            id=token.id,
            name=f"token:{token.name}",
            agency=token.agency_code,
            roles=frozenset({token.role}),
        )
    raise NotAuthenticated(f"a credential cannot belong to a {kind!r}")


def set_locale(session: Session, user_id: int, locale: str) -> None:
    if locale not in LOCALES:
        raise ValidationFailed(f"unknown language {locale!r}; choose fr, nl or en")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    user.locale = locale
