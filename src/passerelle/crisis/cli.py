"""``passerelle crisis …``: validate CAP files, import files or feeds, send, acknowledge, list,
escalate and follow acknowledgements."""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from passerelle.errors import PayloadTooLarge

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.privacy import Principal

# The schema, the services, the node and the database are imported inside the commands:
# ``--help`` stays fast (issue #17, ``tests/cli/test_lazy.py``).

app = typer.Typer(name="crisis", help="CAP 1.2 alerts between crisis centres.")


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
        roles=frozenset({"analyst", "supervisor"}),
    )


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="CAP 1.2 documents to check.")],
) -> None:
    """Check files against the official CAP 1.2 schema: one line per file, `FILE: valid` or
    `FILE: invalid: REASON` (the schema error with its line); exit 0 when all are valid."""
    from passerelle.crisis import cap

    bad = 0
    for path in files:
        try:
            cap.validate(path.read_bytes())
        except OSError as exc:
            bad += 1
            typer.echo(f"{path}: invalid: cannot be read: {exc.strerror or exc}")
        except (cap.CapInvalid, PayloadTooLarge) as exc:
            bad += 1
            typer.echo(f"{path}: invalid: {exc.message}")
        else:
            typer.echo(f"{path}: valid")
    raise typer.Exit(1 if bad else 0)


@app.command("import")
def import_(
    sources: Annotated[list[str], typer.Argument(help="CAP files or feed URLs.")],
) -> None:
    """Import CAP alerts from files or URLs (a CAP document or an Atom feed); malformed ones
    are quarantined with the schema error. Exit 3 when any was quarantined."""
    from passerelle.crisis.service import feeds

    node = _node()
    quarantined = 0
    try:
        for source in sources:
            if source.startswith(("http://", "https://")):
                outcomes = feeds.fetch_url(node, _principal(), source)
            else:
                raw = Path(source).read_bytes()
                with node.session() as session:
                    outcomes, _ = feeds.import_bytes(
                        session, node, raw, source=source, by=_principal().name
                    )
            for o in outcomes:
                quarantined += o.result == "quarantined"
                reason = f": {o.reason}" if o.reason else ""
                typer.echo(f"{o.source}: {o.result} {o.id}{reason}")
    finally:
        node.close()
    raise typer.Exit(3 if quarantined else 0)


@app.command()
def send(
    file: Annotated[Path, typer.Argument(help="A CAP 1.2 document (or the id of a stored one).")],
    to: Annotated[list[str], typer.Option("--to", help="Peer node code; repeat for several.")],
) -> None:
    """Send a CAP message to peer crisis centres through the federation (signed, validated on
    the way out and in); prints one line per peer with its acknowledgement deadline."""
    from passerelle.crisis.service import exchange

    node = _node()
    try:
        principal = _principal()
        if file.exists():
            raw = file.read_bytes()
            with node.session() as session:
                message_id = exchange.adopt(session, node, principal, raw).id
        else:
            message_id = str(file)
        results = asyncio.run(
            exchange.send_now(node, principal, message_id, [p.upper() for p in to])
        )
        for r in results:
            typer.echo(
                f"{r.peer}: {r.status}  "
                + (
                    f"ack due {r.ack_due_at:%Y-%m-%d %H:%M:%S}Z"
                    if r.ack_due_at
                    else "no ack expected (not sent)"
                )
                + f"  {message_id}"
            )
    finally:
        node.close()


@app.command()
def ack(
    message_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a received message.")],
    note: Annotated[str, typer.Option("--note", help="What was done (CAP note).")] = "",
) -> None:
    """Acknowledge a message received from a peer: a CAP Ack, sent back through the federation."""
    from passerelle.crisis.service import exchange

    node = _node()
    try:
        result = asyncio.run(exchange.acknowledge_now(node, _principal(), message_id, note=note))
        typer.echo(f"ack {result.ack_id} to {result.peer}: {result.status}")
    finally:
        node.close()


@app.command("list")
def list_messages(
    search: Annotated[str, typer.Option("--search", help="Words of headline or event.")] = "",
) -> None:
    """Stored CAP messages, newest first, with their acknowledgement state."""
    from passerelle.crisis.service import acks, store

    node = _node()
    try:
        with node.session() as session:
            for m in store.search(session, node, _principal(), text=search):
                pending = [r.peer for r in acks.recipients(session, m.id) if r.acked_at is None]
                state = f"awaiting ack: {','.join(pending)}" if pending else ""
                typer.echo(
                    f"{m.id}  {m.sent:%Y-%m-%d %H:%M}  {m.msg_type:<6} {m.severity:<8} "
                    f"{m.origin:<10} {m.headline}  {state}".rstrip()
                )
    finally:
        node.close()


@app.command()
def escalate() -> None:
    """Run the escalation job once (the server runs it continuously)."""
    from passerelle.crisis.service import acks

    node = _node()
    try:
        fired, _ = acks.run_once(node)
        typer.echo(f"{fired} escalation(s) fired")
    finally:
        node.close()
