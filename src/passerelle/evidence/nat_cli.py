"""``passerelle nat …``: the access provider's NAT-log store (ingest, RFC 7422 pools, lookup).

``nat lookup IP PORT TIMESTAMP [--json]`` prints the subscriber line and the evidence
(``mapping`` or ``log``); exit 0 when attributed, 3 when no record covers it, 2 on bad input.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from passerelle.errors import MalformedInput, PasserelleError, UsageError

app = typer.Typer(name="nat", help="CGNAT subscriber attribution: NAT logs and RFC 7422 pools.")
pool_app = typer.Typer(help="RFC 7422 deterministic address pools of the store.")
app.add_typer(pool_app, name="pool")

StoreOption = Annotated[
    str, typer.Option("--store", help="Store directory (default: the node's data_dir/nat).")
]


def _store_dir(store: str) -> Path:
    if store:
        return Path(store)
    from passerelle.settings import get_settings

    return get_settings().data_dir / "nat"


def _fail(exc: PasserelleError) -> typer.Exit:
    typer.echo(f"error: {exc.message}", err=True)
    return typer.Exit(exc.exit_code)


def _audit(query: str, outcome: str) -> None:
    """The lookup reads personal data: one audit entry on the node, as for every read."""
    from passerelle.evidence import rules
    from passerelle.node import open_node
    from passerelle.privacy import Principal
    from passerelle.settings import get_settings

    node = open_node(get_settings())
    try:
        actor = Principal(
            kind="cli",
            id=0,
            name=f"cli:{getpass.getuser()}",
            agency="node",
            roles=frozenset({"supervisor"}),
        ).actor
        with node.session() as session:
            node.audit(
                session,
                actor,
                action="read",
                object_type="evidence.nat",
                object_id=query,
                purpose=rules.NAT_LOOKUP_PURPOSE,
                legal_basis=rules.CATEGORY_SOURCE,
                outcome=outcome,
            )
    finally:
        node.close()


@app.command("lookup")
def lookup_command(
    ip: Annotated[str, typer.Argument(help="Public IPv4 address.")],
    port: Annotated[str, typer.Argument(help="Source port (0-65535).")],
    timestamp: Annotated[str, typer.Argument(help="ISO-8601 time with zone, e.g. …Z.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    store: StoreOption = "",
) -> None:
    """Attribute (IP, PORT, TIMESTAMP) to a subscriber line: exit 0 attributed, 3 not
    covered, 2 bad input."""
    from passerelle.evidence.nat.lookup import attribute, parse_query
    from passerelle.evidence.nat.store import NatStore

    try:
        query = parse_query(ip, port, timestamp)
        found = attribute(NatStore(_store_dir(store)), query)
    except PasserelleError as exc:
        raise _fail(exc) from None
    _audit(f"{ip}:{port}@{timestamp}"[:120], "ok" if found else "not found")
    if found is None:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "subscriber": None,
                        "evidence": None,
                        "public_ip": ip,
                        "port": int(port),
                        "timestamp": timestamp,
                    }
                )
            )
        else:
            typer.echo(f"no record covers {ip}:{port} at {timestamp}", err=True)
        raise typer.Exit(3)
    typer.echo(json.dumps(found.to_dict()) if as_json else found.line())


@app.command("ingest")
def ingest_command(
    file: Annotated[str, typer.Argument(help="CSV or syslog file ('-': standard input).")],
    fmt: Annotated[str, typer.Option("--format", help="csv (IPFIX-derived) or syslog.")] = "csv",
    store: StoreOption = "",
) -> None:
    """Load NAT session records into the partitioned Parquet store; rejected rows go to the
    quarantine with their reason (exit 3). A file already ingested (same SHA-256) is not
    stored twice."""
    from passerelle.evidence.nat.store import NatStore

    try:
        if fmt not in ("csv", "syslog"):
            raise UsageError("--format: csv or syslog", field="format")
        data = sys.stdin.buffer.read() if file == "-" else _read(file)
        done = NatStore(_store_dir(store)).ingest(data, fmt, file)
    except PasserelleError as exc:
        raise _fail(exc) from None
    if done.duplicate:
        typer.echo(
            f"already ingested (sha256 {done.digest[:16]}…, {done.first.get('records', 0)} "
            f"records from {done.first.get('source', '?')}): nothing stored"
        )
        return
    for r in done.rejects[:20]:
        typer.echo(f"line {r.line}: {r.reason}", err=True)
    typer.echo(
        f"{done.written} records stored, {done.rejected} rejected"
        + (f" (quarantine: {done.quarantine})" if done.quarantine else "")
    )
    if done.rejected:
        raise typer.Exit(3)


@app.command("compact")
def compact_command(store: StoreOption = "") -> None:
    """Merge each hour's files into one sorted file, so lookups read few footers."""
    from passerelle.evidence.nat.store import NatStore

    hours = NatStore(_store_dir(store)).compact()
    typer.echo(f"{hours} hours compacted")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", field="file") from None


def _when(text: str, field: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedInput(f"{field}: not an ISO-8601 time", field=field) from None
    if value.tzinfo is None:
        raise MalformedInput(f"{field}: give the zone", field=field)
    return value


@pool_app.command("add")
def pool_add(
    name: str,
    inside: Annotated[str, typer.Option(help="Inside prefix, e.g. 100.64.0.0/22.")],
    outside: Annotated[str, typer.Option(help="Outside prefix, e.g. 192.0.2.0/26.")],
    ratio: Annotated[int, typer.Option(help="Compression ratio C (subscribers per address).")],
    first_port: Annotated[int, typer.Option(help="First port of the blocks.")] = 1024,
    valid_from: Annotated[str, typer.Option(help="ISO time with zone (default: always).")] = "",
    valid_until: Annotated[str, typer.Option(help="ISO time with zone (default: open).")] = "",
    order: Annotated[
        str, typer.Option(help="round_robin (over outside addresses) or sequential.")
    ] = "round_robin",
    store: StoreOption = "",
) -> None:
    """Declare a deterministic pool: its ports are attributed by computation, not logs."""
    from passerelle.evidence.nat.pools import load_pools, make_pool, save_pools

    try:
        path = _store_dir(store) / "pools.json"
        pool = make_pool(
            name,
            inside,
            outside,
            ratio,
            first_port,
            _when(valid_from, "valid_from"),
            _when(valid_until, "valid_until"),
            order,
        )
        save_pools(path, [*load_pools(path), pool])
    except PasserelleError as exc:
        raise _fail(exc) from None
    typer.echo(
        f"pool {name}: {inside} -> {outside} at 1:{ratio}, "
        f"{pool.ports_per_subscriber} ports per subscriber from {first_port}, {order}"
    )


@pool_app.command("list")
def pool_list(store: StoreOption = "") -> None:
    """The deterministic pools with their ports per subscriber."""
    from passerelle.evidence.nat.pools import load_pools

    try:
        pools = load_pools(_store_dir(store) / "pools.json")
    except PasserelleError as exc:
        raise _fail(exc) from None
    for p in pools:
        typer.echo(
            f"{p.name:<16} {p.inside:<18} -> {p.outside:<18} 1:{p.ratio:<5} "
            f"{p.ports_per_subscriber} ports from {p.first_port}"
        )
