"""ddbtui's own per-page capacity figure, from what a page returned."""

from ddbtui.core.capacity import item_size
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
    return {"pk": {"S": "C#1"}, "sk": {"S": f"O#{i:04d}"}, "note": {"S": "x" * pad}}


def test_query_page_sums_sizes_then_rounds_to_4kb():
    items = [_item(i, 1000) for i in range(10)]
    total = sum(item_size(i) for i in items)
    built = build(ReadRequest("query", "Orders", key="pk = 'C#1'"), SCHEMA)
    cap = estimate_read(built, items, 10, None)
    assert cap.estimated and cap.total == -(-total // 4096) * 0.5 and cap.table == cap.total


def test_strongly_consistent_costs_double():
    items = [_item(i, 1000) for i in range(10)]
    eventual = estimate_read(build(ReadRequest("query", "Orders", key="pk = 'C#1'"), SCHEMA), items, 10, None)
    strong = estimate_read(
        build(ReadRequest("query", "Orders", key="pk = 'C#1'", consistent=True), SCHEMA), items, 10, None
    )
    assert strong.total == 2 * eventual.total


def test_filtered_out_items_are_counted_at_the_average_size():
    kept = [_item(0, 100)]
    built = build(ReadRequest("scan", "Orders", filter="note = 'x'"), SCHEMA)
    cap = estimate_read(built, kept, 100, 4096.0)  # 99 unseen items of 4 KB each
    assert cap.total == (item_size(kept[0]) + 99 * 4096 + 4095) // 4096 * 0.5


def test_gsi_units_are_filed_under_the_index():
    built = build(ReadRequest("query", "Orders", index="ByStatus", key="status = 'OPEN'"), SCHEMA)
    cap = estimate_read(built, [_item(1, 10)], 1, None)
    assert cap.indexes == {"ByStatus": 0.5} and cap.table == 0


def test_get_item_of_a_missing_item_costs_one_block():
    built = build(ReadRequest("get", "Orders", key='{"pk": "a", "sk": "b"}'), SCHEMA)
    assert estimate_read(built, [], 0, None).total == 0.5


def test_partiql_is_a_lower_bound_from_the_items_returned():
    built = build(ReadRequest("sql", statement="SELECT * FROM Orders WHERE pk = 'C#1'"), None)
    items = [_item(i, 3000) for i in range(4)]
    cap = estimate_read(built, items, len(items), None)
    assert cap.estimated and cap.total == -(-sum(map(item_size, items)) // 4096) * 0.5
