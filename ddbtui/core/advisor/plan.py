"""Every index weighed for one request: the candidates ranked (by sort-key fit, then projection coverage,
then index size), the ones worth suggesting, and why each index that has its partition key fixed is
rejected.

Beyond the keys as they are named, the run's items reveal *overloaded* keys: a GSI whose partition key
holds ``STATUS#OPEN`` for every item with ``status = 'OPEN'`` serves that filter even though its key is
not called status.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ddbtui.core.advisor.analysis import Analysis, key_shape
from ddbtui.core.advisor.candidates import Candidate, Reject, candidate, key_json, size_rank
from ddbtui.core.advisor.learned import learned_candidates
from ddbtui.core.advisor.model import MAX_QUERY_SUGGESTIONS, RunStats
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.advisor.verify import confirm
from ddbtui.core.capacity import in_index
from ddbtui.core.errors import ExprError
from ddbtui.core.expr import Compare, Literal, Node, Path, check_filter, split_key_condition, to_source
from ddbtui.core.schema import TableSchema

_DELIMITED = "[#:|/_.-]"


@dataclass
class Plan:
    """What the candidate search found for one request (empty for a GetItem or unreadable PartiQL)."""

    current: Candidate | None = None  # how a Query (or a keyed SELECT) reads now
    own: Candidate | None = None  # the Query's own index, with the filter's key conditions in its key
    own_rejection: str | None = None  # why the Query's own index cannot serve the conditions
    get: Candidate | None = None  # the Query fixes the table's full key and filters nothing: a GetItem
    chosen: list[Candidate] = field(default_factory=list)  # the candidates to suggest, best first
    propose_index: bool = False  # no index serves the request: a new GSI might
    rejections: dict[str, str] = field(default_factory=dict)  # index label -> why it cannot serve

    def reading(self, way: str) -> list[Candidate]:
        """The chosen candidates that read ``way`` ("get", "query" or "in"), best first."""
        return [c for c in self.chosen if way_of(c) == way]


def way_of(cand: Candidate) -> str:
    """How a candidate reads: "in" (IN on the partition key), "get" (the full table key, nothing to
    filter, a plain-JSON key) or "query"."""
    if cand.partition is None:
        return "in"
    if cand.full_key and not cand.rest and key_json(cand) is not None:
        return "get"
    return "query"


def plan(a: Analysis, schema: TableSchema, stats: RunStats | None, sample: TableSample | None = None) -> Plan:
    """Weigh every index of ``schema`` for the request ``a`` (with the key templates of ``sample``)."""
    out = Plan()
    if a.operation not in ("scan", "query", "sql") or a.sql_problem is not None:
        return out
    conds = a.conjuncts
    needed = a.needed
    current_fit = 0
    current: Candidate | None = None
    if a.operation == "query" or (a.operation == "sql" and a.sql_keyed):
        try:
            current = candidate(
                a.key if a.operation == "query" else conds, a.reads, schema, a.reads, needed, a.projection
            )
        except Reject:
            current = None
        current_fit = current.fit if current is not None else 0
    out.current = current

    found: list[Candidate] = []
    for index in schema.indexes:
        try:
            cand = candidate(conds, index, schema, a.reads, needed, a.projection)
        except Reject as e:
            out.rejections[index.label] = str(e)
            if a.operation == "query" and index == a.reads and current is not None:
                out.own_rejection = str(e)
            continue
        if cand is not None:
            found.append(cand)
    if a.operation == "query" and current is not None:
        own = next((c for c in found if c.index == a.reads), None)
        if own is not None and len(own.moved) > len(current.moved):
            out.own = own
    found.extend(learned_candidates(a, schema, sample, list(found)))
    found = _confirmed(found, a, sample, out.rejections)
    _ask_for_every_attribute(found, a, sample)
    direct = bool(found)
    if a.operation in ("scan", "sql") and stats and stats.items:
        found.extend(_derived(a, schema, stats, {c.index.label for c in found}))

    ordered = sorted(
        found,
        key=lambda c: (
            c.derived is not None,
            not c.exact,
            c.coverage == 2,
            -c.fit,
            c.learned is not None,
            bool(c.rest),
            c.coverage,
            size_rank(c.index, schema),
        ),
    )
    full = a.operation == "query" and current is not None and current.full_key and not a.filter
    if full and a.reads.kind == "table" and current and key_json(current) is not None:
        out.get = current
    for cand in ordered:
        if cand.index.kind == "lsi" and cand.fit == 1 and not _smaller(cand, a):
            continue  # without its sort key an LSI is the table's partition, less complete
        if cand.index == a.reads and a.operation == "query" and not cand.learned:
            continue  # the request's own index: handled as filter-on-key
        if a.operation == "sql" and cand.index == a.reads and a.sql_keyed:
            continue  # DynamoDB already runs this statement as a Query on it
        if current_fit and cand.fit <= current_fit:
            continue  # no better than what the request does already
        if not cand.exact and any(c.exact for c in ordered if c is not cand and c.fit >= cand.fit):
            continue
        if cand.coverage == 2 and any(c.exact for c in ordered):
            continue  # a GSI that lacks attributes the request returns is no answer while another index is
        if len(out.chosen) >= MAX_QUERY_SUGGESTIONS:
            break
        if _accepted(cand, schema, out.rejections):
            out.chosen.append(cand)
    if a.operation == "query":
        direct = bool(out.chosen)
    out.propose_index = not direct
    return out


def _confirmed(
    found: list[Candidate], a: Analysis, sample: TableSample | None, rejections: dict[str, str]
) -> list[Candidate]:
    """``found`` without the candidates the sample proves wrong (``verify``); why, in ``rejections``
    for an index left with no candidate."""
    kept: list[Candidate] = []
    wrong: dict[str, str] = {}
    for cand in found:
        why = confirm(cand, a, sample)
        if why is None:
            kept.append(cand)
        else:
            wrong.setdefault(cand.index.label, why)
    labels = {c.index.label for c in kept}
    for label, why in wrong.items():
        if label not in labels:
            rejections.setdefault(label, why)
    return kept


def _ask_for_every_attribute(found: list[Candidate], a: Analysis, sample: TableSample | None) -> None:
    """An LSI that does not project every attribute returns only what it projects unless the Query asks
    for more. When the request wants whole items and the sample is the whole table, the projection names
    every attribute the index's items have: DynamoDB then fetches them from the table."""
    if a.needed is not None or sample is None or not sample.complete:
        return
    for cand in found:
        if cand.index.kind != "lsi" or cand.coverage != 1 or cand.projection is not None:
            continue
        names = sorted({n for item in sample.in_index(cand.index) for n in item})
        if not names:
            continue
        cand.projection = [Path((n,)) for n in names]
        cand.notes = [n for n in cand.notes if "projects" not in n]
        cand.notes.append(
            f"LSI {cand.index.name} does not project every attribute, so the Query names them all (every "
            f"attribute its items have, {sample.label()}): DynamoDB fetches them from the table, one extra "
            "read per item (4 KB blocks of the whole item)"
        )


def _smaller(cand: Candidate, a: Analysis) -> bool:
    """An LSI that projects what the request returns reads smaller entries than the table's items."""
    return cand.coverage == 0 and a.projection is not None and cand.index.projection != "ALL"


def _accepted(cand: Candidate, schema: TableSchema, rejections: dict[str, str]) -> bool:
    """Would DynamoDB take the Query of ``cand``? When not, records why in ``rejections``."""
    if way_of(cand) != "query":
        return True
    idx = cand.index
    try:
        split_key_condition(cand.key_node(), idx, schema.attribute_types)
        filt = cand.filter_node()
        if filt is not None:
            check_filter(filt, schema.attribute_types, idx)
    except ExprError as e:
        rejections[idx.label] = e.message
        return False
    return True


def _derived(a: Analysis, schema: TableSchema, st: RunStats, seen: set[str]) -> list[Candidate]:
    """Indexes whose partition key, in every item the run returned, holds one value that encodes one
    of the filter's equalities (``gsi1pk = 'STATUS#OPEN'`` for ``status = 'OPEN'``)."""
    conds = a.conjuncts
    eqs = [(s[0], s[2][0]) for c in conds if (s := key_shape(c)) is not None and s[1] == "="]
    out: list[Candidate] = []
    for index in schema.indexes:
        if index.label in seen:
            continue
        pk = index.key.partition_key
        values = {json.dumps(i.get(pk), sort_keys=True, default=str) for i in st.items}
        if len(values) != 1 or any(not in_index(i, index) for i in st.items):
            continue
        av = st.items[0].get(pk) or {}
        if "S" not in av:
            continue
        key_value = av["S"]
        hit = next(((attr, v) for attr, v in eqs if attr != pk and _encodes(key_value, v)), None)
        if hit is None:
            continue
        synthetic: Node = Compare("=", Path((pk,)), Literal(key_value))
        try:
            cand = candidate([synthetic, *conds], index, schema, a.reads, a.needed, a.projection, synthetic)
        except Reject:
            continue
        if cand is None:
            continue
        complete = st.exhausted and st.count == len(st.items)
        if complete and cand.sparse:
            # every item the request returns was seen in the index: sparseness loses none of them
            cand.notes = [n for n in cand.notes if "is sparse" not in n]
            cand.exact = cand.coverage != 2
        attr, v = hit
        where = "the table" if index.kind == "table" else f"{index.kind.upper()} {index.name}"
        cand.derived = (
            f"All {len(st.items):,} items the {'run' if complete else 'last run'} returned have "
            f"{pk} = {to_source(Literal(key_value))}: {where} carries {attr} = {to_source(v)} in its key "
            "(an overloaded key), so a Query on that partition reads only those items; the filter stays "
            "to keep the result exact"
            + ("" if complete else " (checked on the items seen so far, not all of them)")
        )
        cand.exact = cand.exact and complete
        out.append(cand)
    return out


def _encodes(key_value: str, value: Literal) -> bool:
    """Does an overloaded key like ``STATUS#OPEN`` carry ``value`` as one of its delimited parts?"""
    if value.type == "S":
        text = value.value
    elif value.type == "N":
        text = str(value.value)
    else:
        return False
    if not text:
        return False
    return re.search(f"(^|{_DELIMITED}){re.escape(text)}($|{_DELIMITED})", key_value) is not None
