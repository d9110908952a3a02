"""A request taken apart: what it reads, its key condition and filter split into top-level conjuncts
(``a AND b AND c``) with every ``#name`` / ``:value`` placeholder replaced by what it stands for, and the
shapes of those conjuncts (which attribute, which operator, which literal values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ddbtui.core.advisor.model import CannotAdvise
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
    conjuncts,
    parse_condition,
    parse_projection,
    walk,
)
from ddbtui.core.partiql import PartiQLUnsupported, Select, parse_select
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import IndexSchema, TableSchema
from ddbtui.core.values import parse_plain_json


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

    @property
    def sql_keyed(self) -> bool:
        """A PartiQL SELECT with `=` or IN on its partition key runs as a Query (or several)."""
        pk = self.reads.key.partition_key
        return any(
            (s := key_shape(c)) is not None and s[0] == pk and s[1] in ("=", "IN") for c in self.filter
        )

    @property
    def full_scan(self) -> bool:
        """The request reads every item of what it reads (a Scan, or a SELECT DynamoDB runs as one)."""
        if self.operation == "scan":
            return True
        if self.operation == "sql":
            return not self.sql_keyed
        return False

    @property
    def needed(self) -> set[str] | None:
        """The top-level attributes the request returns; None for every attribute of the item."""
        if self.projection is None:
            return None
        return {p.elements[0] for p in self.projection if isinstance(p.elements[0], str)}


def analysis(request: ReadRequest, schema: TableSchema) -> Analysis:
    """``request`` on ``schema`` taken apart.

    Raises ExprError / UsageError for what the user must fix, CannotAdvise for PartiQL on another table.
    """
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
    resolve = Resolver(request.names, request.values)
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


class Resolver:
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


def top(path: Node) -> str | None:
    """The top-level attribute of a single-element path (``a``), None for anything else."""
    if isinstance(path, Path) and len(path.elements) == 1 and isinstance(path.elements[0], str):
        return path.elements[0]
    return None


def tops(node: Node) -> set[str]:
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
        attr = top(left)
        if attr is not None and isinstance(right, Literal):
            return attr, op, (right,)
        return None
    if isinstance(conj, Between):
        attr = top(conj.operand)
        if attr is not None and isinstance(conj.low, Literal) and isinstance(conj.high, Literal):
            return attr, "BETWEEN", (conj.low, conj.high)
        return None
    if isinstance(conj, Function) and conj.name == "begins_with":
        attr = top(conj.args[0])
        if attr is not None and isinstance(conj.args[1], Literal):
            return attr, "begins_with", (conj.args[1],)
        return None
    if isinstance(conj, In):
        attr = top(conj.operand)
        if attr is not None and all(isinstance(o, Literal) for o in conj.options):
            return attr, "IN", tuple(o for o in conj.options if isinstance(o, Literal))
    return None


def implied(conds: Iterable[Node]) -> set[str]:
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


def order(lit: Literal) -> Any:
    """The literal's value in the order DynamoDB sorts keys by (numbers as numbers, binary as bytes)."""
    v = lit.value
    return Decimal(v) if lit.type == "N" else bytes(v) if lit.type == "B" else v


def holds(op: str, values: tuple[Literal, ...], value: Literal) -> bool:
    """Does a key attribute holding ``value`` satisfy ``op values``? Types that differ never match."""
    if op == "IN":
        return any(holds("=", (v,), value) for v in values)
    if op == "<>":
        return not holds("=", values, value)
    if any(v.type != value.type for v in values):
        return False
    x, ys = order(value), [order(v) for v in values]
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


def clip(text: str, width: int = 70) -> str:
    """``text`` cut to ``width`` characters for a sentence (``...`` marks the cut)."""
    return text if len(text) <= width else text[: width - 3] + "..."
