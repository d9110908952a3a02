"""#21 item 10: the messages for numbers DynamoDB cannot store, and JSON objects that name a key twice."""

from __future__ import annotations

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.values import number_text, parse_plain_json


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e400", "number 1e400 is out of DynamoDB's range"),
        ("1e-200", "number 1e-200 is out of DynamoDB's range"),
        ("1." + "1" * 40, "has 41 digits, more than the 38 significant digits DynamoDB keeps"),
    ],
)
def test_a_number_is_refused_for_what_is_wrong_with_it(text, message):
    with pytest.raises(UsageError, match=message):
        number_text(text)


def test_38_digits_and_the_range_ends_are_stored():
    assert number_text("1." + "2" * 37) == "1." + "2" * 37
    assert number_text("1E+125") == "1E+125"
    assert number_text("1E-130") == "1E-130"


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"m": {"x": 1, "x": 1}}', '[{"k": 1, "k": 1}]'])
def test_a_name_twice_in_one_object_is_refused(text):
    with pytest.raises(UsageError, match="appears twice in one object"):
        parse_plain_json(text, "--item")


def test_the_same_name_in_two_objects_is_fine():
    assert parse_plain_json('{"a": {"x": 1}, "b": {"x": 2}}') == {"a": {"x": 1}, "b": {"x": 2}}
