"""JSON export and PDF certificates in FR/NL/EN."""

from __future__ import annotations

import json
import re

import pytest

from passerelle.errors import UsageError
from passerelle.evidence import export
from passerelle.evidence.service import answers, orders
from passerelle.node import Node
from tests.evidence.conftest import add_provider, order_in, principal


def _valid_pdf(data: bytes) -> None:
    """Every xref offset points at its object; the trailer points at the xref."""
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)", data).group(1))  # type: ignore[union-attr]
    assert data[xref : xref + 4] == b"xref"
    offsets = re.findall(rb"(\d{10}) 00000 n ", data[xref:])
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)


@pytest.mark.parametrize(
    ("lang", "title", "label"),
    [
        ("fr", "Certificat d'injonction européenne de production", "Infraction"),
        ("nl", "Certificaat Europees verstrekkingsbevel", "Strafbaar feit"),
        ("en", "European Production Order Certificate", "Offence"),
    ],
)
def test_the_certificate_is_a_pdf_in_each_language(
    node: Node, lang: str, title: str, label: str
) -> None:
    add_provider(node)
    with node.session() as session:
        order = orders.issue(session, node, principal(), order_in())
        body = answers.to_out(session, order, node.clock.now())
    data = export.as_pdf(body, lang)
    _valid_pdf(data)
    text = data.decode("cp1252", errors="replace").replace("\\(", "(").replace("\\)", ")")
    assert title in text and label in text and body.reference in text
    with pytest.raises(UsageError):
        export.as_pdf(body, "de")
    exported = json.loads(export.as_json(body))
    assert exported["reference"] == body.reference
    assert exported["form_source"] == "Regulation (EU) 2023/1543 Annex I"
