"""Console pages of the cultural-goods domain (/heritage): the object registry and the checks
(lists with search, pagination and CSV export), an object's detail page (photographs,
provenance chain, gaps) and the check form with photograph upload, whose result shows each
candidate beside the uploaded picture. Thin: parse the form, call a service, render."""

from __future__ import annotations

import base64
import io
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from passerelle.errors import PasserelleError
from passerelle.heritage import rules
from passerelle.heritage.schemas import CheckIn
from passerelle.heritage.service import check, imaging, quarantine, registry
from passerelle.kit import listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/heritage", include_in_schema=False)
STAFF = ("analyst", "supervisor")
QUARANTINE_READERS = ("supervisor", "dpo")
#: Words the templates translate from data.
LABELS = (
    N_("Cultural goods"),
    N_("registered"),
    N_("stolen"),
    N_("recovered"),
    N_("low"),
    N_("medium"),
    N_("high"),
    N_("dealer"),
    N_("auction"),
    N_("customs"),
    N_("online"),
    N_("archaeological"),
    N_("monument_element"),
    N_("other_listed"),
    N_("not_listed"),
    N_("discovery"),
    N_("ownership"),
    N_("transaction"),
    N_("export"),
    N_("import"),
)
OBJECT_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda o: o.reference),
    listkit.Column("status", lambda o: o.status),
    listkit.Column("source", lambda o: o.source),
    listkit.Column("title", lambda o: o.title),
    listkit.Column("object_type", lambda o: o.object_type),
    listkit.Column("maker", lambda o: o.maker),
    listkit.Column("country_of_origin", lambda o: o.country_of_origin),
)
CHECK_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("reference", lambda c: c.reference),
    listkit.Column("checked_at", lambda c: c.checked_at.isoformat()),
    listkit.Column("title", lambda c: c.title),
    listkit.Column("channel", lambda c: c.channel),
    listkit.Column("risk", lambda c: c.risk),
)
QUARANTINE_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("id", lambda r: r.id),
    listkit.Column("received_at", lambda r: r.received_at.isoformat()),
    listkit.Column("source", lambda r: r.source),
    listkit.Column("field", lambda r: r.field),
    listkit.Column("size", lambda r: r.size),
    listkit.Column("reason", lambda r: r.reason),
)
SEARCH_LIMIT = 5000
FIELDS = (
    "title",
    "object_type",
    "materials",
    "maker",
    "height_cm",
    "country_of_origin",
    "year_made",
    "category",
    "channel",
    "seller",
    "value_eur",
    "removed_from_origin_on",
)


def _objects(request: Request, session: Session) -> Response:
    query = listkit.ListQuery.of(request, "status")
    rows = registry.search(session, query.q, query.get("status"), SEARCH_LIMIT)
    if query.wants_csv:
        return listkit.csv_response("heritage-objects.csv", OBJECT_CSV, rows)
    return render(
        request,
        "heritage/objects.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("status", N_("Status"), [(s, gettext(s)) for s in rules.STATUSES])],
        },
    )


@router.get("")
def objects_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    return _objects(request, session)


@router.get("/o/{reference}")
def object_page(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    node = node_of(request)
    obj = registry.read(session, node, principal, reference)
    return render(
        request,
        "heritage/object.html",
        {
            "o": obj,
            "photos": registry.photos(session, obj),
            "events": registry.events(session, obj),
            "gaps": registry.gaps(session, node, obj),
        },
    )


@router.get("/checks")
def checks_page(
    request: Request, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    query = listkit.ListQuery.of(request, "risk")
    rows = check.search(session, query.q, query.get("risk"), SEARCH_LIMIT)
    if query.wants_csv:
        return listkit.csv_response("heritage-checks.csv", CHECK_CSV, rows)
    return render(
        request,
        "heritage/checks.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("risk", N_("Risk"), [(r, gettext(r)) for r in rules.RISKS])],
        },
    )


@router.get("/c/{reference}")
def check_page(
    request: Request, reference: str, session: DbSession, principal: Principal = require(*STAFF)
) -> Response:
    row = check.get(session, node_of(request), principal, reference)
    return render(request, "heritage/result.html", {"r": row.result, "row": row, "uploads": []})


def _form(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "v": values,
        "errors": errors,
        "categories": rules.CATEGORIES,
        "channels": rules.CHANNELS,
    }
    return render(request, "heritage/check.html", context, status)


@router.get("/check")
def check_form(request: Request, principal: Principal = require(*STAFF)) -> Response:
    return _form(request, {"category": "archaeological", "channel": "dealer"}, {})


def _data(values: dict[str, str]) -> dict[str, Any]:
    def opt(name: str) -> str | None:
        return values[name].strip() or None

    return {
        "title": values["title"],
        "object_type": values["object_type"],
        "materials": [m.strip() for m in values["materials"].split(",") if m.strip()],
        "maker": values["maker"],
        "measurements": {"height_cm": opt("height_cm")},
        "country_of_origin": values["country_of_origin"].strip().upper(),
        "year_made": opt("year_made"),
        "category": values["category"],
        "offer": {
            "channel": values["channel"],
            "seller": values["seller"],
            "value_eur": opt("value_eur"),
            "removed_from_origin_on": opt("removed_from_origin_on"),
        },
    }


def _preview(data: bytes) -> str:
    img = imaging.load(data)
    img.thumbnail((320, 320))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


@router.post("/check")
def check_submit(
    request: Request,
    session: DbSession,
    image: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
    object_type: Annotated[str, Form()] = "",
    materials: Annotated[str, Form()] = "",
    maker: Annotated[str, Form()] = "",
    height_cm: Annotated[str, Form()] = "",
    country_of_origin: Annotated[str, Form()] = "",
    year_made: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "archaeological",
    channel: Annotated[str, Form()] = "dealer",
    seller: Annotated[str, Form()] = "",
    value_eur: Annotated[str, Form()] = "",
    removed_from_origin_on: Annotated[str, Form()] = "",
    principal: Principal = require(*STAFF),
) -> Response:
    values = dict(
        zip(
            FIELDS,
            (
                title,
                object_type,
                materials,
                maker,
                height_cm,
                country_of_origin,
                year_made,
                category,
                channel,
                seller,
                value_eur,
                removed_from_origin_on,
            ),
            strict=True,
        )
    )
    try:
        data = CheckIn.model_validate(_data(values))
    except ValidationError as exc:
        errors = {
            str(e["loc"][-1]): gettext(N_("Please correct this value.")) + f" ({e['msg']})"
            for e in exc.errors()
        }
        return _form(request, values, errors, 422)
    uploads = []
    if image is not None and image.filename:
        uploads.append(image.file.read(imaging.MAX_BYTES + 1))
    try:
        previews = [_preview(u) for u in uploads]
        out = check.check(session, node_of(request), principal, data, uploads)
    except PasserelleError as exc:
        # the photograph is refused before anything is written: kept in this transaction
        if uploads and str(exc.details.get("field", "")).startswith("image"):
            source = f"console:{principal.name} check"
            quarantine.keep(session, node_of(request), source, uploads[0], exc)
        return _form(request, values, {"image": exc.message}, exc.status)
    return render(
        request,
        "heritage/result.html",
        {"r": out.model_dump(mode="json"), "row": None, "uploads": previews},
    )


@router.get("/quarantine")
def quarantine_page(
    request: Request, session: DbSession, principal: Principal = require(*QUARANTINE_READERS)
) -> Response:
    """Refused object JSON and photographs with field and reason (audited read)."""
    query = listkit.ListQuery.of(request)
    rows = quarantine.items(session, node_of(request), principal, SEARCH_LIMIT)
    if query.q:
        q = query.q.casefold()
        rows = [r for r in rows if q in f"{r.source} {r.field} {r.reason}".casefold()]
    if query.wants_csv:
        return listkit.csv_response("heritage-quarantine.csv", QUARANTINE_CSV, rows)
    return render(
        request,
        "heritage/quarantine.html",
        {"page": listkit.paginate(rows, query), "query": query, "filters": []},
    )


@router.get("/quarantine/{item_id}")
def quarantine_item_page(
    request: Request,
    item_id: str,
    session: DbSession,
    principal: Principal = require(*QUARANTINE_READERS),
) -> Response:
    """One refused input: reason, field and the kept bytes shown as text (audited read)."""
    row = quarantine.item(session, node_of(request), principal, item_id)
    return render(
        request,
        "heritage/quarantine_item.html",
        {"row": row, "text": row.raw[:20000].decode("utf-8", "replace")},
    )
