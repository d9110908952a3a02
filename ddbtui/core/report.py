"""The table health and design report: facts in, findings out, rendered as Markdown or JSON.

``ddbtui.aws.report`` gathers the facts (DescribeTable, TTL, backups, tags, autoscaling, Contributor
Insights and a bounded sample of items); this module only reasons about them, so every rule can be tested
with hand-made facts. A fact an API could not supply is an ``Unknown`` with the reason, never an error.

Each finding has a severity (critical, warning, info), a concrete recommendation, and the command or API
call that fixes it (AWS CLI, with the region and endpoint of the connection, so it can be pasted).

Table data is untrusted: every value from the table is passed through ``safe_text`` and Markdown-escaped
before it is rendered.

Pure: stdlib and ``ddbtui.core`` only.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ddbtui.core.capacity import WRITE_BLOCK, format_units, read_units
from ddbtui.core.distribution import Distribution, DistributionBuilder, PartitionStat
from ddbtui.core.schema import IndexSchema, TableSchema
from ddbtui.core.values import safe_text

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

    @property
    def items(self) -> int:
        return self.distribution.items


def _number(av: Mapping[str, Any]) -> Decimal | None:
    if "N" not in av:
        return None
    try:
        return Decimal(av["N"])
    except (InvalidOperation, TypeError):
        return None


class SampleAccumulator:
    """Add sampled items one by one; ``result()`` gives the ``SampleFacts`` (memory: per partition key)."""

    def __init__(self, schema: TableSchema, ttl_attribute: str | None, now: int | None = None) -> None:
        self.schema = schema
        self.ttl_attribute = ttl_attribute
        self.now = int(time.time()) if now is None else now
        self.builder = DistributionBuilder(schema.key, schema.lsis)
        self._indexes: tuple[IndexSchema, ...] = (*schema.lsis, *schema.gsis)
        self.presence = {ix.label: 0 for ix in self._indexes}
        self._ttl = dict.fromkeys(("expired", "too_old", "live", "missing", "not_number", "millis"), 0)
        self.candidates: dict[str, int] = {}

    def add(self, item: Mapping[str, Mapping[str, Any]]) -> None:
        self.builder.add(item)
        for ix in self._indexes:
            if all(a in item for a in ix.key.attributes):
                self.presence[ix.label] += 1
        if self.ttl_attribute:
            self._count_ttl(item.get(self.ttl_attribute))
        else:
            for name, av in item.items():
                lowered = name.lower()
                if any(h in lowered for h in TTL_NAME_HINTS):
                    n = _number(av)
                    if n is not None and 10**9 <= n < 10**10:
                        self.candidates[name] = self.candidates.get(name, 0) + 1

    def _count_ttl(self, av: Mapping[str, Any] | None) -> None:
        t = self._ttl
        if av is None:
            t["missing"] += 1
            return
        n = _number(av)
        if n is None:
            t["not_number"] += 1
        elif n >= TTL_MILLIS:
            t["millis"] += 1
        elif n <= self.now:
            t["expired"] += 1
            if n < self.now - TTL_TOO_OLD:
                t["too_old"] += 1
        else:
            t["live"] += 1

    def result(
        self,
        requested: int,
        *,
        capacity: float = 0.0,
        estimated: bool = True,
        segments: int = 1,
        complete: bool = False,
        stopped_by_cap: bool = False,
        max_capacity: float | None = None,
    ) -> SampleFacts:
        ttl = TtlStats(self.ttl_attribute, **self._ttl) if self.ttl_attribute else None
        return SampleFacts(
            requested=requested,
            distribution=self.builder.result(),
            index_presence=dict(self.presence),
            ttl=ttl,
            ttl_candidates=dict(self.candidates),
            capacity=capacity,
            estimated=estimated,
            segments=segments,
            complete=complete,
            stopped_by_cap=stopped_by_cap,
            max_capacity=max_capacity,
            now=self.now,
        )


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


# --------------------------------------------------------------------------------------------- helpers


def _aws(facts: TableFacts, command: str) -> str:
    """An AWS CLI command for this connection: ``--region`` and, off AWS, ``--endpoint-url`` appended."""
    extra = []
    if facts.region:
        extra.append(f"--region {shlex.quote(facts.region)}")
    if facts.endpoint_url:
        extra.append(f"--endpoint-url {shlex.quote(facts.endpoint_url)}")
    return " ".join(["aws", command, *extra])


def _q(text: str) -> str:
    return shlex.quote(text)


def _kb(size: float) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{int(size)} B"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%" if x < 0.995 else f"{100 * x:.0f}%"


def _show(text: str, width: int = 60) -> str:
    """A value from the table, made terminal-safe and cut to ``width`` characters."""
    text = safe_text(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_class(desc: Mapping[str, Any]) -> str:
    return (desc.get("TableClassSummary") or {}).get("TableClass") or "STANDARD"


# --------------------------------------------------------------------------------------------- rules


def _rule_capacity(f: TableFacts, s: TableSchema) -> list[Finding]:
    name = f.name
    if s.billing_mode == "PAY_PER_REQUEST":
        return []  # nothing to manage; the configuration section says so
    out: list[Finding] = []
    rcu, wcu = s.read_capacity or 0, s.write_capacity or 0
    targets = f.autoscaling
    if isinstance(targets, Unknown):
        out.append(
            Finding(
                "autoscaling-unknown",
                "info",
                f"Provisioned {rcu} RCU / {wcu} WCU; auto scaling unknown",
                f"Application Auto Scaling could not be asked: {targets.reason}.",
                "Check that the table's read and write capacity scale with its traffic.",
                _aws(
                    f,
                    "application-autoscaling describe-scalable-targets --service-namespace dynamodb "
                    f"--resource-ids {_q('table/' + name)}",
                ),
            )
        )
        return out
    dims = {(t.get("ResourceId"), t.get("ScalableDimension")) for t in targets or []}
    missing = [
        kind
        for kind in ("Read", "Write")
        if (f"table/{name}", f"dynamodb:table:{kind}CapacityUnits") not in dims
    ]
    if missing:
        cmds = []
        for kind in missing:
            dim = f"dynamodb:table:{kind}CapacityUnits"
            current = rcu if kind == "Read" else wcu
            cmds.append(
                _aws(
                    f,
                    f"application-autoscaling register-scalable-target --service-namespace dynamodb "
                    f"--resource-id {_q('table/' + name)} --scalable-dimension {dim} "
                    f"--min-capacity {max(1, current // 2)} --max-capacity {max(10, current * 4)}",
                )
            )
            policy = json.dumps(
                {
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": f"DynamoDB{kind}CapacityUtilization"
                    },
                    "TargetValue": 70.0,
                },
                separators=(",", ":"),
            )
            cmds.append(
                _aws(
                    f,
                    f"application-autoscaling put-scaling-policy --service-namespace dynamodb "
                    f"--resource-id {_q('table/' + name)} --scalable-dimension {dim} "
                    f"--policy-name {_q(name + '-' + kind.lower() + '-scaling')} "
                    f"--policy-type TargetTrackingScaling "
                    f"--target-tracking-scaling-policy-configuration {_q(policy)}",
                )
            )
        out.append(
            Finding(
                "autoscaling-off",
                "warning",
                f"Provisioned capacity without auto scaling ({' and '.join(m.lower() for m in missing)})",
                f"The table has a fixed {rcu} RCU / {wcu} WCU: traffic above it is throttled, capacity "
                "below it is paid for unused.",
                "Register the table with Application Auto Scaling (target tracking at 70% utilisation), "
                "or switch to on-demand.",
                "\n".join(cmds),
            )
        )
    else:
        out.append(
            Finding(
                "autoscaling-on",
                "info",
                f"Provisioned {rcu} RCU / {wcu} WCU with auto scaling",
                "; ".join(
                    f"{t.get('ScalableDimension', '?').rsplit(':', 1)[-1]} {t.get('MinCapacity')}"
                    f"-{t.get('MaxCapacity')}"
                    + (f" at {t['TargetValue']:g}%" if isinstance(t.get("TargetValue"), int | float) else "")
                    for t in targets or []
                    if t.get("ResourceId") == f"table/{name}"
                ),
                "Nothing to do.",
                None,
            )
        )
    # GSIs: a GSI that cannot absorb the table's writes throttles the table's writes (back-pressure)
    for g in s.gsis:
        raw = next((x for x in f.table.get("GlobalSecondaryIndexes", []) if x.get("IndexName") == g.name), {})
        gw = (raw.get("ProvisionedThroughput") or {}).get("WriteCapacityUnits")
        gsi_scaled = (f"table/{name}/index/{g.name}", "dynamodb:index:WriteCapacityUnits") in dims
        if gw is not None and wcu and gw < wcu and not gsi_scaled:
            out.append(
                Finding(
                    "gsi-write-capacity",
                    "warning",
                    f"GSI {g.name} has less write capacity than the table ({gw} < {wcu} WCU)",
                    "Every write to an item in the index also writes the index; when the index is "
                    "throttled, DynamoDB throttles the table's writes too.",
                    "Give the GSI at least the table's write capacity, or auto scale it.",
                    _aws(
                        f,
                        f"dynamodb update-table --table-name {_q(name)} --global-secondary-index-updates "
                        + _q(
                            json.dumps(
                                [
                                    {
                                        "Update": {
                                            "IndexName": g.name,
                                            "ProvisionedThroughput": {
                                                "ReadCapacityUnits": (
                                                    raw.get("ProvisionedThroughput") or {}
                                                ).get("ReadCapacityUnits", rcu),
                                                "WriteCapacityUnits": wcu,
                                            },
                                        }
                                    }
                                ],
                                separators=(",", ":"),
                            )
                        ),
                    ),
                )
            )
    return out


def _rule_pitr(f: TableFacts) -> list[Finding]:
    b = f.backups
    cmd = _aws(
        f,
        f"dynamodb update-continuous-backups --table-name {_q(f.name)} "
        "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
    )
    if isinstance(b, Unknown):
        return [
            Finding(
                "pitr-unknown",
                "info",
                "Point-in-time recovery: unknown",
                f"DescribeContinuousBackups failed: {b.reason}.",
                "Check that point-in-time recovery is on for tables whose data matters.",
                cmd,
            )
        ]
    status = (b.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus")
    if status == "ENABLED":
        return []
    return [
        Finding(
            "pitr-off",
            "warning",
            "Point-in-time recovery is off",
            "A bad deploy or a mistaken delete cannot be undone: without PITR, the table can only be "
            "restored from on-demand backups, if any were taken.",
            "Turn on point-in-time recovery (restores to any second of the last 35 days).",
            cmd,
        )
    ]


def _rule_deletion_protection(f: TableFacts) -> list[Finding]:
    if f.table.get("DeletionProtectionEnabled"):
        return []
    return [
        Finding(
            "deletion-protection-off",
            "warning",
            "Deletion protection is off",
            "One DeleteTable call (a script, a misdirected IaC change) removes the table and its data.",
            "Turn on deletion protection for tables that hold data worth keeping.",
            _aws(f, f"dynamodb update-table --table-name {_q(f.name)} --deletion-protection-enabled"),
        )
    ]


def _rule_ttl(f: TableFacts, sample: SampleFacts | None) -> list[Finding]:
    name = f.name
    if isinstance(f.ttl, Unknown):
        return [
            Finding(
                "ttl-unknown",
                "info",
                "Time to live: unknown",
                f"DescribeTimeToLive failed: {f.ttl.reason}.",
                "Check whether items that should expire carry a TTL attribute.",
                None,
            )
        ]
    attr = f.ttl_attribute
    out: list[Finding] = []
    if attr is None:
        candidates = sorted((sample.ttl_candidates if sample else {}).items(), key=lambda kv: -kv[1])
        if candidates:
            cand, n = candidates[0]
            out.append(
                Finding(
                    "ttl-off-candidate",
                    "warning",
                    f"TTL is off, but {n:,} sampled items carry an expiry time in {_show(cand, 40)!r}",
                    "The attribute holds epoch seconds, as TTL expects, yet nothing deletes expired items: "
                    "they keep costing storage and are paid for on every scan.",
                    f"Turn TTL on for {_show(cand, 40)!r} if it is meant as an expiry time.",
                    _aws(
                        f,
                        f"dynamodb update-time-to-live --table-name {_q(name)} "
                        f"--time-to-live-specification Enabled=true,AttributeName={_q(cand)}",
                    ),
                )
            )
        return out
    t = sample.ttl if sample else None
    if t is None or sample is None or sample.items == 0:
        return out
    n = sample.items
    if t.expired:
        share = t.expired / n
        deleted = t.expired - t.too_old
        out.append(
            Finding(
                "ttl-expired-present",
                "warning" if share >= 0.1 else "info",
                f"{t.expired:,} sampled items ({_pct(share)}) have expired but are still in the table",
                f"TTL on {_show(attr, 40)!r} deletes expired items in the background, usually within a few "
                "days; until then Query and Scan return them and charge for them."
                + (
                    f" {t.too_old:,} of them expired more than five years ago: DynamoDB never deletes those."
                    if t.too_old
                    else ""
                )
                + (" (Emulators never delete expired items.)" if f.emulator and deleted else ""),
                "Filter expired items out of reads until they are deleted"
                + ("; delete the ones TTL will never remove yourself." if t.too_old else "."),
                f"ddbtui scan {_q(name)} --filter {_q(f'attribute_not_exists({attr}) OR {attr} > {sample.now}')}",
            )
        )
    if t.millis:
        out.append(
            Finding(
                "ttl-milliseconds",
                "critical",
                f"{t.millis:,} sampled items hold their TTL in milliseconds",
                f"{_show(attr, 40)!r} must be epoch *seconds*; a millisecond value lies thousands of years in "
                "the future, so these items never expire.",
                "Write epoch seconds (Math.floor(Date.now() / 1000) + lifetime) and rewrite the stored values "
                "as value / 1000.",
                f"ddbtui scan {_q(f.name)} --filter {_q(f'{attr} >= {TTL_MILLIS}')} "
                f"--project {_q(','.join([*f.schema.key.attributes, attr]))}",
            )
        )
    if t.not_number:
        out.append(
            Finding(
                "ttl-not-number",
                "warning",
                f"{t.not_number:,} sampled items hold a TTL value that is not a number",
                f"TTL ignores {_show(attr, 40)!r} unless it is a Number (epoch seconds): these never expire.",
                "Store the expiry time as a Number of epoch seconds.",
                None,
            )
        )
    return out


def _rule_tags(f: TableFacts) -> list[Finding]:
    if isinstance(f.tags, Unknown) or f.tags:
        return []
    arn = f.table.get("TableArn") or f"arn:aws:dynamodb:REGION:ACCOUNT:table/{f.name}"
    return [
        Finding(
            "no-tags",
            "info",
            "The table has no tags",
            "Without tags its cost cannot be allocated to a team or a service in Cost Explorer.",
            "Tag the table (and activate the tag keys as cost allocation tags).",
            _aws(f, f"dynamodb tag-resource --resource-arn {_q(arn)} --tags Key=team,Value=YOUR-TEAM"),
        )
    ]


def hot_partitions(sample: SampleFacts) -> list[PartitionStat]:
    """Partition keys of the sample that hold far more items than the rest: at least 5% of the sample,
    at least 50 items, and ten times the median partition."""
    d = sample.distribution
    if d.partitions < 5:
        return []
    base = max(1.0, d.median_items_per_partition)
    return [
        p
        for p in d.top_by_items
        if p.share_items >= HOT_SHARE and p.items >= HOT_MIN_ITEMS and p.items >= HOT_FACTOR * base
    ]


def _rule_hot_partition(f: TableFacts, sample: SampleFacts | None) -> list[Finding]:
    if sample is None or sample.items == 0:
        return []
    hot = hot_partitions(sample)
    if not hot:
        return []
    d = sample.distribution
    pk = f.schema.key.partition_key
    top = hot[0]
    names = ", ".join(f"{_show(p.key, 40)} ({p.items:,} items, {_pct(p.share_items)})" for p in hot[:3])
    ci_on = isinstance(f.contributor_insights, dict) and f.contributor_insights.get(
        "ContributorInsightsStatus"
    ) in ("ENABLED", "ENABLING")
    fix = [
        f"# write sharding: {pk} = '{_show(top.key, 40)}#' + str(hash(sort key) % 10); "
        "read with 10 parallel Queries",
    ]
    if not ci_on:
        fix.append(
            _aws(
                f,
                f"dynamodb update-contributor-insights --table-name {_q(f.name)} "
                "--contributor-insights-action ENABLE",
            )
        )
    return [
        Finding(
            "hot-partition",
            "warning",
            f"Hot partition risk: {pk} = {_show(top.key, 40)!r} holds {_pct(top.share_items)} of the sample",
            f"{names}; the median partition key holds {d.median_items_per_partition:g} "
            f"item{'' if d.median_items_per_partition == 1 else 's'} "
            f"(skew {d.gini:.2f} on a 0-1 scale). All items of one partition key live in one partition, "
            f"which serves at most {PARTITION_RCU:,} RCU and {PARTITION_WCU:,} WCU per second: if traffic "
            "follows the data, this key throttles first. The sample counts stored items; Contributor "
            "Insights shows which keys are actually read and written most.",
            "Shard the key if its traffic is high (write to KEY#0..KEY#9, read the shards in parallel), "
            "split unbounded collections (archive old items under another key), and turn on Contributor "
            "Insights to see the hottest keys by traffic.",
            "\n".join(fix),
        )
    ]


def _write_units(size: int) -> float:
    return float(-(-size // WRITE_BLOCK))


def _key_json(value: str, type_: str | None) -> dict[str, Any]:
    return {type_ or "S": value}


def _rule_large_items(f: TableFacts, sample: SampleFacts | None) -> list[Finding]:
    if sample is None or not sample.distribution.largest_items:
        return []
    d = sample.distribution
    largest = d.largest_items[0]
    if largest.size < LARGE_ITEM:
        return []
    big = [x for x in d.largest_items if x.size >= LARGE_ITEM]
    near = [x for x in big if x.size >= NEAR_LIMIT_ITEM]
    schema = f.schema
    examples = "; ".join(
        f"{_show(x.partition_key, 40)}"
        + (f" / {_show(x.sort_key, 40)}" if x.sort_key is not None else "")
        + f": {_kb(x.size)} ({_pct(x.share_of_limit)} of 400 KB"
        + (
            f", {_show(x.largest_attribute, 30)!r} is {_kb(x.largest_attribute_size)}"
            if x.largest_attribute
            else ""
        )
        + ")"
        for x in big[:5]
    )
    severity: Severity = "critical" if near else "warning"
    many = "+" if len(big) == len(d.largest_items) else ""  # only the largest few are kept
    over = f"{len(big)}{many} sampled item{'s' if len(big) != 1 else ''} over {_kb(LARGE_ITEM)}"
    title = f"{len(near)} sampled item{'s' if len(near) != 1 else ''} near the 400 KB item limit; {over}"
    if not near:
        title = over[0].upper() + over[1:]
    key = {schema.key.partition_key: _key_json(largest.partition_key, largest.partition_key_type)}
    if schema.key.sort_key and largest.sort_key is not None:
        key[schema.key.sort_key] = _key_json(largest.sort_key, largest.sort_key_type)
    attr = largest.largest_attribute or "BIG_ATTRIBUTE"
    s3 = f"s3://YOUR-BUCKET/{f.name}/{attr}/OBJECT-KEY"
    fix = "\n".join(
        [
            f"# for the largest item: move {attr!r} to S3, keep a pointer in the item",
            f"aws s3 cp {_q(attr + '.bin')} {_q(s3)}",
            _aws(
                f,
                f"dynamodb update-item --table-name {_q(f.name)} "
                f"--key {_q(json.dumps(key, ensure_ascii=False, separators=(',', ':')))} "
                "--update-expression 'SET #ptr = :ptr REMOVE #big' "
                + "--expression-attribute-names "
                + _q(
                    json.dumps(
                        {"#ptr": attr + "S3Uri", "#big": attr}, ensure_ascii=False, separators=(",", ":")
                    )
                )
                + " --expression-attribute-values "
                + _q(json.dumps({":ptr": {"S": s3}}, ensure_ascii=False, separators=(",", ":"))),
            ),
        ]
    )
    return [
        Finding(
            "large-items",
            severity,
            title,
            f"{examples}. Every read of the largest costs {format_units(read_units(largest.size))} RCU "
            f"(eventually consistent) and every write {format_units(_write_units(largest.size))} WCU; a "
            "Query of its partition pays for it even when it wants only the small items"
            + ("; an update that grows an item past 400 KB fails." if near else "."),
            "Move blobs, documents and unbounded lists to S3 and keep their S3 key in the item, or split "
            "the item into several items under the same partition key; compress large text.",
            fix,
        )
    ]


def _index_raw(f: TableFacts, ix: IndexSchema) -> dict[str, Any]:
    group = "GlobalSecondaryIndexes" if ix.kind == "gsi" else "LocalSecondaryIndexes"
    return next((x for x in f.table.get(group, []) if x.get("IndexName") == ix.name), {})


def _rule_indexes(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    out: list[Finding] = []
    n = sample.items if sample else 0
    for ix in s.gsis:
        present = sample.index_presence.get(ix.label) if sample else None
        share = (present or 0) / n if n else None
        if share is not None and present == 0 and n >= 100:
            out.append(
                Finding(
                    f"gsi-empty:{ix.name}",
                    "info",
                    f"No sampled item is in GSI {ix.name}",
                    f"None of the {n:,} sampled items has both {' and '.join(ix.key.attributes)}. The "
                    "index may serve rare items (fine) or nothing at all (a wrong attribute name?).",
                    "Check that writers set the index's key attributes; drop the index if nothing uses it "
                    "(it costs storage and nothing else while empty).",
                    _aws(
                        f,
                        f"dynamodb update-table --table-name {_q(f.name)} --global-secondary-index-updates "
                        + _q(json.dumps([{"Delete": {"IndexName": ix.name}}], separators=(",", ":"))),
                    ),
                )
            )
        elif share is not None and share < SPARSE_SHARE:
            out.append(
                Finding(
                    f"sparse-gsi:{ix.name}",
                    "info",
                    f"GSI {ix.name} is sparse: {_pct(share)} of the sampled items are in it",
                    f"Only items with {' and '.join(ix.key.attributes)} are copied into the index "
                    f"({present:,} of {n:,} sampled). Scanning or querying it reads only those — the sparse "
                    "index pattern — and writes to the other items cost the index nothing.",
                    f"Use it for 'items that have {ix.key.partition_key}' lookups instead of a filtered Scan "
                    "of the table.",
                    f"ddbtui scan {_q(f.name)} --index {_q(ix.name or '')}",
                )
            )
        if ix.projection == "ALL" and (share is None or share >= SPARSE_SHARE):
            out.append(
                Finding(
                    f"gsi-projects-all:{ix.name}",
                    "info",
                    f"GSI {ix.name} copies every attribute (projection ALL)"
                    + (f" of {_pct(share)} of the items" if share is not None else ""),
                    "Every write to an item in the index writes the index too, at the full item size, "
                    "and the index stores a full copy of those items.",
                    "If the queries on this index need only a few attributes, a new index with INCLUDE of "
                    "just those halves its storage and write cost (projections cannot be changed in place).",
                    None,
                )
            )
    return out


def _rule_collections(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    if not s.lsis or sample is None or not sample.distribution.collections:
        return []
    top = sample.distribution.collections[0]
    lsis = ", ".join(ix.label for ix in s.lsis)
    if top.bytes >= COLLECTION_WARN:
        severity: Severity = "critical" if top.bytes >= 0.8 * COLLECTION_LIMIT else "warning"
        return [
            Finding(
                "item-collection-size",
                severity,
                f"Item collection {_show(top.key, 40)!r} holds {_kb(top.bytes)} (limit 10 GB with an LSI)",
                f"With a local secondary index ({lsis}) all items of one partition key and their index "
                "entries must fit in 10 GB; writes to a full collection fail with "
                "ItemCollectionSizeLimitExceededException.",
                "Split the partition key (time buckets, shards) or replace the LSI with a GSI, which has no "
                "collection limit (LSIs can only be removed by recreating the table).",
                None,
            )
        ]
    return [
        Finding(
            "item-collection-size",
            "info",
            f"Largest item collection in the sample: {_show(top.key, 40)!r}, {_kb(top.bytes)} of 10 GB",
            f"The table has an LSI ({lsis}), so each partition key's items and their index entries are "
            "limited to 10 GB; the sample shows no collection near it"
            + ("" if sample.complete else " (a sample sees a collection only in part)")
            + ".",
            "Nothing to do now; watch collections that grow without bound (ReturnItemCollectionMetrics=SIZE "
            "on writes reports their size).",
            None,
        )
    ]


def _rule_contributor_insights(f: TableFacts) -> list[Finding]:
    ci = f.contributor_insights
    if not isinstance(ci, Unknown):
        return []  # when it is off and a key looks hot, the hot-partition finding carries the command
    return [
        Finding(
            "contributor-insights-unknown",
            "info",
            "Contributor Insights: unknown",
            f"DescribeContributorInsights failed: {ci.reason}.",
            "Contributor Insights shows the most accessed and most throttled keys.",
            None,
        )
    ]


def _rule_sample(f: TableFacts) -> list[Finding]:
    s = f.sample
    if isinstance(s, Unknown):
        return [
            Finding(
                "sample-unknown",
                "info",
                "The sample could not be read",
                f"Scan failed: {s.reason}.",
                "The configuration findings stand; rerun with read access for the sample-based ones.",
                None,
            )
        ]
    if isinstance(s, SampleFacts) and s.stopped_by_cap:
        return [
            Finding(
                "sample-capped",
                "info",
                f"The sample stopped at its capacity cap ({format_units(s.max_capacity or 0)} RCU) "
                f"after {s.items:,} items",
                "The items are larger than the cap assumed (about 2 KB each).",
                "Raise --max-capacity to read the full sample.",
                None,
            )
        ]
    return []


def findings(facts: TableFacts) -> list[Finding]:
    """Every finding for ``facts``, most severe first (stable within a severity)."""
    schema = facts.schema
    sample = facts.sample if isinstance(facts.sample, SampleFacts) else None
    out: list[Finding] = []
    hot = _rule_hot_partition(facts, sample)
    out += hot
    out += _rule_large_items(facts, sample)
    out += _rule_ttl(facts, sample)
    out += _rule_collections(facts, schema, sample)
    out += _rule_capacity(facts, schema)
    out += _rule_pitr(facts)
    out += _rule_deletion_protection(facts)
    out += _rule_indexes(facts, schema, sample)
    out += _rule_contributor_insights(facts)
    out += _rule_tags(facts)
    out += _rule_sample(facts)
    return sorted(out, key=lambda x: SEVERITY_ORDER[x.severity])


# --------------------------------------------------------------------------------------------- summary


def configuration(facts: TableFacts) -> dict[str, Any]:
    """The table's settings as plain JSON values; unknown ones as ``{"status": "unknown", "reason"}``."""
    s = facts.schema
    t = facts.table
    out: dict[str, Any] = {
        "status": t.get("TableStatus"),
        "billing_mode": s.billing_mode,
        "provisioned": (
            {"read": s.read_capacity, "write": s.write_capacity} if s.billing_mode == "PROVISIONED" else None
        ),
        "item_count": t.get("ItemCount"),
        "size_bytes": t.get("TableSizeBytes"),
        "table_class": _table_class(t),
        "deletion_protection": bool(t.get("DeletionProtectionEnabled")),
    }
    a = facts.autoscaling
    if a is None:
        out["autoscaling"] = {"status": "not applicable", "reason": "on-demand table"}
    elif isinstance(a, Unknown):
        out["autoscaling"] = a.to_json()
    else:
        out["autoscaling"] = {
            "status": "enabled" if a else "off",
            "targets": [
                {
                    "resource": x.get("ResourceId"),
                    "dimension": x.get("ScalableDimension"),
                    "min": x.get("MinCapacity"),
                    "max": x.get("MaxCapacity"),
                    "target_utilization": x.get("TargetValue"),
                }
                for x in a
            ],
        }
    b = facts.backups
    if isinstance(b, Unknown):
        out["point_in_time_recovery"] = b.to_json()
    else:
        pitr = b.get("PointInTimeRecoveryDescription") or {}
        out["point_in_time_recovery"] = {
            "status": (pitr.get("PointInTimeRecoveryStatus") or "DISABLED").lower(),
            "earliest_restore": str(pitr["EarliestRestorableDateTime"])
            if pitr.get("EarliestRestorableDateTime")
            else None,
        }
    sse = t.get("SSEDescription") or {}
    out["encryption"] = {
        "type": sse.get("SSEType") or "AWS_OWNED",
        "status": sse.get("Status") or "ENABLED",
        "kms_key": sse.get("KMSMasterKeyArn"),
    }
    if isinstance(facts.ttl, Unknown):
        out["ttl"] = facts.ttl.to_json()
    else:
        out["ttl"] = {
            "status": (facts.ttl.get("TimeToLiveStatus") or "DISABLED").lower(),
            "attribute": facts.ttl.get("AttributeName"),
        }
    out["stream"] = {
        "enabled": s.stream_view_type is not None,
        "view_type": s.stream_view_type,
        "arn": t.get("LatestStreamArn") if s.stream_view_type else None,
    }
    out["tags"] = (
        facts.tags.to_json()
        if isinstance(facts.tags, Unknown)
        else {x.get("Key", ""): x.get("Value", "") for x in facts.tags}
    )
    ci = facts.contributor_insights
    out["contributor_insights"] = (
        ci.to_json()
        if isinstance(ci, Unknown)
        else {"status": (ci.get("ContributorInsightsStatus") or "DISABLED").lower()}
    )
    return out


def indexes(facts: TableFacts) -> list[dict[str, Any]]:
    """Each secondary index: keys, projection, the attributes it copies, size, share of the sample in it."""
    s = facts.schema
    sample = facts.sample if isinstance(facts.sample, SampleFacts) else None
    out = []
    for ix in (*s.lsis, *s.gsis):
        raw = _index_raw(facts, ix)
        if ix.projection == "ALL":
            copies: Any = "all attributes"
        elif ix.projection == "KEYS_ONLY":
            copies = "keys only"
        else:
            copies = list(ix.non_key_attributes)
        present = sample.index_presence.get(ix.label) if sample else None
        throughput = raw.get("ProvisionedThroughput") or {}
        out.append(
            {
                "name": ix.name,
                "kind": ix.kind,
                "partition_key": ix.key.partition_key,
                "sort_key": ix.key.sort_key,
                "projection": ix.projection,
                "copies": copies,
                "item_count": ix.item_count,
                "size_bytes": ix.size_bytes,
                "status": raw.get("IndexStatus", "ACTIVE") if ix.kind == "gsi" else None,
                "provisioned": (
                    {
                        "read": throughput.get("ReadCapacityUnits"),
                        "write": throughput.get("WriteCapacityUnits"),
                    }
                    if ix.kind == "gsi" and s.billing_mode == "PROVISIONED"
                    else None
                ),
                "sample_items": present,
                "sample_share": (present / sample.items)
                if sample and sample.items and present is not None
                else None,
            }
        )
    return out


def _partition_json(p: PartitionStat) -> dict[str, Any]:
    return {
        "key": p.key,
        "type": p.key_type,
        "items": p.items,
        "bytes": p.bytes,
        "largest_item": p.largest_item,
        "share_items": round(p.share_items, 4),
        "share_bytes": round(p.share_bytes, 4),
    }


def sample_json(sample: SampleFacts | Unknown | None) -> dict[str, Any] | None:
    if sample is None:
        return None
    if isinstance(sample, Unknown):
        return sample.to_json()
    d = sample.distribution
    ttl = sample.ttl
    return {
        "requested": sample.requested,
        "items": d.items,
        "bytes": d.bytes,
        "complete": sample.complete,
        "segments": sample.segments,
        "capacity": {
            "read_units": sample.capacity,
            "estimated": sample.estimated,
            "cap": sample.max_capacity,
        },
        "stopped_by_cap": sample.stopped_by_cap,
        "partitions": d.partitions,
        "skew_gini": round(d.gini, 4),
        "mean_item_size": round(d.mean_item_size, 1),
        "size_histogram": [
            {"bucket": b.label, "low": b.low, "high": b.high, "items": b.items, "bytes": b.bytes}
            for b in d.histogram
        ],
        "largest_items": [
            {"partition_key": x.partition_key, "sort_key": x.sort_key, "size": x.size}
            for x in d.largest_items
        ],
        "top_partitions_by_items": [_partition_json(p) for p in d.top_by_items],
        "top_partitions_by_bytes": [_partition_json(p) for p in d.top_by_bytes],
        "item_collections": [_partition_json(p) for p in d.collections],
        "ttl": None
        if ttl is None
        else {
            "attribute": ttl.attribute,
            "expired": ttl.expired,
            "expired_over_5_years": ttl.too_old,
            "live": ttl.live,
            "missing": ttl.missing,
            "not_number": ttl.not_number,
            "milliseconds": ttl.millis,
            "now": sample.now,
        },
        "ttl_candidates": sample.ttl_candidates,
        "index_presence": sample.index_presence,
    }


def report_json(facts: TableFacts, found: list[Finding] | None = None) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (``ddbtui report --format json``)."""
    found = findings(facts) if found is None else found
    return {
        "table": facts.name,
        "generated_at": datetime.fromtimestamp(facts.generated_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": facts.region,
        "endpoint_url": facts.endpoint_url,
        "configuration": configuration(facts),
        "indexes": indexes(facts),
        "sample": sample_json(facts.sample),
        "findings": [x.to_json() for x in found],
    }


# --------------------------------------------------------------------------------------------- markdown

# enough to keep data from forming links, code, emphasis, HTML or table cells; `#` and `_` inside a line
# are harmless in CommonMark and escaping them makes the raw text hard to read
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*[]<>|"})


def md(text: Any, width: int = 80) -> str:
    """Untrusted text for a Markdown cell or line: control characters visible, Markdown syntax escaped."""
    out = _show(str(text), width).translate(_MD_SPECIAL)
    return "\\" + out if out[:1] in ("#", "-", "+", "=", "~") else out  # no heading or list at a line start


def _md_unknown(value: Mapping[str, Any]) -> str:
    return f"unknown ({md(value.get('reason', ''), 200)})"


def _config_rows(c: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("Status", md(c["status"]))]
    if c["billing_mode"] == "PROVISIONED":
        p = c["provisioned"] or {}
        rows.append(("Billing mode", f"provisioned: {p.get('read')} RCU / {p.get('write')} WCU"))
    else:
        rows.append(("Billing mode", "on-demand (PAY_PER_REQUEST)"))
    a = c["autoscaling"]
    if a["status"] == "unknown":
        rows.append(("Auto scaling", _md_unknown(a)))
    elif a["status"] == "not applicable":
        rows.append(("Auto scaling", "not applicable (on-demand)"))
    else:
        targets = "; ".join(f"{md(t['dimension'])} {t['min']}-{t['max']}" for t in a.get("targets", []))
        rows.append(("Auto scaling", f"{a['status']}" + (f": {targets}" if targets else "")))
    p = c["point_in_time_recovery"]
    rows.append(("Point-in-time recovery", _md_unknown(p) if p["status"] == "unknown" else p["status"]))
    rows.append(("Deletion protection", "on" if c["deletion_protection"] else "off"))
    e = c["encryption"]
    enc = "AWS owned key (default)" if e["type"] == "AWS_OWNED" else f"{md(e['type'])}"
    if e.get("kms_key"):
        enc += f" ({md(e['kms_key'])})"
    rows.append(("Encryption at rest", enc))
    t = c["ttl"]
    if t["status"] == "unknown":
        rows.append(("Time to live", _md_unknown(t)))
    else:
        rows.append(
            ("Time to live", t["status"] + (f" on {md(t['attribute'])}" if t.get("attribute") else ""))
        )
    rows.append(("Table class", md(c["table_class"])))
    s = c["stream"]
    rows.append(("Stream", f"on, {md(s['view_type'])}" if s["enabled"] else "off"))
    tags = c["tags"]
    if tags.get("status") == "unknown" and set(tags) == {"status", "reason"}:
        rows.append(("Tags", _md_unknown(tags)))
    else:
        rows.append(("Tags", ", ".join(f"{md(k)}={md(v)}" for k, v in tags.items()) or "none"))
    ci = c["contributor_insights"]
    rows.append(("Contributor Insights", _md_unknown(ci) if ci["status"] == "unknown" else ci["status"]))
    size = c.get("size_bytes")
    rows.append(
        (
            "Items / size (DescribeTable)",
            f"{c.get('item_count') or 0:,} items / {_kb(size or 0)}"
            + (" (DescribeTable figures are refreshed about every 6 hours)" if size else ""),
        )
    )
    return rows


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render_markdown(facts: TableFacts, found: list[Finding] | None = None) -> str:
    """The report as Markdown (``ddbtui report --format md``)."""
    found = findings(facts) if found is None else found
    s = facts.schema
    when = datetime.fromtimestamp(facts.generated_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = " · ".join(x for x in (facts.region, facts.endpoint_url) if x)
    lines = [f"# Table report: {md(facts.name)}", ""]
    key = f"{md(s.key.partition_key)}" + (f" / {md(s.key.sort_key)}" if s.key.sort_key else "")
    lines.append(f"Generated {when}" + (f" for {md(where, 200)}" if where else "") + f". Key: {key}.")
    sample = facts.sample
    if isinstance(sample, SampleFacts):
        total = facts.table.get("ItemCount") or 0
        of = f" of about {total:,}" if total and not sample.complete else ""
        est = " (est.)" if sample.estimated else ""
        lines.append(
            f"Sample: {sample.items:,}{of} items"
            + (" (the whole table)" if sample.complete else "")
            + f", read in {sample.segments} segment{'s' if sample.segments != 1 else ''}"
            f" for {format_units(sample.capacity)} RCU{est}."
        )
    lines.append("")
    counts = {sev: sum(1 for x in found if x.severity == sev) for sev in SEVERITY_ORDER}
    lines += [
        "## Findings",
        "",
        f"{counts['critical']} critical, {counts['warning']} warning, {counts['info']} info.",
        "",
    ]
    for x in found:
        lines.append(f"### {x.severity.upper()}: {md(x.title, 200)}")
        lines += ["", md(x.detail, 2000), "", f"**Recommendation:** {md(x.recommendation, 2000)}", ""]
        if x.fix:
            lines += ["```sh", *(safe_text(line) for line in x.fix.split("\n")), "```", ""]
    lines += ["## Configuration", ""]
    lines += _md_table(["Setting", "Value"], [[a, b] for a, b in _config_rows(configuration(facts))])
    lines.append("")
    idx = indexes(facts)
    if idx:
        lines += ["## Indexes", ""]
        rows = []
        for i in idx:
            copies = i["copies"]
            copies_text = (
                md(copies) if isinstance(copies, str) else "keys + " + ", ".join(md(c) for c in copies)
            )
            in_sample = (
                f"{i['sample_items']:,} ({_pct(i['sample_share'])})" if i["sample_share"] is not None else "-"
            )
            rows.append(
                [
                    md(i["name"]),
                    i["kind"].upper(),
                    md(i["partition_key"]) + (f" / {md(i['sort_key'])}" if i["sort_key"] else ""),
                    md(i["projection"]),
                    copies_text,
                    in_sample,
                ]
            )
        lines += _md_table(["Index", "Kind", "Key", "Projection", "Copies", "Sampled items in it"], rows)
        lines.append("")
    lines += _md_sample(facts)
    return "\n".join(lines).rstrip() + "\n"


def _md_sample(facts: TableFacts) -> list[str]:
    sample = facts.sample
    if sample is None:
        return []
    lines = ["## Sample", ""]
    if isinstance(sample, Unknown):
        return [*lines, f"Unknown: {md(sample.reason, 300)}", ""]
    d = sample.distribution
    if d.items == 0:
        return [*lines, "The table is empty.", ""]
    lines.append(
        f"{d.items:,} items, {_kb(d.bytes)}, {d.partitions:,} partition keys "
        f"({d.mean_items_per_partition:.1f} items each on average), mean item {_kb(d.mean_item_size)}, "
        f"skew (Gini of items per key) {d.gini:.2f}."
        + (
            ""
            if sample.complete
            else " The sample is read from the start of each segment, so it holds whole item collections "
            "from a few places in the key space: partition figures are lower bounds."
        )
    )
    lines += ["", "### Item sizes", ""]
    lines += _md_table(
        ["Size", "Items", "Share"],
        [[b.label, f"{b.items:,}", _pct(b.items / d.items)] for b in d.histogram if b.items],
    )
    sk = facts.schema.key.sort_key
    lines += ["", "### Largest items", ""]
    header = ["Partition key", *(["Sort key"] if sk else []), "Size", "Of 400 KB"]
    lines += _md_table(
        header,
        [
            [
                md(x.partition_key, 50),
                *([md(x.sort_key or "", 50)] if sk else []),
                _kb(x.size),
                _pct(x.share_of_limit),
            ]
            for x in d.largest_items[:5]
        ],
    )
    lines += ["", "### Partitions by item count", ""]
    lines += _md_table(
        ["Partition key", "Items", "Share", "Bytes"],
        [[md(p.key, 50), f"{p.items:,}", _pct(p.share_items), _kb(p.bytes)] for p in d.top_by_items[:5]],
    )
    lines += ["", "### Partitions by size", ""]
    lines += _md_table(
        ["Partition key", "Bytes", "Share", "Items"],
        [[md(p.key, 50), _kb(p.bytes), _pct(p.share_bytes), f"{p.items:,}"] for p in d.top_by_bytes[:5]],
    )
    if d.collections:
        lines += ["", "### Item collections (LSI: 10 GB limit)", ""]
        lines += _md_table(
            ["Partition key", "Items + LSI entries", "Of 10 GB"],
            [
                [md(p.key, 50), _kb(p.bytes), f"{100 * p.bytes / COLLECTION_LIMIT:.4f}%"]
                for p in d.collections[:5]
            ],
        )
    t = sample.ttl
    if t is not None:
        lines += ["", f"### Time to live ({md(t.attribute)})", ""]
        lines += _md_table(
            ["State", "Items"],
            [
                ["expired, not yet deleted", f"{t.expired:,}"],
                ["expires later", f"{t.live:,}"],
                ["no TTL attribute", f"{t.missing:,}"],
                ["not a number (ignored)", f"{t.not_number:,}"],
                ["in milliseconds (never expire)", f"{t.millis:,}"],
            ],
        )
    lines.append("")
    return lines


__all__ = [
    "Finding",
    "SampleAccumulator",
    "SampleFacts",
    "Severity",
    "TableFacts",
    "TtlStats",
    "Unknown",
    "configuration",
    "findings",
    "indexes",
    "md",
    "render_markdown",
    "report_json",
    "sample_json",
]
