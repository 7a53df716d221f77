"""Integer request parameters with a range, so that no number reaches the database unchecked.

An id of ``2**64`` in a path, or a page of ``10**30``, used to reach SQLite (``OverflowError``)
or PostgreSQL (``integer out of range``) and come back as a 500 without the security headers.
Every integer path and query parameter of every route is typed with one of these (a test walks
the routes); out of range, the request gets ``400 out_of_range``
(:class:`passerelle.errors.OutOfRange`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = ["MAX_INT32", "Count", "RowId"]

#: Integer columns (ids, versions) are 32-bit on PostgreSQL.
MAX_INT32 = 2**31 - 1

#: The id of a row (booking, hit, match, request…).
RowId = Annotated[int, Field(ge=0, le=MAX_INT32)]
#: A page number, limit, offset or version number.
Count = Annotated[int, Field(ge=0, le=MAX_INT32)]
