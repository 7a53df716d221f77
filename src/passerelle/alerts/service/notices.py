"""Cross-border notice of a release: the country a detainee has links with (residence,
family, travel) learns of the release and sees it in its own calendar, with a concertation step.

A notice carries identity, offences, radicalisation facts and foreign links: by default a
supervisor approves each one (``alerts.release_notice``, policy ``approval``) and may withhold
the offences, facts and links.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts import rules
from passerelle.alerts.model import Detainee, Release, ReleaseStep
from passerelle.alerts.service import exchange
from passerelle.alerts.service.detainees import NOTICE, PURPOSE, get
from passerelle.errors import NotFound, ValidationFailed
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

#: What a supervisor may withhold from a release notice.
OPTIONAL = ("offences", "facts", "links")


class NoticeDetainee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=36)
    family_name: str = Field(max_length=200)
    given_names: str | None = None
    date_of_birth: str = Field(max_length=10)
    nationality: str | None = Field(default=None, max_length=3)
    scope: str = Field(max_length=24)
    institution: str = Field(default="", max_length=200)
    offences: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    links: list[dict[str, str]] = Field(default_factory=list)


class NoticeRelease(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=36)
    kind: str = Field(max_length=24)
    release_date: date


class ReleaseNotice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    detainee: NoticeDetainee
    release: NoticeRelease


def notify_release(
    session: Session, node: Node, principal: Principal, release_id: str
) -> list[federation.DeliveryState]:
    """In the release's transaction: tell the peers the detainee has links with."""
    release = session.get(Release, release_id)
    if release is None:
        raise NotFound(f"no release {release_id}")
    detainee = get(session, release.detainee_id)
    targets = sorted({link["country"].upper() for link in detainee.links} - {node.code})
    notice = ReleaseNotice(
        detainee=NoticeDetainee(**{k: getattr(detainee, k) for k in NoticeDetainee.model_fields}),
        release=NoticeRelease(id=release.id, kind=release.kind, release_date=release.release_date),
    )
    return exchange.send(
        session,
        node,
        principal,
        NOTICE,
        peers=targets,
        payload=notice,
        case_ref=f"RELEASE-{release_id[:8]}",
        purpose=PURPOSE,
    )


def _receive(session: Session, node: Node, received: federation.Received) -> None:
    notice = received.payload
    assert isinstance(notice, ReleaseNotice)
    person, release, sender = notice.detainee, notice.release, received.sender
    if session.get(Release, release.id) is not None:
        raise ValidationFailed(f"release {release.id} was already notified here")
    if session.get(Detainee, person.id) is None:
        session.add(
            Detainee(
                assessments=[],
                measures=[],
                origin=sender,
                created_at=node.clock.now(),
                created_by=f"peer:{sender}",
                **person.model_dump(),
            )
        )
    session.add(
        Release(
            id=release.id,
            detainee_id=person.id,
            kind=release.kind,
            release_date=release.release_date,
            created_at=node.clock.now(),
            notified=[],
        )
    )
    session.add(
        ReleaseStep(
            id=str(uuid.uuid4()),
            release_id=release.id,
            step="concertation",
            due_date=release.release_date - timedelta(days=rules.step_days()["concertation"]),
            note=f"notified by {sender}",
        )
    )


def held(session: Session, release_ids: Sequence[str]) -> set[str]:
    """The releases among ``release_ids`` this node still holds."""
    return set(session.scalars(select(Release.id).where(Release.id.in_(list(release_ids)))))


exchange.register(
    NOTICE,
    ReleaseNotice,
    _receive,
    description="The coming release of a detainee with links with the receiving country.",
    personal=True,
    received=N_("release notice received"),
    reference=lambda m: m.release.id,
    retention=federation.BodyRetention(
        keep_for=max(c.review_within for c in rules.CATEGORIES.values()),
        source=rules.RETENTION_SOURCE,
        description="Bodies of release notices are erased when the release leaves this node "
        "(with the detainee's record).",
        held=held,
    ),
    default_policy="approval",
    optional_fields=[f"detainee.{name}" for name in OPTIONAL],
)
