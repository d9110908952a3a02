"""Rules on IN over a partition key: the full keys of a few items read with BatchGetItem, a few
partitions read with one Query each (or a PartiQL SELECT that runs them)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.candidates import Candidate
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.model import Suggestion
from ddbtui.core.advisor.rules.common import what
from ddbtui.core.capacity import get_item_units
from ddbtui.core.expr import In, Path, to_source
from ddbtui.core.partiql import to_partiql


def use_batch_get(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """IN fixes several full primary keys of the table: BatchGetItem (or a SELECT with the IN) reads
    just those items.

    Anti-pattern: scan Users --filter "id IN ('u1', 'u2')"
    Best:         sql "SELECT * FROM \"Users\" WHERE \"id\" IN ['u1', 'u2']"
    """
    for cand in ctx.plan.reading("in"):
        if _batch(cand):
            yield _in_suggestion(a, ctx, cand, batch=True)


def use_parallel_queries(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """IN on the partition key of an index names several partitions: one Query per value, in parallel
    (or a SELECT with the IN, which runs them).

    Anti-pattern: scan Orders --filter "pk IN ('C#1', 'C#2')"
    Best:         query Orders --key "pk = 'C#1'"  and  query Orders --key "pk = 'C#2'", in parallel
    """
    for cand in ctx.plan.reading("in"):
        if not _batch(cand):
            yield _in_suggestion(a, ctx, cand, batch=False)


def _batch(cand: Candidate) -> bool:
    """The IN values are full primary keys of the table and nothing else is filtered."""
    idx = cand.index
    return idx.kind == "table" and (idx.key.sort_key is None or cand.fit == 3) and not cand.rest


def _in_suggestion(a: Analysis, ctx: Context, cand: Candidate, *, batch: bool) -> Suggestion:
    idx = cand.index
    pk = idx.key.partition_key
    values = cand.partitions
    where_words = "the table" if idx.kind == "table" else f"{idx.kind.upper()} {idx.name}"
    one = [to_source(cand.key_node(v)) for v in values[:3]]
    filt = cand.filter_node()
    size = ctx.cost.entry_size(idx)
    est = None
    if batch and size:
        est = len(values) * get_item_units(math.ceil(size), ctx.cost.consistent)
    elif not batch and ctx.cost.sample is not None:
        est = ctx.cost.sampled(cand)
    sort = cand.sort_node()
    where = [In(Path((pk,)), values), *([sort] if sort is not None else []), *cand.rest]
    statement = to_partiql(ctx.schema.name, idx.name, where, cand.projection)
    changes: tuple[tuple[str, Any], ...] = ()
    if statement is not None:
        changes = (
            ("operation", "sql"),
            ("statement", statement),
            ("table", ctx.schema.name),
            ("index", None),
            ("key", None),
            ("filter", None),
            ("projection", None),
            ("names", None),
            ("values", None),
            ("segments", 1),
        )
    more = f" and {len(values) - 3} more" if len(values) > 3 else ""
    queries = "; ".join(f'--key "{q}"' for q in one) + more
    if batch:
        kind = "use-batch-get"
        text = (
            f"{what(a)}; IN fixes {len(values)} full primary keys, so one BatchGetItem (up to 100 "
            "keys a call) reads just those items, or a PartiQL SELECT with the same IN, which DynamoDB "
            "runs as key lookups."
        )
    else:
        kind = "use-parallel-queries"
        if cand.learned:
            text = (
                f"{what(a)}; {pk}, the partition key of {where_words}, is spread over {len(values)} "
                f"partitions ({cand.learned}): run one Query per value, in parallel ({queries})"
                f"{', each with the filter' if cand.rest else ''}. A PartiQL SELECT with the IN runs them "
                "for you."
            )
        else:
            text = (
                f"{what(a)}; IN on {pk}, the partition key of {where_words}, names {len(values)} "
                f"partitions: run one Query per value, in parallel ({queries}). A PartiQL SELECT with the "
                "IN runs them for you."
            )
    text += " " + " ".join(n if n.endswith(".") else n + "." for n in cand.notes) if cand.notes else ""
    if not batch:
        text += ctx.cost.saving(est)
    return Suggestion(
        kind,
        text.strip(),
        index=idx.name,
        key_condition=None,
        filter=to_source(filt) if filt is not None else None,
        operation="sql" if statement else None,
        estimated_rcu=est,
        statement=statement,
        changes=changes,
        key_conditions=tuple(to_source(cand.key_node(v)) for v in values),
    )
