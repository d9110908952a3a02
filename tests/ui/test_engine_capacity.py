"""The workbench shows DynamoDB Local's own capacity figure in auto mode and its estimate on moto (#19 defect 4),
deciding from the responses it has seen, so its UI thread never waits on a probe."""

from __future__ import annotations

import pytest

from ddbtui.aws.session import Connection
from ddbtui.core.requests import ReadRequest
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle

SIZE = (100, 30)

# 12 items of ~1.2 KB: a filtered Scan keeping one of them reads ~14.6 KB, which DynamoDB Local charges as
# ceil(14.6 KB / 4 KB) = 4 blocks x 0.5 = 2 RCU (eventually consistent); the item kept is ~1.2 KB.
ITEMS = [{"pk": {"S": f"p{i:02d}"}, "n": {"N": str(i)}, "pad": {"S": "x" * 1200}} for i in range(12)]


def _app(conn: Connection, client, tmp_path) -> DdbtuiApp:
    return DdbtuiApp(
        client, conn, connection_label="test", config=Config(), history=History(tmp_path / "h.json")
    )


@pytest.mark.ddblocal
async def test_dynamodb_local_figures_are_shown_as_reported(
    ddblocal_server, ddblocal_client, table_name, tmp_path
):
    create_table(ddblocal_client, table_name, sk=None)
    put_items(ddblocal_client, table_name, ITEMS)
    reported = ddblocal_client.scan(
        TableName=table_name,
        FilterExpression="#n = :v",
        ExpressionAttributeNames={"#n": "n"},
        ExpressionAttributeValues={":v": {"N": "3"}},
        ReturnConsumedCapacity="TOTAL",
    )["ConsumedCapacity"]["CapacityUnits"]
    assert reported == 2.0  # the hand-worked figure above, as DynamoDB Local reports it
    app = _app(
        Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1"), ddblocal_client, tmp_path
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table(table_name)
        await settle(pilot)
        app.builder.load_request(ReadRequest("scan", table_name, filter="n = 3"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [r["pk"]["S"] for r in app.results.rows] == ["p03"]
        assert app.estimate is False
        cap = app.result.capacity
        assert cap is not None and cap.estimated is False
        assert cap.total == reported


async def test_moto_figures_are_estimated(moto_server, moto_client, table_name, tmp_path):
    create_table(moto_client, table_name, sk=None)
    put_items(moto_client, table_name, ITEMS)
    app = _app(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"), moto_client, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table(table_name)
        await settle(pilot)
        app.builder.load_request(ReadRequest("scan", table_name, filter="n = 3"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [r["pk"]["S"] for r in app.results.rows] == ["p03"]
        assert app.estimate is True
        assert app.result.capacity is not None and app.result.capacity.estimated is True
