"""REST API of the financing domain under /api/v1/financing. FIU role only; routes are thin:
validate, call a service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from passerelle.errors import PayloadTooLarge
from passerelle.financing import rules
from passerelle.financing.model import Finding
from passerelle.financing.schemas import DecisionIn, FindingOut, ReportIn, ReportOut
from passerelle.financing.service import analysis, crypto, exchange, reports
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import Principal, require

FIU = ("fiu",)
router = APIRouter(prefix="/api/v1/financing", tags=["financing"])
Limit = Annotated[int, Field(ge=1, le=500)]
Offset = Annotated[int, Field(ge=0, le=2_147_483_647)]
MAX_FILTER_BYTES = 64 * 1024 * 1024


def finding_out(row: Finding) -> FindingOut:
    rule = rules.FLOW_RULES[row.rule]
    return FindingOut(
        id=row.id,
        rule=row.rule,
        label=rule.label,
        source=rule.source,
        explanation=row.explanation,
        edges=row.edges,
        status=row.status,
        decided_by=row.decided_by,
    )


@router.post("/reports", status_code=201)
def create_report(
    request: Request, body: ReportIn, session: DbSession, principal: Principal = require(*FIU)
) -> dict[str, str]:
    """Store one report entered by hand (the console's form posts the same shape)."""
    row = reports.store_new(session, node_of(request), principal, body, "console")
    return {"id": row.id}


@router.get("/reports")
def list_reports(
    request: Request,
    session: DbSession,
    limit: Limit = 50,
    offset: Offset = 0,
    principal: Principal = require(*FIU),
) -> list[dict[str, str]]:
    """Reports, newest first (reference, reporting entity, date)."""
    rows = reports.list_reports(session, node_of(request), principal, limit=limit, offset=offset)
    return [
        {"id": r.id, "reference": r.reference, "reporting_entity": r.reporting_entity,
         "submitted_on": r.submitted_on, "source": r.source}
        for r in rows
    ]  # fmt: skip


@router.get("/reports/{report_id}")
def get_report(
    request: Request, report_id: str, session: DbSession, principal: Principal = require(*FIU)
) -> ReportOut:
    return reports.get_report(session, node_of(request), principal, report_id)


@router.post("/analyse")
def analyse(
    request: Request, session: DbSession, principal: Principal = require(*FIU)
) -> list[FindingOut]:
    """Run the money-flow rules; the new findings."""
    return [finding_out(f) for f in analysis.analyse(session, node_of(request), principal)]


@router.get("/findings")
def list_findings(
    request: Request,
    session: DbSession,
    status: str = "",
    limit: Limit = 50,
    offset: Offset = 0,
    principal: Principal = require(*FIU),
) -> list[FindingOut]:
    rows = analysis.list_findings(
        session, node_of(request), principal, status=status, limit=limit, offset=offset
    )
    return [finding_out(f) for f in rows]


@router.get("/findings/{finding_id}")
def get_finding(
    request: Request, finding_id: str, session: DbSession, principal: Principal = require(*FIU)
) -> FindingOut:
    return finding_out(analysis.get_finding(session, node_of(request), principal, finding_id))


@router.post("/findings/{finding_id}/decision")
def decide(
    request: Request,
    finding_id: str,
    body: DecisionIn,
    session: DbSession,
    principal: Principal = require(*FIU),
) -> FindingOut:
    """The analyst confirms or dismisses a finding (once)."""
    row = analysis.decide(session, node_of(request), principal, finding_id, body.decision)
    return finding_out(row)


@router.get("/addresses/{address}")
def check_address(address: str, principal: Principal = require(*FIU)) -> dict[str, str]:
    """Format and checksum of a crypto-asset address; 422 naming the reason when invalid."""
    found = crypto.validate(address)
    return {"chain": found.chain, "kind": found.kind, "canonical": found.canonical}


class FollowupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peer: str = Field(pattern=r"^[A-Z]{2,8}$")
    filter_id: str = Field(pattern=r"^[0-9a-f]{64}$")
    row: int = Field(ge=0, le=10_000_000)
    score: float = Field(ge=0, le=1)
    party_id: str = Field(min_length=1, max_length=40)


@router.post("/filters/{peer}")
def publish_filter(
    request: Request, peer: str, session: DbSession, principal: Principal = require(*FIU)
) -> Response:
    """FILTER.bin of this FIU's subjects under the key shared with ``peer``."""
    data = exchange.publish(session, node_of(request), principal, peer)
    return Response(data, media_type="application/octet-stream")


@router.post("/filters/{peer}/match")
async def match_filter(
    request: Request, peer: str, principal: Principal = require(*FIU)
) -> list[dict[str, object]]:
    """Match this FIU's persons against ``peer``'s filter (the request body)."""
    body = await request.body()
    if len(body) > MAX_FILTER_BYTES:
        raise PayloadTooLarge(f"a filter is at most {MAX_FILTER_BYTES} bytes")
    node = node_of(request)

    def run() -> list[dict[str, object]]:
        with node.session() as session:
            return exchange.match(session, node, principal, peer, body)

    return await run_in_threadpool(run)


@router.post("/followups", status_code=201)
def request_followup(
    request: Request, body: FollowupIn, session: DbSession, principal: Principal = require(*FIU)
) -> dict[str, str]:
    """Ask the partner about a possible match (no name sent); the policy decides (approval)."""
    row = exchange.request_followup(
        session, node_of(request), principal, peer=body.peer, filter_id=body.filter_id,
        row=body.row, score=body.score, party_id=body.party_id,
    )  # fmt: skip
    return {"id": row.id, "message_id": row.message_id, "status": row.status}


@router.get("/followups")
def list_followups(
    request: Request, session: DbSession, principal: Principal = require(*FIU)
) -> list[dict[str, object]]:
    """Follow-up requests sent (``out``) and received (``in``, with the subject resolved)."""
    return [
        {"id": f.id, "direction": f.direction, "peer": f.peer, "row": f.row, "score": f.score,
         "subject": f.subject, "status": f.status}
        for f in exchange.followups(session, node_of(request), principal)
    ]  # fmt: skip


@router.get("/screening")
def screen_addresses(
    request: Request, session: DbSession, principal: Principal = require(*FIU)
) -> list[dict[str, str]]:
    """Crypto-asset addresses named in reports that are on a list this node holds."""
    return [
        {"report_id": party.report_id, "address": party.account, "chain": party.chain,
         "list": origin}
        for party, origin in analysis.screen_addresses(session, node_of(request), principal)
    ]  # fmt: skip
