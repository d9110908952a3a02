"""Rules on the key: a condition that belongs in the key condition, a full primary key read with GetItem,
a Scan (or a Query on the wrong index) that a Query on another index serves."""

from __future__ import annotations

from collections.abc import Iterator

from ddbtui.core.advisor.analysis import Analysis, clip, tops
from ddbtui.core.advisor.candidates import Candidate, key_json
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.model import Suggestion
from ddbtui.core.advisor.rules.common import projection_text, query_changes, what
from ddbtui.core.expr import to_source


def filter_on_key(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A Query filters on a key of the index it queries: the condition moves into the key condition.

    Anti-pattern: query Orders --key "pk = 'C#1'" --filter "begins_with(sk, 'ORDER#')"
    Best:         query Orders --key "pk = 'C#1' AND begins_with(sk, 'ORDER#')"
    """
    own = ctx.plan.own
    if own is None:
        return
    where = "the table" if a.reads.kind == "table" else f"index {a.reads.name}"
    moved = [c for c in own.moved if any(c is f for f in a.filter)]
    shown = " AND ".join(to_source(c) for c in moved)
    key = to_source(own.key_node())
    filt = own.filter_node()
    est = ctx.cost.estimate(own)
    yield Suggestion(
        "filter-on-key",
        f"The filter `{clip(shown)}` is on a key of {where}: DynamoDB rejects a Query whose filter "
        "uses the keys it queries by, and a filter would read the whole partition first. It belongs "
        f"in the key condition: {key}.{ctx.cost.saving(est)}",
        index=a.reads.name,
        key_condition=key,
        filter=to_source(filt) if filt is not None else None,
        operation="query",
        estimated_rcu=est,
        severity="error",
        projection=projection_text(own),
        changes=query_changes(a, ctx, own),
    )


def filter_on_key_rejected(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A Query filters on a key of the index it queries in a way no key condition takes: an error, no fix.

    Anti-pattern: query Orders --key "pk = 'C#1'" --filter "contains(sk, 'ORDER')"
    Best:         query Orders --key "pk = 'C#1' AND begins_with(sk, 'ORDER')"
    """
    why = ctx.plan.own_rejection
    if why is None or not any(set(a.reads.key.attributes) & tops(c) for c in a.filter):
        return
    where = "the table" if a.reads.kind == "table" else f"index {a.reads.name}"
    yield Suggestion(
        "filter-on-key",
        f"The filter names a key of {where}, and DynamoDB rejects a Query whose filter uses the keys it "
        f"queries by: {why}. Fold it into the key condition, or Scan instead.",
        index=a.reads.name,
        severity="error",
    )


def use_get_item(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """The conditions fix the table's full primary key: GetItem reads that one item.

    Anti-pattern: query Orders --key "pk = 'C#1' AND sk = 'ORDER#9'"
    Best:         get Orders --key '{"pk": "C#1", "sk": "ORDER#9"}'
    """
    plan = ctx.plan
    for cand in [*([plan.get] if plan.get is not None else []), *plan.reading("get")]:
        yield _get(ctx, cand)


def _get(ctx: Context, cand: Candidate) -> Suggestion:
    key_text = key_json(cand)
    assert key_text is not None
    est = ctx.cost.estimate(cand)
    key = to_source(cand.key_node())
    return Suggestion(
        "use-get-item",
        f"The conditions fix the full primary key of the table ({key}), so GetItem reads that one "
        f"item and nothing else.{ctx.cost.saving(est)}",
        key_condition=key,
        operation="get",
        estimated_rcu=est,
        projection=projection_text(cand),
        changes=(
            ("operation", "get"),
            ("table", ctx.schema.name),
            ("index", None),
            ("key", key_text),
            ("filter", None),
            ("projection", projection_text(cand)),
            ("statement", None),
            ("names", None),
            ("values", None),
            ("segments", 1),
            ("descending", False),
            ("page_size", None),
        ),
    )


def use_query(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """The conditions fix the partition key of an index (the table, an LSI, a GSI): a Query on it reads
    only that partition, and as much of the sort key as the conditions fix.

    Anti-pattern: scan Orders --filter "status = 'OPEN' AND total > 100"
    Best:         query Orders --index ByStatus --key "status = 'OPEN'" --filter "total > 100"
    """
    cur = ctx.cost.current_rcu()
    if cur is None:
        cur = ctx.cost.sampled_current()
    for cand in ctx.plan.reading("query"):
        s = _query(a, ctx, cand)
        if ctx.cost.sample is not None and _no_better(s.estimated_rcu, cur, ctx.cost.rcu(1)):
            continue  # reads as much as the request (from the sample): no better
        yield s


def _no_better(est: float | None, cur: float | None, block: float) -> bool:
    """A rewrite reading ``est`` RCU saves nothing on a request reading ``cur``: it reads more, or as
    much and more than the one 4 KB block (at which both read the least there is, and the Query
    scales)."""
    if est is None or not cur:
        return False
    return est > cur or (est == cur and cur > block)


def _query(a: Analysis, ctx: Context, cand: Candidate) -> Suggestion:
    idx = cand.index
    est = ctx.cost.estimate(cand)
    where = "the table" if idx.kind == "table" else f"{idx.kind.upper()} {idx.name}"
    pk = idx.key.partition_key
    assert cand.partition is not None
    parts: list[str] = []
    if cand.derived:
        parts.append(cand.derived)
    elif cand.learned:
        start = "" if a.operation == "query" else f"{what(a)}; "
        parts.append(
            f"{start}the keys of {where} follow a template ({cand.learned}), so the conditions imply the "
            f"key condition {to_source(cand.key_node())} and a Query reads only that range. The filter "
            "stays whole, in case an item breaks the template."
        )
    elif a.operation == "query" or (a.operation == "sql" and a.sql_keyed):
        keyed = (
            f"LSI {idx.name} shares the table's partition key and sorts by {idx.key.sort_key}"
            if idx.kind == "lsi"
            else f"{where} is keyed on {' and '.join(idx.key.attributes)}"
        )
        parts.append(
            f"{keyed}, so more of the conditions become the key condition and the Query reads fewer items."
        )
    else:
        parts.append(
            f"{what(a)}; the conditions fix {pk} = {to_source(cand.partition[1])}, the partition key "
            f"of {where}, so a Query reads only that partition."
        )
        if idx.kind == "lsi":
            parts.append(f"An LSI shares the table's partition key; {idx.name} sorts by {idx.key.sort_key}.")
    if cand.sort_text and not cand.learned:
        parts.append(f"`{clip(cand.sort_text)}` moves into the key condition.")
    if cand.full_key:
        parts.append("It reads one item, as GetItem would (GetItem cannot take the rest of the filter).")
    if cand.rest and not cand.derived and not cand.learned:
        parts.append("The rest stays a filter.")
    parts.extend(cand.notes)
    if idx.kind == "gsi" and ctx.cost.consistent:
        parts.append("A GSI cannot be read consistently: the Query is eventually consistent.")
    if not cand.full_key and est is None:
        m, _ = ctx.cost.matches()
        if m is not None and cand.rest:
            parts.append(f"It reads at least the {m:,.0f} items the request returns.")
    parts_text = " ".join(p if p.endswith(".") else p + "." for p in parts)
    filt = cand.filter_node()
    return Suggestion(
        "use-query",
        parts_text + ctx.cost.saving(est),
        index=idx.name,
        key_condition=to_source(cand.key_node()),
        filter=to_source(filt) if filt is not None else None,
        operation="query",
        estimated_rcu=est,
        severity="info",
        projection=projection_text(cand),
        changes=query_changes(a, ctx, cand),
    )
