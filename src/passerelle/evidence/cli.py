"""``passerelle evidence …``: the provider directory and European Production and Preservation
Orders (issue, validate, extend, confirm, withdraw, list with deadlines, export)."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from passerelle.errors import MalformedInput, UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from passerelle.node import Node
    from passerelle.privacy import Principal

app = typer.Typer(name="evidence", help="European production and preservation orders (e-Evidence).")
provider_app = typer.Typer(help="Directory of providers' establishments and legal representatives.")
app.add_typer(provider_app, name="provider")


def _principal() -> Principal:
    from passerelle.privacy import Principal

    return Principal(kind="cli", id=0, name=f"cli:{getpass.getuser()}", agency="node",
                     roles=frozenset({"judicial"}))  # fmt: skip


@contextmanager
def _session() -> Iterator[tuple[Node, Session]]:
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    node = open_node(get_settings())
    try:
        with node.session() as session:
            yield node, session
    finally:
        node.close()


@provider_app.command("add")
def provider_add(
    code: str,
    name: Annotated[str, typer.Option()],
    kind: Annotated[str, typer.Option(help="establishment or legal_representative.")],
    country: Annotated[str, typer.Option(help="Member state of the addressee, e.g. BE.")],
    address: Annotated[str, typer.Option()] = "",
    email: Annotated[str, typer.Option()] = "",
    services: Annotated[str, typer.Option(help="Comma-separated services.")] = "",
) -> None:
    """Register a provider's addressee; prints its API token once (role provider)."""
    from passerelle.evidence.schemas import ProviderIn
    from passerelle.evidence.service import directory

    data = ProviderIn.model_validate({
        "code": code, "name": name, "kind": kind, "country": country.upper(),
        "address": address, "email": email,
        "services": [s.strip() for s in services.split(",") if s.strip()],
    })  # fmt: skip
    with _session() as (node, session):
        row, token = directory.add_provider(session, node, data)
        node.audit_admin(session, _principal().actor, "evidence.provider", row.code, "add")
    typer.echo(f"provider {row.code} registered; token (shown once): {token}")


@provider_app.command("list")
def provider_list(country: Annotated[str, typer.Option()] = "") -> None:
    """Providers' addressees by member state."""
    from passerelle.evidence.service import directory

    with _session() as (_, session):
        for p in directory.list_providers(session, country):
            typer.echo(f"{p.code:<20} {p.country} {p.kind:<21} {p.name}")


@app.command("issue")
def issue_command(
    file: Annotated[str, typer.Argument(help="JSON order (Annex I/II fields); '-': stdin.")],
) -> None:
    """Issue an order from a JSON file; prints its reference and deadlines."""
    from pydantic import ValidationError

    from passerelle.evidence.schemas import OrderIn
    from passerelle.evidence.service import orders

    raw = sys.stdin.buffer.read() if file == "-" else _read(file)
    try:
        data = OrderIn.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise MalformedInput(f"{where}: {first['msg']}", field=where) from None
    with _session() as (node, session):
        order = orders.issue(session, node, _principal(), data)
        due = order.due_at or order.preserve_until
        typer.echo(
            f"{order.reference} {order.form} {order.category} to {order.provider} "
            f"({order.enforcing_country}); due {due:%Y-%m-%d %H:%M} UTC"
            + ("; enforcing authority notified" if order.notify_enforcing else "")
        )


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", field="file") from None


@app.command("orders")
def orders_command(
    due: Annotated[bool, typer.Option(help="Only orders with a reminder or overdue.")] = False,
    status: Annotated[str, typer.Option()] = "",
) -> None:
    """Orders with their next deadline; OVERDUE and REMINDER flagged."""
    from passerelle.evidence.service import deadlines, orders

    with _session() as (node, session):
        now = node.clock.now()
        rows = ([o for o, _ in orders.due(session, now)] if due
                else orders.search(session, node, _principal(), status=status))  # fmt: skip
        for o in rows:
            nxt = deadlines.next_deadline(o)
            when = f"{nxt[0]} {nxt[1]:%Y-%m-%d %H:%M}" if nxt else "-"
            flag = deadlines.urgency(o, now).upper()
            typer.echo(
                f"{o.reference:<20} {o.form:<7} {o.category:<14} {o.provider:<16} "
                f"{o.status:<12} {when} {'' if flag == 'OK' else flag}".rstrip()
            )


def _act(op: str, reference: str) -> None:
    from passerelle.evidence.service import orders

    with _session() as (node, session):
        order = getattr(orders, op)(session, node, _principal(), reference)
        typer.echo(f"{order.reference} {order.status}"
                   + (f", preserved until {order.preserve_until:%Y-%m-%d %H:%M} UTC"
                      if order.preserve_until else ""))  # fmt: skip


@app.command("extend")
def extend_command(reference: str) -> None:
    """Annex VI: extend a preservation order once by 30 days."""
    _act("extend", reference)


@app.command("confirm")
def confirm_command(reference: str) -> None:
    """Annex V: confirm a production request follows a preservation order."""
    _act("confirm", reference)


@app.command("withdraw")
def withdraw_command(reference: str) -> None:
    """Withdraw an open order."""
    _act("withdraw", reference)


@app.command("validate")
def validate_command(
    reference: str,
    validator_type: Annotated[
        str, typer.Option(help="judge, court, investigating_judge, prosecutor.")
    ],
    validator_name: Annotated[str, typer.Option()],
) -> None:
    """Validate an emergency order issued without prior validation (within 48 hours)."""
    from passerelle.evidence.schemas import ValidateIn
    from passerelle.evidence.service import orders

    data = ValidateIn.model_validate({"validator_type": validator_type,
                                      "validator_name": validator_name})  # fmt: skip
    with _session() as (node, session):
        order = orders.validate(session, node, _principal(), reference, data)
        typer.echo(f"{order.reference} validated by {order.validator_type}")


@app.command("export")
def export_command(
    reference: str,
    fmt: Annotated[str, typer.Option("--format", help="json or pdf.")] = "json",
    lang: Annotated[str, typer.Option(help="PDF language: fr, nl or en.")] = "fr",
    out: Annotated[str, typer.Option(help="Output file (default: standard output).")] = "",
) -> None:
    """Export an order with its answers as JSON or as a PDF certificate (audited read)."""
    from passerelle.evidence import export
    from passerelle.evidence.service import answers, orders

    if fmt not in ("json", "pdf"):
        raise UsageError("--format: json or pdf", field="format")
    with _session() as (node, session):
        order = orders.get(session, node, _principal(), reference)
        body = answers.to_out(session, order, node.clock.now())
    data = export.as_json(body) if fmt == "json" else export.as_pdf(body, lang)
    if out:
        Path(out).write_bytes(data)
        typer.echo(f"{reference}: {len(data)} bytes written to {out}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if fmt == "json":
            typer.echo("")


@app.command("rules")
def rules_command() -> None:
    """Who may issue which order for which data, with the deadlines and their sources."""
    from passerelle.evidence import rules

    for category, who in rules.PRODUCTION_ISSUERS.items():
        typer.echo(f"EPOC    {category:<15} {', '.join(who)}")
    typer.echo(f"EPOC-PR {'any':<15} {', '.join(rules.PRESERVATION_ISSUERS)}")
    typer.echo(
        f"sources: {rules.ISSUER_SOURCE}; {rules.DEADLINE_SOURCE}; {rules.PRESERVATION_SOURCE}"
    )
