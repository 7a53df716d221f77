"""Each money-flow rule finds its planted pattern, with the subgraph and an explanation, and
stays silent on ordinary traffic."""

from __future__ import annotations

from passerelle.financing import rules
from passerelle.financing.service.flows import DAY, Edge, detect, linked, shared

T0 = 1_780_000_000.0


def _rules(edges: list[Edge]) -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for d in detect(edges):
        found.setdefault(d.rule, []).append(d.accounts)
    return found


def test_ordinary_traffic_finds_nothing() -> None:
    edges = [Edge(f"A{i}", f"B{i}", 100.0 + i, T0 + i * DAY) for i in range(30)]
    assert _rules(edges) == {}


def test_fan_in_and_fan_out() -> None:
    into = [Edge(f"D{i}", "HUB", 50.0, T0 + i * 3600) for i in range(12)]
    out = [Edge("SRC", f"R{i}", 70.0, T0 + i * 3600) for i in range(12)]
    found = detect(into + out)
    fan_in = next(d for d in found if d.rule == "fan_in")
    assert fan_in.accounts == ("HUB",) and len(fan_in.edges) == 12
    assert "12 different accounts paid into HUB" in fan_in.explanation
    assert ("SRC",) in _rules(into + out)["fan_out"]


def test_fan_in_spread_over_more_than_the_window_is_not_one() -> None:
    slow = [Edge(f"D{i}", "HUB", 50.0, T0 + i * 4 * DAY) for i in range(12)]
    assert "fan_in" not in _rules(slow)


def test_round_trip_and_quick_chain() -> None:
    trip = [
        Edge("A", "B", 5000.0, T0),
        Edge("B", "C", 4900.0, T0 + 2 * DAY),
        Edge("C", "A", 4800.0, T0 + 5 * DAY),
    ]
    chain = [
        Edge("K", "L", 9000.0, T0),
        Edge("L", "M", 8800.0, T0 + 3600),
        Edge("M", "N", 8600.0, T0 + 7200),
        Edge("N", "O", 8500.0, T0 + 9000),
    ]
    found = _rules(trip + chain)
    assert found["round_trip"] == [("A", "B", "C")]
    assert found["quick_chain"] == [("K", "L", "M", "N", "O")]  # once, not its later parts


def test_structuring_just_under_the_threshold() -> None:
    amounts = [14_500.0, 13_900.0, 14_800.0]
    edges = [Edge("S", f"T{i}", a, T0 + i * DAY) for i, a in enumerate(amounts)]
    (draft,) = [d for d in detect(edges) if d.rule == "structuring"]
    assert draft.accounts == ("S",) and "43,200.00 in all" in draft.explanation
    assert rules.FLOW_RULES["structuring"].source.startswith("FATF")


def test_shared_address_and_links_to_lists() -> None:
    places = {"address:1 RUE X": {("A1", "KARIM"), ("A2", "YOUSSEF"), ("A3", "ALI")},
              "device:PHONE-1": {("A4", "SAME"), ("A5", "SAME"), ("A6", "SAME")}}  # fmt: skip
    (draft,) = shared(places)
    assert draft.accounts == ("A1", "A2", "A3") and "share one address" in draft.explanation
    edges = [Edge("A1", "DEALER-IBAN", 30_000.0, T0)]
    (link,) = linked(edges, {"DEALER-IBAN": "dealers list"}, "art_dealer")
    assert "cultural-goods dealer" in link.explanation and link.edges == edges
