"""The NAT-log store on disk: hour partitions of Parquet files sorted by (public IP, port).

Layout under the store directory::

    pools.json                       RFC 7422 deterministic pools (see pools.py)
    manifest.json                    longest session and widest port block seen (lookup bounds)
    log/hour=YYYYMMDDHH/part-*.parquet
    quarantine/*.csv                 rejected rows: line, reason, raw text

Each record goes to the hour its session *started*. Inside a file rows are sorted by
``key = outside_ip << 16 | port_start`` then ``start``, in row groups of
:data:`ROW_GROUP_ROWS` whose min/max statistics on ``key`` are the index: a lookup of
(IP, port, t) opens only the hours from ``t - longest session`` to ``t`` and, in each file,
only the row groups whose key range holds ``[IP:port - widest block, IP:port]``.

Files are written under a temporary name, flushed and renamed: an ingest that crashes leaves
no half file, and an ingest that returned has everything on disk.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.csvsafe import SafeWriter

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from passerelle.evidence.nat.parse import Reject

ROW_GROUP_ROWS = 8_192
#: Rows per Parquet file at most: an hour larger than this is cut into files of disjoint
#: key ranges, written in parallel (a lookup opens the one whose key range holds its key).
FILE_ROWS = 1 << 20
HOUR_MS = 3_600_000
#: Files whose footers (and hours whose listings) a store keeps in memory, least recent out.
FOOTER_CACHE = 256
_ANSWER = ("key", "outside_ip", "port_start", "port_end", "inside_ip", "protocol", "start", "end")
_Footer = tuple["pq.ParquetFile", Any, Any]


@dataclass(frozen=True)
class Ingested:
    """What an ingest did: records stored, rows rejected (and where), the source's digest."""

    written: int
    rejected: int
    quarantine: Path | None
    digest: str
    duplicate: bool
    first: dict[str, Any]
    rejects: list[Reject]


@dataclass(frozen=True)
class LogRecord:
    outside_ip: int
    port_start: int
    port_end: int
    inside_ip: int
    protocol: int
    start_ms: int
    end_ms: int
    file: str


class NatStore:
    """One access provider's NAT logs. Footers are cached: the first lookup of an hour reads
    its files' statistics, later ones read one row group per file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._footers: OrderedDict[Path, _Footer] = OrderedDict()
        self._hours: dict[int, tuple[int, list[Path]]] = {}
        self._manifest: dict[str, int] | None = None

    @property
    def pools_path(self) -> Path:
        return self.root / "pools.json"

    # -- manifest -------------------------------------------------------------------------

    def manifest(self) -> dict[str, int]:
        if self._manifest is None:
            path = self.root / "manifest.json"
            data = json.loads(path.read_text("utf-8")) if path.exists() else {}
            self._manifest = {
                "max_duration_ms": int(data.get("max_duration_ms", 0)),
                "max_ports": int(data.get("max_ports", 0)),
                "records": int(data.get("records", 0)),
            }
        return self._manifest

    def _save_manifest(self, update: dict[str, int]) -> None:
        current = self.manifest()
        merged = {
            "max_duration_ms": max(current["max_duration_ms"], update["max_duration_ms"]),
            "max_ports": max(current["max_ports"], update["max_ports"]),
            "records": current["records"] + update["records"],
        }
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / "manifest.json.tmp"
        tmp.write_text(json.dumps(merged), encoding="utf-8")
        os.replace(tmp, self.root / "manifest.json")
        self._manifest = merged

    # -- writing --------------------------------------------------------------------------

    def write(self, table: pa.Table, name: str = "") -> int:
        """Append records (the columns of ``parse.COLUMNS``) to their hour partitions.

        Rows are sorted by (hour, key) with one numpy sort of a combined 64-bit key; each
        hour is cut into files of at most :data:`FILE_ROWS` rows (disjoint key ranges),
        written by a pool of threads (the Parquet encoder releases the GIL). Files are named
        ``part-<name>-<hour>-<n>`` when the caller names the batch (an ingest names it by the
        digest of its source), so writing the same batch again replaces, never duplicates."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if table.num_rows == 0:
            return 0
        start = table.column("start").to_numpy()
        hours = start // HOUR_MS
        low, high = int(hours.min()), int(hours.max())
        key = table.column("key").to_numpy()
        if high - low < 1 << 15:  # (hour, key) in one int64: key is 48 bits
            order = np.argsort(((hours - low) << 48) | key)
        else:
            order = np.lexsort((key, hours))
        from concurrent.futures import ThreadPoolExecutor

        names = table.column_names
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # take frees the GIL
            columns = list(pool.map(lambda c: np.take(table.column(c).to_numpy(), order), names))
        table = pa.table(dict(zip(names, columns, strict=True)))
        hours = hours[order]
        cuts = np.flatnonzero(np.diff(hours)) + 1
        jobs = []
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(hours)], strict=True):
            hour = _hour_name(int(hours[lo]))
            for n, at in enumerate(range(int(lo), int(hi), FILE_ROWS)):
                size = min(FILE_ROWS, int(hi) - at)
                stem = f"{name}-{hour}-{n}" if name else uuid.uuid4().hex
                jobs.append((table.slice(at, size), self.root / "log" / f"hour={hour}", stem))

        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            list(pool.map(lambda job: _write_file(*job), jobs))
        duration = pc.max(pc.subtract(table.column("end"), table.column("start"))).as_py()
        width = pc.max(
            pc.subtract(
                pc.cast(table.column("port_end"), "int32"),
                pc.cast(table.column("port_start"), "int32"),
            )
        ).as_py()
        self._save_manifest(
            {"max_duration_ms": int(duration), "max_ports": int(width), "records": table.num_rows}
        )
        return int(table.num_rows)

    def ingest(self, data: bytes, fmt: str, source: str) -> Ingested:
        """Parse, validate and store one file; quarantine its bad rows. A file already
        ingested (same SHA-256) is not stored twice: its marker is written last, after every
        Parquet file and the quarantine, and a rerun after a crash rewrites the same names."""
        import hashlib
        from concurrent.futures import ThreadPoolExecutor

        from passerelle.evidence.nat import parse

        with ThreadPoolExecutor(max_workers=1) as pool:  # sha256 releases the GIL
            digest_job = pool.submit(lambda: hashlib.sha256(data).hexdigest())
            parsed = parse.read_csv(data) if fmt == "csv" else parse.read_syslog(data)
            digest = digest_job.result()
        marker = self.root / "ingested" / f"{digest}.json"
        if marker.exists():
            done = json.loads(marker.read_text("utf-8"))
            return Ingested(0, len(parsed.rejects), None, digest, True, done, [])
        written = self.write(parsed.table, name=digest[:32])
        kept = self.quarantine(source, parsed.rejects, name=digest[:32])
        marker.parent.mkdir(parents=True, exist_ok=True)
        record = {"source": source, "records": written, "rejected": len(parsed.rejects)}
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, marker)
        return Ingested(written, len(parsed.rejects), kept, digest, False, record, parsed.rejects)

    def quarantine(self, source: str, rejects: list[Reject], name: str = "") -> Path | None:
        """Write rejected rows (line, reason, raw) to a quarantine file (temp, then rename)."""
        if not rejects:
            return None
        folder = self.root / "quarantine"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name or uuid.uuid4().hex}.csv"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = SafeWriter(handle, ("source", "line", "reason", "raw"), numeric=("line",))
            writer.writerows((source, r.line, r.reason, r.raw) for r in rejects)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return path

    def compact(self) -> int:
        """Merge each hour's files into one sorted file (ingests append a file per hour);
        returns the number of hours rewritten. The merged file is in place before the old
        ones go: a crash in between leaves duplicates, never a gap."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        done = 0
        for folder in sorted((self.root / "log").glob("hour=*")):
            parts = sorted(folder.glob("part-*.parquet"))
            if len({p.stem.split("-")[1] for p in parts}) < 2:  # one batch: already sorted
                continue
            table = pa.concat_tables([pq.read_table(p) for p in parts])
            order = pc.sort_indices(table, sort_keys=[("key", "ascending"), ("start", "ascending")])
            table = table.take(order)
            batch = f"c{uuid.uuid4().hex}-{folder.name.removeprefix('hour=')}"
            for n, at in enumerate(range(0, table.num_rows, FILE_ROWS)):
                _write_file(table.slice(at, FILE_ROWS), folder, f"{batch}-{n}")
            for p in parts:
                p.unlink()
                self._footers.pop(p, None)
            self._hours.clear()
            done += 1
        return done

    def purge(self, cutoff_ms: int) -> int:
        """Delete the hour partitions that ended before ``cutoff_ms``; the records removed."""
        import shutil

        import pyarrow.parquet as pq

        removed = 0
        for folder in sorted((self.root / "log").glob("hour=*")):
            hour = folder.name.removeprefix("hour=")
            from datetime import UTC, datetime

            start = int(datetime.strptime(hour, "%Y%m%d%H").replace(tzinfo=UTC).timestamp())
            if (start + 3600) * 1000 > cutoff_ms:
                continue
            removed += sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*.parquet"))
            shutil.rmtree(folder)
        self._footers.clear()
        self._hours.clear()
        return removed

    # -- reading --------------------------------------------------------------------------

    def _footer(self, path: Path) -> _Footer:
        """A file's open (memory-mapped) handle and row-group key ranges, kept in an LRU."""
        cached = self._footers.get(path)
        if cached is not None:
            self._footers.move_to_end(path)
            return cached
        import numpy as np
        import pyarrow.parquet as pq

        handle = pq.ParquetFile(path, memory_map=True)
        meta = handle.metadata
        key = handle.schema_arrow.get_field_index("key")
        lows, highs = [], []
        for i in range(meta.num_row_groups):
            stats = meta.row_group(i).column(key).statistics
            lows.append(stats.min)
            highs.append(stats.max)
        footer = (handle, np.array(lows, np.int64), np.array(highs, np.int64))
        self._footers[path] = footer
        if len(self._footers) > FOOTER_CACHE:
            self._footers.popitem(last=False)
        return footer

    def _hour_files(self, hour: int) -> list[Path]:
        """The files of an hour partition, listed once and listed again only when the
        folder changes (one stat per lookup and hour instead of a directory scan)."""
        folder = self.root / "log" / f"hour={_hour_name(hour)}"
        try:
            stamp = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        cached = self._hours.get(hour)
        if cached is None or cached[0] != stamp:
            cached = (stamp, sorted(folder.glob("part-*.parquet")))
            self._hours[hour] = cached
            if len(self._hours) > FOOTER_CACHE:
                self._hours.pop(next(iter(self._hours)))
        return cached[1]

    def find(self, outside_ip: int, port: int, at_ms: int) -> LogRecord | None:
        """The session record covering (public IP, port, time), the latest-started one.

        Only the hours from ``at - longest session`` to ``at`` are opened; in each file only
        the row groups whose key range meets ``[IP:port - widest block, IP:port]`` are read
        (the columns of the answer, from a memory map), and in them a binary search on the
        sorted key finds the candidate rows."""
        import numpy as np

        bounds = self.manifest()
        low_key = (outside_ip << 16) | max(0, port - bounds["max_ports"])
        high_key = (outside_ip << 16) | port
        best: LogRecord | None = None
        first_hour = (at_ms - bounds["max_duration_ms"]) // HOUR_MS
        for hour in range(first_hour, at_ms // HOUR_MS + 1):
            for path in self._hour_files(hour):
                try:
                    handle, lows, highs = self._footer(path)
                except FileNotFoundError:  # compacted away since listed
                    self._hours.pop(hour, None)
                    continue
                if not len(lows) or lows[0] > high_key or highs[-1] < low_key:
                    continue
                for group in np.flatnonzero((lows <= high_key) & (highs >= low_key)):
                    rows = handle.read_row_group(int(group), columns=list(_ANSWER))
                    best = _pick(rows, (low_key, high_key), port, at_ms, path.name, best)
        return best


def _write_file(table: pa.Table, folder: Path, stem: str) -> None:
    """One sorted Parquet file, written under a temporary name, synced, then renamed."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"part-{stem}.parquet"
    tmp = folder / f".part-{stem}.tmp"
    pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS, compression="lz4",
                   use_dictionary=False, write_statistics=["key"])  # fmt: skip
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)


def _pick(
    table: pa.Table, keys: tuple[int, int], port: int, at: int, file: str, best: LogRecord | None
) -> LogRecord | None:
    import numpy as np

    key = table.column("key").to_numpy()
    lo, hi = np.searchsorted(key, keys[0], "left"), np.searchsorted(key, keys[1], "right")
    col = {name: table.column(name).to_numpy()[lo:hi] for name in _ANSWER}
    hits = np.flatnonzero((col["port_end"] >= port) & (col["start"] <= at) & (col["end"] >= at))
    for i in hits:
        if best is None or int(col["start"][i]) > best.start_ms:
            v = [int(col[c][i]) for c in ("outside_ip", "port_start", "port_end", "inside_ip")]
            t = [int(col[c][i]) for c in ("protocol", "start", "end")]
            best = LogRecord(v[0], v[1], v[2], v[3], t[0], t[1], t[2], file)
    return best


def _hour_name(hour: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y%m%d%H")
