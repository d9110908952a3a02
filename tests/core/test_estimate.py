"""ddbtui's own per-page capacity figure, from what a page returned.

Every expected figure is worked by hand from DynamoDB's size rules (attribute name UTF-8 bytes + value
bytes; numbers in base-100 pairs + 1, + 1 if negative; BOOL/NULL 1; lists and maps 3 + 1 per element
+ the elements, a map element also counting its key) and the read rule (a page's summed size rounded up
to 4 KB blocks, 0.5 unit a block eventually consistent, 1 strongly). None of them is computed with
ddbtui's own ``item_size``. The sizes were checked on DynamoDB Local 3.3.0 by putting the same items and
reading them back with ReturnConsumedCapacity: ``_item(i, 1007)`` (1,024 B) costs 1 WCU and
``_item(i, 1008)`` (1,025 B) 2 WCU; ``_mixed(i, 4029)`` (4,096 B) costs 1.0 RCU strongly consistent and
``_mixed(i, 4030)`` (4,097 B) 2.0; a Query of ten ``_item(i, 1000)`` costs 1.5 eventually and 3.0
strongly consistent.
"""

from ddbtui.core.estimate import estimate_read
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema

SCHEMA = TableSchema(
    name="Orders",
    key=KeySchema("pk", "sk"),
    attribute_types={"pk": "S", "sk": "S", "status": "S"},
    gsis=(IndexSchema("ByStatus", "gsi", KeySchema("status")),),
)


def _item(i: int, pad: int) -> dict:
    # "pk"+"C#1" = 2+3 = 5; "sk"+"O#0000" = 2+6 = 8; "note"+pad = 4+pad  →  17 + pad bytes
    return {"pk": {"S": "C#1"}, "sk": {"S": f"O#{i:04d}"}, "note": {"S": "x" * pad}}


def _mixed(i: int, pad: int) -> dict:
    """Every value type once: 67 + pad bytes (4,029 → exactly 4,096 B)."""
    return {
        "pk": {"S": "C#1"},  # 2 + 3 = 5
        "sk": {"S": f"O#{i:04d}"},  # 2 + 6 = 8
        "n": {"N": "1.5"},  # 1 + (pairs 01|50 = 2, + 1) = 4
        "neg": {"N": "-1"},  # 3 + (1 pair + 1 + 1 negative) = 6
        "ok": {"BOOL": True},  # 2 + 1 = 3
        "nil": {"NULL": True},  # 3 + 1 = 4
        "b": {"B": b"\x00\x01\x02"},  # 1 + 3 = 4
        "é": {"S": "ü€"},  # 2 (é) + 2 (ü) + 3 (€) = 7
        "l": {"L": [{"S": "ab"}, {"N": "12345"}]},  # 1 + 3 + (1 + 2) + (1 + 4: pairs 1|23|45 + 1) = 12
        "m": {"M": {"k": {"S": "v"}, "kk": {"BOOL": False}}},  # 1 + 3 + (1+1+1) + (1+2+1) = 11
        "pad": {"S": "x" * pad},  # 3 + pad
    }  # 5+8+4+6+3+4+4+7+12+11+3 = 67, + pad


def _query(consistent: bool = False):
    return build(ReadRequest("query", "Orders", key="pk = 'C#1'", consistent=consistent), SCHEMA)


def test_query_page_sums_sizes_then_rounds_to_4kb():
    items = [_item(i, 1000) for i in range(10)]
    # 10 × (17 + 1000) = 10,170 B → ceil(10,170 / 4,096) = 3 blocks → 3 × 0.5 = 1.5 (DynamoDB Local: 1.5)
    cap = estimate_read(_query(), items, 10, None)
    assert cap.estimated is True
    assert cap.total == 1.5
    assert cap.table == 1.5
    assert cap.indexes == {}


def test_strongly_consistent_costs_double():
    items = [_item(i, 1000) for i in range(10)]
    # the same 3 blocks at 1 unit each (DynamoDB Local: 3.0)
    assert estimate_read(_query(), items, 10, None).total == 1.5
    assert estimate_read(_query(consistent=True), items, 10, None).total == 3.0


def test_every_value_type_is_sized_by_the_rules_at_the_4kb_boundary():
    # one 4,096 B item is exactly one block, one byte more is two (DynamoDB Local: 1.0 and 2.0 strongly)
    assert estimate_read(_query(consistent=True), [_mixed(1, 4029)], 1, None).total == 1.0
    assert estimate_read(_query(consistent=True), [_mixed(1, 4030)], 1, None).total == 2.0
    # a page is summed before rounding: 4,096 + 4,096 = 2 blocks, 4,096 + 4,097 = 3 blocks
    assert estimate_read(_query(), [_mixed(1, 4029), _mixed(2, 4029)], 2, None).total == 1.0
    assert estimate_read(_query(), [_mixed(1, 4029), _mixed(2, 4030)], 2, None).total == 1.5


def test_filtered_out_items_are_counted_at_the_average_size():
    kept = [_item(0, 100)]  # 17 + 100 = 117 B
    built = build(ReadRequest("scan", "Orders", filter="note = 'x'"), SCHEMA)
    cap = estimate_read(built, kept, 100, 4096.0)  # 99 unseen items of 4 KB each
    # 117 + 99 × 4,096 = 405,621 B → ceil(/4,096) = 100 blocks → 50.0
    assert cap.total == 50.0
    # without an average the unseen items cannot be priced: only the 117 B seen → 1 block → 0.5
    assert estimate_read(built, kept, 100, None).total == 0.5


def test_gsi_units_are_filed_under_the_index():
    built = build(ReadRequest("query", "Orders", index="ByStatus", key="status = 'OPEN'"), SCHEMA)
    cap = estimate_read(built, [_item(1, 10)], 1, None)  # 27 B → 1 block → 0.5
    assert cap.indexes == {"ByStatus": 0.5}
    assert cap.table == 0
    assert cap.total == 0.5


def test_get_item_of_a_missing_item_costs_one_block():
    built = build(ReadRequest("get", "Orders", key='{"pk": "a", "sk": "b"}'), SCHEMA)
    assert estimate_read(built, [], 0, None).total == 0.5


def test_partiql_is_a_lower_bound_from_the_items_returned():
    built = build(ReadRequest("sql", statement="SELECT * FROM Orders WHERE pk = 'C#1'"), None)
    items = [_item(i, 3000) for i in range(4)]
    # 4 × (17 + 3000) = 12,068 B → ceil(/4,096) = 3 blocks → 1.5
    cap = estimate_read(built, items, len(items), None)
    assert cap.estimated is True
    assert cap.total == 1.5
