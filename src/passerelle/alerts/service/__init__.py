"""The alerts services, one module per concept: ``register`` (alerts and the live watchlist),
``sharing`` (alerts shared with peers), ``hits`` (checks, hit reports, answers), ``criteria``
(the harmonised catalogue), ``detainees`` (follow-up and release calendar), ``notices``
(releases told to peers), ``ics`` (iCalendar), ``returnees``, ``feeds`` (calendar feed
tokens), ``retention`` and ``exchange`` (messages). Importing this package registers the
receivers of every alerts message."""

from passerelle.alerts.service import (
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
