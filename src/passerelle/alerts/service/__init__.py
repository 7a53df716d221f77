"""The alerts services, one module per concept: ``register`` (alerts and the live watchlist),
``sharing`` (alerts shared with peers), ``hits`` (checks, hit reports, answers), ``criteria``
(the harmonised catalogue), ``detainees`` (follow-up and release calendar), ``ics`` (iCalendar),
``returnees``, ``feeds`` (calendar feed tokens), ``retention`` and ``exchange`` (messages)."""

from passerelle.alerts.service import (
    criteria,
    detainees,
    exchange,
    feeds,
    hits,
    ics,
    register,
    retention,
    returnees,
    sharing,
)

__all__ = [
    "criteria",
    "detainees",
    "exchange",
    "feeds",
    "hits",
    "ics",
    "register",
    "retention",
    "returnees",
    "sharing",
]
