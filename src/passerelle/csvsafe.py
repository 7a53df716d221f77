"""CSV cells that a spreadsheet cannot run: the one writer every CSV output goes through.

Excel, LibreOffice Calc and Google Sheets read a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula: an id like ``=HYPERLINK("http://…")`` copied
from a watchlist into a hit list would run on the analyst's machine when the file is opened
(OWASP "CSV Injection"; ASVS 1.2.10). Such a text cell is written with a single quote in front,
which spreadsheets take as "this is text" and do not show. So that the quote can be removed
again without guessing, a cell that already starts with a quote gets one more (spreadsheets
show it with exactly one, as it was); :func:`restore` undoes :func:`neutralise` exactly.

Columns that are numeric by contract (a score, a count) keep plain numbers such as ``-0.5``
machine-readable: in those columns a cell that is a decimal number is written as it is, and
anything else is neutralised like text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = ["TRIGGERS", "SafeWriter", "neutralise", "restore", "safe_row"]

#: First characters that make a spreadsheet evaluate a cell (OWASP), the NUL byte (ASVS
#: 1.2.10), line feed, their full-width forms, and the quote this module itself adds.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠", "'")
_NUMBER = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?")


def neutralise(cell: str) -> str:
    """The text cell as written: a quote in front when it starts with a trigger character."""
    return "'" + cell if cell.startswith(TRIGGERS) else cell


def restore(cell: str) -> str:
    """The cell as it was before :func:`neutralise` (one leading quote removed)."""
    return cell[1:] if cell.startswith("'") else cell


def _cell(value: Any, numeric: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and numeric:
        return value
    text = str(value)
    if numeric and _NUMBER.fullmatch(text):
        return text
    return neutralise(text)


def safe_row(row: Sequence[Any], numeric: Sequence[bool] = ()) -> list[Any]:
    """A row with every text cell neutralised; ``numeric[i]`` marks number columns."""
    flags = list(numeric) + [False] * (len(row) - len(numeric))
    return [_cell(v, n) for v, n in zip(row, flags, strict=False)]


class SafeWriter:
    """``csv.writer`` with a header; every row goes through :func:`safe_row`.

    ``numeric`` names the columns that are numbers by contract (left as they are when they
    hold a decimal number).
    """

    def __init__(
        self,
        handle: TextIO,
        header: Sequence[str],
        *,
        numeric: Iterable[str] = (),
        lineterminator: str = "\r\n",
    ) -> None:
        names = set(numeric)
        self._numeric = [c in names for c in header]
        self._writer = csv.writer(handle, lineterminator=lineterminator)
        self._writer.writerow(header)

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow(safe_row(row, self._numeric))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        numeric = self._numeric
        self._writer.writerows(safe_row(row, numeric) for row in rows)
