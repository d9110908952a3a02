"""Packed items: unpack(pack(item)) == item for any item, and the packed form is smaller."""

from __future__ import annotations

import sys

from hypothesis import given, settings

from ddbtui.core.compact import CompactRows, Num, pack, unpack, unpack_value
from ddbtui.core.values import to_item
from tests import hostile
from tests.core.test_values import items


@settings(max_examples=300)
@given(items)
def test_round_trip_any_item(values):
    item = to_item(values)
    assert unpack(pack(item)) == item
    for name, av in item.items():
        assert unpack_value(pack(item), name) == av
    assert unpack_value(pack(item), "\x00no such attribute") is None


def test_round_trip_hostile_corpus_and_wire_shapes():
    odd = [
        {"pk": {"S": "x"}, "s_named_like_a_tag": {"M": {"S": {"S": "inner"}}}},  # maps keep their shape
        {"pk": {"S": "x"}, "n": {"N": "12345678901234567890123456789012345678"}, "z": {"NULL": True}},
        {"pk": {"S": "x"}, "b": {"B": b"\x00\xff"}, "raw_b": {"B": "AP8="}, "t": {"BOOL": False}},
        {"pk": {"S": "x"}, "ss": {"SS": ["a"]}, "l": {"L": [{"S": "a"}, {"N": "1"}]}},
    ]
    for item in [*hostile.items(), *odd]:
        assert unpack(pack(item)) == item


def test_scalars_lose_their_wrapper_and_names_are_shared():
    a = pack({"status": {"S": "OPEN"}, "total": {"N": "5"}, "ok": {"BOOL": True}, "gone": {"NULL": True}})
    assert a == {"status": "OPEN", "total": "5", "ok": True, "gone": None}
    assert type(a["total"]) is Num and type(a["status"]) is str
    b = pack({"".join(["sta", "tus"]): {"S": "PAID"}})
    assert next(iter(a)) is next(iter(b))  # one copy of each name however many items
    item = {"s": {"S": "x" * 20}, "n": {"N": "12.5"}, "t": {"BOOL": True}}
    plain = sys.getsizeof(item) + sum(sys.getsizeof(av) for av in item.values())
    assert sys.getsizeof(pack(item)) < plain / 2


def test_compact_rows_is_a_list_of_items():
    rows = CompactRows()
    assert not rows and len(rows) == 0
    its = [{"pk": {"S": f"k{i}"}, "n": {"N": str(i)}} for i in range(10)]
    rows.extend(its[:5])
    rows.extend_packed(pack(it) for it in its[5:9])
    rows.append(its[9])
    assert len(rows) == 10 and rows and list(rows) == its and rows == its and rows != its[:9]
    assert CompactRows() == [] and CompactRows(its) == rows
    assert rows[3] == its[3] and rows[-1] == its[9] and rows[::3] == its[::3] and rows[2:4] == its[2:4]
    assert rows.value(4, "n") == {"N": "4"} and rows.value(4, "missing") is None
    rows[0] = {"pk": {"S": "new"}}
    assert rows[0] == {"pk": {"S": "new"}}
    rows[1]["pk"]["S"] = "changed"  # what a reader gets is its own copy
    assert rows[1] == its[1]
