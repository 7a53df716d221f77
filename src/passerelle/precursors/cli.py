"""``passerelle precursors …``: check transactions (JSON lines), sellers and their catalogues,
the licence register, watched persons, patterns, reports and art. 19 statistics."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from passerelle.errors import PasserelleError, UsageError
from passerelle.precursors import rules

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from passerelle.node import Node
    from passerelle.privacy import Principal

# The schemas, the services, the node and the database are imported inside the commands:
# ``--help`` stays fast (issue #17, ``tests/cli/test_lazy.py``).

app = typer.Typer(name="precursors", help="Explosive precursors: sales checks and reports.")
seller_app = typer.Typer(help="Sellers (economic operators, marketplaces) and their tokens.")
catalogue_app = typer.Typer(help="A seller's product catalogue (trade names to CAS).")
licence_app = typer.Typer(help="The national licence register (art. 5(3)).")
watch_app = typer.Typer(help="Persons watched by the contact point.")
app.add_typer(seller_app, name="seller")
app.add_typer(catalogue_app, name="catalogue")
app.add_typer(licence_app, name="licence")
app.add_typer(watch_app, name="watch")


def _node() -> Node:
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    return open_node(get_settings())


def _principal() -> Principal:
    from passerelle.privacy import Principal

    # Commands run by the node's operator on the node itself; audited under their login name.
    return Principal(
        kind="cli",
        id=0,
        name=f"cli:{getpass.getuser()}",
        agency="node",
        roles=frozenset({"supervisor"}),
    )


@contextmanager
def _session() -> Iterator[tuple[Node, Session]]:
    node = _node()
    try:
        with node.session() as session:
            yield node, session
    finally:
        node.close()


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


@app.command("check")
def check_command(
    json_file: Annotated[
        str, typer.Option("--json", help="JSON-lines file of transactions ('-': standard input).")
    ],
    seller: Annotated[str, typer.Option(help="Seller code (needed when several exist).")] = "",
) -> None:
    """Check each transaction line; print one JSON object per line (decision, reasons,
    reference — or error, message, line). Unreadable lines are quarantined (exit 3)."""
    from passerelle.precursors.schemas import TransactionIn
    from passerelle.precursors.service import check, parse, registers

    data = _read(json_file)
    bad = 0
    node = _node()
    try:
        with node.session() as session:
            sellers = registers.list_sellers(session)
            if seller:
                chosen = registers.get_seller(session, seller)
            elif len(sellers) == 1:
                chosen = sellers[0]
            else:
                raise UsageError("give --seller CODE (the node has several sellers or none)")
        for line in parse.transaction_lines(data):
            try:
                with node.session() as session:
                    if line.error is not None:
                        raise line.error
                    assert isinstance(line.value, TransactionIn)
                    outcome = check.check(
                        session,
                        node,
                        _principal(),
                        registers.get_seller(session, chosen.code),
                        line.value,
                    )
                    _emit(outcome.out.model_dump())
            except PasserelleError as exc:
                bad += 1
                with node.session() as session:
                    parse.quarantine(
                        session,
                        node,
                        f"cli:{json_file}",
                        parse.Line(line.number, line.raw, None, exc),
                    )
                _emit({"line": line.number, "error": exc.code, "message": exc.message})
    finally:
        node.close()
    if bad:
        raise typer.Exit(3)


@seller_app.command("add")
def seller_add(
    code: str,
    name: Annotated[str, typer.Option()],
    kind: Annotated[str, typer.Option(help="shop, marketplace or distributor.")],
    channel: Annotated[str, typer.Option(help="online or offline.")],
    country: Annotated[str, typer.Option(help="Country of the sale, e.g. BE.")],
    city: Annotated[str, typer.Option()] = "",
) -> None:
    """Register a seller; prints its API token once (role marketplace)."""
    from passerelle.precursors.schemas import SellerIn
    from passerelle.precursors.service import registers

    data = SellerIn.model_validate(
        {
            "code": code,
            "name": name,
            "kind": kind,
            "channel": channel,
            "country": country.upper(),
            "city": city,
        }
    )
    with _session() as (node, session):
        row, token = registers.add_seller(session, node, data)
        node.audit_admin(session, _principal().actor, "precursors.seller", row.code, "add")
    typer.echo(f"seller {row.code} registered; token (shown once): {token}")


@seller_app.command("list")
def seller_list() -> None:
    """Sellers with their channel and country."""
    from passerelle.precursors.service import registers

    with _session() as (_, session):
        for s in registers.list_sellers(session):
            typer.echo(f"{s.code:<20} {s.kind:<12} {s.channel:<8} {s.country} {s.name}")


@catalogue_app.command("load")
def catalogue_load(seller: str, file: str) -> None:
    """Load a catalogue CSV (sku, trade_name, synonyms, cas, concentration[, particle_um])."""
    from passerelle.precursors.schemas import ProductRow
    from passerelle.precursors.service import parse, registers

    lines = list(parse.catalogue_rows(_read(file)))
    bad = 0
    with _session() as (node, session):
        registers.get_seller(session, seller)
        good = [ln.value for ln in lines if isinstance(ln.value, ProductRow)]
        for ln in lines:
            if ln.error is not None:
                bad += 1
                parse.quarantine(session, node, f"catalogue:{seller}", ln)
                typer.echo(f"line {ln.number}: {ln.error.message}", err=True)
        written = registers.load_catalogue(session, seller, good)
    typer.echo(f"{written} products loaded, {bad} lines quarantined")
    if bad:
        raise typer.Exit(3)


@catalogue_app.command("list")
def catalogue_list(seller: str) -> None:
    """A seller's products with CAS and concentration."""
    from passerelle.precursors.service import registers

    with _session() as (_, session):
        for p in registers.catalogue(session, seller):
            typer.echo(f"{p.sku:<16} {p.cas:<12} {p.concentration:>6g} %  {p.trade_name}")


@licence_app.command("add")
def licence_add(
    country: str,
    number: str,
    family_name: Annotated[str, typer.Option()],
    substances: Annotated[str, typer.Option(help="CAS numbers, comma separated.")],
    max_concentration: Annotated[float, typer.Option()],
    valid_from: Annotated[str, typer.Option(help="ISO date-time with offset.")],
    valid_until: Annotated[str, typer.Option(help="ISO date-time with offset.")],
    given_names: Annotated[str, typer.Option()] = "",
    date_of_birth: Annotated[str, typer.Option()] = "",
    document_number: Annotated[str, typer.Option()] = "",
) -> None:
    """Register a licence (art. 5(3)) in the national register."""
    from passerelle.precursors.schemas import LicenceIn
    from passerelle.precursors.service import registers

    data = LicenceIn.model_validate(
        {
            "country": country.upper(),
            "number": number,
            "family_name": family_name,
            "given_names": given_names,
            "date_of_birth": date_of_birth,
            "document_number": document_number,
            "substances": [s.strip() for s in substances.split(",") if s.strip()],
            "max_concentration": max_concentration,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
    )
    with _session() as (node, session):
        registers.add_licence(session, data)
        node.audit_admin(session, _principal().actor, "precursors.licence", number, "add")
    typer.echo(f"licence {country.upper()} {number} registered")


@licence_app.command("import")
def licence_import(
    file: Annotated[str, typer.Argument(help="CSV file ('-': standard input).")],
    rejects: Annotated[
        str, typer.Option(help="Also write the rejected rows (line, field, reason) to this CSV.")
    ] = "",
) -> None:
    """Import licences from a CSV file (country, number, family_name, substances,
    max_concentration, valid_from, valid_until[, given_names, date_of_birth, document_number]):
    new ones are added, changed ones updated, the same file again changes nothing. Rows in
    error are quarantined and listed with their field and reason (exit 3)."""
    from passerelle.precursors.service import licences

    data = _read(file)
    with _session() as (node, session):
        result = licences.import_file(session, node, _principal(), f"licences:{file}", data)
    for r in result.rejected:
        typer.echo(f"line {r.line}, {r.field}: {r.reason}", err=True)
    if rejects:
        from passerelle.csvsafe import SafeWriter

        with open(rejects, "w", encoding="utf-8", newline="") as handle:
            writer = SafeWriter(handle, ("line", "field", "reason"), numeric=("line",))
            writer.writerows((r.line, r.field, r.reason) for r in result.rejected)
    typer.echo(
        f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
        f"{len(result.rejected)} rejected (quarantined)"
    )
    if result.rejected:
        raise typer.Exit(3)


@licence_app.command("revoke")
def licence_revoke(country: str, number: str) -> None:
    """Revoke a licence: checks citing it are no longer allowed."""
    from passerelle.precursors.service import registers

    with _session() as (node, session):
        registers.revoke_licence(session, country.upper(), number, now=node.clock.now())
        node.audit_admin(session, _principal().actor, "precursors.licence", number, "revoke")
    typer.echo(f"licence {country.upper()} {number} revoked")


@watch_app.command("add")
def watch_add(
    family_name: Annotated[str, typer.Option()],
    reason: Annotated[str, typer.Option()],
    given_names: Annotated[str, typer.Option()] = "",
    date_of_birth: Annotated[str, typer.Option()] = "",
    document_number: Annotated[str, typer.Option()] = "",
) -> None:
    """Watch a person: any check naming them is reported to the contact point."""
    from passerelle.precursors.schemas import WatchedIn
    from passerelle.precursors.service import registers

    data = WatchedIn(
        family_name=family_name,
        given_names=given_names,
        date_of_birth=date_of_birth,
        document_number=document_number,
        reason=reason,
    )
    with _session() as (node, session):
        row = registers.add_watched(session, node, _principal(), data)
        node.audit(
            session,
            _principal().actor,
            action="write",
            object_type="precursors.watched",
            object_id=row.id,
            purpose="precursors watch list",
            legal_basis=rules.REPORT_SOURCE,
        )
    typer.echo(f"watched person {row.id} added")


@app.command("patterns")
def patterns_command(
    days: Annotated[int, typer.Option(help="Look back this many days.")] = 7,
) -> None:
    """Detect patterns across sellers and the border; new ones are reported."""
    from passerelle.precursors.service import detection

    with _session() as (node, session):
        now = node.clock.now()
        found = detection.run(
            session, node, _principal(), since=now - timedelta(days=days), until=now
        )
        for p in found:
            typer.echo(f"{p.kind:<15} {','.join(p.countries):<6} {p.summary}")
    typer.echo(f"{len(found)} new patterns")


@app.command("reports")
def reports_command(
    overdue: Annotated[bool, typer.Option(help="Only reports past their 24 h deadline.")] = False,
) -> None:
    """Reports to the contact point with their deadline."""
    from passerelle.precursors.service import reports

    with _session() as (node, session):
        now = node.clock.now()
        rows = (
            reports.overdue(session, now)
            if overdue
            else reports.search(session, node, _principal())
        )
        for r in rows:
            state = (
                "acknowledged" if r.acknowledged_at else ("OVERDUE" if r.due_at < now else "open")
            )
            typer.echo(f"{r.reference:<18} {r.kind:<13} due {r.due_at:%Y-%m-%d %H:%M} {state}")


@app.command("stats")
def stats_command(year: Annotated[int, typer.Option()] = 0) -> None:
    """Art. 19 annual statistics, split online/offline (JSON)."""
    from passerelle.precursors.service import reports

    with _session() as (node, session):
        year = year or node.clock.now().year
        _emit({"year": year, **reports.statistics(session, year)})


@app.command("substances")
def substances_command() -> None:
    """The Annex I and II tables: CAS, limit value, licence upper limit, CN codes."""
    for s in rules.SUBSTANCES.values():
        limit = f"{s.limit:g} %" if s.limit is not None else "-"
        upper = f"{s.licence_upper:g} %" if s.licence_upper is not None else "-"
        typer.echo(
            f"{s.annex:<3} {s.cas:<11} {s.name:<30} {limit:>7} {upper:>7}  {s.cn_pure} | "
            f"{s.cn_mixture}"
        )
