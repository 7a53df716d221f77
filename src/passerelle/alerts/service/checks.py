"""Who checked whom: the audit of checks keeps a keyed hash, not the name.

A check that found nothing must not leave the checked person's name in the audit log for five
years. Its entry keeps two keyed hashes (HMAC-SHA-256 under the node's key): one of the
normalised family name, one of family name, given names and date of birth. Nobody without the
key can test a guess; the data-protection officer, with the name in hand, asks
:func:`lookup` "was this person checked, and by whom". A check with candidates keeps the name
as well (the hit is followed up under art. 37).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.alerts.service import register
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy import AuditEntry, Principal

PURPOSE = "alert checks"


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())


def hashes(
    node: Node, family_name: str, given_names: str | None = None, date_of_birth: str | None = None
) -> dict[str, str]:
    """The keyed hashes an audit entry of a check keeps (and a lookup searches for)."""
    name = _fold(family_name)
    person = "|".join((name, _fold(given_names), (date_of_birth or "").strip()))
    return {
        "name": node.cipher.keyed_hash(name, PURPOSE),
        "person": node.cipher.keyed_hash(person, PURPOSE),
    }


def lookup(
    session: Session,
    node: Node,
    principal: Principal,
    family_name: str,
    given_names: str | None = None,
    date_of_birth: str | None = None,
) -> list[dict[str, Any]]:
    """Every check of a person by this node: when, by whom, with what result (DPO only).

    With only a family name, checks of anyone with that name are listed; given names and a
    date of birth narrow it to checks made with exactly those. The lookup is audited with the
    hashes, never the name."""
    if not _fold(family_name):
        raise ValidationFailed("a lookup needs the family name")
    wanted = hashes(node, family_name, given_names, date_of_birth)
    key = "person" if given_names or date_of_birth else "name"
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "alert",
            AuditEntry.action == "read",
            or_(AuditEntry.details.contains(wanted[key])),
        )
        .order_by(AuditEntry.seq)
    )
    found = []
    for row in rows:
        details = json.loads(row.details)
        if details.get("checked", {}).get(key) != wanted[key]:
            continue
        found.append(
            {
                "at": row.ts,
                "by": row.actor,
                "agency": row.agency,
                "candidates": details.get("candidates", []),
                "entry": row.seq,
            }
        )
    register.access(principal, node).trace(
        session,
        "read",
        "alert.check",
        "*",
        now=node.clock.now(),
        details={"lookup": wanted[key], "matched": len(found)},
    )
    return found
