"""Demo data (a provider's addressee in the other country with its API token, one
identification order, a small NAT-log store with an RFC 7422 pool) and the cross-border check
of ``demo --check``: FR issues a production order for traffic data to a provider whose legal
representative is in BE; BE's judicial authority receives the art. 8 notification and raises
a ground for refusal; FR's order closes as refused. The provider receives an identification
order through the API, looks the address up in the NAT logs and answers with a hashed file.
Then the console: FR's judge issues a preservation order with the form, the provider's staff
(``fr.addressee``, moved into the provider's agency by the seed) acknowledges it and
answers with Annex III. The demo scene leaves one such console-issued order open."""

from __future__ import annotations

import base64
import json
import time
from contextlib import closing
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import PasserelleError
from passerelle.evidence.model import Provider
from passerelle.evidence.schemas import OrderIn, ProviderIn
from passerelle.evidence.service import directory, orders
from passerelle.evidence.service.exchange import NOTIFICATION, REFUSAL
from passerelle.node import Node
from passerelle.privacy import Principal, User, audit

TOKENS_FILE = "evidence-demo-tokens.json"
#: The provider each node's authorities address: its legal representative is abroad.
PROVIDERS = {
    "FR": ProviderIn(code="telco-be", name="Telco Belgique SA (demo)",
                     kind="legal_representative", country="BE",
                     address="Rue de la Loi 1, 1000 Bruxelles", email="lawful@telco-be.example",
                     services=["mobile", "fixed"]),
    "BE": ProviderIn(code="mobile-fr", name="Mobile France SAS (demo)", kind="establishment",
                     country="FR", address="1 place de la Gare, 59000 Lille",
                     email="requisitions@mobile-fr.example", services=["mobile"]),
}  # fmt: skip
NAT_CSV = (
    "inside_ip,outside_ip,port_start,port_end,protocol,start,end\n"
    "100.64.1.5,203.0.113.7,2048,2559,tcp,2026-12-01T10:00:00Z,2026-12-01T11:30:00Z\n"
    "100.64.1.6,203.0.113.7,2560,3071,udp,2026-12-01T10:10:00Z,2026-12-01T10:20:00Z\n"
)
ORDER = {
    "form": "EPOC", "authority_type": "investigating_judge",
    "authority_name": "Juge d'instruction, tribunal judiciaire de Lille (demo)",
    "category": "identification", "offence": "Escroquerie en bande organisée (demo)",
    "max_sentence_years": 10,
    "targets": [{"kind": "ip", "value": "203.0.113.7", "port": 2100,
                 "at": "2026-12-01T11:15:00Z"}],
    "grounds": "Connexion frauduleuse à un compte bancaire depuis l'adresse publique (demo).",
}  # fmt: skip


def _principal(node: Node) -> Principal:
    return Principal(kind="cli", id=0, name="demo-seed", agency=node.code,
                     roles=frozenset({"judicial"}))  # fmt: skip


def seed(node: Node) -> None:
    """The provider with its token (written to the demo data directory), one open
    identification order, and the node's NAT-log store with one deterministic pool."""
    from passerelle.evidence.nat import parse
    from passerelle.evidence.nat.pools import load_pools, make_pool, save_pools
    from passerelle.evidence.nat.store import NatStore

    data = PROVIDERS.get(node.code)
    if data is None:
        return
    with node.session() as session:
        if session.get(Provider, data.code) is not None:
            return
        _, token = directory.add_provider(session, node, data)
        orders.issue(session, node, _principal(node),
                     OrderIn.model_validate({**ORDER, "provider": data.code}))  # fmt: skip
        staff_of(session, node, data.code)
    (node.settings.data_dir / TOKENS_FILE).write_text(json.dumps({data.code: token}))
    store = NatStore(node.settings.data_dir / "nat")
    store.write(parse.read_csv(NAT_CSV.encode()).table)
    if not load_pools(store.pools_path):
        save_pools(store.pools_path, [make_pool("demo-pool", "198.51.100.0/24",
                                                "192.0.2.0/28", 16)])  # fmt: skip


def staff_of(session: Session, node: Node, provider: str) -> None:
    """The node's demo user of role ``addressee`` (``fr.addressee``, one per human
    role is seeded) joins the provider's agency, so it works the provider's console pages."""
    username = f"{node.code.lower()}.{directory.STAFF_ROLE}"
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is not None:
        user.agency_code = provider
        node.audit(session, audit.SYSTEM, action="admin", object_type="user",
                   object_id=username, purpose="demo seed", legal_basis="synthetic demo data",
                   details={"op": "agency", "agency": provider})  # fmt: skip


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json()


def _csrf(client: httpx.Client) -> dict[str, str]:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    if not match:
        raise PasserelleError("the console home page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def _wait(what: str, probe: Any, seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.3)
    raise PasserelleError(f"{what}: not seen within {seconds:.0f} s")


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))

    def login(n: Any, role: str) -> httpx.Client:
        account = next(a for a in accounts[n.code] if role in a.roles)
        return console_login(n, account.username, account.password)

    for n, peer, mtype in ((fr, "BE", NOTIFICATION), (be, "FR", REFUSAL)):
        with closing(login(n, "admin")) as client:
            _ok(client.put(f"/api/v1/federation/sharing/{mtype}/{peer}", headers=_csrf(client),
                           json={"policy": "automatic",
                                 "reason": "demo: e-Evidence notifications and refusals"}),
                f"{n.code}: sharing policy")  # fmt: skip
    print("FR, BE: admins set e-Evidence notifications and refusals to automatic")
    with closing(login(fr, "judicial")) as judge:
        order = _ok(
            judge.post(
                "/api/v1/evidence/orders",
                headers=_csrf(judge),
                json={
                    **ORDER,
                    "provider": "telco-be",
                    "category": "traffic",
                    "max_sentence_years": 5,
                    "targets": [{"kind": "phone", "value": "+32470000000"}],
                },
            ),
            "FR: traffic order",
        )
    print(f"FR: production order {order['reference']} for traffic data to telco-be (BE), "
          f"due {order['due_at']}, BE notified")  # fmt: skip
    with closing(login(be, "judicial")) as judge:
        _wait("BE: notification", lambda: [
            x for x in _ok(judge.get("/api/v1/evidence/notifications"), "BE: notifications")
            if x["reference"] == order["reference"]])  # fmt: skip
        _ok(judge.post(f"/api/v1/evidence/notifications/{order['reference']}/refuse",
                       headers=_csrf(judge), json={"ground": "fundamental_rights",
                                                   "reason": "demo: journalist's sources"}),
            "BE: refusal")  # fmt: skip
    print(f"BE: notification of {order['reference']} received; ground raised: fundamental rights")
    with closing(login(fr, "judicial")) as judge:
        _wait("FR: refusal", lambda: _ok(judge.get(f"/api/v1/evidence/orders/{order['id']}"),
                                         "FR: order")["status"] == "refused")  # fmt: skip
    print(f"FR: order {order['reference']} closed as refused")
    _provider_flow(fr)
    _console_flow(fr, login)


def _console_flow(fr: Any, login: Any) -> None:
    """The same workflow from the console: FR's judge issues a preservation order with the
    form; telco-be's staff acknowledges it (after the confirmation) and answers with Annex III."""
    import re

    def form_token(client: httpx.Client, path: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
        if not found:
            raise PasserelleError(f"FR: {path} carries no CSRF token")
        return found.group(1)

    with closing(login(fr, "judicial")) as judge:
        issued = judge.post("/evidence/new", data={
            **SCENE_FORM, "offence": "Menaces de mort en ligne (demo check)",
            "csrf_token": form_token(judge, "/evidence/new")})  # fmt: skip
        if issued.status_code != 303:
            raise PasserelleError(f"FR: order form refused ({issued.status_code})")
        order_id = issued.headers["location"].rsplit("/", 1)[-1]
    with closing(login(fr, "addressee")) as staff:
        page = f"/evidence/provider/orders/{order_id}"
        token = form_token(staff, page)
        for action, data in (("ack", {"confirmed": "yes"}), ("impossibility", {
                "reason": "data_not_held", "explanation": "Compte inconnu (demo)."})):  # fmt: skip
            done = staff.post(f"{page}/{action}", data={**data, "csrf_token": token})
            if done.status_code != 303:
                raise PasserelleError(f"telco-be staff: {action} refused ({done.status_code})")
    with closing(login(fr, "judicial")) as judge:
        order = _ok(judge.get(f"/api/v1/evidence/orders/{order_id}"), "FR: order")
    if order["status"] != "impossible":
        raise PasserelleError(f"FR: order {order['reference']} is {order['status']}")
    print(f"FR console: {order['reference']} issued from the form; telco-be's staff "
          f"acknowledged it and answered with Annex III (data not held)")  # fmt: skip


def _provider_flow(fr: Any) -> None:
    token = json.loads((fr.settings().data_dir / TOKENS_FILE).read_text())["telco-be"]
    headers = {"authorization": f"Bearer {token}"}
    with httpx.Client(base_url=fr.url, timeout=20) as client:
        inbox = _ok(client.get("/api/v1/evidence/provider/orders", headers=headers), "inbox")
        ident = next(o for o in inbox if o["category"] == "identification"
                     and o["status"] == "issued")  # fmt: skip
        path = f"/api/v1/evidence/provider/orders/{ident['id']}"
        _ok(client.post(f"{path}/ack", headers=headers), "provider: acknowledge")
        target = ident["targets"][0]
        found = _ok(client.post(f"{path}/nat-lookup", headers=headers, json={
            "ip": target["value"], "port": str(target["port"]), "timestamp": target["at"]}),
            "provider: NAT lookup")  # fmt: skip
        line = f"{found['subscriber']} ({found['evidence']})".encode()
        answer = _ok(
            client.post(
                f"{path}/answer",
                headers=headers,
                json={
                    "files": [
                        {
                            "name": "subscriber.txt",
                            "media_type": "text/plain",
                            "content_base64": base64.b64encode(line).decode(),
                        }
                    ]
                },
            ),
            "provider: answer",
        )
    print(
        f"telco-be: {ident['reference']} acknowledged, NAT lookup → subscriber "
        f"{found['subscriber']} by {found['evidence']}, answered "
        f"(SHA-256 {answer['files'][0]['sha256'][:16]}…)"
    )


#: The order the FR judge issues from the console form in the demo scene (form fields).
SCENE_FORM = {
    "form": "EPOC-PR", "authority_type": "prosecutor",
    "authority_name": "Procureur de la République, Lille (demo)", "provider": "telco-be",
    "category": "subscriber", "offence": "Harcèlement en ligne (demo)",
    "targets": "account harceleur59\nemail harceleur59@example.org",
    "grounds": "Conservation des données d'abonné avant une injonction de production (demo).",
}  # fmt: skip


def scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    """FR's judge issues a preservation order from the console's form: telco-be's staff
    (``fr.addressee``) finds it under "Orders received" with the seeded one."""
    import re

    from passerelle.kit.demo import console_login

    fr = next(n for n in nodes if n.code == "FR")
    judge = next(a for a in accounts["FR"] if "judicial" in a.roles)
    with closing(console_login(fr, judge.username, judge.password)) as client:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/evidence/new").text)
        if not found:
            raise PasserelleError("FR: the order form carries no CSRF token")
        answer = client.post("/evidence/new", data={**SCENE_FORM, "csrf_token": found.group(1)})
        if answer.status_code != 303:
            raise PasserelleError(f"FR: order form refused ({answer.status_code})")
    print("FR: a preservation order to telco-be issued from the console, for its staff")
