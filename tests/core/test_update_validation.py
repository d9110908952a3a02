"""Update expressions: ddbtui refuses what DynamoDB refuses and accepts what it accepts (issue #19, defect
2, the update side): redundant parentheses, function names in another case, and single parentheses
around a value. Every case was measured on DynamoDB Local, and the last test measures it again."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.update import parse_update, update_source
from ddbtui.core.schema import KeySchema, TableSchema
from ddbtui.core.writes import delete_request, put_request, update_request
from tests.conftest import create_table

# (ddbtui's language, DynamoDB's text with placeholders, accepted by DynamoDB Local, ddbtui's message)
CASES = [
    ("SET a = (b)", "SET a = (b)", True, None),
    ("SET a = (3)", "SET a = (:v)", True, None),
    ("SET a = (b + b)", "SET a = (b + b)", True, None),
    ("SET a = (b) + (b)", "SET a = (b) + (b)", True, None),
    ("SET a = (b)+(b)", "SET a = (b)+(b)", True, None),
    ("SET a = ((b) + b)", "SET a = ((b) + b)", True, None),
    ("SET a = ((b) + (b))", "SET a = ((b) + (b))", True, None),
    ("SET a = b + (b)", "SET a = b + (b)", True, None),
    ("SET a = (list_append(L, L))", "SET a = (list_append(L, L))", True, None),
    ("SET a = list_append((L), ['z'])", "SET a = list_append((L), (:l))", True, None),
    ("SET a = if_not_exists((b), 3)", "SET a = if_not_exists((b), :v)", True, None),
    ("SET a = if_not_exists(b, (3))", "SET a = if_not_exists(b, (:v))", True, None),
    ("SET a = (if_not_exists(b, 3)) + 3", "SET a = (if_not_exists(b, :v)) + :v", True, None),
    ("SET a = (list_append(L, ['z'])), c = b", "SET a = (list_append(L, :l)), c = b", True, None),
    ("SET L[3] = (3)", "SET L[3] = (:v)", True, None),
    ("SET a = ((b))", "SET a = ((b))", False, "redundant parentheses"),
    ("SET a = ((3))", "SET a = ((:v))", False, "redundant parentheses"),
    ("SET a = (((b)))", "SET a = (((b)))", False, "redundant parentheses"),
    ("SET a = ((b + b))", "SET a = ((b + b))", False, "redundant parentheses"),
    ("SET a = ((b)) + b", "SET a = ((b)) + b", False, "redundant parentheses"),
    ("SET a = (b), c = ((b))", "SET a = (b), c = ((b))", False, "redundant parentheses"),
    ("SET a = if_not_exists(((b)), 3)", "SET a = if_not_exists(((b)), :v)", False, "redundant parentheses"),
    ("SET a = if_not_exists(b, ((3)))", "SET a = if_not_exists(b, ((:v)))", False, "redundant parentheses"),
    ("SET a = list_append(((L)), ['z'])", "SET a = list_append(((L)), :l)", False, "redundant parentheses"),
    ("SET a = (b + b) + b", "SET a = (b + b) + b", False, "one + or -"),
    ("SET a = b + (b - b)", "SET a = b + (b - b)", False, "one + or -"),
    ("SET a = if_not_exists((b + b), 3)", "SET a = if_not_exists((b + b), :v)", False, "+"),
    ("SET a = LIST_APPEND(L, L)", "SET a = LIST_APPEND(L, L)", False, "case-sensitive"),
    ("SET a = IF_NOT_EXISTS(b, 3)", "SET a = IF_NOT_EXISTS(b, :v)", False, "case-sensitive"),
    ("SET a = If_Not_Exists(b, 3)", "SET a = If_Not_Exists(b, :v)", False, "case-sensitive"),
    ("SET (a) = b", "SET (a) = b", False, "attribute path"),
    ("ADD b (3)", "ADD b (:v)", False, None),
    ("DELETE s (<<'x'>>)", "DELETE s (:s)", False, None),
    ("SET a = list_append(L, L)", "SET a = list_append(L, L)", True, None),
    ("set a = b", "set a = b", True, None),
]


@pytest.mark.parametrize(("text", "wire", "accepted", "message"), CASES, ids=[c[0] for c in CASES])
def test_ddbtui_accepts_what_dynamodb_accepts(text, wire, accepted, message):
    if accepted:
        tree = parse_update(text)
        assert parse_update(update_source(tree)) == tree  # the parentheses are not needed to say it again
    else:
        with pytest.raises(ExprError) as e:
            parse_update(text)
        if message:
            assert message in e.value.message, e.value.message
        assert e.value.column is not None


def test_parentheses_change_nothing():
    assert parse_update("SET a = (b) + (3)") == parse_update("SET a = b + 3")
    assert parse_update("SET a = if_not_exists((b), (3))") == parse_update("SET a = if_not_exists(b, 3)")
    assert parse_update("SET a = (list_append(L, ['z']))") == parse_update("SET a = list_append(L, ['z'])")


def test_the_column_points_at_the_redundant_pair():
    with pytest.raises(ExprError) as e:
        parse_update("SET a = b, c = ((b))")
    assert e.value.column == len("SET a = b, c = ") + 1
    with pytest.raises(ExprError) as e:
        parse_update("SET a = LIST_APPEND(L, L)")
    assert e.value.column == len("SET a = ") + 1 and "write list_append()" in e.value.message


SCHEMA = TableSchema(name="T", key=KeySchema("pk"), attribute_types={"pk": "S"})
KEY = {"pk": {"S": "a"}}


@pytest.mark.parametrize("condition", ["", "   "])
@pytest.mark.parametrize(
    "build",
    [
        lambda c: put_request(SCHEMA, {**KEY, "b": {"N": "1"}}, condition=c),
        lambda c: update_request(SCHEMA, KEY, "SET b = 1", condition=c),
        lambda c: delete_request(SCHEMA, KEY, condition=c),
        lambda c: delete_request(SCHEMA, KEY, condition=c, missing_ok=True),
    ],
    ids=["put", "update", "delete", "delete-missing-ok"],
)
def test_an_empty_write_condition_is_refused_not_dropped(build, condition):
    # DynamoDB: "Invalid ConditionExpression: The expression can not be empty" (an empty shell variable
    # must not turn a conditional write into an unconditional one)
    with pytest.raises(ExprError) as e:
        build(condition)
    assert "empty" in e.value.message and e.value.message.startswith("condition:")
    assert e.value.column == 1


def test_no_condition_is_still_no_condition():
    assert put_request(SCHEMA, KEY).params["ConditionExpression"] == "attribute_not_exists(pk)"
    assert "ConditionExpression" not in delete_request(SCHEMA, KEY, missing_ok=True).params


@pytest.mark.ddblocal
def test_the_cases_are_what_dynamodb_local_says(ddblocal_client):
    name = f"upd_{uuid.uuid4().hex[:8]}"
    create_table(ddblocal_client, name, sk=None)
    item = {"pk": {"S": "a"}, "b": {"N": "1"}, "L": {"L": [{"S": "a"}]}, "s": {"SS": ["x", "y"]}}
    values = {":v": {"N": "3"}, ":l": {"L": [{"S": "z"}]}, ":s": {"SS": ["x"]}}
    for _text, wire, accepted, _message in CASES:
        ddblocal_client.put_item(TableName=name, Item=item)
        used = {k: v for k, v in values.items() if k in wire}
        try:
            ddblocal_client.update_item(
                TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression=wire,
                **({"ExpressionAttributeValues": used} if used else {}),
            )  # fmt: skip
            got = True
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ValidationException"
            got = False
        assert got is accepted, wire
