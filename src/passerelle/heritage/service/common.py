"""Shared helpers: references, text folding, the access trace of reads."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

from passerelle.kit.trace import Tracer
from passerelle.node import Node

PURPOSE = "protection of cultural goods: provenance and screening against stolen objects"
LEGAL_BASIS = "Regulation (EU) 2019/880 art. 3; Council Framework Decision 2006/960/JHA"


def words(text: str) -> list[str]:
    """Folded words of a title, maker or material ('Tête d'Athéna' -> ['tete', 'd', 'athena'])."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[a-z0-9]+", decomposed.encode("ascii", "ignore").decode())


def fold(text: str) -> str:
    return " ".join(words(text))


def new_reference(prefix: str, node: Node) -> str:
    return f"{prefix}-{node.code}-{secrets.token_hex(5).upper()}"


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


#: Audits one access to personal data, in the caller's transaction.
trace = Tracer(PURPOSE, LEGAL_BASIS)
