"""Two weeks of synthetic CloudWatch metrics for the demo tables, so ``ddbtui --demo metrics`` tells a
story with no AWS account:

* ``Shop`` (on-demand) — a daily cycle (busy evenings UTC, quiet nights, calmer weekends) on the table,
  ``GSI1`` and ``FlaggedIndex``; 75 minutes ago a flash sale tripled the writes within minutes, past
  twice the previous peak: ``GSI1`` throttled its writes and so the table's PutItem/UpdateItem
  (back-pressure). Its steady load would be cheaper provisioned with autoscaling.
* ``Music`` (on-demand) — a trickle with short bursts every six hours: on-demand is the right mode.
* ``Clickstream`` (provisioned, no autoscaling; created here, empty) — its GSI ``ByPage`` has 20 WCU
  for a table of 100: a campaign 40 minutes ago pushed the index past its capacity, throttling it and
  the table's writes.

Data points follow CloudWatch's own resolutions by age, so that every window ``ddbtui metrics`` chooses
sums them right and moto (which scans every point per period) answers quickly: one a minute for the
last 6 hours, 5 minutes up to a day, 15 minutes up to 3 days, an hour up to 14 days. Sum metrics carry
the units of their interval (rate x seconds), gauges their value.

moto's server stores PutMetricData points of any age (probed: 14-day-old points come back from
GetMetricData with MetricDataQueries), but computes no percentile: the demo has no p99.

Pure: no boto3; :func:`seed` takes the clients.
"""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

NAMESPACE = "AWS/DynamoDB"
CLICKSTREAM = "Clickstream"
TIERS = ((6 * 3600, 60), (86400, 300), (3 * 86400, 900), (14 * 86400, 3600))  # (older than..., resolution)
BATCH = 1000  # MetricData per PutMetricData call (CloudWatch's limit)

CLICKSTREAM_TABLE: dict[str, Any] = {
    "TableName": CLICKSTREAM,
    "AttributeDefinitions": [
        {"AttributeName": "session", "AttributeType": "S"},
        {"AttributeName": "ts", "AttributeType": "S"},
        {"AttributeName": "page", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "session", "KeyType": "HASH"},
        {"AttributeName": "ts", "KeyType": "RANGE"},
    ],
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 50, "WriteCapacityUnits": 100},
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "ByPage",
            "KeySchema": [
                {"AttributeName": "page", "KeyType": "HASH"},
                {"AttributeName": "ts", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 20},
        }
    ],
}


def buckets(now: int) -> Iterator[tuple[int, int]]:
    """(start, seconds) of every data point, oldest first, ending at the minute of ``now``."""
    end = now // 60 * 60
    out = []
    newer = end
    for age, res in TIERS:
        oldest = (end - age) // res * res
        t = newer - res
        while t >= oldest:
            out.append((t, res))
            t -= res
        newer = t + res
    return iter(sorted(out))


def daily(t: float) -> float:
    """1.0 on average: peaks at 19:00 UTC (x1.6), lowest at 07:00 (x0.4); weekends x0.8."""
    hour = (t % 86400) / 3600
    f = 1.0 + 0.6 * math.cos(2 * math.pi * (hour - 19) / 24)
    weekday = datetime.fromtimestamp(t, UTC).weekday()
    return f * (0.8 if weekday >= 5 else 1.0)


def _spike(t: float, start: float, minutes: float, factor: float) -> float:
    """``factor`` during the spike (ramping up over 3 minutes, then down over its last third), else 1."""
    into = (t - start) / 60
    if into < 0 or into > minutes:
        return 1.0
    ramp = min(1.0, into / 3, (minutes - into) / (minutes / 3))
    return 1.0 + (factor - 1.0) * ramp


def _dims(table: str, index: str | None = None, op: str | None = None) -> list[dict[str, str]]:
    d = [{"Name": "TableName", "Value": table}]
    if index:
        d.append({"Name": "GlobalSecondaryIndexName", "Value": index})
    if op:
        d.append({"Name": "Operation", "Value": op})
    return d


def datums(now: int, tables: tuple[str, ...] = ("Shop", "Music", CLICKSTREAM)) -> list[dict[str, Any]]:
    """Every MetricData entry of the demo, deterministic for a given ``now`` (epoch seconds)."""
    rng = random.Random(20260101)
    out: list[dict[str, Any]] = []
    sale = (now // 60 * 60) - 75 * 60  # Shop's flash sale: 75 minutes ago, for 20 minutes
    campaign = (now // 60 * 60) - 40 * 60  # Clickstream's campaign: 40 minutes ago, for 15 minutes

    def put(name: str, dims: list[dict[str, str]], t: int, value: float, unit: str = "Count") -> None:
        out.append(
            {
                "MetricName": name,
                "Dimensions": dims,
                "Timestamp": datetime.fromtimestamp(t, UTC),
                "Value": round(value, 3),
                "Unit": unit,
            }
        )

    for t, res in buckets(now):
        mid = t + res / 2
        day = daily(mid)
        noise = lambda: 1.0 + rng.uniform(-0.08, 0.08)  # noqa: E731
        if "Shop" in tables:
            s = _spike(mid, sale, 20, 3.2)
            shop = {None: (120, 25), "GSI1": (60, 20), "FlaggedIndex": (2, 0.5)}
            for index, (r, w) in shop.items():
                put("ConsumedReadCapacityUnits", _dims("Shop", index), t, r * day * noise() * res)
                put("ConsumedWriteCapacityUnits", _dims("Shop", index), t, w * day * noise() * s * res)
            for op, ms in (("GetItem", 3.4), ("Query", 6.1), ("PutItem", 5.2)):
                put(
                    "SuccessfulRequestLatency",
                    _dims("Shop", op=op),
                    t,
                    ms * noise() * (1.15 if s > 1.5 else 1.0),
                    "Milliseconds",
                )
            put("ReturnedItemCount", _dims("Shop", op="Query"), t, 210 * day * noise() * res)
            if s > 2.0:  # past twice the peak: GSI1 cannot take the writes, the table's writes fail with it
                put("WriteThrottleEvents", _dims("Shop", "GSI1"), t, 4.0 * (s - 2.0) * res)
                put("ThrottledRequests", _dims("Shop", op="PutItem"), t, 2.5 * (s - 2.0) * res)
                put("ThrottledRequests", _dims("Shop", op="UpdateItem"), t, 1.0 * (s - 2.0) * res)
        if "Music" in tables:
            burst = 30.0 if (mid % 21600) < 300 else 0.0
            put("ConsumedReadCapacityUnits", _dims("Music"), t, (0.5 * day + burst) * noise() * res)
            put("ConsumedWriteCapacityUnits", _dims("Music"), t, 0.05 * day * res)
            put("ConsumedReadCapacityUnits", _dims("Music", "GenreIndex"), t, (0.2 * day + burst / 3) * res)
            put("SuccessfulRequestLatency", _dims("Music", op="Query"), t, 5.0 * noise(), "Milliseconds")
        if CLICKSTREAM in tables:
            c = _spike(mid, campaign, 15, 2.6)
            base_w, gsi_w = 45 * day * noise() * c, 12 * day * noise() * c  # ByPage: 20 WCU provisioned
            put("ConsumedReadCapacityUnits", _dims(CLICKSTREAM), t, 8 * day * noise() * res)
            put("ConsumedWriteCapacityUnits", _dims(CLICKSTREAM), t, min(base_w, 100) * res)
            put("ConsumedWriteCapacityUnits", _dims(CLICKSTREAM, "ByPage"), t, min(gsi_w, 22) * res)
            for name, v in (("ProvisionedReadCapacityUnits", 50), ("ProvisionedWriteCapacityUnits", 100)):
                put(name, _dims(CLICKSTREAM), t, v)
            for name, v in (("ProvisionedReadCapacityUnits", 5), ("ProvisionedWriteCapacityUnits", 20)):
                put(name, _dims(CLICKSTREAM, "ByPage"), t, v)
            put(
                "SuccessfulRequestLatency", _dims(CLICKSTREAM, op="PutItem"), t, 4.8 * noise(), "Milliseconds"
            )
            if gsi_w > 20:
                over = (gsi_w - 20) * res
                put("WriteThrottleEvents", _dims(CLICKSTREAM, "ByPage"), t, over)
                put("ThrottledRequests", _dims(CLICKSTREAM, op="PutItem"), t, over)
        if "Shop" in tables and res <= 300 and rng.random() < 0.05:
            out.append(
                {
                    "MetricName": "UserErrors",
                    "Dimensions": [],
                    "Timestamp": datetime.fromtimestamp(t, UTC),
                    "Value": 1.0,
                    "Unit": "Count",
                }
            )
    return out


# endpoint -> demo tables whose metrics it holds (moto's ListMetrics takes seconds over two weeks of points)
_SEEDED: dict[str, set[str]] = {}


def series(tables: tuple[str, ...]) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """(metric, sorted dimensions) of every series :func:`datums` writes for ``tables``."""
    return {
        (d["MetricName"], tuple(sorted((x["Name"], x["Value"]) for x in d["Dimensions"])))
        for d in datums(int(time.time()) // 86400 * 86400, tables)
    }


def seed(cw: Any, dynamodb: Any, now: int, tables: tuple[str, ...] = ("Shop", "Music", CLICKSTREAM)) -> int:
    """Put the metrics of ``tables`` (creating the empty ``Clickstream`` table when it is one of them);
    returns the data points written. A table already seeded on this endpoint (by this process) is skipped."""
    todo = tuple(
        t
        for t in tables
        if t in ("Shop", "Music", CLICKSTREAM) and t not in _SEEDED.get(str(cw.meta.endpoint_url), set())
    )
    if not todo:
        return 0
    _SEEDED.setdefault(str(cw.meta.endpoint_url), set()).update(todo)
    if CLICKSTREAM in todo:
        with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
            dynamodb.create_table(**CLICKSTREAM_TABLE)
    data = datums(now, todo)
    for i in range(0, len(data), BATCH):
        cw.put_metric_data(Namespace=NAMESPACE, MetricData=data[i : i + BATCH])
    return len(data)
