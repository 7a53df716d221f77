"""The fast path of the CSV ingest: typed ``pyarrow.csv`` columns, dotted addresses parsed
from the raw string bytes with numpy, every check a vectorised mask; no Python loop per row.

:func:`read_typed` gives the store's table for a clean file and ``None`` as soon as anything
is off (a row of the wrong shape, a non-numeric port or time, an empty field, an address,
port, protocol or time out of range): the caller then reads the file again as text, row by
row in masks, to quarantine each bad row with its exact reason and its raw text. A clean
file — the normal case of a CGN's export — is read once.
"""

from __future__ import annotations

import itertools
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

#: Epoch milliseconds accepted: at most 15 digits, as the text path's check.
MAX_MS = 10**15
DOT, ZERO, NINE = 46, 48, 57


def ipv4(arr: pa.Array) -> tuple[Any, Any]:
    """(uint32 values, valid mask) of a string array of dotted IPv4 addresses.

    Works on the array's byte buffer: the dots are found in one pass, each row must hold
    exactly three, the four fields 1-3 ASCII digits each and at most 255."""
    import numpy as np
    import pyarrow as pa

    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.uint32), np.zeros(0, bool)
    offsets = np.frombuffer(arr.buffers()[1], np.int32, n + 1, arr.offset * 4).astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    raw = arr.buffers()[2]
    data = np.frombuffer(raw, np.uint8, last - first, first) if raw is not None and last > first \
        else np.zeros(0, np.uint8)  # fmt: skip
    offsets -= first
    good = np.ones(n, bool) if arr.null_count == 0 else np.asarray(arr.is_valid())
    good &= (offsets[1:] - offsets[:-1]) <= 15
    is_dot = data == DOT
    stray = ~is_dot & ((data < ZERO) | (data > NINE))
    if stray.any():  # a byte that is neither a digit nor a dot: its row is out
        good[np.searchsorted(offsets, np.flatnonzero(stray), "right") - 1] = False
    dots = np.flatnonzero(is_dot)
    per_row = np.diff(np.searchsorted(dots, offsets))
    three = per_row == 3
    good &= three
    rows = np.flatnonzero(three)
    dots = dots[np.repeat(three, per_row)].reshape(-1, 3)
    m = len(rows)
    ends = np.empty((m, 4), np.int64)  # the byte after each field's last digit
    ends[:, :3] = dots
    ends[:, 3] = offsets[rows + 1]
    length = np.empty((m, 4), np.int64)
    length[:, 1:] = ends[:, 1:] - ends[:, :3] - 1
    length[:, 0] = ends[:, 0] - offsets[rows]
    fine = ((length >= 1) & (length <= 3)).all(axis=1)
    digits = np.concatenate([np.zeros(3, np.int16), data.astype(np.int16) - ZERO])
    ends += 3  # in ``digits``, where three leading zeros make ``ends - 3`` always valid
    octet = digits[ends - 1]
    octet += digits[ends - 2] * (length >= 2) * 10
    octet += digits[ends - 3] * (length >= 3) * 100
    fine &= (octet <= 255).all(axis=1)
    good[rows] &= fine
    value = np.zeros(n, np.uint32)
    o = octet.astype(np.uint32)
    value[rows] = (o[:, 0] << 24) | (o[:, 1] << 16) | (o[:, 2] << 8) | o[:, 3]
    value[~good] = 0
    return value, good


def _ints(batch: pa.RecordBatch, name: str) -> Any:
    col = batch.column(name)
    if col.null_count:
        raise _Off
    return col.to_numpy()


def _ips(batch: pa.RecordBatch, name: str) -> Any:
    values, good = ipv4(batch.column(name))
    if not good.all():
        raise _Off
    return values


def _protocols(batch: pa.RecordBatch) -> Any:
    import numpy as np
    import pyarrow as pa

    from passerelle.evidence.nat.parse import PROTOCOLS

    col = batch.column("protocol")
    if col.null_count:
        raise _Off
    col = col if pa.types.is_dictionary(col.type) else col.dictionary_encode()
    names = [str(v).strip().lower() for v in col.dictionary.to_pylist()]
    if any(n not in PROTOCOLS for n in names):
        raise _Off
    codes = np.array([PROTOCOLS[n] for n in names] or [0], np.uint8)
    return codes[col.indices.to_numpy()]


class _Off(Exception):
    """Something in the file needs the row-by-row reasons of the text path."""


def _convert(batch: pa.RecordBatch, names: list[str]) -> dict[str, Any]:
    """One batch of typed CSV columns -> the store's columns; _Off at the first doubt."""
    import numpy as np

    first = _ints(batch, "port_start" if "port_start" in names else "port")
    last = _ints(batch, "port_end" if "port_end" in names else "port")
    start, end = _ints(batch, "start"), _ints(batch, "end")
    ok = (first >= 0) & (last <= 65535) & (last >= first)
    ok &= (start >= 0) & (end < MAX_MS) & (end >= start)
    if not ok.all():
        raise _Off
    outside = _ips(batch, "outside_ip")
    return {
        "key": (outside.astype(np.int64) << 16) | first,
        "outside_ip": outside,
        "port_start": first.astype(np.uint16),
        "port_end": last.astype(np.uint16),
        "inside_ip": _ips(batch, "inside_ip"),
        "protocol": _protocols(batch),
        "start": start,
        "end": end,
    }


#: Files larger than this are cut at line ends into one piece per core, parsed side by side
#: (``pyarrow.csv``'s streaming reader and the numpy conversion release the GIL, but the
#: reader parses one block at a time: one stream keeps one core busy).
PIECE_BYTES = 16 << 20


def _pieces(data: bytes, start: int, count: int) -> list[tuple[int, int]]:
    """(start, end) byte ranges of ``data[start:]``, cut after a newline into ``count``."""
    bounds = [start]
    size = len(data) - start
    for k in range(1, count):
        cut = data.find(b"\n", max(bounds[-1], start + size * k // count))
        if cut < 0:
            break
        bounds.append(cut + 1)
    bounds.append(len(data))
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def read_typed(data: bytes, names: list[str]) -> pa.Table | None:
    """The store's table of a clean CSV file, or None when a row needs a reason.

    The file is streamed in 8 MiB blocks: ``pyarrow.csv``'s threads parse the next blocks
    while this thread converts the current one (addresses, checks), so the two overlap. A
    file over :data:`PIECE_BYTES` is cut at line ends into one piece per core, each streamed
    by its own thread; the pieces' rows are put back in file order."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import pyarrow as pa

    from passerelle.evidence.nat.parse import COLUMNS

    if not data.isascii():  # pyarrow's bad-row callback cannot decode a broken UTF-8 row
        return None  # (the text path names the byte; an exporter's CSV is ASCII)
    head = data.find(b"\n") + 1
    if head <= 0:
        return None
    count = max(1, min(os.cpu_count() or 1, 4, (len(data) - head) // PIECE_BYTES))
    spans = _pieces(data, head, count)
    view = memoryview(data)
    if len(spans) <= 1:
        pieces = [_read_piece(view[head:], names)]
    else:
        with ThreadPoolExecutor(max_workers=len(spans)) as pool:
            pieces = list(pool.map(lambda span: _read_piece(view[span[0] : span[1]], names), spans))
    if any(piece is None for piece in pieces):
        return None
    parts = [part for piece in pieces if piece is not None for part in piece]
    dtypes = {"key": np.int64, "outside_ip": np.uint32, "port_start": np.uint16,
              "port_end": np.uint16, "inside_ip": np.uint32, "protocol": np.uint8,
              "start": np.int64, "end": np.int64}  # fmt: skip
    return pa.table({
        name: np.concatenate([p[name] for p in parts]) if parts else np.zeros(0, dtypes[name])
        for name in COLUMNS
    })  # fmt: skip


def _read_piece(body: memoryview, names: list[str]) -> list[dict[str, Any]] | None:
    """The converted batches of a run of whole CSV lines (no header), or None at a doubt."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types: dict[str, pa.DataType] = {
        name: pa.int64() for name in ("port", "port_start", "port_end", "start", "end")
    }
    types.update(inside_ip=pa.string(), outside_ip=pa.string())
    types["protocol"] = pa.dictionary(pa.int32(), pa.string())
    shape: list[int] = []

    def bad_row(row: Any) -> str:
        shape.append(1)
        return "skip"

    parts: list[dict[str, Any]] = []
    try:
        reader = pacsv.open_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(invalid_row_handler=bad_row),
            convert_options=pacsv.ConvertOptions(
                column_types={k: v for k, v in types.items() if k in names},
                include_columns=[n for n in names if n in types],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        for batch in reader:
            if shape:
                return None
            parts.append(_convert(batch, names))
    except (pa.ArrowInvalid, UnicodeDecodeError, _Off):
        return None
    return None if shape else parts
