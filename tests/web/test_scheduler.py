from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient
from tests.conftest import PASSWORD, make_user

from passerelle.node import open_node
from passerelle.privacy import FrozenClock, accounts, audit
from passerelle.settings import Settings
from passerelle.web.app import create_app


def test_server_applies_retention_rules_in_the_background(
    settings: Settings, clock: FrozenClock
) -> None:
    node = open_node(settings.with_(retention_interval_seconds=0.05), clock=clock)
    with node.session() as session:
        accounts.ensure_agency(session, "FR", "France", "FR")
    make_user(node, "fr.analyst", "analyst")
    with node.session() as session:
        user = accounts.authenticate(session, "fr.analyst", PASSWORD)
        accounts.open_session(session, user, now=clock.now(), hours=1)
    clock.advance(timedelta(days=3))
    with TestClient(create_app(node)):
        deadline = time.monotonic() + 20
        erased: list[object] = []
        while not erased and time.monotonic() < deadline:
            time.sleep(0.05)
            with node.session() as session:
                erased, _ = audit.search(session, audit.AuditQuery(object_type="login_session"))
    node.close()
    assert erased, "the scheduler purged the expired session and audited it"
