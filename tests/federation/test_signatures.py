"""RFC 9421 signatures and RFC 9530 digests, checked against the RFCs' own test vectors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.errors import SignatureInvalid
from passerelle.federation import rules, signatures

# RFC 9421 Appendix B.1.4, "test-key-ed25519" (a published test key, not a secret).
RFC_KEY = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
"""
# RFC 9421 Appendix B.2.6, the Ed25519 signature of the example request.
RFC_SIGNATURE = (
    "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=="
)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _rfc_key() -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(RFC_KEY, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def test_signature_base_and_signature_match_rfc_9421_b_2_6() -> None:
    message = signatures.Message(
        headers={
            "date": "Tue, 20 Apr 2021 02:07:55 GMT",
            "content-type": "application/json",
            "content-length": "18",
        },
        method="POST",
        path="/foo",
        authority="example.com",
    )
    components = ["date", "@method", "@path", "@authority", "content-type", "content-length"]
    params = signatures.serialize_params(
        components, [("created", 1618884473), ("keyid", "test-key-ed25519")]
    )
    base = signatures.signature_base(message, components, params)
    assert base.decode().splitlines()[-1] == (
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" '
        '"content-length");created=1618884473;keyid="test-key-ed25519"'
    )
    assert base64.b64encode(_rfc_key().sign(base)).decode() == RFC_SIGNATURE


def test_content_digest_matches_rfc_9530() -> None:
    assert (
        signatures.content_digest(b'{"hello": "world"}\n')
        == "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"
    )
    assert (
        signatures.content_digest(b'{"hello": "world"}')
        == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    )


def _signed(key: Ed25519PrivateKey, body: bytes, when: datetime = NOW) -> dict[str, str]:
    return signatures.signed_headers(
        key, keyid="BE", body=body, now=when, method="POST", path=rules.INBOX_PATH
    )


def _verify(headers: dict[str, str], body: bytes, key: Ed25519PrivateKey) -> str:
    return signatures.verify(
        signatures.Message(headers=headers, method="POST", path=rules.INBOX_PATH),
        body=body,
        components=rules.REQUEST_COMPONENTS,
        key_for=lambda kid: key.public_key() if kid == "BE" else None,
        now=NOW,
    ).keyid


def test_a_signed_request_verifies_and_names_its_signer() -> None:
    key = Ed25519PrivateKey.generate()
    headers = _signed(key, b"{}")
    assert headers["signature-input"].startswith(
        'sig1=("@method" "@path" "date" "content-digest");created='
    )
    assert headers["signature-input"].endswith(';keyid="BE";alg="ed25519"')
    assert _verify(headers, b"{}", key) == "BE"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda h, b: ({}, b), "not signed"),
        (lambda h, b: (h, b + b" "), "altered in transit"),
        (
            lambda h, b: ({**h, "signature-input": h["signature-input"].replace("BE", "NL")}, b),
            "unknown key",
        ),
        (lambda h, b: ({**h, "signature": "sig1=:" + "A" * 86 + "==:"}, b), "bad signature"),
        (lambda h, b: ({**h, "date": "Mon, 02 Mar 2026 09:00:01 GMT"}, b), "bad signature"),
        (
            lambda h, b: ({**h, "signature-input": 'sig1=("@method");created=1;keyid="BE"'}, b),
            "does not cover",
        ),
    ],
)
def test_every_tampering_is_refused_with_its_reason(tamper, reason) -> None:  # type: ignore[no-untyped-def]
    key = Ed25519PrivateKey.generate()
    headers, body = tamper(_signed(key, b'{"a": 1}'), b'{"a": 1}')
    with pytest.raises(SignatureInvalid, match=reason):
        _verify(headers, body, key)


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_date_outside_five_minutes_is_refused(skew: timedelta) -> None:
    key = Ed25519PrivateKey.generate()
    headers = _signed(key, b"{}", when=NOW + skew)
    with pytest.raises(SignatureInvalid, match="outside the allowed ±5 minutes"):
        _verify(headers, b"{}", key)


def test_a_date_within_five_minutes_is_accepted() -> None:
    key = Ed25519PrivateKey.generate()
    assert _verify(_signed(key, b"{}", when=NOW - timedelta(minutes=4)), b"{}", key) == "BE"


def test_a_response_signature_covers_its_status() -> None:
    key = Ed25519PrivateKey.generate()
    headers = signatures.signed_headers(key, keyid="BE", body=b"{}", now=NOW, status=200)

    def check(status: int) -> None:
        signatures.verify(
            signatures.Message(headers=headers, status=status),
            body=b"{}",
            components=rules.RESPONSE_COMPONENTS,
            key_for=lambda kid: key.public_key(),
            now=NOW,
        )

    check(200)
    with pytest.raises(SignatureInvalid, match="bad signature"):
        check(409)
