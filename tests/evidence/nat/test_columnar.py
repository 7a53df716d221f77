"""The columnar fast path of the CSV ingest agrees with the text path and with ipaddress."""

from __future__ import annotations

import ipaddress

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.evidence.nat import columnar, parse
from passerelle.evidence.nat.columnar import ipv4, read_typed

_OCTET = st.one_of(
    st.integers(0, 300).map(str), st.sampled_from(["", "00", "007", "1a", "²", " 1"])
)
_ADDRESS = st.one_of(
    st.lists(_OCTET, min_size=3, max_size=5).map(".".join),
    st.text(max_size=18),
)


def _expected(text: str) -> int | None:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() and len(p) <= 3 for p in parts):
        return None
    return None if any(int(p) > 255 for p in parts) else int(ipaddress.IPv4Address(
        ".".join(str(int(p)) for p in parts)))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_ADDRESS | st.none(), max_size=40))
def test_addresses_are_read_from_the_bytes_as_a_dotted_quad_reader_would(
    texts: list[str | None],
) -> None:
    values, good = ipv4(pa.array(texts, pa.string()).slice(0))
    for text, value, ok in zip(texts, values, good, strict=True):
        expected = None if text is None else _expected(text)
        assert bool(ok) == (expected is not None), text
        if expected is not None:
            assert int(value) == expected


def test_a_sliced_array_is_read_at_its_own_offset() -> None:
    values, good = ipv4(pa.array(["1.2.3.4", "10.0.0.1", "bad", "255.255.255.255"]).slice(1))
    assert good.tolist() == [True, False, True]
    assert values.tolist() == [0x0A000001, 0, 0xFFFFFFFF]


CLEAN = (
    b"inside_ip,outside_ip,port_start,port_end,protocol,start,end\n"
    b"100.64.1.5,203.0.113.7,2048,2559,tcp,1764756000000,1764761400000\n"
    b"100.64.1.6,203.0.113.7,2560,3071,17,1764756600000,1764757200000\n"
)


def test_a_clean_file_takes_the_fast_path_and_gives_the_text_paths_table() -> None:
    names = ["inside_ip", "outside_ip", "port_start", "port_end", "protocol", "start", "end"]
    fast = read_typed(CLEAN, names)
    assert fast is not None and fast.num_rows == 2
    import pyarrow.csv as pacsv

    strings = pacsv.read_csv(
        pa.py_buffer(CLEAN),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    text = parse.normalise({n: strings.column(n) for n in names}, [2, 3], ["", ""])
    assert text.table.equals(fast) and not text.rejects
    assert fast.column("inside_ip").to_pylist() == [0x64400105, 0x64400106]
    assert fast.column("protocol").to_pylist() == [6, 17]


def test_one_bad_value_sends_the_file_to_the_text_path_with_exact_raw_rows() -> None:
    names = ["inside_ip", "outside_ip", "port_start", "port_end", "protocol", "start", "end"]
    bad = CLEAN + b"100.64.1.7,203.0.113.7,0070000,3071,udp,1764756600000,1764757200000\n"
    assert read_typed(bad, names) is None
    parsed = parse.read_csv(bad)
    assert parsed.table.num_rows == 2
    (reject,) = parsed.rejects
    assert reject.reason == "port_start: not a port number"
    assert reject.raw == "100.64.1.7,203.0.113.7,0070000,3071,udp,1764756600000,1764757200000"


def _rows(count: int) -> bytes:
    lines = [b"inside_ip,outside_ip,port_start,port_end,protocol,start,end"]
    for i in range(count):
        lines.append(
            f"100.64.{i // 250}.{i % 250 + 1},203.0.113.{i % 200 + 1},{1024 + i % 60 * 512},"
            f"{1535 + i % 60 * 512},{'tcp' if i % 3 else 'udp'},{1764756600000 + i},"
            f"{1764757200000 + i}".encode()
        )
    return b"\n".join(lines) + b"\n"


def test_a_large_file_read_in_pieces_side_by_side_gives_the_rows_in_file_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = ["inside_ip", "outside_ip", "port_start", "port_end", "protocol", "start", "end"]
    data = _rows(5000)
    whole = read_typed(data, names)
    monkeypatch.setattr(columnar, "PIECE_BYTES", 20_000)  # 5000 rows ≈ 340 kB: many pieces
    monkeypatch.setattr(columnar.os, "cpu_count", lambda: 4)
    assert len(columnar._pieces(data, data.find(b"\n") + 1, 4)) == 4
    pieced = read_typed(data, names)
    assert whole is not None and pieced is not None
    assert pieced.num_rows == 5000 and pieced.equals(whole)
    assert pieced.column("start").to_pylist() == [1764756600000 + i for i in range(5000)]


def test_a_bad_row_in_a_later_piece_is_quarantined_with_its_own_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(columnar, "PIECE_BYTES", 20_000)
    monkeypatch.setattr(columnar.os, "cpu_count", lambda: 4)
    bad = _rows(5000) + b"100.64.1.7,203.0.113.7,1024,1535,tcp,1764756600000,soon\n"
    parsed = parse.read_csv(bad)
    assert parsed.table.num_rows == 5000
    (reject,) = parsed.rejects
    assert reject.line == 5002 and reject.raw.endswith(",soon")
