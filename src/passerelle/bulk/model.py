"""The bulk review table: screening hits from a bulk run, waiting for a human reviewer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Candidate(Base):
    """One bulk screening hit: a candidate match, never a decision (DESIGN principle 5)."""

    __tablename__ = "bulk_candidate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(200))
    record_id: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    loaded_by: Mapped[str] = mapped_column(String(100))


__all__ = ["Candidate"]
