"""CSV in long form: ``profile_id,locus,allele_1,allele_2`` (empty ``allele_2`` = homozygous).

Optional columns: ``allele_3``… (mixtures held nationally), ``sample_type``, ``kit``,
``laboratory``, ``national_reference``, ``single_source`` (``true``/``false``), and the retention
facts ``person_status`` (``suspect``/``convicted``), ``minor``, ``listed_offence`` (``true``/
``false``), ``registered_on`` and ``final_decision_on`` (``YYYY-MM-DD``). The match list is
written as ``a_id,b_id,matching_loci,mismatched_alleles,quality``.

Files are written through :mod:`passerelle.csvsafe` (a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a return gets a leading ``'``) and read back through its ``restore``: a
leading ``'`` is the spreadsheet text marker and is not part of the value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from passerelle.csvsafe import SafeWriter, restore
from passerelle.dna.matching import MatchResult
from passerelle.dna.profiles import Profile
from passerelle.errors import MalformedInput, NotFound

PROFILE_COLUMNS = ("profile_id", "locus", "allele_1", "allele_2")
MATCH_COLUMNS = ("a_id", "b_id", "matching_loci", "mismatched_alleles", "quality")

Row = tuple[int, dict[str, str]]


def read_rows(source: Path | str) -> Iterator[Row]:
    """Yield ``(line number, row)`` from a profile CSV file (or CSV text when given a str).

    Raises :class:`MalformedInput` naming the file line for a missing column, a ragged row or
    bytes that are not UTF-8.
    """
    if isinstance(source, Path):
        if not source.is_file():
            raise NotFound(f"no such file: {source}")
        try:
            with source.open(newline="", encoding="utf-8-sig") as handle:
                yield from _rows(handle, str(source))
        except UnicodeDecodeError as exc:
            raise MalformedInput(f"{source}: not UTF-8 text ({exc.reason})") from exc
        except OSError as exc:
            raise MalformedInput(f"{source}: cannot be read ({exc.strerror})") from exc
    else:
        yield from _rows(io.StringIO(source), "<text>")


def _rows(handle: Iterable[str], name: str) -> Iterator[Row]:
    reader = csv.reader(handle)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise MalformedInput(f"{name}: the file is empty", line=1) from None
    except csv.Error as exc:
        raise MalformedInput(f"{name}, line 1: {exc}", line=1) from exc
    missing = [c for c in PROFILE_COLUMNS if c not in header]
    if missing:
        raise MalformedInput(f"{name}, line 1: missing column(s) {', '.join(missing)}", line=1)
    try:
        for fields in reader:
            line = reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise MalformedInput(
                    f"{name}, line {line}: expected {len(header)} fields, got {len(fields)}",
                    line=line,
                )
            cells = (restore(f.strip()) for f in fields)
            yield line, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        raise MalformedInput(
            f"{name}, line {reader.line_num}: {exc}", line=reader.line_num
        ) from exc


def profile_rows(profiles: Iterable[Profile]) -> Iterator[dict[str, str]]:
    """Long-form rows of harmonised profiles (the export format)."""
    for profile in profiles:
        for locus in sorted(profile.loci):
            alleles = [a.value for a in profile.loci[locus]]
            row = {"profile_id": profile.profile_id, "locus": locus, "allele_1": alleles[0]}
            row["allele_2"] = "" if alleles[1:] == [alleles[0]] else alleles[1]
            for i, extra in enumerate(alleles[2:], start=3):
                row[f"allele_{i}"] = extra
            yield row


def write_profiles(path: Path, profiles: Iterable[Profile]) -> int:
    """Write profiles in long form; return the number of rows written."""
    rows = list(profile_rows(profiles))
    extra = sorted({k for r in rows for k in r if k not in PROFILE_COLUMNS})
    header = [*PROFILE_COLUMNS, *extra]
    with path.open("w", newline="", encoding="utf-8") as handle:
        SafeWriter(handle, header).writerows([row.get(c, "") for c in header] for row in rows)
    return len(rows)


def write_matches(path: Path, matches: Iterable[MatchResult]) -> int:
    """Write the match list; return the number of matches written."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeWriter(handle, MATCH_COLUMNS, numeric=MATCH_COLUMNS[2:])
        for m in matches:
            writer.writerow((m.a_id, m.b_id, m.matching_loci, m.mismatched_alleles, int(m.quality)))
            count += 1
    return count


__all__ = [
    "MATCH_COLUMNS",
    "PROFILE_COLUMNS",
    "profile_rows",
    "read_rows",
    "write_matches",
    "write_profiles",
]
