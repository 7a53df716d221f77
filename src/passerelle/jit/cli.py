"""``passerelle jit …``: teams, evidence (push over tus, fetch, custody report, offline
verification) and the agreement as PDF."""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.privacy import Principal

# Services, the node and the database are imported inside the commands: ``--help`` stays fast.

app = typer.Typer(name="jit", help="Joint investigation teams: workspace, evidence, custody.")
evidence_app = typer.Typer(name="evidence", help="Evidence items and their chain of custody.")
app.add_typer(evidence_app, name="evidence")


def _node() -> Node:
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    return open_node(get_settings())


def _principal() -> Principal:
    from passerelle.privacy import Principal

    return Principal(
        kind="cli",
        id=0,
        name=f"cli:{getpass.getuser()}",
        agency="node",
        roles=frozenset({"analyst", "supervisor"}),
    )


@evidence_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="The evidence file.")],
    report: Annotated[Path, typer.Argument(help="Its chain-of-custody report (JSON).")],
) -> None:
    """Check a file against its custody report, offline: exit 0 when the SHA-256 and every
    signature verify, 1 otherwise with each reason."""
    from passerelle.errors import MalformedInput
    from passerelle.jit import custody

    try:
        data = custody.parse_report(report.read_bytes())
    except (OSError, MalformedInput) as exc:
        typer.echo(f"not verified: the report cannot be read: {exc}", err=True)
        raise typer.Exit(1) from exc
    if not file.is_file():
        typer.echo(f"not verified: {file} is not a readable file", err=True)
        raise typer.Exit(1)
    found = custody.problems(data, file)
    if found:
        for reason in found:
            typer.echo(f"not verified: {reason}", err=True)
        raise typer.Exit(1)
    entries = data["entries"]
    typer.echo(
        f"verified: {file.name} sha256 {data['evidence']['sha256']}, "
        f"{len(entries)} custody entries, signatures of {', '.join(sorted(data['keys']))}"
    )


@evidence_app.command("report")
def report(
    evidence_id: Annotated[str, typer.Argument(help="Evidence item id.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write the PDF here.")] = None,
) -> None:
    """Write the chain-of-custody report of an item (JSON, and PDF with --pdf)."""
    from passerelle.jit import pdf as pdfs
    from passerelle.jit.service import evidence

    node = _node()
    with node.session() as session:
        data = evidence.report(session, node, _principal(), evidence_id)
    out.write_bytes(evidence.as_json(data))
    if pdf is not None:
        pdf.write_bytes(pdfs.custody_pdf(data))
    typer.echo(f"{out}: {len(data['entries'])} custody entries")


@evidence_app.command("fetch")
def fetch(
    evidence_id: Annotated[
        str | None, typer.Argument(help="Item id; all pending items when omitted.")
    ] = None,
) -> None:
    """Pull (or resume pulling) evidence content from the uploading node, verify its SHA-256
    and sign the 'received' custody entry."""
    import httpx

    from passerelle import federation
    from passerelle.federation import pull
    from passerelle.jit.service import transfer

    node = _node()

    with node.session() as session:
        ids = [evidence_id] if evidence_id else transfer.pending(session, node)

    async def run() -> list[str]:
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, read=300.0), **pull.client_options(node.settings)
        ) as c:
            done = []
            for item in ids:
                messages = await transfer.fetch(node, c, item)
                await federation.deliver_messages(node, c, messages)
                done.append(item)
            return done

    for item in asyncio.run(run()):
        typer.echo(f"{item}: received, SHA-256 verified")


@evidence_app.command("push")
def push(
    file: Annotated[Path, typer.Argument(help="The evidence file to upload.")],
    url: Annotated[str, typer.Option("--url", help="The node's base URL.")],
    jit: Annotated[str, typer.Option("--jit", help="JIT reference or id.")],
    token: Annotated[str, typer.Option("--token", envvar="PASSERELLE_TOKEN", help="API token.")],
    handling: Annotated[str, typer.Option("--handling")] = "H1",
    chunk_mb: Annotated[int, typer.Option("--chunk-mb", min=1, max=512)] = 16,
) -> None:
    """Upload a file with the tus 1.0 protocol, resuming an interrupted upload of the same
    file (its state is kept in FILE.tus beside it)."""
    from passerelle.jit import tusclient

    location = tusclient.upload(
        file,
        url.rstrip("/") + "/api/v1/jit/uploads",
        {"jit": jit, "filename": file.name, "handling": handling},
        headers={"authorization": f"Bearer {token}"},
        chunk=chunk_mb * 1024 * 1024,
    )
    typer.echo(f"uploaded: {location}")


@app.command("list")
def list_teams() -> None:
    """One line per JIT: reference, status, parties, name."""
    from passerelle.jit.service import teams

    node = _node()
    with node.session() as session:
        for t in teams.listing(session):
            typer.echo(f"{t.reference}\t{t.status}\t{','.join(t.countries)}\t{t.name}")


@app.command("open")
def open_team(
    file: Annotated[Path, typer.Argument(help="JSON: name, countries, terms, members.")],
) -> None:
    """Open a JIT from a JSON description (the model agreement's terms) and share it with the
    other parties."""
    from passerelle.errors import MalformedInput
    from passerelle.jit.schemas import TeamIn
    from passerelle.jit.service import teams

    try:
        data = TeamIn.model_validate(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise MalformedInput(f"{file}: {exc}") from exc
    node = _node()
    with node.session() as session:
        team = teams.open_team(session, node, _principal(), data)
        typer.echo(team.reference)


@app.command("agreement")
def agreement(
    team: Annotated[str, typer.Argument(help="JIT reference or id.")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    lang: Annotated[str, typer.Option("--lang", help="fr, nl or en.")] = "en",
) -> None:
    """Export the agreement with its extensions and amendments as PDF (FR/NL/EN)."""
    from passerelle.errors import UsageError
    from passerelle.jit import pdf, rules
    from passerelle.jit.service import common, teams

    if lang not in rules.LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(rules.LANGUAGES)}")
    node = _node()
    with node.session() as session:
        row = common.get_team(session, team)
        out.write_bytes(pdf.agreement_pdf(row, teams.versions(session, row.id), lang))
    typer.echo(f"{out}: agreement of {row.reference} ({lang})")
