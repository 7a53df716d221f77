"""REST API of the cultural-goods domain under /api/v1/heritage: check an object offered for
sale (with photographs), register objects and their photographs, report them stolen or
recovered, read objects, checks and the rules. Routes are thin."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.bounds import Count
from passerelle.errors import PasserelleError, ValidationFailed
from passerelle.heritage import rules
from passerelle.heritage.model import CulturalObject
from passerelle.heritage.schemas import CheckOut, GapOut, ObjectOut
from passerelle.heritage.service import check, exchange, imaging, parse, quarantine, registry
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/api/v1/heritage", tags=["heritage"])
STAFF = ("analyst", "supervisor")
#: Who reads the quarantine: the supervisor (data quality) and the data protection officer.
QUARANTINE_READERS = ("supervisor", "dpo")
MAX_IMAGES = 8


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["stolen", "recovered"]


async def _images(files: list[UploadFile] | None) -> list[bytes]:
    found = []
    for n, upload in enumerate(files or []):
        data = await upload.read(imaging.MAX_BYTES + 1)
        if data:
            found.append(data)
        if n + 1 > MAX_IMAGES:
            raise ValidationFailed(f"image: at most {MAX_IMAGES} photographs", field="image")
    return found


def object_out(session: Session, node: Node, obj: CulturalObject) -> ObjectOut:
    return ObjectOut(
        reference=obj.reference,
        status=obj.status,
        source=obj.source,
        title=obj.title,
        object_type=obj.object_type,
        materials=obj.materials,
        maker=obj.maker,
        date_period=obj.date_period,
        country_of_origin=obj.country_of_origin,
        category=obj.category,
        photos=[p.id for p in registry.photos(session, obj)],
        gaps=[
            GapOut(start=g.start, end=g.end, years=g.years, reason=g.reason)
            for g in registry.gaps(session, node, obj)
        ],
        provenance=[
            {
                "kind": e.kind,
                "party": e.party,
                "country": e.country,
                "date_from": e.date_from,
                "date_to": e.date_to,
                "document": e.document,
                "evidence": e.evidence,
            }
            for e in registry.events(session, obj)
        ],
    )


async def _run(node: Node, fn: Any) -> Any:
    """Run ``fn(session)`` in a worker thread, in its own transaction (async routes hold no
    session: the uploads are read first)."""

    def run() -> Any:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)


@router.post("/check")
async def check_object(
    request: Request,
    object: Annotated[str, Form(description="The object JSON (Object ID, provenance, offer).")],
    image: Annotated[list[UploadFile] | None, File()] = None,
    ask_peers: Annotated[bool, Form()] = False,
    principal: Principal = require(*STAFF),
) -> CheckOut:
    """Check an object offered for sale: rules, risk, candidate stolen objects (recorded);
    with ``ask_peers`` the peers screen it too (hit/no-hit, see ``/exchanges``)."""
    node = node_of(request)
    source = f"api:{principal.name} check"
    data = await run_in_threadpool(
        quarantine.guarded, node, source, object.encode(), parse.object_json
    )
    images = await _images(image)
    try:
        out, ids = await _run(
            node,
            lambda s: check.check_and_ask(s, node, principal, data, images, ask_peers=ask_peers),
        )
    except PasserelleError as exc:
        await run_in_threadpool(quarantine.refused_images, node, source, images, exc)
        raise
    if ids:
        await federation.deliver_messages(node, client_of(request.app), ids)
    result: CheckOut = out
    return result


def client_of(app: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client


@router.get("/exchanges")
def list_exchanges(
    session: DbSession, limit: Count = 200, principal: Principal = require(*STAFF)
) -> list[dict[str, Any]]:
    """Screening requests sent to and received from peers, with their hit/no-hit answers."""
    return [
        {
            "request": e.request_ref,
            "direction": e.direction,
            "peer": e.peer,
            "title": e.title,
            "at": e.at.isoformat(),
            "answered_at": e.answered_at.isoformat() if e.answered_at else None,
            "hit": e.hit,
            "references": e.references,
        }
        for e in exchange.exchanges(session, limit)
    ]


@router.post(
    "/objects",
    status_code=201,
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {}}}}},
)
async def register_object(
    request: Request,
    status: Literal["registered", "stolen"] = "registered",
    source: str = "local",
    principal: Principal = require(*STAFF),
) -> ObjectOut:
    """Register an object after Object ID with its provenance chain (stolen: screened). The
    JSON body is the ``ObjectIn`` schema; a body that cannot be read is quarantined."""
    node = node_of(request)
    raw = await request.body()
    body = await run_in_threadpool(
        quarantine.guarded, node, f"api:{principal.name} register", raw, parse.registration_json
    )

    def register(session: Session) -> ObjectOut:
        obj = registry.register(session, node, principal, body, status=status, source=source[:40])
        return object_out(session, node, obj)

    out: ObjectOut = await _run(node, register)
    return out


@router.post("/objects/{reference}/photos", status_code=201)
async def add_photo(
    request: Request,
    reference: str,
    image: Annotated[UploadFile, File()],
    principal: Principal = require(*STAFF),
) -> dict[str, str]:
    """Add a photograph (JPEG, PNG, WebP; 8 MiB, 40 megapixels at most)."""
    node = node_of(request)
    data = await image.read(imaging.MAX_BYTES + 1)

    def add(session: Session) -> str:
        obj = registry.read(session, node, principal, reference)
        return registry.add_photo(session, node, obj, data).id

    try:
        photo = await _run(node, add)
    except PasserelleError as exc:
        source = f"api:{principal.name} photo of {reference[:40]}"
        await run_in_threadpool(quarantine.refused_images, node, source, [data], exc)
        raise
    return {"photo": photo, "object": reference}


@router.get("/objects")
def list_objects(
    session: DbSession,
    q: str = "",
    status: Literal["registered", "stolen", "recovered"] | None = None,
    limit: Count = 100,
    principal: Principal = require(*STAFF),
) -> list[dict[str, Any]]:
    """Objects by reference, title, maker or type (no owner names: not audited)."""
    return [
        {
            "reference": o.reference,
            "status": o.status,
            "source": o.source,
            "title": o.title,
            "object_type": o.object_type,
            "country_of_origin": o.country_of_origin,
        }
        for o in registry.search(session, q, status, limit)
    ]


@router.get("/objects/{reference}")
def object_detail(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> ObjectOut:
    """One object with its photographs, provenance chain (owners: audited) and gaps."""
    node = node_of(request)
    return object_out(session, node, registry.read(session, node, principal, reference))


@router.post("/objects/{reference}/status")
def change_status(
    request: Request,
    reference: str,
    body: StatusIn,
    session: DbSession,
    principal: Principal = require(*STAFF),
) -> dict[str, str]:
    """Report an object stolen (it is screened from then on) or recovered."""
    node = node_of(request)
    obj = registry.set_status(
        session, node, principal, registry.get(session, reference), body.status
    )
    return {"reference": obj.reference, "status": obj.status}


@router.get("/photos/{photo_id}")
def photo_file(
    photo_id: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    """A stored photograph (reduced JPEG copy)."""
    row = registry.photo(session, photo_id)
    return Response(row.data, media_type=row.media_type)


@router.get("/checks")
def list_checks(
    session: DbSession,
    q: str = "",
    risk: Literal["low", "medium", "high"] | None = None,
    limit: Count = 100,
    principal: Principal = require(*STAFF),
) -> list[dict[str, Any]]:
    """Recorded checks (reference, title, channel, risk, date)."""
    return [
        {
            "reference": c.reference,
            "title": c.title,
            "channel": c.channel,
            "risk": c.risk,
            "checked_at": c.checked_at.isoformat(),
        }
        for c in check.search(session, q, risk, limit)
    ]


@router.get("/checks/{reference}")
def check_detail(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> dict[str, Any]:
    """One recorded check: what was submitted and the result (names the seller: audited)."""
    row = check.get(session, node_of(request), principal, reference)
    return {
        "reference": row.reference,
        "checked_at": row.checked_at.isoformat(),
        "checked_by": row.checked_by,
        "seller": row.seller,
        "submitted": row.submitted,
        "result": row.result,
    }


@router.get("/rules")
def rule_table(request: Request, principal: Principal = require(*STAFF)) -> dict[str, Any]:
    """The thresholds, embargoes and Red List categories with their sources."""
    return {
        "licence_min_age_years": rules.LICENCE_MIN_AGE_YEARS,
        "statement_min_age_years": rules.STATEMENT_MIN_AGE_YEARS,
        "statement_min_value_eur": rules.STATEMENT_MIN_VALUE_EUR,
        "embargoes": [
            {"country": "IQ", "cutoff": rules.IRAQ_CUTOFF.isoformat(), "source": rules.REG_IRAQ},
            {
                "country": "SY",
                "cutoff": check.syria_cutoff(node_of(request)).isoformat(),
                "source": rules.REG_SYRIA,
                "verified": False,
            },
        ],
        "red_lists": [
            {"code": c.code, "country": c.country, "label": c.label, "source": c.source}
            for c in rules.RED_LISTS
        ],
        "sources": [rules.BAN_SOURCE, rules.LICENCE_SOURCE, rules.STATEMENT_SOURCE],
    }


class QuarantineOut(BaseModel):
    id: str
    source: str
    field: str
    reason: str
    size: int
    received_at: str
    #: The kept bytes as text (undecodable bytes replaced), at most 4,000 characters.
    raw: str


def _quarantine_out(row: Any, shown: int = 4000) -> QuarantineOut:
    return QuarantineOut(
        id=row.id,
        source=row.source,
        field=row.field,
        reason=row.reason,
        size=row.size,
        received_at=row.received_at.isoformat(),
        raw=row.raw[:shown].decode("utf-8", "replace"),
    )


@router.get("/quarantine")
def list_quarantine(
    request: Request,
    session: DbSession,
    limit: Count = 100,
    principal: Principal = require(*QUARANTINE_READERS),
) -> list[QuarantineOut]:
    """Refused object JSON and photographs, newest first, with field and reason (audited)."""
    return [
        _quarantine_out(r, 400)
        for r in quarantine.items(session, node_of(request), principal, limit)
    ]


@router.get("/quarantine/{item_id}")
def quarantine_item(
    request: Request,
    item_id: str,
    session: DbSession,
    principal: Principal = require(*QUARANTINE_READERS),
) -> Response:
    """One refused input as it was received (its kept bytes; audited)."""
    row = quarantine.item(session, node_of(request), principal, item_id)
    return Response(
        row.raw,
        media_type="application/octet-stream",
        headers={
            "X-Quarantine-Reason": " ".join(row.reason.split())
            .encode("ascii", "replace")
            .decode()[:500]
        },
    )
