"""Where a CAP feed fetch may connect: public addresses only, unless a setting allows more.

A feed URL is typed by a user, so without a guard the node would fetch from inside its own
network for them (server-side request forgery: a cloud metadata service at 169.254.169.254, an
admin port on localhost, a database on 10.x). Before connecting, the host is resolved; if any
of its addresses is private, loopback, link-local, multicast, reserved or unspecified and not in
``PASSERELLE_CRISIS_FEED_ALLOWED_NETWORKS``, the fetch is refused. The request then goes to the
address that was checked (the name is sent as ``Host`` and TLS server name), so a second DNS
answer cannot point the connection elsewhere (DNS rebinding). Redirects are not followed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import httpx

from passerelle.errors import ConfigurationError, Unavailable, ValidationFailed

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Shared address space (RFC 6598, carrier-grade NAT): not "private" for ``ipaddress``.
_SHARED = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class Target:
    """A URL to connect to (host replaced by the checked address) and the name it stands for."""

    url: httpx.URL
    host: str
    address: Address


@lru_cache(maxsize=16)
def allowed_networks(text: str) -> tuple[Network, ...]:
    """The setting's networks: CIDR notation, comma-separated (``127.0.0.1/32,10.0.0.0/8``)."""
    found = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigurationError(
                f"PASSERELLE_CRISIS_FEED_ALLOWED_NETWORKS: {part!r} is not a network ({exc})"
            ) from exc
    return tuple(found)


def internal(address: Address) -> bool:
    """Whether ``address`` is not a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return internal(address.ipv4_mapped)
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in _SHARED
    )


def _addresses(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unavailable(f"{host} could not be resolved ({exc})") from exc
    seen: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    if not seen:
        raise Unavailable(f"{host} could not be resolved")
    return seen


def resolve(url: str, allowed: str) -> Target:
    """Check where ``url`` leads; the URL to connect to, pinned to the checked address."""
    if not url.startswith(("http://", "https://")):
        raise ValidationFailed("a feed URL starts with http:// or https://", field="url")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValidationFailed(f"not a URL: {exc}", field="url") from exc
    host = parsed.host
    if not host:
        raise ValidationFailed("a feed URL names a host", field="url")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    networks = allowed_networks(allowed)
    addresses = _addresses(host, port)
    for address in addresses:
        if internal(address) and not any(address in n for n in networks):
            raise ValidationFailed(
                f"{host} resolves to {address}, a private, loopback or link-local address: "
                "feeds are fetched from public addresses only (an admin may allow a network "
                "with PASSERELLE_CRISIS_FEED_ALLOWED_NETWORKS)",
                field="url",
            )
    return Target(parsed.copy_with(host=str(addresses[0])), host, addresses[0])


@contextlib.contextmanager
def stream(client: httpx.Client, target: Target, *, timeout: float) -> Iterator[httpx.Response]:
    """Send the GET to the checked address, with the original name as Host and TLS name."""
    request = client.build_request(
        "GET",
        target.url,
        headers={"host": _host_header(target)},
        timeout=timeout,
        extensions={"sni_hostname": target.host},
    )
    response = client.send(request, stream=True)
    try:
        yield response
    finally:
        response.close()


def _host_header(target: Target) -> str:
    port = target.url.port
    host = f"[{target.host}]" if ":" in target.host else target.host
    return f"{host}:{port}" if port is not None else host
