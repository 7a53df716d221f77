"""Attribution of (public IP, port, time) to a subscriber line: by RFC 7422 computation when a
deterministic pool covers it, else by the NAT-log record of the session."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from passerelle.errors import MalformedInput
from passerelle.evidence.nat.pools import Pool, int_to_ip, ip_to_int, load_pools
from passerelle.evidence.nat.store import NatStore

_PROTOCOL_NAMES = {6: "tcp", 17: "udp", 1: "icmp"}
_ZONE = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class Query:
    ip: int
    port: int
    at_ms: int


@dataclass(frozen=True)
class Attribution:
    """The subscriber line (its inside address) and the evidence used."""

    subscriber: str
    evidence: str  # "mapping" or "log"
    public_ip: str
    port: int
    timestamp: str
    detail: dict[str, Any]

    def line(self) -> str:
        """The one-line answer of ``passerelle nat lookup``."""
        d = self.detail
        if self.evidence == "mapping":
            how = (
                f"pool {d['pool']} ({d['inside']} -> {d['outside']}, 1:{d['ratio']}, "
                f"ports {d['port_first']}-{d['port_last']})"
            )
        else:
            how = (
                f"record {d['protocol']} {d['inside_ip']} -> {self.public_ip}:"
                f"{d['port_start']}-{d['port_end']} {d['start']} .. {d['end']} ({d['file']})"
            )
        return (
            f"subscriber {self.subscriber} evidence {self.evidence} "
            f"{self.public_ip}:{self.port} at {self.timestamp}: {how}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "subscriber": self.subscriber,
            "evidence": self.evidence,
            "public_ip": self.public_ip,
            "port": self.port,
            "timestamp": self.timestamp,
            "detail": self.detail,
        }


def parse_query(ip: str, port: str, timestamp: str) -> Query:
    """Validate the three inputs; each bad one is a typed error naming its field."""
    address = ip_to_int(ip, "ip")
    if not re.fullmatch(r"\d{1,5}", port.strip()) or int(port) > 65535:
        raise MalformedInput(f"port: not a port number (0-65535): {port[:20]!r}", field="port")
    text = timestamp.strip()
    if not _ZONE.search(text):
        raise MalformedInput(
            "timestamp: give the zone (e.g. 2026-12-03T10:00:00Z): a time without it is ambiguous",
            field="timestamp",
        )
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedInput(
            f"timestamp: not an ISO-8601 time: {text[:40]!r}", field="timestamp"
        ) from None
    return Query(address, int(port), int(at.timestamp() * 1000))


def _iso(ms: int) -> str:
    return (
        datetime.fromtimestamp(ms / 1000, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _by_mapping(pools: list[Pool], q: Query) -> Attribution | None:
    for pool in pools:
        inside = pool.reverse(q.ip, q.port, q.at_ms)
        if inside is None:
            continue
        forward = pool.forward(inside)
        assert forward is not None
        return Attribution(
            subscriber=int_to_ip(inside),
            evidence="mapping",
            public_ip=int_to_ip(q.ip),
            port=q.port,
            timestamp=_iso(q.at_ms),
            detail={
                "pool": pool.name,
                "inside": pool.inside,
                "outside": pool.outside,
                "ratio": pool.ratio,
                "first_port": pool.first_port,
                "port_first": forward[1],
                "port_last": forward[2],
                "rule": "RFC 7422 deterministic mapping",
            },
        )
    return None


def attribute(store: NatStore, q: Query) -> Attribution | None:
    """Computation first (deterministic pools), then the logs; None when nothing covers it."""
    found = _by_mapping(load_pools(store.pools_path), q)
    if found is not None:
        return found
    record = store.find(q.ip, q.port, q.at_ms)
    if record is None:
        return None
    return Attribution(
        subscriber=int_to_ip(record.inside_ip),
        evidence="log",
        public_ip=int_to_ip(q.ip),
        port=q.port,
        timestamp=_iso(q.at_ms),
        detail={
            "inside_ip": int_to_ip(record.inside_ip),
            "port_start": record.port_start,
            "port_end": record.port_end,
            "protocol": _PROTOCOL_NAMES.get(record.protocol, str(record.protocol)),
            "start": _iso(record.start_ms),
            "end": _iso(record.end_ms),
            "file": record.file,
        },
    )
