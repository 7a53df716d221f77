"""``passerelle financing …``: shared keys, the Bloom filter of subjects and its matching,
the import of suspicious-transaction reports, money-flow analysis and crypto-address checks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from passerelle.errors import PasserelleError

# numpy, the node and the database are imported inside the commands: ``--help`` stays fast.

app = typer.Typer(name="financing", help="Terrorism financing: FIU matching and money flows.")
key_app = typer.Typer(help="Keys shared with a partner FIU for the encoded filters.")
filter_app = typer.Typer(help="Bloom filters of subjects that reveal no name.")
app.add_typer(key_app, name="key")
app.add_typer(filter_app, name="filter")


@contextmanager
def _errors() -> Iterator[None]:
    # The same mapping as passerelle.cli.main, so the exit codes hold however it is called.
    try:
        yield
    except PasserelleError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None


@key_app.command("generate")
def key_generate(
    out: Annotated[Path, typer.Option("--out", help="Key file to create (never overwritten).")],
) -> None:
    """Generate a new shared key (rotation: generate, send to the partner, rebuild filters)."""
    from datetime import UTC, datetime

    from passerelle.financing.service import keys

    with _errors():
        key = keys.generate(datetime.now(UTC))
        keys.write(key, out)
    typer.echo(f"key {key.key_id} written to {out}")


@filter_app.command("build")
def filter_build(
    subjects: Annotated[Path, typer.Argument(help="Subjects CSV (columns of passerelle screen).")],
    key: Annotated[Path, typer.Option("--key", help="Shared key file.")],
    out: Annotated[Path, typer.Option("--out", help="Filter file to write.")],
    index: Annotated[
        Path | None,
        typer.Option("--index", help="Also write row,id (kept by this FIU, never published)."),
    ] = None,
) -> None:
    """Encode every subject into a padded, shuffled filter that holds no name, date or id."""
    from passerelle.csvsafe import SafeWriter
    from passerelle.financing.service import bloom, keys
    from passerelle.identity import read_people

    with _errors():
        shared = keys.read(key)
        flt, labels = bloom.build(shared, read_people(subjects))
        out.write_bytes(bloom.dumps(flt))
        if index is not None:
            with index.open("w", newline="", encoding="utf-8") as handle:
                writer = SafeWriter(handle, ("row", "id"), numeric=("row",), lineterminator="\n")
                writer.writerows((i, label) for i, label in enumerate(labels) if label)
    typer.echo(f"{len(flt)} rows written to {out}")


@filter_app.command("match")
def filter_match(
    filter_file: Annotated[Path, typer.Argument(help="A partner's FILTER.bin.")],
    candidates: Annotated[Path, typer.Argument(help="Candidates CSV (columns of screen).")],
    key: Annotated[Path, typer.Option("--key", help="Shared key file.")],
    out: Annotated[Path, typer.Option("--out", help="Output CSV: candidate_id,score.")],
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest Dice score kept.")
    ] = 0.7,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, max=64,
            help="Processes matching at once (default: the usable cores, at most 8); "
            "the output is the same whatever the number.",
        ),
    ] = None,
) -> None:  # fmt: skip
    """Match local candidates against the filter; write candidate_id,score of possible matches."""
    import os

    from passerelle.csvsafe import SafeWriter
    from passerelle.financing.service import bloom, keys, parallel
    from passerelle.identity import read_people

    with _errors():
        matcher = bloom.Matcher(bloom.read(filter_file), keys.read(key))
        found = parallel.best(matcher, list(read_people(candidates)), threshold, workers)
        # Written beside, then renamed: an interrupted run never leaves a partial matches file.
        part = out.with_name(f".{out.name}.part")
        try:
            with part.open("w", newline="", encoding="utf-8") as handle:
                writer = SafeWriter(
                    handle, ("candidate_id", "score"), numeric=("score",), lineterminator="\n"
                )
                writer.writerows((cid, f"{score:.3f}") for cid, _, score in found)
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
    typer.echo(f"{len(found)} possible matches written to {out}")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="goAML XML or CSV files.")],
) -> None:
    """Import reports: exit 0 all stored, 3 some quarantined (reasons printed), 2 bad input."""
    from passerelle.financing.service import reports
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    with _errors():
        node = open_node(get_settings())
        try:
            result = reports.import_files(node, files)
        finally:
            node.close()
    for reason in result.quarantined:
        typer.echo(f"quarantined: {reason}", err=True)
    typer.echo(f"{len(result.stored)} reports stored, {len(result.quarantined)} quarantined")
    if result.quarantined:
        raise typer.Exit(3)


@app.command("check-address")
def check_address(
    addresses: Annotated[list[str], typer.Argument(help="Bitcoin or Ethereum addresses.")],
) -> None:
    """Validate addresses (Base58Check, bech32/bech32m, EIP-55); exit 2 if one is invalid."""
    from passerelle.financing.service import crypto

    bad = False
    for text in addresses:
        try:
            found = crypto.validate(text)
            sys.stdout.write(f"{text}\tvalid\t{found.chain}\t{found.kind}\t{found.canonical}\n")
        except PasserelleError as exc:
            bad = True
            sys.stdout.write(f"{text}\tinvalid\t{exc.message}\n")
    if bad:
        raise typer.Exit(2)


def _operator() -> object:
    import getpass

    from passerelle.privacy import Principal

    # Run by the node's operator on the node itself; audited under their login name.
    return Principal(
        kind="cli", id=0, name=f"cli:{getpass.getuser()}", agency="node", roles=frozenset({"fiu"})
    )


@app.command("analyse")
def analyse() -> None:
    """Run the money-flow rules over the stored reports; print each new finding."""
    from passerelle.financing import rules
    from passerelle.financing.service import analysis
    from passerelle.node import open_node
    from passerelle.privacy import Principal
    from passerelle.settings import get_settings

    with _errors():
        node = open_node(get_settings())
        try:
            with node.session() as session:
                principal = _operator()
                assert isinstance(principal, Principal)
                for finding in analysis.analyse(session, node, principal):
                    label = rules.FLOW_RULES[finding.rule].label
                    typer.echo(f"{finding.id}\t{label}\t{finding.explanation}")
        finally:
            node.close()


@app.command("list-add")
def list_add(
    list_kind: Annotated[str, typer.Argument(help="person, dealer or crypto.")],
    origin: Annotated[str, typer.Option("--origin", help="Which list the entry comes from.")],
    name: Annotated[str, typer.Option("--name", help="Name (person or dealer).")] = "",
    date_of_birth: Annotated[str, typer.Option("--date-of-birth", help="YYYY-MM-DD.")] = "",
    account: Annotated[str, typer.Option("--account", help="Account or crypto address.")] = "",
) -> None:
    """Add an entry to a list the node holds (listed persons, dealers, crypto addresses)."""
    from passerelle.financing.service import analysis
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    with _errors():
        node = open_node(get_settings())
        try:
            with node.session() as session:
                entry = analysis.add_list_entry(
                    session, node, list_kind, name=name, date_of_birth=date_of_birth,
                    account=account, origin=origin,
                )  # fmt: skip
                typer.echo(f"{list_kind} entry {entry.id} added")
        finally:
            node.close()
