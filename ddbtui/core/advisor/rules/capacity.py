"""Rules on what a read costs as it stands: ConsistentRead, a full scan, a Limit that applies before the
filter."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ddbtui.core.advisor.analysis import Analysis, tops
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.cost import mb, rcu_text
from ddbtui.core.advisor.model import LARGE_SCAN_BYTES, PAGE_BYTES, Suggestion
from ddbtui.core.advisor.rules.common import searches
from ddbtui.core.capacity import get_item_units


def consistent_read_cost(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """ConsistentRead doubles the read units (and a GSI rejects it).

    Anti-pattern: query Orders --index ByStatus --key "status = 'OPEN'" --consistent
    Best:         query Orders --index ByStatus --key "status = 'OPEN'"
    """
    if not ctx.cost.consistent or a.sql_problem is not None:
        return
    reads = a.reads
    if a.operation != "get" and reads.kind == "gsi":
        yield Suggestion(
            "consistent-read-cost",
            f"ConsistentRead is not supported on a global secondary index ({reads.name}): DynamoDB "
            "rejects the request. GSIs are eventually consistent; drop ConsistentRead.",
            index=reads.name,
            operation=a.operation,
            severity="error",
            changes=(("consistent", False),),
        )
        return
    cur = ctx.cost.current_rcu()
    figure = ""
    if cur is not None and cur > 0:
        figure = f" (~{rcu_text(cur)} RCU instead of ~{rcu_text(cur / 2)})"
    elif a.operation == "get" and ctx.cost.avg_item_size():
        size = math.ceil(ctx.cost.avg_item_size() or 1)
        figure = f" (~{rcu_text(get_item_units(size, True))} RCU instead of {rcu_text(get_item_units(size))})"
    yield Suggestion(
        "consistent-read-cost",
        "ConsistentRead doubles the cost: 1 RCU per 4 KB read instead of 0.5"
        f"{figure}. Keep it only when the read must see every write that succeeded before it.",
        index=reads.name,
        operation=a.operation,
        severity="info",
        changes=(("consistent", False),),
    )


def limit_before_filter(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A page size (DynamoDB's Limit) on a filtered read caps the items read, not the items returned.

    Anti-pattern: scan Orders --filter "total > 100" --page-size 10
    Best:         scan Orders --filter "total > 100" --limit 10
    """
    req = ctx.request
    if not searches(a) or not req.page_size or not a.filter:
        return
    if a.operation == "sql" and a.sql_keyed and not _sql_filter_left(a):
        return
    yield Suggestion(
        "limit-before-filter",
        f"Limit {req.page_size} (--page-size) caps the items DynamoDB reads per request, before the "
        "filter: a page can return fewer items, or none, with a LastEvaluatedKey that is not the end. "
        f"To get {req.limit or req.page_size} results, cap them on the client (--limit) instead.",
        operation=a.operation,
        severity="warning",
        changes=(("page_size", None), ("limit", req.limit or req.page_size)),
    )


def _sql_filter_left(a: Analysis) -> bool:
    """Some of the SELECT's WHERE is on attributes other than the keys: DynamoDB filters after reading."""
    pk = a.reads.key.partition_key
    sk = a.reads.key.sort_key
    return any(not (tops(c) <= {pk, sk}) for c in a.filter)


def full_scan_cost(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A read of every item of a table (or index) of more than one page: its read units and price.

    Anti-pattern: scan Orders
    Best:         query Orders --key "pk = 'C#1'"   (or scan Orders --max-pages 1 to look at a sample)
    """
    if not searches(a) or not a.full_scan:
        return
    reads = a.reads
    nbytes, source = ctx.cost.table_bytes()
    what = "table" if reads.kind == "table" else f"index {reads.name}"
    count = ctx.cost.scan_items()
    items = f" ({count:,} items)" if count else ""
    req = ctx.request
    if nbytes is None:
        if count is None or count < 1000:
            return  # nothing known, or too small to matter
        yield Suggestion(
            "full-scan-cost",
            f"This reads the whole {what}{items}; its cost is unknown: {source}.",
            severity="info",
        )
        return
    if nbytes < LARGE_SCAN_BYTES:
        return
    rcu = ctx.cost.rcu(nbytes, reads)
    pages = math.ceil(nbytes / PAGE_BYTES)
    capped = ""
    if req.max_pages and req.max_pages < pages:
        capped = (
            f" --max-pages {req.max_pages} stops it after "
            f"~{rcu_text(ctx.cost.rcu(req.max_pages * PAGE_BYTES, reads))} RCU."
        )
    segments = f" in {req.segments} parallel segments (faster, same cost)" if req.segments > 1 else ""
    yield Suggestion(
        "full-scan-cost",
        f"A full scan reads every item of the {what}{items}, ~{mb(nbytes)} in ~{pages:,} pages of 1 MB"
        f"{segments}: ~{rcu_text(rcu)} RCU, {ctx.cost.price(rcu)} per run (from {source}).{capped}",
        estimated_rcu=rcu,
        severity="warning",
    )
