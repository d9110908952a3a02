"""A candidate checked on the sample: does the Query it stands for return the sampled items the request
returns?

A candidate learned from a key template, or one on a sparse index, rests on a belief (the template holds,
every item the request returns has the index's keys). The sample tests it: the items of the request's
index that satisfy all of its conditions, against the items of the candidate's index that satisfy its key
condition and filter. When the sample is the whole table and the two are the same, the candidate is exact
(as of the sample); when the candidate misses a sampled item, it is wrong and dropped.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.candidates import Candidate
from ddbtui.core.advisor.sample import TableSample, evaluate
from ddbtui.core.expr import Compare, In, Node, Path
from ddbtui.core.schema import IndexSchema


@dataclass(frozen=True)
class Check:
    """What the sample says of a candidate: ``wanted`` sampled items the request returns, ``missed`` of
    them the candidate does not return, ``extra`` it returns that the request does not."""

    wanted: int
    missed: int
    extra: int

    @property
    def same(self) -> bool:
        return self.missed == 0 and self.extra == 0


def _matching(sample: TableSample, index: IndexSchema, conds: Sequence[Node]) -> set[int] | None:
    """Positions of the sampled items in ``index`` that satisfy every one of ``conds``; None when a
    condition cannot be evaluated on some item (a function ddbtui does not model)."""
    out: set[int] = set()
    members = {id(i) for i in sample.in_index(index)}
    for pos, item in enumerate(sample.items):
        if id(item) not in members:
            continue
        results = [evaluate(c, item) for c in conds]
        if any(r is None for r in results):
            return None
        if all(results):
            out.add(pos)
    return out


def candidate_conditions(cand: Candidate) -> list[Node]:
    """The key condition and the filter of the Query (or Queries, for IN) of ``cand``, as conjuncts."""
    pk = Path((cand.index.key.partition_key,))
    part: Node = (
        Compare("=", pk, cand.partition[1]) if cand.partition is not None else In(pk, cand.partitions)
    )
    sort = cand.sort_node()
    return [part, *([sort] if sort is not None else []), *cand.rest]


def check(cand: Candidate, a: Analysis, sample: TableSample) -> Check | None:
    """The candidate against the request on the sample; None when the sample cannot tell."""
    wanted = _matching(sample, a.reads, a.conjuncts)
    got = _matching(sample, cand.index, candidate_conditions(cand))
    if wanted is None or got is None:
        return None
    return Check(len(wanted), len(wanted - got), len(got - wanted))


def confirm(cand: Candidate, a: Analysis, sample: TableSample | None) -> str | None:
    """Checks a learned or sparse candidate on the sample. Returns why it is wrong (it misses sampled
    items the request returns, or returns others), else None; a candidate the whole table confirms
    becomes exact, its sparseness note replaced by what the sample showed."""
    if sample is None or not sample.items or not (cand.learned or cand.sparse):
        return None
    found = check(cand, a, sample)
    if found is None:
        return None
    where = "the table" if cand.index.kind == "table" else f"{cand.index.kind.upper()} {cand.index.name}"
    if found.missed:
        return (
            f"a Query on {where} would miss {found.missed:,} of the {found.wanted:,} items the request "
            f"returns ({sample.label()})"
        )
    if found.extra:
        return (
            f"a Query on {where} would return {found.extra:,} items the request does not ({sample.label()})"
        )
    if cand.sparse and (sample.complete or found.wanted >= 2):
        names = " and ".join(cand.sparse)
        cand.notes = [n for n in cand.notes if "is sparse" not in n]
        cand.notes.append(
            f"{where} is sparse (only items that have {names}), but every item the request returns has "
            f"{'it' if len(cand.sparse) == 1 else 'them'} ({sample.label()})"
        )
        cand.exact = cand.coverage != 2
    return None
