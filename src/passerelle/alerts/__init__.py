"""Alerts: SIS-style person alerts published as the node's ``alerts`` watchlist, hit reports to
the issuing node, the harmonised criteria catalogue, the release calendar of detainees in
scope ("les sortants") and returnees (foreign terrorist fighters and minors).

Other packages screen against the alerts through ``passerelle.identity`` (list ``alerts``);
they never import this package. The CLI, the API and the demo use the names below. Importing
the package registers its federation message types (``alerts.alert``, ``alerts.withdrawal``,
``alerts.hit_report``, ``alerts.hit_answer``, ``alerts.catalogue``, ``alerts.release_notice``).
"""

from passerelle.alerts.service.ics import calendar as ics_calendar
from passerelle.alerts.service.register import LIST_NAME, load_watchlist

__all__ = ["LIST_NAME", "ics_calendar", "load_watchlist"]
