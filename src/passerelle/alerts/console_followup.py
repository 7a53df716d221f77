"""Console pages of the alerts domain that users work through as lists: hit reports (list,
detail with every art. 37(1) field, CSV), the release calendar (month grid, agenda, CSV, feed
subscription) and a detainee's page. Built on the web list kit (search, filters, pages, CSV)."""

from __future__ import annotations

import calendar as month_grid
from dataclasses import dataclass
from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.schemas import HitReportOut, ReleaseOut, StepOut
from passerelle.alerts.service import detainees, feeds, hits
from passerelle.errors import MalformedInput
from passerelle.kit import labels, listkit
from passerelle.kit.i18n import N_
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/alerts", include_in_schema=False)
USERS = ("analyst", "supervisor")

#: The art. 37(1) fields of a hit report in the order the regulation lists them.
labels.register(
    "hit_report.field",
    {
        "located": N_("Person located (art. 37(1)(a))"),
        "place": N_("Place of the check (art. 37(1)(b))"),
        "checked_at": N_("Time of the check (art. 37(1)(b))"),
        "reason_of_check": N_("Reason for the check (art. 37(1)(b))"),
        "route": N_("Route of the journey (art. 37(1)(c))"),
        "destination": N_("Destination (art. 37(1)(c))"),
        "companions": N_("Accompanying persons or vehicle occupants (art. 37(1)(d))"),
        "document_user": N_("Person using the alerted document (art. 37(1)(e))"),
        "vehicle": N_("Vehicle or means used (art. 37(1)(f))"),
        "objects": N_("Objects carried (art. 37(1)(g))"),
        "circumstances": N_("Circumstances (art. 37(1)(h))"),
        "answers": N_("Other information sought by the issuing country (art. 37(1)(i))"),
    },
)
assert set(labels.labels_of("hit_report.field")) == set(rules.HIT_REPORT_FIELDS)
labels.register(
    "hit_report.source",
    {"pnr": N_("passenger data"), "border": N_("border check"), "police": N_("police check")}
    | {"api": N_("system-to-system")},
)
labels.register(
    "release.kind",
    {code: text for code, text in rules.RELEASE_KINDS.items()},
)
labels.register("release.step", {code: text for code, (text, _) in rules.RELEASE_STEPS.items()})
labels.register("criteria.fact", dict(rules.KNOWN_FACTS))
labels.register("detainee.scope", dict(rules.DETAINEE_SCOPES))
labels.register("step.state", {"done": N_("done"), "overdue": N_("overdue"), "due": N_("due")})


# ---- hit reports ----------------------------------------------------------------------------

HIT_FILTERS = ("direction", "state")


def _content(name: str) -> listkit.Column[HitReportOut]:
    return listkit.Column(name, lambda r: r.content.get(name, ""))


HIT_CSV: tuple[listkit.Column[HitReportOut], ...] = (
    listkit.Column("id", lambda r: r.id),
    listkit.Column("direction", lambda r: r.direction),
    listkit.Column("alert", lambda r: r.alert_reference),
    listkit.Column("issuing_country", lambda r: r.issuing_node),
    listkit.Column("executing_country", lambda r: r.executing_node),
    listkit.Column("received_or_sent_at", lambda r: r.created_at.isoformat()),
    *(_content(name) for name in rules.HIT_REPORT_FIELDS if name != "answers"),
    listkit.Column("answer_due_at", lambda r: r.answer_due_at.isoformat()),
    listkit.Column("answered_at", lambda r: r.answered_at.isoformat() if r.answered_at else ""),
    listkit.Column("answer", lambda r: r.answer or ""),
)


def _state(r: HitReportOut) -> str:
    return "answered" if r.answered_at else ("overdue" if r.overdue else "open")


labels.register(
    "hit_report.state",
    {"open": N_("to answer"), "overdue": N_("overdue"), "answered": N_("answered")},
)


@router.get("/hits")
def hits_page(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    node = node_of(request)
    query = listkit.ListQuery.of(request, *HIT_FILTERS)
    now = node.clock.now()
    rows = [
        r
        for r in (
            hits.to_out(row, now)
            for row in hits.listing(session, node, principal, direction=query.get("direction"))
        )
        if listkit.text_matches(
            query.q, r.alert_reference, r.executing_node, r.issuing_node, *r.content.values()
        )
        and query.get("state") in ("", _state(r))
    ]
    if query.wants_csv:
        return listkit.csv_response("hit-reports.csv", HIT_CSV, rows)
    return render(
        request,
        "alerts/hits.html",
        {
            "page": listkit.paginate(rows, query),
            "query": query,
            "states": {r.id: _state(r) for r in rows},
            "filters": [
                (
                    "direction",
                    N_("Direction"),
                    [(k, labels.label("direction", k)) for k in ("in", "out")],
                ),
                ("state", N_("State"), labels.options("hit_report.state")),
            ],
        },
    )


@router.get("/hits/{report_id}")
def hit_page(
    request: Request, report_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    node = node_of(request)
    report = hits.to_out(hits.read(session, node, principal, report_id), node.clock.now())
    fields = [
        (name, report.content[name])
        for name in rules.HIT_REPORT_FIELDS
        if report.content.get(name) not in (None, "", [], {})
    ]
    return render(
        request, "alerts/hit.html", {"r": report, "fields": fields, "state": _state(report)}
    )


# ---- release calendar -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """One day's entry of the agenda: a release or one of its preparation steps."""

    day: date
    release: ReleaseOut
    step: StepOut | None

    @property
    def what(self) -> str:
        if self.step is None:
            return labels.label("release.kind", self.release.kind)
        return labels.label("release.step", self.step.step)

    @property
    def state(self) -> str:
        if self.step is None:
            return ""
        return "done" if self.step.done_at else ("overdue" if self.step.overdue else "due")


CALENDAR_FILTERS = ("kind", "view", "month", "scope")
CALENDAR_CSV: tuple[listkit.Column[AgendaItem], ...] = (
    listkit.Column("date", lambda i: i.day.isoformat()),
    listkit.Column("entry", lambda i: i.step.step if i.step else "release"),
    listkit.Column("release_kind", lambda i: i.release.kind),
    listkit.Column("release_date", lambda i: i.release.release_date.isoformat()),
    listkit.Column("detainee", lambda i: i.release.detainee_name),
    listkit.Column("institution", lambda i: i.release.institution),
    listkit.Column("followed_by", lambda i: i.release.origin),
    listkit.Column("state", lambda i: i.state),
)


def _agenda(releases: list[ReleaseOut]) -> list[AgendaItem]:
    items = [AgendaItem(r.release_date, r, None) for r in releases]
    items += [AgendaItem(s.due_date, r, s) for r in releases for s in r.steps]
    return sorted(items, key=lambda i: (i.day, i.step is not None, i.release.detainee_name))


def _month(value: str, today: date) -> date:
    if not value:
        return today.replace(day=1)
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise MalformedInput(f"month: not a month: {value[:20]!r}; expected YYYY-MM") from None


MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


@router.get("/calendar")
def calendar_page(
    request: Request,
    session: DbSession,
    principal: Principal = require(*USERS),
) -> Response:
    return _calendar(request, session, principal)


def _calendar(
    request: Request, session: Session, principal: Principal, feed_url: str = ""
) -> Response:
    node = node_of(request)
    query = listkit.ListQuery.of(request, *CALENDAR_FILTERS)
    today = node.clock.now().date()
    first = _month(query.get("month"), today)
    releases = [
        r
        for r in detainees.calendar(session, node, principal)
        if query.get("kind") in ("", r.kind)
        and listkit.text_matches(query.q, r.detainee_name, r.institution, r.origin)
    ]
    agenda = _agenda(releases)
    if query.wants_csv:
        return listkit.csv_response("release-calendar.csv", CALENDAR_CSV, agenda)
    weeks = month_grid.Calendar().monthdatescalendar(first.year, first.month)
    by_day: dict[date, list[AgendaItem]] = {}
    for item in agenda:
        by_day.setdefault(item.day, []).append(item)
    view = "agenda" if query.get("view") == "agenda" else "month"
    upcoming = [i for i in agenda if i.day >= today or i.state == "overdue"]
    return render(
        request,
        "alerts/calendar.html",
        {
            "view": view,
            "weeks": weeks,
            "by_day": by_day,
            "first": first,
            "today": today,
            "prev": (first - timedelta(days=1)).strftime("%Y-%m"),
            "next": (weeks[-1][-1] + timedelta(days=1)).strftime("%Y-%m"),
            "query": query,
            "page": listkit.paginate(upcoming, query),
            "filters": [("kind", N_("Kind"), labels.options("release.kind"))],
            "feed_url": feed_url,
            "month_name": MONTHS[first.month - 1],
            "weekdays": [
                N_("Mon"),
                N_("Tue"),
                N_("Wed"),
                N_("Thu"),
                N_("Fri"),
                N_("Sat"),
                N_("Sun"),
            ],
        },
    )


@router.post("/calendar/subscribe")
def calendar_subscribe(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    """A personal feed URL for a calendar application, shown once (earlier ones stop)."""
    node = node_of(request)
    raw = feeds.issue(session, node, principal)
    url = f"{node.settings.public_url}/api/v1/release-calendar/feed.ics?token={raw}"
    return _calendar(request, session, principal, feed_url=url)


# ---- detainees ------------------------------------------------------------------------------


@router.get("/detainees/{detainee_id}")
def detainee_page(
    request: Request, detainee_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    node = node_of(request)
    detainee = detainees.detail(session, node, principal, detainee_id)
    return render(request, "alerts/detainee.html", {"d": detainee})


__all__ = ["router"]
