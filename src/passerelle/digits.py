"""Numbers read from untrusted text: ASCII digits only, and never too many of them.

``str.isdigit()`` is true for ``²``, ``³`` or ``①``, on which ``int()`` then raises
``ValueError``; ``\\d`` in a regular expression matches Arabic-Indic and other decimal digits;
``int()`` of a 5,000-digit string raises too (CPython's 4,300-digit limit), and a 1,000-digit
number is a valid ``int`` far outside any database column. A carrier push or a CSV file can
hold any of these, so every parser reads its number fields through :func:`to_int` (or checks
them with :func:`is_digits`) instead of ``isdigit()`` + ``int()``.
"""

from __future__ import annotations

__all__ = ["MAX_DIGITS", "is_digits", "to_int"]

#: Default bound: 18 digits always fit a signed 64-bit integer (2**63 - 1 has 19).
MAX_DIGITS = 18
#: No bound goes beyond this: ``int()`` refuses strings over 4,300 digits.
_HARD_LIMIT = 4000


def is_digits(text: str, max_digits: int = MAX_DIGITS) -> bool:
    """True when ``text`` is 1 to ``max_digits`` ASCII digits ``0``–``9`` and nothing else."""
    return 0 < len(text) <= min(max_digits, _HARD_LIMIT) and text.isascii() and text.isdigit()


def to_int(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """The value of ``text`` when :func:`is_digits` holds, else None (never raises)."""
    return int(text) if is_digits(text, max_digits) else None
