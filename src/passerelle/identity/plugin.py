"""How the identity engine plugs into a node: peer search and the screening API."""

from __future__ import annotations

from fastapi import APIRouter


def _register_kinds() -> None:
    from passerelle.identity import peer_search

    peer_search.register()


_register_kinds()


def routers() -> list[APIRouter]:
    from passerelle.identity.api import router

    return [router]
