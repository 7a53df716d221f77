"""Registers: sellers with their API token, product catalogues, the licence register and the
watched persons (kept in an identity-engine watchlist for screening)."""

from __future__ import annotations

import gc
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound
from passerelle.identity import PersonRecord, Watchlist
from passerelle.node import Node
from passerelle.precursors.model import Licence, Product, Seller, Watched, WatchVersion
from passerelle.precursors.schemas import LicenceIn, ProductRow, SellerIn, WatchedIn
from passerelle.precursors.service.common import fold
from passerelle.privacy import Principal, accounts

WATCH_STATE = "precursors.watched"
#: A running server re-reads the watched persons changed by another process at most this often.
WATCH_REFRESH_SECONDS = 2.0
#: From this many watched persons the built index is frozen out of the cyclic collector.
FREEZE_FROM = 5_000


def add_seller(session: Session, node: Node, data: SellerIn) -> tuple[Seller, str]:
    """Register a seller and create its API token (role ``marketplace``); the clear token is
    returned once."""
    if session.get(Seller, data.code) is not None:
        raise Conflict(f"a seller {data.code!r} already exists")
    now = node.clock.now()
    accounts.ensure_agency(session, node.code, node.settings.node_name or node.code, node.code)
    token_name = f"precursors-{data.code}"
    raw = accounts.create_token(
        session, name=token_name, role="marketplace", agency=node.code, now=now
    )
    seller = Seller(**data.model_dump(), token_name=token_name, created_at=now)
    session.add(seller)
    session.flush()
    return seller, raw


def seller_of(session: Session, principal: Principal) -> Seller:
    """The seller a ``marketplace`` token belongs to."""
    name = principal.name.removeprefix("token:")
    seller = session.scalars(select(Seller).where(Seller.token_name == name)).first()
    if principal.kind != "token" or seller is None:
        # The role was checked already: this token is simply not a registered seller's.
        raise NotFound("no seller is registered for this token; see `precursors seller add`")
    return seller


#: The seller of a token and one of its products in one round trip (the API check's first
#: read): built once, with bound parameters.
_SELLER_AND_PRODUCT = (
    select(Seller, Product)
    .outerjoin(Product, (Product.seller == Seller.code) & (Product.sku == bindparam("sku")))
    .where(Seller.token_name == bindparam("token"))
)


def seller_and_product(
    session: Session, principal: Principal, sku: str
) -> tuple[Seller, Product | None]:
    """:func:`seller_of` and the seller's product ``sku`` (None when it has none), read
    together: on PostgreSQL each statement of the check is a round trip."""
    name = principal.name.removeprefix("token:")
    row = session.execute(_SELLER_AND_PRODUCT, {"token": name, "sku": sku}).first()
    if principal.kind != "token" or row is None:
        raise NotFound("no seller is registered for this token; see `precursors seller add`")
    return row[0], row[1]


def get_seller(session: Session, code: str) -> Seller:
    seller = session.get(Seller, code)
    if seller is None:
        raise NotFound(f"no seller {code!r}")
    return seller


def list_sellers(session: Session) -> list[Seller]:
    return list(session.scalars(select(Seller).order_by(Seller.code)))


def load_catalogue(session: Session, seller: str, rows: Iterable[ProductRow]) -> int:
    """Add or replace a seller's products (by sku); returns how many were written."""
    count = 0
    for row in rows:
        product = session.scalars(
            select(Product).where(Product.seller == seller, Product.sku == row.sku)
        ).first() or Product(seller=seller, sku=row.sku)
        product.trade_name = row.trade_name
        product.synonyms = row.synonyms
        product.cas = row.cas
        product.concentration = row.concentration
        product.particle_um = row.particle_um
        session.add(product)
        count += 1
    session.flush()
    return count


def find_product(session: Session, seller: str, *, sku: str = "", name: str = "") -> Product:
    """A seller's product by sku, else by trade name or synonym (case and accents ignored)."""
    if sku:
        found = session.scalars(_PRODUCT, {"seller": seller, "sku": sku}).first()
        if found is not None:
            return found
    wanted = fold(name)
    if wanted:
        for product in session.scalars(select(Product).where(Product.seller == seller)):
            if wanted in {fold(product.trade_name), *(fold(s) for s in product.synonyms)}:
                return product
    raise NotFound(f"product {sku or name!r} is not in seller {seller}'s catalogue")


def catalogue(session: Session, seller: str) -> list[Product]:
    return list(
        session.scalars(select(Product).where(Product.seller == seller).order_by(Product.sku))
    )


def add_licence(session: Session, data: LicenceIn) -> Licence:
    exists = session.scalars(
        select(Licence).where(Licence.country == data.country, Licence.number == data.number)
    ).first()
    if exists is not None:
        raise Conflict(f"licence {data.country} {data.number} is already registered")
    licence = Licence(**data.model_dump())
    session.add(licence)
    session.flush()
    return licence


#: Built once (the check runs it every time; composing it cost more than running it).
_LICENCE = select(Licence).where(
    Licence.country == bindparam("country"), Licence.number == bindparam("number")
)
_PRODUCT = select(Product).where(
    Product.seller == bindparam("seller"), Product.sku == bindparam("sku")
)


def find_licence(session: Session, country: str, number: str) -> Licence | None:
    return session.scalars(_LICENCE, {"country": country, "number": number}).first()


def revoke_licence(session: Session, country: str, number: str, *, now: datetime) -> Licence:
    licence = find_licence(session, country, number)
    if licence is None:
        raise NotFound(f"no licence {country} {number}")
    licence.revoked_at = licence.revoked_at or now
    return licence


def _record(row: Watched) -> PersonRecord:
    return PersonRecord(
        row.id,
        given_names=row.given_names or None,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth or None,
        document_number=row.document_number or None,
    )


def watch_version(session: Session) -> int:
    """The change counter of the watched persons (0 before the first change)."""
    return int(session.scalar(select(WatchVersion.version).where(WatchVersion.id == 1)) or 0)


def bump_watch_version(session: Session) -> None:
    """Count one change of the watched persons (in the caller's transaction)."""
    row = session.get(WatchVersion, 1, with_for_update=True)
    if row is None:
        session.add(WatchVersion(id=1, version=1))
    else:
        row.version += 1
    session.flush()


class WatchIndex:
    """The watched persons as an identity-engine watchlist, rebuilt when their version counter
    moves (every change goes through :func:`add_watched` / :func:`remove_watched`). The
    counter is one primary-key read, at most every WATCH_REFRESH_SECONDS: counting a table of
    100,000 persons took 44 ms and landed on one check in thirty."""

    def __init__(self) -> None:
        self.watchlist = Watchlist()
        self.signature: tuple[int, int] | None = None
        self.checked = 0.0
        self.lock = threading.Lock()

    def current(self, session: Session) -> Watchlist:
        with self.lock:
            if time.monotonic() - self.checked < WATCH_REFRESH_SECONDS:
                return self.watchlist
            version = watch_version(session)
            if self.signature is None or self.signature[0] != version:
                rows = list(session.scalars(select(Watched)))
                signature = (version, len(rows))
                if self.signature is not None and self.signature[1] >= FREEZE_FROM:
                    gc.unfreeze()  # let the cyclic collector free the list being replaced
                self.watchlist = Watchlist(_record(r) for r in rows)
                self.signature = signature
                if signature[1] >= FREEZE_FROM:
                    # A large watchlist is hundreds of thousands of long-lived objects: left in
                    # the collector's oldest generation, each full collection walks them all
                    # and stalls a check for up to a second. Frozen, they are never walked.
                    gc.freeze()
            self.checked = time.monotonic()
            return self.watchlist

    def invalidate(self) -> None:
        with self.lock:
            self.checked = 0.0


def watch_index(node: Node) -> WatchIndex:
    index = node.state.get(WATCH_STATE)
    if index is None:  # built once per node, not on every call (an empty Watchlist is not free)
        index = node.state.setdefault(WATCH_STATE, WatchIndex())
    assert isinstance(index, WatchIndex)
    return index


def add_watched(session: Session, node: Node, principal: Principal, data: WatchedIn) -> Watched:
    row = Watched(
        id=str(uuid.uuid4()),
        **data.model_dump(),
        added_at=node.clock.now(),
        added_by=principal.name,
    )
    session.add(row)
    bump_watch_version(session)
    watch_index(node).invalidate()
    return row


def remove_watched(session: Session, node: Node, watched_id: str) -> None:
    row = session.get(Watched, watched_id)
    if row is None:
        raise NotFound(f"no watched person {watched_id!r}")
    session.delete(row)
    bump_watch_version(session)
    watch_index(node).invalidate()
