"""The REST API as an analyst uses it: register a stolen object with its photograph, check an
offered object with an upload, read the object (audited) and the checks; bad uploads get
typed errors."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.node import Node
from passerelle.privacy import AuditEntry, accounts
from tests.heritage.conftest import copy_of, obj, photo


def bearer(node: Node, role: str = "analyst") -> dict[str, str]:
    with node.session() as session:
        token = accounts.create_token(
            session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
        )
    return {"authorization": f"Bearer {token}"}


def test_register_then_check_with_an_uploaded_copy(node: Node, client: TestClient) -> None:
    auth = bearer(node)
    body = obj(
        provenance=[
            {
                "kind": "ownership",
                "party": "Collector A (synthetic)",
                "country": "IQ",
                "date_from": "1960-01-01",
                "date_to": "1970-01-01",
            },
        ]
    ).model_dump(mode="json", exclude={"offer"})
    made = client.post(
        "/api/v1/heritage/objects?status=stolen&source=interpol", headers=auth, json=body
    )
    assert made.status_code == 201, made.text
    reference = made.json()["reference"]
    assert made.json()["gaps"][-1]["reason"] == "no record since the last event"
    added = client.post(
        f"/api/v1/heritage/objects/{reference}/photos",
        headers=auth,
        files={"image": ("p.png", photo(11), "image/png")},
    )
    assert added.status_code == 201, added.text
    offered = obj(title="Figure of a praying man", year_made=None).model_dump_json()
    answer = client.post(
        "/api/v1/heritage/check",
        headers=auth,
        data={"object": offered},
        files=[("image", ("c.jpg", copy_of(11), "image/jpeg"))],
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["matches"][0]["reference"] == reference
    assert result["risk"] == "high"
    picture = client.get(
        f"/api/v1/heritage/photos/{result['matches'][0]['photo_id']}", headers=auth
    )
    assert picture.headers["content-type"] == "image/jpeg"
    detail = client.get(f"/api/v1/heritage/objects/{reference}", headers=auth).json()
    assert detail["provenance"][0]["party"] == "Collector A (synthetic)"
    with node.session() as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "heritage.object", AuditEntry.action == "read"
            )
        ).all()
    assert any(r.object_id == reference for r in reads)
    checks = client.get("/api/v1/heritage/checks?risk=high", headers=auth).json()
    assert [c["reference"] for c in checks] == [result["reference"]]


def test_bad_uploads_get_typed_errors(node: Node, client: TestClient) -> None:
    auth = bearer(node)
    offered = obj().model_dump_json()
    not_image = client.post(
        "/api/v1/heritage/check",
        headers=auth,
        data={"object": offered},
        files=[("image", ("x.jpg", b"not an image at all", "image/jpeg"))],
    )
    assert not_image.status_code == 400
    assert not_image.json()["error"] == "malformed_input"
    assert not_image.json()["details"]["field"] == "image[0]"
    bad_object = client.post(
        "/api/v1/heritage/check", headers=auth, data={"object": '{"title": ""}'}
    )
    assert bad_object.status_code == 422
    assert bad_object.json()["details"]["field"] == "object_type"
    unknown = client.get("/api/v1/heritage/objects/OBJ-NOPE", headers=auth)
    assert unknown.status_code == 404
    dpo = client.get("/api/v1/heritage/objects", headers=bearer(node, "dpo"))
    assert dpo.status_code == 403
