"""``passerelle heritage …``: check an object offered for sale, register objects (with their
photographs and provenance) and report them stolen or recovered."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from passerelle.errors import UsageError

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
    from passerelle.heritage.service import check, parse

    data = parse.object_json(_read(object_file, "object"))
    images = [_read(path, "image") for path in image or []]
    node = _node()
    try:
        with node.session() as session:
            out = check.check(session, node, _principal(), data, images)
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
    from passerelle.heritage.service import parse, registry

    data = parse.object_json(_read(object_file, "object"))
    images = [_read(path, "image") for path in image or []]
    node = _node()
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
            for i, raw in enumerate(images):
                registry.add_photo(session, node, obj, raw, f"image[{i}]")
            reference = obj.reference
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
