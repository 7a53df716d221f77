"""The public façade of ``passerelle.identity`` and its independence from upper layers."""

from __future__ import annotations

import subprocess
import sys

import passerelle.identity


def test_exported_members() -> None:
    assert sorted(passerelle.identity.__all__) == [
        "DEFAULT_THRESHOLD",
        "Explanation",
        "Features",
        "Match",
        "Memo",
        "MrzData",
        "NUMERIC_OUTPUT_COLUMNS",
        "NamePair",
        "NodeWatchlists",
        "OPTIONAL_COLUMNS",
        "OUTPUT_COLUMNS",
        "PartialDate",
        "PersonRecord",
        "Reject",
        "Watchlist",
        "check_date",
        "check_digit",
        "compare",
        "compare_dates",
        "compare_documents",
        "compare_features",
        "count_rows",
        "hit_row",
        "index_keys",
        "key_weight",
        "node_watchlists",
        "normalise_country",
        "normalise_document",
        "parse_date",
        "parse_mrz",
        "prepare",
        "read_people",
        "rejects_path",
        "rules",
        "screen",
        "screen_features",
        "screen_many",
        "write_rejects",
    ]
    for name in passerelle.identity.__all__:
        assert getattr(passerelle.identity, name) is not None


def test_the_matching_core_imports_no_web_privacy_or_storage() -> None:
    code = (
        "import sys, passerelle.identity;"
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['passerelle','web'], ['passerelle','privacy'], ['passerelle','storage'])))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
