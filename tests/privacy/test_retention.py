from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import PASSWORD, make_user

from passerelle.errors import Conflict
from passerelle.node import Node
from passerelle.privacy import accounts, audit, retention
from passerelle.privacy.clock import FrozenClock
from passerelle.privacy.model import LoginSession


def test_ended_sessions_are_purged_a_day_later(node: Node, clock: FrozenClock) -> None:
    make_user(node, "fr.analyst", "analyst")
    with node.session() as session:
        user = accounts.authenticate(session, "fr.analyst", PASSWORD)
        accounts.open_session(session, user, now=clock.now(), hours=8)
    clock.advance(timedelta(hours=8))
    first = retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert {o.data_class: o.deleted for o in first}["login_session"] == 0
    clock.advance(timedelta(days=1, minutes=1))
    second = retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert {o.data_class: o.deleted for o in second}["login_session"] == 1
    with node.session() as session:
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 0
        erased, _ = audit.search(session, audit.AuditQuery(action="erase"))
    assert erased[0].object_type == "login_session"
    assert erased[0].legal_basis.startswith("Data minimisation")


def test_a_registered_rule_masks_then_deletes_on_time(node: Node, clock: FrozenClock) -> None:
    """A domain rule (like PNR: mask at 6 months, delete at 5 years) fires when the clock says."""
    created = clock.now()
    state = {"masked": False, "deleted": False}

    def mask(_: Session, cutoff: datetime) -> int:
        if created < cutoff and not state["masked"]:
            state["masked"] = True
            return 1
        return 0

    def delete(_: Session, cutoff: datetime) -> int:
        if created < cutoff and not state["deleted"]:
            state["deleted"] = True
            return 1
        return 0

    node.retention.register(
        retention.RetentionRule(
            data_class="booking",
            description="test",
            source="Directive (EU) 2016/681 art. 12",
            mask_after=timedelta(days=182),
            delete_after=timedelta(days=5 * 365),
            mask=mask,
            delete=delete,
        )
    )
    clock.advance(timedelta(days=181))
    retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert state == {"masked": False, "deleted": False}
    clock.advance(timedelta(days=2))
    retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert state == {"masked": True, "deleted": False}
    clock.advance(timedelta(days=5 * 365))
    retention.run(node.session, node.retention, node=node.code, now=clock.now())
    assert state == {"masked": True, "deleted": True}
    with node.session() as session:
        masked, _ = audit.search(session, audit.AuditQuery(action="mask", object_type="booking"))
    assert len(masked) == 1


def test_a_data_class_has_one_rule(node: Node) -> None:
    with pytest.raises(Conflict):
        node.retention.register(retention.foundation_rules()[0])
