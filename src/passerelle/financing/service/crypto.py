"""Crypto-asset addresses: format and checksum of the main chains, and a canonical form.

- Bitcoin legacy addresses: Base58Check, version byte 0x00 (P2PKH) or 0x05 (P2SH), testnet
  0x6F / 0xC4; the checksum is the first four bytes of double SHA-256.
- Bitcoin SegWit addresses: bech32 for witness version 0 (BIP-173), bech32m for versions 1 to 16
  (BIP-350); ``bc`` or ``tb``; programs of 2 to 40 bytes (20 or 32 for version 0).
- Ethereum: 20 bytes in hex; mixed case must carry the EIP-55 checksum (all lower or all upper
  case carries none and is accepted as such).

:func:`validate` raises :class:`ValidationFailed` naming the field and the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from passerelle.errors import ValidationFailed
from passerelle.financing.service.keccak import keccak256

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_VERSIONS = {0x00: "p2pkh", 0x05: "p2sh", 0x6F: "p2pkh-testnet", 0xC4: "p2sh-testnet"}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3


@dataclass(frozen=True)
class Address:
    chain: str  # "BTC" or "ETH"
    kind: str  # p2pkh, p2sh, segwit-v0, taproot, segwit-vN, account
    canonical: str  # the form lists are compared in


def _fail(reason: str, field: str = "address") -> ValidationFailed:
    return ValidationFailed(f"{field}: {reason}", field=field, reason=reason)


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        digit = _B58.find(char)
        if digit < 0:
            raise _fail(f"character {char!r} is not Base58")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _base58check(text: str) -> Address:
    raw = _b58decode(text)
    if len(raw) != 25:
        raise _fail(f"a Base58Check address holds 25 bytes, this one {len(raw)}")
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        raise _fail("Base58Check checksum does not match (mistyped address?)")
    kind = _B58_VERSIONS.get(payload[0])
    if kind is None:
        raise _fail(f"version byte 0x{payload[0]:02x} is not a Bitcoin address")
    return Address("BTC", kind, text)


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def _convert_bits(data: list[int], source: int, target: int) -> list[int] | None:
    acc = bits = 0
    out: list[int] = []
    for value in data:
        acc = (acc << source) | value
        bits += source
        while bits >= target:
            bits -= target
            out.append((acc >> bits) & ((1 << target) - 1))
    if bits >= source or (acc << (target - bits)) & ((1 << target) - 1):
        return None  # padding must be zero and shorter than one source group
    return out


def _segwit(text: str) -> Address:
    if text != text.lower() and text != text.upper():
        raise _fail("bech32 address mixes upper and lower case")
    lowered = text.lower()
    hrp, _, data_part = lowered.rpartition("1")
    if hrp not in ("bc", "tb") or len(data_part) < 7 or len(lowered) > 90:
        raise _fail("not a bech32 Bitcoin address (prefix bc1 or tb1)")
    data = [_BECH32.find(c) for c in data_part]
    if -1 in data:
        raise _fail("character outside the bech32 alphabet")
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _polymod(expanded + data)
    version = data[0]
    if constant not in (_BECH32_CONST, _BECH32M_CONST):
        raise _fail("bech32 checksum does not match (mistyped address?)")
    if (version == 0) != (constant == _BECH32_CONST):
        raise _fail("witness version 0 needs bech32, versions 1-16 need bech32m (BIP-350)")
    program = _convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40 or version > 16:
        raise _fail("invalid witness program")
    if version == 0 and len(program) not in (20, 32):
        raise _fail("a version 0 witness program holds 20 or 32 bytes")
    kind = "segwit-v0" if version == 0 else ("taproot" if version == 1 else f"segwit-v{version}")
    return Address("BTC", kind, lowered)


def eip55(hex40: str) -> str:
    """The EIP-55 checksummed form of 40 hex digits (without ``0x``)."""
    lower = hex40.lower()
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(lower, digest[:40], strict=True)
    )


def _ethereum(text: str) -> Address:
    body = text[2:]
    if len(body) != 40 or any(c not in "0123456789abcdefABCDEF" for c in body):
        raise _fail("an Ethereum address is 0x and 40 hex digits")
    checksummed = eip55(body)
    mixed = body != body.lower() and body != body.upper()
    if mixed and "0x" + body != checksummed:
        raise _fail("EIP-55 checksum does not match (mistyped address?)")
    return Address("ETH", "account", checksummed)


def validate(text: str, field: str = "address") -> Address:
    """Check one address; its chain is told by its form."""
    value = text.strip()
    try:
        if value[:2] in ("0x", "0X"):
            return _ethereum("0x" + value[2:])
        if value[:3].lower() in ("bc1", "tb1"):
            return _segwit(value)
        if value[:1] in ("1", "3", "m", "n", "2"):
            return _base58check(value)
    except ValidationFailed as exc:
        raise _fail(str(exc.details.get("reason", exc.message)), field) from None
    raise _fail("not a Bitcoin or Ethereum address", field)


def canonical(text: str) -> str:
    """The form in which two spellings of one address compare equal."""
    return validate(text).canonical
