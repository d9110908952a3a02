"""Findings about keys and distribution: hot partition keys and LSI item collections near 10 GB. Each rule
has the signature of ``rules.Rule``: ``(facts, schema, sample) -> list[Finding]``."""

from __future__ import annotations

from dataclasses import dataclass

from ddbtui.core.distribution import key_text
from ddbtui.core.report.census import KeyCensus
from ddbtui.core.report.common import aws_cli, kb, pct, q, show
from ddbtui.core.report.model import (
    COLLECTION_LIMIT,
    COLLECTION_WARN,
    HOT_FACTOR,
    HOT_MIN_ITEMS,
    HOT_SHARE,
    PARTITION_RCU,
    PARTITION_WCU,
    Finding,
    SampleFacts,
    Severity,
    TableFacts,
)
from ddbtui.core.schema import TableSchema


@dataclass(frozen=True)
class KeyShare:
    """A partition key and its share of the items: of the table (key census) or of the sample.
    ``at_least``: a lower bound (seen in the sample, in a part of the table the census did not count)."""

    key: str
    items: int
    share: float
    at_least: bool = False


def census_shares(sample: SampleFacts, census: KeyCensus) -> list[KeyShare]:
    """The table's partition keys, most items first, as far as the census knows them: its segments'
    counts, the Query count of each key the sample stopped inside, and, when the census is partial, the
    sample's counts of the keys it did not reach (exact: the sample read them whole), so a key is not lost
    because its segment was not among those read. An exact count wins over a lower bound."""
    counted: dict[str, KeyShare] = {}

    def take(k: KeyShare) -> None:
        """An exact count wins over a lower bound; of two of a kind, the larger."""
        old = counted.get(k.key)
        if (
            old is None
            or (old.at_least and not k.at_least)
            or (old.at_least == k.at_least and k.items > old.items)
        ):
            counted[k.key] = k

    for k in (*census.top, *census.queried):  # queried: the keys the sample stopped inside
        take(KeyShare(k.key, k.items, k.share, at_least=k.at_least))
    if not census.complete:
        table = max(1, census.estimated_table_items)
        cut = {key_text(av) for av in sample.open_keys}  # the sample stopped inside these
        for p in sample.distribution.top_by_items:
            take(KeyShare(p.key, p.items, p.items / table, at_least=p.key in cut))
    return sorted(counted.values(), key=lambda k: (-k.items, k.at_least, k.key))


def hot_partitions(sample: SampleFacts) -> list[KeyShare]:
    """Partition keys that hold far more items than the rest: at least 5% of the items, at least 50 items,
    and ten times the median partition. Counted by the key census when there is one
    (``census_shares``); without one, by the sample (the whole table, or lower bounds of a partial read)."""
    c = sample.census
    d = sample.distribution
    if c is not None:
        if c.keys < 5:
            return []
        base = max(1.0, c.median_items_per_key)
        ranked = census_shares(sample, c)
    else:
        if d.partitions < 5:
            return []
        base = max(1.0, d.median_items_per_partition)
        ranked = [KeyShare(p.key, p.items, p.share_items) for p in d.top_by_items]
    return [
        p
        for p in ranked
        if p.share >= HOT_SHARE and p.items >= HOT_MIN_ITEMS and p.items >= HOT_FACTOR * base
    ]


def _share_text(p: KeyShare, census: KeyCensus | None) -> str:
    if census is None:
        return f"{pct(p.share)} of the sample"
    if p.at_least:
        return f"at least {pct(p.share)} of the table's items"
    return f"{'' if census.complete else '~'}{pct(p.share)} of the table's items"


def hot_partition(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    if sample is None or sample.items == 0:
        return []
    hot = hot_partitions(sample)
    if not hot:
        return []
    c = sample.census
    if c is not None:
        median, skew = c.median_items_per_key, c.gini
        counted = f" Counted by the key census: {c.describe()}."
        if any(p.at_least for p in hot[:3]):
            counted += ' A key marked "at least" was cut short by the capacity cap: a lower bound.'
    else:
        d = sample.distribution
        median, skew = d.median_items_per_partition, d.gini
        counted = "" if sample.complete else " Counted in the sample: lower bounds."
    pk = f.schema.key.partition_key
    top = hot[0]
    names = ", ".join(f"{show(p.key, 40)} ({p.items:,} items, {_share_text(p, c)})" for p in hot[:3])
    ci_on = isinstance(f.contributor_insights, dict) and f.contributor_insights.get(
        "ContributorInsightsStatus"
    ) in ("ENABLED", "ENABLING")
    fix = [
        f"# write sharding: {pk} = '{show(top.key, 40)}#' + str(hash(sort key) % 10); "
        "read with 10 parallel Queries",
    ]
    if not ci_on:
        fix.append(
            aws_cli(
                f,
                f"dynamodb update-contributor-insights --table-name {q(f.name)} "
                "--contributor-insights-action ENABLE",
            )
        )
    return [
        Finding(
            "hot-partition",
            "warning",
            f"Hot partition risk: {pk} = {show(top.key, 40)!r} holds {_share_text(top, c)}",
            f"{names}; the median partition key holds {median:g} "
            f"item{'' if median == 1 else 's'} "
            f"(skew {skew:.2f} on a 0-1 scale).{counted} All items of one partition key live in one "
            f"partition, which serves at most {PARTITION_RCU:,} RCU and {PARTITION_WCU:,} WCU per second: "
            "if traffic follows the data, this key throttles first. This counts stored items; Contributor "
            "Insights shows which keys are actually read and written most.",
            "Shard the key if its traffic is high (write to KEY#0..KEY#9, read the shards in parallel), "
            "split unbounded collections (archive old items under another key), and turn on Contributor "
            "Insights to see the hottest keys by traffic.",
            "\n".join(fix),
        )
    ]


def item_collections(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
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
                f"Item collection {show(top.key, 40)!r} holds {kb(top.bytes)} (limit 10 GB with an LSI)",
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
            f"Largest item collection in the sample: {show(top.key, 40)!r}, {kb(top.bytes)} of 10 GB",
            f"The table has an LSI ({lsis}), so each partition key's items and their index entries are "
            "limited to 10 GB; the sample shows no collection near it"
            + ("" if sample.complete else " (a sample sees a collection only in part)")
            + ".",
            "Nothing to do now; watch collections that grow without bound (ReturnItemCollectionMetrics=SIZE "
            "on writes reports their size).",
            None,
        )
    ]
