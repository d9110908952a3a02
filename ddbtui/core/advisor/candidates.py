"""Which index could serve a request: the *candidate* of one index (the table, an LSI or a GSI) for the
request's top-level conjuncts.

An index is a candidate when one conjunct fixes its partition key with ``=`` (or IN: several partitions).
The best sort-key conjunct moves into the key condition (``=`` before a range before a prefix; ``>=`` and
``<=`` together become BETWEEN); whatever else names one of the index's keys must be implied by the key
condition, or the index is rejected, because a Query's filter cannot use the keys it queries by. A
candidate is *exact* when it returns what the request returns: a sparse index (an item without the index's
sort key is not in it) must be implied by the conditions, and a GSI must project every attribute the
request returns or filters on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ddbtui.core.advisor.analysis import clip, holds, implied, key_shape, order, top, tops
from ddbtui.core.expr import Between, Compare, Function, Literal, Node, Path, and_, to_source
from ddbtui.core.schema import IndexSchema, TableSchema


@dataclass
class Candidate:
    """A way to read the request's items with a Query on one index (or a GetItem on the table)."""

    index: IndexSchema
    partition: tuple[str, Literal] | None  # None: IN on the partition key (several partitions)
    partitions: tuple[Literal, ...] = ()  # IN values
    sort: tuple[str, tuple[Literal, ...]] | None = None
    sort_text: str | None = None
    rest: list[Node] = field(default_factory=list)
    moved: list[Node] = field(default_factory=list)  # conjuncts that went into the key condition
    exact: bool = True
    notes: list[str] = field(default_factory=list)
    coverage: int = 0  # 0 covers, 1 LSI fetches from the table, 2 GSI lacks attributes
    projection: list[Path] | None = None
    derived: str | None = None  # overloaded key: why we believe it serves the filter
    sparse: list[str] = field(default_factory=list)  # index keys the conditions do not imply
    learned: str | None = None  # a key condition learned from a sample's key templates: what was learned

    @property
    def fit(self) -> int:
        """How much of the key the conditions fix: 1 partition only, 2 a sort range, 3 the sort key too."""
        if self.sort is None:
            return 1
        return 3 if self.sort[0] == "=" else 2

    @property
    def full_key(self) -> bool:
        return self.index.kind == "table" and (self.index.key.sort_key is None or self.fit == 3)

    def key_node(self, value: Literal | None = None) -> Node:
        """The key condition (for IN: the one of partition ``value``)."""
        lit = value if value is not None else self.partition[1] if self.partition else None
        assert lit is not None
        node: Node = Compare("=", Path((self.index.key.partition_key,)), lit)
        sort = self.sort_node()
        return node if sort is None else and_(node, sort)

    def sort_node(self) -> Node | None:
        if self.sort is None:
            return None
        sk = self.index.key.sort_key
        assert sk is not None
        op, values = self.sort
        path = Path((sk,))
        if op == "BETWEEN":
            return Between(path, values[0], values[1])
        if op == "begins_with":
            return Function("begins_with", (path, values[0]))
        return Compare(op, path, values[0])

    def filter_node(self) -> Node | None:
        return and_(*self.rest) if self.rest else None


class Reject(Exception):
    """The index cannot serve the request; the message says why (shown in explain)."""


def sort_choice(
    options: list[tuple[Node, str, tuple[Literal, ...]]], sk: str
) -> tuple[tuple[str, tuple[Literal, ...]], list[Node], str | None]:
    """Pick the sort-key condition among ``options`` (conjuncts on the sort key that a key condition
    takes). Returns ((op, values), conjuncts consumed, problem): a problem when some cannot be consumed."""
    eqs = [o for o in options if o[1] == "="]
    if eqs:
        node, _op, values = eqs[0]
        consumed = [node]
        for other, op, vals in options:
            if other is node:
                continue
            if not holds(op, vals, values[0]):
                return (
                    ("=", values),
                    consumed,
                    (f"`{clip(to_source(other))}` contradicts `{clip(to_source(node))}`: nothing matches"),
                )
            consumed.append(other)
        return ("=", values), consumed, None
    if len(options) == 1:
        node, op, values = options[0]
        return (op, values), [node], None
    lows = [o for o in options if o[1] == ">="]
    highs = [o for o in options if o[1] == "<="]
    if len(options) == 2 and len(lows) == 1 and len(highs) == 1 and lows[0][2][0].type == highs[0][2][0].type:
        low, high = lows[0][2][0], highs[0][2][0]
        if order(low) <= order(high):
            return ("BETWEEN", (low, high)), [lows[0][0], highs[0][0]], None
    shown = " and ".join(f"`{clip(to_source(o[0]), 40)}`" for o in options)
    return (
        (options[0][1], options[0][2]),
        [options[0][0]],
        (
            f"{shown} are two conditions on the sort key {sk}; a key condition takes one (>= and <= "
            "together make a BETWEEN)"
        ),
    )


def candidate(
    conds: Sequence[Node],
    index: IndexSchema,
    schema: TableSchema,
    reads: IndexSchema,
    needed: set[str] | None,
    projection: list[Path] | None,
    partition_conj: Node | None = None,
) -> Candidate | None:
    """The candidate of ``index`` for the conjuncts ``conds``; None when nothing fixes its partition key.

    Raises Reject when the index has its partition key fixed but cannot serve the request.
    ``needed`` is the set of attributes the request returns (None: every attribute of the item).
    """
    types = schema.attribute_types
    pk, sk = index.key.partition_key, index.key.sort_key
    where = "the table" if index.kind == "table" else f"{index.kind.upper()} {index.name}"
    shapes = [(c, key_shape(c)) for c in conds]
    part_conj: Node | None = partition_conj
    partition: tuple[str, Literal] | None = None
    partitions: tuple[Literal, ...] = ()
    for c, s in shapes:
        if part_conj is None and s is not None and s[0] == pk and s[1] == "=":
            part_conj = c
        if part_conj is c:
            break
    if part_conj is None:
        ins = [c for c, s in shapes if s is not None and s[0] == pk and s[1] == "IN"]
        if not ins:
            return None
        part_conj = ins[0]
    s = key_shape(part_conj)
    assert s is not None
    _attr, op, values = s
    if op == "IN" and len(values) == 1:
        op = "="
    for v in values:
        if v.type not in ("S", "N", "B") or (types.get(pk) and v.type != types[pk]):
            raise Reject(
                f"{pk} is {where}'s partition key, but `{clip(to_source(part_conj))}` never matches it"
            )
    if op == "=":
        partition = (pk, values[0])
    else:
        partitions = tuple(dict.fromkeys(values))  # IN repeats nothing
    moved: list[Node] = [part_conj]
    rest: list[Node] = []
    sort_options: list[tuple[Node, str, tuple[Literal, ...]]] = []
    for c, s in shapes:
        if c is part_conj:
            continue
        mentions = tops(c)
        if pk in mentions:
            if s is not None and s[0] == pk and partition is not None:
                if not holds(s[1], s[2], partition[1]):
                    raise Reject(f"`{clip(to_source(c))}` contradicts {pk} = {to_source(partition[1])}")
                moved.append(c)  # implied by the key condition: it would be a filter on a key
                continue
            if isinstance(c, Function) and c.name == "attribute_exists" and top(c.args[0]) == pk:
                moved.append(c)
                continue
            raise Reject(
                f"`{clip(to_source(c))}` names {pk}, {where}'s partition key; a Query's filter cannot use "
                "its keys"
            )
        if sk is not None and sk in mentions:
            if s is not None and s[0] == sk and s[1] in ("=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"):
                kind = types.get(sk)
                if s[1] == "begins_with" and kind == "N":
                    raise Reject(
                        f"begins_with() cannot be used on {sk}, {where}'s sort key: it holds numbers "
                        "(a Query's filter cannot use the key either)"
                    )
                if any(v.type not in ("S", "N", "B") or (kind and v.type != kind) for v in s[2]):
                    raise Reject(f"`{clip(to_source(c))}` never matches {sk}, {where}'s sort key")
                sort_options.append((c, s[1], s[2]))
                continue
            if isinstance(c, Function) and c.name == "attribute_exists" and top(c.args[0]) == sk:
                moved.append(c)  # every item of the index has its sort key
                continue
            raise Reject(
                f"`{clip(to_source(c))}` names {sk}, {where}'s sort key, in a way a key condition cannot "
                "take (a Query's filter cannot use its keys)"
            )
        rest.append(c)
    sort = None
    sort_text = None
    if sort_options:
        assert sk is not None
        sort, consumed, problem = sort_choice(sort_options, sk)
        if problem:
            raise Reject(problem)
        moved.extend(consumed)
        sort_text = " AND ".join(to_source(c) for c in consumed)
    cand = Candidate(index, partition, partitions, sort, sort_text, rest, moved)

    # Sparse indexes: an item lacking one of the index's keys is not in it.
    implies = implied(conds) | set(reads.key.attributes)
    if reads.kind != "table":
        implies |= set(schema.key.attributes)
    missing_keys = [k for k in index.key.attributes if k not in implies]
    if missing_keys:
        cand.exact = False
        cand.sparse = missing_keys
        names = " and ".join(missing_keys)
        cand.notes.append(
            f"{where} is sparse: it holds only items that have {names}, so items without "
            f"{'it' if len(missing_keys) == 1 else 'them'} that the request returns would be missed"
        )
    # Items of a sparse index the request reads must stay the only ones returned.
    own = set(index.key.attributes) | set(schema.key.attributes) | implied(conds)
    added = [k for k in reads.key.attributes if k not in own]
    for k in added:
        cand.rest.append(Function("attribute_exists", (Path((k,)),)))
    if added:
        cand.notes.append(
            f"attribute_exists({') AND attribute_exists('.join(added)}) keeps only the items "
            f"{reads.name} holds, as the request does"
        )
    _check_projection(cand, index, schema, reads, needed, projection, where)
    return cand


def _check_projection(
    cand: Candidate,
    index: IndexSchema,
    schema: TableSchema,
    reads: IndexSchema,
    needed: set[str] | None,
    projection: list[Path] | None,
    where: str,
) -> None:
    """What the request returns and filters on must be in the index: sets ``cand``'s projection and
    coverage, raises Reject when the index lacks an attribute the filter needs."""
    filter_attrs = set().union(*(tops(c) for c in cand.rest)) if cand.rest else set()
    if reads.kind != "table" and reads.projection != "ALL" and projection is None:
        # the request returns what its index projects; keep the result the same elsewhere
        projected = _projected(reads, schema)
        if index.projection == "ALL" or index.kind == "table" or not projected <= _projected(index, schema):
            cand.projection = [Path((a,)) for a in sorted(projected)]
            cand.notes.append(f"the projection returns what {reads.name} projects, as the request does")
        needed = projected
    else:
        cand.projection = projection
    if index.kind != "table" and index.projection != "ALL":
        have = _projected(index, schema)
        lost_filter = sorted(filter_attrs - have)
        if lost_filter:
            # measured on DynamoDB Local: "Secondary index … does not project one or more filter attributes"
            raise Reject(
                f"{where} does not project {', '.join(lost_filter)}, which the filter needs; DynamoDB rejects "
                "a filter on attributes the index does not project"
            )
        lost = None if needed is None else sorted(needed - have)
        if (needed is None or lost) and index.kind == "gsi":
            cand.coverage = 2
            cand.exact = False
            what = "every attribute" if needed is None else ", ".join(lost or [])
            cand.notes.append(
                f"{where} projects {_projection_words(index)} only: the request needs {what}, so the "
                "items would come back without them"
            )
        elif needed is None:
            cand.coverage = 1
            cand.notes.append(
                f"{where} projects {_projection_words(index)} only, and a Query on it returns just those "
                "unless it asks for more: DynamoDB fetches the other attributes from the table only for a "
                "Query that names them (--project) or selects ALL_ATTRIBUTES, not for this one"
            )
        elif lost:
            cand.coverage = 1
            cand.notes.append(
                f"{where} projects {_projection_words(index)} only: for the projection DynamoDB fetches "
                f"{', '.join(lost)} from the table, one extra read per item (4 KB blocks of the whole item)"
            )


def _projected(index: IndexSchema, schema: TableSchema) -> set[str]:
    out = set(schema.key.attributes) | set(index.key.attributes)
    if index.projection == "INCLUDE":
        out |= set(index.non_key_attributes)
    return out


def _projection_words(index: IndexSchema) -> str:
    if index.projection == "KEYS_ONLY":
        return "its keys"
    return "its keys and " + ", ".join(index.non_key_attributes)


def size_rank(index: IndexSchema, schema: TableSchema) -> float:
    """How big the index is (bytes, else items; unknown last), to prefer the smaller of two equals."""
    if index.kind == "table":
        return float(schema.size_bytes or schema.item_count or math.inf)
    return float(index.size_bytes or index.item_count or math.inf)


def key_json(cand: Candidate) -> str | None:
    """The GetItem key as plain JSON, or None when a value has no plain-JSON form (binary)."""
    assert cand.partition is not None
    key: dict[str, Any] = {cand.partition[0]: cand.partition[1].value}
    if cand.sort is not None:
        sk = cand.index.key.sort_key
        assert sk is not None
        key[sk] = cand.sort[1][0].value
    if any(not isinstance(v, str | Decimal | int) or isinstance(v, bool) for v in key.values()):
        return None  # binary has no plain-JSON form
    parts = [
        f"{json.dumps(k, ensure_ascii=False)}: "
        + (json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v))
        for k, v in key.items()
    ]
    return "{" + ", ".join(parts) + "}"
