"""Which numbers DynamoDB stores: at most 38 significant digits (leading and trailing zeros do not count),
magnitudes from 1E-130 to 9.99…E+125, and zero however written. Shared by the expression lexer and
compiler (``number_problem``'s text) and ``values.number_text`` (its own wording of the same reasons).

Checked against DynamoDB Local: ``1.`` + 40 zeros, ``1`` + 45 zeros and 38 digits + 10 zeros are stored;
39 significant digits, ``1E-131`` (underflow) and ``1E+126`` (overflow) are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MAX_DIGITS = 38
MIN_EXPONENT = -130  # smallest magnitude DynamoDB stores: 1E-130
MAX_EXPONENT = 125  # largest: 9.99...E+125
RANGE_TEXT = "is out of DynamoDB's range (magnitudes from 1E-130 to 9.99…E+125)"


def significant_digits(value: Decimal) -> int:
    """The digits of ``value`` without leading and trailing zeros (0 for zero)."""
    return len("".join(map(str, value.as_tuple().digits)).strip("0"))


@dataclass(frozen=True)
class NumberProblem:
    """Why DynamoDB cannot store a number: ``kind`` is ``not-finite``, ``digits`` (``digits`` says how many
    significant digits it has) or ``range``. ``str()`` is the text the expression language shows."""

    kind: str
    digits: int = 0

    def __str__(self) -> str:
        if self.kind == "not-finite":
            return "is not a finite number"
        if self.kind == "digits":
            return f"has {self.digits} significant digits; DynamoDB keeps at most {MAX_DIGITS}"
        return RANGE_TEXT


def number_problem(value: Decimal) -> NumberProblem | None:
    """Why DynamoDB cannot store ``value``, or None when it can."""
    if not value.is_finite():
        return NumberProblem("not-finite")
    digits = significant_digits(value)
    if not digits:
        return None  # zero, however written
    if digits > MAX_DIGITS:
        return NumberProblem("digits", digits)
    if not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        return NumberProblem("range")
    return None
