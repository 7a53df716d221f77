"""How federation plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from passerelle.federation import cli, demo, quarantine, rules
from passerelle.federation import followups as _followups  # registers the protocol's handlers
from passerelle.federation import queries as _queries  # registers the protocol's handlers
from passerelle.federation.model import FollowupRequest, Message, Outgoing, Query, Reference
from passerelle.federation.retention import body_rules, items_rules
from passerelle.privacy import FieldCipher, RetentionRule

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal
    from passerelle.settings import Settings

del _followups, _queries  # imported for their registrations: every node loads this plugin

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [
    ("/exchange", "Exchange", ("analyst", "supervisor")),
    ("/exchange/approvals", "Approvals", ("supervisor",)),
    ("/exchange/sharing", "Sharing policies", ("admin", "supervisor", "dpo")),
]

demo.register_demo_kind()


def _purge(session: Session, cutoff: datetime) -> int:
    count = 0
    for table, column in (
        (Message, Message.created_at),
        (FollowupRequest, FollowupRequest.requested_at),
        (Reference, Reference.created_at),
        (Query, Query.created_at),
        (Outgoing, Outgoing.requested_at),
    ):
        result = session.execute(delete(table).where(column < cutoff))
        count += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return count


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            data_class="federation_message",
            description="Envelopes of federation messages (who, when, which type, which "
            "reference, body hash), queries, references, follow-up requests and sharing "
            "decisions are erased five years after the exchange, with the audit trail that "
            "records them. Bodies go earlier: see the message_body:<type> rules.",
            source=rules.MESSAGE_RETENTION_SOURCE,
            delete_after=rules.MESSAGE_RETENTION,
            delete=_purge,
        ),
        RetentionRule(
            data_class="federation_quarantine",
            description="Messages of verified peers refused while processed, kept raw "
            "(encrypted) with the exact reason for the admin and the DPO.",
            source=rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=quarantine.purge,
        ),
        *body_rules(),
        *items_rules(),
    ]


def node_retention_rules(settings: Settings) -> list[RetentionRule]:
    """The same rules, with the node's field key for the encrypted follow-up data."""
    rules_ = retention_rules()
    cipher: list[FieldCipher] = []

    def cipher_of() -> FieldCipher:
        if not cipher:
            cipher.append(FieldCipher.from_key_file(settings.keys_dir / "fields.key"))
        return cipher[0]

    return [r for r in rules_ if not r.data_class.startswith("followup_items:")] + items_rules(
        cipher_of
    )


def routers() -> list[APIRouter]:
    from passerelle.federation import api, api_sharing, console, console_sharing

    return [
        api.inbox_router,
        api.router,
        api_sharing.router,
        api_sharing.quarantine_router,
        console.router,
        console_sharing.router,
    ]


def register_cli(app: typer.Typer) -> None:
    cli.register(app)


def demo_seed(node: Node) -> None:
    demo.seed(node)


def demo_wiring(settings_list: list[Settings]) -> None:
    demo.wire(settings_list)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    demo.check(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.federation import home

    return home.work(session, principal, now)


def demo_scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    demo.scene(nodes, accounts)
