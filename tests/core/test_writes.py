"""Write requests, the write policy, optimistic locking of edits, diffs, transactions and journal records
(pure: no server)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema
from ddbtui.core.writes import (
    Change,
    JournalRecord,
    WritePolicy,
    delete_request,
    diff_items,
    edit_request,
    parse_item,
    parse_key,
    put_request,
    rekey_transaction,
    transact_requests,
    transition_request,
    update_request,
)

SCHEMA = TableSchema(
    name="Orders",
    key=KeySchema("pk", "sk"),
    attribute_types={"pk": "S", "sk": "S", "status": "S"},
    gsis=(IndexSchema("ByStatus", "gsi", KeySchema("status")),),
)
KEY = {"pk": {"S": "A"}, "sk": {"S": "1"}}
ITEM = {**KEY, "n": {"N": "1"}, "status": {"S": "OPEN"}, "tags": {"SS": ["a", "b"]}}


# --- policy -------------------------------------------------------------------------------------------


def test_policy_is_read_only_by_default_and_says_how_to_enable():
    policy = WritePolicy.from_flag(None)
    assert policy.label == "READ-ONLY" and not policy.allows("Orders")
    with pytest.raises(UsageError, match="--allow-writes.*--allow-writes=Orders"):
        policy.check("Orders")


@pytest.mark.parametrize("flag", [True, "*", ""])
def test_bare_allow_writes_allows_every_table(flag):
    policy = WritePolicy.from_flag(flag)
    policy.check("Orders")
    policy.check("Anything")
    assert policy.label == "WRITES ON"


def test_named_tables_restrict_writes():
    policy = WritePolicy.from_flag("Orders, Users")
    policy.check("Orders")
    policy.check("Users")
    with pytest.raises(UsageError, match="names only Orders, Users"):
        policy.check("Music")
    assert policy.label == "WRITES: Orders, Users"


# --- requests -----------------------------------------------------------------------------------------


def test_put_creates_only_by_default_and_asks_for_the_old_image_and_capacity():
    req = put_request(SCHEMA, ITEM)
    assert req.params["ConditionExpression"] == "attribute_not_exists(pk)"
    assert req.params["ReturnValues"] == "ALL_OLD"
    assert req.params["ReturnConsumedCapacity"] == "INDEXES"
    assert req.params["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"
    assert req.key == KEY and req.new_image(None) == ITEM


def test_put_overwrite_drops_the_check_and_a_condition_replaces_it():
    assert "ConditionExpression" not in put_request(SCHEMA, ITEM, overwrite=True).params
    req = put_request(SCHEMA, ITEM, condition="n < 5")
    assert req.params["ConditionExpression"] == "n < :v0"


def test_update_and_delete_need_the_item_to_exist_and_add_the_users_condition():
    req = update_request(
        SCHEMA, KEY, "SET n = n + 1", condition="#s = 'OPEN' OR n > 3", names={"#s": "status"}
    )
    assert req.params["UpdateExpression"] == "SET n = n + :v0"
    assert req.params["ConditionExpression"] == "attribute_exists(pk) AND (#s = :v1 OR n > :v2)"
    assert req.params["ExpressionAttributeNames"] == {"#s": "status"}
    assert "ConditionExpression" not in update_request(SCHEMA, KEY, "SET n = 1", upsert=True).params
    assert delete_request(SCHEMA, KEY).params["ConditionExpression"] == "attribute_exists(pk)"
    assert "ConditionExpression" not in delete_request(SCHEMA, KEY, missing_ok=True).params


def test_update_new_image_is_derived_from_the_old_one():
    req = update_request(SCHEMA, KEY, "SET n = n + 1 ADD tags <<'c'>> REMOVE status")
    assert req.new_image(ITEM) == {**KEY, "n": {"N": "2"}, "tags": {"SS": ["a", "b", "c"]}}
    upsert = update_request(SCHEMA, KEY, "SET n = if_not_exists(n, 0) + 1", upsert=True)
    assert upsert.new_image(None) == {**KEY, "n": {"N": "1"}}


def test_bad_input_is_refused_before_sending():
    with pytest.raises(ExprError, match="update: pk is part of the table's key"):
        update_request(SCHEMA, KEY, "SET pk = 'B'")
    with pytest.raises(ExprError, match="condition: "):
        delete_request(SCHEMA, KEY, condition="n == 1")
    with pytest.raises(UsageError, match="--values :unused"):
        delete_request(SCHEMA, KEY, values={":unused": 1})
    with pytest.raises(UsageError, match="lacks the key attribute sk"):
        put_request(SCHEMA, {"pk": {"S": "A"}})
    with pytest.raises(UsageError, match="sk is of type S"):
        put_request(SCHEMA, {"pk": {"S": "A"}, "sk": {"N": "1"}})
    with pytest.raises(UsageError, match="400 KB"):
        put_request(SCHEMA, {**KEY, "big": {"S": "x" * 410_000}})


def test_items_and_keys_from_plain_json_and_ddb_json():
    assert parse_item('{"pk": "A", "n": 1.50, "big": 12345678901234567890123456789012345678}') == {
        "pk": {"S": "A"},
        "n": {"N": "1.50"},
        "big": {"N": "12345678901234567890123456789012345678"},
    }
    item = parse_item(
        '{"pk": {"S": "A"}, "s": {"SS": ["x"]}, "b": {"B": "AQI="}, "n": {"N": 5}}', ddb_json=True
    )
    assert item == {"pk": {"S": "A"}, "s": {"SS": ["x"]}, "b": {"B": b"\x01\x02"}, "n": {"N": "5"}}
    assert parse_key('{"pk": "A", "sk": "1"}', SCHEMA) == KEY
    with pytest.raises(UsageError, match="missing sk"):
        parse_key('{"pk": "A"}', SCHEMA)
    with pytest.raises(UsageError, match="DynamoDB JSON"):
        parse_item('{"pk": "A"}', ddb_json=True)


# --- optimistic locking -------------------------------------------------------------------------------


def test_edit_is_an_update_of_the_differences_conditional_on_the_whole_image_as_read():
    edited = {**ITEM, "n": {"N": "2"}, "note": {"S": "hi"}}
    del edited["tags"]
    req = edit_request(SCHEMA, ITEM, edited)
    p = req.params
    assert req.operation == "update"
    assert p["UpdateExpression"] == "SET n = :v3, note = :v4 REMOVE tags"
    # every attribute read, by value; what the edit adds must still be absent
    assert p["ConditionExpression"] == (
        "attribute_exists(pk) AND n = :v0 AND tags = :v1 AND #status = :v2 AND attribute_not_exists(note)"
    )
    assert p["ExpressionAttributeValues"][":v1"] == {"SS": ["a", "b"]}
    assert not req.precheck
    assert req.new_image(ITEM) == edited
    # an attribute someone else added meanwhile is kept, not dropped
    assert req.new_image({**ITEM, "other": {"S": "theirs"}}) == {**edited, "other": {"S": "theirs"}}


def test_edit_cannot_change_the_key_and_says_to_rekey():
    with pytest.raises(UsageError, match="cannot change the key.*in one transaction"):
        edit_request(SCHEMA, ITEM, {**ITEM, "sk": {"S": "2"}})


def test_an_unchanged_edit_is_refused():
    with pytest.raises(UsageError, match="nothing changed"):
        edit_request(SCHEMA, ITEM, {**ITEM, "n": {"N": "1.0"}, "tags": {"SS": ["b", "a"]}})


def test_edit_with_a_version_attribute_checks_and_bumps_it():
    read = {**ITEM, "version": {"N": "7"}}
    req = edit_request(SCHEMA, read, {**read, "n": {"N": "2"}}, version_attribute="version")
    assert req.params["ConditionExpression"] == "attribute_exists(pk) AND version = :v0"
    assert req.params["ExpressionAttributeValues"][":v0"] == {"N": "7"}
    assert req.new_image(read)["version"] == {"N": "8"}
    first = edit_request(SCHEMA, ITEM, {**ITEM, "n": {"N": "2"}}, version_attribute="version")
    assert "attribute_not_exists(version)" in first.params["ConditionExpression"]
    assert first.new_image(ITEM)["version"] == {"N": "1"}


def test_an_image_too_large_for_one_condition_falls_back_to_a_precheck():
    read = {**KEY, **{f"attribute_{i:03d}": {"N": str(i)} for i in range(400)}}
    edited = {**read, "attribute_399": {"N": "0"}}
    req = edit_request(SCHEMA, read, edited)
    cond = req.params["ConditionExpression"]
    assert req.precheck and req.warnings
    assert "attribute_399 = " in cond  # what the edit replaces is always in the condition
    assert len(cond.encode()) <= 4096 and cond.count(" AND ") + cond.count("=") + cond.count("(") <= 300


def test_too_many_changes_for_one_condition_are_refused():
    read = {**KEY, **{f"a{i}": {"N": "1"} for i in range(200)}}
    with pytest.raises(UsageError, match="more than one DynamoDB condition can check"):
        edit_request(SCHEMA, read, {**KEY, **{f"a{i}": {"N": "2"} for i in range(200)}})


def test_transitions_to_and_from_no_item():
    create = transition_request(SCHEMA, None, ITEM)
    assert create.operation == "put" and create.params["ConditionExpression"] == "attribute_not_exists(pk)"
    remove = transition_request(SCHEMA, ITEM, None)
    assert remove.operation == "delete"
    assert remove.params["ConditionExpression"].startswith("attribute_exists(pk) AND ")


def test_rekey_is_one_transaction_of_a_create_and_a_checked_delete():
    moved = {**ITEM, "sk": {"S": "2"}}
    tx = rekey_transaction(ITEM, moved, SCHEMA)
    put, delete = tx.items
    assert put["Put"]["Item"] == moved and put["Put"]["ConditionExpression"] == "attribute_not_exists(pk)"
    assert delete["Delete"]["Key"] == KEY and "n = :v0" in delete["Delete"]["ConditionExpression"]
    assert all(next(iter(i.values()))["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD" for i in tx.items)
    assert [(op.operation, op.old, op.new) for op in tx.ops] == [("put", None, moved), ("delete", ITEM, None)]
    assert tx.params["ClientRequestToken"]
    with pytest.raises(UsageError, match="key did not change"):
        rekey_transaction(ITEM, {**ITEM, "n": {"N": "5"}}, SCHEMA)


def test_a_transaction_writes_each_item_once():
    with pytest.raises(UsageError, match="appears twice"):
        transact_requests([delete_request(SCHEMA, KEY), delete_request(SCHEMA, KEY)])


# --- diffs and journal --------------------------------------------------------------------------------


def test_diff_compares_as_dynamodb_and_can_go_into_maps():
    old = {**KEY, "n": {"N": "1.0"}, "m": {"M": {"a": {"S": "x"}, "b": {"S": "y"}}}, "gone": {"BOOL": True}}
    new = {**KEY, "n": {"N": "1"}, "m": {"M": {"a": {"S": "x"}, "b": {"S": "z"}}}, "new": {"NULL": True}}
    assert diff_items(old, new) == [
        Change(("m",), "changed", old["m"], new["m"]),
        Change(("gone",), "removed", {"BOOL": True}, None),
        Change(("new",), "added", None, {"NULL": True}),
    ]
    assert [c.label for c in diff_items(old, new, deep=True)] == ["m.b", "gone", "new"]
    assert [c.kind for c in diff_items(None, KEY)] == ["added", "added"]


def test_journal_records_round_trip_through_one_json_line():
    old = {**KEY, "b": {"B": b"\x00\xff"}, "bs": {"BS": [b"\x01"]}, "n": {"N": "1.50"}, "ns": {"NS": ["1"]}}
    req = put_request(SCHEMA, old, overwrite=True)
    rec = JournalRecord("Orders", KEY, "put", old, None, req.params, "http://127.0.0.1:1", "us-east-1")
    line = rec.to_line()
    assert line.endswith("\n") and "\n" not in line[:-1]
    raw = json.loads(line)
    assert raw["old"]["b"] == {"B": "AP8="} and raw["request"]["Item"]["bs"] == {"BS": ["AQ=="]}
    assert set(raw) >= {"time", "table", "key", "operation", "old", "new", "request"}
    back = JournalRecord.from_line(line)
    assert back == rec and back.old["n"] == {"N": "1.50"} and back.group == rec.id
    assert Decimal(back.old["n"]["N"]) == Decimal("1.5")
