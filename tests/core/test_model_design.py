"""`ddbtui model design` (#16) on published models: each fixture under tests/model_fixtures/ is written from
an AWS page (cited in the file) and each test asserts the documented design's keys and indexes, or the
documented equivalent in generic keys: ddbtui writes ``pk``/``sk`` holding ``TAG#{attribute}`` where the
page names the attribute itself, so the assertions are on the attributes each key is made of."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddbtui.core.model import load_model
from ddbtui.core.model.design import design

FIXTURES = Path(__file__).resolve().parent.parent / "model_fixtures"


def designed(name: str):
    return design(load_model((FIXTURES / name).read_text(encoding="utf-8"), name))


def served(d, pattern: str):
    return next(s for s in d.served if s.pattern == pattern)


def test_gamescores_gets_the_table_key_and_the_game_title_index():
    d = designed("gamescores.toml")
    base = d.base.layouts["score"]
    # documented: UserId partition, GameTitle sort
    assert (base.pk_fields, base.sk_fields) == (["UserId"], ["GameTitle"])
    # documented: GameTitleIndex, GameTitle partition + TopScore sort
    (g,) = d.gsis
    gl = g.layouts["score"]
    assert gl.pk_fields == ["GameTitle"] and gl.sk_fields[0] == "TopScore"
    assert (g.projection, g.include) == ("INCLUDE", ["TopScore", "UserId"])
    top = served(d, "the top scores of a game")
    assert (top.index, top.kind) == (g.name, "query")
    assert "zero-pad" in " ".join(top.notes)  # TopScore is a number inside a string key
    assert served(d, "a user's score in one game").kind == "get"
    assert not d.unserved


def test_open_orders_get_a_sparse_index_on_customer_and_is_open():
    d = designed("sparse_orders.toml")
    assert d.base.layouts["order"].pk_fields == ["CustomerId"]
    (g,) = d.gsis
    # documented: an index on CustomerId (partition) + isOpen (sort) holds only open orders
    assert (g.pk_attr, g.sk_attr, g.sparse) == ("CustomerId", "isOpen", "isOpen")
    assert served(d, "the open orders of a customer").index == g.name
    ct = d.create_table()
    assert ct["GlobalSecondaryIndexes"][0]["KeySchema"] == [
        {"AttributeName": "CustomerId", "KeyType": "HASH"},
        {"AttributeName": "isOpen", "KeyType": "RANGE"},
    ]


def test_invoices_and_bills_are_an_adjacency_list_with_an_inverted_index():
    d = designed("adjacency_invoices.toml")
    edge = d.base.layouts["invoice_bill"]
    # documented: the invoice's partition holds an item per bill, the bill id in the sort key
    assert (edge.pk_fields, edge.sk_fields) == (["invoice_id"], ["bill_id"])
    assert d.base.layouts["invoice"].pk_fields == ["invoice_id"]  # the same partition: a collection
    assert d.base.layouts["bill"].pk_fields == ["bill_id"]
    # documented: a GSI on the sort key: partition = the bill, holding the invoices
    (g,) = d.gsis
    inv = g.layouts["invoice_bill"]
    assert (inv.pk_fields, inv.sk_fields) == (["bill_id"], ["invoice_id"])
    assert served(d, "the invoices a bill is on").index == g.name
    assert "item collection" in " ".join(d.reasons)
    assert not d.unserved


def test_a_gaming_profile_is_one_item_collection_without_an_index():
    d = designed("gaming_profile.toml")
    # documented: PK = the user for every item of a player, SK prefixes per kind; no secondary index
    assert {n: lay.pk_fields for n, lay in d.base.layouts.items()} == {
        "player": ["user_id"],
        "friend": ["user_id"],
        "item": ["user_id"],
    }
    assert {lay.tag for lay in d.base.layouts.values()} == {"PLAYER", "FRIEND", "ITEM"}
    assert d.gsis == [] and d.lsis == []
    assert [s.index for s in d.served] == ["table"] * 4
    assert (
        served(d, "getPlayerFriends").key_condition == "pk = 'USER#{user_id}' AND begins_with(sk, 'FRIEND#')"
    )
    assert (
        served(d, "getPlayerSpecificItem").key_condition == "pk = 'USER#{user_id}' AND sk = 'ITEM#{item_id}'"
    )


def test_threads_get_an_lsi_by_last_post_and_a_gsi_by_subject():
    d = designed("forum_threads.toml")
    base = d.base.layouts["thread"]
    assert (base.pk_fields, base.sk_fields) == (["ForumName"], ["Subject"])
    # documented: LSI ForumLastPostedDateIndex = ForumName + LastPostedDateTime
    (lsi,) = d.lsis
    assert lsi.layouts["thread"].sk_fields[0] == "LastPostedDateTime"
    assert served(d, "threads of a forum by their last post").index == lsi.name
    # documented: GSI SubjectLastPostedDateIndex = Subject + LastPostedDateTime
    (g,) = d.gsis
    gl = g.layouts["thread"]
    assert gl.pk_fields == ["Subject"] and gl.sk_fields[0] == "LastPostedDateTime"
    ct = d.create_table()
    assert ct["LocalSecondaryIndexes"][0]["KeySchema"][0] == {"AttributeName": "pk", "KeyType": "HASH"}


def test_stores_get_a_hierarchical_sort_key():
    d = designed("hierarchical_stores.toml")
    base = d.base.layouts["store"]
    # documented: country / state#city#... in one composite sort key, read with begins_with
    assert (base.pk_fields, base.sk_fields) == (["country"], ["state", "city", "store_id"])
    assert d.gsis == []
    assert served(d, "stores of a city").key_condition == (
        "pk = 'COUNTRY#{country}' AND begins_with(sk, 'STORE#{state}#{city}#')"
    )


def test_the_readme_example_is_served_by_key_reads_except_nothing():
    d = designed("readme_example.toml")
    assert not d.unserved, [s.__dict__ for s in d.unserved]
    assert all(s.kind in ("get", "query", "collection") for s in d.served)


def test_a_pattern_that_fixes_nothing_cannot_be_served_and_says_why():
    text = """\
[entities.song]
attributes = ["artist", "title", "plays"]
[[patterns]]
name = "popular songs"
request = "scan Music filter \\"plays > :n\\""
entity = "song"
[[patterns]]
name = "songs of an artist"
request = "query Music key \\"artist = :a\\""
entity = "song"
"""
    d = design(load_model(text, "m.toml"))
    (bad,) = d.unserved
    assert bad.pattern == "popular songs" and bad.kind == "scan"
    assert "fixes no attribute with `=`" in bad.reason
    assert served(d, "songs of an artist").index == "table"
    assert "cannot be served without a Scan" in d.to_text()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.toml")))
def test_every_choice_has_a_reason_and_the_json_is_whole(name):
    d = designed(name)
    for ix in [d.base, *d.lsis, *d.gsis]:
        assert all(lay.reason for lay in ix.layouts.values())
    for g in [*d.lsis, *d.gsis]:
        assert g.reasons
    assert all(s.reason for s in d.served)
    doc = d.to_json()
    assert doc["create_table"]["TableName"] == d.table_name
    assert {a["AttributeName"] for a in doc["create_table"]["AttributeDefinitions"]} >= {"pk", "sk"}
