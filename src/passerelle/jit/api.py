"""REST API of the JIT domain under /api/v1/jit: the workspace. Acts commit first, then the
workspace copies go to the other parties at once (federation delivers)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal, TypeVar

import httpx
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.errors import PasserelleError
from passerelle.jit import views
from passerelle.jit.schemas import (
    ActionIn,
    ActionOut,
    AmendIn,
    EvaluationIn,
    MemberIn,
    RedraftIn,
    StatementIn,
    StatementOut,
    TeamIn,
    TeamOut,
    VersionOut,
    WorkspaceOut,
)
from passerelle.jit.service import evidence, replicate, statements, teams, transfer
from passerelle.jit.service.common import get_team, trace
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.privacy import Principal, require

USERS = ("analyst", "supervisor")
T = TypeVar("T")
log = logging.getLogger("passerelle.jit")


def client_of(app: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=300.0))
        app.state.federation_client = client
    return client


async def fetch_pending(node: Node, client: httpx.AsyncClient) -> int:
    """Pull every announced item not yet here; a failure waits for the next round."""

    def pending() -> list[str]:
        with node.read_session() as session:
            return transfer.pending(session, node)

    ids = await run_in_threadpool(pending)
    done = 0
    for item in ids:
        try:
            messages = await transfer.fetch(node, client, item)
        except (PasserelleError, OSError) as exc:  # the next round resumes where it stopped
            log.warning("evidence %s not fetched yet: %s", item, exc)
            continue
        await federation.deliver_messages(node, client, messages)
        done += 1
    return done


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Pull announced evidence content while the server runs."""
    node: Node = app.state.node
    interval = node.settings.jit_fetch_poll_seconds

    async def loop() -> None:
        while True:
            await asyncio.sleep(interval)
            await fetch_pending(node, client_of(app))

    task = asyncio.create_task(loop()) if interval > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


router = APIRouter(prefix="/api/v1/jit", tags=["jit"], lifespan=lifespan)


async def act(request: Request, fn: Callable[[Session, Node], T]) -> T:
    """Run ``fn`` in one transaction, then deliver the workspace copies it queued."""
    node = node_of(request)

    def run() -> tuple[T, list[str]]:
        with node.session() as session:
            out = fn(session, node)
            return out, list(session.info.get(replicate.OUTBOX_KEY, []))

    out, ids = await run_in_threadpool(run)
    if ids:
        await federation.deliver_messages(node, client_of(request.app), ids)
    return out


@router.get("/teams")
def list_teams(
    session: DbSession,
    status: Literal["open", "closed"] | None = None,
    principal: Principal = require(*USERS),
) -> list[TeamOut]:
    """The JITs this node takes part in (no personal data: names of teams only)."""
    return [views.team_out(t) for t in teams.listing(session, status=status)]


@router.post("/teams", status_code=201)
async def open_team(
    request: Request, body: TeamIn, principal: Principal = require(*USERS)
) -> WorkspaceOut:
    """Open a JIT (this node a party) with the agreement as version 1; shared at once."""
    return await act(
        request,
        lambda s, n: views.workspace_out(s, teams.open_team(s, n, principal, body)),
    )


@router.get("/teams/{team}")
def read_team(
    request: Request, team: str, session: DbSession, principal: Principal = require(*USERS)
) -> WorkspaceOut:
    """The workspace: members, agreement versions, evidence with custody, statements, actions."""
    node = node_of(request)
    row = get_team(session, team)
    trace(session, node, principal, "read", "jit.team", row.id)
    return views.workspace_out(session, row)


@router.post("/teams/{team}/members", status_code=201)
async def add_member(
    request: Request, team: str, body: MemberIn, principal: Principal = require(*USERS)
) -> WorkspaceOut:
    """Add a member of this node's country (or a Eurojust/Europol participant)."""

    def fn(s: Session, n: Node) -> WorkspaceOut:
        teams.add_member(s, n, principal, team, body)
        return views.workspace_out(s, get_team(s, team))

    return await act(request, fn)


@router.post("/teams/{team}/agreement", status_code=201)
async def amend(
    request: Request, team: str, body: AmendIn, principal: Principal = require(*USERS)
) -> VersionOut:
    """Extend or amend the agreement: a new version; the earlier ones stay."""

    def fn(s: Session, n: Node) -> VersionOut:
        v = teams.amend(s, n, principal, team, body)
        return VersionOut(
            number=v.number,
            kind=v.kind,
            note=v.note,
            created_at=v.created_at,
            created_by=v.created_by,
            ends_on=str(v.terms.get("ends_on", "")),
        )

    return await act(request, fn)


@router.get("/teams/{team}/agreement.pdf")
def agreement_pdf(
    request: Request,
    team: str,
    session: DbSession,
    lang: Annotated[Literal["fr", "nl", "en"], Query()] = "en",
    principal: Principal = require(*USERS),
) -> Response:
    """The agreement (model agreement 2017/C 18/01) with its history, as PDF in FR/NL/EN."""
    row = get_team(session, team)
    trace(session, node_of(request), principal, "read", "jit.agreement", row.id)
    from passerelle.jit import pdf  # reportlab loads for the first PDF, not at start-up

    body = pdf.agreement_pdf(row, teams.versions(session, row.id), lang)
    name = f"{row.reference}-agreement-{lang}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/teams/{team}/actions", status_code=201)
async def add_action(
    request: Request, team: str, body: ActionIn, principal: Principal = require(*USERS)
) -> ActionOut:
    """Plan an action with its owner and deadline."""

    def fn(s: Session, n: Node) -> ActionOut:
        a = teams.add_action(s, n, principal, team, body)
        return ActionOut(
            id=a.id, title=a.title, owner=a.owner, country=a.country, due_on=a.due_on, done_at=None
        )

    return await act(request, fn)


@router.post("/actions/{action_id}/done")
async def complete_action(
    request: Request, action_id: str, principal: Principal = require(*USERS)
) -> ActionOut:
    """Mark an action done."""

    def fn(s: Session, n: Node) -> ActionOut:
        a = teams.complete_action(s, n, principal, action_id)
        return ActionOut(
            id=a.id,
            title=a.title,
            owner=a.owner,
            country=a.country,
            due_on=a.due_on,
            done_at=a.done_at,
        )

    return await act(request, fn)


def _statement_out(state: statements.State) -> StatementOut:
    return StatementOut(
        id=state.statement.id,
        title=state.statement.title,
        version=state.version.number,
        text=state.version.text,
        approvals=state.approved_by,
        publishable=state.publishable,
    )


@router.post("/teams/{team}/statements", status_code=201)
async def draft_statement(
    request: Request, team: str, body: StatementIn, principal: Principal = require(*USERS)
) -> StatementOut:
    """Draft a press statement (version 1); it needs every party's leader's approval."""

    def fn(s: Session, n: Node) -> StatementOut:
        row = statements.draft(s, n, principal, team, body)
        return _statement_out(statements.state(s, get_team(s, row.team_id), row))

    return await act(request, fn)


@router.post("/statements/{statement_id}/versions", status_code=201)
async def redraft_statement(
    request: Request, statement_id: str, body: RedraftIn, principal: Principal = require(*USERS)
) -> StatementOut:
    """A new version of the statement; earlier approvals do not carry over."""
    return await act(
        request,
        lambda s, n: _statement_out(statements.redraft(s, n, principal, statement_id, body.text)),
    )


class ApproveIn(BaseModel):
    version: int


@router.post("/statements/{statement_id}/approve")
async def approve_statement(
    request: Request, statement_id: str, body: ApproveIn, principal: Principal = require(*USERS)
) -> StatementOut:
    """A leader of this node's country approves the latest version."""
    return await act(
        request,
        lambda s, n: _statement_out(
            statements.approve(s, n, principal, statement_id, body.version)
        ),
    )


@router.post("/teams/{team}/close")
async def close_team(
    request: Request, team: str, body: EvaluationIn, principal: Principal = require("supervisor")
) -> TeamOut:
    """Close the JIT with its evaluation."""
    return await act(request, lambda s, n: views.team_out(teams.close(s, n, principal, team, body)))


@router.get("/evidence/{evidence_id}/content")
async def download(
    request: Request, evidence_id: str, principal: Principal = require(*USERS)
) -> FileResponse:
    """The evidence file (streamed); audited, and a signed 'downloaded' custody entry."""
    node = node_of(request)

    def run() -> tuple[str, str, list[str]]:
        with node.session() as session:
            item = evidence.download(session, node, principal, evidence_id)
            assert item.path is not None
            return item.path, item.filename, list(session.info.get(replicate.OUTBOX_KEY, []))

    path, name, ids = await run_in_threadpool(run)
    if ids:
        await federation.deliver_messages(node, client_of(request.app), ids)
    return FileResponse(path, filename=name, media_type="application/octet-stream")


@router.get("/evidence/{evidence_id}/custody")
def custody_report(
    request: Request, evidence_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> dict[str, Any]:
    """The chain-of-custody report (JSON) that ``passerelle jit evidence verify`` checks."""
    return evidence.report(session, node_of(request), principal, evidence_id)


@router.get("/evidence/{evidence_id}/custody.pdf")
def custody_pdf(
    request: Request, evidence_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    """The chain-of-custody report as PDF."""
    data = evidence.report(session, node_of(request), principal, evidence_id)
    from passerelle.jit import pdf

    return Response(pdf.custody_pdf(data), media_type="application/pdf")


@router.post("/evidence/{evidence_id}/fetch")
async def fetch(
    request: Request, evidence_id: str, principal: Principal = require(*USERS)
) -> dict[str, Any]:
    """Pull (or resume pulling) the content from the uploading node now, and verify it."""
    node = node_of(request)
    client = client_of(request.app)
    ids = await transfer.fetch(node, client, evidence_id)
    await federation.deliver_messages(node, client, ids)
    return {"id": evidence_id, "status": "received"}
