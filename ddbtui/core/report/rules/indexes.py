"""Findings about secondary indexes: empty, sparse, and projecting every attribute. Each rule has the
signature of ``rules.Rule``: ``(facts, schema, sample) -> list[Finding]``."""

from __future__ import annotations

import json

from ddbtui.core.report.common import aws_cli, pct, q
from ddbtui.core.report.model import (
    SPARSE_SHARE,
    Finding,
    SampleFacts,
    TableFacts,
)
from ddbtui.core.schema import TableSchema


def secondary_indexes(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
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
                    aws_cli(
                        f,
                        f"dynamodb update-table --table-name {q(f.name)} --global-secondary-index-updates "
                        + q(json.dumps([{"Delete": {"IndexName": ix.name}}], separators=(",", ":"))),
                    ),
                )
            )
        elif share is not None and share < SPARSE_SHARE:
            out.append(
                Finding(
                    f"sparse-gsi:{ix.name}",
                    "info",
                    f"GSI {ix.name} is sparse: {pct(share)} of the sampled items are in it",
                    f"Only items with {' and '.join(ix.key.attributes)} are copied into the index "
                    f"({present:,} of {n:,} sampled). Scanning or querying it reads only those — the sparse "
                    "index pattern — and writes to the other items cost the index nothing.",
                    f"Use it for 'items that have {ix.key.partition_key}' lookups instead of a filtered Scan "
                    "of the table.",
                    f"ddbtui scan {q(f.name)} --index {q(ix.name or '')}",
                )
            )
        if ix.projection == "ALL" and (share is None or share >= SPARSE_SHARE):
            out.append(
                Finding(
                    f"gsi-projects-all:{ix.name}",
                    "info",
                    f"GSI {ix.name} copies every attribute (projection ALL)"
                    + (f" of {pct(share)} of the items" if share is not None else ""),
                    "Every write to an item in the index writes the index too, at the full item size, "
                    "and the index stores a full copy of those items.",
                    "If the queries on this index need only a few attributes, a new index with INCLUDE of "
                    "just those halves its storage and write cost (projections cannot be changed in place).",
                    None,
                )
            )
    return out
