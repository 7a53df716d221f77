"""RFC 7422 pools: the worked example, the round trip, the ports left to dynamic logging."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.errors import MalformedInput, ValidationFailed
from passerelle.evidence.nat.pools import (
    int_to_ip,
    ip_to_int,
    load_pools,
    make_pool,
    save_pools,
)

POOL = make_pool("p1", "198.51.100.0/24", "192.0.2.0/28", 16)


def test_the_rfc_example_gives_4032_ports_from_1024() -> None:
    assert POOL.ports_per_subscriber == 4032
    outside, first, last = POOL.forward(ip_to_int("198.51.100.1")) or (0, 0, 0)
    assert (int_to_ip(outside), first, last) == ("192.0.2.1", 1024, 5055)


@given(st.integers(0, 255))
def test_every_inside_address_comes_back_from_each_of_its_ports(index: int) -> None:
    inside = ip_to_int("198.51.100.0") + index
    outside, first, last = POOL.forward(inside) or (0, 0, 0)
    for port in (first, (first + last) // 2, last):
        assert POOL.reverse(outside, port, 0) == inside


def test_ports_outside_the_blocks_and_other_times_are_not_attributed() -> None:
    outside = ip_to_int("192.0.2.1")
    assert POOL.reverse(outside, 1023, 0) is None  # below the first port
    assert POOL.reverse(ip_to_int("192.0.2.16"), 2000, 0) is None  # outside the prefix
    dated = make_pool("p2", "198.51.100.0/24", "192.0.2.0/28", 16)
    object.__setattr__(dated, "valid_from_ms", 1000)
    assert dated.reverse(outside, 2000, 999) is None


def test_a_pool_that_cannot_hold_its_subscribers_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="do not fit"):
        make_pool("big", "100.64.0.0/16", "192.0.2.0/28", 16)
    with pytest.raises(ValidationFailed, match="inside"):
        make_pool("bad", "100.64.0.1/16", "192.0.2.0/28", 16)


def test_pools_round_trip_through_the_file_and_a_broken_file_is_a_typed_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pools.json"
    save_pools(path, [POOL])
    assert load_pools(path) == [POOL]
    with pytest.raises(ValidationFailed, match="unique"):
        save_pools(path, [POOL, POOL])
    path.write_text("{not json")
    with pytest.raises(MalformedInput):
        load_pools(path)


SEQUENTIAL = make_pool("p3", "100.64.0.0/28", "192.0.2.0/30", 4, order="sequential")


def test_a_sequential_pool_fills_one_outside_address_before_the_next() -> None:
    # consecutive inside addresses take consecutive blocks of the same outside address,
    # as the nftables-cgnat generator and Juniper's deterministic NAPT assign them
    assert SEQUENTIAL.ports_per_subscriber == 16128
    got = [SEQUENTIAL.forward(ip_to_int(f"100.64.0.{i}")) for i in (0, 1, 4)]
    assert [(int_to_ip(o), a, b) for o, a, b in (g or (0, 0, 0) for g in got)] == [
        ("192.0.2.0", 1024, 17151),
        ("192.0.2.0", 17152, 33279),
        ("192.0.2.1", 1024, 17151),
    ]
    assert int_to_ip(SEQUENTIAL.reverse(ip_to_int("192.0.2.0"), 20000, 0) or 0) == "100.64.0.1"
    # the same question asked of a round-robin pool of the same prefixes gets another line
    robin = make_pool("p4", "100.64.0.0/28", "192.0.2.0/30", 4)
    assert int_to_ip(robin.reverse(ip_to_int("192.0.2.0"), 20000, 0) or 0) == "100.64.0.4"


@given(st.integers(0, 15))
def test_every_inside_address_of_a_sequential_pool_comes_back(index: int) -> None:
    inside = ip_to_int("100.64.0.0") + index
    outside, first, last = SEQUENTIAL.forward(inside) or (0, 0, 0)
    for port in (first, last):
        assert SEQUENTIAL.reverse(outside, port, 0) == inside


def test_an_unknown_order_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_pool("p5", "100.64.0.0/28", "192.0.2.0/30", 4, order="random")
    assert caught.value.details["field"] == "order"
