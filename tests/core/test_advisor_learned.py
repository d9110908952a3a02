"""Candidates learned from a sample (``core.advisor.learned``) and the advice given with one: composite and
entity-prefixed sort keys, overloaded keys, write shards, hot keys, whole items through an LSI, and the
estimate of each suggested Query from the sampled key range.

Sizes are worked out by hand (DESIGN §5: attribute-name bytes + value bytes; 0.5 RCU per 4 KB read).
"""

from __future__ import annotations

from ddbtui.core.advisor import Suggestion, TableSample, advise
from ddbtui.core.advisor.analysis import analysis
from ddbtui.core.advisor.candidates import candidate
from ddbtui.core.advisor.learned import learned_candidates
from ddbtui.core.explain import explain
from ddbtui.core.expr import to_source
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema


def S(v: str) -> dict:
    return {"S": v}


def _ks(pk: str, sk: str | None) -> list[dict]:
    return [{"AttributeName": pk, "KeyType": "HASH"}] + (
        [{"AttributeName": sk, "KeyType": "RANGE"}] if sk else []
    )


def table(name, pk="pk", sk="sk", types=None, gsis=(), lsis=(), items=1000, size=2_000_000) -> TableSchema:
    types = {pk: "S", **({sk: "S"} if sk else {}), **(types or {})}
    return TableSchema.from_describe(
        {
            "TableName": name,
            "KeySchema": _ks(pk, sk),
            "AttributeDefinitions": [{"AttributeName": k, "AttributeType": v} for k, v in types.items()],
            "GlobalSecondaryIndexes": [
                {"IndexName": n, "KeySchema": _ks(p, s), "Projection": {"ProjectionType": proj}}
                for n, p, s, proj in gsis
            ],
            "LocalSecondaryIndexes": [
                {"IndexName": n, "KeySchema": _ks(p, s), "Projection": {"ProjectionType": proj}}
                for n, p, s, proj in lsis
            ],
            "ItemCount": items,
            "TableSizeBytes": size,
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        }
    )


def whole(items: list[dict]) -> TableSample:
    return TableSample(tuple(items), len(items), True)


def top(out: list[Suggestion]) -> Suggestion:
    assert out, "no suggestion"
    return out[0]


# ---- an order partition holding invoices and products (entity prefixes) ---------------------------------
# each item 1,030 bytes: pk 2+3, sk 2+5, EntityType 10+7, d 1+1000

SHOP = table("Shop", items=12, size=12 * 1030)
SHOP_ITEMS = [
    {"pk": S("o#1"), "sk": S(f"{p}#{100 + i}"), "EntityType": S(kind), "d": S("x" * 1000)}
    for i in range(6)
    for p, kind in (("i", "invoice"), ("p", "product"))
]


def test_a_filter_on_the_entity_type_becomes_a_prefix_of_the_sort_key():
    req = ReadRequest("query", "Shop", key="pk = 'o#1'", filter="EntityType = 'invoice'")
    a = analysis(req, SHOP)
    base = candidate(a.conjuncts, SHOP.table_index, SHOP, a.reads, a.needed, a.projection)
    assert base is not None and base.sort is None
    (cand,) = learned_candidates(a, SHOP, whole(SHOP_ITEMS), [base])
    assert to_source(cand.key_node()) == "pk = 'o#1' AND begins_with(sk, 'i#')"
    assert [to_source(c) for c in cand.rest] == ["EntityType = 'invoice'"]  # the filter stays whole
    assert (
        cand.learned
        == "every item like these has sk part 1 = 'i'; from a sample of 12 items (the whole table)"
    )
    s = top(advise(req, SHOP, sample=whole(SHOP_ITEMS)))
    assert (s.kind, s.key_condition, s.filter) == (
        "use-query",
        "pk = 'o#1' AND begins_with(sk, 'i#')",
        "EntityType = 'invoice'",
    )
    # 6 invoices x 1,030 = 6,180 bytes: 2 blocks, 1.0 RCU; the whole partition (12,360 bytes, 4 blocks) 2.0
    assert s.estimated_rcu == 1.0
    assert s.reason.startswith(
        "the keys of the table follow a template (every item like these has sk part 1 = 'i'; from a sample "
        "of 12 items (the whole table)), so the conditions imply the key condition pk = 'o#1' AND "
        "begins_with(sk, 'i#') and a Query reads only that range. The filter stays whole"
    )
    assert s.reason.endswith("About 2× fewer read units: ~1 RCU instead of ~2.")
    built = build(s.apply(req), SHOP)
    assert built.params["KeyConditionExpression"]


def test_explain_estimates_the_query_as_it_stands_from_the_sample():
    req = ReadRequest("query", "Shop", key="pk = 'o#1'", filter="EntityType = 'invoice'")
    plan = explain(req, SHOP, sample=whole(SHOP_ITEMS))
    assert plan.estimated_rcu == 2.0
    assert "the whole Query (estimated from a sample of 12 items (the whole table)) ~2 RCU" in plan.cost
    assert explain(req, SHOP).estimated_rcu is None  # without a sample: known once it runs


def test_a_learned_condition_that_narrows_nothing_is_not_suggested():
    only_invoices = [i for i in SHOP_ITEMS if i["EntityType"]["S"] == "invoice"]
    req = ReadRequest("query", "Shop", key="pk = 'o#1'", filter="EntityType = 'invoice'")
    a = analysis(req, SHOP)
    base = candidate(a.conjuncts, SHOP.table_index, SHOP, a.reads, a.needed, a.projection)
    assert learned_candidates(a, SHOP, whole(only_invoices), [base]) == []


def test_without_a_sample_nothing_is_learned():
    req = ReadRequest("query", "Shop", key="pk = 'o#1'", filter="EntityType = 'invoice'")
    a = analysis(req, SHOP)
    base = candidate(a.conjuncts, SHOP.table_index, SHOP, a.reads, a.needed, a.projection)
    assert learned_candidates(a, SHOP, None, [base]) == []
    assert [s.kind for s in advise(req, SHOP) if s.actionable] == []


# ---- an overloaded GSI whose partition key repeats an attribute ----------------------------------------

ORDERS = table("Orders", gsis=[("GSI1", "GSI1PK", None, "ALL")], items=6, size=600)
ORDER_ITEMS = [
    {"pk": S(f"o#{i}"), "sk": S("meta"), "GSI1PK": S(f"c#{i % 3}"), "customer": S(f"c#{i % 3}")}
    for i in range(6)
]


def test_an_overloaded_key_serves_a_filter_on_the_attribute_it_repeats():
    s = top(
        advise(ReadRequest("scan", "Orders", filter="customer = 'c#2'"), ORDERS, sample=whole(ORDER_ITEMS))
    )
    assert (s.kind, s.index, s.key_condition, s.filter) == (
        "use-query",
        "GSI1",
        "GSI1PK = 'c#2'",
        "customer = 'c#2'",
    )
    assert "GSI1PK holds the value of customer" in s.reason
    assert s.estimated_rcu == 0.5


# ---- write shards ----------------------------------------------------------------------------------------

SHARDS = table("Orders2", items=20, size=2_000_000)
SHARD_ITEMS = [
    {"pk": S(f"2014-07-0{d}.{s}"), "sk": S(f"O-{d}{s}"), "Day": S(f"2014-07-0{d}"), "OrderId": S(f"O-{d}{s}")}
    for d in (1, 2)
    for s in range(1, 11)
]


def test_a_sharded_day_is_ten_parallel_queries():
    req = ReadRequest("scan", "Orders2", filter="Day = '2014-07-02'")
    s = top(advise(req, SHARDS, sample=whole(SHARD_ITEMS)))
    assert s.kind == "use-parallel-queries"
    assert s.key_conditions == tuple(f"pk = '2014-07-02.{n}'" for n in range(1, 11))
    assert s.filter == "Day = '2014-07-02'"
    # one item of under 50 bytes per shard: 10 Queries of 0.5 RCU
    assert s.estimated_rcu == 5.0
    assert (
        "is spread over 10 partitions (part 1 of pk is Day; its last part takes 10 values (1..10)" in s.reason
    )
    assert s.to_json()["key_conditions"] == list(s.key_conditions)
    assert s.statement == (
        'SELECT * FROM "Orders2" WHERE "pk" IN ['
        + ", ".join(f"'2014-07-02.{n}'" for n in range(1, 11))
        + "] AND \"Day\" = '2014-07-02'"
    )


def test_a_calculated_shard_with_a_known_sort_key_reads_one_key_per_shard():
    req = ReadRequest("scan", "Orders2", filter="OrderId = 'O-13' AND Day = '2014-07-01'")
    s = top(advise(req, SHARDS, sample=whole(SHARD_ITEMS)))
    assert s.kind == "use-parallel-queries"
    assert s.key_conditions[2] == "pk = '2014-07-01.3' AND sk = 'O-13'"
    assert len(s.key_conditions) == 10
    assert s.estimated_rcu == 0.5  # the whole table is sampled: only one of the ten keys holds an item


# ---- hot keys ----------------------------------------------------------------------------------------------

TICKETS = table("Tickets", sk=None, items=40, size=4000)
TICKET_ITEMS = [
    {"pk": S(f"t{i}"), "severity": S(f"P{i % 3 + 1}"), "state": S(["open", "shut", "held", "new"][i % 4])}
    for i in range(40)
]


def test_no_gsi_on_a_low_cardinality_key_and_no_false_nothing_to_do():
    req = ReadRequest("scan", "Tickets", filter="severity = 'P1' AND state = 'open'")
    out = advise(req, TICKETS, sample=whole(TICKET_ITEMS))
    assert "create-gsi" not in [s.kind for s in out]
    (s,) = [s for s in out if s.kind == "no-better-request"]
    assert not s.actionable
    # P1: i % 3 == 0; open: i % 4 == 0; both: i % 12 == 0, 4 of the 40 items
    assert s.reason.startswith(
        "This Scan reads ~10× what it returns (4 of 40 sampled items read match), from a sample of 40 items "
        "(the whole table); no index serves this filter"
    )
    assert (
        "A GSI keyed on severity or state would be a hot partition: severity has only 3 distinct values"
        in s.reason
    )
    assert "like severity#3" in s.reason
    # without a sample the old proposal stands (nothing tells the key is hot)
    assert "create-gsi" in [s.kind for s in advise(req, TICKETS)]


def test_a_high_cardinality_key_still_gets_a_gsi():
    req = ReadRequest("scan", "Tickets", filter="pk2 = 'x'")
    items = [{"pk": S(f"t{i}"), "pk2": S(f"v{i}")} for i in range(40)]
    assert "create-gsi" in [s.kind for s in advise(req, TICKETS, sample=whole(items))]


# ---- whole items through an LSI ----------------------------------------------------------------------------

FORUM = table("Forum", types={"ts": "S"}, lsis=[("ByTs", "pk", "ts", "KEYS_ONLY")], items=20, size=60_500)
# each item 3,025 bytes: pk 2+2, sk 2+3, ts 2+7, body 4+3000, by 2+1; its KEYS_ONLY entry 18 (pk, sk, ts)
FORUM_ITEMS = [
    {"pk": S("S3"), "sk": S(f"s{i:02d}"), "ts": S(f"2015-{i:02d}"), "body": S("x" * 3000), "by": S("u")}
    for i in range(20)
]


def test_an_lsi_query_for_whole_items_names_every_attribute():
    req = ReadRequest("scan", "Forum", filter="pk = 'S3' AND ts > '2015-17'")
    s = top(advise(req, FORUM, sample=whole(FORUM_ITEMS)))
    assert (s.kind, s.index, s.key_condition) == ("use-query", "ByTs", "pk = 'S3' AND ts > '2015-17'")
    assert s.projection == "body, by, pk, sk, ts"
    assert "DynamoDB fetches them from the table" in s.reason
    assert s.to_json()["projection"] == "body, by, pk, sk, ts"
    # two entries (36 bytes) in one block, 0.5, and each item fetched in its own block, 2 x 0.5; the
    # table's partition would read 20 x 3,025 = 60,500 bytes, 15 blocks, 7.5 RCU
    assert s.estimated_rcu == 1.5
    # so a Query of the table's partition reads as much as the Scan (the table is that partition): not
    # suggested
    assert [x.index for x in advise(req, FORUM, sample=whole(FORUM_ITEMS)) if x.actionable] == ["ByTs"]


def test_without_the_whole_table_an_lsi_query_makes_no_fetch_claim():
    req = ReadRequest("scan", "Forum", filter="pk = 'S3' AND ts > '2015-17'")
    part = TableSample(tuple(FORUM_ITEMS), 3000)
    for s in advise(req, FORUM, sample=part) + advise(req, FORUM):
        if s.index == "ByTs":
            assert s.projection is None
            assert (
                "DynamoDB fetches the other attributes from the table only for a Query that names them"
                in s.reason
            )
            assert "not for this one" in s.reason


# ---- a GSI that lacks attributes loses to one that has them ----------------------------------------------

PAYMENTS = table(
    "Pay",
    gsis=[("ByReminder", "remind", None, "KEYS_ONLY"), ("ByDue", "due", None, "ALL")],
    items=6,
    size=600,
)
PAY_ITEMS = [
    {"pk": S(f"a{i}"), "sk": S("sub"), "due": S(f"d{i % 2}"), "remind": S(f"r{i % 2}"), "amount": S("9")}
    for i in range(6)
]


def test_a_learned_index_that_lacks_attributes_loses_to_the_direct_one():
    req = ReadRequest("scan", "Pay", filter="due = 'd1'", projection="pk, amount")
    s = top(advise(req, PAYMENTS, sample=whole(PAY_ITEMS)))
    assert (s.kind, s.index, s.key_condition) == ("use-query", "ByDue", "due = 'd1'")
    assert all(x.index != "ByReminder" for x in advise(req, PAYMENTS, sample=whole(PAY_ITEMS)))


def test_suggestion_json_keeps_the_design_fields_first():
    big = table("Shop", items=2000, size=2_000_000)  # the sample: 12 of them
    s = top(advise(ReadRequest("scan", "Shop", filter="pk = 'o#1'"), big, sample=whole(SHOP_ITEMS)))
    assert list(s.to_json()) == ["kind", "index", "key_condition", "filter", "reason", "estimated_rcu"]
    assert s.estimated_rcu == 2.0  # the whole partition: 12,360 bytes, 4 blocks
