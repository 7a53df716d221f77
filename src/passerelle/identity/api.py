"""``POST /api/v1/identity/screen``: one record against the node's watchlists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from passerelle.identity.rules import DEFAULT_THRESHOLD
from passerelle.identity.schemas import PersonRecord
from passerelle.identity.watchlists import node_watchlists
from passerelle.kit.web import DbSession
from passerelle.node import Node
from passerelle.privacy import Access, Principal, require

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])


class ScreenIn(BaseModel):
    id: str = Field(min_length=1, max_length=200, description="Your reference for the record.")
    full_name: str | None = Field(default=None, max_length=1000)
    given_names: str | None = Field(default=None, max_length=500)
    family_name: str | None = Field(default=None, max_length=500)
    date_of_birth: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    gender: str | None = None
    nationality: str | None = None
    document_number: str | None = None
    document_country: str | None = None
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    purpose: str = Field(min_length=3, max_length=200, description="Why this person is screened.")
    legal_basis: str = Field(min_length=3, max_length=200, description="The text allowing it.")


class ScreenOut(BaseModel):
    record_id: str
    threshold: float
    lists: dict[str, int] = Field(description="Entries per watchlist screened against.")
    matches: list[dict[str, Any]] = Field(
        description="Candidates, best first: list, entry_id, score and the explanation."
    )


@router.post("/screen")
def screen_record(
    request: Request,
    body: ScreenIn,
    session: DbSession,
    principal: Principal = require("analyst", "supervisor"),
) -> ScreenOut:
    """Screen one person against every watchlist of the node.

    Matches are candidates for human review, never decisions. The screening is audited with
    its purpose and legal basis.
    """
    node: Node = request.app.state.node
    record = PersonRecord(
        id=body.id,
        full_name=body.full_name,
        given_names=body.given_names,
        family_name=body.family_name,
        date_of_birth=body.date_of_birth,
        gender=body.gender,
        nationality=body.nationality,
        document_number=body.document_number,
        document_country=body.document_country,
    )
    watchlists = node_watchlists(node.state)
    matches = watchlists.screen(record, body.threshold)
    Access(principal, node.code, body.purpose, body.legal_basis).trace(
        session,
        "read",
        "watchlist",
        body.id,
        now=node.clock.now(),
        details={"matches": [f"{m.list_name}:{m.match.entry_id}" for m in matches]},
    )
    return ScreenOut(
        record_id=body.id,
        threshold=body.threshold,
        lists=watchlists.sizes(),
        matches=[m.to_dict() for m in matches],
    )
