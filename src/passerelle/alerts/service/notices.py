"""Cross-border notice of a release: the country a detainee has links with (residence,
family, travel) learns of the release and sees it in its own calendar, with a concertation step.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Detainee, Release, ReleaseStep
from passerelle.alerts.service import exchange, register
from passerelle.alerts.service.detainees import LEGAL_BASIS, PURPOSE, get
from passerelle.alerts.service.hooks import run_in_session
from passerelle.errors import NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.privacy.accounts import Principal


async def notify_release(
    node: Node, client: httpx.AsyncClient, principal: Principal, release_id: str
) -> list[str]:
    """Tell the peers the detainee has links with about the release; returns who accepted."""

    def load(session: Session) -> tuple[list[str], dict[str, Any]]:
        release = session.get(Release, release_id)
        if release is None:
            raise NotFound(f"no release {release_id}")
        detainee = get(session, release.detainee_id)
        targets = sorted({link["country"].upper() for link in detainee.links} - {node.code})
        payload = {
            "detainee": {
                k: getattr(detainee, k)
                for k in (
                    "id",
                    "family_name",
                    "given_names",
                    "date_of_birth",
                    "nationality",
                    "scope",
                    "institution",
                    "offences",
                    "facts",
                    "links",
                )
            },
            "release": {
                "id": release.id,
                "kind": release.kind,
                "release_date": release.release_date.isoformat(),
            },
        }
        return targets, payload

    targets, payload = await run_in_session(node, load)
    result = await exchange.send(
        node,
        client,
        principal,
        kind="alerts.release_notice",
        payload=payload,
        peers=targets,
        case_ref=f"RELEASE-{release_id[:8]}",
        purpose=PURPOSE,
    )
    accepted = (
        []
        if result is None
        else [a.peer for a in result.answers if exchange.outcome(result, a.peer)[0] == "delivered"]
    )

    def record(session: Session) -> None:
        release = session.get(Release, release_id)
        assert release is not None
        release.notified = sorted(set(release.notified) | set(accepted))

    await run_in_session(node, record)
    return accepted


@exchange.receiver("alerts.release_notice", "The coming release of a detainee with links here.")
def _receive_notice(payload: Mapping[str, Any], node: Node) -> tuple[str, Any]:
    sender = exchange.sender(payload)
    person, release = payload.get("detainee"), payload.get("release")
    if not isinstance(person, dict) or not isinstance(release, dict):
        raise ValidationFailed("the release notice needs a detainee and a release")
    when = date.fromisoformat(str(release["release_date"]))

    def write(session: Session) -> None:
        if session.get(Release, release["id"]) is not None:
            return
        if session.get(Detainee, person["id"]) is None:
            session.add(
                Detainee(
                    assessments=[],
                    measures=[],
                    origin=sender,
                    created_at=node.clock.now(),
                    created_by=f"peer:{sender}",
                    **person,
                )
            )
        session.add(
            Release(
                id=release["id"],
                detainee_id=person["id"],
                kind=release["kind"],
                release_date=when,
                created_at=node.clock.now(),
                notified=[],
            )
        )
        session.add(
            ReleaseStep(
                id=str(uuid.uuid4()),
                release_id=release["id"],
                step="concertation",
                due_date=when - timedelta(days=rules.step_days()["concertation"]),
                note=f"notified by {sender}",
            )
        )
        node.audit(
            session,
            register.peer_actor(sender),
            action="write",
            object_type="detainee.release",
            object_id=release["id"],
            purpose=PURPOSE,
            legal_basis=LEGAL_BASIS,
            details={"from": sender},
        )

    return str(release["id"]), write
