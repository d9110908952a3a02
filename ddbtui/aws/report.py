"""Gather the facts of the table report: settings from every API that has them, and a bounded sample.

APIs asked: DescribeTable, DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource,
DescribeContributorInsights, and Application Auto Scaling's DescribeScalableTargets /
DescribeScalingPolicies for provisioned tables. An API the backend lacks (moto has no Contributor
Insights, DynamoDB Local no backups, tags or auto scaling) or the caller may not use becomes an
``Unknown`` with the reason; only DescribeTable itself must succeed.

The sample is a parallel Scan of ``--sample N`` items at most: ``segments`` segments each read from their
start, so it holds whole item collections from several places in the key space, under a capacity cap
(and, on a provisioned table, at no more than a quarter of its read capacity per second). Rules and
rendering live in ``ddbtui.core.report``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ddbtui.aws.catalog import describe
from ddbtui.aws.runner import PageRunner
from ddbtui.aws.stream import service_client
from ddbtui.core.report import SampleAccumulator, SampleFacts, TableFacts, Unknown
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema

DEFAULT_SAMPLE = 2000
RCU_PER_SAMPLED_ITEM = 0.25  # the default cap: 2 KB per item, eventually consistent
ITEMS_PER_SEGMENT = 250
MAX_SEGMENTS = 8
MAX_THREADS = 16  # reading the sample's segments (more segments queue for a thread)
PROVISIONED_SHARE = 0.25  # of a provisioned table's read capacity per second, at most
MIN_CENSUS_BUDGET = 2.0  # RCU: below this the key census is not started
METRICS_SINCE = "2w"  # the report's CloudWatch window: two weeks at one-hour periods


@dataclass
class SampleProgress:
    requested: int
    items: int = 0
    capacity: float = 0.0
    pages: int = 0
    census_items: int = 0  # keys counted by the key census (after the sample)
    phase: str = "sample"  # then "census"


def default_cap(sample: int) -> float:
    return max(50.0, sample * RCU_PER_SAMPLED_ITEM)


def sample_segments(sample: int) -> int:
    """Parallel segments for a sample: one per 250 items, 1 to 8."""
    return max(1, min(MAX_SEGMENTS, math.ceil(sample / ITEMS_PER_SEGMENT)))


def unknown_from(e: BaseException, operation: str) -> Unknown:
    """A one-line reason from an AWS error (HTML bodies of emulators' 500s are not shown)."""
    response = getattr(e, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        code = err.get("Code") or "Error"
        msg = err.get("Message") or ""
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if (status and status >= 500) or "<" in msg:
            return Unknown(f"{operation} answered HTTP {status or code}: the backend does not implement it")
        if code in ("UnknownOperationException", "InvalidAction", "UnrecognizedClientException"):
            return Unknown(f"the backend does not implement {operation} ({code}: {msg})".replace(" ()", ""))
        if "AccessDenied" in code:
            return Unknown(f"not allowed to call {operation} ({code})")
        return Unknown(f"{operation} failed: {code}: {msg}")
    return Unknown(f"{operation} failed: {type(e).__name__}: {e}")


def _probe(operation: str, fn: Callable[[], Any]) -> Any:
    import botocore.exceptions

    try:
        return fn()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        return unknown_from(e, operation)


def _tags(client: Any, arn: str) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = []
    params: dict[str, Any] = {"ResourceArn": arn}
    while True:
        resp = client.list_tags_of_resource(**params)
        tags.extend(resp.get("Tags") or [])
        if not resp.get("NextToken"):
            return tags
        params["NextToken"] = resp["NextToken"]


def autoscaling_targets(aas: Any, desc: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's and its GSIs' scalable targets, each with its target-tracking ``TargetValue`` if any
    (the metrics' settings read them the same way)."""
    from ddbtui.aws.metrics import scalable_targets

    return scalable_targets(aas, desc)


def read_rate(schema: TableSchema, max_rate: float | None) -> float | None:
    """RCU per second for the report's reads: ``max_rate`` (0: unpaced), else a quarter of a provisioned
    table's read capacity, else unpaced."""
    if max_rate is not None:
        return max_rate or None
    if schema.billing_mode == "PROVISIONED" and schema.read_capacity:
        return PROVISIONED_SHARE * schema.read_capacity
    return None


def count_keys(
    client: Any,
    facts: TableFacts,
    sample: SampleFacts,
    *,
    estimate_capacity: bool,
    cancel: threading.Event | None = None,
    on_progress: Callable[[SampleProgress], None] | None = None,
    max_rate: float | None = None,
) -> SampleFacts:
    """The sample with its key census (``ddbtui.aws.key_census``) in what the cap leaves; unchanged when
    the sample read the whole table or the table is empty."""
    import botocore.exceptions

    from ddbtui.aws.key_census import read_key_census

    if sample.complete or not sample.items:
        return sample
    budget = (sample.max_capacity or 0.0) - sample.capacity
    if sample.stopped_by_cap or budget < MIN_CENSUS_BUDGET:
        note = f"the sample spent the capacity cap ({sample.max_capacity or 0:g} RCU)"
        return dataclasses.replace(sample, census_note=note)
    progress = SampleProgress(sample.requested, sample.items, sample.capacity, phase="census")

    def on_page(items: int, spent: float) -> None:
        progress.census_items, progress.capacity = items, sample.capacity + spent
        if on_progress:
            on_progress(progress)

    try:
        census = read_key_census(
            client,
            facts.schema,
            budget=budget,
            mean_item_size=sample.distribution.mean_item_size,
            table_items=facts.table.get("ItemCount"),
            count_first=sample.open_keys,
            estimate_capacity=estimate_capacity,
            cancel=cancel,
            rate=read_rate(facts.schema, max_rate),
            on_page=on_page,
        )
    except botocore.exceptions.ClientError as e:
        return dataclasses.replace(sample, census_note=unknown_from(e, "Scan").reason)
    except botocore.exceptions.BotoCoreError as e:  # the census is extra: the report stands without it
        return dataclasses.replace(sample, census_note=f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    if cancel is not None and cancel.is_set():
        return sample
    return dataclasses.replace(sample, census=census)


def read_sample(
    client: Any,
    schema: TableSchema,
    ttl_attribute: str | None,
    *,
    sample: int = DEFAULT_SAMPLE,
    max_capacity: float | None = None,
    segments: int | None = None,
    estimate_capacity: bool = False,
    cancel: threading.Event | None = None,
    on_progress: Callable[[SampleProgress], None] | None = None,
    now: int | None = None,
    max_rate: float | None = None,
) -> SampleFacts:
    """Read at most ``sample`` items in ``segments`` parallel segments, under ``max_capacity`` RCU.

    ``max_rate`` (RCU per second) paces the reads; by default a provisioned table is read at
    ``PROVISIONED_SHARE`` of its read capacity (the sample must not throttle the table's own traffic) and
    an on-demand table unpaced; 0 reads unpaced.

    Segments that end early leave their share to the others (up to three rounds). ``on_progress`` is
    called after each page, from the reading threads.
    """
    cap = default_cap(sample) if max_capacity is None else max_capacity
    total_segments = segments or sample_segments(sample)
    cancel = cancel or threading.Event()
    acc = SampleAccumulator(schema, ttl_attribute, now)
    lock = threading.Lock()
    progress = SampleProgress(sample)
    stopped = False
    estimated = False
    rate = read_rate(schema, max_rate)
    started = time.monotonic()
    keys: dict[int, Any] = {}
    exhausted: set[int] = set()

    def work(segment: int, quota: int) -> None:
        nonlocal stopped, estimated
        built = build(ReadRequest(operation="scan", table=schema.name, limit=quota), schema)
        if total_segments > 1:
            built.params.update(Segment=segment, TotalSegments=total_segments)
        start = {0: keys[segment]} if keys.get(segment) is not None else None
        runner = PageRunner(client, built, schema, cancel, start=start)
        for page in runner.pages():
            units = page.capacity(estimate_capacity)
            with lock:
                for it in page.items:
                    acc.add(it)
                progress.items = acc.builder.items
                progress.pages += 1
                if units is not None:
                    progress.capacity += units.total
                    estimated = estimated or units.estimated
                if progress.capacity >= cap and not stopped:
                    stopped = progress.items < sample
                    cancel.set()
                if on_progress:
                    on_progress(progress)
                wait = (progress.capacity / rate - (time.monotonic() - started)) if rate else 0.0
            if wait > 0:
                cancel.wait(wait)
        keys[segment] = runner.state.resume.get(0)
        if 0 in runner.state.resume and runner.state.resume[0] is None:  # read to the segment's end
            exhausted.add(segment)

    active = list(range(total_segments))
    for _round in range(3):
        remaining = sample - acc.builder.items
        if remaining <= 0 or not active or cancel.is_set():
            break
        quota = math.ceil(remaining / len(active))
        with ThreadPoolExecutor(min(len(active), MAX_THREADS), thread_name_prefix="ddbtui-sample") as pool:
            for f in [pool.submit(work, s, quota) for s in active]:
                f.result()
        active = [s for s in active if s not in exhausted]
    complete = not active and not stopped
    result = acc.result(
        sample,
        capacity=progress.capacity,
        estimated=estimated,
        segments=total_segments,
        complete=complete,
        stopped_by_cap=stopped,
        max_capacity=cap,
    )
    pk = schema.key.partition_key
    open_keys = {
        json.dumps(k[pk], sort_keys=True, default=str): k[pk] for k in keys.values() if k and pk in k
    }
    return dataclasses.replace(result, open_keys=tuple(open_keys.values()))


def usage(client: Any, conn: Any, facts: TableFacts, since: str = "2w") -> Any:
    """The "Usage and billing" facts from CloudWatch (``ddbtui.aws.metrics``, one GetMetricData call),
    or an Unknown saying plainly why not (no permission, a backend without CloudWatch)."""
    from ddbtui.aws.metrics import (
        MetricsUnavailable,
        demo_series,
        read_metrics,
        read_settings,
        seed_demo_metrics,
    )
    from ddbtui.core.metrics.usage import usage_of

    only = None
    if getattr(conn, "demo", False):  # the demo's synthetic two weeks, as `ddbtui --demo metrics` shows
        seed_demo_metrics(client, conn, (facts.name,))
        only = demo_series((facts.name,))  # moto scans every stored point per query: ask only these

    ci = facts.contributor_insights
    try:
        settings = read_settings(
            client,
            conn,
            facts.name,
            desc=facts.table,
            autoscaling=facts.autoscaling if isinstance(facts.autoscaling, list) else None,
            insights=ci.get("ContributorInsightsStatus") if isinstance(ci, dict) else "unknown",
        )
        reading = read_metrics(client, conn, facts.name, since=since, settings=settings, only=only)
    except MetricsUnavailable as e:
        return Unknown(str(e).removeprefix("metrics unavailable: "))
    notes = list(reading.notes)
    if reading.emulator and not any(s.has_data for s in reading.metrics.values()):
        hint = (
            f"; ddbtui --demo metrics {facts.name} shows the demo's synthetic ones"
            if getattr(conn, "demo", False)
            else ""
        )
        return Unknown(f"the emulator holds no CloudWatch metrics for this table (AWS publishes them{hint})")
    return usage_of(reading.settings, reading.window, reading.metrics, notes)


def top_keys_of(conn: Any, facts: TableFacts) -> Any:
    """Contributor Insights' top keys of the table and its GSIs over the last 24 hours
    (``ddbtui.aws.insights``); a note, not an error, where they cannot be read."""
    from ddbtui.aws.insights import read_insights
    from ddbtui.core.metrics import make_window

    gsis = [g["IndexName"] for g in facts.table.get("GlobalSecondaryIndexes") or []]
    window = make_window(time.time(), "24h")
    return read_insights(conn, facts.name, gsis, window)


def gather(
    client: Any,
    conn: Any,
    table: str,
    *,
    sample: int = DEFAULT_SAMPLE,
    max_capacity: float | None = None,
    segments: int | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[SampleProgress], None] | None = None,
    now: int | None = None,
    metrics_since: str | None = METRICS_SINCE,
    max_rate: float | None = None,
    census: bool = True,
) -> TableFacts:
    """Every fact of the report on ``table``. Raises only when DescribeTable fails (no such table...).
    ``metrics_since``: the CloudWatch window of the "Usage and billing" section (None: not asked)."""
    desc = describe(client, table)
    emulator = bool(conn.is_emulator)
    # optional APIs answer 500 at once on emulators: retrying them only waits
    probe = service_client(conn, "dynamodb", max_attempts=1 if emulator else None)
    provisioned = (
        (desc.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    ) == "PROVISIONED"

    def autoscaling() -> Any:
        aas = service_client(conn, "application-autoscaling", max_attempts=1 if emulator else None)
        return autoscaling_targets(aas, desc)

    with ThreadPoolExecutor(5, thread_name_prefix="ddbtui-report") as pool:
        ttl = pool.submit(
            _probe,
            "DescribeTimeToLive",
            lambda: probe.describe_time_to_live(TableName=table)["TimeToLiveDescription"],
        )
        backups = pool.submit(
            _probe,
            "DescribeContinuousBackups",
            lambda: probe.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"],
        )
        tags = pool.submit(_probe, "ListTagsOfResource", lambda: _tags(probe, desc["TableArn"]))
        insights = pool.submit(
            _probe,
            "DescribeContributorInsights",
            lambda: probe.describe_contributor_insights(TableName=table),
        )
        scaling = pool.submit(_probe, "DescribeScalableTargets", autoscaling) if provisioned else None
        facts = TableFacts(
            table=desc,
            ttl=ttl.result(),
            backups=backups.result(),
            tags=tags.result(),
            autoscaling=scaling.result() if scaling else None,
            contributor_insights=insights.result(),
            region=client.meta.region_name,
            endpoint_url=conn.effective_endpoint,
            emulator=emulator,
        )
    if isinstance(facts.contributor_insights, dict):
        facts.contributor_insights.pop("ResponseMetadata", None)
    if metrics_since:
        facts.usage = usage(client, conn, facts, metrics_since)
    if metrics_since and isinstance(facts.contributor_insights, dict):  # readable here: the top keys
        facts.insights = top_keys_of(conn, facts)
    if sample > 0:
        import botocore.exceptions

        try:
            facts.sample = read_sample(
                client,
                facts.schema,
                facts.ttl_attribute,
                sample=sample,
                max_capacity=max_capacity,
                segments=segments,
                estimate_capacity=bool(conn.estimate_capacity),
                cancel=cancel,
                on_progress=on_progress,
                now=now,
                max_rate=max_rate,
            )
        except botocore.exceptions.ClientError as e:
            facts.sample = unknown_from(e, "Scan")
        if isinstance(facts.sample, SampleFacts) and census:
            facts.sample = count_keys(
                client,
                facts,
                facts.sample,
                estimate_capacity=bool(conn.estimate_capacity),
                cancel=cancel,
                on_progress=on_progress,
                max_rate=max_rate,
            )
    return facts


__all__ = [
    "DEFAULT_SAMPLE",
    "SampleProgress",
    "autoscaling_targets",
    "count_keys",
    "default_cap",
    "gather",
    "read_rate",
    "read_sample",
    "sample_segments",
    "unknown_from",
    "usage",
]
