"""Red-team finding 9: TLS between nodes. Two real nodes on loopback speak HTTPS with a test CA
made at run time; the inbox requires mutual TLS with the certificate pinned for the signer."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from passerelle import domains
from passerelle.federation import demo, keys, peers, policies, rules, signatures, tls
from passerelle.node import Node, open_node
from passerelle.privacy import accounts, audit
from passerelle.settings import Settings
from passerelle.web.app import create_app
from passerelle.web.server import uvicorn_options

NOW = dt.datetime.now(dt.UTC)


@dataclass
class Pki:
    """A CA and its certificates, as PEM files."""

    folder: Path
    ca_key: ec.EllipticCurvePrivateKey
    ca: x509.Certificate

    @classmethod
    def create(cls, folder: Path) -> Pki:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Passerelle test CA")])
        ca = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(hours=1))
            .not_valid_after(NOW + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        pki = cls(folder, key, ca)
        (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        return pki

    @property
    def ca_file(self) -> str:
        return str(self.folder / "ca.pem")

    def issue(self, name: str) -> tuple[str, str, str]:
        """A server-and-client certificate for 127.0.0.1: (cert file, key file, SHA-256)."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(hours=1))
            .not_valid_after(NOW + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
                ),
                critical=False,
            )
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                critical=False,
            )
            .sign(self.ca_key, hashes.SHA256())
        )
        cert_file, key_file = self.folder / f"{name}.pem", self.folder / f"{name}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        der = cert.public_bytes(serialization.Encoding.DER)
        return str(cert_file), str(key_file), tls.fingerprint(der)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TlsNode:
    node: Node
    url: str
    cert: str
    key: str
    pin: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    folder = tmp_path / "pki"
    folder.mkdir()
    return Pki.create(folder)


@pytest.fixture
def two_nodes(tmp_path: Path, pki: Pki) -> Iterator[dict[str, TlsNode]]:
    """FR and BE over HTTPS, each pinning the other's certificate; the inbox needs mTLS."""
    made: dict[str, TlsNode] = {}
    settings: dict[str, Settings] = {}
    for code in ("FR", "BE"):
        cert, key, pin = pki.issue(code.lower())
        port = _free_port()
        settings[code] = Settings(
            data_dir=tmp_path / code.lower(),
            node=code,
            host="127.0.0.1",
            port=port,
            public_url=f"https://127.0.0.1:{port}",
            retention_interval_seconds=0,
            federation_timeout_seconds=30,  # a shared, busy machine
            log_level="warning",
            tls_cert=cert,
            tls_key=key,
            tls_client_ca=pki.ca_file,
            tls_ca=pki.ca_file,
        ).with_(**domains.demo_settings(code))
        keys.generate(settings[code])
        node = open_node(settings[code])
        config = uvicorn.Config(create_app(node), **uvicorn_options(settings[code]))
        server = uvicorn.Server(config)
        made[code] = TlsNode(
            node, settings[code].public_url, cert, key, pin, server, threading.Thread()
        )
    for code, other in (("FR", "BE"), ("BE", "FR")):
        node = made[code].node
        with node.session() as session:
            accounts.ensure_agency(session, code, code, code)
            peers.add(
                session,
                other,
                made[other].url,
                keys.public_text(keys.load(settings[other])),
                now=node.clock.now(),
                tls_cert_sha256=made[other].pin,
            )
            policies.apply_defaults(
                session, node, audit.Actor("admin", code), other, "TLS test", protocol_only=True
            )
    demo.seed(made["BE"].node)
    for tn in made.values():
        tn.thread = threading.Thread(target=tn.server.run, daemon=True)
        tn.thread.start()
    deadline = time.monotonic() + 30
    while not all(tn.server.started for tn in made.values()):
        assert time.monotonic() < deadline, "the nodes did not start"
        time.sleep(0.05)
    yield made
    for tn in made.values():
        tn.server.should_exit = True
    for tn in made.values():
        tn.thread.join(timeout=30)
        tn.node.close()


def _signed_query(fr: TlsNode) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": str(uuid.uuid4()),
            "sender": "FR",
            "recipient": "BE",
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "type": "query",
            "purpose": "test",
            "legal_basis": "test",
            "case_ref": "TLS-1",
            "payload": {
                "kind": demo.DEMO_KIND,
                "query": {"family_name": "PEETERS", "birth_date": "1985-03-14"},
            },
            "handling": {"code": "H0"},
        }
    ).encode()
    headers = signatures.signed_headers(
        keys.load(fr.node.settings),
        keyid="FR",
        body=body,
        now=dt.datetime.now(dt.UTC),
        method="POST",
        path=rules.INBOX_PATH,
    )
    headers["content-type"] = "application/json"
    return body, headers


def _context(pki: Pki, cert: tuple[str, str] | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=pki.ca_file)
    if cert is not None:
        context.load_cert_chain(*cert)
    return context


def test_two_nodes_exchange_a_signed_query_over_mutual_tls(
    two_nodes: dict[str, TlsNode], pki: Pki
) -> None:
    fr = two_nodes["FR"]
    with fr.node.session() as session:
        token = accounts.create_token(
            session, name="analyst", role="analyst", agency="FR", now=fr.node.clock.now()
        )
    with httpx.Client(base_url=fr.url, verify=_context(pki, None), timeout=30) as client:
        reply = client.post(
            "/api/v1/federation/queries",
            headers={"authorization": f"Bearer {token}"},
            json={
                "kind": demo.DEMO_KIND,
                "payload": {"family_name": "PEETERS", "birth_date": "1985-03-14"},
                "peers": ["BE"],
                "case_ref": "TLS-1",
                "purpose": "test over TLS",
                "legal_basis": "test",
            },
        )
    assert reply.status_code == 200, reply.text
    answer = reply.json()["answers"][0]
    assert (answer["peer"], answer["status"]) == ("BE", "hit"), answer
    assert answer["reference"]


def test_the_inbox_refuses_a_client_without_the_pinned_certificate(
    two_nodes: dict[str, TlsNode], pki: Pki
) -> None:
    fr, be = two_nodes["FR"], two_nodes["BE"]
    rogue_cert, rogue_key, _ = pki.issue("rogue")  # signed by the same CA, pinned nowhere
    outcomes = {}
    for name, cert in {
        "no certificate": None,
        "unpinned certificate": (rogue_cert, rogue_key),
        "BE's own certificate": (be.cert, be.key),
        "FR's pinned certificate": (fr.cert, fr.key),
    }.items():
        body, headers = _signed_query(fr)  # a valid signature by FR every time
        with httpx.Client(verify=_context(pki, cert), timeout=30) as client:
            response = client.post(be.url + rules.INBOX_PATH, content=body, headers=headers)
        outcomes[name] = response.status_code
    assert outcomes == {
        "no certificate": 403,
        "unpinned certificate": 403,
        "BE's own certificate": 403,
        "FR's pinned certificate": 200,
    }


def test_plain_http_is_not_served_and_the_server_certificate_is_verified(
    two_nodes: dict[str, TlsNode],
) -> None:
    be = two_nodes["BE"]
    with pytest.raises(httpx.HTTPError):
        httpx.get(be.url.replace("https://", "http://") + "/health", timeout=5)
    with pytest.raises(httpx.ConnectError):  # not signed by a CA the client trusts
        httpx.get(be.url + "/health", timeout=5)
