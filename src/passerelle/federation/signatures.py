"""RFC 9421 HTTP Message Signatures (Ed25519) and RFC 9530 ``Content-Digest``, the small subset
federation needs.

Requests cover ``@method``, ``@path``, ``date`` and ``content-digest``; responses cover
``@status``, ``date`` and ``content-digest``. The key id is the sender's node code. Only the
canonical form this module writes is accepted on input: a strict parser is a smaller attack
surface than a general structured-field one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.errors import SignatureInvalid
from passerelle.federation import rules

_ITEMS = re.compile(r'^([a-z][a-z0-9_.*-]*)=\(((?:"[^"\s]+"(?: "[^"\s]+")*)?)\)((?:;[^;]+)*)$')
_PARAM = re.compile(r'^([a-z][a-z0-9_.*-]*)=(?:"([^"\\]*)"|(-?\d{1,15}))$')
_SIG = re.compile(r"^([a-z][a-z0-9_.*-]*)=:([A-Za-z0-9+/=]+):$")


def content_digest(body: bytes) -> str:
    """``Content-Digest`` header value (RFC 9530 §2, sha-256)."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def http_date(when: datetime) -> str:
    """An IMF-fixdate (RFC 9110 §5.6.7)."""
    return format_datetime(when, usegmt=True)


@dataclass(frozen=True)
class Message:
    """What a signature can cover: derived components and lower-cased header fields."""

    headers: Mapping[str, str]
    method: str = ""
    path: str = ""
    authority: str = ""
    status: int = 0

    def component(self, name: str) -> str:
        derived = {
            "@method": self.method.upper(),
            "@path": self.path,
            "@authority": self.authority.lower(),
            "@status": str(self.status),
        }
        if name in derived:
            return derived[name]
        value = self.headers.get(name)
        if value is None:
            raise SignatureInvalid(f"the signed component {name!r} is missing from the message")
        return value.strip()


def serialize_params(components: Sequence[str], params: Sequence[tuple[str, str | int]]) -> str:
    """The ``@signature-params`` value: inner list of components, then parameters in order."""
    inner = " ".join(f'"{c}"' for c in components)
    tail = "".join(f";{k}={v}" if isinstance(v, int) else f';{k}="{v}"' for k, v in params)
    return f"({inner}){tail}"


def signature_base(message: Message, components: Sequence[str], params_value: str) -> bytes:
    """The signature base (RFC 9421 §2.5): one line per component, then the parameters."""
    lines = [f'"{c}": {message.component(c)}' for c in components]
    lines.append(f'"@signature-params": {params_value}')
    return "\n".join(lines).encode()


def sign(
    message: Message,
    key: Ed25519PrivateKey,
    *,
    keyid: str,
    created: int,
    components: Sequence[str],
    label: str = rules.SIGNATURE_LABEL,
) -> dict[str, str]:
    """``Signature-Input`` and ``Signature`` headers for ``message``."""
    params_value = serialize_params(
        components, [("created", created), ("keyid", keyid), ("alg", rules.SIGNATURE_ALG)]
    )
    signature = key.sign(signature_base(message, components, params_value))
    return {
        "signature-input": f"{label}={params_value}",
        "signature": f"{label}=:{base64.b64encode(signature).decode()}:",
    }


class KeyMismatch(SignatureInvalid):
    """The signature does not verify: unknown key id or bad signature.

    The message names which, for the verifier's own log; the inbox answers both with the same
    :data:`NOT_VERIFIED` so a caller cannot learn which node codes are registered.
    """


#: What the inbox tells a caller whose signature does not verify, whatever the reason.
NOT_VERIFIED = "the signature does not verify with the key of a registered peer"


@dataclass(frozen=True)
class Verified:
    keyid: str
    created: datetime


def _parse_input(value: str) -> tuple[str, list[str], dict[str, str | int], str]:
    match = _ITEMS.match(value.strip())
    if not match:
        raise SignatureInvalid("the Signature-Input header is not in the accepted form")
    label, items, tail = match.groups()
    components = [item.strip('"') for item in items.split(" ")] if items else []
    params: dict[str, str | int] = {}
    for raw in tail.split(";")[1:]:
        pm = _PARAM.match(raw)
        if not pm:
            raise SignatureInvalid("a Signature-Input parameter is not in the accepted form")
        name, text, number = pm.groups()
        params[name] = int(number) if number is not None else text
    return label, components, params, value.strip()[len(label) + 1 :]


def claimed_keyid(signature_input: str) -> str:
    """The key id a Signature-Input names, before anything is verified ("" if none)."""
    try:
        return str(_parse_input(signature_input)[2].get("keyid", ""))
    except SignatureInvalid:
        return ""


def verify(
    message: Message,
    *,
    body: bytes,
    components: Sequence[str],
    key_for: Callable[[str], Ed25519PublicKey | None],
    now: datetime,
) -> Verified:
    """Check the digest, the signature, its coverage and its dates; return who signed.

    Every failure is a :class:`SignatureInvalid` naming the reason: no signature, unknown key,
    altered body, bad signature or a date outside the allowed clock skew.
    """
    signature_input = message.headers.get("signature-input")
    signature = message.headers.get("signature")
    if not signature_input or not signature:
        raise SignatureInvalid("the message is not signed (no Signature-Input / Signature)")
    label, covered, params, params_value = _parse_input(signature_input)
    missing = [c for c in components if c not in covered]
    if missing:
        raise SignatureInvalid(f"the signature does not cover {', '.join(missing)}")
    if params.get("alg", rules.SIGNATURE_ALG) != rules.SIGNATURE_ALG:
        raise SignatureInvalid("only ed25519 signatures are accepted")
    keyid, created = params.get("keyid"), params.get("created")
    if not isinstance(keyid, str) or not isinstance(created, int):
        raise SignatureInvalid("the signature names no key id or creation time")
    # Everything that does not depend on the key is checked before the key is looked up, so
    # an unknown key and a bad signature are the last two failures and look alike to a caller
    # (see :class:`KeyMismatch`).
    digest = message.headers.get("content-digest", "")
    if digest.strip() != content_digest(body):
        raise SignatureInvalid("the body does not match its Content-Digest (altered in transit)")
    sig_match = _SIG.match(signature.strip())
    if not sig_match or sig_match.group(1) != label:
        raise SignatureInvalid("the Signature header is not in the accepted form")
    key = key_for(keyid)
    if key is None:
        raise KeyMismatch(f"unknown key {keyid!r}: not a registered peer")
    try:
        raw = base64.b64decode(sig_match.group(2), validate=True)
        key.verify(raw, signature_base(message, covered, params_value))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise KeyMismatch(f"bad signature for key {keyid!r}") from exc
    created_at = datetime.fromtimestamp(created, tz=now.tzinfo)
    try:
        dated = parsedate_to_datetime(message.component("date"))
    except (TypeError, ValueError) as exc:
        raise SignatureInvalid("the Date header is not a valid HTTP date") from exc
    for when in (created_at, dated):
        if abs(when - now) > rules.CLOCK_SKEW:
            raise SignatureInvalid(
                f"the message is dated {when.isoformat()}, outside the allowed "
                f"±{int(rules.CLOCK_SKEW.total_seconds() // 60)} minutes"
            )
    return Verified(keyid=keyid, created=created_at)


def signed_headers(
    key: Ed25519PrivateKey,
    *,
    keyid: str,
    body: bytes,
    now: datetime,
    method: str = "",
    path: str = "",
    status: int = 0,
) -> dict[str, str]:
    """Every header a signed federation request (method+path) or response (status) needs."""
    headers = {"date": http_date(now), "content-digest": content_digest(body)}
    components = rules.RESPONSE_COMPONENTS if status else rules.REQUEST_COMPONENTS
    message = Message(headers=headers, method=method, path=path, status=status)
    headers.update(
        sign(message, key, keyid=keyid, created=int(now.timestamp()), components=components)
    )
    return headers
