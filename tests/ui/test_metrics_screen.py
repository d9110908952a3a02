"""f11, the metrics screen, against a moto server of its own holding CloudWatch metrics put into it
(PutMetricData, read back by GetMetricData), as tests/cli/test_cli_metrics.py seeds them: a provisioned
table (10 RCU / 5 WCU, GSI ByX 5 / 2), every minute 5 RCU/s and 4 WCU/s on the table, 1 WCU/s on the GSI
and 2.5 WCU/s (above its 2) for five minutes with 30 write throttle events a minute. The app's clock is
fixed, the points are put relative to it: the snapshots do not depend on the time of day. AccessDenied on
CloudWatch comes from a loopback proxy; DynamoDB Local serves no CloudWatch. Figures worked by hand."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import boto3
import pytest
from textual.widgets import Static

from ddbtui.aws.embedded import MotoServer
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.metrics import MetricKey
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from ddbtui.ui.screens.metrics_screen import MetricsScreen
from tests import faults
from tests.conftest import create_table
from tests.ui.conftest import settle, wait_until
from tests.ui.screen import screen_text

NOW = 1_800_000_000  # 2027-01-15 08:00:00 UTC
TABLE = "Clicks"
READ_SUM, WRITE_SUM = 300.0, 240.0  # a minute's units: 5 RCU/s, 4 WCU/s
GSI_SUM, GSI_HOT = 60.0, 150.0  # 1 WCU/s; 2.5 WCU/s for minutes k = 2..6 before NOW


@pytest.fixture(scope="module")
def seeded():
    with MotoServer() as server:
        kw = {
            "endpoint_url": server.endpoint_url,
            "region_name": "us-east-1",
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
        ddb, cw = boto3.client("dynamodb", **kw), boto3.client("cloudwatch", **kw)
        ddb.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "x")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "ByX",
                    "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2},
                }
            ],
        )
        t, g = [{"Name": "TableName", "Value": TABLE}], {"Name": "GlobalSecondaryIndexName", "Value": "ByX"}
        data = []
        for k in range(1, 170):  # minutes before NOW: k = 1 is the last whole minute
            ts = datetime.fromtimestamp(NOW - 60 * k, UTC)
            hot = 2 <= k <= 6

            def put(name, dims, value, ts=ts):
                data.append({"MetricName": name, "Dimensions": dims, "Timestamp": ts, "Value": value})

            put("ConsumedReadCapacityUnits", t, READ_SUM)
            put("ConsumedWriteCapacityUnits", t, WRITE_SUM)
            put("ConsumedWriteCapacityUnits", [*t, g], GSI_HOT if hot else GSI_SUM)
            if hot:
                put("WriteThrottleEvents", [*t, g], 30.0)
                put("ThrottledRequests", [*t, {"Name": "Operation", "Value": "PutItem"}], 30.0)
        for i in range(0, len(data), 500):
            cw.put_metric_data(Namespace="AWS/DynamoDB", MetricData=data[i : i + 500])
        yield server


def make(endpoint: str, tmp_path, table: str | None = TABLE) -> DdbtuiApp:
    conn = Connection(endpoint_url=endpoint, region="us-east-1")
    return DdbtuiApp(
        make_client(conn),
        conn,
        table=table,
        config=Config(),
        history=History(tmp_path / "history.json"),
        connection_label="snapshot · us-east-1",
        clock=lambda: float(NOW),
    )


async def open_metrics(pilot) -> MetricsScreen:
    app = pilot.app
    await wait_until(pilot, lambda: app.schema is not None)
    await settle(pilot)
    await pilot.press("f11")
    await wait_until(pilot, lambda: isinstance(app.screen, MetricsScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.reading is not None or screen.unavailable)
    await settle(pilot)
    return screen


def text_of(screen: MetricsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def spark(screen: MetricsScreen, metric: str, stat="Sum", index=None, operation=None) -> list[float]:
    return list(screen.sparklines[MetricKey(metric, stat, index, operation)].data)


async def test_sparklines_diagnosis_billing_and_the_throttle_indicator(seeded, tmp_path):
    app = make(seeded.endpoint_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Table metrics" in {c.title for c in app.palette_commands()}
        assert dict(app.key_sections()[0][1])["f11"].startswith("The open table's CloudWatch metrics")
        screen = await open_metrics(pilot)
        # 3h at one minute: 180 periods, the first 11 (k = 170..180) without a point, drawn as 0
        assert spark(screen, "ConsumedReadCapacityUnits") == [0.0] * 11 + [5.0] * 169
        await pilot.press("1")  # the last 15 minutes: k = 15 (period 0) .. 1 (period 14)
        await wait_until(pilot, lambda: screen.reading.window.points == 15)
        await settle(pilot)
        assert spark(screen, "ConsumedReadCapacityUnits") == [5.0] * 15  # 300 units / 60 s
        assert spark(screen, "ConsumedWriteCapacityUnits") == [4.0] * 15
        # k = 6..2 hot: periods 9..13
        assert spark(screen, "ConsumedWriteCapacityUnits", index="ByX") == [1.0] * 9 + [2.5] * 5 + [1.0]
        assert spark(screen, "WriteThrottleEvents", index="ByX") == [0.0] * 9 + [30.0] * 5 + [0.0]
        assert spark(screen, "ThrottledRequests", operation="PutItem") == [0.0] * 9 + [30.0] * 5 + [0.0]
        assert MetricKey("ConsumedReadCapacityUnits", "Sum", "ByX") not in screen.sparklines  # no points
        rows = screen_text(app)
        # peak 2.5 at period 9 (07:54); average (9 x 60 + 5 x 150 + 60) / 900 s = 1.5
        assert re.search(r"write units/s .* 2\.5 +1\.5 +07:54", rows)
        # 150 events over 15 periods: 10 a period; the peak, 30, first at 07:54
        assert re.search(r"! write throttle events .* 30 +10 +07:54", rows)
        assert len(screen.query(".metrics-row.-throttle")) == 2  # GSI throttle events, throttled PutItem
        diag = text_of(screen, "#metrics-diagnosis")
        assert "[critical] GSI ByX writes throttled: consumed reached the provisioned capacity" in diag
        # 2.5 WCU/s against 2, no autoscaling: 2.5 / 0.7 = 3.57 -> 4 WCU, its 5 RCU kept
        assert f"$ ddbtui alter {TABLE} --gsi-provisioned ByX=5,4 --allow-writes" in diag
        assert "writes to Clicks are throttled by its GSI ByX" in diag
        billing = text_of(screen, "#metrics-billing")
        now_line = next(x for x in billing.splitlines() if x.lstrip().startswith("now "))
        assert "provisioned at the current level" in now_line
        # (10 + 5) RCU x $0.00013 + (5 + 2) WCU x $0.00065 an hour = $0.0065; x 730 h = $4.745
        assert float(now_line.split("$")[1]) == pytest.approx(4.745, abs=0.006)
        assert app.status.throttle == "Clicks: 150 throttles in 15m"  # the GSI's 150 write throttle events
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MetricsScreen)
        assert "⚠ Clicks: 150 throttles in 15m" in screen_text(app)  # the status bar keeps it


def _deny_cloudwatch(_n: int, target: str) -> faults.ProxyRule:
    if target == "GetMetricData":
        return faults.ProxyRule(
            "status", status=400, error_code="AccessDeniedException", message="not authorized"
        )
    return faults.ProxyRule("pass")


async def test_access_denied_is_one_line_and_the_table_still_works(seeded, tmp_path):
    with faults.FaultProxy(seeded.endpoint_url, _deny_cloudwatch) as proxy:
        app = make(proxy.url, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_metrics(pilot)
            assert text_of(screen, "#metrics-status") == (
                "✗ metrics unavailable: not allowed to call cloudwatch:GetMetricData "
                "(AccessDeniedException); the rest of ddbtui works without it"
            )
            assert screen.sparklines == {} and text_of(screen, "#metrics-diagnosis") == ""
            assert app.status.throttle == ""
            await pilot.press("escape")
            await settle(pilot)
            assert app.schema is not None and app.schema.name == TABLE
    assert [t for _n, t, kind in proxy.log if kind == "status"] == ["GetMetricData"]


async def test_contributor_insights_top_keys_show_in_the_screen(seeded, tmp_path):
    """The same top keys as `ddbtui metrics` (tests/cli/test_cli_metrics.py), from the same answers."""
    hostile = "hot[/x]\x1b[2J"
    plan, _rules = faults.contributor_insights(TABLE, hostile)
    with faults.FaultProxy(seeded.endpoint_url, plan) as proxy:
        app = make(proxy.url, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_metrics(pilot)
            block = text_of(screen, "#metrics-insights")
            assert block.startswith("Contributor Insights (the keys traffic hits)")
            assert "GSI ByX: disabled" in block
            assert block.index("most throttled partition keys (table)") < block.index(
                "most accessed partition keys (table)"
            )
            throttled = next(x for x in block.splitlines() if "CUSTOMER#7" in x)
            assert throttled.split()[-2:] == ["30", "93.8%"]  # 30 of 32
            assert "hot[/x]\\e[2J" in block and "\x1b" not in block
            screen.query_one("#metrics-scroll").scroll_end(animate=False)
            await pilot.pause(0.1)
            shown = screen_text(app)
            assert "most accessed partition keys (table)" in shown and "\x1b" not in shown


async def test_dynamodb_local_serves_no_cloudwatch(ddblocal_server, ddblocal_client, table_name, tmp_path):
    create_table(ddblocal_client, table_name)
    app = make(ddblocal_server.endpoint_url, tmp_path, table=table_name)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        status = text_of(screen, "#metrics-status")
        assert status.startswith("✗ metrics unavailable: the backend does not serve CloudWatch GetMetricData")
        assert "\n" not in status and screen.sparklines == {}


async def _open_for_snapshot(pilot) -> None:
    await open_metrics(pilot)
    await pilot.pause(0.2)  # the footer follows the focus a moment later


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_metrics_snapshot(snap_compare, seeded, tmp_path, size):
    app = make(seeded.endpoint_url, tmp_path)
    assert snap_compare(app, run_before=_open_for_snapshot, terminal_size=size)
