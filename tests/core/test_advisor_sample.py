"""The advisor's sample (``core.advisor.sample``): labels, conditions evaluated on items, read units of a key
range, distinct values; and the check of a candidate on the sample (``core.advisor.verify``).

Sizes are worked out by hand with DESIGN §5's rule: attribute-name bytes + value bytes.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.advisor import TableSample
from ddbtui.core.advisor.analysis import analysis
from ddbtui.core.advisor.candidates import candidate
from ddbtui.core.advisor.sample import distinct, evaluate, keeps, low_cardinality, query_units, to_literal
from ddbtui.core.advisor.verify import check, confirm
from ddbtui.core.expr import Literal, parse_condition
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import TableSchema


def S(v: str) -> dict:
    return {"S": v}


def N(v: str) -> dict:
    return {"N": v}


def _schema() -> TableSchema:
    return TableSchema.from_describe(
        {
            "TableName": "Logs",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "ts", "AttributeType": "S"},
            ],
            "LocalSecondaryIndexes": [
                {
                    "IndexName": "ByTs",
                    "KeySchema": [
                        {"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": "ts", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
            "ItemCount": 6,
            "TableSizeBytes": 0,
        }
    )


# three 2,009-byte items in partition A: pk 2+1, sk 2+3, d 1+2000
BIG = [{"pk": S("A"), "sk": S(f"o#{i}"), "d": S("x" * 2000)} for i in range(3)]
SMALL = [{"pk": S("B"), "sk": S("o#9"), "ts": S("2024")}]  # pk 3 + sk 5 + ts 2+4 = 14 bytes


def test_labels_and_scale():
    whole = TableSample(tuple(BIG), table_items=3, complete=True)
    assert whole.label() == "from a sample of 3 items (the whole table)"
    assert whole.scale == 1.0
    part = TableSample(tuple(BIG), table_items=9_000)
    assert part.label() == "from a sample of 3 of ~9,000 items"
    assert part.scale == 3_000.0
    assert TableSample(tuple(BIG)).label() == "from a sample of 3 items"
    assert TableSample(tuple(BIG)).scale == 1.0  # the table's size unknown: no scaling


def test_read_text_and_json_say_what_reading_took():
    s = TableSample(tuple(BIG), 3, True, consumed_rcu=1.5, pages=2, method="whole")
    assert s.read_text() == "3 items (the whole table) in 2 Scan pages, 1.5 RCU"
    capped = TableSample(tuple(BIG), 9_000, consumed_rcu=250.0, estimated=True, pages=1, capped=True)
    assert (
        capped.read_text() == "3 items of ~9,000 in 1 Scan page, 250 RCU (est.); stopped at its capacity cap"
    )
    assert s.to_json() == {
        "items": 3,
        "table_items": 3,
        "complete": True,
        "pages": 2,
        "consumed_rcu": 1.5,
        "estimated": False,
        "method": "whole",
        "capped": False,
    }


ITEM = {
    "pk": S("A"),
    "n": N("12"),
    "tags": {"SS": ["red", "blue"]},
    "m": {"M": {"k": S("v")}},
    "l": {"L": [N("1"), S("two")]},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pk = 'A'", True),
        ("pk <> 'A'", False),
        ("n > 11 AND n <= 12", True),
        ("n BETWEEN 1 AND 5", False),
        ("pk IN ('B', 'A')", True),
        ("begins_with(pk, 'A')", True),
        ("begins_with(n, '1')", False),  # begins_with never matches a number
        ("attribute_exists(m.k)", True),
        ("attribute_not_exists(zz)", True),
        ("contains(tags, 'red')", True),
        ("contains(pk, 'Z')", False),
        ("m.k = 'v' AND l[1] = 'two'", True),
        ("size(tags) = 2", True),
        ("NOT (pk = 'A')", False),
        ("n = '12'", False),  # a number is never equal to a string
        ("missing <> 'x'", True),  # <> holds for a missing attribute
        ("missing = 'x'", False),
        ("attribute_type(pk, 'S')", None),  # not modelled: ddbtui cannot tell
        ("attribute_type(pk, 'S') OR pk = 'A'", True),
        ("attribute_type(pk, 'S') AND pk = 'B'", False),
    ],
)
def test_evaluate(text, expected):
    assert evaluate(parse_condition(text), ITEM) is expected


def test_keeps_needs_every_conjunct_surely_true():
    conds = [parse_condition("pk = 'A'"), parse_condition("attribute_type(pk, 'S')")]
    assert not keeps(conds, ITEM)  # unknown is not kept
    assert keeps(conds[:1], ITEM)


def test_to_literal():
    assert to_literal(S("x")) == Literal("x")
    assert to_literal(N("1.50")) == Literal(Decimal("1.50"))
    assert to_literal({"B": b"\x01"}) == Literal(b"\x01")
    assert to_literal({"BOOL": True}) is None
    assert to_literal(N("not a number")) is None


def test_query_units_read_the_whole_key_range():
    schema = _schema()
    sample = TableSample(tuple(BIG + SMALL), table_items=4, complete=True)
    key = [parse_condition("pk = 'A'")]
    # 3 x 2,009 = 6,027 bytes: 2 blocks of 4 KB, 0.5 each eventually consistent, 1 each strongly
    assert query_units(sample, schema.key, schema.table_index, key) == 1.0
    assert query_units(sample, schema.key, schema.table_index, key, consistent=True) == 2.0
    # a range the whole table holds nothing of reads nothing (as DynamoDB Local reports)
    assert query_units(sample, schema.key, schema.table_index, [parse_condition("pk = 'Z'")]) == 0.0
    # ... but a partial sample may miss a few items: at least 0.5
    partial = TableSample(tuple(BIG + SMALL), table_items=400)
    assert query_units(partial, schema.key, schema.table_index, [parse_condition("pk = 'Z'")]) == 0.5
    # scaled to the table: 6,027 x 100 = 602,700 bytes = 148 blocks = 74 RCU
    assert query_units(partial, schema.key, schema.table_index, key) == 74.0


def test_query_units_of_an_lsi_count_entries_and_the_fetch():
    schema = _schema()
    lsi = schema.index("ByTs")
    sample = TableSample(tuple(BIG + SMALL), table_items=4, complete=True)
    key = [parse_condition("pk = 'B'")]
    # only SMALL has ts; its KEYS_ONLY entry (pk, sk, ts: 14 bytes) is one block
    assert query_units(sample, schema.key, lsi, key) == 0.5
    # fetching the item from the table: one more 4 KB block per item
    assert query_units(sample, schema.key, lsi, key, fetch=True) == 1.0
    assert query_units(sample, schema.key, lsi, [parse_condition("pk = 'A'")]) == 0.0  # no entry


def test_distinct_and_low_cardinality():
    items = tuple({"pk": S(str(i)), "status": S(["OPEN", "SHUT", "HELD"][i % 3])} for i in range(30))
    sample = TableSample(items, 30, True)
    assert distinct(sample, "status") == (3, 10 / 30, 30)
    assert low_cardinality(sample, "status") == (
        "status has only 3 distinct values from a sample of 30 items (the whole table)"
    )
    assert low_cardinality(sample, "pk") is None  # 30 distinct values
    assert low_cardinality(sample, "nothing") is None
    few = TableSample(items[:19], 19, True)
    assert low_cardinality(few, "status") is None  # under 20 items: cannot tell
    skewed = tuple({"pk": S(str(i)), "c": S("hot" if i < 18 else f"v{i}")} for i in range(30))
    assert low_cardinality(TableSample(skewed, 30, True), "c") == (
        "one value of c is in 60% of the items that have it (from a sample of 30 items (the whole table))"
    )


def test_check_and_confirm_a_candidate_on_the_sample():
    schema = _schema()
    items = (
        {"pk": S("A"), "sk": S("W#1"), "state": S("W")},
        {"pk": S("A"), "sk": S("W#2"), "state": S("W")},
        {"pk": S("A"), "sk": S("N#3"), "state": S("N")},
        {"pk": S("A"), "sk": S("X#4"), "state": S("W")},  # breaks the template
    )
    sample = TableSample(items, 4, True)
    a = analysis(ReadRequest("query", "Logs", key="pk = 'A'", filter="state = 'W'"), schema)
    cond = parse_condition("begins_with(sk, 'W#')")
    cand = candidate([*a.key, cond, *a.filter], schema.table_index, schema, a.reads, None, None)
    assert cand is not None
    found = check(cand, a, sample)
    assert (found.wanted, found.missed, found.extra) == (3, 1, 0) and not found.same
    cand.learned = "part 1 of sk is state"
    assert confirm(cand, a, sample) == (
        "a Query on the table would miss 1 of the 3 items the request returns "
        "(from a sample of 4 items (the whole table))"
    )
    # without the item that breaks it, the template holds on the whole table
    good = TableSample(items[:3], 3, True)
    assert check(cand, a, good).same and confirm(cand, a, good) is None


def test_confirm_makes_a_sparse_index_exact_when_the_whole_table_agrees():
    schema = _schema()
    items = ({"pk": S("B"), "sk": S("o#1"), "ts": S("1")}, {"pk": S("B"), "sk": S("o#2"), "ts": S("2")})
    a = analysis(ReadRequest("scan", "Logs", filter="pk = 'B'", projection="pk, sk, ts"), schema)
    cand = candidate(a.conjuncts, schema.index("ByTs"), schema, a.reads, a.needed, a.projection)
    assert cand is not None and cand.sparse == ["ts"] and not cand.exact
    assert confirm(cand, a, TableSample(items, 2, True)) is None
    assert cand.exact
    assert cand.notes[-1] == (
        "LSI ByTs is sparse (only items that have ts), but every item the request returns has it "
        "(from a sample of 2 items (the whole table))"
    )
    # an item the request returns that the index lacks: the candidate is wrong
    cand2 = candidate(a.conjuncts, schema.index("ByTs"), schema, a.reads, a.needed, a.projection)
    lacking = TableSample((*items, {"pk": S("B"), "sk": S("o#3")}), 3, True)
    assert confirm(cand2, a, lacking) == (
        "a Query on LSI ByTs would miss 1 of the 3 items the request returns "
        "(from a sample of 3 items (the whole table))"
    )
