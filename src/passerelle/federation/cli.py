"""``passerelle keys …``, ``passerelle peers …`` and ``passerelle outbox …``: thin commands."""

from __future__ import annotations

import asyncio
import getpass
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from passerelle.node import Node
    from passerelle.privacy import audit

# The services, the node, the database, httpx and rich are imported inside the commands:
# ``--help`` stays fast (issue #17, ``tests/cli/test_lazy.py``).

keys_app = typer.Typer(help="This node's Ed25519 signing key pair.", no_args_is_help=True)
peers_app = typer.Typer(help="Partner nodes this node exchanges with.", no_args_is_help=True)
outbox_app = typer.Typer(help="Outgoing messages waiting for delivery.", no_args_is_help=True)
sharing_app = typer.Typer(
    help="Sharing policies: which message type goes to which peer (automatic, approval, never).",
    no_args_is_help=True,
)


@cache
def _out() -> Console:
    from rich.console import Console

    return Console()


def _node() -> Node:
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    return open_node(get_settings())


def _cli_actor() -> audit.Actor:
    from passerelle.privacy import audit

    return audit.Actor(f"cli:{getpass.getuser()}", "node")


def _admin(node: Node, object_type: str, object_id: str, **details: object) -> None:
    with node.session() as session:
        node.audit(
            session,
            _cli_actor(),
            action="admin",
            object_type=object_type,
            object_id=object_id,
            purpose="federation configuration",
            legal_basis="node security",
            details=details,
        )


@keys_app.command("generate")
def keys_generate(
    force: bool = typer.Option(False, "--force", help="Replace an existing key pair."),
) -> None:
    """Create the node's key pair (private key mode 0600 in PASSERELLE_DATA_DIR/keys)."""
    from passerelle.federation import keys

    node = _node()
    key = keys.generate(node.settings, force=force)
    _admin(node, "federation.key", node.code, op="generate", public_key=keys.public_text(key))
    _out().print(f"key pair of {node.code} written to {keys.key_path(node.settings)}")
    print(keys.public_text(key))


@keys_app.command("show")
def keys_show() -> None:
    """Print the public key and the command a peer runs to register this node."""
    from passerelle.federation import keys
    from passerelle.settings import get_settings

    settings = get_settings()
    public = keys.public_text(keys.load(settings))
    print(public)
    insecure = " --insecure-http" if settings.public_url.startswith("http://") else ""
    _out().print(
        f"on a peer: passerelle peers add {settings.node} {settings.public_url} {public}{insecure}"
    )


@peers_app.command("add")
def peers_add(
    code: str,
    url: str,
    public_key: str,
    insecure_http: bool = typer.Option(
        False, "--insecure-http", help="Allow an http:// URL (loopback tests, the demo)."
    ),
    tls_cert_sha256: str = typer.Option(
        None, "--tls-cert-sha256", help="Pin the peer's TLS certificate (SHA-256, hex)."
    ),
    tls_cert: Path = typer.Option(
        None, "--tls-cert", help="Pin the peer's TLS certificate from its PEM file."
    ),
) -> None:
    """Register (or update) a peer: its node code, base URL (https://) and base64 public key."""
    from passerelle.federation import peers, tls

    pin = tls.check_pin(tls_cert_sha256) if tls_cert_sha256 else None
    if tls_cert is not None:
        pin = tls.fingerprint_of_file(tls_cert)
    node = _node()
    with node.session() as session:
        peer = peers.add(
            session,
            code,
            url,
            public_key,
            now=node.clock.now(),
            insecure_http=insecure_http,
            tls_cert_sha256=pin,
        )
        code = peer.code
    _admin(node, "federation.peer", code, op="add", url=url, public_key=public_key, tls_pin=pin)
    _out().print(
        f"peer {code} at {url} registered" + (f", certificate {pin} pinned" if pin else "")
    )


@peers_app.command("remove")
def peers_remove(code: str) -> None:
    """Remove a peer; its messages are no longer accepted nor delivered."""
    from passerelle.federation import peers

    node = _node()
    with node.session() as session:
        peers.remove(session, code)
    _admin(node, "federation.peer", code.upper(), op="remove")
    _out().print(f"peer {code.upper()} removed")


@peers_app.command("list")
def peers_list() -> None:
    """List peers with their status."""
    from rich.table import Table

    from passerelle.federation import service

    node = _node()
    table = Table("code", "url", "public key", "last ok", "last error", "undelivered")
    with node.session() as session:
        for p in service.peer_status(session):
            table.add_row(
                p.code,
                p.url,
                p.public_key,
                p.last_ok_at.isoformat(timespec="seconds") if p.last_ok_at else "-",
                p.last_error or "-",
                str(p.pending_messages),
            )
    _out().print(table)


@outbox_app.command("list")
def outbox_list(
    all_: bool = typer.Option(False, "--all", help="Include delivered messages."),
) -> None:
    """List outgoing messages not yet delivered (or all with --all)."""
    from rich.table import Table

    from passerelle.federation import service

    node = _node()
    table = Table("message id", "peer", "type", "case", "status", "attempts", "next", "error")
    with node.session() as session:
        for m in service.outbox_messages(session, include_delivered=all_):
            table.add_row(
                m.id,
                m.peer,
                m.type,
                m.case_ref,
                m.status,
                str(m.attempts),
                m.next_attempt_at.isoformat(timespec="seconds") if m.next_attempt_at else "-",
                m.last_error or "",
            )
    _out().print(table)


@outbox_app.command("retry")
def outbox_retry(
    message_id: str = typer.Argument(None, help="One message id (default: every waiting one)."),
) -> None:
    """Make waiting or failed messages due now and try to deliver them once."""
    import httpx

    from passerelle.federation import delivery, outbox, tls

    node = _node()
    with node.session() as session:
        ids = outbox.retry(session, now=node.clock.now(), message_id=message_id)

    async def run() -> dict[int, bool | None]:
        timeout = node.settings.federation_timeout_seconds
        options = tls.client_options(node.settings)
        async with httpx.AsyncClient(timeout=timeout + 5, **options) as client:
            return await delivery.deliver(node, client, ids)

    results = asyncio.run(run()) if ids else {}
    delivered = sum(1 for ok in results.values() if ok)
    _out().print(f"{len(ids)} message(s) retried, {delivered} delivered")


@sharing_app.command("list")
def sharing_list(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Every message type and peer with its policy, whether it carries personal data, its
    legal basis and source."""
    from rich.table import Table

    from passerelle.federation import policies

    node = _node()
    with node.session() as session:
        rows = policies.listing(session)
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table("message type", "peer", "policy", "personal data", "set by", "reason")
    for r in rows:
        table.add_row(
            r.message_type,
            r.peer,
            r.policy if r.decided else f"{r.policy} (not decided)",
            "yes" if r.carries_personal_data else "no",
            r.set_by or "-",
            r.reason,
        )
    _out().print(table)


@sharing_app.command("set")
def sharing_set(
    message_type: str,
    peer: str,
    policy: str = typer.Argument(..., help="automatic, approval or never"),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the audit log)."),
) -> None:
    """Change the policy of one message type towards one peer (node admin; audited)."""
    from passerelle.federation import policies

    node = _node()
    with node.session() as session:
        row = policies.set_policy(
            session, node, _cli_actor(), message_type, peer.upper(), policy, reason
        )
    _out().print(f"{row.message_type} → {row.peer}: {row.policy}")


@sharing_app.command("defaults")
def sharing_defaults(
    peer: str,
    reason: str = typer.Option(..., "--reason", help="Why (kept in the audit log)."),
    protocol_only: bool = typer.Option(
        False,
        "--protocol-only",
        help="Only the protocol's types (queries, hit/no-hit answers, follow-ups).",
    ),
) -> None:
    """Set every message type's declared default policy for one peer (each change audited)."""
    from passerelle.federation import policies

    node = _node()
    with node.session() as session:
        rows = policies.apply_defaults(
            session, node, _cli_actor(), peer.upper(), reason, protocol_only=protocol_only
        )
    for r in rows:
        _out().print(f"{r.message_type} → {r.peer}: {r.policy}")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    app.add_typer(peers_app, name="peers")
    app.add_typer(outbox_app, name="outbox")
    app.add_typer(sharing_app, name="sharing")
