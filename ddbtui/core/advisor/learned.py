"""Candidates the sample reveals: a key condition the request's filter implies through a key template
(``templates``) — a composite or entity-prefixed sort key, an overloaded index whose keys repeat the
filtered attributes, a write-sharded partition key read one shard at a time.

Each is the candidate of a Query with the learned key condition *and the request's whole filter*, so it
returns what the request returns as long as the template holds; ``Candidate.learned`` says what was
learned, from how many items.
"""

from __future__ import annotations

from collections.abc import Sequence

from ddbtui.core.advisor.analysis import Analysis, key_shape, tops
from ddbtui.core.advisor.candidates import Candidate, Reject, candidate
from ddbtui.core.advisor.sample import TableSample, keeps
from ddbtui.core.advisor.templates import Derived, derive
from ddbtui.core.expr import Between, Compare, Function, In, Node, Path
from ddbtui.core.schema import IndexSchema, TableSchema


def _node(d: Derived) -> Node:
    path = Path((d.attr,))
    if d.op == "shards":
        return In(path, d.values)
    if d.op == "BETWEEN":
        return Between(path, d.values[0], d.values[1])
    if d.op == "begins_with":
        return Function("begins_with", (path, d.values[0]))
    return Compare(d.op, path, d.values[0])


def learned_candidates(
    a: Analysis, schema: TableSchema, sample: TableSample | None, found: Sequence[Candidate]
) -> list[Candidate]:
    """Candidates with a key condition learned from ``sample`` (none without one)."""
    if sample is None or not sample.items or a.operation not in ("scan", "query", "sql"):
        return []
    conds = a.conjuncts
    out: list[Candidate] = []
    by_index = {c.index.label: c for c in found}
    for index in schema.indexes:
        base = by_index.get(index.label)
        try:
            cand = _learn(a, schema, sample, index, base, conds)
        except Reject:
            cand = None
        if cand is not None:
            out.append(cand)
    return out


def _learn(
    a: Analysis,
    schema: TableSchema,
    sample: TableSample,
    index: IndexSchema,
    base: Candidate | None,
    conds: list[Node],
) -> Candidate | None:
    types = schema.attribute_types
    pk, sk = index.key.partition_key, index.key.sort_key
    why: list[str] = []
    extra: list[Node] = []
    part_conj: Node | None = None
    rest = list(conds)
    if base is None:
        if any(pk in tops(c) and (s := key_shape(c)) is not None and s[1] != "begins_with" for c in conds):
            return None  # the partition key is named in a way the candidate search already weighed
        d = derive(sample, index, pk, conds, shards=True, kind=types.get(pk, "S"))
        if d is None or d.op not in ("=", "shards"):
            return None
        part_conj = _node(d)
        extra.append(part_conj)
        why += d.why
        rest = [c for c in conds if not (pk in tops(c) and any(c is u for u in d.used))]
    elif base.sort is not None or sk is None:
        return None
    if sk is not None:
        filt = base.rest if base is not None else [c for c in rest if pk not in tops(c)]
        if not any(sk in tops(c) for c in filt):
            ds = derive(sample, index, sk, filt, kind=types.get(sk, "S"))
            if ds is not None and ds.op != "shards":
                extra.append(_node(ds))
                why += [w for w in ds.why if w not in why]
    if base is not None and len(extra) == 0:
        return None
    if base is None and not extra:
        return None
    if base is not None:
        # the partition as the request fixes it, plus the learned sort-key condition
        cand = candidate([*conds, *extra], index, schema, a.reads, a.needed, a.projection)
    else:
        cand = candidate([*extra, *rest], index, schema, a.reads, a.needed, a.projection, part_conj)
    if cand is None:
        return None
    if base is not None and cand.fit <= base.fit:
        return None
    if (
        base is not None
        and base.partition is not None
        and _reads(sample, index, base) <= _reads(sample, index, cand)
    ):
        return None  # the learned sort-key condition narrows nothing the sample holds
    label = sample.label()
    said = [w.replace(f" ({label})", "") for w in why if w != label]
    cand.learned = "; ".join([*dict.fromkeys(said), label])
    # the learned conditions are beliefs: the request's filter stays whole
    kept = [c for c in conds if not any(c is m for m in cand.moved) and not any(c is r for r in cand.rest)]
    kept = [c for c in kept if not (set(index.key.attributes) & tops(c))]
    cand.rest.extend(kept)
    return cand


def _reads(sample: TableSample, index: IndexSchema, cand: Candidate) -> int:
    """Sampled entries of ``index`` that the key condition of ``cand`` reads."""
    key = [cand.key_node()]
    return sum(keeps(key, i) for i in sample.in_index(index))
