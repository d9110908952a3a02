"""The journal holds what DynamoDB stored (issue #19, defect 1): the new image of an UpdateItem is the
server's (``ReturnValues=ALL_NEW``), the old image is exact too (the attributes the update touches are read
and pinned by the condition, the others come from the new image), and undo takes every update back.

The updates are the developer guide's (UpdateExpression, "SET — modifying or adding item attributes",
"REMOVE", "ADD", "DELETE"), run on both engines; the local evaluator (``apply_update``, previews only) is
checked against DynamoDB Local on the same cases.
"""

from __future__ import annotations

import pytest

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import Journal, execute, undo_last
from ddbtui.core.errors import ExprError
from ddbtui.core.expr.update import apply_update, parse_update
from ddbtui.core.values import to_av
from ddbtui.core.writes import (
    WriteConflict,
    WritePolicy,
    delete_request,
    items_equal,
    put_request,
    update_request,
)
from tests.conftest import create_table

ALLOW = WritePolicy.from_flag(True)

ORIGINAL = {
    "pk": "A",
    "sk": "1",
    "Price": 500,
    "RelatedItems": ["Hammer", "Nails"],
    "ProductReviews": {"FiveStar": ["Excellent"], "OneStar": ["Terrible"]},
    "Tags": {"__set__": ["a", "b", "c"]},
    "Other": "kept",
}

# (update expression, source in the developer guide or why it is here)
UPDATES = [
    ("SET Price = Price - 5", "guide: SET, incrementing and decrementing numeric attributes"),
    ("SET RelatedItems[1] = 'Screws'", "guide: SET, modifying an element of a list"),
    (
        "SET RelatedItems[5] = 'Wrench', RelatedItems[3] = 'Pliers'",
        "guide: SET, adding elements past the end",
    ),
    ("SET RelatedItems[3] = 'Pliers', RelatedItems[5] = 'Wrench'", "same, written in index order"),
    ("SET RelatedItems[9] = 'W', RelatedItems[1] = 'P', RelatedItems[4] = 'X'", "past the end, mixed"),
    ("SET RelatedItems[7] = 'W' REMOVE RelatedItems[0]", "past the end, then REMOVE on the old list"),
    ("SET ProductReviews.FiveStar[0] = 'Great'", "guide: SET, nested map attributes"),
    ("SET ProductReviews.ThreeStar = ['OK']", "guide: SET, adding a nested map attribute"),
    ("SET RelatedItems = list_append(RelatedItems, ['Screwdriver'])", "guide: SET, list_append"),
    ("SET RelatedItems = list_append(['Chisel'], RelatedItems)", "guide: list_append at the front"),
    ("SET Price = if_not_exists(Price, 100), Fresh = if_not_exists(Fresh, 1)", "guide: if_not_exists"),
    ("REMOVE RelatedItems[0], ProductReviews.OneStar", "guide: REMOVE, list elements and map keys"),
    ("ADD Tags <<'d', 'a'>>, Price 1", "guide: ADD to a set and a number"),
    ("DELETE Tags <<'a', 'b', 'c'>>", "guide: DELETE every element: the attribute goes"),
    ("SET #o = :v REMOVE Missing", "placeholders; REMOVE of an absent attribute"),
]


def item_av(plain):
    out = {}
    for name, value in plain.items():
        if isinstance(value, dict) and "__set__" in value:
            out[name] = {"SS": value["__set__"]}
        else:
            out[name] = to_av(value)
    return out


@pytest.fixture
def table(any_client, table_name):
    create_table(any_client, table_name)
    return load_schema(any_client, table_name)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "data" / "journal.jsonl")


def key():
    return {"pk": {"S": "A"}, "sk": {"S": "1"}}


def stored(client, schema):
    return client.get_item(TableName=schema.name, Key=key(), ConsistentRead=True).get("Item")


def update(text):
    names = {"#o": "Other"} if "#o" in text else None
    values = {":v": "changed"} if ":v" in text else None
    return text, names, values


@pytest.mark.parametrize(("text", "source"), UPDATES, ids=[u[0] for u in UPDATES])
def test_the_journal_holds_what_dynamodb_stored_and_undo_restores_the_item(
    any_client, table, journal, text, source
):
    original = item_av(ORIGINAL)
    any_client.put_item(TableName=table.name, Item=original)
    text, names, values = update(text)
    result = execute(
        any_client,
        update_request(table, key(), text, names=names, values=values),
        table,
        policy=ALLOW,
        journal=journal,
    )
    now = stored(any_client, table)
    assert items_equal(result.new, now), (source, result.new, now)
    assert items_equal(result.old, original), source
    (record,) = journal.records()
    assert items_equal(record.new, now) and items_equal(record.old, original)
    undone = undo_last(any_client, journal, policy=ALLOW)
    assert undone.ok, [str(e) for _, e in undone.conflicts]
    assert items_equal(stored(any_client, table), original)


def test_undo_after_setting_list_elements_past_the_end(request, any_client, table, journal):
    # Issue #19's case, word for word: DynamoDB stores [Hammer, Nails, Pliers, Wrench].
    any_client.put_item(
        TableName=table.name, Item=item_av({"pk": "A", "sk": "1", "RelatedItems": ["Hammer", "Nails"]})
    )
    text = "SET RelatedItems[5] = 'Wrench', RelatedItems[3] = 'Pliers'"
    result = execute(any_client, update_request(table, key(), text), table, policy=ALLOW, journal=journal)
    assert items_equal(result.new, stored(any_client, table))
    if request.node.callspec.params["any_client"] == "ddblocal":
        # moto appends in the order written ([Hammer, Nails, Wrench, Pliers]); the journal follows the server
        assert result.new["RelatedItems"] == to_av(["Hammer", "Nails", "Pliers", "Wrench"])
    assert undo_last(any_client, journal, policy=ALLOW).ok
    assert stored(any_client, table)["RelatedItems"] == to_av(["Hammer", "Nails"])


def test_an_upsert_of_a_missing_item_journals_no_old_image_and_undo_deletes_it(any_client, table, journal):
    result = execute(
        any_client,
        update_request(table, key(), "SET n = 1", upsert=True),
        table,
        policy=ALLOW,
        journal=journal,
    )
    assert result.old is None and items_equal(result.new, stored(any_client, table))
    assert undo_last(any_client, journal, policy=ALLOW).ok
    assert stored(any_client, table) is None


class _Meddler:
    """A client that lets another user write just before the first UpdateItem goes out."""

    def __init__(self, client, meddle):
        self._client, self._meddle, self.updates = client, meddle, 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def update_item(self, **params):
        self.updates += 1
        if self.updates == 1:
            self._meddle()
        return self._client.update_item(**params)


def test_a_change_to_another_attribute_just_before_the_update_is_in_the_old_image(any_client, table, journal):
    any_client.put_item(TableName=table.name, Item=item_av({"pk": "A", "sk": "1", "n": 1, "other": "before"}))
    other = make_client(Connection(endpoint_url=any_client.meta.endpoint_url, region="us-east-1"))

    def meddle():
        other.update_item(TableName=table.name, Key=key(), UpdateExpression="SET #o = :o",
                          ExpressionAttributeNames={"#o": "other"}, ExpressionAttributeValues={":o": {"S": "theirs"}})  # fmt: skip

    client = _Meddler(any_client, meddle)
    result = execute(
        client, update_request(table, key(), "SET n = n + 1"), table, policy=ALLOW, journal=journal
    )
    # the old image is the item just before this write, their change included; undo keeps their change
    assert result.old["other"] == {"S": "theirs"} and result.old["n"] == {"N": "1"}
    assert items_equal(result.new, stored(any_client, table))
    assert undo_last(client, journal, policy=ALLOW).ok
    assert items_equal(stored(any_client, table), item_av({"pk": "A", "sk": "1", "n": 1, "other": "theirs"}))


def test_a_change_to_the_updated_attribute_just_before_the_update_is_retried_not_lost(
    any_client, table, journal
):
    any_client.put_item(TableName=table.name, Item=item_av({"pk": "A", "sk": "1", "n": 1}))
    other = make_client(Connection(endpoint_url=any_client.meta.endpoint_url, region="us-east-1"))

    def meddle():
        other.update_item(TableName=table.name, Key=key(), UpdateExpression="SET n = :n",
                          ExpressionAttributeValues={":n": {"N": "10"}})  # fmt: skip

    client = _Meddler(any_client, meddle)
    result = execute(
        client, update_request(table, key(), "SET n = n + 1"), table, policy=ALLOW, journal=journal
    )
    assert result.old["n"] == {"N": "10"} and result.new["n"] == {"N": "11"}
    assert stored(any_client, table)["n"] == {"N": "11"}
    assert undo_last(client, journal, policy=ALLOW).ok
    assert stored(any_client, table)["n"] == {"N": "10"}


def test_a_failing_user_condition_is_a_conflict_with_the_item_as_it_is(any_client, table, journal):
    any_client.put_item(TableName=table.name, Item=item_av({"pk": "A", "sk": "1", "n": 1}))
    with pytest.raises(WriteConflict) as e:
        execute(any_client, update_request(table, key(), "SET n = 2", condition="n = 5"), table,
                policy=ALLOW, journal=journal)  # fmt: skip
    assert e.value.current == item_av({"pk": "A", "sk": "1", "n": 1})
    with pytest.raises(WriteConflict) as e:
        execute(any_client, update_request(table, {"pk": {"S": "B"}, "sk": {"S": "1"}}, "SET n = 2"), table,
                policy=ALLOW, journal=journal)  # fmt: skip
    assert e.value.current is None and "no item with this key" in str(e.value)
    assert journal.records() == []


@pytest.mark.parametrize("make", ["put", "update", "delete"])
@pytest.mark.parametrize("text", ["", "  "])
def test_an_empty_condition_is_refused_like_dynamodb_does(any_client, table, make, text):
    # DynamoDB: "Invalid ConditionExpression: The expression can not be empty" (measured on DynamoDB Local)
    with pytest.raises(ExprError, match="empty"):
        if make == "put":
            put_request(table, item_av({"pk": "A", "sk": "1"}), condition=text)
        elif make == "update":
            update_request(table, key(), "SET n = 1", condition=text)
        else:
            delete_request(table, key(), condition=text)


@pytest.mark.ddblocal
@pytest.mark.parametrize(("text", "source"), UPDATES, ids=[u[0] for u in UPDATES])
def test_the_preview_evaluator_agrees_with_dynamodb_local(ddblocal_client, table_name, text, source):
    create_table(ddblocal_client, table_name)
    schema = load_schema(ddblocal_client, table_name)
    original = item_av(ORIGINAL)
    ddblocal_client.put_item(TableName=table_name, Item=original)
    text, names, values = update(text)
    request = update_request(schema, key(), text, names=names, values=values)
    ddblocal_client.update_item(**request.params)
    preview = apply_update(original, parse_update(text), request.placeholders, text)
    assert items_equal(preview, stored(ddblocal_client, schema)), source
