"""A parallel scan in the workbench is 'end' only when every segment is read (issue #21, defect 1)."""

from __future__ import annotations

import pytest

from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.ui.results import ResultSet
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle

SIZE = (80, 24)


def _items(n: int) -> list[dict]:
    return [{"pk": {"S": f"p{i:02d}"}, "sk": {"S": "x"}, "n": {"N": str(i)}} for i in range(n)]


def _result(segments: int, resume: dict) -> ResultSet:
    schema = TableSchema.from_describe(
        {
            "TableName": "T",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        }
    )
    built = build(ReadRequest("scan", "T", segments=segments), schema)
    return ResultSet(built, schema, 1, resume=resume)


@pytest.mark.parametrize(
    ("segments", "resume", "more"),
    [
        (4, {0: None}, True),  # segments 1-3 never started: not the end
        (4, {0: None, 1: None, 2: None, 3: None}, False),
        (4, {0: None, 1: {"pk": {"S": "a"}}, 2: None, 3: None}, True),
        (100, {}, True),
        (1, {0: None}, False),
        (1, {0: {"pk": {"S": "a"}}}, True),
    ],
)
def test_has_more_counts_segments_not_yet_started(segments, resume, more):
    assert _result(segments, resume).has_more is more


def test_a_get_item_has_no_more():
    schema = _result(1, {}).schema
    built = build(ReadRequest("get", "T", key='{"pk": "a"}'), schema)
    assert ResultSet(built, schema, 1).has_more is False


# 24 segments over 20 items leave several segments empty (the "seg 100: 0 items · end" case); each
# `n` is one segment page, so 100 would spend ~40 s on redraws to prove the same (100 is covered above).
@pytest.mark.parametrize("segments", [4, 24])
async def test_parallel_scan_pages_through_every_segment(make_app, moto_client, table_name, segments):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, _items(20))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table(table_name)
        await settle(pilot)
        app.builder.load_request(ReadRequest("scan", table_name, segments=segments, page_size=25))
        await pilot.press("ctrl+r")
        await settle(pilot)
        app.results.focus()  # n is a key of the results (in the builder it would be typed)
        await pilot.pause()
        assert len(app.results.rows) < 20  # one page: the first segment to answer
        seen = len(app.results.rows)
        presses = 0
        while app.result.has_more and presses < segments + 2:
            await pilot.press("n")
            await settle(pilot)
            presses += 1
            assert len(app.results.rows) >= seen
            seen = len(app.results.rows)
        keys = {r["pk"]["S"] for r in app.results.rows}
        assert keys == {f"p{i:02d}" for i in range(20)}  # every item, once
        assert len(app.results.rows) == 20
        assert not app.result.has_more
        await pilot.press("n")
        await settle(pilot)
        assert "no more pages" in " ".join(str(n.message) for n in app._notifications)
