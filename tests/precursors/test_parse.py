"""Every parser, fuzzed: whatever the bytes, a typed error or a valid object, never a crash."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.errors import PasserelleError
from passerelle.precursors.schemas import TransactionIn
from passerelle.precursors.service import parse
from tests.precursors.conftest import sale

_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=20,
)


def _mutations() -> st.SearchStrategy[dict[str, object]]:
    base = sale().model_dump(mode="json")
    keys = st.sampled_from(
        [
            "customer",
            "product",
            "payment",
            "delivery",
            "verification",
            "indicators",
            "occurred_at",
            "channel",
        ]
    )
    return st.builds(lambda k, v: {**base, k: v}, keys, _json)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_transaction_line_never_crashes_on_bytes(raw: bytes) -> None:
    try:
        assert isinstance(parse.transaction(raw), TransactionIn)
    except PasserelleError as exc:
        assert exc.message


@settings(max_examples=300, deadline=None)
@given(_mutations())
def test_transaction_line_with_wrong_types_names_the_field(data: dict[str, object]) -> None:
    try:
        parse.transaction(json.dumps(data))
    except PasserelleError as exc:
        assert exc.details.get("field") or exc.code == "malformed_input"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_catalogue_rows_never_crash(raw: bytes) -> None:
    data = b"sku,trade_name,synonyms,cas,concentration\n" + raw
    for line in parse.catalogue_rows(data):
        assert (line.value is None) != (line.error is None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=15), min_size=5, max_size=6))
def test_catalogue_cells_are_validated(cells: list[str]) -> None:
    row = ",".join(c.replace(",", " ").replace("\n", " ").replace('"', "") for c in cells)
    for line in parse.catalogue_rows(
        b"sku,trade_name,synonyms,cas,concentration,particle_um\n" + row.encode()
    ):
        assert (line.value is None) != (line.error is None)


def test_jsonlines_keep_line_numbers() -> None:
    good = sale().model_dump_json().encode()
    lines = list(parse.transaction_lines(good + b"\n\n[1]\n" + good))
    assert [(ln.number, ln.error is None) for ln in lines] == [(1, True), (3, False), (4, True)]
