"""Travel-document numbers: normalisation and comparison with OCR-confusion tolerance."""

from __future__ import annotations

import re
from functools import lru_cache

from passerelle.identity import rules
from passerelle.identity.countries import same_country

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_OCR_TABLE = str.maketrans(rules.OCR_CONFUSIONS)


def normalise_document(number: str | None) -> str:
    """Upper-case letters and digits only ("ab 12-345<<" → "AB12345"); empty when missing."""
    if not number:
        return ""
    return _NOT_ALNUM.sub("", number.upper())


@lru_cache(maxsize=1 << 16)
def ocr_fold(number: str) -> str:
    """Fold look-alike characters to one representative (O/Q/D→0, I/L→1, S→5, B→8, Z→2, G→6)."""
    return normalise_document(number).translate(_OCR_TABLE)


def compare_documents(
    a_number: str | None, a_country: str | None, b_number: str | None, b_country: str | None
) -> str:
    """``exact``, ``OCR confusion``, ``different``, ``other country`` or ``unknown``. Symmetric.

    Equal numbers issued by two different known countries are different documents.
    """
    na, nb = normalise_document(a_number), normalise_document(b_number)
    if len(na) < 4 or len(nb) < 4:
        return "unknown"
    if same_country(a_country, b_country) is False:
        return "other country"
    if na == nb:
        return "exact"
    if ocr_fold(na) == ocr_fold(nb):
        return "OCR confusion"
    return "different"
