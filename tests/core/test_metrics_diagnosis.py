"""The throttling diagnosis and the billing-mode advisor on synthetic series, figures worked by hand."""

from __future__ import annotations

import pytest

from ddbtui.core.metrics import (
    MetricKey,
    Resource,
    Scaling,
    Series,
    TableSettings,
    Window,
    advise,
    diagnose,
    settings_from,
)


def _window(points: int, period: int = 60) -> Window:
    return Window(start=0, end=points * period, period=period, asked=points * period)


def _metrics(w: Window, **series):
    """``name__index`` (or ``name__op__Operation``) = list of values; Sums unless the name is Provisioned*."""
    out = {}
    for spec, values in series.items():
        parts = spec.split("__")
        metric = parts[0]
        index = op = None
        if len(parts) == 2:
            index = parts[1]
        if len(parts) == 3:
            op = parts[2]
        stat = "Average" if metric.startswith("Provisioned") else "Sum"
        key = MetricKey(metric, stat, index, op)
        out[key] = Series(key, w, tuple(values))
    return out


def _provisioned(read=50, write=100, scaling=None, gsis=(), insights=None):
    return TableSettings("Orders", False, (Resource(None, read, write, None, scaling), *gsis), insights)


# --- provisioned: consumed at capacity --------------------------------------------------------------

W10 = _window(10)
# 8 periods at 3000 units (50 WCU/s), then two at 6600 (110 WCU/s) above the 100 provisioned
BURST = [3000.0] * 8 + [6600.0, 6600.0]
THROTTLES = [None] * 8 + [40.0, 25.0]


def test_consumed_above_provisioned_without_autoscaling():
    m = _metrics(W10, ConsumedWriteCapacityUnits=BURST, WriteThrottleEvents=THROTTLES)
    [d] = diagnose(m, _provisioned())
    assert d.id == "over-provisioned" and d.severity == "critical" and d.resource == "table"
    assert "65 write throttle events" in d.detail  # 40 + 25
    assert "110 WCU/s against 100 provisioned" in d.detail
    # 110 / 0.7 = 157.14 -> 158 WCU; the reads keep their 50
    assert d.command == "ddbtui alter Orders --provisioned 50,158 --allow-writes"


def test_autoscaling_too_slow_for_a_spike():
    m = _metrics(
        W10,
        ConsumedWriteCapacityUnits=BURST,
        WriteThrottleEvents=THROTTLES,
        ProvisionedWriteCapacityUnits=[100.0] * 10,
    )
    [d] = diagnose(m, _provisioned(scaling=Scaling(5, 1000, 70.0)))
    assert d.id == "autoscaling-too-slow"
    # the worst period is the 9th (40 events); the one before ran at 3000/60 = 50 WCU/s
    assert "from 50 to 110 WCU/s within one period (1 min)" in d.detail
    assert d.command == "ddbtui alter Orders --autoscaling 158,1000,70 --allow-writes"


def test_autoscaling_at_its_maximum():
    m = _metrics(W10, ConsumedWriteCapacityUnits=BURST, WriteThrottleEvents=THROTTLES)
    [d] = diagnose(m, _provisioned(scaling=Scaling(5, 100, 70.0)))
    assert d.id == "autoscaling-at-max"
    assert d.command == "ddbtui alter Orders --autoscaling 5,158,70 --allow-writes"


def test_throttles_well_below_provisioned_are_a_hot_key():
    # 12000 units a minute = 200 RCU/s against 1000 provisioned: 20 %
    m = _metrics(
        W10, ConsumedReadCapacityUnits=[12000.0] * 10, ReadThrottleEvents=[None] * 5 + [30.0] + [None] * 4
    )
    [d] = diagnose(m, _provisioned(read=1000, insights="DISABLED"))
    assert d.id == "hot-key" and "20% of the 1,000 provisioned" in d.detail
    assert d.command == "ddbtui alter Orders --contributor-insights on --allow-writes"
    assert "ddbtui report Orders" in d.action
    [on] = diagnose(m, _provisioned(read=1000, insights="ENABLED"))
    assert on.command is None and "Contributor Insights is on" in on.action


def test_gsi_write_throttling_back_pressures_the_table():
    gsi = Resource("ByPage", 5, 20)
    m = _metrics(
        W10,
        ConsumedWriteCapacityUnits=[1800.0] * 10,  # the table: 30 WCU/s of 200
        ConsumedWriteCapacityUnits__ByPage=[600.0] * 8 + [1500.0, 1500.0],  # 10, then 25 WCU/s of 20
        WriteThrottleEvents__ByPage=[None] * 8 + [12.0, 8.0],
        ThrottledRequests__op__PutItem=[None] * 8 + [12.0, 8.0],
    )
    found = diagnose(m, _provisioned(read=50, write=200, gsis=(gsi,)))
    ids = [d.id for d in found]
    assert ids == ["over-provisioned", "gsi-backpressure"]
    over, back = found
    # 25 / 0.7 = 35.7 -> 36 WCU for the index, its 5 RCU kept
    assert over.resource == "ByPage" and over.command == (
        "ddbtui alter Orders --gsi-provisioned ByPage=5,36 --allow-writes"
    )
    assert "20 write throttle events on ByPage and 20 throttled write requests" in back.detail
    # at least the table's 200 WCU
    assert back.command == "ddbtui alter Orders --gsi-provisioned ByPage=5,200 --allow-writes"


# --- on-demand ---------------------------------------------------------------------------------------

W12 = _window(12, 300)  # one hour in 5-minute periods


def _on_demand_writes(spike_rate: float):
    # 100 WCU/s (30000 units in 300 s) in every period but the 10th, which runs at spike_rate
    sums = [30000.0] * 12
    sums[9] = spike_rate * 300
    throttles = [None] * 12
    throttles[9] = 50.0
    return _metrics(W12, ConsumedWriteCapacityUnits=sums, WriteThrottleEvents=throttles)


def test_on_demand_past_twice_the_previous_peak():
    # the 10th period starts at 2700 s; the peak of the periods 30 minutes before it (starts <= 900) is 100
    [d] = diagnose(_on_demand_writes(250.0), TableSettings("Events", True, (Resource(None),)))
    assert d.id == "on-demand-spike"
    assert "250 WCU/s against a previous peak of 100 WCU/s" in d.detail
    assert (
        d.command == "aws dynamodb update-table --table-name Events --warm-throughput WriteUnitsPerSecond=250"
    )


def test_on_demand_throttles_under_twice_the_peak_are_a_hot_key():
    [d] = diagnose(_on_demand_writes(180.0), TableSettings("Events", True, (Resource(None),)))
    assert d.id == "hot-key" and "on-demand, with no spike" in d.detail


def test_no_throttles_no_findings_even_with_missing_points():
    m = _metrics(W10, ConsumedWriteCapacityUnits=[None, 600.0] * 5, WriteThrottleEvents=[None] * 10)
    assert diagnose(m, _provisioned()) == []
    assert diagnose({}, _provisioned()) == []


def test_settings_from_describe_table_and_scalable_targets():
    desc = {
        "TableName": "Orders",
        "BillingModeSummary": {"BillingMode": "PROVISIONED"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 50, "WriteCapacityUnits": 100},
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "ByPage",
                "IndexStatus": "CREATING",
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 20},
            }
        ],
    }
    targets = [
        {
            "ResourceId": "table/Orders/index/ByPage",
            "ScalableDimension": "dynamodb:index:WriteCapacityUnits",
            "MinCapacity": 5,
            "MaxCapacity": 400,
            "TargetValue": 70.0,
        }
    ]
    s = settings_from(desc, targets, "ENABLED", "eu-west-1")
    table, gsi = s.resources
    assert (table.read, table.write, table.write_scaling) == (50, 100, None)
    assert (gsi.index, gsi.write, gsi.write_scaling, gsi.building) == (
        "ByPage",
        20,
        Scaling(5, 400, 70.0),
        True,
    )
    assert not s.on_demand and s.gsi_names == ("ByPage",)
    od = settings_from({"TableName": "X", "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}})
    assert od.on_demand and od.resources[0].read is None


# --- billing -----------------------------------------------------------------------------------------
# us-east-1: on-demand $0.125 per million reads, $0.625 per million writes; provisioned $0.00013 per
# RCU-hour, $0.00065 per WCU-hour; a month is 730 hours.

DAY = _window(24, 3600)


def test_steady_on_demand_table_is_cheaper_provisioned():
    # 100 RCU/s and 10 WCU/s all day: 360000 and 36000 units an hour
    m = _metrics(DAY, ConsumedReadCapacityUnits=[360000.0] * 24, ConsumedWriteCapacityUnits=[36000.0] * 24)
    a = advise(m, TableSettings("Shop", True, (Resource(None),), region="us-east-1"), DAY)
    # on-demand: (8.64M x 0.125 + 0.864M x 0.625) / 1M = 1.62 a day; x 730/24 = 49.275 a month
    assert a.option("on-demand").monthly == pytest.approx(49.275)
    # autoscaling: 100/0.7 = 142.857 RCU, 10/0.7 = 14.2857 WCU every hour:
    # (142.857 x 0.00013 + 14.2857 x 0.00065) x 730 = 0.0278571 x 730 = 20.3357
    assert a.option("autoscaling").monthly == pytest.approx(20.3357, abs=1e-3)
    # fixed at the peak: 143 RCU, 15 WCU: (0.01859 + 0.00975) x 730 = 20.6882
    assert a.option("fixed").monthly == pytest.approx(20.6882, abs=1e-3)
    assert (a.current, a.recommended) == ("on-demand", "autoscaling")
    assert a.saving == pytest.approx(49.275 - 20.3357, abs=1e-3)  # 28.94
    assert "saves $28.94/month" in a.summary
    # start at 143,15; min ceil(14.29) = 15; max ceil(2 x 142.857) = 286
    assert a.command == "ddbtui alter Shop --provisioned 143,15 --autoscaling 15,286,70 --allow-writes"
    assert any("once per 24 hours" in c for c in a.caveats)
    assert any("reserved capacity" in c for c in a.caveats)
    assert any("misses the weekly cycle" in c for c in a.caveats)


def test_idle_provisioned_table_is_cheaper_on_demand():
    # 1000 RCU / 500 WCU provisioned; one hour of 50 RCU/s (180000 units), the other 23 hours no points
    reads = [None] * 24
    reads[5] = 180000.0
    m = _metrics(DAY, ConsumedReadCapacityUnits=reads)
    a = advise(m, _provisioned(read=1000, write=500), DAY)
    # current: (1000 x 0.00013 + 500 x 0.00065) x 730 = 0.455 x 730 = 332.15
    assert a.option("current").monthly == pytest.approx(332.15)
    # on-demand: 180000 x 0.125 / 1M = 0.0225 a day, x 30.4167 = 0.684375
    assert a.option("on-demand").monthly == pytest.approx(0.684375)
    # autoscaling: reads 50/0.7 = 71.43 for one hour and 1 unit for 23; writes 1 unit for 24:
    # (94.4286 x 0.00013 + 24 x 0.00065) x 30.4167 = 0.0278757 x 30.4167 = 0.847886
    assert a.option("autoscaling").monthly == pytest.approx(0.847886, abs=1e-5)
    assert a.recommended == "on-demand"
    assert a.saving == pytest.approx(332.15 - 0.684375)
    assert a.command == "ddbtui alter Orders --on-demand --allow-writes"


def test_zero_traffic_on_demand_keeps_on_demand():
    a = advise({}, TableSettings("Idle", True, (Resource(None),)), DAY)
    # on-demand 0; provisioned at 1 RCU + 1 WCU: (0.00013 + 0.00065) x 730 = 0.5694
    assert a.option("on-demand").monthly == 0
    assert a.option("autoscaling").monthly == pytest.approx(0.5694)
    assert (a.recommended, a.saving, a.command) == ("on-demand", 0.0, None)
    assert a.summary.startswith("keep on-demand")


def test_gsis_are_billed_too():
    # table and GSI each write 10 WCU/s (36000 an hour), nothing read
    m = _metrics(
        DAY, ConsumedWriteCapacityUnits=[36000.0] * 24, ConsumedWriteCapacityUnits__GSI1=[36000.0] * 24
    )
    s = TableSettings("Shop", True, (Resource(None), Resource("GSI1")))
    a = advise(m, s, DAY)
    # on-demand: 2 x 864000 x 0.625 / 1M = 1.08 a day, x 30.4167 = 32.85
    assert a.option("on-demand").monthly == pytest.approx(32.85)
    # autoscaling: per hour 2 x (1 RCU x 0.00013 + 14.2857 WCU x 0.00065) = 0.0188314; x 730 = 13.747
    assert a.option("autoscaling").monthly == pytest.approx(13.747, abs=1e-3)
    assert a.recommended == "autoscaling" and a.write_units == 2 * 864000
    assert any("each GSI needs its own provisioned capacity" in c for c in a.caveats)


def test_provisioned_with_autoscaling_already_holds_its_mode():
    m = _metrics(DAY, ConsumedReadCapacityUnits=[360000.0] * 24, ConsumedWriteCapacityUnits=[36000.0] * 24)
    s = _provisioned(read=143, write=15, scaling=Scaling(5, 500, 70.0))
    a = advise(m, s, DAY)
    # the model of what it pays (20.34) against on-demand's 49.28: keep
    assert (a.current, a.recommended, a.saving) == ("autoscaling", "autoscaling", 0.0)


def test_window_shorter_than_an_hour():
    # 15 minutes at 60 s: one group of 0.25 h. 60 RCU/s -> 85.714 RCU for a quarter hour, 1 WCU
    w = _window(15)
    m = _metrics(w, ConsumedReadCapacityUnits=[3600.0] * 15)
    a = advise(m, TableSettings("T", True, (Resource(None),)), w)
    # autoscaling over the window: (85.714 x 0.00013 + 1 x 0.00065) x 0.25 = 0.0029482; x (730 x 4) = 8.6088
    assert a.option("autoscaling").monthly == pytest.approx(8.6088, abs=1e-3)
    # on-demand: 54000 reads x 0.125 / 1M = 0.00675 per 15 min; x 2920 = 19.71
    assert a.option("on-demand").monthly == pytest.approx(19.71)


def test_throttled_window_says_its_figures_price_what_was_served():
    m = _metrics(W10, ConsumedWriteCapacityUnits=BURST, WriteThrottleEvents=THROTTLES)
    a = advise(m, _provisioned(), W10)
    assert any("these figures price what was served" in c for c in a.caveats)


def test_on_demand_gsi_spike_warms_the_index():
    # the GSI's writes: 100 WCU/s, then 250 in the 10th period (see _on_demand_writes), throttled there
    m = {
        MetricKey(k.metric, k.stat, "ByDay"): Series(MetricKey(k.metric, k.stat, "ByDay"), W12, s.values)
        for k, s in _on_demand_writes(250.0).items()
    }
    [d] = diagnose(m, TableSettings("Events", True, (Resource(None), Resource("ByDay"))))
    assert (d.id, d.resource) == ("on-demand-spike", "ByDay")
    assert d.command == (
        "aws dynamodb update-table --table-name Events --global-secondary-index-updates "
        '\'[{"Update":{"IndexName":"ByDay","WarmThroughput":{"WriteUnitsPerSecond":250}}}]\''
    )
