"""One settings module: every knob is a ``PASSERELLE_*`` environment variable with a safe default.

Settings are read when :func:`get_settings` is first called and cached; tests and the demo build
their own :class:`Settings` explicitly instead of mutating the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}


def _env(name: str, default: str) -> str:
    return os.environ.get(f"PASSERELLE_{name}", default)


@dataclass(frozen=True)
class Settings:
    """A node's configuration. Field names map to ``PASSERELLE_<NAME>`` in upper case."""

    data_dir: Path = field(default_factory=lambda: Path("var/node"))
    database_url: str = ""
    node: str = "FR"
    node_name: str = ""
    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    session_hours: float = 8.0
    max_body_bytes: int = 10 * 1024 * 1024
    default_locale: str = "fr"
    secure_cookies: bool = False
    log_level: str = "info"
    federation_timeout_seconds: float = 10.0
    retention_interval_seconds: float = 3600.0
    bulk_engine: str = "duckdb"
    spark_master: str = "local[*]"
    spark_driver_memory: str = "8g"
    pnr_max_push_bytes: int = 8 * 1024 * 1024
    pnr_quarantine_rows: int = 100
    db_busy_timeout_seconds: float = 5.0
    tls_cert: str = ""
    tls_key: str = ""
    tls_client_ca: str = ""
    tls_ca: str = ""
    crisis_tile_url: str = ""
    crisis_escalation_poll_seconds: float = 0.5
    crisis_feed_allowed_networks: str = ""
    dna_retention_terms: str = ""
    precursors_regimes: str = ""
    heritage_syria_cutoff: str = "2011-05-09"
    jit_max_upload_bytes: int = 64 * 1024**3
    jit_fetch_poll_seconds: float = 2.0

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "passerelle.sqlite3"

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the node's SQLite file under ``data_dir``."""
        return self.database_url or f"sqlite:///{self.sqlite_path.resolve()}"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls) -> Settings:
        """Read every field from its ``PASSERELLE_*`` variable, falling back to the default."""
        d = cls()
        return cls(
            data_dir=Path(_env("DATA_DIR", str(d.data_dir))),
            database_url=_env("DATABASE_URL", d.database_url),
            node=_env("NODE", d.node).upper(),
            node_name=_env("NODE_NAME", d.node_name),
            public_url=_env("PUBLIC_URL", d.public_url),
            host=_env("HOST", d.host),
            port=int(_env("PORT", str(d.port))),
            session_hours=float(_env("SESSION_HOURS", str(d.session_hours))),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(d.max_body_bytes))),
            default_locale=_env("DEFAULT_LOCALE", d.default_locale),
            secure_cookies=_env("SECURE_COOKIES", "false").lower() in _TRUE,
            log_level=_env("LOG_LEVEL", d.log_level),
            federation_timeout_seconds=float(
                _env("FEDERATION_TIMEOUT_SECONDS", str(d.federation_timeout_seconds))
            ),
            retention_interval_seconds=float(
                _env("RETENTION_INTERVAL_SECONDS", str(d.retention_interval_seconds))
            ),
            bulk_engine=_env("BULK_ENGINE", d.bulk_engine),
            spark_master=_env("SPARK_MASTER", d.spark_master),
            spark_driver_memory=_env("SPARK_DRIVER_MEMORY", d.spark_driver_memory),
            pnr_max_push_bytes=int(_env("PNR_MAX_PUSH_BYTES", str(d.pnr_max_push_bytes))),
            pnr_quarantine_rows=int(_env("PNR_QUARANTINE_ROWS", str(d.pnr_quarantine_rows))),
            db_busy_timeout_seconds=float(
                _env("DB_BUSY_TIMEOUT_SECONDS", str(d.db_busy_timeout_seconds))
            ),
            tls_cert=_env("TLS_CERT", d.tls_cert),
            tls_key=_env("TLS_KEY", d.tls_key),
            tls_client_ca=_env("TLS_CLIENT_CA", d.tls_client_ca),
            tls_ca=_env("TLS_CA", d.tls_ca),
            crisis_tile_url=_env("CRISIS_TILE_URL", d.crisis_tile_url),
            crisis_escalation_poll_seconds=float(
                _env("CRISIS_ESCALATION_POLL_SECONDS", str(d.crisis_escalation_poll_seconds))
            ),
            crisis_feed_allowed_networks=_env(
                "CRISIS_FEED_ALLOWED_NETWORKS", d.crisis_feed_allowed_networks
            ),
            dna_retention_terms=_env("DNA_RETENTION_TERMS", d.dna_retention_terms),
            precursors_regimes=_env("PRECURSORS_REGIMES", d.precursors_regimes),
            heritage_syria_cutoff=_env("HERITAGE_SYRIA_CUTOFF", d.heritage_syria_cutoff),
            jit_max_upload_bytes=int(_env("JIT_MAX_UPLOAD_BYTES", str(d.jit_max_upload_bytes))),
            jit_fetch_poll_seconds=float(
                _env("JIT_FETCH_POLL_SECONDS", str(d.jit_fetch_poll_seconds))
            ),
        )


#: Every setting with its meaning; a docs test checks each one is documented.
SETTINGS_DOC: dict[str, str] = {
    "PASSERELLE_DATA_DIR": "Node directory: SQLite file, keys, quarantine (default var/node).",
    "PASSERELLE_DATABASE_URL": "SQLAlchemy URL; empty means the SQLite file in the data directory.",
    "PASSERELLE_NODE": "Country or agency code of this node, e.g. FR, BE.",
    "PASSERELLE_NODE_NAME": "Human-readable node name shown in the console.",
    "PASSERELLE_PUBLIC_URL": "Base URL peers use to reach this node.",
    "PASSERELLE_HOST": "Interface `passerelle serve` binds to (default 127.0.0.1).",
    "PASSERELLE_PORT": "Port `passerelle serve` listens on (default 8000).",
    "PASSERELLE_SESSION_HOURS": "Console session lifetime in hours (default 8).",
    "PASSERELLE_MAX_BODY_BYTES": "Largest accepted request body (default 10 MiB).",
    "PASSERELLE_DEFAULT_LOCALE": "Console language before a user chooses one: fr, nl or en.",
    "PASSERELLE_SECURE_COOKIES": "Mark cookies Secure (set true behind HTTPS).",
    "PASSERELLE_LOG_LEVEL": "Server log level (default info).",
    "PASSERELLE_FEDERATION_TIMEOUT_SECONDS": "Per-peer timeout for federated queries.",
    "PASSERELLE_RETENTION_INTERVAL_SECONDS": "How often the server applies retention rules "
    "(0 turns the scheduler off).",
    "PASSERELLE_BULK_ENGINE": "Default bulk engine: memory, duckdb or spark.",
    "PASSERELLE_SPARK_MASTER": "Spark master URL for the spark engine (default local[*]).",
    "PASSERELLE_SPARK_DRIVER_MEMORY": (
        "Heap of the Spark driver JVM, e.g. 8g (default); with a local master it also runs "
        "the executors."
    ),
    "PASSERELLE_PNR_MAX_PUSH_BYTES": "Largest carrier push (PNRGOV, PAXLST, OSDM body) the "
    "API reads, in bytes (default 8 MiB); a larger one is refused with 413 before parsing.",
    "PASSERELLE_PNR_QUARANTINE_ROWS": "Quarantine items kept per push (default 100); the "
    "others are counted in the push's `quarantined` total, not stored.",
    "PASSERELLE_DB_BUSY_TIMEOUT_SECONDS": (
        "Longest wait for a database lock or pooled connection (SQLite busy_timeout, "
        "PostgreSQL lock_timeout), default 5; past it a request gets HTTP 503 with Retry-After "
        "and a command exits 9."
    ),
    "PASSERELLE_TLS_CERT": (
        "PEM certificate of this node: served by `passerelle serve` (same as --tls-cert) and "
        "presented as client certificate when it posts to a peer's inbox."
    ),
    "PASSERELLE_TLS_KEY": "PEM private key of PASSERELLE_TLS_CERT (same as --tls-key).",
    "PASSERELLE_TLS_CLIENT_CA": (
        "CA bundle for peers' client certificates; when set the federation inbox requires "
        "mutual TLS with a certificate pinned for the signing peer (same as --tls-client-ca)."
    ),
    "PASSERELLE_TLS_CA": (
        "CA bundle this node verifies peers' HTTPS certificates with (default: the system's)."
    ),
    "PASSERELLE_CRISIS_TILE_URL": (
        "Tile layer of the crisis situation map, a Leaflet URL template such as "
        "https://tiles.example/{z}/{x}/{y}.png; empty (default) keeps the map offline on the "
        "vendored country outlines."
    ),
    "PASSERELLE_CRISIS_ESCALATION_POLL_SECONDS": (
        "How often the server checks crisis acknowledgement deadlines (default 0.5 s; 0 turns "
        "the escalation job off)."
    ),
    "PASSERELLE_CRISIS_FEED_ALLOWED_NETWORKS": (
        "Networks (CIDR, comma-separated, e.g. 10.20.0.0/16) that CAP feed URLs may reach "
        "although private, loopback or link-local; empty (default) allows public addresses only."
    ),
    "PASSERELLE_DNA_RETENTION_TERMS": (
        "JSON file with this node's DNA retention terms and their national source; required "
        "on nodes without built-in terms (all but FR), or the DNA package refuses to start."
    ),
    "PASSERELLE_PRECURSORS_REGIMES": (
        "Licensing regime per country for Annex I precursors above the limit value, e.g. "
        "`ES=licence,FR=prohibited` (empty: the defaults of precursors/rules.py)."
    ),
    "PASSERELLE_HERITAGE_SYRIA_CUTOFF": (
        "Cut-off date (YYYY-MM-DD) of the Syrian cultural-goods trade ban (Regulation 36/2012 "
        "art. 11c); sources disagree, default 2011-05-09."
    ),
    "PASSERELLE_JIT_MAX_UPLOAD_BYTES": "Largest evidence file a tus upload may announce (bytes).",
    "PASSERELLE_JIT_FETCH_POLL_SECONDS": (
        "How often `passerelle serve` pulls the evidence content peers announced; 0 turns it off."
    ),
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings.from_env()
