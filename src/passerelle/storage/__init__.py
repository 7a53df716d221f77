"""Storage: SQLAlchemy 2 models and Alembic migrations (SQLite default, PostgreSQL production)."""

from passerelle.storage.base import Base, UtcDateTime
from passerelle.storage.database import BlockingCallOnEventLoop, Database, serving_request

__all__ = ["Base", "BlockingCallOnEventLoop", "Database", "UtcDateTime", "serving_request"]
