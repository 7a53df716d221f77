"""Every PNR route declares what it returns, so the OpenAPI document gives clients a schema."""

from __future__ import annotations

import typing

from fastapi.routing import APIRoute
from pydantic import BaseModel

from passerelle.pnr.api import router


def _models(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [m for a in args for m in _models(a)]


def test_every_pnr_route_returns_a_declared_model() -> None:
    untyped = []
    for route in router.routes:
        assert isinstance(route, APIRoute)
        found = _models(route.response_model)
        if not found or not all(isinstance(m, type) and issubclass(m, BaseModel) for m in found):
            untyped.append(f"{sorted(route.methods)} {route.path}: {route.response_model!r}")
    assert not untyped, "\n".join(untyped)
