"""Addresses of the main chains: the published test vectors pass, one changed character fails."""

from __future__ import annotations

import pytest

from passerelle.errors import ValidationFailed
from passerelle.financing.service import crypto
from passerelle.financing.service.keccak import keccak256

VALID = [
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "BTC", "p2pkh"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "BTC", "p2sh"),
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "BTC", "segwit-v0"),  # BIP-173
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "BTC", "taproot"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ETH", "account"),  # EIP-55
    ("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "ETH", "account"),
]


def test_keccak_is_the_original_padding_not_sha3() -> None:
    assert keccak256(b"").hex().startswith("c5d2460186f7233c927e7db2dcc703c0")


@pytest.mark.parametrize(("address", "chain", "kind"), VALID)
def test_published_addresses_are_valid(address: str, chain: str, kind: str) -> None:
    found = crypto.validate(address)
    assert (found.chain, found.kind) == (chain, kind)


def test_canonical_forms_compare_equal() -> None:
    assert crypto.canonical("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == VALID[4][0]
    assert crypto.canonical(VALID[2][0]) == VALID[2][0].lower()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "Base58Check checksum"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55 checksum"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "bech32 checksum"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "bech32m"),  # v0 with bech32m
        ("0x123", "40 hex digits"),
        ("hello", "not a Bitcoin or Ethereum address"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0", "not Base58"),
    ],
)
def test_mistyped_addresses_are_refused_with_the_reason(address: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason) as info:
        crypto.validate(address, "to_account")
    assert info.value.details["field"] == "to_account"
