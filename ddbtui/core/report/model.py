"""What the report reasons about and what it says: the facts of one table (API responses in their own
shapes, a fact no API gave as an ``Unknown``), what the sample showed, the thresholds, and a ``Finding``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

from ddbtui.core.distribution import Distribution
from ddbtui.core.report.census import KeyCensus
from ddbtui.core.schema import TableSchema

Severity = Literal["critical", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}

LARGE_ITEM = 100 * 1024  # reads of it cost 13+ RCU (eventually consistent), writes 100+ WCU
NEAR_LIMIT_ITEM = 300 * 1024  # 75% of DynamoDB's 400 KB limit: a write that grows it may fail
COLLECTION_LIMIT = 10 * 1024**3  # item collection limit of a table with an LSI
COLLECTION_WARN = 1024**3
HOT_SHARE = 0.05  # a partition key with at least 5% of the sampled items...
HOT_FACTOR = 10  # ...and 10x the median partition...
HOT_MIN_ITEMS = 50  # ...and at least this many items is a hot-partition risk
SPARSE_SHARE = 0.2  # a GSI holding less than a fifth of the sampled items is sparse
TTL_MILLIS = 10**11  # an epoch-seconds TTL this large is in the year 5138: the value is in milliseconds
TTL_TOO_OLD = 5 * 365 * 86400  # DynamoDB does not delete items whose TTL is more than 5 years in the past
PARTITION_RCU, PARTITION_WCU = 3000, 1000  # what one partition serves per second
TTL_NAME_HINTS = ("ttl", "expir", "expires")


@dataclass(frozen=True)
class Unknown:
    """A fact the backend could not give, and why (``DynamoDB Local lacks DescribeContinuousBackups``)."""

    reason: str

    def to_json(self) -> dict[str, str]:
        return {"status": "unknown", "reason": self.reason}


@dataclass(frozen=True)
class Finding:
    """One result of the report: what was found, what to do, and the command that does it."""

    id: str
    severity: Severity
    title: str
    detail: str
    recommendation: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
            "recommendation": self.recommendation,
            "fix": self.fix,
        }


# --------------------------------------------------------------------------------------------- sample


@dataclass(frozen=True)
class TtlStats:
    """How the TTL attribute looks in the sample."""

    attribute: str
    expired: int = 0  # value <= now: DynamoDB will delete it (if TTL is on), reads still return it
    too_old: int = 0  # expired more than 5 years ago: DynamoDB never deletes these
    live: int = 0
    missing: int = 0  # no TTL attribute: never expires
    not_number: int = 0  # TTL ignores values that are not numbers
    millis: int = 0  # epoch milliseconds, not seconds: these never expire


@dataclass(frozen=True)
class SampleFacts:
    """What the bounded sample showed."""

    requested: int
    distribution: Distribution
    index_presence: dict[str, int] = field(default_factory=dict)  # index name -> sampled items in it
    ttl: TtlStats | None = None
    ttl_candidates: dict[str, int] = field(default_factory=dict)  # when TTL is off: epoch-like attributes
    capacity: float = 0.0
    estimated: bool = True
    segments: int = 1
    complete: bool = False  # the whole table was read
    stopped_by_cap: bool = False
    max_capacity: float | None = None
    now: int = 0
    # the partition keys of whole segments, counted after the sample (None: the sample was the whole
    # table, the cap was spent, or the census failed: ``census_note`` says which)
    census: KeyCensus | None = None
    census_note: str | None = None
    # the partition key (DynamoDB JSON) of the last item read in each segment the sample did not finish:
    # its collection may go on, so its count in the sample is a lower bound (every other key's is exact:
    # a Scan returns each partition key's items one after another)
    open_keys: tuple[dict[str, Any], ...] = ()

    @property
    def items(self) -> int:
        return self.distribution.items


# --------------------------------------------------------------------------------------------- facts


@dataclass
class TableFacts:
    """Everything the report knows about one table. API responses are kept in their own shapes."""

    table: dict[str, Any]  # DescribeTable()["Table"]
    ttl: dict[str, Any] | Unknown = field(default_factory=lambda: Unknown("not asked"))
    backups: dict[str, Any] | Unknown = field(default_factory=lambda: Unknown("not asked"))
    tags: list[dict[str, str]] | Unknown = field(default_factory=lambda: Unknown("not asked"))
    # ScalableTargets of Application Auto Scaling (each may carry "TargetValue" from its policy);
    # None: not applicable (an on-demand table)
    autoscaling: list[dict[str, Any]] | Unknown | None = None
    contributor_insights: dict[str, Any] | Unknown = field(default_factory=lambda: Unknown("not asked"))
    sample: SampleFacts | Unknown | None = None
    # CloudWatch metrics: a ddbtui.core.metrics.usage.Usage, an Unknown (no permission, no CloudWatch),
    # or None (not asked)
    usage: Any = None
    # Contributor Insights' top keys (a ddbtui.core.metrics.insights.Insights), read when its status is
    # readable; None otherwise
    insights: Any = None
    region: str | None = None
    endpoint_url: str | None = None
    emulator: bool = False  # moto or DynamoDB Local: capacity is estimated, TTL never deletes
    generated_at: float = field(default_factory=time.time)

    @property
    def name(self) -> str:
        return str(self.table["TableName"])

    @property
    def ttl_attribute(self) -> str | None:
        if isinstance(self.ttl, dict) and self.ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return self.ttl.get("AttributeName")
        return None

    @property
    def schema(self) -> TableSchema:
        return TableSchema.from_describe(self.table, self.ttl_attribute)
