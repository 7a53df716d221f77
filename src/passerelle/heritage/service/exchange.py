"""Cross-border screening as two federation domain message types (hit/no-hit).

``heritage.screen`` carries the description of an object offered for sale (Object ID words,
measurements) and the descriptors of its photographs — no person; the receiving node screens
it against its own stolen objects and answers with ``heritage.screen_result``: hit or no hit,
and only the references and scores of its candidates (details follow through the ordinary
channels). Both go under the sharing policy an admin set for the type and the peer."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.heritage import rules
from passerelle.heritage.model import Exchange
from passerelle.heritage.schemas import Measurements, ObjectIn
from passerelle.heritage.service import imaging, registry
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal, audit

SCREEN = "heritage.screen"
RESULT = "heritage.screen_result"
PURPOSE = "screening of a cultural object offered for sale against stolen-object lists"
#: A peer's candidate at or above this score is a hit.
HIT_SCORE = 0.6
HEX = r"^[0-9a-f]{16}$"


class PictureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phashes: list[str] = Field(max_length=16)
    dhashes: list[str] = Field(max_length=16)
    colour: list[float] = Field(max_length=imaging.HUE_BINS)
    texture: list[float] = Field(max_length=imaging.TEXTURE_BINS)
    angles: list[float] = Field(default_factory=list, max_length=16)


class ScreenPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=40)
    object_type: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    maker: str = Field(default="", max_length=200)
    materials: list[str] = Field(default_factory=list, max_length=20)
    measurements: Measurements = Field(default_factory=Measurements)
    pictures: list[PictureIn] = Field(default_factory=list, max_length=8)


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(max_length=24)
    score: float = Field(ge=0, le=1)


class ResultPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=40)
    hit: bool
    candidates: list[Candidate] = Field(default_factory=list, max_length=10)


def picture(d: imaging.Descriptor) -> PictureIn:
    return PictureIn(
        phashes=[imaging.hex64(h) for h in d.phashes],
        dhashes=[imaging.hex64(h) for h in d.dhashes],
        colour=list(d.colour),
        texture=list(d.texture),
        angles=list(d.angles),
    )


def _descriptor(p: PictureIn) -> imaging.Descriptor:
    return imaging.Descriptor(
        tuple(int(h, 16) for h in p.phashes if len(h) == 16),
        tuple(int(h, 16) for h in p.dhashes if len(h) == 16),
        tuple(p.colour),
        tuple(p.texture),
        tuple(p.angles),
    )


def _reference(payload: BaseModel) -> str:
    return getattr(payload, "request", "")


def _held(session: Session, references: Sequence[str]) -> Collection[str]:
    if not references:
        return []
    rows = session.scalars(select(Exchange.request_ref).where(Exchange.request_ref.in_(references)))
    return set(rows)


def _on_screen(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, ScreenPayload)
    obj = ObjectIn(
        object_type=p.object_type,
        title=p.title,
        maker=p.maker,
        materials=p.materials,
        measurements=p.measurements,
    )
    matches = registry.screener(session, node).screen(obj, [_descriptor(x) for x in p.pictures])
    hits = [m for m in matches if m.score >= HIT_SCORE and m.status == "stolen"]
    session.add(
        Exchange(
            id=str(uuid.uuid4()),
            direction="received",
            peer=received.sender,
            request_ref=p.request,
            title=p.title[:300],
            at=node.clock.now(),
            answered_at=node.clock.now(),
            hit=bool(hits),
            references=[m.reference for m in hits],
        )
    )
    answer = ResultPayload(
        request=p.request,
        hit=bool(hits),
        candidates=[Candidate(reference=m.reference, score=m.score) for m in hits[:10]],
    )
    federation.send_message(
        session,
        node,
        federation_actor(node),
        RESULT,
        peer=received.sender,
        payload=answer,
        case_ref=p.request,
        purpose=PURPOSE,
    )
    return {"hit": bool(hits)}


def federation_actor(node: Node) -> audit.Actor:
    return audit.Actor("heritage-screening", node.code)


def _on_result(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, ResultPayload)
    row = session.scalar(
        select(Exchange).where(
            Exchange.request_ref == p.request,
            Exchange.peer == received.sender,
            Exchange.direction == "sent",
        )
    )
    if row is None:
        return {"unknown_request": p.request}
    row.answered_at = node.clock.now()
    row.hit = p.hit
    row.references = [f"{c.reference} ({c.score:.2f})" for c in p.candidates]
    return {"hit": p.hit}


def register_types() -> None:
    """Declare the heritage message types to federation (idempotent)."""
    common: dict[str, Any] = {
        "carries_personal_data": False,
        "legal_basis": rules.EXCHANGE_LEGAL_BASIS[:200],
        "source": rules.REG_880,
        "retention": federation.BodyRetention(
            keep_for=rules.EXCHANGE_RETENTION,
            source=rules.RETENTION_SOURCE,
            description="A screening request or answer lives as long as its exchange record.",
            held=_held,
        ),
        "default_policy": "automatic",
        "reference": _reference,
        "replace": True,
    }
    federation.register_message_type(
        SCREEN,
        ScreenPayload,
        _on_screen,
        description="A cultural object offered for sale (description and picture hashes, "
        "no person), to screen against the peer's stolen objects.",
        received=N_("cultural object screening request received"),
        **common,
    )
    federation.register_message_type(
        RESULT,
        ResultPayload,
        _on_result,
        description="Hit or no hit of a screening request, with candidate references.",
        received=N_("cultural object screening answer received"),
        **common,
    )


def ask_peers(
    session: Session,
    node: Node,
    principal: Principal,
    obj: ObjectIn,
    pictures: Sequence[imaging.Descriptor],
    case_ref: str,
) -> list[str]:
    """Send the screening request to every peer as its policy says; the message ids queued."""
    ids = []
    payload = ScreenPayload(
        request=case_ref,
        object_type=obj.object_type,
        title=obj.title,
        maker=obj.maker,
        materials=obj.materials,
        measurements=obj.measurements,
        pictures=[picture(d) for d in pictures[:8]],
    )
    for peer in federation.peer_status(session):
        state = federation.send_message(
            session,
            node,
            principal.actor,
            SCREEN,
            peer=peer.code,
            payload=payload,
            case_ref=case_ref,
            purpose=PURPOSE,
        )
        if state.status == "never":
            continue
        session.add(
            Exchange(
                id=str(uuid.uuid4()),
                direction="sent",
                peer=peer.code,
                request_ref=case_ref,
                title=obj.title[:300],
                at=node.clock.now(),
            )
        )
        if state.status in ("queued", "awaiting"):
            ids.append(state.message_id)
    return ids


def exchanges(session: Session, limit: int = 200) -> list[Exchange]:
    return list(session.scalars(select(Exchange).order_by(Exchange.at.desc()).limit(limit)))
