"""The egress guard of CAP feed fetches: which addresses are internal, the setting's syntax,
and the request pinned to the checked address."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from passerelle.crisis.service import egress
from passerelle.errors import ConfigurationError, ValidationFailed


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_internal_addresses(address: str, internal: bool) -> None:
    assert egress.internal(ipaddress.ip_address(address)) is internal


def test_the_setting_is_parsed_and_a_bad_network_is_a_configuration_error() -> None:
    assert egress.allowed_networks(" 10.0.0.0/8 ,127.0.0.1 ") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("127.0.0.1/32"),
    )
    with pytest.raises(ConfigurationError, match="not-a-net"):
        egress.allowed_networks("not-a-net")


def test_only_http_urls_are_fetched() -> None:
    for url in ("file:///etc/passwd", "gopher://x/", "ftp://example.org/feed"):
        with pytest.raises(ValidationFailed, match="http"):
            egress.resolve(url, "")


def test_the_request_goes_to_the_checked_address_with_the_name_as_host() -> None:
    """Resolved once, then pinned: the connection cannot be re-pointed by a second DNS answer."""
    target = egress.resolve("http://localhost:8080/feed.atom?x=1", "127.0.0.0/8,::1/128")
    assert str(target.address) in {"127.0.0.1", "::1"}
    assert target.url.host == str(target.address) and target.url.path == "/feed.atom"
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"ok")

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as client,
        egress.stream(client, target, timeout=5) as response,
    ):
        assert response.status_code == 200
    (request,) = seen
    assert request.headers["host"] == "localhost:8080"
    assert request.url.host == str(target.address)
    assert request.extensions["sni_hostname"] == "localhost"
