"""Alerts: SIS-style person alerts published as the node's ``alerts`` watchlist, hit reports to
the issuing node, the harmonised criteria catalogue, the release calendar of detainees in
scope ("les sortants") and returnees (foreign terrorist fighters and minors).

Other packages screen against the alerts through ``passerelle.identity`` (list ``alerts``);
they never import this package. The CLI, the API and the demo use the names below.
"""

from passerelle.alerts.service.exchange import register_kinds
from passerelle.alerts.service.hooks import after_commit
from passerelle.alerts.service.ics import calendar as ics_calendar
from passerelle.alerts.service.register import LIST_NAME, load_watchlist

__all__ = ["LIST_NAME", "after_commit", "ics_calendar", "load_watchlist", "register_kinds"]
