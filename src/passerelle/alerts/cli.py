"""``passerelle alerts …``: the release calendar (table or iCalendar), the alert list and the
DPO's lookup of checks."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.privacy import Principal

# The services, the node and the database are imported inside the commands: ``--help`` stays
# fast (issue #17, ``tests/cli/test_lazy.py``).

app = typer.Typer(name="alerts", help="Alerts, the release calendar and returnees.")


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


@app.command()
def calendar(
    as_ics: Annotated[bool, typer.Option("--ics", help="Write iCalendar (RFC 5545).")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (standard output by default).")
    ] = None,
) -> None:
    """The release calendar: every release and the steps due before it."""
    from passerelle.alerts import rules
    from passerelle.alerts.service import detainees, ics

    node = _node()
    try:
        with node.session() as session:
            releases = detainees.calendar(session, node, _principal())
        if as_ics:
            text = ics.calendar(releases, node=node.code, now=node.clock.now())
        else:
            lines = []
            for r in releases:
                lines.append(
                    f"{r.release_date}  {rules.RELEASE_KINDS[r.kind]:<20} "
                    f"{r.detainee_name} ({r.institution})"
                )
                for s in r.steps:
                    flag = "done" if s.done_at else ("OVERDUE" if s.overdue else "due")
                    lines.append(f"    {s.due_date}  {s.label:<40} {flag}")
            text = "\n".join(lines) + ("\n" if lines else "no release planned\n")
    finally:
        node.close()
    if out is None:
        sys.stdout.buffer.write(text.encode())
        sys.stdout.flush()
    else:
        out.write_bytes(text.encode())
        typer.echo(f"{len(releases)} release(s) written to {out}", err=True)


@app.command("list")
def list_alerts(
    search: Annotated[str, typer.Option("--search", help="Name or reference contains.")] = "",
    category: Annotated[str, typer.Option("--category", help="Category code.")] = "",
) -> None:
    """Active alerts, newest first."""
    from passerelle.alerts.service import register

    node = _node()
    try:
        with node.session() as session:
            rows = register.search(session, node, _principal(), text=search, category=category)
            for a in rows:
                typer.echo(
                    f"{a.reference}  {a.category:<15} {a.family_name}, "
                    f"{a.given_names or ''}  {a.date_of_birth}  until {a.valid_until:%Y-%m-%d}"
                )
    finally:
        node.close()


@app.command()
def checked(
    family_name: str,
    given_names: Annotated[str, typer.Option("--given-names", help="Narrow to these.")] = "",
    birth_date: Annotated[str, typer.Option("--birth-date", help="YYYY-MM-DD.")] = "",
) -> None:
    """Was this person checked against the alerts, and by whom? (data-protection officer)"""
    from passerelle.alerts.service import checks

    node = _node()
    try:
        with node.session() as session:
            found = checks.lookup(
                session, node, _principal(), family_name, given_names or None, birth_date or None
            )
    finally:
        node.close()
    for f in found:
        result = ", ".join(f["candidates"]) or "no candidate"
        typer.echo(f"{f['at']:%Y-%m-%d %H:%M}  {f['by']} ({f['agency']})  {result}")
    if not found:
        typer.echo("no check of this person in the audit log")
