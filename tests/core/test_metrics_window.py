"""ddbtui.core.metrics: windows, periods, the query set, series with missing points and sparklines.
Expected figures are worked by hand in the comments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ddbtui.core.metrics import (
    MetricKey,
    Series,
    Window,
    WindowError,
    batches,
    build_queries,
    choose_period,
    format_number,
    make_window,
    parse_duration,
    series_from_results,
    sparkline,
)


def test_parse_duration():
    assert parse_duration("15m") == 900  # 15 x 60
    assert parse_duration("6h") == 21600  # 6 x 3600
    assert parse_duration("3d") == 259200  # 3 x 86400
    assert parse_duration("2w") == 1209600  # 14 x 86400
    assert parse_duration("300", "--period") == 300
    for bad in ("abc", "0m", "", "5y", "-3h"):
        with pytest.raises(WindowError):
            parse_duration(bad)


def test_choose_period_fits_360_points_and_retention():
    assert choose_period(900) == 60  # 15 points
    assert choose_period(21600) == 60  # 6 h: 360 points
    assert choose_period(86400) == 300  # 1 d: 1440 at 60 s is too many; 288 at 300 s
    assert choose_period(3 * 86400) == 900  # 259200 / 900 = 288
    assert choose_period(14 * 86400) == 3600  # 1209600 / 3600 = 336
    # 30 days: older than 15 days needs 300 s; 2592000/300 = 8640, /900 = 2880, /3600 = 720, /21600 = 120
    assert choose_period(30 * 86400) == 21600


def test_make_window_ends_at_the_minute():
    w = make_window(1_000_030, "3h")
    # 1_000_030 // 60 * 60 = 1_000_020; start 1_000_020 - 10_800 = 989_220
    assert (w.start, w.end, w.period, w.points, w.widened) == (989_220, 1_000_020, 60, 180, False)
    assert make_window(1_000_030).points == 180  # the default is 3h


def test_window_shorter_than_a_period_is_widened_to_one():
    w = make_window(1_000_030, "15m", "1h")
    # ceil(900 / 3600) = 1 period: start = 1_000_020 - 3600
    assert (w.start, w.points, w.seconds, w.widened) == (996_420, 1, 3600, True)


def test_periods_cloudwatch_refuses():
    with pytest.raises(WindowError, match="multiple of 60"):
        make_window(0, "3h", "90")
    with pytest.raises(WindowError, match="multiple of 300"):
        make_window(0, "20d", "60")  # data older than 15 days: 5-minute periods only
    # 2 weeks at 60 s = 20160 points > 1440; the smallest period that fits: ceil(1209600/1440/60)*60 = 840
    with pytest.raises(WindowError, match="at least 840 s"):
        make_window(0, "2w", "60")
    with pytest.raises(WindowError, match="455 days"):
        make_window(0, "70w")


def test_query_set_one_call_for_five_gsis():
    q = build_queries("T", ["A", "B", "C", "D", "E"])
    # table: 6 capacity/throttle + 10 ThrottledRequests + 10 latency avg + 10 p99 + 10 SystemErrors
    #        + 2 ReturnedItemCount + 1 UserErrors = 49; each GSI 6: 49 + 30 = 79
    assert len(q) == 79
    assert len(build_queries("T", ["A", "B", "C", "D", "E"], percentiles=False)) == 69
    assert len(batches(q)) == 1
    assert len({x.id for x in q}) == 79 and all(x.id[0].islower() for x in q)
    user = next(x for x in q if x.key.metric == "UserErrors")
    assert user.dimensions == ()  # account-wide
    api = next(x for x in q if x.key == MetricKey("WriteThrottleEvents", "Sum", "C")).to_api(300)
    assert api["MetricStat"]["Metric"]["Dimensions"] == [
        {"Name": "TableName", "Value": "T"},
        {"Name": "GlobalSecondaryIndexName", "Value": "C"},
    ]
    assert api["MetricStat"]["Period"] == 300 and api["MetricStat"]["Stat"] == "Sum"
    building = build_queries("T", ["A"], building=["A"])
    assert any(x.key.metric == "OnlineIndexPercentageProgress" for x in building)


def test_batches_split_only_above_500():
    q = build_queries("T", [f"G{i}" for i in range(80)])  # 49 + 480 = 529
    assert [len(b) for b in batches(q)] == [500, 29]


def _window(points: int, period: int = 60) -> Window:
    return Window(start=0, end=points * period, period=period, asked=points * period)


def test_series_with_missing_points():
    w = _window(5)
    q = build_queries("T", [], percentiles=False)
    rid = next(x.id for x in q if x.key.metric == "ConsumedReadCapacityUnits")
    lat = next(
        x.id for x in q if x.key == MetricKey("SuccessfulRequestLatency", "Average", operation="GetItem")
    )
    results = [
        # Sums of 60, 120, 30 units in the periods at 0, 120, 240 s; 999 is outside the window
        {
            "Id": rid,
            "Timestamps": [datetime.fromtimestamp(0, UTC), 120, 240, 999],
            "Values": [60, 120, 30, 5],
        },
        {"Id": lat, "Timestamps": [60, 180], "Values": [4.0, 8.0]},
    ]
    got = series_from_results(q, results, w)
    s = got[MetricKey("ConsumedReadCapacityUnits", "Sum")]
    assert s.values == (60.0, None, 120.0, None, 30.0)
    assert s.shown() == [1.0, None, 2.0, None, 0.5]  # Sum / 60 s
    assert s.total() == 210.0
    assert s.average() == pytest.approx(0.7)  # 210 units over 300 s, missing periods are no traffic
    assert (s.peak(), s.peak_time()) == (2.0, 120)
    latency = got[MetricKey("SuccessfulRequestLatency", "Average", operation="GetItem")]
    assert latency.average() == 6.0  # (4 + 8) / 2: a gauge averages the points it has
    empty = got[MetricKey("WriteThrottleEvents", "Sum")]
    assert (empty.has_data, empty.total(), empty.peak(), empty.peak_time()) == (False, 0, None, None)


def test_zero_traffic_series():
    s = Series(MetricKey("ConsumedWriteCapacityUnits", "Sum"), _window(3), (None, None, None))
    assert (s.total(), s.average(), s.peak()) == (0, 0.0, None)
    assert sparkline(s.shown()) == "   "


def test_sparkline():
    # scale 8: block index ceil(v / 8 * 8) - 1, at least 0 (0 and 1 share the lowest block)
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8]) == "▁▁▂▃▄▅▆▇█"
    assert sparkline([0, None, 4]) == "▁ █"
    assert sparkline([0, 0, 0]) == "▁▁▁"
    # 80 values in 40 cells: pairs, each showing its maximum; the one spike stays visible
    vals = [1.0] * 80
    vals[41] = 8.0
    line = sparkline(vals, width=40)
    assert len(line) == 40 and line[20] == "█" and line.count("█") == 1 and line[0] == "▁"
    assert sparkline([]) == ""


def test_format_number():
    assert [format_number(v) for v in (None, 0, 3.25, 41.66, 1234, 12345, 4_560_000)] == [
        "-",
        "0",
        "3.25",
        "41.7",
        "1,234",
        "12.3k",
        "4.56M",
    ]
