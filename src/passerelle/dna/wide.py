"""DNA profiles as wide Arrow tables: one row per profile, two allele columns per locus.

Columns are ``ord``, ``profile_id`` and ``l<i>_1``/``l<i>_2`` for the ``i``-th locus of the
job's locus list (Parquet and Spark both dislike spaces in column names such as ``Penta E``);
alleles are the Prüm two-allele form, null when the locus is not typed. The searched side is
turned back into a :class:`~passerelle.dna.index.ProfileIndex`; query rows back into
:class:`~passerelle.dna.profiles.Profile` values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from passerelle.dna.harmonise import parse_allele, prum_genotype
from passerelle.dna.index import Column, ProfileIndex
from passerelle.dna.profiles import Profile

_LOCI_KEY = b"passerelle.loci"
_CHUNK = 100_000


def wide_schema(loci: Sequence[str]) -> pa.Schema:
    """Schema of a wide profile table over ``loci`` (the locus list rides in the metadata)."""
    fields = [pa.field("ord", pa.int64()), pa.field("profile_id", pa.string())]
    for i in range(len(loci)):
        fields += [pa.field(f"l{i}_1", pa.string()), pa.field(f"l{i}_2", pa.string())]
    return pa.schema(fields, metadata={_LOCI_KEY: json.dumps(list(loci)).encode()})


def loci_of(schema: pa.Schema) -> list[str]:
    """The locus list of a wide table."""
    meta = schema.metadata or {}
    loci: list[str] = json.loads(meta[_LOCI_KEY])
    return loci


def write_wide(profiles: Sequence[Profile], loci: Sequence[str], dest: Path) -> None:
    """Write harmonised profiles as a wide Parquet dataset in directory ``dest``."""
    schema = wide_schema(loci)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(tmp / "part-0.parquet", schema) as writer:
        for start in range(0, max(len(profiles), 1), _CHUNK):
            chunk = profiles[start : start + _CHUNK]
            columns: list[list[Any]] = [
                list(range(start, start + len(chunk))),
                [p.profile_id for p in chunk],
            ]
            for locus in loci:
                firsts: list[str | None] = []
                seconds: list[str | None] = []
                for p in chunk:
                    genotype = p.loci.get(locus)
                    if genotype is None or locus not in p.typed_loci():
                        firsts.append(None)
                        seconds.append(None)
                        continue
                    a, b = prum_genotype(genotype)
                    firsts.append(a.value)
                    seconds.append(b.value)
                columns += [firsts, seconds]
            writer.write_batch(pa.record_batch(columns, schema=schema))
    tmp.replace(dest)


def write_columns(
    ids: Sequence[str], columns: Mapping[str, Any], loci: Sequence[str], dest: Path
) -> None:
    """Write a columnar database (``LocusColumn`` values, e.g. from the synthetic generator)
    as a wide dataset without building a Profile per row (national-database sizes)."""
    schema = wide_schema(loci)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    n = len(ids)
    with pq.ParquetWriter(tmp / "part-0.parquet", schema) as writer:
        for start in range(0, n, 1_000_000):
            stop = min(n, start + 1_000_000)
            arrays: list[pa.Array] = [
                pa.array(np.arange(start, stop, dtype=np.int64)),
                pa.array(list(ids[start:stop]), pa.string()),
            ]
            for locus in loci:
                column = columns.get(locus)
                if column is None:
                    arrays += [pa.nulls(stop - start, pa.string())] * 2
                    continue
                alphabet = pa.array(list(column.alphabet), pa.string())
                for codes in (column.first[start:stop], column.second[start:stop]):
                    codes = np.asarray(codes, dtype=np.int64)
                    indices = pa.array(np.where(codes < 0, 0, codes), mask=codes < 0)
                    arrays.append(pc.take(alphabet, indices))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    tmp.replace(dest)


def _codes(values: pa.ChunkedArray, alphabet: pa.Array) -> NDArray[np.int64]:
    found = pc.index_in(values, value_set=alphabet)
    return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)


def index_from_wide(path: Path) -> ProfileIndex:
    """A :class:`ProfileIndex` over a wide dataset, rows in ``ord`` order.

    Columns are read one locus at a time, so the peak stays near the index's own size.
    """
    dataset = pq.ParquetDataset(path)
    order = pc.sort_indices(dataset.read(columns=["ord"])["ord"])
    loci = loci_of(pq.read_schema(next(iter(sorted(path.glob("*.parquet"))))))
    columns: dict[str, Column] = {}
    for i, locus in enumerate(loci):
        pair = dataset.read(columns=[f"l{i}_1", f"l{i}_2"]).take(order)
        first, second = pair[f"l{i}_1"], pair[f"l{i}_2"]
        both = pa.chunked_array(first.chunks + second.chunks, pa.string())
        alphabet = pc.unique(both.drop_null())
        if not len(alphabet):
            continue
        columns[locus] = Column(
            alphabet.to_pylist(), _codes(first, alphabet), _codes(second, alphabet)
        )
    ids = dataset.read(columns=["profile_id"]).take(order)["profile_id"]
    return ProfileIndex(np.asarray(ids.to_numpy(zero_copy_only=False), dtype=str), columns)


def profiles_of(
    batch: pa.RecordBatch, loci: Sequence[str] | None = None
) -> Iterator[tuple[int, Profile]]:
    """``(ord, Profile)`` per wide row; alleles re-parsed with the DNA package's own parser."""
    names = loci if loci is not None else loci_of(batch.schema)
    data = batch.to_pydict()
    for row, ordinal in enumerate(data["ord"]):
        genotypes = {}
        for i, locus in enumerate(names):
            a = data[f"l{i}_1"][row]
            if a is None:
                continue
            b = data[f"l{i}_2"][row]
            genotypes[locus] = (parse_allele(a, locus), parse_allele(b, locus))
        yield ordinal, Profile(data["profile_id"][row], genotypes)


__all__ = [
    "index_from_wide",
    "loci_of",
    "profiles_of",
    "wide_schema",
    "write_columns",
    "write_wide",
]
