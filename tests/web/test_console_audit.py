"""The audit log page as a DPO uses it: filters, pages, labels, CSV export."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from tests.conftest import login, make_user

from passerelle.node import Node
from passerelle.privacy import audit


def test_the_audit_log_is_filtered_paged_labelled_and_exported(
    client: TestClient, node: Node
) -> None:
    make_user(node, "fr.dpo", "dpo")
    with node.session() as session:
        for n in range(3):
            node.audit(
                session,
                audit.Actor("fr.retention", "FR"),
                action="erase",
                object_type="pnr.booking",
                object_id=f"b{n}",
                purpose="retention",
                legal_basis="Directive (EU) 2016/681 art. 12",
            )
    login(client, "fr.dpo")
    page = client.get("/audit", params={"action": "erase", "per_page": 2})
    assert page.status_code == 200
    assert "Effacement" in page.text and "Réservation passager" in page.text  # in French
    shown = re.sub(r"<[^>]+>", " ", page.text)
    assert " erase " not in shown and "pnr.booking" not in shown
    assert "1–2 sur 3" in page.text and 'rel="next"' in page.text
    second = client.get("/audit", params={"action": "erase", "per_page": 2, "page": 2})
    assert "3–3 sur 3" in second.text
    exported = client.get("/audit", params={"action": "erase", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["object_id"] for r in rows] == ["b2", "b1", "b0"]
    assert {r["user"] for r in rows} == {"fr.retention"}
    assert client.get("/audit", params={"since": "yesterday"}).status_code == 422


def test_audit_purposes_are_shown_in_the_readers_language_and_stored_unchanged(
    client: TestClient, node: Node
) -> None:
    """Issue #17: purposes stayed English on FR and NL screens. The stored value is the stable
    English text (the audit chain and the CSV keep it); the page shows its label."""
    make_user(node, "fr.dpo", "dpo")
    with node.session() as session:
        node.audit(
            session,
            audit.Actor("fr.retention", "FR"),
            action="erase",
            object_type="pnr.booking",
            object_id="b1",
            purpose="deletion of sensitive data on receipt",
            legal_basis="Directive (EU) 2016/681 art. 13(4)",
        )
    login(client, "fr.dpo")
    for lang, shown in (
        ("fr", "suppression des données sensibles dès réception"),
        ("nl", "verwijdering van gevoelige gegevens bij ontvangst"),
    ):
        client.cookies.set("passerelle_lang", lang)
        page = client.get("/audit", params={"action": "erase"})
        assert shown in page.text
        assert "deletion of sensitive data" not in page.text
        assert "authentication" not in re.sub(r"<[^>]+>", " ", page.text)  # the login's purpose
    exported = client.get("/audit", params={"action": "erase", "format": "csv"})
    assert "deletion of sensitive data on receipt" in exported.text  # machine value kept
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(action="erase"))
    assert entries[0].purpose == "deletion of sensitive data on receipt"


def test_every_purpose_a_package_records_has_a_label() -> None:
    """Each purpose constant of the packages is a label of ``audit.purpose`` (translated by
    ``tests/web/test_i18n.py`` like every label)."""
    from passerelle import domains
    from passerelle.alerts.service import checks, criteria, detainees, hits, register, returnees
    from passerelle.alerts.service import sharing as alert_sharing
    from passerelle.bulk import rules as bulk_rules
    from passerelle.crisis import rules as crisis_rules
    from passerelle.dna import rules as dna_rules
    from passerelle.federation import quarantine, refusals
    from passerelle.kit import labels
    from passerelle.pnr import rules as pnr_rules
    from passerelle.precursors.service import common
    from passerelle.precursors.service import exchange as precursor_exchange

    domains.routers()
    known = labels.labels_of("audit.purpose")
    constants = {
        m.PURPOSE
        for m in (
            checks,
            criteria,
            detainees,
            hits,
            register,
            returnees,
            alert_sharing,
            crisis_rules,
            dna_rules,
            quarantine,
            refusals,
            common,
            precursor_exchange,
        )
    } | {bulk_rules.REVIEW_PURPOSE, pnr_rules.PURPOSE_ASSESS, pnr_rules.PURPOSE_REQUEST}
    assert constants - set(known) == set()
