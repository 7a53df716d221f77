"""Console pages of the crisis domain (/crisis): the shared situation (map, active incidents,
escalations, timeline), messages with search and CSV export, a message's detail with its
recipients and acknowledgements, the composer, imports and the quarantine. Thin: parse the
form, call a service, render; bad input comes back inline in the form."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.bounds import Count
from passerelle.crisis import cap, rules
from passerelle.crisis.schemas import AreaIn, CapIn, CircleIn, InfoText
from passerelle.crisis.service import acks, exchange, feeds, issue, situation, store
from passerelle.errors import NotFound, PasserelleError, Unavailable, ValidationFailed
from passerelle.kit import flash, labels, listkit
from passerelle.kit.i18n import N_, current_locale
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/crisis", include_in_schema=False)
USERS = ("analyst", "supervisor")
#: Words the templates translate with ``_()`` from data (menu label, delivery states, import
#: outcomes), marked here so they reach the catalogues.
LABELS = (
    N_("Crisis"),
    N_("acknowledged"),
    N_("delivered"),
    N_("queued"),
    N_("awaiting"),
    N_("never"),
    N_("failed"),
    N_("refused"),
    N_("duplicate"),
    N_("unavailable"),
)


@router.get("")
def situation_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    node = node_of(request)
    active = situation.active(session, now=node.clock.now())
    store.access(principal, node).trace(
        session,
        "read",
        "crisis.situation",
        "*",
        now=node.clock.now(),
        details={"incidents": len(active)},
    )
    timeline = store.search(session, node, principal, limit=30)
    return render(
        request,
        "crisis/situation.html",
        {
            "active": active,
            "timeline": timeline,
            "escalations": acks.open_escalations(session),
            "tiles": "/crisis/tiles/{z}/{x}/{y}.png" if node.settings.crisis_tile_url else "",
        },
    )


@router.get("/tiles/{z}/{x}/{y}.png")
def tile(
    z: Count, x: Count, y: Count, request: Request, principal: Principal = require(*USERS)
) -> Response:
    """Map tiles from the configured source, fetched by the node so the browser talks to this
    node only (same-origin policy, and no third party learns where operators look)."""
    template = node_of(request).settings.crisis_tile_url
    if not template or not (0 <= z <= 20 and 0 <= x < 2**z and 0 <= y < 2**z):
        raise NotFound("no map tile here")
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
    try:
        answer = httpx.get(url, timeout=10.0)
    except httpx.HTTPError as exc:
        raise Unavailable(f"the tile source could not be reached: {type(exc).__name__}") from exc
    if answer.status_code != 200:
        raise NotFound(f"the tile source answered HTTP {answer.status_code}")
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "image/png"),
        headers={"cache-control": "private, max-age=3600"},
    )


labels.register(
    "cap.msg_type",
    {
        "Alert": N_("Alert"),
        "Update": N_("Update"),
        "Cancel": N_("Cancellation"),
        "Ack": N_("Acknowledgement"),
        "Error": N_("Error"),
    },
)
labels.register(
    "cap.status",
    {
        "Actual": N_("Actual"),
        "Exercise": N_("Exercise"),
        "System": N_("System"),
        "Test": N_("Test"),
        "Draft": N_("Draft"),
    },
)
labels.register(
    "cap.severity",
    {
        "Extreme": N_("Extreme"),
        "Severe": N_("Severe"),
        "Moderate": N_("Moderate"),
        "Minor": N_("Minor"),
        "Unknown": N_("Unknown"),
    },
)
MESSAGE_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("id", lambda m: m.id),
    listkit.Column("sent", lambda m: m.sent.isoformat()),
    listkit.Column("msg_type", lambda m: m.msg_type),
    listkit.Column("status", lambda m: m.status),
    listkit.Column("severity", lambda m: m.severity),
    listkit.Column("sender", lambda m: m.sender),
    listkit.Column("origin", lambda m: m.origin),
    listkit.Column("thread", lambda m: m.thread),
    listkit.Column("headline", lambda m: m.headline_in(current_locale())),
)


def _messages(request: Request, session: Session, principal: Principal) -> Response:
    query = listkit.ListQuery.of(request, "msg_type")
    rows = store.search(
        session,
        node_of(request),
        principal,
        text=query.q,
        msg_type=query.get("msg_type"),
        limit=5000,
    )
    if query.wants_csv or request.url.path.endswith(".csv"):
        return listkit.csv_response("crisis-messages.csv", MESSAGE_CSV, rows)
    return render(
        request,
        "crisis/messages.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "filters": [("msg_type", N_("Type"), labels.options("cap.msg_type"))],
        },
    )


@router.get("/messages")
def messages_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    return _messages(request, session, principal)


@router.get("/messages.csv")
def messages_export(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    """The list's export under its former address (same as ``/crisis/messages?format=csv``)."""
    return _messages(request, session, principal)


@router.get("/m/{message_id}")
def message_page(
    request: Request, message_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    node = node_of(request)
    row = store.get(session, node, principal, message_id)
    recipients = [
        (r, exchange.delivery_status(session, r), exchange.delivery_detail(session, r))
        for r in acks.recipients(session, row.id)
    ]
    sent_to = {r.peer for r, _, _ in recipients}
    peers = [p.code for p in federation.peer_status(session) if p.code not in sent_to]
    return render(
        request,
        "crisis/message.html",
        {
            "m": row,
            "parsed": cap.parse(row.xml.encode()),
            "recipients": recipients,
            "peers": peers,
            "thread": store.search(session, node, principal, thread=row.thread),
            "peer_of": issue.peer_of(row),
            "sent": request.query_params.get("sent"),
        },
    )


@router.post("/m/{message_id}/send")
async def send_page(
    request: Request,
    message_id: str,
    peer: Annotated[list[str] | None, Form()] = None,
    principal: Principal = require(*USERS),
) -> Response:
    if not peer:
        raise ValidationFailed("choose at least one crisis centre to send to", field="peer")
    await exchange.send_now(
        node_of(request), principal, message_id, peer, client=exchange.client_of(request.app)
    )
    return flash.redirect(f"/crisis/m/{message_id}?sent=1", "Message sent.")


@router.post("/m/{message_id}/ack")
async def ack_page(
    request: Request,
    message_id: str,
    note: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    result = await exchange.acknowledge_now(
        node_of(request), principal, message_id, note=note, client=exchange.client_of(request.app)
    )
    return flash.redirect(f"/crisis/m/{result.ack_id}", "Acknowledgement sent.")


def _form_context(values: dict[str, Any], error: str = "") -> dict[str, Any]:
    return {
        "v": values,
        "error": error,
        "categories": rules.CATEGORIES,
        "urgencies": rules.URGENCIES,
        "severities": rules.SEVERITIES,
        "certainties": rules.CERTAINTIES,
        "statuses": rules.STATUSES,
        "languages": rules.LANGUAGES,
    }


@router.get("/new")
def new_page(
    request: Request,
    session: DbSession,
    msg_type: str = "Alert",
    ref: str = "",
    principal: Principal = require(*USERS),
) -> Response:
    values: dict[str, Any] = {"msg_type": msg_type if msg_type in rules.ISSUED_TYPES else "Alert"}
    if ref:
        earlier = store.get(session, node_of(request), principal, ref)
        values.update(
            ref=earlier.id,
            event=earlier.event,
            severity=earlier.severity,
            headline_en=earlier.headline,
        )
    return render(request, "crisis/form.html", _form_context(values))


def _polygon(text: str) -> list[tuple[float, float]]:
    points = []
    for pair in text.split():
        lat, _, lon = pair.partition(",")
        points.append((float(lat), float(lon)))
    return points


def _circle(text: str) -> CircleIn:
    centre, _, radius = text.strip().partition(" ")
    lat, _, lon = centre.partition(",")
    return CircleIn(lat=float(lat), lon=float(lon), radius_km=float(radius))


def _cap_in(form: dict[str, str]) -> CapIn:
    infos = [
        InfoText(
            language=code,
            headline=form.get(f"headline_{code}", "").strip(),
            description=form.get(f"description_{code}", "").strip(),
            instruction=form.get(f"instruction_{code}", "").strip(),
        )
        for code in rules.LANGUAGES
        if form.get(f"headline_{code}", "").strip()
    ]
    areas = []
    if form.get("area_desc", "").strip():
        try:
            areas.append(
                AreaIn(
                    desc=form["area_desc"].strip(),
                    polygons=[
                        _polygon(p) for p in form.get("polygon", "").splitlines() if p.strip()
                    ],
                    circles=[_circle(c) for c in form.get("circle", "").splitlines() if c.strip()],
                )
            )
        except ValueError as exc:
            raise ValidationFailed(
                f"area: polygons are 'lat,lon lat,lon …', circles 'lat,lon radius_km'; {exc}",
                field="area",
            ) from None
    return CapIn(
        msg_type=form.get("msg_type", "Alert"),
        status=form.get("status", "Actual"),
        references=[form["ref"]] if form.get("ref") else [],
        category=[form.get("category", "Safety")],
        event=form.get("event", "").strip(),
        urgency=form.get("urgency", "Unknown"),
        severity=form.get("severity", "Unknown"),
        certainty=form.get("certainty", "Unknown"),
        expires=form.get("expires") or None,
        infos=infos,
        areas=areas,
        names_people=form.get("names_people") == "on",
    )


@router.post("/new")
async def create_page(request: Request, principal: Principal = require(*USERS)) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    node = node_of(request)
    try:
        data = _cap_in(form)

        def act() -> str:
            with node.session() as session:
                return issue.create(session, node, principal, data).id

        message_id = await run_in_threadpool(act)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "form"
        return render(
            request, "crisis/form.html", _form_context(form, f"{where}: {first['msg']}"), 422
        )
    except PasserelleError as exc:
        return render(request, "crisis/form.html", _form_context(form, exc.message), exc.status)
    return flash.redirect(f"/crisis/m/{message_id}", "CAP alert created.")


@router.get("/import")
def import_page(request: Request, principal: Principal = require(*USERS)) -> Response:
    return render(request, "crisis/import.html", {"outcomes": None})


@router.post("/import")
async def import_post(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    url: Annotated[str, Form()] = "",
    principal: Principal = require(*USERS),
) -> Response:
    node = node_of(request)
    try:
        if url.strip():
            outcomes = await run_in_threadpool(feeds.fetch_url, node, principal, url.strip())
        elif file is not None and file.filename:
            raw = await file.read(rules.MAX_CAP_BYTES * 20 + 1)
            name = file.filename[:200]

            def act() -> list[feeds.Outcome]:
                with node.session() as session:
                    return feeds.import_bytes(session, node, raw, source=name, by=principal.name)[0]

            outcomes = await run_in_threadpool(act)
        else:
            raise ValidationFailed("choose a CAP file or give a feed URL", field="file")
    except PasserelleError as exc:
        return render(
            request, "crisis/import.html", {"outcomes": None, "error": exc.message}, exc.status
        )
    return render(request, "crisis/import.html", {"outcomes": outcomes})


@router.get("/quarantine")
def quarantine_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    rows = store.quarantined(session, node_of(request), principal)
    return render(request, "crisis/quarantine.html", {"rows": rows})


@router.get("/quarantine/{entry_id}")
def quarantine_raw(
    request: Request, entry_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    row = store.quarantined_one(session, node_of(request), principal, entry_id)
    return Response(
        row.raw,
        media_type="text/plain; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{row.id}.xml"'},
    )
