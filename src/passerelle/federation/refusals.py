"""Auditing refused messages and replies, bounded in size and rate.

Anyone can post to the inbox, so what a refusal writes to the audit log must not grow with
what the caller sends: nothing unverified is logged but a key id of the accepted form, reasons
are cut to ``rules.REFUSAL_REASON_MAX_CHARS``, and each source (remote address, or the peer
for a refused reply) gets at most ``rules.REFUSAL_AUDIT_PER_WINDOW`` full entries per error
code and window. Further refusals are counted; one summary entry gives their number once the
window has passed (written with the next refusal this node audits, or when the limiter must
drop the source to stay within ``rules.REFUSAL_SOURCES_TRACKED``).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from passerelle.errors import PasserelleError
from passerelle.federation import rules
from passerelle.node import Node
from passerelle.privacy import audit

_KEYID = re.compile(rules.KEYID_PATTERN)
_STATE_KEY = "federation.refusals"
PURPOSE = "node-to-node exchange"
LEGAL_BASIS = "federation protocol (RFC 9421)"


def loggable_keyid(keyid: str) -> str:
    """``keyid`` if it has the form of a node code, else "" (never log what a caller made up)."""
    return keyid if _KEYID.match(keyid) else ""


@dataclass
class _Window:
    start: datetime
    audited: int = 0
    suppressed: int = 0


@dataclass(frozen=True)
class Summary:
    source: str
    error: str
    suppressed: int
    start: datetime
    end: datetime


class Limiter:
    """Counts refusals per (source, error code) in fixed windows; thread-safe."""

    def __init__(
        self,
        *,
        per_window: int = rules.REFUSAL_AUDIT_PER_WINDOW,
        window: timedelta = rules.REFUSAL_AUDIT_WINDOW,
        max_sources: int = rules.REFUSAL_SOURCES_TRACKED,
    ) -> None:
        self.per_window, self.window, self.max_sources = per_window, window, max_sources
        self._windows: OrderedDict[tuple[str, str], _Window] = OrderedDict()
        self._lock = threading.Lock()

    def _close(self, key: tuple[str, str], slot: _Window, end: datetime) -> Summary | None:
        if not slot.suppressed:
            return None
        return Summary(key[0], key[1], slot.suppressed, slot.start, end)

    def admit(self, source: str, error: str, now: datetime) -> tuple[bool, list[Summary]]:
        """Whether this refusal is audited in full, and the summaries now due."""
        summaries: list[Summary] = []
        key = (source, error)
        with self._lock:
            for other, old in list(self._windows.items()):
                if now - old.start >= self.window:
                    del self._windows[other]
                    closed = self._close(other, old, old.start + self.window)
                    if closed:
                        summaries.append(closed)
            slot = self._windows.get(key)
            if slot is None:
                while len(self._windows) >= self.max_sources:
                    oldest, dropped = self._windows.popitem(last=False)
                    closed = self._close(oldest, dropped, now)
                    if closed:
                        summaries.append(closed)
                slot = self._windows[key] = _Window(start=now)
            if slot.audited < self.per_window:
                slot.audited += 1
                return True, summaries
            slot.suppressed += 1
            return False, summaries


def limiter_of(node: Node) -> Limiter:
    limiter = node.state.get(_STATE_KEY)
    if not isinstance(limiter, Limiter):
        limiter = node.state.setdefault(_STATE_KEY, Limiter())
    assert isinstance(limiter, Limiter)
    return limiter


def record(
    node: Node,
    error: PasserelleError,
    *,
    source: str,
    signer: str = "",
    claimed_keyid: str = "",
    message_id: str = "-",
    what: str = "message",
) -> bool:
    """Audit a refusal (if the limiter admits it); returns whether a full entry was written.

    ``signer`` is a verified peer (the refusal comes after its signature checked), else the
    entry's actor is ``peer:unverified`` and ``claimed_keyid`` is kept only if well-formed.
    """
    admitted, summaries = limiter_of(node).admit(source[:64], error.code, node.clock.now())
    if not admitted and not summaries:
        return False
    with node.session() as session:
        for summary in summaries:
            node.audit(
                session,
                audit.Actor("peer:unverified", "unknown"),
                action="refuse",
                object_type="federation.message",
                object_id="-",
                purpose=PURPOSE,
                legal_basis=LEGAL_BASIS,
                outcome="rate-limited",
                details={
                    "source": summary.source,
                    "error": summary.error,
                    "refusals_not_logged": summary.suppressed,
                    "from": summary.start.isoformat(),
                    "to": summary.end.isoformat(),
                },
            )
        if admitted:
            details: dict[str, Any] = {
                "status": error.status,
                "error": error.code,
                "reason": error.message[: rules.REFUSAL_REASON_MAX_CHARS],
                "source": source[:64],
                "refused": what,
            }
            keyid = loggable_keyid(claimed_keyid)
            if not signer and keyid:
                details["claimed_keyid"] = keyid
            node.audit(
                session,
                audit.Actor(f"peer:{signer}", signer)
                if signer
                else audit.Actor("peer:unverified", "unknown"),
                action="refuse",
                object_type="federation.message",
                object_id=message_id[:64],
                purpose=PURPOSE,
                legal_basis=LEGAL_BASIS,
                outcome="denied",
                details=details,
            )
    return admitted
