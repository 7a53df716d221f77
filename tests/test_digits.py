"""Number fields read from untrusted text: ASCII digits only, with a length bound."""

from __future__ import annotations

import pytest

from passerelle.digits import MAX_DIGITS, is_digits, to_int


@pytest.mark.parametrize("text", ["0", "42", "007", "9" * MAX_DIGITS])
def test_ascii_digits_are_numbers(text: str) -> None:
    assert is_digits(text)
    assert to_int(text) == int(text)


@pytest.mark.parametrize(
    "text", ["", " 1", "1 ", "-1", "+1", "1.0", "²", "1³", "①", "٣", "１２", "9" * (MAX_DIGITS + 1)]
)
def test_anything_else_is_not(text: str) -> None:
    assert not is_digits(text)
    assert to_int(text) is None


def test_the_bound_is_per_call_and_fits_64_bits() -> None:
    assert to_int("12345", 4) is None
    assert to_int("1234", 4) == 1234
    assert int("9" * MAX_DIGITS) < 2**63
    assert to_int("9" * 5000, 5000) is None  # never raises, whatever the bound
