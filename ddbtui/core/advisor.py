"""The advisor: from a read request, the table's schema and (once run) the run's statistics, ranked
suggestions that each rewrite the request in one step.

How it thinks. The request's key condition and filter are split into their top-level conjuncts (``a AND b
AND c``); only those can become a key condition, never a condition nested under OR or NOT. Every index of
the table (the table itself, its LSIs, its GSIs) is then a *candidate* when one conjunct fixes its partition
key with ``=``. For each candidate the best sort-key conjunct moves into the key condition (``=`` before a
range before a prefix; ``>=`` and ``<=`` together become BETWEEN); whatever else names one of the
candidate's keys must be implied by the key condition or the candidate is out, because a Query's filter
cannot use the keys it queries by. A candidate is *exact* when it returns what the request returns: a
sparse index (an item without the index's sort key is not in it) must be implied by the conditions, and a
GSI must project every attribute the request returns or filters on. Candidates are ranked by sort-key fit,
then projection coverage, then index size; the suggestions by estimated read units, cheapest first, with
warnings after everything that can be applied.

Numbers come from the schema (TableSizeBytes / ItemCount) and, when given, the run: ``RunStats.count`` /
``scanned_count`` measure what a filter keeps, ``items`` give item and index-entry sizes and reveal
*overloaded* keys — a GSI whose partition key holds ``STATUS#OPEN`` for every item with ``status = 'OPEN'``
serves that filter even though its key is not called status.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ddbtui.core import prices
from ddbtui.core.capacity import (
    format_cost,
    format_units,
    get_item_units,
    in_index,
    index_entry_size,
    item_size,
    read_units,
)
from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import (
    And,
    Between,
    Compare,
    Function,
    In,
    Literal,
    NameRef,
    Node,
    Not,
    Or,
    Path,
    Placeholders,
    Size,
    ValueRef,
    and_,
    check_filter,
    conjuncts,
    parse_condition,
    parse_projection,
    split_key_condition,
    to_source,
    type_name,
    walk,
)
from ddbtui.core.partiql import PartiQLUnsupported, Select, parse_select, to_partiql
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema
from ddbtui.core.values import parse_plain_json

PAGE_BYTES = 1024 * 1024  # a Query or Scan page reads at most 1 MB
LARGE_SCAN_BYTES = PAGE_BYTES  # a scan of more than one page is worth a warning
MAX_QUERY_SUGGESTIONS = 3

#: Kinds that rewrite the request (ranked first), in the order used to break ties.
ACTIONABLE_KINDS = (
    "filter-on-key",
    "use-get-item",
    "use-batch-get",
    "use-query",
    "use-parallel-queries",
    "create-gsi",
)
#: Warnings, in the order they are listed after the actionable suggestions.
WARNING_KINDS = (
    "invalid-condition",
    "consistent-read-cost",
    "partiql-full-scan",
    "limit-before-filter",
    "full-scan-cost",
)


@dataclass(frozen=True)
class RunStats:
    """What the last run of the request measured.

    ``count``/``scanned_count`` are DynamoDB's Count and ScannedCount summed over the pages read;
    ``exhausted`` says the run read to the end (so they are totals, not a sample); ``consumed_rcu`` is the
    read capacity of those pages (``estimated`` when it is ddbtui's own figure); ``items`` are returned
    items in AttributeValue form (all of them or a sample), used for sizes and to spot overloaded keys.
    """

    count: int
    scanned_count: int
    pages: int = 1
    consumed_rcu: float | None = None
    estimated: bool = False
    exhausted: bool = False
    items: tuple[Mapping[str, Any], ...] = ()
    average_item_size: float | None = None  # of the items read, when the caller knows it

    @property
    def selectivity(self) -> float | None:
        """Count / ScannedCount: the share of the items read that the filter kept."""
        return self.count / self.scanned_count if self.scanned_count else None


@dataclass(frozen=True)
class Suggestion:
    """One piece of advice. ``to_json`` gives DESIGN §6's fields; ``apply`` rewrites the request.

    ``key_condition`` and ``filter`` are ddbtui expressions with inline literals, ready for ``--key`` /
    ``--filter``; ``index`` is None for the table; ``operation`` is the operation the request switches to
    (None for a warning that changes nothing). ``severity`` is ``info``, ``warning`` or ``error`` (DynamoDB
    would reject the request, or it can never match); ``rank`` is 1 for the best suggestion.
    """

    kind: str
    reason: str
    index: str | None = None
    key_condition: str | None = None
    filter: str | None = None
    operation: str | None = None
    estimated_rcu: float | None = None
    severity: str = "info"
    rank: int = 0
    projection: str | None = None
    statement: str | None = None
    changes: tuple[tuple[str, Any], ...] = ()
    # create-gsi: the GlobalSecondaryIndexUpdates "Create" entry and the AttributeDefinitions it needs
    index_definition: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def actionable(self) -> bool:
        """True for a suggestion of another way to read (as opposed to a warning)."""
        return self.kind in ACTIONABLE_KINDS

    @property
    def runnable(self) -> bool:
        """True when ``apply`` gives a request that can run now (a proposed index must be created first)."""
        return bool(self.changes) and self.kind != "create-gsi"

    def to_json(self) -> dict[str, Any]:
        """``{"kind", "index", "key_condition", "filter", "reason", "estimated_rcu"}``."""
        return {
            "kind": self.kind,
            "index": self.index,
            "key_condition": self.key_condition,
            "filter": self.filter,
            "reason": self.reason,
            "estimated_rcu": self.estimated_rcu,
        }

    def apply(self, request: ReadRequest) -> ReadRequest:
        """``request`` rewritten to follow this suggestion (unchanged for a warning without a fix)."""
        return request.with_(**dict(self.changes)) if self.changes else request


class CannotAdvise(Exception):
    """The request cannot be analysed (it does not parse, or names something the schema lacks)."""


# ================================================================================================ public


def advise(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None = None,
    *,
    region: str | None = None,
) -> list[Suggestion]:
    """Ranked suggestions for ``request`` on ``schema`` (the statement's table for PartiQL).

    Never raises for a request it cannot read (a syntax error, an unknown index): the builder reports
    those; the advisor then has nothing to say and returns ``[]``.
    """
    try:
        return Advisor(request, schema, stats, region).run()
    except CannotAdvise:
        return []


@dataclass(frozen=True)
class Review:
    """The suggestions, and why each index that has its partition key fixed cannot serve the request."""

    suggestions: list[Suggestion]
    rejected: dict[str, str]  # index label ("table" or its name) -> why


def review(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None = None,
    *,
    region: str | None = None,
) -> Review:
    """Like ``advise``, plus the indexes considered and rejected (for ``explain``)."""
    try:
        advisor = Advisor(request, schema, stats, region)
    except CannotAdvise:
        return Review([], {})
    suggestions = advisor.run()
    return Review(suggestions, dict(advisor.rejections))


def analyse(request: ReadRequest, schema: TableSchema) -> Analysis:
    """The request as the advisor reads it (resolved placeholders, conjuncts, the index read).

    Raises ExprError / UsageError for what the user must fix, CannotAdvise for PartiQL it cannot read.
    """
    return _analysis(request, schema)


# ================================================================================================ analysis


@dataclass
class Analysis:
    """A request taken apart: what it reads, its conditions as trees with inline literals."""

    operation: str  # scan | query | get | sql
    table: str
    reads: IndexSchema  # the table or index the request reads
    key: list[Node]  # key-condition conjuncts (query; get: the key as equalities)
    filter: list[Node]  # filter conjuncts (sql: the WHERE clause)
    projection: list[Path] | None
    select: Select | None = None
    sql_problem: str | None = None  # the PartiQL could not be read: why

    @property
    def conjuncts(self) -> list[Node]:
        return [*self.key, *self.filter]

    @property
    def filter_node(self) -> Node | None:
        return and_(*self.filter) if self.filter else None

    @property
    def key_node(self) -> Node | None:
        return and_(*self.key) if self.key else None


def _analysis(request: ReadRequest, schema: TableSchema) -> Analysis:
    op = request.operation
    if op == "sql":
        try:
            select = parse_select(request.statement or "")
        except PartiQLUnsupported as e:
            return Analysis("sql", schema.name, schema.table_index, [], [], None, None, str(e))
        if select.table != schema.name:
            raise CannotAdvise(f"the statement reads {select.table}, the schema is {schema.name}'s")
        reads = _index(schema, select.index)
        where = conjuncts(select.where) if select.where is not None else []
        projection = list(select.projection) if select.projection else None
        return Analysis("sql", schema.name, reads, [], where, projection, select)
    reads = _index(schema, request.index)
    resolve = _Resolver(request.names, request.values)
    key: list[Node] = []
    if op == "get":
        if request.key:
            value = parse_plain_json(request.key, "key JSON")
            if not isinstance(value, dict):
                raise UsageError("--key must be a JSON object")
            key = [Compare("=", Path((k,)), Literal(v)) for k, v in value.items()]
    elif request.key:
        key = conjuncts(resolve(parse_condition(request.key)))
    filt = conjuncts(resolve(parse_condition(request.filter))) if request.filter else []
    projection = None
    if request.projection:
        projection = [resolve.path(p) for p in parse_projection(request.projection)]
    return Analysis(op, schema.name, reads, key, filt, projection)


def _index(schema: TableSchema, name: str | None) -> IndexSchema:
    try:
        return schema.index(name)
    except KeyError as e:
        raise UsageError(str(e.args[0])) from None


class _Resolver:
    """Replaces ``#name`` / ``:value`` placeholders with the names and inline values they stand for."""

    def __init__(self, names: Mapping[str, str] | None, values: Mapping[str, Any] | None) -> None:
        self.ph = Placeholders(names=names, values=values)
        self.values = dict(values or {})

    def path(self, path: Path) -> Path:
        out: list[str | int] = []
        for e in path.elements:
            if isinstance(e, NameRef):
                name = self.ph.resolve_name(e)
                if name is None:
                    raise ExprError(f"{e.name} is not defined: give it with --names", e.column, None)
                out.append(name)
            else:
                out.append(e)
        return Path(tuple(out), offset=path.offset)

    def __call__(self, node: Node) -> Node:
        if isinstance(node, Path):
            return self.path(node)
        if isinstance(node, ValueRef):
            if node.name not in self.values:
                raise ExprError(f"{node.name} has no value: give it with --values", node.column, None)
            value = self.values[node.name]
            return Literal(Decimal(repr(value)) if isinstance(value, float) else value, offset=node.offset)
        if isinstance(node, Compare):
            return Compare(node.op, self(node.left), self(node.right), offset=node.offset)
        if isinstance(node, Between):
            return Between(self(node.operand), self(node.low), self(node.high), offset=node.offset)
        if isinstance(node, In):
            return In(self(node.operand), tuple(self(o) for o in node.options), offset=node.offset)
        if isinstance(node, Function):
            return Function(node.name, tuple(self(a) for a in node.args), offset=node.offset)
        if isinstance(node, Size):
            return Size(self.path(node.path), offset=node.offset)
        if isinstance(node, And):
            return And(tuple(self(o) for o in node.operands), offset=node.offset)
        if isinstance(node, Or):
            return Or(tuple(self(o) for o in node.operands), offset=node.offset)
        if isinstance(node, Not):
            return Not(self(node.operand), offset=node.offset)
        return node


# ================================================================================================ conditions


def _top(path: Node) -> str | None:
    """The top-level attribute of a single-element path (``a``), None for anything else."""
    if isinstance(path, Path) and len(path.elements) == 1 and isinstance(path.elements[0], str):
        return path.elements[0]
    return None


def _tops(node: Node) -> set[str]:
    """Every top-level attribute name the condition mentions."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, Path) and isinstance(n.elements[0], str):
            out.add(n.elements[0])
    return out


def key_shape(conj: Node) -> tuple[str, str, tuple[Literal, ...]] | None:
    """``(attribute, op, literal values)`` of a key-condition-shaped conjunct; op one of ``= <> < <= > >=
    BETWEEN begins_with IN``. None when it compares anything else (two paths, size(), a nested path)."""
    if isinstance(conj, Compare):
        left, right, op = conj.left, conj.right, conj.op
        if not isinstance(left, Path) and isinstance(right, Path):
            left, right = right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        attr = _top(left)
        if attr is not None and isinstance(right, Literal):
            return attr, op, (right,)
        return None
    if isinstance(conj, Between):
        attr = _top(conj.operand)
        if attr is not None and isinstance(conj.low, Literal) and isinstance(conj.high, Literal):
            return attr, "BETWEEN", (conj.low, conj.high)
        return None
    if isinstance(conj, Function) and conj.name == "begins_with":
        attr = _top(conj.args[0])
        if attr is not None and isinstance(conj.args[1], Literal):
            return attr, "begins_with", (conj.args[1],)
        return None
    if isinstance(conj, In):
        attr = _top(conj.operand)
        if attr is not None and all(isinstance(o, Literal) for o in conj.options):
            return attr, "IN", tuple(o for o in conj.options if isinstance(o, Literal))
    return None


def _implied(conds: Iterable[Node]) -> set[str]:
    """Attributes that must exist for every item the top-level conjuncts ``conds`` keep.

    A comparison, BETWEEN, IN, begins_with, contains, attribute_type or attribute_exists is false for a
    missing attribute; ``<>`` is true for one, and NOT/OR prove nothing.
    """
    out: set[str] = set()

    def add(node: Node) -> None:
        target = node.path if isinstance(node, Size) else node
        if isinstance(target, Path) and isinstance(target.elements[0], str):
            out.add(target.elements[0])

    for c in conds:
        if isinstance(c, Compare) and c.op != "<>":
            add(c.left)
            add(c.right)
        elif isinstance(c, Between):
            for n in (c.operand, c.low, c.high):
                add(n)
        elif isinstance(c, In):
            add(c.operand)
        elif isinstance(c, Function) and c.name != "attribute_not_exists":
            add(c.args[0])
    return out


def _order(lit: Literal) -> Any:
    v = lit.value
    return Decimal(v) if lit.type == "N" else bytes(v) if lit.type == "B" else v


def _holds(op: str, values: tuple[Literal, ...], value: Literal) -> bool:
    """Does a key attribute holding ``value`` satisfy ``op values``? Types that differ never match."""
    if op == "IN":
        return any(_holds("=", (v,), value) for v in values)
    if op == "<>":
        return not _holds("=", values, value)
    if any(v.type != value.type for v in values):
        return False
    x, ys = _order(value), [_order(v) for v in values]
    if op == "=":
        return x == ys[0]
    if op == "<":
        return x < ys[0]
    if op == "<=":
        return x <= ys[0]
    if op == ">":
        return x > ys[0]
    if op == ">=":
        return x >= ys[0]
    if op == "BETWEEN":
        return ys[0] <= x <= ys[1]
    if op == "begins_with":
        return value.type in ("S", "B") and x.startswith(ys[0])
    return False


def _never_matches(conj: Node, types: Mapping[str, str]) -> str | None:
    """Why a top-level conjunct on a key attribute can match no item (its values have the wrong type)."""
    s = key_shape(conj)
    if s is None:
        return None
    attr, op, values = s
    kind = types.get(attr)
    if kind is None or op == "<>":
        return None
    if op == "begins_with" and kind == "N":
        return (
            f"begins_with() never matches {attr}: it is a key attribute holding numbers, and begins_with "
            "works on strings and binary; use BETWEEN or < > for a range of numbers"
        )
    wrong = [v for v in values if v.type != kind]
    if wrong and (op != "IN" or len(wrong) == len(values)):
        return (
            f"`{_clip(to_source(conj))}` never matches: {attr} is a key attribute holding "
            f"{type_name(kind)}s, and {to_source(wrong[0])} is a {type_name(wrong[0].type)}"
        )
    return None


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


# ================================================================================================ candidates


@dataclass
class _Candidate:
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


def _sort_choice(
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
            if not _holds(op, vals, values[0]):
                return (
                    ("=", values),
                    consumed,
                    (f"`{_clip(to_source(other))}` contradicts `{_clip(to_source(node))}`: nothing matches"),
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
        if _order(low) <= _order(high):
            return ("BETWEEN", (low, high)), [lows[0][0], highs[0][0]], None
    shown = " and ".join(f"`{_clip(to_source(o[0]), 40)}`" for o in options)
    return (
        (options[0][1], options[0][2]),
        [options[0][0]],
        (
            f"{shown} are two conditions on the sort key {sk}; a key condition takes one (>= and <= "
            "together make a BETWEEN)"
        ),
    )


class _Reject(Exception):
    """The index cannot serve the request; the message says why (shown in explain)."""


def _candidate(
    conds: Sequence[Node],
    index: IndexSchema,
    schema: TableSchema,
    reads: IndexSchema,
    needed: set[str] | None,
    projection: list[Path] | None,
    partition_conj: Node | None = None,
) -> _Candidate | None:
    """The candidate of ``index`` for the conjuncts ``conds``; None when nothing fixes its partition key.

    Raises _Reject when the index has its partition key fixed but cannot serve the request.
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
            raise _Reject(
                f"{pk} is {where}'s partition key, but `{_clip(to_source(part_conj))}` never matches it"
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
        mentions = _tops(c)
        if pk in mentions:
            if s is not None and s[0] == pk and partition is not None:
                if not _holds(s[1], s[2], partition[1]):
                    raise _Reject(f"`{_clip(to_source(c))}` contradicts {pk} = {to_source(partition[1])}")
                moved.append(c)  # implied by the key condition: it would be a filter on a key
                continue
            if isinstance(c, Function) and c.name == "attribute_exists" and _top(c.args[0]) == pk:
                moved.append(c)
                continue
            raise _Reject(
                f"`{_clip(to_source(c))}` names {pk}, {where}'s partition key; a Query's filter cannot use "
                "its keys"
            )
        if sk is not None and sk in mentions:
            if s is not None and s[0] == sk and s[1] in ("=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"):
                kind = types.get(sk)
                if s[1] == "begins_with" and kind == "N":
                    raise _Reject(
                        f"begins_with() cannot be used on {sk}, {where}'s sort key: it holds numbers "
                        "(a Query's filter cannot use the key either)"
                    )
                if any(v.type not in ("S", "N", "B") or (kind and v.type != kind) for v in s[2]):
                    raise _Reject(f"`{_clip(to_source(c))}` never matches {sk}, {where}'s sort key")
                sort_options.append((c, s[1], s[2]))
                continue
            if isinstance(c, Function) and c.name == "attribute_exists" and _top(c.args[0]) == sk:
                moved.append(c)  # every item of the index has its sort key
                continue
            raise _Reject(
                f"`{_clip(to_source(c))}` names {sk}, {where}'s sort key, in a way a key condition cannot "
                "take (a Query's filter cannot use its keys)"
            )
        rest.append(c)
    sort = None
    sort_text = None
    if sort_options:
        assert sk is not None
        sort, consumed, problem = _sort_choice(sort_options, sk)
        if problem:
            raise _Reject(problem)
        moved.extend(consumed)
        sort_text = " AND ".join(to_source(c) for c in consumed)
    cand = _Candidate(index, partition, partitions, sort, sort_text, rest, moved)

    # Sparse indexes: an item lacking one of the index's keys is not in it.
    implied = _implied(conds) | set(reads.key.attributes)
    if reads.kind != "table":
        implied |= set(schema.key.attributes)
    missing_keys = [k for k in index.key.attributes if k not in implied]
    if missing_keys:
        cand.exact = False
        cand.sparse = missing_keys
        names = " and ".join(missing_keys)
        cand.notes.append(
            f"{where} is sparse: it holds only items that have {names}, so items without "
            f"{'it' if len(missing_keys) == 1 else 'them'} that the request returns would be missed"
        )
    # Items of a sparse index the request reads must stay the only ones returned.
    own = set(index.key.attributes) | set(schema.key.attributes) | _implied(conds)
    added = [k for k in reads.key.attributes if k not in own]
    for k in added:
        cand.rest.append(Function("attribute_exists", (Path((k,)),)))
    if added:
        cand.notes.append(
            f"attribute_exists({') AND attribute_exists('.join(added)}) keeps only the items "
            f"{reads.name} holds, as the request does"
        )

    # Projection: what the request returns and filters on must be in the index.
    filter_attrs = set().union(*(_tops(c) for c in cand.rest)) if cand.rest else set()
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
            raise _Reject(
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
        elif needed is None or lost:
            cand.coverage = 1
            what = "the other attributes" if needed is None else ", ".join(lost or [])
            cand.notes.append(
                f"{where} projects {_projection_words(index)} only: DynamoDB fetches {what} from the table, "
                "one extra read per item (4 KB blocks of the whole item)"
            )
    return cand


def _projected(index: IndexSchema, schema: TableSchema) -> set[str]:
    out = set(schema.key.attributes) | set(index.key.attributes)
    if index.projection == "INCLUDE":
        out |= set(index.non_key_attributes)
    return out


def _projection_words(index: IndexSchema) -> str:
    if index.projection == "KEYS_ONLY":
        return "its keys"
    return "its keys and " + ", ".join(index.non_key_attributes)


def _needed(a: Analysis) -> set[str] | None:
    if a.projection is None:
        return None
    return {p.elements[0] for p in a.projection if isinstance(p.elements[0], str)}


# ================================================================================================ the advisor


_DELIMITED = "[#:|/_.-]"


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


class Advisor:
    """Works out the suggestions for one request; ``run`` returns them ranked. ``advise`` wraps it."""

    def __init__(
        self, request: ReadRequest, schema: TableSchema, stats: RunStats | None, region: str | None
    ) -> None:
        self.req = request
        self.schema = schema
        self.stats = stats
        self.region = region
        try:
            self.a = _analysis(request, schema)
        except (ExprError, UsageError) as e:
            raise CannotAdvise(str(e)) from None
        self.out: list[Suggestion] = []
        self.rejections: dict[str, str] = {}

    # ---- numbers -------------------------------------------------------------------------------------

    @property
    def consistent(self) -> bool:
        return bool(self.req.consistent)

    def avg_item_size(self) -> float | None:
        if self.schema.average_item_size:
            return self.schema.average_item_size
        st = self.stats
        if st is None:
            return None
        if st.average_item_size:
            return st.average_item_size
        if st.items and self.a.projection is None and self.a.reads.kind == "table":
            return sum(item_size(i) for i in st.items) / len(st.items)
        return None

    def entry_size(self, index: IndexSchema) -> float | None:
        """Average bytes a read of one item through ``index`` counts."""
        if index.kind == "table" or index.projection == "ALL":
            return self.avg_item_size()
        st = self.stats
        if st and st.items and self.a.projection is None and self.a.reads.kind == "table":
            sizes = [index_entry_size(i, self.schema.key, index) for i in st.items if in_index(i, index)]
            if sizes:
                return sum(sizes) / len(sizes)
        return self.avg_item_size()  # an upper bound: the entry is part of the item

    def table_bytes(self) -> tuple[float | None, str]:
        """Bytes a full scan of what the request reads, and where the figure comes from."""
        reads = self.a.reads
        if reads.kind != "table":
            if reads.size_bytes:
                return float(reads.size_bytes), "IndexSizeBytes"
            avg = self.entry_size(reads)
            if reads.item_count and avg:
                return reads.item_count * avg, "the index's ItemCount × an average entry size"
            return None, "the index size is unknown"
        if self.schema.size_bytes:
            return float(self.schema.size_bytes), "TableSizeBytes"
        avg = self.avg_item_size()
        if self.schema.item_count and avg:
            return self.schema.item_count * avg, "ItemCount × the average item size of the last run"
        if self.schema.item_count:
            return None, (
                f"the table holds {self.schema.item_count:,} items but reports no size (emulators report "
                "0 bytes); run the request once to measure it"
            )
        return None, "the table reports neither its size nor its item count"

    def rcu(self, nbytes: float, index: IndexSchema | None = None) -> float:
        consistent = self.consistent and (index is None or index.kind != "gsi")
        return read_units(math.ceil(nbytes), consistent)

    def current_rcu(self) -> float | None:
        """What the request as it stands costs to read to the end."""
        st = self.stats
        if st and st.exhausted and st.consumed_rcu is not None:
            return st.consumed_rcu
        if self.is_full_scan():
            nbytes, _ = self.table_bytes()
            return self.rcu(nbytes, self.a.reads) if nbytes is not None else None
        return None

    def matches(self) -> tuple[float | None, bool]:
        """Items the whole request returns: (number, measured exactly)."""
        st = self.stats
        if st is None:
            return None, False
        if st.exhausted:
            return float(st.count), True
        if self.is_full_scan() and st.scanned_count and self.scan_items():
            return st.count / st.scanned_count * (self.scan_items() or 0), False
        return None, False

    def scan_items(self) -> int | None:
        reads = self.a.reads
        return reads.item_count if reads.kind != "table" else self.schema.item_count

    def is_full_scan(self) -> bool:
        a = self.a
        if a.operation == "scan":
            return True
        if a.operation == "sql":
            return not self.sql_keyed()
        return False

    def sql_keyed(self) -> bool:
        """A PartiQL SELECT with `=` or IN on its partition key runs as a Query (or several)."""
        pk = self.a.reads.key.partition_key
        return any(
            (s := key_shape(c)) is not None and s[0] == pk and s[1] in ("=", "IN") for c in self.a.filter
        )

    def price(self, rcu: float) -> str:
        return format_cost(prices.cost(rcu, 0.0, self.region, self.schema.billing_mode))

    def saving(self, new: float | None) -> str:
        cur = self.current_rcu()
        if new is None or cur is None or cur <= 0:
            return ""
        if new <= 0:
            return f" It reads nothing it discards: {rcu_text(cur)} RCU → {rcu_text(new)}."
        factor = cur / new
        if factor < 1.5:
            return ""
        return f" About {factor:,.0f}× fewer read units: ~{rcu_text(new)} RCU instead of ~{rcu_text(cur)}."

    def estimate(self, cand: _Candidate) -> float | None:
        """Read units of a candidate: known for a single item, or from the run when the key condition
        alone selects what the request returns."""
        size = self.entry_size(cand.index)
        if cand.full_key and cand.partition is not None:
            return get_item_units(math.ceil(size) if size else 1, self.consistent)
        if cand.rest and not cand.derived:
            return None
        m, _exact = self.matches()
        if m is None or size is None:
            return None
        units = self.rcu(m * size, cand.index)
        if cand.coverage == 1:
            avg = self.avg_item_size() or size
            units += m * read_units(math.ceil(avg), self.consistent)
        return units

    # ---- driver ----------------------------------------------------------------------------------------

    def run(self) -> list[Suggestion]:
        a = self.a
        if a.operation == "sql" and a.sql_problem is not None:
            self.out.append(
                Suggestion(
                    "partiql-full-scan",
                    "ddbtui cannot tell how DynamoDB runs this statement "
                    f"({a.sql_problem}). Without `=` or IN on the partition key "
                    f"{self.schema.key.partition_key} in WHERE, a SELECT scans the whole table.",
                    severity="warning",
                )
            )
            return self._ranked()
        if a.operation in ("scan", "query", "sql"):
            self._never_matches()
            self._candidates()
            if a.operation == "sql" and not self.sql_keyed():
                self._partiql_full_scan()
            self._limit_before_filter()
            if self.is_full_scan():
                self._full_scan_cost()
        self._consistent_read()
        return self._ranked()

    def _ranked(self) -> list[Suggestion]:
        def key(s: Suggestion) -> tuple[Any, ...]:
            if s.actionable:
                rcu = s.estimated_rcu
                return (0, rcu is None, rcu or 0.0, ACTIONABLE_KINDS.index(s.kind))
            return (1, WARNING_KINDS.index(s.kind) if s.kind in WARNING_KINDS else 99, 0.0, 0)

        ordered = sorted(enumerate(self.out), key=lambda p: (*key(p[1]), p[0]))
        return [replace(s, rank=i) for i, (_, s) in enumerate(ordered, start=1)]

    # ---- warnings ------------------------------------------------------------------------------------

    def _never_matches(self) -> None:
        for c in self.a.conjuncts:
            why = _never_matches(c, self.schema.attribute_types)
            if why:
                self.out.append(
                    Suggestion(
                        "invalid-condition",
                        why + ". The request can return nothing.",
                        severity="error",
                    )
                )

    def _partiql_full_scan(self) -> None:
        reads = self.a.reads
        pk = reads.key.partition_key
        where = "table" if reads.kind == "table" else f"index {reads.name}"
        nbytes, _source = self.table_bytes()
        cost = ""
        if nbytes is not None:
            rcu = self.rcu(nbytes, reads)
            cost = f" (~{rcu_text(rcu)} RCU, {self.price(rcu)}, on every run)"
        self.out.append(
            Suggestion(
                "partiql-full-scan",
                f"The WHERE clause has no `=` or IN on the partition key {pk}, so DynamoDB runs this SELECT "
                f"as a Scan of the whole {where}{cost}, and filters afterwards.",
                estimated_rcu=self.rcu(nbytes, reads) if nbytes is not None else None,
                severity="warning",
            )
        )

    def _limit_before_filter(self) -> None:
        req, a = self.req, self.a
        if not req.page_size or not a.filter:
            return
        if a.operation == "sql" and self.sql_keyed() and not self._sql_filter_left():
            return
        self.out.append(
            Suggestion(
                "limit-before-filter",
                f"Limit {req.page_size} (--page-size) caps the items DynamoDB reads per request, before the "
                "filter: a page can return fewer items, or none, with a LastEvaluatedKey that is not the end. "
                f"To get {req.limit or req.page_size} results, cap them on the client (--limit) instead.",
                operation=a.operation,
                severity="warning",
                changes=(("page_size", None), ("limit", req.limit or req.page_size)),
            )
        )

    def _sql_filter_left(self) -> bool:
        pk = self.a.reads.key.partition_key
        sk = self.a.reads.key.sort_key
        return any(not (_tops(c) <= {pk, sk}) for c in self.a.filter)

    def _consistent_read(self) -> None:
        if not self.consistent:
            return
        reads = self.a.reads
        if self.a.operation != "get" and reads.kind == "gsi":
            self.out.append(
                Suggestion(
                    "consistent-read-cost",
                    f"ConsistentRead is not supported on a global secondary index ({reads.name}): DynamoDB "
                    "rejects the request. GSIs are eventually consistent; drop ConsistentRead.",
                    index=reads.name,
                    operation=self.a.operation,
                    severity="error",
                    changes=(("consistent", False),),
                )
            )
            return
        cur = self.current_rcu()
        figure = ""
        if cur is not None and cur > 0:
            figure = f" (~{rcu_text(cur)} RCU instead of ~{rcu_text(cur / 2)})"
        elif self.a.operation == "get" and self.avg_item_size():
            size = math.ceil(self.avg_item_size() or 1)
            figure = (
                f" (~{rcu_text(get_item_units(size, True))} RCU instead of {rcu_text(get_item_units(size))})"
            )
        self.out.append(
            Suggestion(
                "consistent-read-cost",
                "ConsistentRead doubles the cost: 1 RCU per 4 KB read instead of 0.5"
                f"{figure}. Keep it only when the read must see every write that succeeded before it.",
                index=reads.name,
                operation=self.a.operation,
                severity="info",
                changes=(("consistent", False),),
            )
        )

    def _full_scan_cost(self) -> None:
        reads = self.a.reads
        nbytes, source = self.table_bytes()
        what = "table" if reads.kind == "table" else f"index {reads.name}"
        count = self.scan_items()
        items = f" ({count:,} items)" if count else ""
        req = self.req
        if nbytes is None:
            if count is None or count < 1000:
                return  # nothing known, or too small to matter
            self.out.append(
                Suggestion(
                    "full-scan-cost",
                    f"This reads the whole {what}{items}; its cost is unknown: {source}.",
                    severity="info",
                )
            )
            return
        if nbytes < LARGE_SCAN_BYTES:
            return
        rcu = self.rcu(nbytes, reads)
        pages = math.ceil(nbytes / PAGE_BYTES)
        capped = ""
        if req.max_pages and req.max_pages < pages:
            capped = f" --max-pages {req.max_pages} stops it after ~{rcu_text(self.rcu(req.max_pages * PAGE_BYTES, reads))} RCU."
        segments = f" in {req.segments} parallel segments (faster, same cost)" if req.segments > 1 else ""
        self.out.append(
            Suggestion(
                "full-scan-cost",
                f"A full scan reads every item of the {what}{items}, ~{_mb(nbytes)} in ~{pages:,} pages of 1 MB"
                f"{segments}: ~{rcu_text(rcu)} RCU, {self.price(rcu)} per run (from {source}).{capped}",
                estimated_rcu=rcu,
                severity="warning",
            )
        )

    # ---- candidates ------------------------------------------------------------------------------------

    def _candidates(self) -> None:
        a, schema = self.a, self.schema
        conds = a.conjuncts
        needed = _needed(a)
        current_fit = 0
        current: _Candidate | None = None
        if a.operation == "query":
            try:
                current = _candidate(a.key, a.reads, schema, a.reads, needed, a.projection)
            except _Reject:
                current = None
            current_fit = current.fit if current is not None else 0
        elif a.operation == "sql" and self.sql_keyed():
            try:
                current = _candidate(conds, a.reads, schema, a.reads, needed, a.projection)
            except _Reject:
                current = None
            current_fit = current.fit if current is not None else 0

        found: list[_Candidate] = []
        for index in schema.indexes:
            try:
                cand = _candidate(conds, index, schema, a.reads, needed, a.projection)
            except _Reject as e:
                self.rejections[index.label] = str(e)
                if a.operation == "query" and index == a.reads and current is not None:
                    self._filter_on_key_warning(str(e))
                continue
            if cand is not None:
                found.append(cand)
        if a.operation == "query" and current is not None:
            own = next((c for c in found if c.index == a.reads), None)
            if own is not None and len(own.moved) > len(current.moved):
                self._filter_on_key(own)
        direct = bool(found)
        if a.operation in ("scan", "sql") and self.stats and self.stats.items:
            found.extend(self._derived(conds, needed, {c.index.label for c in found}))

        ordered = sorted(
            found,
            key=lambda c: (
                c.derived is not None,
                not c.exact,
                -c.fit,
                bool(c.rest),
                c.coverage,
                _size_rank(c.index, schema),
            ),
        )
        full = a.operation == "query" and current is not None and current.full_key and not a.filter
        if full and a.reads.kind == "table" and current and (key_json := _key_json(current)) is not None:
            self._emit_get(current, key_json)
        shown = 0
        for cand in ordered:
            if cand.index.kind == "lsi" and cand.fit == 1:
                continue  # without its sort key an LSI is the table's partition, less complete
            if cand.index == a.reads and a.operation == "query":
                continue  # the request's own index: handled as filter-on-key
            if a.operation == "sql" and cand.index == a.reads and self.sql_keyed():
                continue  # DynamoDB already runs this statement as a Query on it
            if current_fit and cand.fit <= current_fit:
                continue  # no better than what the request does already
            if not cand.exact and any(c.exact for c in ordered if c is not cand and c.fit >= cand.fit):
                continue
            if shown >= MAX_QUERY_SUGGESTIONS:
                break
            if self._emit(cand):
                shown += 1
        if a.operation == "query":
            direct = shown > 0
        if not direct:
            self._create_gsi(conds, needed)

    def _filter_on_key(self, own: _Candidate) -> None:
        a = self.a
        where = "the table" if a.reads.kind == "table" else f"index {a.reads.name}"
        moved = [c for c in own.moved if any(c is f for f in a.filter)]
        shown = " AND ".join(to_source(c) for c in moved)
        key = to_source(own.key_node())
        filt = own.filter_node()
        est = self.estimate(own)
        self.out.append(
            Suggestion(
                "filter-on-key",
                f"The filter `{_clip(shown)}` is on a key of {where}: DynamoDB rejects a Query whose filter "
                "uses the keys it queries by, and a filter would read the whole partition first. It belongs "
                f"in the key condition: {key}.{self.saving(est)}",
                index=a.reads.name,
                key_condition=key,
                filter=to_source(filt) if filt is not None else None,
                operation="query",
                estimated_rcu=est,
                severity="error",
                projection=self._projection_text(own),
                changes=self._query_changes(own),
            )
        )

    def _filter_on_key_warning(self, why: str) -> None:
        a = self.a
        if not any(set(a.reads.key.attributes) & _tops(c) for c in a.filter):
            return
        where = "the table" if a.reads.kind == "table" else f"index {a.reads.name}"
        self.out.append(
            Suggestion(
                "filter-on-key",
                f"The filter names a key of {where}, and DynamoDB rejects a Query whose filter uses the keys it "
                f"queries by: {why}. Fold it into the key condition, or Scan instead.",
                index=a.reads.name,
                severity="error",
            )
        )

    def _projection_text(self, cand: _Candidate) -> str | None:
        return to_source(cand.projection) if cand.projection else None

    def _query_changes(self, cand: _Candidate, key: Node | None = None) -> tuple[tuple[str, Any], ...]:
        filt = cand.filter_node()
        gsi = cand.index.kind == "gsi"
        return (
            ("operation", "query"),
            ("table", self.schema.name),
            ("index", cand.index.name),
            ("key", to_source(key if key is not None else cand.key_node())),
            ("filter", to_source(filt) if filt is not None else None),
            ("projection", self._projection_text(cand)),
            ("statement", None),
            ("names", None),
            ("values", None),
            ("segments", 1),
            ("descending", self.req.descending if self.a.operation == "query" else False),
            ("consistent", False if gsi else self.req.consistent),
        )

    def _emit(self, cand: _Candidate) -> bool:
        if cand.partition is None:
            return self._emit_in(cand)
        if cand.full_key and not cand.rest:
            key_json = _key_json(cand)
            if key_json is not None:
                self._emit_get(cand, key_json)
                return True
        return self._emit_query(cand)

    def _what(self) -> str:
        a = self.a
        if a.operation == "scan":
            return "This Scan reads every item and filters afterwards"
        if a.operation == "sql" and not self.sql_keyed():
            return "This SELECT runs as a full Scan and filters afterwards"
        if a.operation == "sql":
            return "This SELECT runs as a Query"
        return "This Query"

    def _emit_get(self, cand: _Candidate, key_json: str) -> None:
        est = self.estimate(cand)
        key = to_source(cand.key_node())
        self.out.append(
            Suggestion(
                "use-get-item",
                f"The conditions fix the full primary key of the table ({key}), so GetItem reads that one "
                f"item and nothing else.{self.saving(est)}",
                key_condition=key,
                operation="get",
                estimated_rcu=est,
                projection=self._projection_text(cand),
                changes=(
                    ("operation", "get"),
                    ("table", self.schema.name),
                    ("index", None),
                    ("key", key_json),
                    ("filter", None),
                    ("projection", self._projection_text(cand)),
                    ("statement", None),
                    ("names", None),
                    ("values", None),
                    ("segments", 1),
                    ("descending", False),
                    ("page_size", None),
                ),
            )
        )

    def _emit_query(self, cand: _Candidate) -> bool:
        idx = cand.index
        try:
            split_key_condition(cand.key_node(), idx, self.schema.attribute_types)
            filt = cand.filter_node()
            if filt is not None:
                check_filter(filt, self.schema.attribute_types, idx)
        except ExprError as e:
            self.rejections[idx.label] = e.message
            return False
        est = self.estimate(cand)
        where = "the table" if idx.kind == "table" else f"{idx.kind.upper()} {idx.name}"
        pk = idx.key.partition_key
        assert cand.partition is not None
        parts: list[str] = []
        if cand.derived:
            parts.append(cand.derived)
        elif self.a.operation == "query" or (self.a.operation == "sql" and self.sql_keyed()):
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
                f"{self._what()}; the conditions fix {pk} = {to_source(cand.partition[1])}, the partition key "
                f"of {where}, so a Query reads only that partition."
            )
            if idx.kind == "lsi":
                parts.append(
                    f"An LSI shares the table's partition key; {idx.name} sorts by {idx.key.sort_key}."
                )
        if cand.sort_text:
            parts.append(f"`{_clip(cand.sort_text)}` moves into the key condition.")
        if cand.full_key:
            parts.append("It reads one item, as GetItem would (GetItem cannot take the rest of the filter).")
        if cand.rest and not cand.derived:
            parts.append("The rest stays a filter.")
        parts.extend(cand.notes)
        if idx.kind == "gsi" and self.consistent:
            parts.append("A GSI cannot be read consistently: the Query is eventually consistent.")
        if cand.full_key:
            pass
        elif est is None:
            m, _ = self.matches()
            if m is not None and cand.rest:
                parts.append(f"It reads at least the {m:,.0f} items the request returns.")
        parts_text = " ".join(p if p.endswith(".") else p + "." for p in parts)
        filt = cand.filter_node()
        self.out.append(
            Suggestion(
                "use-query",
                parts_text + self.saving(est),
                index=idx.name,
                key_condition=to_source(cand.key_node()),
                filter=to_source(filt) if filt is not None else None,
                operation="query",
                estimated_rcu=est,
                severity="info",
                projection=self._projection_text(cand),
                changes=self._query_changes(cand),
            )
        )
        return True

    def _emit_in(self, cand: _Candidate) -> bool:
        idx = cand.index
        pk = idx.key.partition_key
        values = cand.partitions
        where_words = "the table" if idx.kind == "table" else f"{idx.kind.upper()} {idx.name}"
        one = [to_source(cand.key_node(v)) for v in values[:3]]
        filt = cand.filter_node()
        size = self.entry_size(idx)
        batch = cand.index.kind == "table" and (idx.key.sort_key is None or cand.fit == 3) and not cand.rest
        est = None
        if batch and size:
            est = len(values) * get_item_units(math.ceil(size), self.consistent)
        sort = cand.sort_node()
        where = [In(Path((pk,)), values), *([sort] if sort is not None else []), *cand.rest]
        statement = to_partiql(self.schema.name, idx.name, where, cand.projection)
        changes: tuple[tuple[str, Any], ...] = ()
        if statement is not None:
            changes = (
                ("operation", "sql"),
                ("statement", statement),
                ("table", self.schema.name),
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
                f"{self._what()}; IN fixes {len(values)} full primary keys, so one BatchGetItem (up to 100 "
                "keys a call) reads just those items, or a PartiQL SELECT with the same IN, which DynamoDB "
                "runs as key lookups."
            )
        else:
            kind = "use-parallel-queries"
            text = (
                f"{self._what()}; IN on {pk}, the partition key of {where_words}, names {len(values)} partitions: "
                f"run one Query per value, in parallel ({queries}). A PartiQL SELECT with the IN runs them "
                "for you."
            )
        text += " " + " ".join(cand.notes) if cand.notes else ""
        self.out.append(
            Suggestion(
                kind,
                text.strip(),
                index=idx.name,
                key_condition=None,
                filter=to_source(filt) if filt is not None else None,
                operation="sql" if statement else None,
                estimated_rcu=est,
                statement=statement,
                changes=changes,
            )
        )
        return True

    # ---- overloaded keys -------------------------------------------------------------------------------

    def _derived(self, conds: list[Node], needed: set[str] | None, seen: set[str]) -> list[_Candidate]:
        """Indexes whose partition key, in every item the run returned, holds one value that encodes one
        of the filter's equalities (``gsi1pk = 'STATUS#OPEN'`` for ``status = 'OPEN'``)."""
        st = self.stats
        assert st is not None
        eqs = [(s[0], s[2][0]) for c in conds if (s := key_shape(c)) is not None and s[1] == "="]
        out: list[_Candidate] = []
        for index in self.schema.indexes:
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
            synthetic = Compare("=", Path((pk,)), Literal(key_value))
            try:
                cand = _candidate(
                    [synthetic, *conds],
                    index,
                    self.schema,
                    self.a.reads,
                    needed,
                    self.a.projection,
                    synthetic,
                )
            except _Reject:
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

    # ---- create-gsi ------------------------------------------------------------------------------------

    def _create_gsi(self, conds: list[Node], needed: set[str] | None) -> None:
        a, schema = self.a, self.schema
        types = schema.attribute_types
        query_pk: tuple[str, Literal] | None = None
        if a.operation == "query":
            st = self.stats
            sel = st.selectivity if st else None
            if st is None or sel is None or st.scanned_count < 100 or sel > 0.2 or not a.filter:
                return
            pk_attr = a.reads.key.partition_key
            for c in a.key:
                s = key_shape(c)
                if s is not None and s[0] == pk_attr and s[1] == "=":
                    query_pk = (pk_attr, s[2][0])
            if query_pk is None:
                return
        shapes = [(c, key_shape(c)) for c in (a.filter if query_pk else conds)]
        usable = [
            (c, s)
            for c, s in shapes
            if s is not None and all(v.type in ("S", "N", "B") for v in s[2]) and s[1] != "<>"
        ]
        eqs = [(c, s) for c, s in usable if s[1] == "="]
        ranges = [(c, s) for c, s in usable if s[1] in ("<", "<=", ">", ">=", "BETWEEN", "begins_with")]
        pk_conj: Node | None = None
        if query_pk is not None:
            pk_name, pk_value = query_pk
        elif eqs:
            pk_conj, (pk_name, _op, pk_values) = eqs[0]
            pk_value = pk_values[0]
        else:
            return
        sk_pick = next(((c, s) for c, s in ranges if s[0] != pk_name), None) or next(
            ((c, s) for c, s in eqs if s[0] != pk_name and c is not pk_conj), None
        )
        sk_conj, sk_shape = sk_pick if sk_pick else (None, None)
        if sk_shape is not None and sk_shape[1] == "begins_with" and sk_shape[2][0].type == "N":
            sk_conj, sk_shape = None, None
        sk_name = sk_shape[0] if sk_shape else None
        for name, value in ((pk_name, pk_value), *(((sk_name, sk_shape[2][0]),) if sk_shape else ())):
            if types.get(name) and types[name] != value.type:
                return
        if any(i.key.partition_key == pk_name and i.key.sort_key == sk_name for i in schema.indexes):
            return
        moved = [c for c in (pk_conj, sk_conj) if c is not None]
        source_conds = a.filter if query_pk else conds
        rest = [c for c in source_conds if not any(c is m for m in moved)]
        if query_pk is not None:
            # the table's sort-key condition stays a filter on the new index (sk is no key there)
            rest = [c for c in a.key if pk_name not in _tops(c)] + rest
        new_keys = {pk_name} | ({sk_name} if sk_name else set())
        if any(new_keys & _tops(c) for c in rest):
            return  # another condition on the proposed keys could be neither key condition nor filter
        rest_attrs = set().union(*(_tops(c) for c in rest)) if rest else set()
        if needed is None:
            projection: dict[str, Any] = {"ProjectionType": "ALL"}
        else:
            extra = sorted((needed | rest_attrs) - new_keys - set(schema.key.attributes))
            projection = (
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": extra}
                if extra
                else {"ProjectionType": "KEYS_ONLY"}
            )
        name = _index_name(pk_name, sk_name, {i.label for i in schema.indexes})
        proposed = IndexSchema(
            name,
            "gsi",
            KeySchema(pk_name, sk_name),
            projection["ProjectionType"],
            tuple(projection.get("NonKeyAttributes", ())),
        )
        sort = None
        if sk_shape is not None:
            op = sk_shape[1]
            sort = (op, sk_shape[2])
        cand = _Candidate(proposed, (pk_name, pk_value), (), sort, None, rest, moved)
        key = to_source(cand.key_node())
        filt = cand.filter_node()
        # read side
        m, _measured = self.matches()
        entry = self._proposed_entry_size(proposed)
        est = None
        if m is not None and entry is not None and not rest:
            est = read_units(math.ceil(m * entry), False)
        measured = ""
        st = self.stats
        if st is not None and st.scanned_count:
            measured = (
                f" The {'run' if st.exhausted else 'last run'} kept {st.count:,} of {st.scanned_count:,} items "
                f"read ({(st.selectivity or 0) * 100:.2g}%)."
            )
        # write side
        wcu_text = self._write_cost_text(proposed, entry)
        defs = [{"AttributeName": n, "AttributeType": v.type} for n, v in ((pk_name, pk_value),)]
        if sk_shape is not None and sk_name is not None:
            defs.append({"AttributeName": sk_name, "AttributeType": sk_shape[2][0].type})
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
        if query_pk is not None:
            opening = (
                f"The filter discards most of what this Query reads. A GSI with {keys_words} "
                f"(projection {proj_words}) would read only the matching items."
            )
        elif blocked := [
            f"{i.label} is keyed on {pk_name} but cannot serve it: {self.rejections[i.label]}"
            for i in schema.indexes
            if i.label in self.rejections and i.key.partition_key == pk_name
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
            saving = self.saving(est) or f" ~{rcu_text(est)} RCU a run."
        else:
            saving = " The saving depends on how many items match; run the request once to measure it."
        self.out.append(
            Suggestion(
                "create-gsi",
                opening + measured + saving + " " + wcu_text,
                index=name,
                key_condition=key,
                filter=to_source(filt) if filt is not None else None,
                operation="query",
                estimated_rcu=est,
                projection=to_source(a.projection) if a.projection else None,
                changes=(
                    ("operation", "query"),
                    ("table", schema.name),
                    ("index", name),
                    ("key", key),
                    ("filter", to_source(filt) if filt is not None else None),
                    ("projection", to_source(a.projection) if a.projection else None),
                    ("statement", None),
                    ("names", None),
                    ("values", None),
                    ("segments", 1),
                    ("consistent", False),
                ),
                index_definition={"Create": create, "AttributeDefinitions": defs},
            )
        )

    def _proposed_entry_size(self, index: IndexSchema) -> float | None:
        st = self.stats
        if (
            index.projection != "ALL"
            and st
            and st.items
            and self.a.projection is None
            and self.a.reads.kind == "table"
        ):
            sizes = [index_entry_size(i, self.schema.key, index) for i in st.items]
            return sum(sizes) / len(sizes)
        return self.avg_item_size()

    def _write_cost_text(self, index: IndexSchema, entry: float | None) -> str:
        keys = " and ".join(index.key.attributes)
        price = prices.price_for(self.region, self.schema.billing_mode)
        if entry is None:
            wcu_words = "at least 1 more WCU (1 per KB of the index entry)"
            wcu = 1
        else:
            wcu = max(1, math.ceil(entry / 1024))
            wcu_words = f"~{wcu} more WCU (an index entry of ~{_kb(entry)})"
        per_million = format_cost(wcu * price.write_unit * 1_000_000)
        return (
            f"Each put, update or delete of an item that has {keys} would cost {wcu_words}, "
            f"{per_million} per million writes{' on-demand' if price.billing_mode == prices.ON_DEMAND else ''}; "
            f"an update that changes {index.key.partition_key} costs twice that (the entry moves)."
        )


def _key_json(cand: _Candidate) -> str | None:
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


def _size_rank(index: IndexSchema, schema: TableSchema) -> float:
    if index.kind == "table":
        return float(schema.size_bytes or schema.item_count or math.inf)
    return float(index.size_bytes or index.item_count or math.inf)


def _index_name(pk: str, sk: str | None, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{pk}-{sk}-index" if sk else f"{pk}-index")[:250]
    name, i = base, 2
    while name in taken:
        name, i = f"{base}{i}", i + 1
    return name


def rcu_text(units: float) -> str:
    """Read units for a sentence: whole numbers from 100 up, one decimal from 10, else as computed."""
    if units >= 100:
        return format_units(float(round(units)))
    if units >= 10:
        return format_units(round(units, 1))
    return format_units(units)


def _mb(nbytes: float) -> str:
    if nbytes >= PAGE_BYTES:
        return f"{nbytes / PAGE_BYTES:,.1f} MB"
    return _kb(nbytes)


def _kb(nbytes: float) -> str:
    if nbytes >= 1024:
        return f"{nbytes / 1024:,.1f} KB"
    return f"{nbytes:,.0f} B"
