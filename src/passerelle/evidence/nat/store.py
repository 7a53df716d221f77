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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.csvsafe import SafeWriter

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from passerelle.evidence.nat.parse import Reject

ROW_GROUP_ROWS = 8_192
HOUR_MS = 3_600_000


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
        self._footers: dict[Path, tuple[pq.ParquetFile, Any, Any]] = {}
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

    def write(self, table: pa.Table) -> int:
        """Append records (the columns of ``parse.COLUMNS``) to their hour partitions."""
        import numpy as np
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if table.num_rows == 0:
            return 0
        hours = np.asarray(table.column("start")) // HOUR_MS
        order = np.lexsort(
            (np.asarray(table.column("start")), np.asarray(table.column("key")), hours)
        )
        table = table.take(order)
        hours = hours[order]
        cuts = np.flatnonzero(np.diff(hours)) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(hours)], strict=True):
            part = self.root / "log" / f"hour={_hour_name(int(hours[lo]))}"
            part.mkdir(parents=True, exist_ok=True)
            final = part / f"part-{uuid.uuid4().hex}.parquet"
            tmp = final.with_suffix(".tmp")
            pq.write_table(
                table.slice(lo, hi - lo),
                tmp,
                row_group_size=ROW_GROUP_ROWS,
                compression="lz4",
                write_statistics=["key"],
            )
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, final)
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

    def quarantine(self, source: str, rejects: list[Reject]) -> Path | None:
        """Write rejected rows (line, reason, raw) to a new quarantine file."""
        if not rejects:
            return None
        folder = self.root / "quarantine"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = SafeWriter(handle, ("source", "line", "reason", "raw"), numeric=("line",))
            writer.writerows((source, r.line, r.reason, r.raw) for r in rejects)
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
            if len(parts) < 2:
                continue
            table = pa.concat_tables([pq.read_table(p) for p in parts])
            order = pc.sort_indices(table, sort_keys=[("key", "ascending"), ("start", "ascending")])
            table = table.take(order)
            final = folder / f"part-{uuid.uuid4().hex}.parquet"
            tmp = final.with_suffix(".tmp")
            pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS, compression="lz4",
                           write_statistics=["key"])  # fmt: skip
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, final)
            for p in parts:
                p.unlink()
                self._footers.pop(p, None)
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
        return removed

    # -- reading --------------------------------------------------------------------------

    def _footer(self, path: Path) -> tuple[pq.ParquetFile, Any, Any]:
        if path not in self._footers:
            import numpy as np
            import pyarrow.parquet as pq

            handle = pq.ParquetFile(path)
            meta = handle.metadata
            key = handle.schema_arrow.get_field_index("key")
            lows, highs = [], []
            for i in range(meta.num_row_groups):
                stats = meta.row_group(i).column(key).statistics
                lows.append(stats.min)
                highs.append(stats.max)
            self._footers[path] = (handle, np.array(lows), np.array(highs))
        return self._footers[path]

    def find(self, outside_ip: int, port: int, at_ms: int) -> LogRecord | None:
        """The session record covering (public IP, port, time), the latest-started one."""
        import numpy as np

        bounds = self.manifest()
        low_key = (outside_ip << 16) | max(0, port - bounds["max_ports"])
        high_key = (outside_ip << 16) | port
        best: LogRecord | None = None
        first_hour = (at_ms - bounds["max_duration_ms"]) // HOUR_MS
        for hour in range(first_hour, at_ms // HOUR_MS + 1):
            folder = self.root / "log" / f"hour={_hour_name(hour)}"
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("part-*.parquet")):
                handle, lows, highs = self._footer(path)
                for group in np.flatnonzero((lows <= high_key) & (highs >= low_key)):
                    rows = handle.read_row_group(int(group))
                    best = _pick(rows, outside_ip, port, at_ms, path.name, best)
        return best


def _pick(
    table: pa.Table, ip: int, port: int, at: int, file: str, best: LogRecord | None
) -> LogRecord | None:
    import numpy as np

    col = {name: np.asarray(table.column(name)) for name in table.column_names}
    hits = np.flatnonzero(
        (col["outside_ip"] == ip)
        & (col["port_start"] <= port)
        & (col["port_end"] >= port)
        & (col["start"] <= at)
        & (col["end"] >= at)
    )
    for i in hits:
        if best is None or int(col["start"][i]) > best.start_ms:
            v = [int(col[c][i]) for c in ("outside_ip", "port_start", "port_end", "inside_ip")]
            t = [int(col[c][i]) for c in ("protocol", "start", "end")]
            best = LogRecord(v[0], v[1], v[2], v[3], t[0], t[1], t[2], file)
    return best


def _hour_name(hour: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y%m%d%H")
