"""The object registry: objects after Object ID, their photographs and provenance events,
stolen and recovered states, and the screener built from the stolen objects."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound
from passerelle.heritage import rules
from passerelle.heritage.model import CulturalObject, IndexVersion, Photo, ProvenanceEvent
from passerelle.heritage.schemas import ObjectIn
from passerelle.heritage.service import imaging, provenance
from passerelle.heritage.service.common import fold, new_reference, parse_date, trace
from passerelle.heritage.service.screening import CACHE, Entry, PhotoEntry, Screener
from passerelle.node import Node
from passerelle.privacy import Principal

#: Stored copies of photographs are reduced to this side (pixels).
STORED_SIDE = 512


def version(session: Session) -> int:
    return int(session.scalar(select(IndexVersion.version).where(IndexVersion.id == 1)) or 0)


def bump(session: Session) -> None:
    """Count one change of the screened objects (in the caller's transaction)."""
    row = session.get(IndexVersion, 1, with_for_update=True)
    if row is None:
        session.add(IndexVersion(id=1, version=1))
    else:
        row.version += 1
    session.flush()


def register(
    session: Session,
    node: Node,
    principal: Principal,
    data: ObjectIn,
    *,
    status: str = "registered",
    source: str = "local",
) -> CulturalObject:
    m = data.measurements
    obj = CulturalObject(
        id=str(uuid.uuid4()),
        reference=new_reference("OBJ", node),
        status=status,
        source=source,
        object_type=data.object_type,
        materials=data.materials,
        techniques=data.techniques,
        height_cm=m.height_cm,
        width_cm=m.width_cm,
        depth_cm=m.depth_cm,
        weight_kg=m.weight_kg,
        inscriptions=data.inscriptions,
        distinguishing_features=data.distinguishing_features,
        title=data.title,
        subject=data.subject,
        date_period=data.date_period,
        year_made=data.year_made,
        maker=data.maker,
        description=data.description,
        country_of_origin=data.country_of_origin,
        category=data.category,
        inventory_number=data.inventory_number,
        related_material=data.related_material,
        place_of_origin=data.place_of_origin,
        cross_reference=data.cross_reference,
        date_documented=data.date_documented.isoformat() if data.date_documented else "",
        reported_stolen_at=node.clock.now() if status == "stolen" else None,
        created_at=node.clock.now(),
        created_by=principal.name,
    )
    session.add(obj)
    for e in data.provenance:
        session.add(
            ProvenanceEvent(
                id=str(uuid.uuid4()),
                object_id=obj.id,
                kind=e.kind,
                party=e.party,
                country=e.country,
                date_from=e.date_from.isoformat(),
                date_to=e.date_to.isoformat() if e.date_to else "",
                document=e.document,
                evidence=e.evidence,
            )
        )
    trace(session, node, principal, "write", "heritage.object", obj.reference)
    if status == "stolen":
        bump(session)
    session.flush()
    return obj


def add_photo(
    session: Session, node: Node, obj: CulturalObject, data: bytes, field: str = "image"
) -> Photo:
    """Validate, describe and keep a reduced copy of one photograph of ``obj``."""
    img = imaging.load(data, field)
    d = imaging.describe(img)
    small = img.copy()
    small.thumbnail((STORED_SIDE, STORED_SIDE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=85)
    photo = Photo(
        id=str(uuid.uuid4()),
        object_id=obj.id,
        media_type="image/jpeg",
        width=img.width,
        height=img.height,
        data=buffer.getvalue(),
        phashes=[imaging.hex64(h) for h in d.phashes],
        dhashes=[imaging.hex64(h) for h in d.dhashes],
        colour=list(d.colour),
        texture=list(d.texture),
        added_at=node.clock.now(),
    )
    session.add(photo)
    if obj.status == "stolen":
        bump(session)
    session.flush()
    return photo


def get(session: Session, reference: str) -> CulturalObject:
    obj = session.scalar(select(CulturalObject).where(CulturalObject.reference == reference))
    if obj is None:
        raise NotFound(f"no object {reference}", reference=reference)
    return obj


def read(session: Session, node: Node, principal: Principal, reference: str) -> CulturalObject:
    """An object with its provenance chain (owners are personal data: audited)."""
    obj = get(session, reference)
    trace(session, node, principal, "read", "heritage.object", reference)
    return obj


def events(session: Session, obj: CulturalObject) -> list[ProvenanceEvent]:
    rows = session.scalars(select(ProvenanceEvent).where(ProvenanceEvent.object_id == obj.id))
    return sorted(rows, key=lambda e: (e.date_from, e.date_to))


def photos(session: Session, obj: CulturalObject) -> list[Photo]:
    return list(
        session.scalars(select(Photo).where(Photo.object_id == obj.id).order_by(Photo.added_at))
    )


def photo(session: Session, photo_id: str) -> Photo:
    row = session.get(Photo, photo_id)
    if row is None:
        raise NotFound(f"no photograph {photo_id}", photo=photo_id)
    return row


def gaps(session: Session, node: Node, obj: CulturalObject) -> list[provenance.Gap]:
    links = [
        provenance.Link(e.kind, e.country, d, parse_date(e.date_to))
        for e in events(session, obj)
        if (d := parse_date(e.date_from)) is not None
    ]
    until = (obj.reported_stolen_at or node.clock.now()).date()
    return provenance.gaps(links, until=until, origin=obj.country_of_origin)


def set_status(
    session: Session, node: Node, principal: Principal, obj: CulturalObject, status: str
) -> CulturalObject:
    """Report an object stolen, or recovered."""
    if status not in rules.STATUSES:
        raise Conflict(f"unknown status {status}")
    if obj.status == status:
        raise Conflict(f"{obj.reference} is already {status}")
    obj.status = status
    now = node.clock.now()
    if status == "stolen":
        obj.reported_stolen_at = now
    if status == "recovered":
        obj.recovered_at = now
    trace(
        session,
        node,
        principal,
        "write",
        "heritage.object",
        obj.reference,
        details={"status": status},
    )
    bump(session)
    return obj


def search(
    session: Session, text: str = "", status: str | None = None, limit: int = 5000
) -> list[CulturalObject]:
    query = select(CulturalObject).order_by(CulturalObject.created_at.desc()).limit(limit)
    if status:
        query = query.where(CulturalObject.status == status)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(
            or_(
                CulturalObject.reference.ilike(like),
                CulturalObject.title.ilike(like),
                CulturalObject.maker.ilike(like),
                CulturalObject.object_type.ilike(like),
            )
        )
    return list(session.scalars(query))


def entry(obj: CulturalObject) -> Entry:
    measures = {
        d: v for d in ("height_cm", "width_cm", "depth_cm") if (v := getattr(obj, d)) is not None
    }
    return Entry(
        object_id=obj.id,
        reference=obj.reference,
        title=obj.title,
        status=obj.status,
        source=obj.source,
        object_type=obj.object_type,
        maker=obj.maker,
        materials=frozenset(fold(m) for m in obj.materials),
        measures=measures,
    )


def _build(session: Session) -> Screener:
    stolen: Sequence[CulturalObject] = list(
        session.scalars(select(CulturalObject).where(CulturalObject.status == "stolen"))
    )
    position = {o.id: i for i, o in enumerate(stolen)}
    photo_rows = session.execute(
        select(
            Photo.id, Photo.object_id, Photo.phashes, Photo.dhashes, Photo.colour, Photo.texture
        ).where(
            Photo.object_id.in_(select(CulturalObject.id).where(CulturalObject.status == "stolen"))
        )
    )
    entries = []
    for pid, oid, ph, dh, colour, texture in photo_rows:
        descriptor = imaging.Descriptor(
            tuple(imaging.from_hex(h) for h in ph),
            tuple(imaging.from_hex(h) for h in dh),
            tuple(colour),
            tuple(texture),
        )
        entries.append(PhotoEntry(pid, position[oid], descriptor))
    return Screener([entry(o) for o in stolen], entries)


def screener(session: Session, node: Node) -> Screener:
    """The node's screener of stolen objects, rebuilt after any change."""
    return CACHE.get(
        node.settings.effective_database_url, version(session), lambda: _build(session)
    )
