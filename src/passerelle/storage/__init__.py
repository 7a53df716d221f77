"""Storage: SQLAlchemy 2 models and Alembic migrations (SQLite default, PostgreSQL production)."""

from passerelle.storage.base import Base, UtcDateTime
from passerelle.storage.database import Database

__all__ = ["Base", "Database", "UtcDateTime"]
