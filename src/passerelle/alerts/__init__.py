"""Alerts: SIS-style person alerts published as the node's ``alerts`` watchlist, hit reports to
the issuing node, the harmonised criteria catalogue, the release calendar of detainees in
scope ("les sortants") and returnees (foreign terrorist fighters and minors).

Other packages screen against the alerts through ``passerelle.identity`` (list ``alerts``);
they never import this package. The CLI, the API and the demo use the names below, imported on
first use (PEP 562) so that ``passerelle alerts --help`` stays fast. The federation message
types (``alerts.alert``, ``alerts.withdrawal``, ``alerts.hit_report``, ``alerts.hit_answer``,
``alerts.catalogue``, ``alerts.release_notice``) are registered by :mod:`passerelle.alerts.plugin`,
which every node loads when it opens.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passerelle.alerts.service.ics import calendar as ics_calendar
    from passerelle.alerts.service.register import LIST_NAME, load_watchlist

__all__ = ["LIST_NAME", "ics_calendar", "load_watchlist"]

_LAZY = {
    "ics_calendar": ("passerelle.alerts.service.ics", "calendar"),
    "LIST_NAME": ("passerelle.alerts.service.register", "LIST_NAME"),
    "load_watchlist": ("passerelle.alerts.service.register", "load_watchlist"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
