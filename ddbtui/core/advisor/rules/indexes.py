"""Rules on the indexes the table lacks: a GSI keyed on what the request fixes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from ddbtui.core.advisor.analysis import Analysis, key_shape, tops
from ddbtui.core.advisor.candidates import Candidate
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.cost import rcu_text
from ddbtui.core.advisor.model import Suggestion
from ddbtui.core.advisor.rules.common import searches
from ddbtui.core.advisor.sample import TableSample, evaluate, keeps, low_cardinality
from ddbtui.core.capacity import read_units
from ddbtui.core.expr import Literal, Node, to_source
from ddbtui.core.schema import IndexSchema, KeySchema


def create_gsi(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """No index serves the request (or a Query's filter discards most of what it reads): a GSI keyed on
    the equality (partition key) and the range (sort key) the conditions fix.

    Anti-pattern: scan Orders --filter "region = 'EU' AND created > '2024-01'"
    Best:         query Orders --index region-created-index --key "region = 'EU' AND created > '2024-01'"
                  (after creating the GSI region-created-index)
    """
    if not ctx.plan.propose_index:
        return
    proposal = _propose(a, ctx, [])
    if proposal is not None:
        yield _suggestion(a, ctx, *proposal)


def no_better_request(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """No rewrite reads less, yet the request reads much more than it returns: say so, with the share the
    sample shows, rather than nothing (which would read as "already reads only what it needs").

    Anti-pattern: scan Complaints --filter "severity = 'P1' AND current_state = 'assigned'"
    Best:         the same (a GSI on severity would be a hot partition), or a write-sharded GSI
    """
    plan = ctx.plan
    sample = ctx.cost.sample
    if sample is None or not searches(a) or a.operation not in ("scan", "query", "sql"):
        return
    if plan.chosen or plan.own is not None or plan.get is not None or plan.own_rejection is not None:
        return
    hot: list[tuple[str, str]] = []
    if plan.propose_index and _propose(a, ctx, hot) is not None:
        return  # create-gsi says what would pay
    found = discard(sample, a)
    if found is None:
        return
    read, kept = found
    if read < 2 * max(kept, 1):
        return
    what = "This Scan" if a.full_scan else "This Query"
    share = (
        f"reads ~{read / kept:,.0f}× what it returns ({kept:,} of {read:,} sampled items read match)"
        if kept
        else f"returns none of the {read:,} sampled items it reads"
    )
    text = f"{what} {share}, {sample.label()}; no index serves this filter and no key condition narrows it."
    if hot:
        text += (
            f" A GSI keyed on {' or '.join(attr for attr, _ in hot)} would be a hot partition: "
            f"{'; '.join(why for _, why in hot)}. If this read matters, shard that key (write it with a "
            f"suffix 0..N-1 into a new attribute, like {hot[0][0]}#3, and key a GSI on that), then read the "
            "N shards with parallel Queries."
        )
    else:
        text += " A GSI needs an attribute the filter fixes with =; create-gsi proposes one where it pays."
    yield Suggestion("no-better-request", text, index=a.reads.name, severity="info")


def discard(sample: TableSample, a: Analysis) -> tuple[int, int] | None:
    """(sampled items the request reads, of them those it returns); None when the sample cannot tell."""
    reads = sample.in_index(a.reads)
    if not a.full_scan:
        reads = [i for i in reads if keeps(a.key, i)]
    kept = 0
    for item in reads:
        results = [evaluate(c, item) for c in a.conjuncts]
        if any(r is None for r in results):
            return None
        kept += all(results)
    return len(reads), kept


def _propose(
    a: Analysis, ctx: Context, hot: list[tuple[str, str]]
) -> tuple[Candidate, dict[str, Any], bool] | None:
    """The GSI to propose, as the candidate of the Query on it; its Projection; whether it serves a
    Query (on the partition the Query fixes) rather than a Scan. None when no GSI would do; why a key
    the filter fixes would be a hot partition key (from the sample), in ``hot``."""
    schema, stats = ctx.schema, ctx.stats
    conds = a.conjuncts
    needed = a.needed
    types = schema.attribute_types
    query_pk: tuple[str, Literal] | None = None
    if a.operation == "query":
        sel = stats.selectivity if stats else None
        if stats is None or sel is None or stats.scanned_count < 100 or sel > 0.2 or not a.filter:
            return None
        pk_attr = a.reads.key.partition_key
        for c in a.key:
            s = key_shape(c)
            if s is not None and s[0] == pk_attr and s[1] == "=":
                query_pk = (pk_attr, s[2][0])
        if query_pk is None:
            return None
    shapes = [(c, key_shape(c)) for c in (a.filter if query_pk else conds)]
    usable = [
        (c, s)
        for c, s in shapes
        if s is not None and all(v.type in ("S", "N", "B") for v in s[2]) and s[1] != "<>"
    ]
    eqs = [(c, s) for c, s in usable if s[1] == "="]
    ranges = [(c, s) for c, s in usable if s[1] in ("<", "<=", ">", ">=", "BETWEEN", "begins_with")]
    pk_conj: Node | None = None
    sample = ctx.cost.sample
    if sample is not None and query_pk is None:
        for c, sh in list(eqs):
            why = low_cardinality(sample, sh[0])
            if why:
                hot.append((sh[0], why))
                eqs.remove((c, sh))
    if query_pk is not None:
        pk_name, pk_value = query_pk
    elif eqs:
        pk_conj, (pk_name, _op, pk_values) = eqs[0]
        pk_value = pk_values[0]
    else:
        return None
    sk_pick = next(((c, s) for c, s in ranges if s[0] != pk_name), None) or next(
        ((c, s) for c, s in eqs if s[0] != pk_name and c is not pk_conj), None
    )
    sk_conj, sk_shape = sk_pick if sk_pick else (None, None)
    if sk_shape is not None and sk_shape[1] == "begins_with" and sk_shape[2][0].type == "N":
        sk_conj, sk_shape = None, None
    sk_name = sk_shape[0] if sk_shape else None
    if query_pk is not None and sk_name is None:
        return None  # a GSI on the partition key the Query already fixes reads the same items
    for name, value in ((pk_name, pk_value), *(((sk_name, sk_shape[2][0]),) if sk_shape else ())):
        if types.get(name) and types[name] != value.type:
            return None
    if any(i.key.partition_key == pk_name and i.key.sort_key == sk_name for i in schema.indexes):
        return None
    moved = [c for c in (pk_conj, sk_conj) if c is not None]
    source_conds = a.filter if query_pk else conds
    rest = [c for c in source_conds if not any(c is m for m in moved)]
    if query_pk is not None:
        # the table's sort-key condition stays a filter on the new index (sk is no key there)
        rest = [c for c in a.key if pk_name not in tops(c)] + rest
    new_keys = {pk_name} | ({sk_name} if sk_name else set())
    if any(new_keys & tops(c) for c in rest):
        return None  # another condition on the proposed keys could be neither key condition nor filter
    rest_attrs = set().union(*(tops(c) for c in rest)) if rest else set()
    if needed is None:
        projection: dict[str, Any] = {"ProjectionType": "ALL"}
    else:
        extra = sorted((needed | rest_attrs) - new_keys - set(schema.key.attributes))
        projection = (
            {"ProjectionType": "INCLUDE", "NonKeyAttributes": extra}
            if extra
            else {"ProjectionType": "KEYS_ONLY"}
        )
    proposed = IndexSchema(
        _index_name(pk_name, sk_name, {i.label for i in schema.indexes}),
        "gsi",
        KeySchema(pk_name, sk_name),
        projection["ProjectionType"],
        tuple(projection.get("NonKeyAttributes", ())),
    )
    sort = (sk_shape[1], sk_shape[2]) if sk_shape is not None else None
    return (
        Candidate(proposed, (pk_name, pk_value), (), sort, None, rest, moved),
        projection,
        query_pk is not None,
    )


def _suggestion(
    a: Analysis, ctx: Context, cand: Candidate, projection: dict[str, Any], on_query: bool
) -> Suggestion:
    """The create-gsi suggestion of the proposed index ``cand.index``: what it saves, what it costs."""
    schema, stats = ctx.schema, ctx.stats
    proposed = cand.index
    name = proposed.name
    pk_name, sk_name = proposed.key.partition_key, proposed.key.sort_key
    assert cand.partition is not None
    key = to_source(cand.key_node())
    filt = cand.filter_node()
    # read side
    m, _measured = ctx.cost.matches()
    entry = ctx.cost.proposed_entry_size(proposed)
    est = None
    if ctx.cost.sample is not None:
        est = ctx.cost.sampled(cand)
    elif m is not None and entry is not None and not cand.rest:
        est = read_units(math.ceil(m * entry), False)
    measured = ""
    if stats is not None and stats.scanned_count:
        measured = (
            f" The {'run' if stats.exhausted else 'last run'} kept {stats.count:,} of {stats.scanned_count:,} "
            f"items read ({(stats.selectivity or 0) * 100:.2g}%)."
        )
    # write side
    wcu_text = ctx.cost.write_cost_text(proposed, entry)
    defs = [{"AttributeName": pk_name, "AttributeType": cand.partition[1].type}]
    if cand.sort is not None and sk_name is not None:
        defs.append({"AttributeName": sk_name, "AttributeType": cand.sort[1][0].type})
    create: dict[str, Any] = {
        "IndexName": name,
        "KeySchema": [{"AttributeName": pk_name, "KeyType": "HASH"}]
        + ([{"AttributeName": sk_name, "KeyType": "RANGE"}] if sk_name else []),
        "Projection": projection,
    }
    if schema.billing_mode == "PROVISIONED":
        create["ProvisionedThroughput"] = {
            "ReadCapacityUnits": schema.read_capacity or 5,
            "WriteCapacityUnits": schema.write_capacity or 5,
        }
    proj_words = projection["ProjectionType"] + (
        " " + ", ".join(projection["NonKeyAttributes"]) if projection.get("NonKeyAttributes") else ""
    )
    keys_words = f"partition key {pk_name}" + (f" and sort key {sk_name}" if sk_name else "")
    rejections = ctx.plan.rejections
    if on_query:
        opening = (
            f"The filter discards most of what this Query reads. A GSI with {keys_words} "
            f"(projection {proj_words}) would read only the matching items."
        )
    elif blocked := [
        f"{i.label} is keyed on {pk_name} but cannot serve it: {rejections[i.label]}"
        for i in schema.indexes
        if i.label in rejections and i.key.partition_key == pk_name
    ]:
        opening = (
            f"{blocked[0]}. A GSI {name} with {keys_words} (projection {proj_words}) would let a Query "
            "read only the matching items."
        )
    else:
        opening = (
            f"No index has {pk_name} as its partition key, so this request reads every item. A GSI "
            f"{name} with {keys_words} (projection {proj_words}) would let a Query read only the matching "
            "items."
        )
    if est is not None:
        saving = ctx.cost.saving(est) or f" ~{rcu_text(est)} RCU a run."
    else:
        saving = " The saving depends on how many items match; run the request once to measure it."
    projection_text = to_source(a.projection) if a.projection else None
    return Suggestion(
        "create-gsi",
        opening + measured + saving + " " + wcu_text,
        index=name,
        key_condition=key,
        filter=to_source(filt) if filt is not None else None,
        operation="query",
        estimated_rcu=est,
        projection=projection_text,
        changes=(
            ("operation", "query"),
            ("table", schema.name),
            ("index", name),
            ("key", key),
            ("filter", to_source(filt) if filt is not None else None),
            ("projection", projection_text),
            ("statement", None),
            ("names", None),
            ("values", None),
            ("segments", 1),
            ("consistent", False),
        ),
        index_definition={"Create": create, "AttributeDefinitions": defs},
    )


def _index_name(pk: str, sk: str | None, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{pk}-{sk}-index" if sk else f"{pk}-index")[:250]
    name, i = base, 2
    while name in taken:
        name, i = f"{base}{i}", i + 1
    return name
