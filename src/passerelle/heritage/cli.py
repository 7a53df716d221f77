"""``passerelle heritage …``: check an object offered for sale, register objects (with their
photographs and provenance) and report them stolen or recovered."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from passerelle.errors import PasserelleError, UsageError

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.privacy import Principal

# Services, Pillow and the database are imported inside the commands: ``--help`` stays fast.

app = typer.Typer(name="heritage", help="Cultural goods: provenance, sale checks, stolen objects.")


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
        roles=frozenset({"supervisor"}),
    )


def _read(path: str, what: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {path}: {exc.strerror}", field=what) from None


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str, indent=2) + "\n")


ObjectOpt = Annotated[
    str, typer.Option("--object", help="Object JSON (Object ID, provenance, offer; '-': stdin).")
]
ImageOpt = Annotated[
    list[str] | None, typer.Option("--image", help="A photograph (JPEG, PNG, WebP); repeatable.")
]


@app.command("check")
def check_command(
    object_file: ObjectOpt,
    image: ImageOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check an object offered for sale: the applicable rules, the risk and the candidate
    stolen-object matches with scores and reasons (the check is recorded)."""
    from passerelle.heritage.service import check, parse, quarantine

    raw = _read(object_file, "object")
    images = [_read(path, "image") for path in image or []]
    node = _node()
    source = f"cli:{getpass.getuser()} check"
    try:
        data = quarantine.guarded(node, source, raw, parse.object_json)
        try:
            with node.session() as session:
                out = check.check(session, node, _principal(), data, images)
        except PasserelleError as exc:
            quarantine.refused_images(node, source, images, exc)
            raise
    finally:
        node.close()
    if as_json:
        _emit(out.model_dump(mode="json"))
        return
    print(f"{out.reference}  {out.title}: risk {out.risk}")
    for reason in out.risk_reasons:
        print(f"  - {reason}")
    for rule in out.rules:
        if rule.applies:
            print(f"  rule {rule.code}: {rule.finding} [{rule.source}]")
    for m in out.matches:
        print(f"  match {m.reference} {m.title} ({m.status}, score {m.score:.2f})")


@app.command("register")
def register_command(
    object_file: ObjectOpt,
    image: ImageOpt = None,
    stolen: Annotated[bool, typer.Option(help="Register it as stolen (screened).")] = False,
    source: Annotated[str, typer.Option(help="The list it comes from, e.g. interpol.")] = "local",
) -> None:
    """Register an object (Object ID, provenance) with its photographs; print its reference."""
    from passerelle.heritage.service import parse, quarantine, registry

    raw = _read(object_file, "object")
    images = [_read(path, "image") for path in image or []]
    node = _node()
    origin = f"cli:{getpass.getuser()} register"
    try:
        data = quarantine.guarded(node, origin, raw, parse.registration_json)
        try:
            with node.session() as session:
                obj = registry.register(
                    session,
                    node,
                    _principal(),
                    data,
                    status="stolen" if stolen else "registered",
                    source=source,
                )
                for i, photo in enumerate(images):
                    registry.add_photo(session, node, obj, photo, f"image[{i}]")
                reference = obj.reference
        except PasserelleError as exc:
            quarantine.refused_images(node, origin, images, exc)
            raise
    finally:
        node.close()
    _emit({"reference": reference, "status": "stolen" if stolen else "registered"})


@app.command("status")
def status_command(
    reference: str,
    status: Annotated[str, typer.Argument(help="stolen or recovered.")],
) -> None:
    """Report a registered object stolen, or recovered."""
    from passerelle.heritage.service import registry

    if status not in ("stolen", "recovered"):
        raise UsageError("status is stolen or recovered", field="status")
    node = _node()
    try:
        with node.session() as session:
            obj = registry.get(session, reference)
            registry.set_status(session, node, _principal(), obj, status)
    finally:
        node.close()
    _emit({"reference": reference, "status": status})


@app.command("quarantine")
def quarantine_command(
    item: Annotated[str, typer.Argument(help="An item id: print its kept bytes.")] = "",
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Items listed.")] = 100,
) -> None:
    """List the refused object JSON and photographs (id, date, source, field, size, reason),
    or write one item's kept bytes to stdout (audited reads)."""
    from passerelle.heritage.service import quarantine

    node = _node()
    try:
        with node.session() as session:
            if item:
                row = quarantine.item(session, node, _principal(), item)
                sys.stdout.buffer.write(row.raw)
                return
            rows = quarantine.items(session, node, _principal(), limit)
            for r in rows:
                print(
                    f"{r.id}\t{r.received_at.isoformat()}\t{r.source}\t{r.field}\t"
                    f"{r.size}\t{r.reason}"
                )
            print(f"{len(rows)} quarantined", file=sys.stderr)
    finally:
        node.close()
