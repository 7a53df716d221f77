"""RFC 7422 deterministic address pools: (public IP, port, time) -> inside address by
computation, with no per-session log for the ports the pool assigns.

A pool maps a range of inside (private) addresses onto a range of outside (public) addresses
with a compression ratio ``C``: each subscriber gets ``(65536 - first_port) // C`` consecutive
ports on one outside address. Inside addresses are dealt round-robin over the outside
addresses (inside #0 -> outside #0, inside #1 -> outside #1, …), then onto the next port
block — or, with ``order="sequential"``, consecutive inside addresses take consecutive blocks
of one outside address (see :data:`passerelle.evidence.rules.RFC7422_ORDER`).
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from passerelle.errors import MalformedInput, ValidationFailed


def ip_to_int(text: str, field: str = "ip") -> int:
    """A dotted IPv4 address as an integer; a typed error names the field otherwise."""
    try:
        return int(ipaddress.IPv4Address(text.strip()))
    except (ipaddress.AddressValueError, ValueError):
        raise MalformedInput(f"{field}: not an IPv4 address: {text[:60]!r}", field=field) from None


def int_to_ip(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


#: The assignment orders a CGN may use (see :data:`passerelle.evidence.rules.RFC7422_ORDER`).
ORDERS = ("round_robin", "sequential")


@dataclass(frozen=True)
class Pool:
    """One deterministic pool, valid over [valid_from, valid_until) (epoch milliseconds)."""

    name: str
    inside: str  # CIDR, e.g. 100.64.0.0/22
    outside: str  # CIDR, e.g. 192.0.2.0/26
    ratio: int  # compression ratio C
    first_port: int = 1024
    valid_from_ms: int = 0
    valid_until_ms: int = 2**62
    #: ``round_robin``: inside #0, #1, … on outside #0, #1, … then the next port block;
    #: ``sequential``: consecutive inside addresses fill one outside address's blocks first.
    order: str = "round_robin"

    def __post_init__(self) -> None:
        if self.order not in ORDERS:
            raise ValidationFailed(f"order: {' or '.join(ORDERS)}", field="order")
        for field in ("inside", "outside"):
            try:
                ipaddress.IPv4Network(getattr(self, field), strict=True)
            except ValueError as exc:
                raise ValidationFailed(f"{field}: {exc}", field=field) from None
        if not 1 <= self.ratio <= 4096:
            raise ValidationFailed("ratio: between 1 and 4096", field="ratio")
        if not 1 <= self.first_port < 65536 or self.ports_per_subscriber < 1:
            raise ValidationFailed("first_port: leaves no port per subscriber", field="first_port")
        if self.valid_until_ms <= self.valid_from_ms:
            raise ValidationFailed("valid_until: must follow valid_from", field="valid_until")
        inside, outside = self._nets()
        if inside.num_addresses > outside.num_addresses * self.ratio:
            raise ValidationFailed(
                f"inside: {inside.num_addresses} addresses do not fit {outside.num_addresses} "
                f"outside addresses at 1:{self.ratio}",
                field="inside",
            )

    def _nets(self) -> tuple[ipaddress.IPv4Network, ipaddress.IPv4Network]:
        return ipaddress.IPv4Network(self.inside), ipaddress.IPv4Network(self.outside)

    @property
    def ports_per_subscriber(self) -> int:
        return (65536 - self.first_port) // self.ratio

    def forward(self, inside_ip: int) -> tuple[int, int, int] | None:
        """Inside address -> (outside address, first port, last port), or None."""
        inside, outside = self._nets()
        index = inside_ip - int(inside.network_address)
        if not 0 <= index < inside.num_addresses:
            return None
        if self.order == "sequential":
            column, block = divmod(index, self.ratio)
        else:
            block, column = divmod(index, outside.num_addresses)
        first = self.first_port + block * self.ports_per_subscriber
        return int(outside.network_address) + column, first, first + self.ports_per_subscriber - 1

    def reverse(self, outside_ip: int, port: int, at_ms: int) -> int | None:
        """(outside address, port, time) -> inside address when this pool assigned it."""
        if not self.valid_from_ms <= at_ms < self.valid_until_ms:
            return None
        inside, outside = self._nets()
        column = outside_ip - int(outside.network_address)
        if not 0 <= column < outside.num_addresses or port < self.first_port:
            return None
        block = (port - self.first_port) // self.ports_per_subscriber
        if block >= self.ratio:
            return None  # the leftover ports above the last block: dynamic, logged
        if self.order == "sequential":
            index = column * self.ratio + block
        else:
            index = block * outside.num_addresses + column
        if index >= inside.num_addresses:
            return None
        return int(inside.network_address) + index


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def make_pool(
    name: str,
    inside: str,
    outside: str,
    ratio: int,
    first_port: int = 1024,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    order: str = "round_robin",
) -> Pool:
    return Pool(
        name=name,
        inside=inside,
        outside=outside,
        ratio=ratio,
        first_port=first_port,
        valid_from_ms=_ms(valid_from) if valid_from else 0,
        valid_until_ms=_ms(valid_until) if valid_until else 2**62,
        order=order,
    )


def load_pools(path: Path) -> list[Pool]:
    """The pools file of a store (JSON list); a broken file is a typed error, not a crash."""
    if not path.exists():
        return []
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return [Pool(**item) for item in raw]
    except (ValueError, TypeError) as exc:
        raise MalformedInput(f"{path.name}: {exc}", field="pools") from None


def save_pools(path: Path, pools: list[Pool]) -> None:
    names = [p.name for p in pools]
    if len(set(names)) != len(names):
        raise ValidationFailed("name: pool names must be unique", field="name")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(p) for p in pools], indent=1), encoding="utf-8")
    os.replace(tmp, path)
