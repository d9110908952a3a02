"""The pinned UpdateItem (issue #19, defect 1): what is sent, and the old image made from the server's new
one and the read (``ddbtui.core.writes.images``; end to end in tests/aws/test_write_images.py)."""

from __future__ import annotations

from ddbtui.core.expr.parser import parse_condition
from ddbtui.core.schema import KeySchema, TableSchema
from ddbtui.core.writes import update_request
from ddbtui.core.writes.images import _group, old_image, pinned_params, pins_hold

SCHEMA = TableSchema(name="T", key=KeySchema("pk"), attribute_types={"pk": "S"})
KEY = {"pk": {"S": "a"}}
READ = {**KEY, "n": {"N": "1"}, "m": {"M": {"x": {"N": "1"}}}, "other": {"S": "o"}}


def test_the_update_asks_for_the_new_image_and_names_the_attributes_it_writes():
    req = update_request(SCHEMA, KEY, "SET n = n + 1, m.x = 2, #s = 'x' REMOVE gone", names={"#s": "status"})
    assert req.params["ReturnValues"] == "ALL_NEW"
    assert req.touched == ("n", "m", "status", "gone")


def test_the_pins_are_the_written_attributes_as_read_next_to_the_users_condition():
    req = update_request(SCHEMA, KEY, "SET n = n + 1 REMOVE gone", condition="other = 'o' OR n > 0")
    params = pinned_params(req, READ, "pk")
    assert params["ConditionExpression"] == (
        "(attribute_exists(pk) AND (#other = :v1 OR n > :v2)) AND #pin0 = :pin0 AND attribute_not_exists(#pin1)"
    )
    assert params["ExpressionAttributeNames"] == {"#other": "other", "#pin0": "n", "#pin1": "gone"}
    assert params["ExpressionAttributeValues"][":pin0"] == {"N": "1"}
    assert params["ReturnValues"] == "ALL_NEW" and params["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"
    assert (
        req.params["ConditionExpression"] == "attribute_exists(pk) AND (#other = :v1 OR n > :v2)"
    )  # untouched
    parse_condition(params["ConditionExpression"])  # no redundant parentheses: DynamoDB takes it


def test_pin_placeholders_never_take_the_users_names():
    req = update_request(
        SCHEMA, KEY, "SET #pin0 = :pin0", names={"#pin0": "n"}, values={":pin0": 5}, upsert=True
    )
    params = pinned_params(req, READ, "pk")
    assert params["ConditionExpression"] == "#pin1 = :pin1"
    assert params["ExpressionAttributeNames"] == {"#pin0": "n", "#pin1": "n"}
    assert params["ExpressionAttributeValues"] == {":pin0": {"N": "5"}, ":pin1": {"N": "1"}}


def test_no_item_yet_is_pinned_as_no_item():
    req = update_request(SCHEMA, KEY, "SET n = 1", upsert=True)
    params = pinned_params(req, None, "pk")
    assert params["ConditionExpression"] == "attribute_not_exists(#pin0)"
    assert params["ExpressionAttributeNames"] == {"#pin0": "pk"}


def test_one_pair_around_the_whole_condition_is_not_doubled():
    assert _group("a = :v") == "(a = :v)"
    assert _group("(a = :v OR b = :w)") == "(a = :v OR b = :w)"
    assert _group("(a = :v) AND (b = :w)") == "((a = :v) AND (b = :w))"
    assert _group("attribute_exists(pk)") == "(attribute_exists(pk))"


def test_the_old_image_is_the_new_one_with_the_written_attributes_as_read():
    req = update_request(SCHEMA, KEY, "SET n = n + 1, fresh = 1 REMOVE other")
    new = {**KEY, "n": {"N": "2"}, "fresh": {"N": "1"}, "m": {"M": {"x": {"N": "9"}}}}  # m changed by someone
    assert old_image(req, READ, new) == {
        **KEY,
        "n": {"N": "1"},
        "m": {"M": {"x": {"N": "9"}}},
        "other": {"S": "o"},
    }
    assert old_image(req, None, new) is None


def test_a_failed_check_is_a_conflict_only_when_the_pins_still_hold():
    req = update_request(SCHEMA, KEY, "SET n = 5", condition="other = 'x'")
    assert pins_hold(req, READ, {**READ, "m": {"NULL": True}})  # only an unwritten attribute differs
    assert not pins_hold(req, READ, {**READ, "n": {"N": "2"}})
    assert not pins_hold(req, READ, None) and not pins_hold(req, None, READ) and pins_hold(req, None, None)
