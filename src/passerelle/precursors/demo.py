"""Demo data (sellers with their catalogues and tokens, licences, a watched person, a few
checked sales) and the cross-border check of ``demo --check``: one customer buys acetone in
Lille (FR) and hydrogen peroxide in Tournai (BE) in the same week; the Tournai check answers
``report`` and each contact point sees the pattern."""

from __future__ import annotations

import json
import os
import time
from contextlib import closing
from datetime import timedelta
from typing import Any

import httpx

from passerelle.errors import PasserelleError
from passerelle.node import Node
from passerelle.precursors.model import Seller
from passerelle.precursors.schemas import ProductRow, SellerIn, TransactionIn, WatchedIn
from passerelle.precursors.service import check as checks
from passerelle.precursors.service import registers
from passerelle.precursors.service.exchange import PURCHASE
from passerelle.privacy import Principal

TOKENS_FILE = "precursors-demo-tokens.json"

SELLERS: dict[str, list[dict[str, str]]] = {
    "FR": [
        {
            "code": "brico-lille",
            "name": "Brico Lille (demo)",
            "kind": "shop",
            "channel": "offline",
            "country": "FR",
            "city": "Lille",
        },
        {
            "code": "marche-en-ligne",
            "name": "Marché en ligne (demo)",
            "kind": "marketplace",
            "channel": "online",
            "country": "FR",
            "city": "Roubaix",
        },
    ],
    "BE": [
        {
            "code": "droguerie-tournai",
            "name": "Droguerie Tournai (demo)",
            "kind": "shop",
            "channel": "offline",
            "country": "BE",
            "city": "Tournai",
        },
        {
            "code": "webshop-gent",
            "name": "Webshop Gent (demo)",
            "kind": "marketplace",
            "channel": "online",
            "country": "BE",
            "city": "Gent",
        },
    ],
}

CATALOGUE = [
    ProductRow(
        sku="ACE-1L",
        trade_name="Acétone pure 1 L",
        synonyms=["aceton", "propanone", "dimethyl ketone"],
        cas="67-64-1",
        concentration=99.5,
    ),
    ProductRow(
        sku="H2O2-9",
        trade_name="Eau oxygénée 9 %",
        synonyms=["waterstofperoxide 9%", "hydrogen peroxide 9%"],
        cas="7722-84-1",
        concentration=9.0,
    ),
    ProductRow(
        sku="H2O2-30",
        trade_name="Peroxyde d'hydrogène 30 %",
        synonyms=["waterstofperoxide 30%", "perhydrol"],
        cas="7722-84-1",
        concentration=30.0,
    ),
    ProductRow(
        sku="H2SO4-37",
        trade_name="Acide de batterie 37 %",
        synonyms=["zwavelzuur", "battery acid"],
        cas="7664-93-9",
        concentration=37.0,
    ),
]

#: The cross-border customer (synthetic), spelled as each shop wrote it.
CUSTOMER_FR = {
    "type": "public",
    "family_name": "Lefèvre",
    "given_names": "Jean-Luc",
    "date_of_birth": "1988-06-12",
    "document_type": "id_card",
    "document_number": "FRX12345678",
    "document_country": "FRA",
}
CUSTOMER_BE = {**CUSTOMER_FR, "family_name": "LEFEVRE", "given_names": "Jean Luc"}


def _principal(node: Node) -> Principal:
    return Principal(
        kind="cli", id=0, name="demo-seed", agency=node.code, roles=frozenset({"supervisor"})
    )


def _sale(sku: str, customer: dict[str, Any], **extra: Any) -> TransactionIn:
    data: dict[str, Any] = {
        "customer": customer,
        "product": {"sku": sku, "quantity_kg": 1.0},
        "payment": {"method": "card", "amount": 12.5},
        "delivery": {"method": "pickup"},
        "verification": {"id_document_checked": True},
    }
    data.update(extra)
    return TransactionIn.model_validate(data)


def seed(node: Node) -> None:
    """Sellers, catalogues and tokens (written to the demo data directory), a watched person
    and a few sales of last week. Neither FR nor BE issues licences to the public, so neither
    demo node has a licence register."""
    principal = _principal(node)
    tokens: dict[str, str] = {}
    now = node.clock.now()
    with node.session() as session:
        for s in SELLERS.get(node.code, []):
            if session.get(Seller, s["code"]) is not None:
                continue
            seller, token = registers.add_seller(session, node, SellerIn(**s))
            tokens[seller.code] = token
            registers.load_catalogue(session, seller.code, CATALOGUE)
        if not tokens:
            return
        registers.add_watched(
            session,
            node,
            principal,
            WatchedIn(
                family_name="Martens" if node.code == "BE" else "Garnier",
                given_names="Tom" if node.code == "BE" else "Lucas",
                date_of_birth="1979-09-09",
                reason="Demo watched person (synthetic)",
            ),
        )
        sellers = SELLERS.get(node.code, [])
        if sellers:
            shop = registers.get_seller(session, sellers[0]["code"])
            for i, sku in enumerate(("ACE-1L", "H2O2-9", "H2SO4-37")):
                checks.check(
                    session,
                    node,
                    principal,
                    shop,
                    _sale(
                        sku,
                        {
                            "type": "public",
                            "family_name": f"Demo{i}",
                            "given_names": "Alex",
                            "date_of_birth": "1990-01-0" + str(i + 1),
                        },
                        occurred_at=(now - timedelta(days=3 + i)).isoformat(),
                    ),
                    notify=False,
                    audited=False,
                )
    if tokens:
        path = node.settings.data_dir / TOKENS_FILE
        old = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**old, **tokens}))
        os.chmod(path, 0o600)


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json()


def _wait_delivered(n: Any, analyst: Any, reference: str, peer: str) -> None:
    """Wait (reading only) until the purchase notice of ``reference`` reached ``peer``: the
    peer handles a notice inside its inbox's transaction, so once delivered it is known."""
    from passerelle.kit.demo import console_login

    deadline = time.monotonic() + 60
    with closing(console_login(n, analyst.username, analyst.password)) as client:
        while True:
            sent = _ok(
                client.get(f"/api/v1/federation/cases/{reference}/messages"),
                f"{n.code}: purchase notice",
            )
            if any(m["peer"] == peer and m["status"] == "delivered" for m in sent):
                return
            if time.monotonic() > deadline:
                raise PasserelleError(f"{n.code}: the purchase notice did not reach {peer}: {sent}")
            time.sleep(0.2)


def _token(n: Any, seller: str) -> dict[str, str]:
    tokens = json.loads((n.settings().data_dir / TOKENS_FILE).read_text())
    return {"authorization": f"Bearer {tokens[seller]}"}


def _csrf(client: httpx.Client) -> dict[str, str]:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    if not match:
        raise PasserelleError("the console home page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))

    def user(code: str, role: str) -> Any:
        return next(a for a in accounts[code] if role in a.roles)

    for n, peer in ((fr, "BE"), (be, "FR")):
        admin = user(n.code, "admin")
        with closing(console_login(n, admin.username, admin.password)) as client:
            _ok(
                client.put(
                    f"/api/v1/federation/sharing/{PURCHASE}/{peer}",
                    headers=_csrf(client),
                    json={
                        "policy": "automatic",
                        "reason": "demo: the contact points agreed to share purchase notices",
                    },
                ),
                f"{n.code}: sharing policy",
            )
    print("FR, BE: admins set purchase notices to automatic between the contact points")
    sale = {
        "product": {"sku": "ACE-1L", "quantity_kg": 2.0},
        "payment": {"method": "cash", "amount": 30},
        "delivery": {"method": "pickup"},
        "verification": {"id_document_checked": True},
    }
    with httpx.Client(base_url=fr.url, timeout=20) as client:
        first = _ok(
            client.post(
                "/api/v1/precursors/check",
                headers=_token(fr, "brico-lille"),
                json={**sale, "customer": CUSTOMER_FR},
            ),
            "FR: acetone check",
        )
    print(f"FR: acetone in Lille → {first['decision']} ({first['reference']})")
    _wait_delivered(fr, user(fr.code, "analyst"), first["reference"], be.code)
    # Checked once, after the notice arrived. Checking again until a report came (as before)
    # recorded a sale and queued a notice every half second: under load those writes queued
    # behind the inbox and delivery worker for SQLite's write lock ("database busy").
    with httpx.Client(base_url=be.url, timeout=20) as client:
        body = {**sale, "product": {"sku": "H2O2-9", "quantity_kg": 1.0}, "customer": CUSTOMER_BE}
        second = _ok(
            client.post(
                "/api/v1/precursors/check", headers=_token(be, "droguerie-tournai"), json=body
            ),
            "BE: hydrogen peroxide check",
        )
    if second.get("decision") != "report":
        raise PasserelleError(f"BE: the Tournai check did not ask for a report: {second}")
    print(f"BE: hydrogen peroxide in Tournai → report ({second['reference']})")
    for n in (be, fr):
        analyst = user(n.code, "analyst")
        with closing(console_login(n, analyst.username, analyst.password)) as client:
            found = _ok(
                client.post("/api/v1/precursors/patterns/run", headers=_csrf(client)),
                f"{n.code}: patterns",
            )
            listed = _ok(
                client.get("/api/v1/precursors/patterns?kind=combination"),
                f"{n.code}: pattern list",
            )
            cross = [p for p in listed if set(p["countries"]) == {"BE", "FR"}]
            if not cross:
                raise PasserelleError(f"{n.code}: no cross-border pattern ({found})")
            reports = _ok(
                client.get("/api/v1/precursors/reports?status=open"), f"{n.code}: reports"
            )
            print(
                f"{n.code}: cross-border pattern: {cross[0]['summary']} "
                f"({len(reports)} open report(s), first due {reports[0]['due_at']})"
            )
