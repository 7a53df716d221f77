"""Ingest into hour partitions and lookup through the row-group index."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.errors import MalformedInput
from passerelle.evidence.nat import parse
from passerelle.evidence.nat.lookup import attribute, parse_query
from passerelle.evidence.nat.pools import make_pool, save_pools
from passerelle.evidence.nat.store import ROW_GROUP_ROWS, NatStore

CSV = b"""inside_ip,outside_ip,port_start,port_end,protocol,start,end
100.64.1.5,203.0.113.7,2048,2559,tcp,2026-12-03T10:00:00Z,2026-12-03T11:30:00Z
100.64.1.6,203.0.113.7,2560,3071,udp,2026-12-03T10:10:00Z,2026-12-03T10:20:00Z
999.1.1.1,203.0.113.7,2560,3071,udp,2026-12-03T10:10:00Z,2026-12-03T10:20:00Z
100.64.1.6,203.0.113.7,2560,3071,udp,2026-02-30T10:10:00+01:00,2026-12-03T10:20:00Z
100.64.1.7,203.0.113.8,4000,3000,tcp,2026-12-03T10:10:00Z,2026-12-03T10:20:00Z
100.64.1.6,203.0.113.7,2560
"""
SYSLOG = (
    b"<134>Dec  3 10:00:00 cgn01 NAT: proto=tcp inside=100.64.0.5 outside=192.0.2.200 "
    b"ports=1024-1535 start=2026-12-03T10:00:00Z end=2026-12-03T10:05:00Z\n"
    b"<134>Dec  3 10:00:01 cgn01 NAT: proto=udp inside=100.64.0.9 outside=192.0.2.200 "
    b"port=40000 start=1764756000000 end=1764756060000\n"
    b"garbage line\n"
)


def _store(tmp_path: Path, data: bytes = CSV) -> NatStore:
    store = NatStore(tmp_path / "nat")
    parsed = parse.read_csv(data)
    store.write(parsed.table)
    return store


def test_bad_rows_are_rejected_with_their_reason_and_the_good_ones_stored(
    tmp_path: Path,
) -> None:
    parsed = parse.read_csv(CSV)
    assert parsed.table.num_rows == 2
    reasons = sorted(r.reason for r in parsed.rejects)
    assert reasons == [
        "inside_ip: not an IPv4 address",
        "port_end: below port_start",
        "row: 7 columns expected, 3 found",
        "start: not a time with a zone or epoch milliseconds",
    ]
    assert any(r.raw.startswith("999.1.1.1,") for r in parsed.rejects)
    store = NatStore(tmp_path)
    path = store.quarantine("x.csv", parsed.rejects)
    assert path is not None and "port_end: below port_start" in path.read_text()


def test_a_log_record_attributes_the_session_over_its_whole_life(tmp_path: Path) -> None:
    store = _store(tmp_path)
    # started in the 10:00 hour, still open at 11:15: found through the longest-session bound
    found = attribute(store, parse_query("203.0.113.7", "2100", "2026-12-03T11:15:00Z"))
    assert found is not None and (found.subscriber, found.evidence) == ("100.64.1.5", "log")
    assert found.detail["protocol"] == "tcp"
    assert attribute(store, parse_query("203.0.113.7", "2600", "2026-12-03T10:25:00Z")) is None
    assert attribute(store, parse_query("203.0.113.7", "2600", "2026-12-03T11:20:00+01:00"))


def test_a_deterministic_pool_answers_by_computation_before_the_logs(tmp_path: Path) -> None:
    store = _store(tmp_path)
    save_pools(store.pools_path, [make_pool("p1", "198.51.100.0/24", "192.0.2.0/28", 16)])
    found = attribute(store, parse_query("192.0.2.1", "5056", "2026-12-03T11:15:00Z"))
    assert found is not None
    assert (found.subscriber, found.evidence, found.detail["pool"]) == (
        "198.51.100.17",
        "mapping",
        "p1",
    )


def test_syslog_lines_are_read_and_a_line_without_fields_rejected(tmp_path: Path) -> None:
    parsed = parse.read_syslog(SYSLOG)
    assert parsed.table.num_rows == 2
    assert [r.line for r in parsed.rejects] == [3]
    store = NatStore(tmp_path)
    store.write(parsed.table)
    found = attribute(store, parse_query("192.0.2.200", "40000", "2025-12-03T10:00:30Z"))
    assert found is not None and found.subscriber == "100.64.0.9"


def test_files_are_sorted_by_key_in_indexed_row_groups(tmp_path: Path) -> None:
    import numpy as np
    import pyarrow as pa

    n = ROW_GROUP_ROWS * 3
    rng = np.random.default_rng(1)
    outside = rng.integers(3_405_803_776, 3_405_803_776 + 64, n).astype(np.uint32)
    first = (rng.integers(0, 63, n) * 1000 + 1024).astype(np.uint16)
    start = 1_764_756_000_000 + rng.integers(0, 3_000_000, n)
    table = pa.table({
        "key": (outside.astype(np.int64) << 16) | first,
        "outside_ip": outside, "port_start": first, "port_end": first + 999,
        "inside_ip": np.arange(n, dtype=np.uint32), "protocol": np.full(n, 6, np.uint8),
        "start": start, "end": start + 60_000,
    })  # fmt: skip
    store = NatStore(tmp_path)
    store.write(table)
    (path,) = (tmp_path / "log").rglob("*.parquet")
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 3
    keys = pq.read_table(path, columns=["key"]).column("key").to_numpy()
    assert (np.diff(keys) >= 0).all()
    i = 12345
    found = store.find(int(outside[i]), int(first[i]) + 5, int(start[i]) + 1000)
    assert found is not None
    assert found.port_start == first[i] and found.start_ms <= start[i] + 1000 <= found.end_ms


@pytest.mark.parametrize(
    ("ip", "port", "when", "field"),
    [
        ("1.2.3", "80", "2026-12-03T10:00:00Z", "ip"),
        ("1.2.3.4", "70000", "2026-12-03T10:00:00Z", "port"),
        ("1.2.3.4", "²", "2026-12-03T10:00:00Z", "port"),
        ("1.2.3.4", "80", "2026-12-03T10:00:00", "timestamp"),
        ("1.2.3.4", "80", "2026-02-30T10:00:00Z", "timestamp"),
    ],
)
def test_bad_queries_name_their_field(ip: str, port: str, when: str, field: str) -> None:
    with pytest.raises(MalformedInput) as caught:
        parse_query(ip, port, when)
    assert caught.value.details["field"] == field


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_hostile_csv_gives_rows_or_a_typed_error(data: bytes) -> None:
    try:
        parse.read_csv(b"inside_ip,outside_ip,port,protocol,start,end\n" + data)
        parse.read_syslog(data)
    except MalformedInput:
        pass


def test_compaction_merges_an_hours_files_and_lookups_still_answer(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write(parse.read_csv(CSV).table)  # a second ingest: a second file per hour
    folder = tmp_path / "nat" / "log" / "hour=2026120310"
    assert len(list(folder.glob("*.parquet"))) == 2
    assert store.compact() == 1
    assert len(list(folder.glob("*.parquet"))) == 1
    assert pq.ParquetFile(next(folder.glob("*.parquet"))).metadata.num_rows == 4
    found = attribute(store, parse_query("203.0.113.7", "2100", "2026-12-03T11:15:00Z"))
    assert found is not None and found.subscriber == "100.64.1.5"
    assert store.compact() == 0


def test_the_same_file_ingested_twice_is_stored_once(tmp_path: Path) -> None:
    store = NatStore(tmp_path / "nat")
    first = store.ingest(CSV, "csv", "a.csv")
    assert (first.written, first.rejected, first.duplicate) == (2, 4, False)
    again = NatStore(tmp_path / "nat").ingest(CSV, "csv", "copy-of-a.csv")
    assert again.duplicate and again.written == 0 and again.first["source"] == "a.csv"
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in (tmp_path / "nat").rglob("*.parquet"))
    assert rows == 2
    assert len(list((tmp_path / "nat" / "quarantine").glob("*.csv"))) == 1


def test_an_ingest_that_crashed_before_its_marker_rewrites_the_same_files(tmp_path: Path) -> None:
    store = NatStore(tmp_path / "nat")
    store.ingest(CSV, "csv", "a.csv")
    for marker in (tmp_path / "nat" / "ingested").glob("*.json"):
        marker.unlink()  # as if the process died after the Parquet files, before the marker
    names = sorted(p.name for p in (tmp_path / "nat").rglob("*.parquet"))
    assert not NatStore(tmp_path / "nat").ingest(CSV, "csv", "a.csv").duplicate
    assert sorted(p.name for p in (tmp_path / "nat").rglob("*.parquet")) == names
    assert not list((tmp_path / "nat").rglob("*.tmp"))


def test_a_large_hour_is_cut_into_files_of_disjoint_key_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import pyarrow as pa

    from passerelle.evidence.nat import store as store_module

    monkeypatch.setattr(store_module, "FILE_ROWS", 1000)
    n = 3500
    rng = np.random.default_rng(3)
    outside = rng.integers(3_405_803_776, 3_405_803_776 + 16, n).astype(np.uint32)
    first = (rng.integers(0, 60, n) * 1000 + 1024).astype(np.uint16)
    start = 1_764_756_000_000 + rng.integers(0, 3_000_000, n)
    table = pa.table({
        "key": (outside.astype(np.int64) << 16) | first,
        "outside_ip": outside, "port_start": first, "port_end": first + 999,
        "inside_ip": np.arange(n, dtype=np.uint32), "protocol": np.full(n, 17, np.uint8),
        "start": start, "end": start + 60_000,
    })  # fmt: skip
    store = NatStore(tmp_path)
    store.write(table, name="batch")
    files = sorted((tmp_path / "log").rglob("*.parquet"), key=lambda p: int(p.stem.split("-")[-1]))
    assert len(files) == 4
    ranges = [pq.read_table(p, columns=["key"]).column("key").to_numpy() for p in files]
    assert all(a[-1] <= b[0] for a, b in itertools.pairwise(ranges))
    for i in (0, 1234, 3499):
        found = store.find(int(outside[i]), int(first[i]) + 1, int(start[i]) + 10)
        assert found is not None and found.inside_ip == i
    assert store.compact() == 0  # one batch: already sorted, nothing to merge
