"""Alerts: how fast an alert becomes (and stops being) a screening hit, how long the watchlist
takes to rebuild at start-up, screening latency against it, and the iCalendar export.

Run: ``.venv/bin/python benchmarks/alerts_perf.py [--alerts 2000] [--releases 1000]``
(SQLite in a temporary directory; synthetic people from ``passerelle.synth``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from passerelle.alerts import load_watchlist
from passerelle.alerts.schemas import AlertIn, ReleaseOut, StepOut
from passerelle.alerts.service import ics, register
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import open_node
from passerelle.privacy import Principal
from passerelle.settings import Settings
from passerelle.synth import generate_people

WHO = Principal(kind="cli", id=0, name="bench", agency="FR", roles=frozenset({"supervisor"}))


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"mean {statistics.mean(values) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--releases", type=int, default=1000)
    args = parser.parse_args()
    people = generate_people(args.alerts, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        node = open_node(Settings(data_dir=Path(tmp), node="FR", retention_interval_seconds=0))
        load_watchlist(node)
        lists = node_watchlists(node.state)
        create, ids = [], []
        for p in people:
            data = AlertIn(
                category="art36_discreet",
                family_name=p.family_name,
                given_names=p.given_names,
                date_of_birth=p.date_of_birth,
                reason="benchmark",
                action="benchmark",
            )
            start = time.perf_counter()
            with node.session() as session:
                ids.append(register.create(session, node, WHO, data).id)
            create.append(time.perf_counter() - start)
        print(
            f"alerts entered: {args.alerts}; create → listed (one transaction each): {_ms(create)}"
        )
        screen = []
        for p in people[:200]:
            record = PersonRecord(
                "q",
                given_names=p.given_names,
                family_name=p.family_name,
                date_of_birth=p.date_of_birth,
            )
            start = time.perf_counter()
            lists.screen(record, 0.8)
            screen.append(time.perf_counter() - start)
        print(f"screening one person against {args.alerts} alerts: {_ms(screen)}")
        start = time.perf_counter()
        count = load_watchlist(node, force=True)
        print(
            f"watchlist rebuild at start-up ({count} alerts): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        withdraw = []
        for alert_id in ids[:200]:
            start = time.perf_counter()
            with node.session() as session:
                register.withdraw(session, node, WHO, alert_id)
            withdraw.append(time.perf_counter() - start)
        print(f"withdraw → unlisted (one transaction each): {_ms(withdraw)}")
        node.close()
    steps = [
        StepOut(
            id=f"s{i}",
            step="assessment",
            label="Risk assessment",
            due_date=date(2026, 6, 1),
            done_at=None,
            done_by=None,
            overdue=False,
        )
        for i in range(4)
    ]
    releases = [
        ReleaseOut(
            id=f"r{i}",
            detainee_id=f"d{i:08d}",
            detainee_name="Éloïse Lambert",
            origin="FR",
            scope="terrorist_offence",
            institution="Établissement pénitentiaire de synthèse " * 3,
            kind="end_of_sentence",
            release_date=date(2026, 9, 1) + timedelta(days=i % 300),
            notified=[],
            steps=steps,
        )
        for i in range(args.releases)
    ]
    start = time.perf_counter()
    text = ics.calendar(releases, node="FR", now=node.clock.now())
    elapsed = time.perf_counter() - start
    print(
        f"iCalendar: {args.releases} releases + {4 * args.releases} steps "
        f"({len(text.encode()) // 1024} KiB) in {elapsed * 1000:.0f} ms"
    )
    print("comparison: issue #5 names no competitor; figures are for capacity planning")


if __name__ == "__main__":
    main()
