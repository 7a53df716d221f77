"""Shared helpers: keys for pattern blocking, references, the access trace of reads."""

from __future__ import annotations

import re
import secrets
import unicodedata

from passerelle.kit.trace import Tracer
from passerelle.node import Node
from passerelle.precursors import rules

PURPOSE = "explosives precursors: sales control and suspicious transactions"
LEGAL_BASIS = "Regulation (EU) 2019/1148 art. 8, 9"


def fold(text: str) -> str:
    """Upper-case ASCII letters only: 'Lefèvre-Dupont' -> 'LEFEVREDUPONT'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^A-Z]", "", decomposed.encode("ascii", "ignore").decode().upper())


def identity_key(family_name: str, date_of_birth: str) -> str:
    """Blocking key of a customer: birth date and the first five folded letters of the family
    name. The identity engine confirms every pair that shares a key."""
    return f"{date_of_birth[:10]}|{fold(family_name)[:5]}"


def delivery_key(address: str, country: str = "") -> str:
    """A delivery address folded for comparison ('12, rue de la Gare' == '12 RUE DE LA GARE')."""
    if not address:
        return ""
    decomposed = unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Z0-9]+", decomposed.upper())
    return (country.upper() + ":" + " ".join(words))[:200]


def new_reference(prefix: str, node: Node) -> str:
    return f"{prefix}-{node.code}-{secrets.token_hex(5).upper()}"


def regime(node: Node, country: str) -> rules.Regime:
    """The licensing regime of ``country``: the node's setting, else the default table."""
    override = _overrides(node.settings.precursors_regimes).get(country)
    base = rules.REGIMES.get(country) or rules.Regime(
        country, "prohibited", "—", f"national contact point {country}", rules.REG + " art. 5(1)"
    )
    if override is None:
        return base
    return rules.Regime(country, override, base.authority, base.contact_point, base.source)


def _overrides(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in text.split(","):
        if "=" in item:
            country, kind = (p.strip() for p in item.split("=", 1))
            if kind in rules.REGIME_KINDS:
                out[country.upper()] = kind
    return out


#: Audits one access to personal data, in the caller's transaction.
trace = Tracer(PURPOSE, LEGAL_BASIS)
