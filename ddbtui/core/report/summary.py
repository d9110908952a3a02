"""The report's data as plain JSON values (configuration, indexes, sample), used by both renderers."""

from __future__ import annotations

from typing import Any

from ddbtui.core.distribution import PartitionStat
from ddbtui.core.report.common import index_raw, table_class
from ddbtui.core.report.model import (
    SampleFacts,
    TableFacts,
    Unknown,
)


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
        "table_class": table_class(t),
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
        raw = index_raw(facts, ix)
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
        "key_census": _census_json(sample),
    }


def _census_json(sample: SampleFacts) -> dict[str, Any] | None:
    c = sample.census
    if c is None:
        return None if sample.census_note is None else {"status": "not taken", "reason": sample.census_note}
    return {
        "items": c.items,
        "keys": c.keys,
        "complete": c.complete,
        "segments": {"total": c.segments_total, "read": c.segments_read, "partial": c.segments_partial},
        "coverage": round(c.coverage, 4),
        "estimated_table_items": c.estimated_table_items,
        "capacity": {"read_units": c.capacity, "estimated": c.estimated},
        "stopped_by_cap": c.stopped_by_cap,
        "median_items_per_key": c.median_items_per_key,
        "skew_gini": round(c.gini, 4),
        "top_keys": [
            {
                "key": k.key,
                "type": k.key_type,
                "items": k.items,
                "share": round(k.share, 4),
                "at_least": k.at_least,
            }
            for k in c.top
        ],
        # the keys the item sample stopped inside, counted with Query (Select=COUNT)
        "queried_keys": [
            {
                "key": k.key,
                "type": k.key_type,
                "items": k.items,
                "share": round(k.share, 4),
                "at_least": k.at_least,
            }
            for k in c.queried
        ],
    }
