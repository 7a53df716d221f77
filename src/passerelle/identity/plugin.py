"""How the identity engine plugs into a node: the ``screen`` command and the screening API."""

from __future__ import annotations

import typer
from fastapi import APIRouter


def _register_kinds() -> None:
    from passerelle.identity import peer_search

    peer_search.register()


_register_kinds()


def register_cli(app: typer.Typer) -> None:
    from passerelle.identity.cli import screen

    app.command("screen")(screen)


def routers() -> list[APIRouter]:
    from passerelle.identity.api import router

    return [router]
