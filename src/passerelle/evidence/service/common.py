"""Shared helpers: references and the access trace of reads and writes."""

from __future__ import annotations

import secrets

from passerelle.evidence import rules
from passerelle.kit.trace import Tracer
from passerelle.node import Node

PURPOSE = "criminal investigation: electronic evidence (European production and preservation)"
LEGAL_BASIS = f"{rules.REG} art. 4-11"


def new_reference(form: str, node: Node) -> str:
    prefix = "EPOC" if form == "EPOC" else "EPR"
    return f"{prefix}-{node.code}-{secrets.token_hex(5).upper()}"


#: Audits one access to personal data, in the caller's transaction.
trace = Tracer(PURPOSE, LEGAL_BASIS)
