"""Initialising a node and seeding it with synthetic demo data.

``passerelle init`` creates the node's own agency; ``--demo-data`` adds one synthetic user per
human role (random passwords, written to ``demo-accounts.json`` in the data directory, mode 0600)
and then lets each installed domain add its own synthetic data.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from sqlalchemy import select

from passerelle import domains
from passerelle.kit.demo import DemoAccount
from passerelle.node import Node
from passerelle.privacy import HUMAN_ROLES, User, accounts, audit

COUNTRY_NAMES = {
    "FR": "France",
    "BE": "Belgique / België",
    "ES": "España",
    "MA": "Maroc",
    "NL": "Nederland",
    "UK": "United Kingdom",
}
DEMO_ACCOUNTS_FILE = "demo-accounts.json"
#: Roles whose demo user belongs to another agency than the node's own: a judicial authority
#: decides on the PIU's requests and may not be part of it (Directive (EU) 2016/681 art. 12(3),
#: CJEU C-817/19).
OTHER_AGENCY_ROLES = {"judicial": ("JUD", "judicial authority (synthetic)")}


def init_node(node: Node) -> None:
    """Create the node's own agency (idempotent)."""
    code = node.code
    with node.session() as session:
        accounts.ensure_agency(
            session, code, f"{COUNTRY_NAMES.get(code, code)} — Passerelle node", code[:2]
        )


def demo_accounts_path(node: Node) -> Path:
    return node.settings.data_dir / DEMO_ACCOUNTS_FILE


def seed_demo(node: Node) -> list[DemoAccount]:
    """One synthetic user per role, then each domain's demo data. Idempotent."""
    init_node(node)
    path = demo_accounts_path(node)
    if path.exists():
        return load_demo_accounts(node)
    prefix = node.code.lower()
    created: list[DemoAccount] = []
    with node.session() as session:
        for role in HUMAN_ROLES:
            username = f"{prefix}.{role}"
            if session.scalars(select(User).where(User.username == username)).first():
                continue
            password = secrets.token_urlsafe(12)
            roles = (role,)
            agency = node.code
            if role in OTHER_AGENCY_ROLES:
                suffix, label = OTHER_AGENCY_ROLES[role]
                agency = f"{node.code}-{suffix}"
                accounts.ensure_agency(
                    session, agency, f"{COUNTRY_NAMES.get(node.code, node.code)} — {label}",
                    node.code[:2],
                )  # fmt: skip
            accounts.add_user(
                session,
                username=username,
                password=password,
                roles=list(roles),
                agency=agency,
                display_name=f"Demo {role} ({node.code})",
                now=node.clock.now(),
            )
            node.audit(
                session,
                audit.SYSTEM,
                action="admin",
                object_type="user",
                object_id=username,
                purpose="demo seed",
                legal_basis="synthetic demo data",
                details={"op": "add", "roles": list(roles)},
            )
            created.append(DemoAccount(username, password, roles))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file may have been created with another mode
    with os.fdopen(fd, "w") as handle:
        json.dump([a.__dict__ for a in created], handle, indent=2)
    for seeder in domains.demo_seeders():
        seeder(node)
    return created


def load_demo_accounts(node: Node) -> list[DemoAccount]:
    data = json.loads(demo_accounts_path(node).read_text())
    return [DemoAccount(a["username"], a["password"], tuple(a["roles"])) for a in data]
