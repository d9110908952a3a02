"""Findings about items and TTL: large items, expired / mis-typed TTL values, the sample's own limits. Each
rule has the signature of ``rules.Rule``: ``(facts, schema, sample) -> list[Finding]``."""

from __future__ import annotations

import json
from typing import Any

from ddbtui.core.capacity import WRITE_BLOCK, format_units, read_units
from ddbtui.core.report.common import aws_cli, kb, pct, q, show
from ddbtui.core.report.model import (
    LARGE_ITEM,
    NEAR_LIMIT_ITEM,
    TTL_MILLIS,
    Finding,
    SampleFacts,
    Severity,
    TableFacts,
    Unknown,
)
from ddbtui.core.schema import TableSchema


def _write_units(size: int) -> float:
    return float(-(-size // WRITE_BLOCK))


def _key_json(value: str, type_: str | None) -> dict[str, Any]:
    return {type_ or "S": value}


def large_items(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
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
        f"{show(x.partition_key, 40)}"
        + (f" / {show(x.sort_key, 40)}" if x.sort_key is not None else "")
        + f": {kb(x.size)} ({pct(x.share_of_limit)} of 400 KB"
        + (
            f", {show(x.largest_attribute, 30)!r} is {kb(x.largest_attribute_size)}"
            if x.largest_attribute
            else ""
        )
        + ")"
        for x in big[:5]
    )
    severity: Severity = "critical" if near else "warning"
    many = "+" if len(big) == len(d.largest_items) else ""  # only the largest few are kept
    over = f"{len(big)}{many} sampled item{'s' if len(big) != 1 else ''} over {kb(LARGE_ITEM)}"
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
            f"aws s3 cp {q(attr + '.bin')} {q(s3)}",
            aws_cli(
                f,
                f"dynamodb update-item --table-name {q(f.name)} "
                f"--key {q(json.dumps(key, ensure_ascii=False, separators=(',', ':')))} "
                "--update-expression 'SET #ptr = :ptr REMOVE #big' "
                + "--expression-attribute-names "
                + q(
                    json.dumps(
                        {"#ptr": attr + "S3Uri", "#big": attr}, ensure_ascii=False, separators=(",", ":")
                    )
                )
                + " --expression-attribute-values "
                + q(json.dumps({":ptr": {"S": s3}}, ensure_ascii=False, separators=(",", ":"))),
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


def ttl(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
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
                    f"TTL is off, but {n:,} sampled items carry an expiry time in {show(cand, 40)!r}",
                    "The attribute holds epoch seconds, as TTL expects, yet nothing deletes expired items: "
                    "they keep costing storage and are paid for on every scan.",
                    f"Turn TTL on for {show(cand, 40)!r} if it is meant as an expiry time.",
                    aws_cli(
                        f,
                        f"dynamodb update-time-to-live --table-name {q(name)} "
                        f"--time-to-live-specification Enabled=true,AttributeName={q(cand)}",
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
                f"{t.expired:,} sampled items ({pct(share)}) have expired but are still in the table",
                f"TTL on {show(attr, 40)!r} deletes expired items in the background, usually within a few "
                "days; until then Query and Scan return them and charge for them."
                + (
                    f" {t.too_old:,} of them expired more than five years ago: DynamoDB never deletes those."
                    if t.too_old
                    else ""
                )
                + (" (Emulators never delete expired items.)" if f.emulator and deleted else ""),
                "Filter expired items out of reads until they are deleted"
                + ("; delete the ones TTL will never remove yourself." if t.too_old else "."),
                f"ddbtui scan {q(name)} --filter {q(f'attribute_not_exists({attr}) OR {attr} > {sample.now}')}",
            )
        )
    if t.millis:
        out.append(
            Finding(
                "ttl-milliseconds",
                "critical",
                f"{t.millis:,} sampled items hold their TTL in milliseconds",
                f"{show(attr, 40)!r} must be epoch *seconds*; a millisecond value lies thousands of years in "
                "the future, so these items never expire.",
                "Write epoch seconds (Math.floor(Date.now() / 1000) + lifetime) and rewrite the stored values "
                "as value / 1000.",
                f"ddbtui scan {q(f.name)} --filter {q(f'{attr} >= {TTL_MILLIS}')} "
                f"--project {q(','.join([*f.schema.key.attributes, attr]))}",
            )
        )
    if t.not_number:
        out.append(
            Finding(
                "ttl-not-number",
                "warning",
                f"{t.not_number:,} sampled items hold a TTL value that is not a number",
                f"TTL ignores {show(attr, 40)!r} unless it is a Number (epoch seconds): these never expire.",
                "Store the expiry time as a Number of epoch seconds.",
                None,
            )
        )
    return out


def sample_coverage(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    got = f.sample  # the sample argument is None for an Unknown: this rule reports that
    if isinstance(got, Unknown):
        return [
            Finding(
                "sample-unknown",
                "info",
                "The sample could not be read",
                f"Scan failed: {got.reason}.",
                "The configuration findings stand; rerun with read access for the sample-based ones.",
                None,
            )
        ]
    if isinstance(got, SampleFacts) and got.stopped_by_cap:
        return [
            Finding(
                "sample-capped",
                "info",
                f"The sample stopped at its capacity cap ({format_units(got.max_capacity or 0)} RCU) "
                f"after {got.items:,} items",
                "The items are larger than the cap assumed (about 2 KB each).",
                "Raise --max-capacity to read the full sample.",
                None,
            )
        ]
    return []
