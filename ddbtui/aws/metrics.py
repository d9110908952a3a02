"""Read a table's CloudWatch metrics: ONE GetMetricData call per refresh (its pages followed by
NextToken; more calls only for more than 500 queries), with DescribeTable, Application Auto Scaling's
DescribeScalableTargets and DescribeContributorInsights for the settings the diagnosis needs.

The CloudWatch and Application Auto Scaling clients come from the same Connection as the DynamoDB client
(``ddbtui.aws.stream.service_client``: the same profile, region, credentials, and the emulator's endpoint).
No permission for CloudWatch (or a backend without it) raises :class:`MetricsUnavailable`: one line, and
only this feature is lost. The other reads are optional: what fails is left unknown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ddbtui.aws.catalog import describe
from ddbtui.aws.stream import service_client
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.metrics import (
    Metrics,
    Query,
    TableSettings,
    Window,
    batches,
    build_queries,
    make_window,
    series_from_results,
    settings_from,
)


class MetricsUnavailable(DdbtuiError):
    """CloudWatch cannot be read here (no permission, or a backend without CloudWatch)."""


@dataclass
class MetricsReading:
    """One refresh: the settings, the window, every series, and how many GetMetricData calls it took."""

    settings: TableSettings
    window: Window
    metrics: Metrics
    queries: list[Query]
    calls: int = 0
    percentiles: bool = True
    emulator: bool = False
    notes: list[str] = field(default_factory=list)


def access_denied(e: BaseException) -> bool:
    response = getattr(e, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code") or "")
    return "AccessDenied" in code or code in ("UnauthorizedOperation", "NotAuthorized", "AuthorizationError")


def unavailable(e: BaseException, operation: str = "GetMetricData") -> MetricsUnavailable:
    """The one line for a CloudWatch error: no permission, a backend without CloudWatch, or its words."""
    response = getattr(e, "response", None) or {}
    err = response.get("Error", {}) if isinstance(response, dict) else {}
    code = err.get("Code") or type(e).__name__
    status = (
        (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    )
    if access_denied(e):
        return MetricsUnavailable(
            f"metrics unavailable: not allowed to call cloudwatch:{operation} ({code}); "
            "the rest of ddbtui works without it"
        )
    msg = str(err.get("Message") or e)
    if (status and status >= 400 and "<" in msg) or code in ("UnknownOperationException", "InvalidAction"):
        return MetricsUnavailable(
            f"metrics unavailable: the backend does not serve CloudWatch {operation} (HTTP {status or code})"
        )
    return MetricsUnavailable(f"metrics unavailable: {operation} failed: {code}: {msg.splitlines()[0][:200]}")


def cloudwatch_client(conn: Any) -> Any:
    return service_client(conn, "cloudwatch", max_attempts=1 if conn.is_emulator else None)


def get_metric_data(cw: Any, queries: list[Query], window: Window) -> tuple[list[dict[str, Any]], int]:
    """Every MetricDataResult of ``queries`` (pages joined by Id) and the number of calls made."""
    merged: dict[str, dict[str, Any]] = {}
    calls = 0
    for batch in batches(queries):
        if not batch:
            continue
        params: dict[str, Any] = {
            "MetricDataQueries": [q.to_api(window.period) for q in batch],
            "StartTime": datetime.fromtimestamp(window.start, UTC),
            "EndTime": datetime.fromtimestamp(window.end, UTC),
            "ScanBy": "TimestampAscending",
        }
        while True:
            resp = cw.get_metric_data(**params)
            calls += 1
            for r in resp.get("MetricDataResults") or []:
                into = merged.setdefault(r["Id"], {"Id": r["Id"], "Timestamps": [], "Values": []})
                into["Timestamps"] += list(r.get("Timestamps") or [])
                into["Values"] += list(r.get("Values") or [])
            if not resp.get("NextToken"):
                break
            params["NextToken"] = resp["NextToken"]
    return list(merged.values()), calls


def scalable_targets(aas: Any, desc: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's and its GSIs' scalable targets, each with its target-tracking ``TargetValue``."""
    name = desc["TableName"]
    ids = [f"table/{name}"] + [
        f"table/{name}/index/{g['IndexName']}" for g in desc.get("GlobalSecondaryIndexes", [])
    ]
    targets: list[dict[str, Any]] = []
    params: dict[str, Any] = {"ServiceNamespace": "dynamodb", "ResourceIds": ids}
    while True:
        resp = aas.describe_scalable_targets(**params)
        targets += resp.get("ScalableTargets") or []
        if not resp.get("NextToken"):
            break
        params["NextToken"] = resp["NextToken"]
    for t in targets:
        for p in aas.describe_scaling_policies(
            ServiceNamespace="dynamodb", ResourceId=t["ResourceId"], ScalableDimension=t["ScalableDimension"]
        ).get("ScalingPolicies", []):
            cfg = p.get("TargetTrackingScalingPolicyConfiguration") or {}
            if "TargetValue" in cfg:
                t["TargetValue"] = cfg["TargetValue"]
    return targets


def _optional(fn: Callable[[], Any]) -> Any:
    import botocore.exceptions

    try:
        return fn()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
        return None


def read_settings(
    client: Any,
    conn: Any,
    table: str,
    desc: dict[str, Any] | None = None,
    autoscaling: list[dict[str, Any]] | None = None,
    insights: str | None = None,
) -> TableSettings:
    """The settings of ``table``; ``autoscaling``/``insights`` already read (the report's) are used as they
    are, the rest is asked (what the backend lacks stays unknown)."""
    desc = desc if desc is not None else describe(client, table)
    on_demand = ((desc.get("BillingModeSummary") or {}).get("BillingMode")) == "PAY_PER_REQUEST"
    if autoscaling is None and not on_demand:
        aas = service_client(conn, "application-autoscaling", max_attempts=1 if conn.is_emulator else None)
        autoscaling = _optional(lambda: scalable_targets(aas, desc))
    if insights is None:
        probe = service_client(conn, "dynamodb", max_attempts=1 if conn.is_emulator else None)
        found = _optional(lambda: probe.describe_contributor_insights(TableName=table))
        insights = (found or {}).get("ContributorInsightsStatus")
    return settings_from(desc, autoscaling, insights, client.meta.region_name)


def read_metrics(
    client: Any,
    conn: Any,
    table: str,
    *,
    since: str | None = None,
    period: str | int | None = None,
    index: str | None = None,
    settings: TableSettings | None = None,
    cw: Any = None,
    now: float | None = None,
    only: set[tuple[str, tuple[tuple[str, str], ...]]] | None = None,
) -> MetricsReading:
    """One refresh of ``table`` (or only its GSI ``index``): settings, then one GetMetricData call.

    Raises :class:`MetricsUnavailable` when CloudWatch refuses or is missing; ``WindowError`` for a
    window CloudWatch would refuse; DescribeTable's own errors (no such table) as they are. ``only``:
    the (metric, sorted dimensions) series to ask, when they are known (the demo's)."""
    import botocore.exceptions

    from ddbtui.core.errors import UsageError

    window = make_window(time.time() if now is None else now, since, period)
    settings = settings or read_settings(client, conn, table)
    gsis = list(settings.gsi_names)
    if index is not None:
        if index not in gsis:
            raise UsageError(f"{table} has no GSI {index!r} (GSIs: {', '.join(gsis) or 'none'})")
        gsis = [index]
    building = [r.index for r in settings.resources if r.building and r.index]
    # moto computes no percentile (it answers 500 to a p99): ask p99 only of AWS
    percentiles = not conn.is_emulator
    queries = build_queries(
        settings.name, gsis, building=building, percentiles=percentiles, include_table=index is None
    )
    cw = cw or cloudwatch_client(conn)
    try:
        if only is not None:
            # moto scans every stored point for each period of each query: ask only the series it holds
            queries = [q for q in queries if (q.key.metric, tuple(sorted(q.dimensions))) in only]
        results, calls = get_metric_data(cw, queries, window)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        raise unavailable(e) from None
    reading = MetricsReading(
        settings,
        window,
        series_from_results(queries, results, window),
        queries,
        calls,
        percentiles,
        conn.is_emulator,
    )
    if conn.is_emulator and not results:
        reading.notes.append("the emulator holds no CloudWatch metrics for this table")
    if not percentiles:
        reading.notes.append("p99 latency is not asked of an emulator (moto computes no percentiles)")
    if window.widened:
        reading.notes.append(f"the window is widened to one period ({window.period} s)")
    return reading


def demo_series(tables: tuple[str, ...]) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The (metric, sorted dimensions) of every series the demo seeds for ``tables``."""
    from ddbtui.aws.demo import metrics as demo_metrics

    return demo_metrics.series(tables)


def seed_demo_metrics(
    client: Any, conn: Any, tables: tuple[str, ...] | None = None, now: float | None = None
) -> int:
    """The demo's two weeks of synthetic metrics, put into the embedded backend's CloudWatch once (and
    its provisioned ``Clickstream`` table created); the data points written (0: already there)."""
    from ddbtui.aws.demo import metrics as demo_metrics

    stamp = int(time.time() if now is None else now)
    if tables is None:
        return demo_metrics.seed(cloudwatch_client(conn), client, stamp)
    return demo_metrics.seed(cloudwatch_client(conn), client, stamp, tables)


__all__ = [
    "MetricsReading",
    "MetricsUnavailable",
    "access_denied",
    "cloudwatch_client",
    "demo_series",
    "get_metric_data",
    "read_metrics",
    "read_settings",
    "scalable_targets",
    "seed_demo_metrics",
    "unavailable",
]
