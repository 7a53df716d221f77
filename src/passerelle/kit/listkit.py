"""The list kit: search, filters, pagination and CSV export, the same on every console list.

A list page reads a :class:`ListQuery` from the request (``q``, ``page``, ``per_page`` and the
filters it names), narrows its rows with :func:`text_matches` / the filters, and hands
:func:`paginate` the result; its template calls the macros of ``core/_list.html``
(``search_form``, ``pager``). The CSV variant of the same page (``…?format=csv`` or a ``.csv``
route) answers :func:`csv_response` with the *same* rows, unpaginated, through
:mod:`passerelle.csvsafe`, so an export is exactly what the user filtered.

Numbers from the query string are bounded here (a page of ``10**30`` is page 1, not an error
deep in the database), and every filter value is cut to :data:`MAX_PARAM` characters.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from passerelle.bounds import MAX_INT32
from passerelle.csvsafe import SafeWriter

__all__ = [
    "Column",
    "ListQuery",
    "Page",
    "csv_response",
    "paginate",
    "text_matches",
]

T = TypeVar("T")
PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PARAM = 200


def _int(value: str | None, default: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return min(max(number, 1), high)


@dataclass(frozen=True)
class ListQuery:
    """What the user asked of a list: free text, filters, page."""

    path: str
    q: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    filters: dict[str, str] = field(default_factory=dict)
    #: ``?format=csv``: the same rows as a CSV file, every page.
    wants_csv: bool = False

    @classmethod
    def of(cls, request: Request, *filters: str, per_page: int = PER_PAGE) -> ListQuery:
        params = request.query_params
        return cls(
            path=request.url.path,
            q=(params.get("q") or "").strip()[:MAX_PARAM],
            page=_int(params.get("page"), 1, MAX_INT32),
            per_page=_int(params.get("per_page"), per_page, MAX_PER_PAGE),
            filters={name: (params.get(name) or "").strip()[:MAX_PARAM] for name in filters},
            wants_csv=params.get("format") == "csv",
        )

    def get(self, name: str) -> str:
        return self.filters.get(name, "")

    def params(self, **changes: object) -> dict[str, str]:
        """The query string's parameters (empty ones left out), with ``changes`` applied."""
        values: dict[str, object] = {"q": self.q, **self.filters}
        if self.per_page != PER_PAGE:
            values["per_page"] = self.per_page
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    def url(self, path: str | None = None, **changes: object) -> str:
        """A link to this list (or ``path``) with the same search and filters."""
        query = urlencode(self.params(**changes))
        return f"{path or self.path}{'?' + query if query else ''}"

    def csv_url(self, path: str | None = None) -> str:
        """The export of what is shown: same search and filters, every page."""
        if path:
            return self.url(path)
        return self.url(format="csv")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and where it sits in the whole."""

    rows: list[T]
    total: int
    query: ListQuery

    @property
    def page(self) -> int:
        return min(self.query.page, self.pages)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.query.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.query.per_page)

    def link(self, page: int) -> str:
        return self.query.url(page=page if page > 1 else "")


def paginate(rows: Sequence[T], query: ListQuery, total: int | None = None) -> Page[T]:
    """The page of ``rows`` the query asks for; with ``total``, ``rows`` is already that page
    (the database cut it)."""
    if total is not None:
        return Page(list(rows), total, query)
    pages = max(1, -(-len(rows) // query.per_page))
    start = (min(query.page, pages) - 1) * query.per_page
    return Page(list(rows[start : start + query.per_page]), len(rows), query)


def text_matches(q: str, *values: object) -> bool:
    """True when every word of ``q`` is in one of ``values`` (case and accents as typed)."""
    if not q:
        return True
    haystack = " ".join("" if v is None else str(v) for v in values).casefold()
    return all(word in haystack for word in q.casefold().split())


@dataclass(frozen=True)
class Column(Generic[T]):
    """One CSV column: its header and how a row gives its cell."""

    header: str
    value: Callable[[T], Any]
    numeric: bool = False


def csv_response(filename: str, columns: Sequence[Column[T]], rows: Iterable[T]) -> Response:
    """Every row as a CSV attachment; each cell neutralised by :mod:`passerelle.csvsafe`."""
    out = io.StringIO()
    writer = SafeWriter(
        out, [c.header for c in columns], numeric=[c.header for c in columns if c.numeric]
    )
    writer.writerows([c.value(row) for c in columns] for row in rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
