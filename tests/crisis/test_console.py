"""The crisis console as a duty officer meets it: compose with inline errors, the detail page,
the situation map page in three languages, import with quarantine, CSV export."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import audit
from tests.conftest import login, make_user
from tests.crisis.conftest import cap_xml

FORM = {
    "msg_type": "Alert",
    "event": "Chemical plant fire",
    "category": "Fire",
    "urgency": "Immediate",
    "severity": "Severe",
    "certainty": "Observed",
    "status": "Actual",
    "headline_fr": "Incendie à Halluin",
    "headline_nl": "Brand in Halluin",
    "headline_en": "Fire in Halluin",
    "area_desc": "Halluin",
    "polygon": "50.79,3.10 50.80,3.20 50.76,3.21",
    "circle": "50.78,3.13 3",
}


def _csrf(client: TestClient, path: str = "/crisis/messages") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_an_alert_composed_in_the_form_is_shown_on_the_situation_page(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.duty", "analyst")
    login(client, "fr.duty")
    client.headers["Accept-Language"] = "en"
    token = _csrf(client)
    refused = client.post("/crisis/new", data={**FORM, "circle": "50.78,3.13", "csrf_token": token})
    assert refused.status_code == 422
    assert "circles" in refused.text and 'value="Chemical plant fire"' in refused.text
    no_words = {k: v for k, v in FORM.items() if not k.startswith("headline")}
    refused = client.post("/crisis/new", data={**no_words, "csrf_token": token})
    assert refused.status_code == 422 and "infos" in refused.text
    created = client.post("/crisis/new", data={**FORM, "csrf_token": token})
    assert created.status_code == 303, created.text
    detail = client.get(created.headers["location"])
    assert "Incendie à Halluin" in detail.text and "Brand in Halluin" in detail.text
    assert 'lang="nl-BE"' in detail.text
    page = client.get("/crisis")
    assert "Fire in Halluin" in page.text and 'id="crisis-map"' in page.text
    with node.session() as session:
        reads, _ = audit.search(session, audit.AuditQuery(object_type="crisis.situation"))
        assert [e.actor for e in reads] == ["fr.duty"]
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in page.text
    geo = client.get("/api/v1/crisis/situation").json()
    assert {f["geometry"]["type"] for f in geo["features"]} == {"Polygon", "Point"}
    for lang, title in (("fr", "Situation partagée"), ("nl", "Gedeeld situatiebeeld")):
        client.headers["Accept-Language"] = lang
        assert title in client.get("/crisis").text
    client.headers["Accept-Language"] = "en"
    csv_text = client.get("/crisis/messages.csv", params={"q": "halluin"}).text
    assert csv_text.splitlines()[0].startswith("id,sent,msg_type")
    assert len(csv_text.splitlines()) == 2


def test_an_uploaded_malformed_file_is_quarantined_and_shown(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.duty", "analyst")
    login(client, "fr.duty")
    client.headers["Accept-Language"] = "en"
    token = _csrf(client, "/crisis/import")
    bad = client.post(
        "/crisis/import",
        data={"csrf_token": token},
        files={"file": ("broken.xml", cap_xml(status="Real"), "application/xml")},
    )
    assert bad.status_code == 200 and "quarantined" in bad.text and "line 6" in bad.text
    good = client.post(
        "/crisis/import",
        data={"csrf_token": token},
        files={"file": ("nccn.xml", cap_xml(), "application/xml")},
    )
    assert "stored" in good.text
    page = client.get("/crisis/quarantine")
    assert "broken.xml" in page.text and "&#39;Real&#39;" in page.text
    entry = re.search(r'href="/crisis/quarantine/([0-9a-f-]+)"', page.text)
    assert entry
    assert client.get(f"/crisis/quarantine/{entry.group(1)}").content == cap_xml(status="Real")
    assert client.post("/crisis/import", data={"csrf_token": token}).status_code == 422


def test_tiles_are_not_served_while_the_map_is_offline(node: Node, client: TestClient) -> None:
    make_user(node, "fr.duty", "analyst")
    login(client, "fr.duty")
    assert client.get("/crisis/tiles/3/4/2.png").status_code == 404
    assert 'data-tiles=""' in client.get("/crisis").text


def test_an_update_from_the_detail_page_joins_the_incident_timeline(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.duty", "analyst")
    login(client, "fr.duty")
    client.headers["Accept-Language"] = "en"
    token = _csrf(client)
    created = client.post("/crisis/new", data={**FORM, "csrf_token": token})
    alert_id = created.headers["location"].rsplit("/", 1)[1]
    form_page = client.get("/crisis/new", params={"msg_type": "Update", "ref": alert_id})
    assert "Update an alert" in form_page.text and f'value="{alert_id}"' in form_page.text
    update = {**FORM, "msg_type": "Update", "ref": alert_id, "headline_en": "=HYPERLINK(1)"}
    updated = client.post("/crisis/new", data={**update, "csrf_token": token})
    assert updated.status_code == 303, updated.text
    detail = client.get(updated.headers["location"]).text
    assert detail.count('<span class="tag">Update</span>') == 1
    assert detail.count('<span class="tag">Alert</span>') == 1
    exported = client.get("/crisis/messages.csv").text
    assert "'=HYPERLINK(1)" in exported and ",=HYPERLINK" not in exported
