"""`ddbtui transact`'s file (#17): actions in the API's shape, each pinned to the image read, with the
old and new images the journal keeps."""

from __future__ import annotations

import json

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.schema import KeySchema, TableSchema
from ddbtui.core.writes.transact_file import parse_actions, plan_transaction

SCHEMA = TableSchema(name="T", key=KeySchema("pk"), attribute_types={"pk": "S"})
OLD = {"pk": {"S": "a"}, "n": {"N": "1"}}
RESERVED = {"pk": {"S": "r"}, "name": {"S": "x"}}


def lines(*rows):
    return [json.dumps(r) + "\n" for r in rows]


def test_an_update_is_pinned_to_the_image_and_anded_with_its_own_condition():
    actions = parse_actions(lines({"Update": {"TableName": "T", "Key": {"pk": {"S": "a"}},
                                              "UpdateExpression": "SET n = n + :one", "ConditionExpression": "n < :ten",
                                              "ExpressionAttributeValues": {":one": {"N": "1"}, ":ten": {"N": "10"}}}}))  # fmt: skip
    plan = plan_transaction(actions, {"T": SCHEMA}, [OLD])
    body = plan.items[0]["Update"]
    assert body["ConditionExpression"] == (
        "(n < :ten) AND (attribute_exists(pk) AND n = :ddbtui_v0)"  # names are bare unless reserved
    )
    assert "ExpressionAttributeNames" not in body
    assert body["ExpressionAttributeValues"] == {
        ":one": {"N": "1"},
        ":ten": {"N": "10"},
        ":ddbtui_v0": {"N": "1"},
    }
    assert body["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"
    op = plan.ops[0]
    assert (op.operation, op.old, op.new) == ("update", OLD, {"pk": {"S": "a"}, "n": {"N": "2"}})


def test_a_put_where_there_was_no_item_must_still_find_none_and_a_check_changes_nothing():
    actions = parse_actions(lines({"Put": {"TableName": "T", "Item": {"pk": {"S": "b"}, "x": {"BOOL": True}}}},
                                  {"ConditionCheck": {"TableName": "T", "Key": {"pk": {"S": "a"}},
                                                      "ConditionExpression": "attribute_exists(n)"}}))  # fmt: skip
    plan = plan_transaction(actions, {"T": SCHEMA}, [None, OLD])
    put = plan.items[0]["Put"]
    assert (put["ConditionExpression"], put["ExpressionAttributeNames"]) == (
        "attribute_not_exists(#ddbtui_n1)",
        {"#ddbtui_n1": "pk"},
    )
    assert (plan.ops[0].old, plan.ops[0].new) == (None, {"pk": {"S": "b"}, "x": {"BOOL": True}})
    assert (plan.ops[1].operation, plan.ops[1].old, plan.ops[1].new) == ("check", OLD, OLD)


def test_a_reserved_attribute_name_gets_a_placeholder_of_ddbtui():
    actions = parse_actions(lines({"Delete": {"TableName": "T", "Key": {"pk": {"S": "r"}}}}))
    body = plan_transaction(actions, {"T": SCHEMA}, [RESERVED]).items[0]["Delete"]
    assert body["ConditionExpression"] == "attribute_exists(pk) AND #ddbtui_name = :ddbtui_v0"
    assert body["ExpressionAttributeNames"] == {"#ddbtui_name": "name"}
    assert body["ExpressionAttributeValues"] == {":ddbtui_v0": {"S": "x"}}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"Put": {"TableName": "T"}}], "line 1: Put needs Item"),
        ([{"Get": {"TableName": "T", "Key": {}}}], "line 1: one action a line"),
        (
            [{"Delete": {"TableName": "T", "Key": {"pk": {"S": "a"}}, "ReturnValues": "ALL_OLD"}}],
            "does not take ReturnValues",
        ),
        ([], "holds no action"),
        ([{"Delete": {"TableName": "T", "Key": {"pk": {"S": "a"}}}}] * 101, "at most 100 actions"),
    ],
)
def test_bad_files_are_refused_naming_the_line(rows, message):
    with pytest.raises(UsageError, match=message):
        parse_actions(lines(*rows))


def test_an_item_twice_and_a_placeholder_of_ddbtui_are_refused():
    twice = parse_actions(lines(*[{"Delete": {"TableName": "T", "Key": {"pk": {"S": "a"}}}}] * 2))
    with pytest.raises(UsageError, match="action 2 .* appears twice"):
        plan_transaction(twice, {"T": SCHEMA}, [OLD, OLD])
    clash = parse_actions(lines({"Delete": {"TableName": "T", "Key": {"pk": {"S": "a"}}, "ConditionExpression": "n = :ddbtui_v0",
                                            "ExpressionAttributeValues": {":ddbtui_v0": {"N": "1"}}}}))  # fmt: skip
    with pytest.raises(UsageError, match="ddbtui's own: :ddbtui_v0"):
        plan_transaction(clash, {"T": SCHEMA}, [OLD])
