"""`sql --params`: the ? placeholders of a PartiQL statement (#19 defect 3). Expected values worked by hand."""

from __future__ import annotations

import pytest

from ddbtui.core.codegen import aws_cli, boto3_code, ddbtui_command
from ddbtui.core.errors import UsageError
from ddbtui.core.partiql import parse_parameters, placeholder_count
from ddbtui.core.requests import ReadRequest, build


@pytest.mark.parametrize(
    ("statement", "count"),
    [
        ("SELECT * FROM T", 0),
        ("SELECT * FROM T WHERE a = ?", 1),
        ("SELECT * FROM \"T?\" WHERE a = ? AND b = 'is it ?' AND c IN [?, ?]", 3),
        ("SELECT * FROM T WHERE a = 'it''s ?' AND b = ?", 1),
        ('SELECT * FROM "we""ird?" WHERE a=?', 1),
    ],
)
def test_placeholders_outside_quotes_are_counted(statement, count):
    assert placeholder_count(statement) == count


def test_plain_values_become_attribute_values():
    assert parse_parameters('["a", 5, 10.50, -1, true, null, {"x": [1]}]') == (
        {"S": "a"},
        {"N": "5"},
        {"N": "10.50"},  # sent as written; DynamoDB stores 10.5
        {"N": "-1"},
        {"BOOL": True},
        {"NULL": True},
        {"M": {"x": {"L": [{"N": "1"}]}}},
    )


def test_numbers_are_exact_not_floats():
    assert parse_parameters("[0.1, 12345678901234567890123456789012345678]") == (
        {"N": "0.1"},
        {"N": "12345678901234567890123456789012345678"},
    )


def test_dynamodb_json_is_taken_as_written():
    assert parse_parameters('[{"S": "a"}, {"N": "-1"}, {"SS": ["x", "y"]}, {"B": "AAE="}]') == (
        {"S": "a"},
        {"N": "-1"},
        {"SS": ["x", "y"]},
        {"B": b"\x00\x01"},
    )


def test_a_mixed_array_is_plain():
    # one element is not a typed value: the whole array is plain JSON, {"S": "a"} a map
    assert parse_parameters('[{"S": "a"}, 5]') == ({"M": {"S": {"S": "a"}}}, {"N": "5"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}', "must be a JSON array"),
        ('["a",', "bad --params at column"),
        ('[{"N": "abc"}]', "'abc' is not a number"),
        ('[{"L": [5]}]', "not DynamoDB JSON inside a typed value"),
    ],
)
def test_bad_params_are_refused(text, message):
    with pytest.raises(UsageError, match=message):
        parse_parameters(text)


def test_the_count_must_match_the_placeholders():
    req = ReadRequest("sql", statement="SELECT * FROM T WHERE a = ? AND b = ?", parameters=({"S": "a"},))
    with pytest.raises(UsageError, match="has 2 \\? placeholders and --params gives 1 value"):
        build(req, None)
    with pytest.raises(UsageError, match="has 1 \\? placeholder and --params gives 0 values"):
        build(ReadRequest("sql", statement="SELECT * FROM T WHERE a = ?"), None)


def test_parameters_go_into_the_request_and_every_rendering():
    req = ReadRequest("sql", statement="SELECT * FROM T WHERE a = ?", parameters=({"S": "x y"},))
    built = build(req, None)
    assert built.params["Parameters"] == [{"S": "x y"}]
    assert '"Parameters": [{"S": "x y"}],' in boto3_code(built)
    assert '--parameters \'[{"S":"x y"}]\'' in aws_cli(built)
    assert ddbtui_command(req) == "ddbtui sql 'SELECT * FROM T WHERE a = ?' --params '[{\"S\":\"x y\"}]'"
