"""The alerts services, one module per concept: ``register`` (alerts and the live watchlist),
``sharing`` (alerts shared with peers), ``hits`` (checks, hit reports, answers), ``criteria``
(the harmonised catalogue), ``detainees`` (follow-up and release calendar), ``notices``
(releases told to peers), ``ics`` (iCalendar), ``returnees``, ``feeds`` (calendar feed
tokens), ``retention``, ``checks`` (who checked whom, by keyed hash), ``exchange`` (message
types) and ``acts`` (acts that tell peers). Importing this package registers the
receivers of every alerts message."""

from passerelle.alerts.service import (
    acts,
    checks,
    criteria,
    detainees,
    exchange,
    feeds,
    hits,
    ics,
    notices,
    register,
    retention,
    returnees,
    sharing,
)

__all__ = [
    "acts",
    "checks",
    "criteria",
    "detainees",
    "exchange",
    "feeds",
    "hits",
    "ics",
    "notices",
    "register",
    "retention",
    "returnees",
    "sharing",
]
