"""One rule for the numbers DynamoDB stores (ddbtui.core.numbers), used by plain values (``number_text``)
and by the expression language (the lexer): both accept and refuse the same numbers, each with its own
words. Which numbers DynamoDB Local stores was tried by hand (PutItem of each): the lists below."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import parse_condition
from ddbtui.core.values import number_text

STORED = [
    "1." + "0" * 40,  # trailing zeros do not count: DynamoDB Local stores 1
    "1" + "0" * 45,  # one significant digit, 1E+45
    "1" * 38 + "0" * 10,
    "1E-130",
    "9.99E+125",
    "0." + "0" * 140,  # zero, however written
    "-" + "9" * 38,
]
REFUSED = [
    ("1" * 39, "digits"),  # DynamoDB: "only supports precision up to 38 digits"
    ("1E-131", "range"),  # "Number underflow"
    ("1E+126", "range"),  # "Number overflow"
    ("-1.5E-131", "range"),
]


@pytest.mark.parametrize("text", STORED)
def test_what_dynamodb_stores_is_accepted_by_both(text):
    assert Decimal(number_text(text)) == Decimal(text)  # the value as given
    parse_condition(f"a = {text}")


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_what_dynamodb_refuses_is_refused_by_both_with_the_same_reason(text, kind):
    with pytest.raises(UsageError) as plain:
        number_text(text)
    with pytest.raises(ExprError) as expr:
        parse_condition(f"a = {text}")
    if kind == "digits":
        assert (
            str(plain.value)
            == f"number {text} has 39 digits, more than the 38 significant digits DynamoDB keeps"
        )
        # the lexer shows long numbers cut to 20 characters and an ellipsis
        assert (
            expr.value.message == f"number {text[:20]}… has 39 significant digits; DynamoDB keeps at most 38"
        )
    else:
        range_text = "is out of DynamoDB's range (magnitudes from 1E-130 to 9.99…E+125)"
        assert str(plain.value) == f"number {text} {range_text}"
        assert f"number {text} {range_text}" in expr.value.message


def test_not_a_number_is_said_as_before():
    with pytest.raises(UsageError, match="^NaN is not a number DynamoDB can store$"):
        number_text("NaN")
    with pytest.raises(UsageError, match="^'x' is not a number DynamoDB can store$"):
        number_text("x")
