"""The console: an analyst uploads a photograph of an object offered for sale and sees the
stolen object beside it; bad input is shown inline on the form; lists search and export."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.node import Node
from tests.conftest import csrf_of, login, make_user
from tests.heritage.conftest import copy_of, stolen


def _form(**changes: str) -> dict[str, str]:
    data = {
        "title": "Statuette of a worshipper",
        "object_type": "statuette",
        "materials": "bronze",
        "country_of_origin": "IQ",
        "year_made": "-2500",
        "category": "archaeological",
        "channel": "auction",
        "seller": "Salle des ventes (synthetic)",
    }
    data.update(changes)
    return data


def test_upload_shows_the_candidate_side_by_side(node: Node, client: TestClient) -> None:
    sought = stolen(node, 31)
    make_user(node, "ana", "analyst")
    login(client, "ana")
    page = client.post(
        "/heritage/check",
        data={**_form(), "csrf_token": csrf_of(client, "/heritage/check")},
        files={"image": ("copy.jpg", copy_of(31), "image/jpeg")},
    )
    assert page.status_code == 200, page.text
    assert sought.reference in page.text
    assert 'src="data:image/jpeg;base64,' in page.text  # the upload …
    assert "/api/v1/heritage/photos/" in page.text  # … beside the registered photograph
    assert "Risque : élevé" in page.text or "Risque: élevé" in page.text
    listed = client.get("/heritage/checks?risk=high")
    assert "Statuette of a worshipper" in listed.text
    export = client.get("/heritage?format=csv&status=stolen")
    assert sought.reference in export.text
    detail = client.get(f"/heritage/o/{sought.reference}")
    assert "Statuette of a worshipper" in detail.text


def test_bad_values_and_uploads_are_shown_on_the_form(node: Node, client: TestClient) -> None:
    make_user(node, "ana", "analyst")
    login(client, "ana")
    token = csrf_of(client, "/heritage/check")
    bad = client.post(
        "/heritage/check", data={**_form(year_made="old", title=""), "csrf_token": token}
    )
    assert bad.status_code == 422
    assert 'id="err-year_made"' in bad.text and 'id="err-title"' in bad.text
    assert 'value="old"' in bad.text
    upload = client.post(
        "/heritage/check",
        data={**_form(), "csrf_token": token},
        files={"image": ("x.jpg", b"not a picture", "image/jpeg")},
    )
    assert upload.status_code == 400
    assert 'id="err-image"' in upload.text
