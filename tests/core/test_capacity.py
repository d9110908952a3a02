"""Sizes, units, index projection, write costs, ConsumedCapacity parsing, the ledger and the price table.

The numbers come from FACTS.md and from DynamoDB Local (see tests/aws/test_capacity_conformance.py for the
request-by-request comparison with the engine).
"""

from __future__ import annotations

import base64
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ddbtui.core import prices
from ddbtui.core.capacity import (
    MAX_ITEM_SIZE,
    ConsumedCapacity,
    Ledger,
    WriteCost,
    batch_get_units,
    canonical,
    condition_check_units,
    estimate_scanned_bytes,
    format_cost,
    format_units,
    get_item_units,
    in_index,
    index_entry,
    index_entry_size,
    item_size,
    lsi_fetch_units,
    number_size,
    query_page_units,
    read_units,
    transact_get_units,
    transact_write_units,
    value_size,
    write_units,
)
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema

# --------------------------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1.5", 3),
        ("-1", 3),
        ("0.000123400", 4),
        ("12345", 4),
        ("9" * 38, 20),
        ("1.2345678901234567890123456789012345678", 21),
        ("-1.2345678901234567890123456789012345678", 21),  # full mantissa: no terminator byte
        ("-" + "9" * 38, 21),
        ("0", 1),
        ("-0.000", 1),
        ("100", 2),
        ("1E10", 2),
        ("1000000", 2),
        ("1.0", 2),
        ("10.10", 3),
        ("-0.5", 3),
        ("123.456", 5),
        ("-123.456", 6),
        ("1E-130", 2),
        ("-1E-130", 3),
        ("9.9999999999999999999999999999999999999E+125", 20),
        ("+5", 2),
        (".5", 2),
        ("5.", 2),
        ("1.5e3", 2),
    ],
)
def test_number_size_measured_on_dynamodb_local(text, size):
    assert number_size(text) == size


def _reference_number_size(d: Decimal) -> int:
    """The same rule computed another way: write the number out in full and cut it into pairs."""
    if d == 0:
        return 1
    body = format(d.copy_abs(), "f")  # abs() would round to the context's 28 digits
    whole, _, frac = body.partition(".")
    whole = whole.lstrip("0")
    whole = ("0" * (len(whole) % 2)) + whole
    frac = frac + ("0" * (len(frac) % 2))
    pairs = [whole[i : i + 2] for i in range(0, len(whole), 2)] + [
        frac[i : i + 2] for i in range(0, len(frac), 2)
    ]
    while pairs and pairs[0] in ("00", "0"):
        pairs.pop(0)
    while pairs and pairs[-1] == "00":
        pairs.pop()
    return min(len(pairs) + 1 + (1 if d < 0 else 0), 21)


@given(st.integers(-(10**38) + 1, 10**38 - 1), st.integers(-120, 88))
def test_number_size_matches_a_reference(mantissa, exponent):
    d = Decimal(f"{mantissa}E{exponent}")
    assert number_size(f"{mantissa}E{exponent}") == _reference_number_size(d)
    assert number_size(str(d)) == number_size(format(d, "f"))  # spelling does not matter


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "", "1..2"])
def test_number_size_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        number_size(bad)


@pytest.mark.parametrize(
    ("av", "size"),
    [
        ({"S": ""}, 0),
        ({"S": "é😀"}, 6),
        ({"B": b"\x00" * 10}, 10),
        ({"B": base64.b64encode(b"\x00" * 10).decode()}, 10),
        ({"B": b""}, 0),
        ({"BOOL": True}, 1),
        ({"NULL": True}, 1),
        ({"L": []}, 3),
        ({"M": {}}, 3),
        ({"L": [{"S": "ab"}]}, 6),
        ({"L": [{"S": "ab"}, {"N": "1"}]}, 9),
        ({"M": {"key": {"S": "ab"}}}, 9),
        ({"L": [{"L": []}]}, 7),
        ({"SS": ["a", "bc"]}, 3),
        ({"NS": ["1", "-1.5"]}, 6),
        ({"BS": [b"\x00\x01", b"x"]}, 3),
        ({"BS": [base64.b64encode(b"\x00\x01").decode()]}, 2),
    ],
)
def test_value_size_measured_on_dynamodb_local(av, size):
    assert value_size(av) == size


def test_item_size_counts_names_and_values():
    assert item_size({"pk": {"S": "a"}, "d": {"S": "x" * 1020}}) == 1024
    assert item_size({"é": {"S": ""}}) == 2
    assert item_size({}) == 0


def test_bad_attribute_values():
    with pytest.raises(ValueError):
        value_size({"X": "1"})
    with pytest.raises(ValueError):
        value_size({"S": "a", "N": "1"})
    with pytest.raises(ValueError):
        value_size({"B": "not base64!"})


json_values = st.recursive(
    st.one_of(
        st.text(max_size=20).map(lambda s: {"S": s}),
        st.integers(-(10**12), 10**12).map(lambda n: {"N": str(n)}),
        st.binary(max_size=20).map(lambda b: {"B": b}),
        st.booleans().map(lambda b: {"BOOL": b}),
        st.just({"NULL": True}),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda xs: {"L": xs}),
        st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4).map(lambda m: {"M": m}),
    ),
    max_leaves=12,
)


# Items whose sizes are worked by hand from the rules, each checked on DynamoDB Local 3.3.0: padded with
# an attribute "d" to exactly 1,024 B it costs 1 WCU to put, one byte more 2 WCU.
HAND_SIZED = [
    # pk 2+1 = 3; m: 1 + M(3 + 1 + len("k") + L(3 + (1+2) + (1+1) = 8)) = 1 + 13 = 14; b: 1 + 3 = 4 → 21
    (
        {
            "pk": {"S": "a"},
            "m": {"M": {"k": {"L": [{"N": "1"}, {"BOOL": True}]}}},
            "b": {"B": b"\x00\x01\x02"},
        },
        21,
    ),
    # the same binary spelled as base64 ("AAEC" is 00 01 02): still 3 bytes → 21
    ({"pk": {"S": "a"}, "m": {"M": {"k": {"L": [{"N": "1"}, {"BOOL": True}]}}}, "b": {"B": "AAEC"}}, 21),
    # pk 3; m: 1 + M(3 + 1+1 + M(3 + 1+1 + M{} 3 = 8) = 13) = 14 → 17
    ({"pk": {"S": "a"}, "m": {"M": {"a": {"M": {"b": {"M": {}}}}}}}, 17),
    # pk 3; ss: 2 + 1 + 2 = 5; ns: 2 + 2 ("1") + 4 ("-1.5": 01|50, +1, +1 negative) = 8; bs: 2 + 2 + 1 = 5
    (
        {
            "pk": {"S": "a"},
            "ss": {"SS": ["a", "bc"]},
            "ns": {"NS": ["1", "-1.5"]},
            "bs": {"BS": [b"\x00\x01", b"x"]},
        },
        21,
    ),
    # pk 3; "ü" is 2 bytes; M(3 + 1 + "€" 3 + "é" 2 = 9) → 2 + 9 = 11 → 14
    ({"pk": {"S": "a"}, "ü": {"M": {"€": {"S": "é"}}}}, 14),
    # pk 3; l: 1 + L(3 + (1 + L[] 3) + (1 + L(3 + 1 + "" 0) = 4)) = 1 + 12 = 13 → 16
    ({"pk": {"S": "a"}, "l": {"L": [{"L": []}, {"L": [{"S": ""}]}]}}, 16),
    # pk 3; n: 1 + 5 (-0.000123400: 01|23|40 = 3 pairs, +1, +1 negative); z: 1 + 1 (zero); big: 3 + 20 → 34
    ({"pk": {"S": "a"}, "n": {"N": "-0.000123400"}, "z": {"N": "0"}, "big": {"N": "9" * 38}}, 34),
]


@pytest.mark.parametrize(("item", "size"), HAND_SIZED)
def test_item_size_of_hand_worked_items(item, size):
    assert item_size(item) == size


def _reference_value_size(av: dict) -> int:
    """The size rules written out again here, independent of ddbtui (numbers: the reference above)."""
    ((tag, value),) = av.items()
    if tag == "S":
        return len(value.encode("utf-8"))
    if tag == "N":
        return _reference_number_size(Decimal(value))
    if tag == "B":
        return len(value)
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "L":
        return 3 + sum(1 + _reference_value_size(v) for v in value)
    assert tag == "M"
    return 3 + sum(1 + len(k.encode("utf-8")) + _reference_value_size(v) for k, v in value.items())


def _as_base64(av: dict) -> dict:
    ((tag, value),) = av.items()
    if tag == "B":
        return {"B": base64.b64encode(value).decode()}
    if tag == "L":
        return {"L": [_as_base64(v) for v in value]}
    if tag == "M":
        return {"M": {k: _as_base64(v) for k, v in value.items()}}
    return av


@given(st.dictionaries(st.text(min_size=1, max_size=8), json_values, max_size=6))
def test_item_size_matches_a_reference_and_is_binary_spelling_free(item):
    expected = sum(len(k.encode("utf-8")) + _reference_value_size(v) for k, v in item.items())
    assert item_size(item) == expected
    assert value_size({"M": item}) == 3 + len(item) + expected
    assert item_size({k: _as_base64(v) for k, v in item.items()}) == expected


# --------------------------------------------------------------------------------------------- reads


def test_read_units():
    assert read_units(0, True) == 0.0
    assert read_units(1, True) == 1.0
    assert read_units(4096, True) == 1.0
    assert read_units(4097, True) == 2.0
    assert read_units(4097, False) == 1.0
    assert read_units(20_014, False) == 2.5  # FACTS: Scan of 20,014 B


def test_query_page_units_facts():
    sizes = [1495] * 10
    assert query_page_units(sizes, False) == 2.0
    assert query_page_units(sizes, True) == 4.0
    assert query_page_units(sizes[:2], False) == 0.5  # Limit=2
    # An empty page: DynamoDB Local reports 0.0 (the guide says a Query costs at least 0.5).
    assert query_page_units([], False) == 0.0
    assert query_page_units([4096, 4097], False) == 1.5  # summed, then rounded once


def test_get_and_batch_get_units():
    assert get_item_units(4991, True) == 2.0  # FACTS
    assert get_item_units(4096, True) == 1.0
    assert get_item_units(None, True) == 1.0  # a missing item still costs a block
    assert get_item_units(None, False) == 0.5
    assert batch_get_units([1500, 5000, 93], False) == 2.0  # FACTS: each item rounded up
    assert batch_get_units([None], False) == 0.0  # DynamoDB Local: missing keys are free
    assert transact_get_units([100, 5000, 9000]) == 12.0
    assert transact_get_units([None]) == 2.0
    assert condition_check_units(5000) == 4.0
    assert condition_check_units(None) == 0.0
    assert lsi_fetch_units([6040, 6040, 6040], False) == 3.0  # per item, like GetItem


@pytest.mark.parametrize(
    ("sizes", "page_eventual", "per_item_eventual"),
    [
        # page: the sum rounded up to 4 KB once; per item (BatchGetItem): each rounded on its own
        ([100, 100, 100], 0.5, 1.5),  # 300 B → 1 block; 3 × 1 block
        ([4096, 1], 1.0, 1.0),  # 4,097 B → 2 blocks; 1 + 1 blocks
        ([2048, 2048], 0.5, 1.0),  # 4,096 B → 1 block; 1 + 1
        ([5000, 5000, 5000], 2.0, 3.0),  # 15,000 B → 4 blocks; 3 × 2 blocks
        ([0, 0], 0.0, 0.0),  # nothing read
        ([0, 10], 0.5, 0.5),  # a 0-byte entry adds no block
    ],
)
def test_page_and_per_item_units_hand_worked(sizes, page_eventual, per_item_eventual):
    assert query_page_units(sizes, False) == page_eventual
    assert query_page_units(sizes, True) == 2 * page_eventual
    assert batch_get_units(sizes, False) == per_item_eventual
    assert batch_get_units(sizes, True) == 2 * per_item_eventual


@given(st.lists(st.integers(0, 50_000), max_size=30), st.booleans())
def test_page_units_bounds(sizes, consistent):
    unit = 1.0 if consistent else 0.5
    page = query_page_units(sizes, consistent)
    per_item = batch_get_units(sizes, consistent)
    assert page == -(-sum(sizes) // 4096) * unit  # ceil(sum / 4 KB) blocks
    assert per_item == sum(-(-s // 4096) for s in sizes) * unit  # ceil(s / 4 KB) per item
    assert page <= per_item  # rounding once never costs more than rounding each item


def test_estimate_scanned_bytes():
    assert estimate_scanned_bytes([100, 300], 2) == 400
    assert estimate_scanned_bytes([100, 300], 5, avg_item_size=1000) == 3400
    assert estimate_scanned_bytes([100, 300], 5) == 400 + 3 * 200  # the average of what was seen
    assert estimate_scanned_bytes([], 10) == 0  # nothing known
    assert estimate_scanned_bytes([], 10, 1495.5) == 14955
    assert estimate_scanned_bytes([100], 0) == 100  # never fewer than seen


# --------------------------------------------------------------------------------------------- indexes

TABLE_KEY = KeySchema("pk", "sk")
GSI_ALL = IndexSchema("gall", "gsi", KeySchema("gpk", "gsk"), "ALL")
GSI_KEYS = IndexSchema("gkeys", "gsi", KeySchema("gk"), "KEYS_ONLY")
GSI_INC = IndexSchema("ginc", "gsi", KeySchema("gi", "gin"), "INCLUDE", ("inc1", "inc2"))
LSI_INC = IndexSchema("linc", "lsi", KeySchema("pk", "lsk"), "INCLUDE", ("inc1",))
SCHEMA = TableSchema("t", TABLE_KEY, gsis=(GSI_ALL, GSI_KEYS, GSI_INC), lsis=(LSI_INC,))


def S(s: str) -> dict:
    return {"S": s}


ITEM = {
    "pk": S("a"),
    "sk": S("1"),
    "gk": S("k"),
    "gi": S("i"),
    "gin": {"N": "1"},
    "lsk": S("l"),
    "inc1": S("x" * 10),
    "d": S("z" * 100),
}


def test_index_entry_projection():
    assert index_entry(ITEM, TABLE_KEY, GSI_ALL) == ITEM
    assert index_entry(ITEM, TABLE_KEY, GSI_KEYS) == {"pk": S("a"), "sk": S("1"), "gk": S("k")}
    assert index_entry(ITEM, TABLE_KEY, GSI_INC) == {
        "pk": S("a"),
        "sk": S("1"),
        "gi": S("i"),
        "gin": {"N": "1"},
        "inc1": S("x" * 10),
    }  # inc2 is missing from the item: not projected
    assert index_entry(ITEM, TABLE_KEY, LSI_INC) == {
        "pk": S("a"),
        "sk": S("1"),
        "lsk": S("l"),
        "inc1": S("x" * 10),
    }
    assert index_entry(ITEM, TABLE_KEY, SCHEMA.table_index) == ITEM
    assert index_entry_size(ITEM, TABLE_KEY, GSI_KEYS) == 3 + 3 + 3


def test_in_index_is_sparse():
    assert not in_index(ITEM, GSI_ALL)  # no gpk
    assert in_index(ITEM, GSI_KEYS)
    assert in_index(ITEM, GSI_INC)
    assert not in_index({k: v for k, v in ITEM.items() if k != "gin"}, GSI_INC)  # needs both keys
    assert in_index(ITEM, LSI_INC)
    assert not in_index(None, GSI_KEYS)


def test_canonical_equality_is_dynamodbs():
    assert canonical({"N": "5"}) == canonical({"N": "5.0"}) == canonical({"N": "0.5E1"})
    assert canonical({"N": "5"}) != canonical({"N": "-5"})
    assert canonical({"SS": ["a", "b"]}) == canonical({"SS": ["b", "a"]})
    assert canonical({"NS": ["1", "2.0"]}) == canonical({"NS": ["2", "1.00"]})
    assert canonical({"B": b"\x01"}) == canonical({"B": base64.b64encode(b"\x01").decode()})
    assert canonical({"M": {"a": {"N": "1"}, "b": S("x")}}) == canonical(
        {"M": {"b": S("x"), "a": {"N": "1.0"}}}
    )
    assert canonical({"L": [S("a"), S("b")]}) != canonical({"L": [S("b"), S("a")]})
    assert canonical({"S": "1"}) != canonical({"N": "1"})


# --------------------------------------------------------------------------------------------- writes

ALL_ONLY = TableSchema("t", TABLE_KEY, gsis=(IndexSchema("gall", "gsi", KeySchema("gpk"), "ALL"),))


def _sized(n: int, gpk: str | None = None) -> dict:
    """An item of exactly n bytes: pk "a" (2+1) + sk "1" (2+1) + d (1 + padding) = 7 + padding, and
    "gpk" (3 + its ASCII value) when given."""
    extra = {} if gpk is None else {"gpk": S(gpk)}
    used = 7 + (0 if gpk is None else 3 + len(gpk))
    return {"pk": S("a"), "sk": S("1"), **extra, "d": S("x" * (n - used))}


def test_write_units_facts():
    item = _sized(1499, gpk="g")
    assert item_size(item) == 1499
    cost = write_units(None, item, ALL_ONLY)
    assert (cost.table, cost.indexes, cost.total) == (2.0, {"gall": 2.0}, 4.0)
    assert write_units(_sized(5000), _sized(100), ALL_ONLY).total == 5.0  # larger of before and after
    moved = write_units(_sized(1499, gpk="g"), _sized(1499, gpk="h"), ALL_ONLY)
    assert (moved.table, moved.indexes) == (2.0, {"gall": 4.0})  # delete + put: 6.0 in all


def test_write_units_boundaries():
    assert write_units(None, _sized(1024), ALL_ONLY).total == 1.0
    assert write_units(None, _sized(1025), ALL_ONLY).total == 2.0
    assert write_units(None, None, ALL_ONLY).total == 1.0  # delete of a missing item
    assert write_units(_sized(4097), None, ALL_ONLY).total == 5.0  # delete: the deleted item's size


def test_index_write_rules():
    base = dict(ITEM)
    # Unchanged projection: only the table pays, whatever else changes.
    other = {**base, "d": S("q" * 100)}
    cost = write_units(base, other, SCHEMA)
    assert cost.indexes == {}
    # A projected non-key attribute changes: the INCLUDE indexes projecting it pay, KEYS_ONLY does not.
    changed = {**base, "inc1": S("y" * 10)}
    # ginc entry: pk 3 + sk 3 + gi 3 + gin 5 + inc1 14 = 28 B; linc: pk 3 + sk 3 + lsk 4 + inc1 14 = 24 B
    assert write_units(base, changed, SCHEMA).indexes == {"ginc": 1.0, "linc": 1.0}
    # Same number spelled differently is no change at all.
    respelled = {**base, "gin": {"N": "1.0"}}
    assert write_units(base, respelled, SCHEMA).indexes == {}
    # Leaving and entering an index: the entry is deleted / written.
    left = {k: v for k, v in base.items() if k != "gk"}
    assert write_units(base, left, SCHEMA).indexes == {"gkeys": 1.0}
    assert write_units(left, base, SCHEMA).indexes == {"gkeys": 1.0}
    # New item: every index it is in; delete: the same.
    # gkeys entry: pk 3 + sk 3 + gk 3 = 9 B → 1 unit; ginc 28 B and linc 24 B → 1 each; no gpk: not in gall
    assert write_units(None, base, SCHEMA).indexes == {"gkeys": 1.0, "ginc": 1.0, "linc": 1.0}
    assert write_units(base, None, SCHEMA).indexes == {"gkeys": 1.0, "ginc": 1.0, "linc": 1.0}
    # Partial GSI key before and after: in the index neither time, nothing to pay (DynamoDB Local differs).
    only_gi = {k: v for k, v in base.items() if k != "gin"}
    only_gin = {k: v for k, v in base.items() if k != "gi"}
    assert "ginc" not in write_units(only_gi, only_gin, SCHEMA).indexes


def test_index_entry_size_drives_index_units():
    big_projected = {**ITEM, "inc1": S("x" * 3000)}
    cost = write_units(None, big_projected, SCHEMA)
    assert cost.indexes["gkeys"] == 1.0  # KEYS_ONLY: small entry
    assert cost.indexes["ginc"] == 3.0
    assert cost.indexes["linc"] == 3.0
    assert cost.table == 4.0


def test_transactions_follow_the_guide():
    small = [_sized(100), {**_sized(100), "sk": S("2")}]
    totals = transact_write_units([(None, i, ALL_ONLY) for i in small])
    assert totals["t"].total == 4.0  # guide: 2 x (1 + 1); DynamoDB Local reports 2.0
    assert write_units(None, _sized(1500), ALL_ONLY, transactional=True).total == 4.0
    mixed = transact_write_units([(None, _sized(1100), ALL_ONLY)], [(_sized(5000), ALL_ONLY)])
    assert mixed["t"].total == 2 * 2 + 4
    two_tables = transact_write_units(
        [(None, _sized(100), ALL_ONLY), (None, _sized(100), TableSchema("u", TABLE_KEY))]
    )
    assert {k: v.total for k, v in two_tables.items()} == {"t": 2.0, "u": 2.0}


def test_write_cost_arithmetic():
    a = WriteCost(1.0, {"g": 2.0}, "t")
    b = WriteCost(2.0, {"g": 1.0, "h": 1.0})
    assert (a + b).indexes == {"g": 3.0, "h": 1.0}
    assert (a + b).total == 7.0
    assert a.scaled(2).total == 6.0
    cap = a.to_capacity()
    assert (cap.kind, cap.total, cap.table, cap.estimated, cap.table_name) == ("write", 3.0, 1.0, True, "t")


# --------------------------------------------------------------------------------------------- reported


def test_from_response_dynamodb_shape():
    raw = {
        "TableName": "t",
        "CapacityUnits": 14.0,
        "Table": {"CapacityUnits": 3.0},
        "LocalSecondaryIndexes": {"linc": {"CapacityUnits": 1.0}, "lall": {"CapacityUnits": 3.0}},
        "GlobalSecondaryIndexes": {"gall": {"CapacityUnits": 3.0}, "ginc": {"CapacityUnits": 4.0}},
    }
    c = ConsumedCapacity.from_response(raw, "write")
    assert (c.total, c.table, c.kind, c.estimated, c.table_name) == (14.0, 3.0, "write", False, "t")
    assert c.indexes == {"linc": 1.0, "lall": 3.0, "gall": 3.0, "ginc": 4.0}
    assert c.to_json() == {
        "total": 14.0,
        "table": 3.0,
        "indexes": {"linc": 1.0, "lall": 3.0, "gall": 3.0, "ginc": 4.0},
        "estimated": False,
    }


def test_from_response_moto_and_aws_variants():
    # moto files a GSI read under LocalSecondaryIndexes: the name is what matters.
    moto = {
        "TableName": "t",
        "CapacityUnits": 1.0,
        "LocalSecondaryIndexes": {"bygsi": {"CapacityUnits": 1.0}},
    }
    c = ConsumedCapacity.from_response(moto)
    assert c.indexes == {"bygsi": 1.0}
    assert c.table == 0.0
    # AWS sends Read/WriteCapacityUnits too: they give the kind.
    aws = {"TableName": "t", "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}}
    assert ConsumedCapacity.from_response(aws).kind == "write"
    # TOTAL: no breakdown, the table gets it all.
    assert ConsumedCapacity.from_response({"TableName": "t", "CapacityUnits": 0.5}).table == 0.5
    assert ConsumedCapacity.from_responses(None) == []
    assert ConsumedCapacity.from_responses([]) == []
    assert len(ConsumedCapacity.from_responses([moto, aws])) == 2
    assert len(ConsumedCapacity.from_responses(moto)) == 1


def test_of_read_shapes_like_dynamodb():
    assert ConsumedCapacity.of_read(1.5).to_json() == {
        "total": 1.5,
        "table": 1.5,
        "indexes": {},
        "estimated": True,
    }
    via = ConsumedCapacity.of_read(0.5, index="lkeys", fetch_units=3.0)
    assert (via.total, via.table, via.indexes) == (3.5, 3.0, {"lkeys": 0.5})
    summed = via + ConsumedCapacity.of_read(1.0, index="lkeys")
    assert summed.indexes == {"lkeys": 1.5}
    assert summed.total == 4.5


# --------------------------------------------------------------------------------------------- ledger


def test_ledger_summary_and_totals():
    ledger = Ledger()
    assert ledger.summary() == "0 requests · 0 RCU · 0 WCU · $0"
    for _ in range(13):
        ledger.record("Query", "Orders", ConsumedCapacity(2.5, 2.5))
    ledger.record("PutItem", "Music", ConsumedCapacity(2.0, 2.0, kind="write"))
    ledger.record("Scan", "Music", ConsumedCapacity(5.0, 5.0))
    assert ledger.requests == 15
    assert ledger.read_units == 37.5
    assert ledger.write_units == 2.0
    assert ledger.cost == pytest.approx(37.5 * 0.125e-6 + 2 * 0.625e-6)
    assert ledger.summary() == "15 requests · 37.5 RCU · 2 WCU · $0.0000059"
    tables = ledger.per_table()
    assert tables["Orders"].requests == 13
    assert (tables["Music"].read_units, tables["Music"].write_units) == (5.0, 2.0)
    assert len(ledger.entries()) == 15
    ledger.record("GetItem", "Orders", ConsumedCapacity(0.5, 0.5, estimated=True))
    assert ledger.estimated
    assert ledger.summary().endswith(" (est.)")
    ledger.reset()
    assert ledger.requests == 0
    assert ledger.per_table() == {}


def test_ledger_provisioned_and_region():
    ledger = Ledger("eu-west-1")
    entry = ledger.record("Query", "t", ConsumedCapacity(3600.0, 3600.0), billing_mode="PROVISIONED")
    assert entry.cost == pytest.approx(prices.price_for("eu-west-1", "PROVISIONED").read_unit * 3600)
    assert entry.cost == pytest.approx(0.000147)  # 3600 RCU-seconds = one RCU-hour


def test_ledger_is_thread_safe():
    ledger = Ledger()

    def work():
        for _ in range(500):
            ledger.record("Query", "t", ConsumedCapacity(0.5, 0.5))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ledger.requests == 4000
    assert ledger.read_units == 2000.0
    assert ledger.summary().startswith("4,000 requests · 2,000 RCU")


@pytest.mark.parametrize(
    ("usd", "text"),
    [
        (0, "$0"),
        (4.6875e-06, "$0.0000047"),
        (1e-10, "$0.0000000001"),
        (0.0099999, "$0.01"),
        (12.345, "$12.35"),
    ],
)
def test_format_cost(usd, text):
    assert format_cost(usd) == text


def test_format_units():
    assert format_units(37.5) == "37.5"
    assert format_units(2.0) == "2"
    assert format_units(12345.0) == "12,345"


# --------------------------------------------------------------------------------------------- prices

REQUIRED_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
]


def test_price_table_is_complete():
    table = prices.load_prices()
    for region in REQUIRED_REGIONS:
        entry = table["regions"][region]
        assert entry["on_demand"]["read_per_million"] > 0
        assert entry["on_demand"]["write_per_million"] > entry["on_demand"]["read_per_million"]
        assert entry["provisioned"]["wcu_hour"] > entry["provisioned"]["rcu_hour"] > 0
    assert set(REQUIRED_REGIONS) <= set(prices.regions())


def test_us_east_1_prices():
    od = prices.price_for()
    assert (od.region, od.billing_mode) == ("us-east-1", "PAY_PER_REQUEST")
    assert od.read_unit * 1e6 == pytest.approx(0.125)
    assert od.write_unit * 1e6 == pytest.approx(0.625)
    pv = prices.price_for("us-east-1", "PROVISIONED")
    assert pv.read_unit * 3600 == pytest.approx(0.00013)
    assert pv.write_unit * 3600 == pytest.approx(0.00065)
    assert prices.cost(1e6, 1e6) == pytest.approx(0.75)


def test_price_lookup_modes_and_fallback():
    assert prices.price_for("us-east-1", "on-demand") == prices.price_for("us-east-1", "PAY_PER_REQUEST")
    assert prices.price_for("us-east-1", "provisioned").billing_mode == "PROVISIONED"
    unknown = prices.price_for("xx-nowhere-9")
    assert (unknown.region, unknown.known_region) == ("us-east-1", False)
    with pytest.raises(ValueError):
        prices.price_for("us-east-1", "spot")


def test_max_item_size():
    assert MAX_ITEM_SIZE == 409_600
