"""The CloudWatch queries for one table and its GSIs, as ONE GetMetricData query list.

Per table (dimension ``TableName``): consumed and provisioned read/write capacity, read/write throttle
events; per operation (``TableName`` + ``Operation``): ThrottledRequests, SuccessfulRequestLatency
(average, and p99 where the backend computes percentiles), SystemErrors, ReturnedItemCount (Query, Scan);
UserErrors (account-wide in the region: DynamoDB publishes it without a table). Per GSI
(``TableName`` + ``GlobalSecondaryIndexName``): consumed, provisioned, throttle events, and
OnlineIndexPercentageProgress while it is being built.

GetMetricData takes at most 500 queries a call; a table with five GSIs needs about a hundred, so one call
serves a refresh. Only above 500 are the queries split (:func:`batches`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

NAMESPACE = "AWS/DynamoDB"
MAX_QUERIES = 500  # GetMetricData's limit per call
Kind = Literal["rate", "count", "gauge"]  # rate: Sum shown per second; count: Sum; gauge: Average/p99

OPERATIONS = (
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
)
WRITE_OPERATIONS = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")
ITEM_COUNT_OPERATIONS = ("Query", "Scan")


@dataclass(frozen=True)
class MetricKey:
    """One series: a metric and statistic of the table (``index`` None) or a GSI, maybe of one operation."""

    metric: str
    stat: str
    index: str | None = None
    operation: str | None = None

    @property
    def kind(self) -> Kind:
        if self.metric.startswith("Consumed"):
            return "rate"
        if self.stat == "Sum":
            return "count"
        return "gauge"

    @property
    def label(self) -> str:
        """``ConsumedReadCapacityUnits``, ``SuccessfulRequestLatency p99 GetItem``..."""
        out = self.metric
        if self.stat not in ("Sum", "Average"):
            out += f" {self.stat}"
        if self.operation:
            out += f" {self.operation}"
        return out

    @property
    def resource(self) -> str:
        return self.index or "table"


@dataclass(frozen=True)
class Query:
    id: str  # GetMetricData's Id: a lowercase letter first
    key: MetricKey
    dimensions: tuple[tuple[str, str], ...]

    def to_api(self, period: int) -> dict[str, Any]:
        """The MetricDataQuery boto3 takes."""
        return {
            "Id": self.id,
            "MetricStat": {
                "Metric": {
                    "Namespace": NAMESPACE,
                    "MetricName": self.key.metric,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
                },
                "Period": period,
                "Stat": self.key.stat,
            },
            "ReturnData": True,
        }


def table_keys(percentiles: bool = True) -> list[MetricKey]:
    """The table's series (dimension TableName, with Operation where the metric has one)."""
    keys = [
        MetricKey("ConsumedReadCapacityUnits", "Sum"),
        MetricKey("ConsumedWriteCapacityUnits", "Sum"),
        MetricKey("ProvisionedReadCapacityUnits", "Average"),
        MetricKey("ProvisionedWriteCapacityUnits", "Average"),
        MetricKey("ReadThrottleEvents", "Sum"),
        MetricKey("WriteThrottleEvents", "Sum"),
    ]
    for op in OPERATIONS:
        keys.append(MetricKey("ThrottledRequests", "Sum", operation=op))
    for op in OPERATIONS:
        keys.append(MetricKey("SuccessfulRequestLatency", "Average", operation=op))
        if percentiles:
            keys.append(MetricKey("SuccessfulRequestLatency", "p99", operation=op))
    for op in OPERATIONS:
        keys.append(MetricKey("SystemErrors", "Sum", operation=op))
    for op in ITEM_COUNT_OPERATIONS:
        keys.append(MetricKey("ReturnedItemCount", "Sum", operation=op))
    keys.append(MetricKey("UserErrors", "Sum"))
    return keys


def index_keys(index: str, building: bool = False) -> list[MetricKey]:
    keys = [
        MetricKey(m, s, index=index)
        for m, s in (
            ("ConsumedReadCapacityUnits", "Sum"),
            ("ConsumedWriteCapacityUnits", "Sum"),
            ("ProvisionedReadCapacityUnits", "Average"),
            ("ProvisionedWriteCapacityUnits", "Average"),
            ("ReadThrottleEvents", "Sum"),
            ("WriteThrottleEvents", "Sum"),
        )
    ]
    if building:
        keys.append(MetricKey("OnlineIndexPercentageProgress", "Average", index=index))
    return keys


def build_queries(
    table: str,
    gsis: list[str] | tuple[str, ...] = (),
    *,
    building: tuple[str, ...] | list[str] = (),
    percentiles: bool = True,
    include_table: bool = True,
) -> list[Query]:
    """Every query of one refresh. ``building``: GSIs being created (their progress is asked);
    ``percentiles`` off for backends that compute no p99 (moto answers 500 to it)."""
    keys: list[MetricKey] = table_keys(percentiles) if include_table else []
    for g in gsis:
        keys += index_keys(g, building=g in building)
    out = []
    for n, k in enumerate(keys):
        dims: list[tuple[str, str]] = []
        if k.metric != "UserErrors":
            dims.append(("TableName", table))
        if k.index is not None:
            dims.append(("GlobalSecondaryIndexName", k.index))
        if k.operation is not None:
            dims.append(("Operation", k.operation))
        out.append(Query(f"m{n}", k, tuple(dims)))
    return out


def batches(queries: list[Query], size: int = MAX_QUERIES) -> list[list[Query]]:
    """The queries in GetMetricData calls of at most ``size`` (one call for up to 500)."""
    return [queries[i : i + size] for i in range(0, len(queries), size)] or [[]]
