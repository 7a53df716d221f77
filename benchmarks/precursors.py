"""Precursors: the transaction check (customer screening included) against 100,000 licence
holders and 100,000 watched persons, and pattern detection over 1 million transactions of a
day (FR and BE together) with precision and recall on a planted set — each beside the same
checks done by a plain SQL lookup (exact name and birth date equality, no identity engine).

Run: ``.venv/bin/python benchmarks/precursors.py [--holders 20000] [--watched 20000]
[--checks 200] [--databases sqlite,postgresql] [--http|--no-http] [--transactions 1000000]
[--part check|patterns|both]``. The defaults are small for a shared machine; the issue's goal
is measured with ``--holders 100000 --watched 100000 --checks 400``.

The check runs on each database of ``--databases`` (SQLite in a temporary directory; a
throw-away PostgreSQL server started as the tests do, ``tests/pgserver.py``), three ways side
by side: the service called in-process, ``POST /api/v1/precursors/check`` through a real
``uvicorn`` server in its own process (keep-alive HTTP client, the seller's token), and the
plain SQL lookups. The patterns run on DuckDB, 2 threads.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import socket
import sys
import tempfile
import time
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
from sqlalchemy import event, insert, select, text

from passerelle import domains
from passerelle.identity import screen
from passerelle.node import Node, open_node
from passerelle.precursors.model import Licence, Watched
from passerelle.precursors.rules import SAME_PERSON
from passerelle.precursors.schemas import ProductRow, SellerIn, TransactionIn
from passerelle.precursors.service import check, patterns, registers
from passerelle.precursors.service.common import delivery_key, identity_key
from passerelle.privacy import FrozenClock, Principal
from passerelle.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.pgserver import PostgresServer  # noqa: E402

#: The shop's token as the API resolves it (``registers.add_seller`` names it).
SELLER = Principal(
    kind="token", id=0, name="token:precursors-shop", agency="BE", roles=frozenset({"marketplace"})
)
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
SYL = [
    "ba",
    "de",
    "ri",
    "mo",
    "lu",
    "van",
    "der",
    "ke",
    "sa",
    "to",
    "ne",
    "li",
    "ga",
    "ro",
    "me",
    "po",
    "cla",
    "jan",
    "ver",
    "mar",
    "tin",
    "bos",
    "hu",
    "el",
]
GIVEN = [
    "Jean-Luc",
    "Marie",
    "Pieter",
    "Sofie",
    "Ahmed",
    "Fatima",
    "Lucas",
    "Emma",
    "Noah",
    "Léa",
    "Hugo",
    "Chloé",
    "Thomas",
    "Inès",
    "Arthur",
    "Lotte",
    "Wout",
    "Elise",
    "Yasmine",
    "Mehdi",
    "Camille",
    "Julien",
    "Anke",
    "Bram",
    "Zoé",
    "Nathan",
    "Manon",
    "Louis",
]
COMBO = ["67-64-1", "7722-84-1", "100-97-0", "7664-93-9"]
OTHER = ["7757-79-1", "7631-99-4", "10124-37-5", "7697-37-2"]


def family(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()


def dob(rng: random.Random) -> str:
    return (datetime(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))).date().isoformat()


def variant(name: str, rng: random.Random) -> str:
    """How another shop writes the same name: upper case, accents dropped, hyphen as space."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return rng.choice([name.upper(), plain, plain.replace("-", " "), plain.upper()])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# --- the check ------------------------------------------------------------------------------


def bench_settings(base: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=base / "be",
        node="BE",
        retention_interval_seconds=0,
        crisis_escalation_poll_seconds=0,  # no background job beside the checks
        database_url=database_url,
        # The check is measured where the licence register is consulted: a country running the
        # art. 5(3) licensing regime (Belgium itself issues none, see precursors/rules.py).
        precursors_regimes="BE=licence",
    ).with_(**domains.demo_settings("BE"))


def setup_node(
    settings: Settings, holders: int, watched: int, rng: random.Random
) -> tuple[Node, Any, str]:
    node = open_node(settings, clock=FrozenClock(T0 + timedelta(hours=12)))
    people = []
    with node.session() as session:
        _, token = registers.add_seller(
            session,
            node,
            SellerIn(
                code="shop",
                name="Shop",
                kind="shop",
                channel="offline",
                country="BE",
                city="Tournai",
            ),
        )
        registers.load_catalogue(
            session,
            "shop",
            [
                ProductRow(
                    sku="H2O2-30", trade_name="Perhydrol", cas="7722-84-1", concentration=30
                ),
                ProductRow(sku="ACE", trade_name="Acetone", cas="67-64-1", concentration=99),
            ],
        )
        lic = []
        for i in range(holders):
            p = (family(rng), rng.choice(GIVEN), dob(rng))
            people.append(p)
            lic.append(
                {
                    "country": "BE",
                    "number": f"L{i:07d}",
                    "family_name": p[0],
                    "given_names": p[1],
                    "date_of_birth": p[2],
                    "document_number": "",
                    "substances": ["7722-84-1"],
                    "max_concentration": 35.0,
                    "valid_from": T0 - timedelta(days=10),
                    "valid_until": T0 + timedelta(days=300),
                    "revoked_at": None,
                }
            )
        session.execute(insert(Licence), lic)
        w = []
        for _ in range(watched):
            w.append(
                {
                    "id": str(uuid.uuid4()),
                    "family_name": family(rng),
                    "given_names": rng.choice(GIVEN),
                    "date_of_birth": dob(rng),
                    "document_number": "",
                    "reason": "bench",
                    "added_at": T0,
                    "added_by": "bench",
                }
            )
        session.execute(insert(Watched), w)
        session.execute(
            text(
                "CREATE INDEX IF NOT EXISTS bench_w ON precursors_watched "
                "(family_name, given_names, date_of_birth)"
            )
        )
    return node, people, token


def _serve(settings: Settings, port: int) -> None:
    """The node behind a real ``uvicorn`` server (in a child process), same frozen clock,
    with the options ``passerelle serve`` uses (its HTTP protocol, Nagle off)."""
    import uvicorn

    from passerelle.web.app import create_app
    from passerelle.web.server import uvicorn_options

    node = open_node(settings, clock=FrozenClock(T0 + timedelta(hours=12)))
    app = create_app(node)
    app.state.federation_worker = False
    options = {**uvicorn_options(settings), "host": "127.0.0.1", "port": port}
    uvicorn.run(app, **{**options, "log_level": "warning"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_cpu(pid: int | None) -> float:
    """CPU time (ms, user + system, every thread) the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def bench_http(
    settings: Settings, token: str, bodies: list[dict[str, Any]]
) -> tuple[list[float], list[float], float, float]:
    """Wall time of each check through ``POST /api/v1/precursors/check`` (one keep-alive
    connection, as a shop's till would hold), and of the same number of authenticated
    ``GET /api/v1/precursors/substances`` (no database beyond the token): the web stack's own
    share of a check; with the server process's mean CPU time (all threads) per request."""
    port = _free_port()
    server = mp.get_context("spawn").Process(target=_serve, args=(settings, port), daemon=True)
    server.start()
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        ) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the benchmark server did not start")
                time.sleep(0.1)
            for body in bodies[:5]:  # warm-up: the first check builds the watchlist index
                client.post("/api/v1/precursors/check", json=body, timeout=900).raise_for_status()
            times, floor = [], []
            cpu = server_cpu(server.pid)
            for body in bodies:
                t = time.perf_counter()
                answer = client.post("/api/v1/precursors/check", json=body)
                times.append(time.perf_counter() - t)
                answer.raise_for_status()
            cpu_checks = server_cpu(server.pid) - cpu
            cpu = server_cpu(server.pid)
            for _ in bodies:
                t = time.perf_counter()
                client.get("/api/v1/precursors/substances").raise_for_status()
                floor.append(time.perf_counter() - t)
            cpu_floor = server_cpu(server.pid) - cpu
            return times, floor, cpu_checks / len(bodies), cpu_floor / len(bodies)
    finally:
        server.terminate()
        server.join(30)


class RoundTrips:
    """What the in-process checks sent the database: statements, transaction starts and ends
    (on PostgreSQL each is a round trip; ``BEGIN`` is sent on its own by psycopg) and the
    pool's liveness pings, counted while ``counting`` is set."""

    def __init__(self, node: Node) -> None:
        self.where = "SQLite, in-process" if node.db.is_sqlite else "PostgreSQL"
        self.counting = False
        self.counts = {"statements": 0, "begin": 0, "commit": 0, "ping": 0}
        engine = node.db.engine

        def count(kind: str) -> Any:
            def listener(*_args: Any, **_kwargs: Any) -> None:
                if self.counting:
                    self.counts[kind] += 1

            return listener

        event.listen(engine, "before_cursor_execute", count("statements"))
        event.listen(engine, "begin", count("begin"))
        event.listen(engine, "commit", count("commit"))
        ping = engine.dialect.do_ping
        counted_ping = count("ping")

        def do_ping(dbapi_connection: Any) -> bool:
            counted_ping()
            return bool(ping(dbapi_connection))

        engine.dialect.do_ping = do_ping  # type: ignore[method-assign]

    def describe(self, checks: int) -> str:
        c = {k: v / checks for k, v in self.counts.items()}
        total = c["statements"] + c["begin"] + c["commit"] + c["ping"]
        return (
            f"{c['statements']:.1f} statements, {c['begin']:.1f} BEGIN, {c['commit']:.1f} COMMIT, "
            f"{c['ping']:.1f} pings: {total:.1f} round trips ({self.where})"
        )


def bench_check(args: argparse.Namespace) -> None:
    for database in args.databases.split(","):
        if database == "postgresql":
            pg = PostgresServer()
            pg.start()
            try:
                import psycopg

                with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
                    conn.execute('CREATE DATABASE "bench"')
                url = pg.url("bench").replace("postgresql://", "postgresql+psycopg://")
                check_on(args, database, url)
            finally:
                pg.stop()
        elif database == "sqlite":
            check_on(args, database, "")
        else:
            raise SystemExit(f"unknown database {database!r} (sqlite, postgresql)")


def check_on(args: argparse.Namespace, database: str, url: str) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), url)
        start = time.perf_counter()
        node, holders, token = setup_node(settings, args.holders, args.watched, rng)
        print(
            f"check [{database}]: {args.holders:,} licence holders and {args.watched:,} watched "
            f"persons loaded in {time.perf_counter() - start:.1f} s"
        )
        with node.session() as session:
            watched = [
                (w.family_name, w.given_names, w.date_of_birth)
                for w in session.scalars(select(Watched).limit(args.checks))
            ]
            start = time.perf_counter()
            index = registers.watch_index(node).current(session)
        print(
            f"check [{database}]: watchlist index built in {time.perf_counter() - start:.1f} s "
            "(once, at start-up)"
        )
        cases = []
        for i in range(args.checks):
            kind = i % 4
            if kind == 0:  # a licence holder buying 30 % hydrogen peroxide
                n = rng.randrange(len(holders))
                f, g, d = holders[n]
                cases.append((f, g, d, "H2O2-30", f"L{n:07d}", False))
            elif kind == 1:  # a watched person, spelled as the shop wrote it
                f, g, d = watched[i % len(watched)]
                cases.append((variant(f, rng), variant(g, rng), d, "ACE", "", True))
            else:  # anyone buying acetone
                cases.append((family(rng), rng.choice(GIVEN), dob(rng), "ACE", "", False))
        trips = RoundTrips(node)
        load_before = os.getloadavg()[0]
        engine_t, sql_t, engine_hits, sql_hits, planted = [], [], 0, 0, 0
        engine_cpu: list[float] = []
        sql_cpu: list[float] = []
        screen_t: list[float] = []
        bodies: list[dict[str, Any]] = []
        for f, g, d, sku, lic, is_watched in cases:
            body = {
                "customer": {
                    "type": "public",
                    "family_name": f,
                    "given_names": g,
                    "date_of_birth": d,
                },
                "product": {"sku": sku, "quantity_kg": 1},
                "payment": {"method": "card", "amount": 10},
                "delivery": {"method": "pickup"},
                "verification": {"id_document_checked": True, "licence_number": lic},
            }
            bodies.append(body)
            data = TransactionIn.model_validate(body)
            planted += is_watched
            t, c = time.perf_counter(), time.thread_time()
            trips.counting = True
            with node.session() as session:
                # The same work as the API: the seller's token reads its seller and product in
                # one statement, the peers are notified (queued in the outbox).
                seller, product = registers.seller_and_product(session, SELLER, sku)
                out = check.check(session, node, SELLER, seller, data, product=product)
            trips.counting = False
            engine_t.append(time.perf_counter() - t)
            engine_cpu.append(time.thread_time() - c)
            c = time.thread_time()
            screen(check.person_of(data), index, SAME_PERSON)
            screen_t.append(time.thread_time() - c)
            engine_hits += is_watched and out.out.decision == "report"
            t, c = time.perf_counter(), time.thread_time()
            with node.session() as session:  # the same checks by plain SQL lookups
                session.execute(
                    text("SELECT * FROM precursors_licence WHERE country='BE' AND number=:n"),
                    {"n": lic},
                ).first()
                hit = session.execute(
                    text(
                        "SELECT id FROM precursors_watched WHERE family_name=:f AND given_names=:g "
                        "AND date_of_birth=:d"
                    ),
                    {"f": f, "g": g, "d": d},
                ).first()
                session.execute(
                    text(
                        "SELECT count(*) FROM precursors_transaction WHERE family_name=:f AND "
                        "date_of_birth=:d AND occurred_at >= :s"
                    ),
                    {"f": f, "d": d, "s": T0 - timedelta(days=7)},
                ).first()
            sql_t.append(time.perf_counter() - t)
            sql_cpu.append(time.thread_time() - c)
            sql_hits += is_watched and hit is not None
        node.close()
        http_t, floor_t, cpu_check, cpu_floor = (
            bench_http(settings, token, bodies) if args.http else ([], [], 0.0, 0.0)
        )
    print(
        f"check [{database}]: {args.checks} checks (licence, watched-person screening, the "
        f"customer's week, decision, record, audit); load average during the checks "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"  passerelle (identity engine): wall p50 {pct(engine_t, 0.5):.2f} ms, p99 "
        f"{pct(engine_t, 0.99):.2f} ms; CPU p50 {pct(engine_cpu, 0.5):.2f} ms, p99 "
        f"{pct(engine_cpu, 0.99):.2f} ms; watched persons found {engine_hits}/{planted}"
    )
    print(f"    per check: {trips.describe(args.checks)}")
    print(
        f"    of which screening against the watched persons (CPU): p50 "
        f"{pct(screen_t, 0.5):.2f} ms, p99 {pct(screen_t, 0.99):.2f} ms"
    )
    print(
        f"  plain SQL lookups:            wall p50 {pct(sql_t, 0.5):.2f} ms, p99 "
        f"{pct(sql_t, 0.99):.2f} ms; CPU p50 {pct(sql_cpu, 0.5):.2f} ms, p99 "
        f"{pct(sql_cpu, 0.99):.2f} ms; watched persons found {sql_hits}/{planted}"
    )
    if http_t:
        print(
            f"  passerelle through HTTP:      wall p50 {pct(http_t, 0.5):.2f} ms, p99 "
            f"{pct(http_t, 0.99):.2f} ms (POST /api/v1/precursors/check, uvicorn, 1 process)"
        )
        print(
            f"    web stack alone (authenticated GET /api/v1/precursors/substances): wall p50 "
            f"{pct(floor_t, 0.5):.2f} ms, p99 {pct(floor_t, 0.99):.2f} ms"
        )
        print(
            f"    server CPU per request (all threads, mean): check {cpu_check:.2f} ms, "
            f"authenticated GET {cpu_floor:.2f} ms"
        )


# --- the patterns ---------------------------------------------------------------------------


def row(
    ref: str,
    country: str,
    seller: str,
    ts: datetime,
    f: str,
    g: str,
    d: str,
    cas: str,
    kg: float,
    account: str,
    address: str,
) -> tuple[Any, ...]:
    return (
        ref,
        country,
        seller,
        ts,
        f,
        g,
        d,
        "",
        identity_key(f, d),
        cas,
        kg,
        account,
        delivery_key(address, country),
    )


def generate(n: int, rng: random.Random) -> tuple[list[tuple[Any, ...]], dict[str, set[str]]]:
    rows: list[tuple[Any, ...]] = []
    planted: dict[str, set[str]] = {}
    seq = 0

    def ref(country: str) -> str:
        nonlocal seq
        seq += 1
        return f"{country}-{seq}"

    def at(day: float = 0.0) -> datetime:
        return T0 + timedelta(days=day, seconds=rng.randrange(86400))

    def seller(country: str) -> str:
        return f"{country}-s{rng.randrange(400)}"

    # Planted patterns.
    for i in range(200):  # combination across the border, spelled differently
        f, g, d = family(rng), rng.choice(GIVEN), dob(rng)
        a, b = ref("FR"), ref("BE")
        rows.append(row(a, "FR", seller("FR"), at(), f, g, d, "67-64-1", 1.0, f"fr{i}", ""))
        rows.append(
            row(
                b,
                "BE",
                seller("BE"),
                at(rng.randrange(6)),
                variant(f, rng),
                variant(g, rng),
                d,
                "7722-84-1",
                1.0,
                f"be{i}",
                "",
            )
        )
        planted[f"combination:{i}"] = {a, b}
    for i in range(200):  # split purchases
        f, g, d = family(rng), rng.choice(GIVEN), dob(rng)
        country = rng.choice(("FR", "BE"))
        refs = {ref(country) for _ in range(4)}
        for k, r in enumerate(sorted(refs)):
            name = f if k % 2 == 0 else variant(f, rng)
            rows.append(
                row(r, country, seller(country), at(k), name, g, d, "7757-79-1", 1.5, f"sp{i}", "")
            )
        planted[f"split:{i}"] = refs
    for i in range(100):  # many accounts, one address
        address = f"{rng.randrange(1, 200)} Rue des Tilleuls {i}, Tournai"
        refs = set()
        for k in range(4):
            r = ref("BE")
            refs.add(r)
            shown = address if k % 2 == 0 else address.upper().replace(",", "")
            rows.append(
                row(
                    r,
                    "BE",
                    seller("BE"),
                    at(k),
                    family(rng),
                    rng.choice(GIVEN),
                    dob(rng),
                    "7722-84-1",
                    0.5,
                    f"acct{i}-{k}",
                    shown,
                )
            )
        planted[f"shared_address:{i}"] = refs
    # Decoys: a blocking key shared by two different people; one person three weeks apart.
    for _ in range(200):
        f, d = family(rng), dob(rng)
        rows.append(
            row(ref("FR"), "FR", seller("FR"), at(), f + "ar", "Marcel", d, "67-64-1", 1.0, "", "")
        )
        rows.append(
            row(
                ref("BE"),
                "BE",
                seller("BE"),
                at(1),
                f + "ier",
                "Annick",
                d,
                "7722-84-1",
                1.0,
                "",
                "",
            )
        )
    for _ in range(100):
        f, g, d = family(rng), rng.choice(GIVEN), dob(rng)
        rows.append(row(ref("FR"), "FR", seller("FR"), at(), f, g, d, "67-64-1", 1.0, "", ""))
        rows.append(row(ref("BE"), "BE", seller("BE"), at(21), f, g, d, "7722-84-1", 1.0, "", ""))
    # Background: each person buys one substance one to three times, small quantities.
    while len(rows) < n:
        f, g, d = family(rng), rng.choice(GIVEN), dob(rng)
        cas = rng.choice(COMBO + OTHER)
        country = rng.choice(("FR", "BE"))
        account = f"u{len(rows)}"
        address = f"{rng.randrange(1, 500)} street {len(rows)}" if rng.random() < 0.3 else ""
        for _ in range(rng.choice((1, 1, 2, 3))):
            rows.append(
                row(
                    ref(country),
                    country,
                    seller(country),
                    at(rng.random() * 0.99),
                    f,
                    g,
                    d,
                    cas,
                    round(rng.uniform(0.1, 1.0), 2),
                    account,
                    address,
                )
            )
    return rows[:n], planted


def score(found: list[tuple[str, set[str]]], planted: dict[str, set[str]]) -> tuple[float, float]:
    matched: set[str] = set()
    true = 0
    for kind, refs in found:
        hit = [k for k, p in planted.items() if k.startswith(kind + ":") and len(p & refs) >= 2]
        if hit:
            true += 1
            matched.update(hit)
    precision = true / len(found) if found else 1.0
    return precision, len(matched) / len(planted)


_PLAIN_COMBO = """
WITH t AS (SELECT * FROM tx WHERE cas IN (SELECT a FROM combos UNION SELECT b FROM combos))
SELECT x.ref, y.ref FROM t x JOIN t y ON x.family = y.family AND x.given = y.given
  AND x.dob = y.dob AND x.ref < y.ref AND x.cas <> y.cas AND x.seller <> y.seller
  AND abs(epoch(x.ts) - epoch(y.ts)) <= 604800
JOIN combos c ON (c.a = x.cas AND c.b = y.cas) OR (c.a = y.cas AND c.b = x.cas)
"""
_PLAIN_SPLIT = """
SELECT list(ref) FROM tx GROUP BY family, given, dob, cas HAVING count(*) >= 3 AND sum(kg) > 5
"""
_PLAIN_ADDRESS = """
SELECT list(ref) FROM tx WHERE address <> '' GROUP BY address
HAVING count(DISTINCT account) >= 3
"""


def plain_sql(table: Any) -> list[tuple[str, set[str]]]:
    con = duckdb.connect(config={"threads": 2})
    con.register("tx", table)
    con.execute("CREATE TEMP TABLE combos (a VARCHAR, b VARCHAR, label VARCHAR)")
    from passerelle.precursors import rules

    con.executemany("INSERT INTO combos VALUES (?, ?, ?)", list(rules.COMBINATIONS))
    found = [("combination", {a, b}) for a, b in con.execute(_PLAIN_COMBO).fetchall()]
    found += [("split", set(r)) for (r,) in con.execute(_PLAIN_SPLIT).fetchall()]
    found += [("shared_address", set(r)) for (r,) in con.execute(_PLAIN_ADDRESS).fetchall()]
    con.close()
    return found


def bench_patterns(args: argparse.Namespace) -> None:
    rng = random.Random(11)
    start = time.perf_counter()
    rows, planted = generate(args.transactions, rng)
    table = patterns.table(rows)
    del rows
    print(
        f"patterns: {table.num_rows:,} transactions (FR+BE, one day plus the planted weeks), "
        f"{len(planted)} planted patterns, generated in {time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    found = patterns.detect(table, threads=2)
    took = time.perf_counter() - start
    p, r = score([(f.kind, {m["ref"] for m in f.members}) for f in found], planted)
    print(
        f"  passerelle (DuckDB + identity engine): {took:.1f} s, {len(found)} patterns, "
        f"precision {p:.3f}, recall {r:.3f}"
    )
    start = time.perf_counter()
    plain = plain_sql(table)
    took = time.perf_counter() - start
    p, r = score(plain, planted)
    print(
        f"  plain SQL (exact name + birth date):   {took:.1f} s, {len(plain)} patterns, "
        f"precision {p:.3f}, recall {r:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=20_000)
    parser.add_argument("--watched", type=int, default=20_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--part", choices=("check", "patterns", "both"), default="both")
    args = parser.parse_args()
    if args.part in ("patterns", "both"):
        bench_patterns(args)
    if args.part in ("check", "both"):
        bench_check(args)


if __name__ == "__main__":
    main()
