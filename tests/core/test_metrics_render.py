"""The metrics as text, JSON points and CSV rows, and the report's "Usage and billing" section, from
hand-made series (figures worked by hand)."""

from __future__ import annotations

from ddbtui.core.metrics import MetricKey, Resource, Series, TableSettings, Window
from ddbtui.core.metrics.render import csv_rows, metrics_json, render_text
from ddbtui.core.metrics.usage import usage_of
from ddbtui.core.report import TableFacts, Unknown, md, render_markdown, report_json

W = Window(start=1_767_225_600, end=1_767_225_600 + 4 * 60, period=60, asked=240)  # 2026-01-01 00:00


def _s(metric, values, index=None, stat="Sum"):
    k = MetricKey(metric, stat, index)
    return k, Series(k, W, tuple(values))


def _metrics():
    return dict(
        [
            _s("ConsumedReadCapacityUnits", [60.0, None, 120.0, 240.0]),  # 1, -, 2, 4 RCU/s
            _s("ConsumedWriteCapacityUnits", [None] * 4),
            _s("ConsumedWriteCapacityUnits", [30.0, 30.0, 30.0, 30.0], "G\x1b[2J"),
            _s("UserErrors", [None] * 4),
        ]
    )


SETTINGS = TableSettings("T\u202e", True, (Resource(None), Resource("G\x1b[2J")), gsi_names=("G\x1b[2J",))


def test_text_is_plain_and_escapes_names():
    out = render_text(SETTINGS, W, _metrics(), [], None)
    assert "\x1b" not in out and "\u202e" not in out
    assert out.startswith("T\\u202e · on-demand · last 4m (4 x 1m, to 01-01 00:04 UTC)")
    line = next(x for x in out.splitlines() if x.strip().startswith("read units/s"))
    # 1, missing, 2, 4 scaled to 4: ceil(1/4*8)-1 = 1 (▂), a space, ceil(4)-1 = 3 (▄), █; peak 4 at 00:03;
    # average (60 + 120 + 240) / 240 s = 1.75
    assert line.split() == ["read", "units/s", "▂", "▄█", "4", "1.75", "00:03"]
    assert "GSI G\\e[2J" in out
    assert "(1 series without data points in the window are not shown)" in out  # UserErrors
    assert "no throttle events in the window" in out


def test_json_and_csv_points():
    doc = metrics_json(SETTINGS, W, _metrics(), [], None, calls=1)
    reads = doc["series"][0]
    assert [p["per_second"] for p in reads["points"]] == [1.0, 2.0, 4.0]  # the missing point is left out
    assert reads["points"][0]["t"] == "2026-01-01T00:00:00Z" and reads["peak_time"] == "2026-01-01T00:03:00Z"
    rows = csv_rows(_metrics())
    assert rows[0] == ("2026-01-01T00:00:00Z", "table", "ConsumedReadCapacityUnits", "Sum", "", 60.0, 1.0)
    assert len(rows) == 3 + 4


def _facts(usage):
    f = TableFacts(
        table={
            "TableName": "T",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
            "TableStatus": "ACTIVE",
        }
    )
    f.usage = usage
    return f


def test_report_section_when_metrics_are_not_readable():
    f = _facts(Unknown("not allowed to call cloudwatch:GetMetricData (AccessDenied)"))
    text = render_markdown(f)
    assert (
        "## Usage and billing\n\nMetrics are not readable: not allowed to call cloudwatch:GetMetricData"
        in text
    )
    assert report_json(f)["usage"] == {"status": "unknown", "reason": f.usage.reason}
    assert "Usage and billing" not in render_markdown(_facts(None))


def test_report_section_with_metrics():
    settings = TableSettings("T", True, (Resource(None),))
    f = _facts(usage_of(settings, W, dict([_s("ConsumedReadCapacityUnits", [60.0, None, 120.0, 240.0])])))
    text = render_markdown(f)
    assert "From CloudWatch, the last 4m at 1m periods" in text
    assert "| table | 4 | 1.75 | 0 | - | - | 0 |" in text  # no write series: '-'
    assert "No throttle events in the window." in text and "Billing (monthly" in text
    usage = report_json(f)["usage"]
    assert usage["resources"][0]["read_peak_per_second"] == 4.0
    assert md("x") == "x"
