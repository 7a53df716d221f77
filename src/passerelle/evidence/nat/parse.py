"""Readers of NAT session records: IPFIX-derived CSV (vectorised, pyarrow) and syslog lines.

Both give one Arrow table in the store's columns (:data:`COLUMNS`) plus the rejected rows,
each with its line, the exact reason and the raw text, for the quarantine. Accepted CSV
headers: ``inside_ip, outside_ip, port_start, port_end`` (or ``port``), ``protocol, start, end``
or the RFC 8158 / IPFIX information-element names of :data:`IPFIX_NAMES`. Times carry a zone
(``2026-12-03T10:00:00Z``, ``+01:00``) or are epoch milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from passerelle.errors import MalformedInput

if TYPE_CHECKING:
    import pyarrow as pa

#: The store's columns (``key`` = outside_ip << 16 | port_start, the sort and index key).
COLUMNS = ("key", "outside_ip", "port_start", "port_end", "inside_ip", "protocol", "start", "end")
#: IPFIX information elements (RFC 7011 / RFC 8158) accepted as CSV headers.
IPFIX_NAMES = {
    "sourceIPv4Address": "inside_ip",
    "postNATSourceIPv4Address": "outside_ip",
    "postNAPTSourceTransportPort": "port",
    "portRangeStart": "port_start",
    "portRangeEnd": "port_end",
    "protocolIdentifier": "protocol",
    "flowStartMilliseconds": "start",
    "flowEndMilliseconds": "end",
    "observationTimeMilliseconds": "start",
}
PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1, "6": 6, "17": 17, "1": 1}
_IP = r"^(?P<a>\d{1,3})\.(?P<b>\d{1,3})\.(?P<c>\d{1,3})\.(?P<d>\d{1,3})$"
_TIME = r"^(\d{1,15}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))$"


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    raw: str


@dataclass
class Parsed:
    table: pa.Table
    rejects: list[Reject]


def _ips(col: pa.ChunkedArray) -> tuple[Any, Any]:
    """(uint32 values, valid mask) of dotted addresses (see :func:`columnar.ipv4`)."""
    import numpy as np

    from passerelle.evidence.nat.columnar import ipv4

    parts = [ipv4(chunk) for chunk in col.chunks]
    if not parts:
        return np.zeros(0, np.uint32), np.zeros(0, bool)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _ints(col: pa.ChunkedArray) -> tuple[Any, Any]:
    import numpy as np
    import pyarrow.compute as pc

    col = pc.fill_null(col, "")
    ok = pc.and_(pc.and_(pc.utf8_is_digit(col), pc.string_is_ascii(col)),
                 pc.less_equal(pc.utf8_length(col), 5))  # fmt: skip
    value = np.asarray(pc.cast(pc.if_else(ok, col, "0"), "int64"))
    return value, np.asarray(ok)


def _times(col: pa.ChunkedArray) -> tuple[Any, Any]:
    """Epoch milliseconds of ISO-8601 times with a zone, or of digit strings (already ms)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = np.asarray(pc.fill_null(pc.and_(pc.utf8_is_digit(col), pc.string_is_ascii(col)),
                                     False)) & (np.asarray(pc.fill_null(pc.utf8_length(col), 0))
                                                <= 15)  # fmt: skip
    if digits.all():
        return np.asarray(pc.cast(col, "int64")), digits
    ok = np.asarray(pc.fill_null(pc.match_substring_regex(col, _TIME), False))
    iso = pc.if_else(pa.array(ok & ~digits), col, "1970-01-01T00:00:00Z")
    try:
        stamps = pc.cast(iso, pa.timestamp("ms", tz="UTC"))
    except pa.ArrowInvalid:  # a day 31 of February, a hour 25: find them one by one
        values = []
        for i, text in enumerate(iso.to_pylist()):
            try:
                pc.cast(pa.array([text]), pa.timestamp("ms", tz="UTC"))
                values.append(text)
            except pa.ArrowInvalid:
                ok[i] = False
                values.append("1970-01-01T00:00:00Z")
        stamps = pc.cast(pa.array(values), pa.timestamp("ms", tz="UTC"))
    millis = np.asarray(pc.cast(stamps, "int64"))
    raw = np.asarray(pc.cast(pc.if_else(pa.array(digits), col, "0"), "int64"))
    return np.where(digits, raw, millis), ok


def normalise(
    columns: dict[str, pa.ChunkedArray], lines: Any, raws: list[str] | Callable[[Any], list[str]]
) -> Parsed:
    """String columns -> the store's typed table; bad rows rejected with the first reason.
    ``raws`` is each row's text, or a function giving the text of the rows at some indices
    (only the rejected rows' text is ever built)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(lines)
    reasons = np.full(n, "", dtype=object)

    def check(mask: Any, reason: str) -> None:
        reasons[(~mask) & (reasons == "")] = reason

    inside, ok = _ips(columns["inside_ip"])
    check(ok, "inside_ip: not an IPv4 address")
    outside, ok = _ips(columns["outside_ip"])
    check(ok, "outside_ip: not an IPv4 address")
    first_col = columns.get("port_start", columns.get("port"))
    last_col = columns.get("port_end", columns.get("port"))
    assert first_col is not None and last_col is not None
    first, ok = _ints(first_col)
    check(ok & (first <= 65535), "port_start: not a port number")
    last, ok = _ints(last_col)
    check(ok & (last <= 65535), "port_end: not a port number")
    check(last >= first, "port_end: below port_start")
    proto_text = pc.utf8_lower(pc.utf8_trim_whitespace(columns["protocol"]))
    proto_ok = pc.fill_null(pc.is_in(proto_text, pa.array(list(PROTOCOLS))), False)
    proto = _protocols(proto_text)
    check(np.asarray(proto_ok), "protocol: not tcp, udp or icmp")
    start, ok = _times(columns["start"])
    check(ok, "start: not a time with a zone or epoch milliseconds")
    end, ok = _times(columns["end"])
    check(ok, "end: not a time with a zone or epoch milliseconds")
    check(end >= start, "end: before start")
    good = reasons == ""
    table = pa.table(
        {
            "key": pa.array((outside[good].astype(np.int64) << 16) | first[good]),
            "outside_ip": pa.array(outside[good], pa.uint32()),
            "port_start": pa.array(first[good].astype(np.uint16)),
            "port_end": pa.array(last[good].astype(np.uint16)),
            "inside_ip": pa.array(inside[good], pa.uint32()),
            "protocol": pa.array(proto[good].astype(np.uint8)),
            "start": pa.array(start[good], pa.int64()),
            "end": pa.array(end[good], pa.int64()),
        }
    )
    bad = np.flatnonzero(~good)
    texts = raws(bad) if callable(raws) else [raws[i] for i in bad]
    rejects = [Reject(int(lines[i]), str(reasons[i]), t) for i, t in zip(bad, texts, strict=True)]
    return Parsed(table, rejects)


def _protocols(text: pa.ChunkedArray) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = pa.array(list(PROTOCOLS))
    values = pa.array(list(PROTOCOLS.values()), pa.int64())
    index = pc.index_in(text, value_set=codes)
    return np.asarray(pc.fill_null(pc.take(values, pc.fill_null(index, 0)), 0))


def read_csv(data: bytes) -> Parsed:
    """Parse IPFIX-derived CSV bytes; rows of the wrong shape or values are rejected."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not data or data.isspace():  # (no copy of a large file, as strip() would make)
        raise MalformedInput("empty file: no header", field="header")
    cut = data.find(b"\n")
    head = _utf8(data[: cut if cut >= 0 else len(data)]).strip().lstrip("\ufeff")
    heads = [h.strip().strip('"').strip() for h in head.split(",")]
    names = [IPFIX_NAMES.get(h, h) for h in heads]
    needed = {"inside_ip", "outside_ip", "protocol", "start", "end"}
    missing = sorted(needed - set(names))
    if not ("port" in names or {"port_start", "port_end"} <= set(names)):
        missing.append("port or port_start/port_end")
    if missing or len(set(names)) != len(names):
        raise MalformedInput(
            f"header: missing or repeated columns {missing or names}", field="header"
        )
    if not data.isascii():  # (isascii is a fast scan; the full decode only when needed)
        _utf8(data)
    from passerelle.evidence.nat.columnar import read_typed

    fast = read_typed(data, names)
    if fast is not None:
        return Parsed(fast, [])
    shape: list[Reject] = []

    def bad_row(row: Any) -> str:
        shape.append(
            Reject(
                int(row.number or 0),
                f"row: {row.expected_columns} columns expected, {row.actual_columns} found",
                str(row.text)[:2000],
            )
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(invalid_row_handler=bad_row),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise MalformedInput(f"csv: {str(exc)[:200]}", field="file") from None
    n = table.num_rows
    columns = {name: table.column(name) for name in names}
    parsed = normalise(columns, np.arange(2, n + 2), lambda rows: _raws(table.take(rows), names))
    parsed.rejects[:0] = shape
    return parsed


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"file: not UTF-8 (byte {exc.start})", field="file") from None


def _raws(table: pa.Table, names: list[str]) -> list[str]:
    """The text of each row (for the quarantine), rebuilt from its fields (read as text)."""
    import pyarrow.compute as pc

    cols = [pc.fill_null(table.column(n), "") for n in names]
    return list(pc.binary_join_element_wise(*cols, ",").to_pylist())


_SYSLOG = re.compile(r"(\w+)=(\S+)")


def read_syslog(data: bytes) -> Parsed:
    """Parse syslog lines carrying ``key=value`` NAT fields (``inside= outside= ports=a-b
    proto= start= end=``); a line without them is rejected with its text."""
    import pyarrow as pa

    fields: dict[str, list[str]] = {
        k: []
        for k in ("inside_ip", "outside_ip", "port_start", "port_end", "protocol", "start", "end")
    }
    lines: list[int] = []
    raws: list[str] = []
    rejects: list[Reject] = []
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not raw.strip():
            continue
        kv: dict[str, str] = dict(_SYSLOG.findall(raw))
        ports = kv.get("ports") or kv.get("port") or ""
        first, _, last = ports.partition("-")
        need = [k for k in ("inside", "outside", "proto", "start", "end") if k not in kv]
        if need or not ports:
            rejects.append(Reject(number, f"line: missing {', '.join(need) or 'ports'}", raw))
            continue
        for key, value in (
            ("inside_ip", kv["inside"]),
            ("outside_ip", kv["outside"]),
            ("port_start", first),
            ("port_end", last or first),
            ("protocol", kv["proto"]),
            ("start", kv["start"]),
            ("end", kv["end"]),
        ):
            fields[key].append(value)
        lines.append(number)
        raws.append(raw)
    columns = {k: pa.chunked_array([pa.array(v, pa.string())]) for k, v in fields.items()}
    parsed = normalise(columns, lines, raws)
    parsed.rejects[:0] = rejects
    return parsed
