"""The node's own commands (``init``, ``serve``, ``demo``, ``user``, ``token``, ``audit``,
``retention``). Thin: they open the node and call services. Imported only when one of them
runs (see :mod:`passerelle.cli`); the node, the database and the privacy services are imported
inside the commands, so ``--help`` of each of them imports none of them."""

from __future__ import annotations

import getpass
import importlib
import json
import sys
from typing import TYPE_CHECKING, Any

import typer

from passerelle.errors import IntegrityError
from passerelle.settings import get_settings

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.privacy import audit

#: The human roles for the help text: ``passerelle.privacy.rules.HUMAN_ROLES`` (a test keeps
#: them equal) without importing the privacy package for ``--help``.
HUMAN_ROLES_HELP = "analyst, supervisor, judicial, dpo, admin, minors, fiu, addressee"

user_app = typer.Typer(help="Console users of this node.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for machine clients.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention and masking rules.", no_args_is_help=True)
_ROLE_HELP = f"One of: {HUMAN_ROLES_HELP}. Repeat for several roles."


class _Out:
    """A rich console made on first use (rich costs start-up time ``--help`` does not need)."""

    def print(self, *objects: Any) -> None:
        from rich.console import Console

        Console(soft_wrap=True, highlight=False).print(*objects)


out = _Out()


def _table(*columns: str) -> Any:
    from rich.table import Table

    return Table(*columns)


def _node() -> Node:
    from passerelle.node import open_node

    return open_node(get_settings())


def _cli_actor() -> audit.Actor:
    from passerelle.privacy import audit

    return audit.Actor(f"cli:{getpass.getuser()}", "node")


def init(
    demo_data: bool = typer.Option(False, "--demo-data", help="Seed synthetic demo data."),
) -> None:
    """Create a node in PASSERELLE_DATA_DIR (database, agency, keys folder)."""
    from passerelle import seed

    node = _node()
    seed.init_node(node)
    out.print(f"node {node.code} ready in {node.settings.data_dir}")
    if demo_data:
        created = seed.seed_demo(node)
        for account in created or seed.load_demo_accounts(node):
            out.print(f"  {account.username:<16} {account.password}  ({', '.join(account.roles)})")


def serve(
    host: str = typer.Option(None, help="Interface to bind (default PASSERELLE_HOST)."),
    port: int = typer.Option(None, help="Port (default PASSERELLE_PORT)."),
    workers: int = typer.Option(
        1, "--workers", help="uvicorn worker processes (on SQLite allowed; writers still queue)."
    ),
    tls_cert: str = typer.Option(
        None, "--tls-cert", help="PEM certificate: serve HTTPS (default PASSERELLE_TLS_CERT)."
    ),
    tls_key: str = typer.Option(
        None, "--tls-key", help="PEM private key of --tls-cert (default PASSERELLE_TLS_KEY)."
    ),
    tls_client_ca: str = typer.Option(
        None,
        "--tls-client-ca",
        help="CA of peers' client certificates: the federation inbox then requires mutual TLS "
        "with the certificate pinned for the signing peer (default PASSERELLE_TLS_CLIENT_CA).",
    ),
) -> None:
    """Run this node's console and API (HTTPS with --tls-cert/--tls-key)."""
    from passerelle.web import server

    settings = get_settings()
    given = {
        "host": host,
        "port": port,
        "tls_cert": tls_cert,
        "tls_key": tls_key,
        "tls_client_ca": tls_client_ca,
    }
    settings = settings.with_(**{k: v for k, v in given.items() if v is not None})
    server.serve(settings, workers=workers)


def demo(
    check: bool = typer.Option(False, "--check", help="Run the scripted check, then stop."),
) -> None:
    """Start a French (port 8001) and a Belgian (port 8002) node with synthetic data."""
    # ``passerelle.cli.demo`` is shadowed by this function's name in the package namespace.
    demo_mod = importlib.import_module("passerelle.cli.demo")
    if check:
        demo_mod.run_check()
    else:
        demo_mod.run_forever()


@user_app.command("add")
def user_add(
    username: str,
    role: list[str] = typer.Option(..., "--role", help=_ROLE_HELP),
    agency: str = typer.Option(None, help="Agency code (default: the node's own)."),
    display_name: str = typer.Option("", "--name", help="Full name shown in the console."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a console user (the password is asked for, or read from stdin)."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    node = _node()
    from passerelle import seed
    from passerelle.privacy import accounts

    seed.init_node(node)
    with node.session() as session:
        user = accounts.add_user(
            session,
            username=username,
            password=password,
            roles=role,
            agency=agency or node.code,
            display_name=display_name,
            now=node.clock.now(),
        )
        node.audit_admin(session, _cli_actor(), "user", username, "add", roles=role)
        out.print(f"user {user.username} created with roles {', '.join(role)}")


@user_app.command("list")
def user_list() -> None:
    """List the node's users."""
    from passerelle.privacy import accounts

    node = _node()
    table = _table("username", "name", "agency", "roles", "language", "status")
    with node.session() as session:
        for u in accounts.list_users(session):
            status = "disabled" if u.disabled_at else "active"
            table.add_row(
                u.username, u.display_name, u.agency_code, u.roles, u.locale or "-", status
            )
    out.print(table)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable a user; their open sessions end at once."""
    from passerelle.privacy import accounts

    node = _node()
    with node.session() as session:
        accounts.disable_user(session, username, now=node.clock.now())
        node.audit_admin(session, _cli_actor(), "user", username, "disable")
    out.print(f"user {username} disabled")


@token_app.command("create")
def token_create(
    name: str,
    role: str = typer.Option(..., help="carrier, marketplace, peer or a human role."),
    agency: str = typer.Option(None, help="Agency code (default: the node's own)."),
    days: int = typer.Option(None, help="Expire after this many days (default: never)."),
) -> None:
    """Create an API token; the token is printed once and never stored in clear."""
    node = _node()
    from passerelle import seed
    from passerelle.privacy import accounts

    seed.init_node(node)
    with node.session() as session:
        raw = accounts.create_token(
            session,
            name=name,
            role=role,
            agency=agency or node.code,
            now=node.clock.now(),
            days=days,
        )
        node.audit_admin(session, _cli_actor(), "api_token", name, "create", role=role)
    print(raw)


@token_app.command("revoke")
def token_revoke(name: str) -> None:
    """Revoke an API token; it stops working at once."""
    from passerelle.privacy import accounts

    node = _node()
    with node.session() as session:
        accounts.revoke_token(session, name, now=node.clock.now())
        node.audit_admin(session, _cli_actor(), "api_token", name, "revoke")
    out.print(f"token {name} revoked")


@token_app.command("list")
def token_list() -> None:
    """List API tokens (names, roles, status; never the tokens themselves)."""
    from passerelle.privacy import accounts

    node = _node()
    table = _table("name", "prefix", "role", "agency", "created", "status")
    with node.session() as session:
        for t in accounts.list_tokens(session):
            status = "revoked" if t.revoked_at else "active"
            table.add_row(
                t.name,
                t.prefix + "…",
                t.role,
                t.agency_code,
                t.created_at.date().isoformat(),
                status,
            )
    out.print(table)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit chain; names the first broken entry (exit 8 if broken)."""
    from passerelle.privacy import audit

    node = _node()
    with node.session() as session:
        result = audit.verify(session)
    if not result.ok:
        raise IntegrityError(result.describe())
    out.print(result.describe())


@retention_app.command("run")
def retention_run() -> None:
    """Apply every retention rule now: mask and delete what is due."""
    from passerelle.privacy import retention

    node = _node()
    outcomes = retention.run(node.session, node.retention, node=node.code, now=node.clock.now())
    for o in outcomes:
        out.print(f"{o.data_class:<24} masked {o.masked:>6}  deleted {o.deleted:>6}")


@retention_app.command("rules")
def retention_rules(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """List the retention rules registered on this node, with their legal source."""
    node = _node()
    if as_json:
        rows = [
            {
                "data_class": r.data_class,
                "mask_after_days": r.mask_after.days if r.mask_after is not None else None,
                "delete_after_days": r.delete_after.days if r.delete_after is not None else None,
                "source": r.source,
                "description": r.description,
            }
            for r in node.retention
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = _table("data class", "mask after (days)", "delete after (days)", "source")
    for r in node.retention:
        table.add_row(
            r.data_class,
            f"{r.mask_after.days}" if r.mask_after else "-",
            f"{r.delete_after.days}" if r.delete_after else "-",
            r.source,
        )
    out.print(table)
