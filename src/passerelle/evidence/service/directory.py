"""The directory of service providers' designated establishments and legal representatives,
each with the API token (role ``provider``) it receives orders with, and an agency of the
same code: the provider's console users (role ``addressee``) belong to it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound
from passerelle.evidence.model import Provider
from passerelle.evidence.schemas import ProviderIn, ProviderOut
from passerelle.node import Node
from passerelle.privacy import Principal, accounts


def add_provider(session: Session, node: Node, data: ProviderIn) -> tuple[Provider, str]:
    """Register a provider's addressee and create its token; the clear token is returned once."""
    if session.get(Provider, data.code) is not None:
        raise Conflict(f"a provider {data.code!r} already exists", field="code")
    now = node.clock.now()
    accounts.ensure_agency(session, node.code, node.settings.node_name or node.code, node.code)
    # the provider's own agency: its staff's console accounts are created in it
    accounts.ensure_agency(session, data.code, data.name, data.country)
    token_name = f"evidence-{data.code}"
    raw = accounts.create_token(session, name=token_name, role="provider", agency=node.code,
                                now=now)  # fmt: skip
    row = Provider(**data.model_dump(), token_name=token_name, created_at=now)
    session.add(row)
    session.flush()
    return row, raw


def get_provider(session: Session, code: str) -> Provider:
    row = session.get(Provider, code)
    if row is None:
        raise NotFound(f"no provider {code!r} in the directory", field="provider")
    return row


def list_providers(session: Session, country: str = "", q: str = "") -> list[Provider]:
    stmt = select(Provider).order_by(Provider.country, Provider.name)
    if country:
        stmt = stmt.where(Provider.country == country.upper())
    rows = list(session.scalars(stmt))
    if q:
        rows = [p for p in rows if q.lower() in f"{p.code} {p.name} {p.address}".lower()]
    return rows


#: The console role of a provider's staff; the user's agency is the provider's code.
STAFF_ROLE = "addressee"


def provider_of(session: Session, principal: Principal) -> Provider:
    """The provider a ``provider`` token, or a console user of its staff, belongs to."""
    if principal.kind == "user":
        staff = session.get(Provider, principal.agency) if STAFF_ROLE in principal.roles else None
        if staff is None:
            raise NotFound("your account belongs to no provider of the directory")
        return staff
    name = principal.name.removeprefix("token:")
    row = session.scalars(select(Provider).where(Provider.token_name == name)).first()
    if principal.kind != "token" or row is None:
        raise NotFound("no provider is registered for this token; see `evidence provider add`")
    return row


def to_out(p: Provider) -> ProviderOut:
    return ProviderOut(code=p.code, name=p.name, kind=p.kind, country=p.country,
                       address=p.address, email=p.email, services=list(p.services))  # fmt: skip
