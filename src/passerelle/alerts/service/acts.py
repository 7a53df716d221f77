"""Acts that tell peers, for the API and the console alike: the act and its messages commit in
one transaction, then delivery is attempted for what the sharing policies let go at once
(the rest waits for a supervisor, or for federation's delivery worker)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy.orm import Session

from passerelle.alerts.model import Alert, CatalogueVersion, HitReport, Release
from passerelle.alerts.schemas import HitReportIn
from passerelle.alerts.service import criteria, exchange, hits, notices, sharing
from passerelle.federation import DeliveryState
from passerelle.node import Node
from passerelle.privacy import Principal


async def alert(
    node: Node, client: httpx.AsyncClient, principal: Principal, act: Callable[[Session], Alert]
) -> str:
    """Create, change, review or withdraw an alert and share its new state; its id."""

    def run(s: Session) -> tuple[str, list[DeliveryState]]:
        row = act(s)
        return row.id, sharing.share(s, node, principal, row)

    alert_id, sent = await exchange.run_in_session(node, run)
    await exchange.deliver(node, client, sent)
    return alert_id


async def report_hit(
    node: Node, client: httpx.AsyncClient, principal: Principal, data: HitReportIn
) -> str:
    """Record a confirmed hit and send the report to the issuing node; the report's id."""

    def run(s: Session) -> tuple[str, list[DeliveryState]]:
        row = hits.report(s, node, principal, data)
        return row.id, hits.send_report(s, node, principal, row)

    report_id, sent = await exchange.run_in_session(node, run)
    await exchange.deliver(node, client, sent)
    return report_id


async def answer_hit(
    node: Node, client: httpx.AsyncClient, principal: Principal, report_id: str, text: str
) -> None:
    """Answer a received hit report and send the answer back."""

    def run(s: Session) -> list[DeliveryState]:
        row: HitReport = hits.answer(s, node, principal, report_id, text)
        return hits.send_answer(s, node, principal, row)

    await exchange.deliver(node, client, await exchange.run_in_session(node, run))


async def publish_catalogue(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    act: Callable[[Session], CatalogueVersion],
) -> None:
    """Publish a catalogue version and send it to the peers."""

    def run(s: Session) -> list[DeliveryState]:
        return criteria.send(s, node, principal, act(s))

    await exchange.deliver(node, client, await exchange.run_in_session(node, run))


async def plan_release(
    node: Node, client: httpx.AsyncClient, principal: Principal, act: Callable[[Session], Release]
) -> str:
    """Plan a release and notify the peers the detainee has links with; the release's id."""

    def run(s: Session) -> tuple[str, list[DeliveryState]]:
        release = act(s)
        s.flush()
        return release.id, notices.notify_release(s, node, principal, release.id)

    release_id, sent = await exchange.run_in_session(node, run)
    await exchange.deliver(node, client, sent)
    return release_id
