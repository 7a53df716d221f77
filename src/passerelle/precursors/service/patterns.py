"""Pattern detection across sellers and across the border.

Three patterns (rules.PATTERN_KINDS) over the purchases of a period, this node's transactions
and the purchase notices peers sent:

- ``combination``: one customer buys substances that together make a home-made explosive
  (rules.COMBINATIONS) from different sellers, within 7 days (Lille and Tournai, say);
- ``split``: one customer buys one substance several times in 7 days, totalling more than a
  legitimate quantity;
- ``shared_address``: several customers (accounts) have deliveries sent to one address.

DuckDB does the heavy part: blocking on the customer key (birth date + folded family name),
windows and groupings over the whole period. The identity engine (``passerelle.identity``)
then confirms that the purchases blocked together are one person (spelling variants across
languages and documents), so customers who merely share a key are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from passerelle.identity import PersonRecord, compare
from passerelle.precursors import rules

COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("ref", pa.string()),
    ("country", pa.string()),
    ("seller", pa.string()),
    ("ts", pa.timestamp("us", tz="UTC")),
    ("family", pa.string()),
    ("given", pa.string()),
    ("dob", pa.string()),
    ("doc", pa.string()),
    ("key", pa.string()),
    ("cas", pa.string()),
    ("kg", pa.float64()),
    ("account", pa.string()),
    ("address", pa.string()),
)
SCHEMA = pa.schema(list(COLUMNS))


@dataclass(frozen=True)
class Found:
    kind: str
    members: tuple[dict[str, Any], ...]
    summary: str

    @property
    def signature(self) -> str:
        return ",".join(sorted(m["ref"] for m in self.members))[:400]

    @property
    def countries(self) -> list[str]:
        return sorted({str(m["country"]) for m in self.members})


def table(rows: Iterable[Sequence[Any]]) -> pa.Table:
    cols: list[Sequence[Any]] = list(zip(*rows, strict=False)) or [() for _ in COLUMNS]
    return pa.table(
        [pa.array(list(c), type=t) for c, (_, t) in zip(cols, COLUMNS, strict=True)],
        schema=SCHEMA,
    )


_COMBO_SQL = """
WITH t AS (SELECT * FROM tx WHERE cas IN (SELECT a FROM combos UNION SELECT b FROM combos)
           AND dob <> '')
SELECT x.ref AS r1, y.ref AS r2, c.label
FROM t x JOIN t y ON x.key = y.key AND x.ref < y.ref AND x.cas <> y.cas
  AND x.seller <> y.seller
  AND abs(epoch(x.ts) - epoch(y.ts)) <= ?
JOIN combos c ON (c.a = x.cas AND c.b = y.cas) OR (c.a = y.cas AND c.b = x.cas)
"""

_SPLIT_SQL = """
WITH w AS (
  SELECT key, cas, count(*) OVER win AS n, sum(kg) OVER win AS total
  FROM tx WHERE dob <> ''
  WINDOW win AS (PARTITION BY key, cas ORDER BY ts
                 RANGE BETWEEN INTERVAL {seconds} SECOND PRECEDING AND CURRENT ROW)
), f AS (SELECT DISTINCT key, cas FROM w WHERE n >= ? AND total > ?)
SELECT list(t.ref ORDER BY t.ts) FROM tx t JOIN f USING (key, cas) GROUP BY t.key, t.cas
"""

_ADDRESS_SQL = """
SELECT list(ref ORDER BY ts) FROM tx WHERE address <> ''
GROUP BY address
HAVING count(DISTINCT CASE WHEN account <> '' THEN account ELSE key END) >= ?
"""


def _person(m: dict[str, Any]) -> PersonRecord:
    return PersonRecord(
        m["ref"],
        given_names=m["given"] or None,
        family_name=m["family"],
        date_of_birth=m["dob"] or None,
        document_number=m["doc"] or None,
    )


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["doc"] and a["doc"] == b["doc"]:
        return True
    return compare(_person(a), _person(b)).score >= rules.SAME_PERSON


def _components(pairs: list[tuple[str, str]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[str, set[str]] = {}
    for x in parent:
        groups.setdefault(root(x), set()).add(x)
    return list(groups.values())


def _members(con: duckdb.DuckDBPyConnection, refs: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    con.register("wanted", pa.table({"ref": pa.array(wanted, type=pa.string())}))
    names = [c for c, _ in COLUMNS]
    rows = con.execute(
        f"SELECT {', '.join(names)} FROM tx SEMI JOIN wanted USING (ref)"  # noqa: S608
    ).fetchall()
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows}


def _public(m: dict[str, Any]) -> dict[str, Any]:
    ts = m["ts"]
    return {
        "ref": m["ref"],
        "country": m["country"],
        "seller": m["seller"],
        "at": ts.isoformat() if isinstance(ts, datetime) else str(ts),
        "cas": m["cas"],
        "kg": m["kg"],
        "name": f"{m['family']}, {m['given']}".strip(", "),
    }


def _combinations(con: duckdb.DuckDBPyConnection) -> list[Found]:
    pairs = con.execute(_COMBO_SQL, [rules.PATTERN_WINDOW.total_seconds()]).fetchall()
    data = _members(con, (r for p in pairs for r in p[:2]))
    labels: dict[tuple[str, str], str] = {}
    confirmed = []
    for a, b, label in pairs:
        if _same(data[a], data[b]):
            confirmed.append((a, b))
            labels[(a, b)] = label
    found = []
    for group in _components(confirmed):
        members = sorted((data[r] for r in group), key=lambda m: m["ts"])
        combos = sorted({labels[p] for p in labels if p[0] in group})
        places = ", ".join(f"{m['seller']} ({m['country']})" for m in members)
        found.append(
            Found(
                "combination",
                tuple(_public(m) for m in members),
                f"{'; '.join(combos)} bought by one customer from {places}",
            )
        )
    return found


def _windows(members: list[dict[str, Any]], span: timedelta, ok: Any) -> list[list[dict[str, Any]]]:
    """The largest runs within ``span`` that satisfy ``ok``, not overlapping."""
    out: list[list[dict[str, Any]]] = []
    i = 0
    while i < len(members):
        j = i
        while j + 1 < len(members) and members[j + 1]["ts"] - members[i]["ts"] <= span:
            j += 1
        run = members[i : j + 1]
        if ok(run):
            out.append(run)
            i = j + 1
        else:
            i += 1
    return out


def _people(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by person, as the identity engine sees them."""
    people: list[list[dict[str, Any]]] = []
    for r in rows:
        for p in people:
            if _same(p[0], r):
                p.append(r)
                break
        else:
            people.append([r])
    return people


def _splits(con: duckdb.DuckDBPyConnection) -> list[Found]:
    # The window length is a constant of rules.py, written into the SQL as an integer.
    sql = _SPLIT_SQL.replace("{seconds}", str(int(rules.PATTERN_WINDOW.total_seconds())))
    groups = con.execute(sql, [rules.SPLIT_MIN_PURCHASES, rules.SPLIT_TOTAL_KG]).fetchall()
    data = _members(con, (r for (refs,) in groups for r in refs))
    found = []

    def ok(run: list[dict[str, Any]]) -> bool:
        return (
            len(run) >= rules.SPLIT_MIN_PURCHASES
            and sum(m["kg"] for m in run) > rules.SPLIT_TOTAL_KG
        )

    for (refs,) in groups:
        for person in _people([data[r] for r in refs]):
            for run in _windows(person, rules.PATTERN_WINDOW, ok):
                total = sum(m["kg"] for m in run)
                sellers = len({m["seller"] for m in run})
                found.append(
                    Found(
                        "split",
                        tuple(_public(m) for m in run),
                        f"{len(run)} purchases of {run[0]['cas']} totalling {total:g} kg from "
                        f"{sellers} seller(s) within 7 days",
                    )
                )
    return found


def _addresses(con: duckdb.DuckDBPyConnection) -> list[Found]:
    groups = con.execute(_ADDRESS_SQL, [rules.ADDRESS_MIN_CUSTOMERS]).fetchall()
    data = _members(con, (r for (refs,) in groups for r in refs))
    found = []

    def ok(run: list[dict[str, Any]]) -> bool:
        return len({m["account"] or m["key"] for m in run}) >= rules.ADDRESS_MIN_CUSTOMERS

    for (refs,) in groups:
        members = [data[r] for r in refs]
        for run in _windows(members, rules.ADDRESS_WINDOW, ok):
            accounts = {m["account"] or m["key"] for m in run}
            found.append(
                Found(
                    "shared_address",
                    tuple(_public(m) for m in run),
                    f"{len(accounts)} customer accounts have precursors delivered to "
                    f"{run[0]['address']}",
                )
            )
    return found


def detect(tx: pa.Table, *, threads: int = 2) -> list[Found]:
    """Every pattern in the purchases of ``tx`` (columns: :data:`COLUMNS`)."""
    con = duckdb.connect(config={"threads": threads})
    try:
        con.register("tx_arrow", tx)
        con.execute("CREATE TEMP TABLE tx AS SELECT * FROM tx_arrow")
        con.execute("CREATE TEMP TABLE combos (a VARCHAR, b VARCHAR, label VARCHAR)")
        con.executemany("INSERT INTO combos VALUES (?, ?, ?)", list(rules.COMBINATIONS))
        return [*_combinations(con), *_splits(con), *_addresses(con)]
    finally:
        con.close()
