"""The demo seed gives each role something to work on, and runs twice without duplicates."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.precursors import demo
from passerelle.precursors.model import Seller, Transaction
from passerelle.privacy import AuditEntry


def test_seed_is_idempotent_and_writes_the_seller_tokens(node: Node) -> None:
    with node.session() as session:
        before = session.scalar(select(func.count(AuditEntry.seq)))
    demo.seed(node)
    demo.seed(node)
    with node.session() as session:
        # Seeding synthetic data is nobody's act on personal data: nothing audited.
        assert session.scalar(select(func.count(AuditEntry.seq))) == before
        assert session.scalar(select(func.count(Seller.code))) == 2
        assert session.scalar(select(func.count(Transaction.id))) == 3
    tokens = json.loads((node.settings.data_dir / demo.TOKENS_FILE).read_text())
    assert set(tokens) == {"brico-lille", "marche-en-ligne"}
    assert all(t.startswith("psl_") for t in tokens.values())
