"""The demo seed leaves each role work: a provider with its token, an open identification
order, and a NAT store that attributes the order's address by log and by pool."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.evidence import demo
from passerelle.evidence.model import Order, Provider
from passerelle.evidence.nat.lookup import attribute, parse_query
from passerelle.evidence.nat.store import NatStore
from passerelle.node import Node
from tests.conftest import login


def test_seed_gives_the_provider_an_order_it_can_answer_from_its_nat_logs(node: Node) -> None:
    demo.seed(node)
    demo.seed(node)  # a second run changes nothing
    with node.session() as session:
        (provider,) = session.scalars(select(Provider))
        (order,) = session.scalars(select(Order))
    assert (provider.code, provider.country) == ("telco-be", "BE")
    assert (order.category, order.status, order.provider) == ("identification", "issued",
                                                              "telco-be")  # fmt: skip
    tokens = json.loads((node.settings.data_dir / demo.TOKENS_FILE).read_text())
    assert tokens["telco-be"].startswith("psl_")
    target = order.targets[0]
    store = NatStore(node.settings.data_dir / "nat")
    found = attribute(store, parse_query(target["value"], str(target["port"]), target["at"]))
    assert found is not None and (found.subscriber, found.evidence) == ("100.64.1.5", "log")
    mapped = attribute(store, parse_query("192.0.2.1", "1024", target["at"]))
    assert mapped is not None and mapped.evidence == "mapping"


def test_the_demo_addressee_user_works_its_providers_orders(node: Node, client: TestClient) -> None:
    """``passerelle demo`` seeds ``fr.addressee`` (one demo user per role) into the demo
    provider's agency: logged in with its demo password, it sees telco-be's order."""
    from passerelle import seed

    seed.seed_demo(node)
    account = next(a for a in seed.load_demo_accounts(node) if a.roles == ("addressee",))
    assert account.username == "fr.addressee"
    assert login(client, account.username, account.password).status_code == 303
    with node.session() as session:
        (order,) = session.scalars(select(Order).where(Order.provider == "telco-be"))
    page = client.get("/evidence/provider")
    assert page.status_code == 200 and order.reference in page.text
    assert client.get(f"/evidence/provider/orders/{order.id}").status_code == 200
