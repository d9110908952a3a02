"""A bounded sample of a table's items, and what the advisor reads from it: which items a condition keeps,
how many items (and bytes) a key range of an index holds, how many distinct values an attribute has.

The sample is taken once per table by the caller (``ddbtui explain`` reads a bounded number of items
spread over the table) and handed to the advisor with the table's ItemCount, so figures scale from the
sample to the table. Everything said from it is labelled "from a sample of N items".

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.capacity import in_index, index_entry_size, item_size, read_units
from ddbtui.core.expr import And, Between, Compare, Function, In, Literal, Node, Not, Or, Path, Size
from ddbtui.core.schema import IndexSchema, KeySchema

Item = Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class TableSample:
    """``items`` (AttributeValue form, whole items) read from a table of ``table_items`` items;
    ``complete`` when they are every item of the table.

    What reading it took, for the caller to show: ``consumed_rcu`` (``estimated`` when it is ddbtui's own
    figure), ``pages`` (requests sent), ``method`` (how it was read), ``capped`` (the capacity cap stopped
    it)."""

    items: tuple[Item, ...]
    table_items: int | None = None
    complete: bool = False
    consumed_rcu: float | None = None
    estimated: bool = False
    pages: int = 0
    method: str = ""
    capped: bool = False
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def scale(self) -> float:
        """Table items per sampled item (1 for a complete sample)."""
        if self.complete or not self.items or not self.table_items:
            return 1.0
        return max(1.0, self.table_items / len(self.items))

    def label(self) -> str:
        """``from a sample of 1,371 items (the whole table)`` / ``from a sample of 2,000 of ~90,000 items``."""
        if self.complete:
            return f"from a sample of {self.size:,} items (the whole table)"
        if self.table_items:
            return f"from a sample of {self.size:,} of ~{self.table_items:,} items"
        return f"from a sample of {self.size:,} items"

    def read_text(self) -> str:
        """What reading the sample took: ``1,371 items (the whole table) in 3 Scan pages, 170 RCU``."""
        whole = (
            " (the whole table)"
            if self.complete
            else f" of ~{self.table_items:,}"
            if self.table_items
            else ""
        )
        pages = f" in {self.pages:,} Scan page{'s' if self.pages != 1 else ''}" if self.pages else ""
        rcu = ""
        if self.consumed_rcu is not None:
            rcu = f", {_units(self.consumed_rcu)} RCU{' (est.)' if self.estimated else ''}"
        capped = "; stopped at its capacity cap" if self.capped else ""
        return f"{self.size:,} items{whole}{pages}{rcu}{capped}"

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.size,
            "table_items": self.table_items,
            "complete": self.complete,
            "pages": self.pages,
            "consumed_rcu": self.consumed_rcu,
            "estimated": self.estimated,
            "method": self.method,
            "capped": self.capped,
        }

    def in_index(self, index: IndexSchema) -> list[Item]:
        """The sampled items that appear in ``index`` (all of them for the table)."""
        key = ("in", index.label)
        if key not in self._cache:
            self._cache[key] = [i for i in self.items if in_index(i, index)]
        return self._cache[key]

    def cached(self, key: Any, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def _units(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}".removesuffix(".0")


# ================================================================================================ values


def scalar_text(av: Any) -> str | None:
    """The text of a string or number AttributeValue (numbers as stored), None for anything else."""
    if isinstance(av, Mapping):
        if "S" in av:
            return av["S"]
        if "N" in av:
            return str(av["N"])
    return None


def literal_text(lit: Literal) -> str | None:
    if lit.type == "S":
        return lit.value
    if lit.type == "N":
        return str(lit.value)
    return None


def to_literal(av: Any) -> Literal | None:
    """A key-shaped AttributeValue (S, N, B) as a Literal, None for anything else."""
    if not isinstance(av, Mapping):
        return None
    if "S" in av:
        return Literal(av["S"])
    if "N" in av:
        try:
            return Literal(Decimal(str(av["N"])))
        except InvalidOperation:
            return None
    if "B" in av:
        v = av["B"]
        return Literal(bytes(v) if isinstance(v, bytes | bytearray | memoryview) else str(v).encode())
    return None


# ================================================================================================ conditions


def _get(item: Item, path: Node) -> Any:
    return _getter(path)(item)


def evaluate(node: Node, item: Item) -> bool | None:
    """Does ``item`` satisfy the condition? None when ddbtui cannot tell (a function it does not model).

    The condition is compiled once into closures (kept by node) and run on each item: the advisor
    evaluates a few conditions on every item of a 2,000-item sample, many times per request."""
    return _cached(node, _memoized)(item)


# --- the compiled form: each node becomes a function of the item ---------------------------------------

Value = tuple[str, Any]  # (DynamoDB type letter, value): an operand as a Literal would hold it
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_COMPILED: dict[int, tuple[Node, Callable[[Item], Any]]] = {}  # id(node) -> (node kept alive, function)
_COMPILED_MAX = 4096


def _cached(node: Node, make: Callable[[Node], Callable[[Item], Any]]) -> Callable[[Item], Any]:
    hit = _COMPILED.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    fn = make(node)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[id(node)] = (node, fn)
    return fn


def _getter(path: Node) -> Callable[[Item], Any]:
    """The AttributeValue at ``path`` in an item (None when absent, or for anything but a path)."""
    if not isinstance(path, Path):
        return lambda item: None
    elements = path.elements
    if len(elements) == 1 and isinstance(elements[0], str):
        name = elements[0]
        return lambda item: item.get(name) if isinstance(item, Mapping) else None

    def get(item: Item) -> Any:
        cur: Any = item
        for i, e in enumerate(elements):
            if i and isinstance(cur, Mapping) and "M" in cur:
                cur = cur["M"]
            elif i and isinstance(cur, Mapping) and "L" in cur:
                cur = cur["L"]
            if isinstance(e, str):
                if not isinstance(cur, Mapping) or e not in cur:
                    return None
                cur = cur[e]
            else:
                if not isinstance(cur, list) or e >= len(cur):
                    return None
                cur = cur[e]
        return cur

    return get


def _av_value(av: Any) -> Value | None:
    """``to_literal`` without building the Literal."""
    if not isinstance(av, Mapping):
        return None
    if "S" in av:
        return ("S", av["S"])
    if "N" in av:
        try:
            return ("N", Decimal(str(av["N"])))
        except InvalidOperation:
            return None
    if "B" in av:
        v = av["B"]
        return ("B", bytes(v) if isinstance(v, bytes | bytearray | memoryview) else str(v).encode())
    return None


def _operand(node: Node) -> Callable[[Item], Value | None]:
    if isinstance(node, Literal):
        const = (node.type, node.value)
        return lambda item: const
    if isinstance(node, Size):
        get = _getter(node.path)

        def size(item: Item) -> Value | None:
            av = get(item)
            if av is None:
                return None
            ((tag, v),) = av.items()
            n = len(v) if tag in ("S", "L", "M", "SS", "NS", "BS") else len(bytes(v)) if tag == "B" else None
            return ("N", Decimal(n)) if n is not None else None

        return size
    get = _getter(node)
    return lambda item: _av_value(get(item))


def _cmp(op: str, a: Value, b: Value) -> bool:
    if a[0] != b[0]:
        return op == "<>"
    return _OPS[op](a[1], b[1])


def _compiled(node: Node) -> Callable[[Item], bool | None]:
    return _cached(node, _compile)


_MEMO_ITEMS = 10_000  # per condition: a sample's items, with room for the index views of them


def _memoized(node: Node) -> Callable[[Item], bool | None]:
    """The compiled condition, remembering its answer per item (the advisor asks the same condition of
    the same sampled item many times per request). The memo holds the item itself, so the ``id`` it is
    keyed by cannot be reused by another object while the answer is kept."""
    fn = _compile(node)
    memo: dict[int, tuple[Item, bool | None]] = {}

    def remembered(item: Item) -> bool | None:
        hit = memo.get(id(item))
        if hit is not None and hit[0] is item:
            return hit[1]
        r = fn(item)
        if len(memo) < _MEMO_ITEMS:
            memo[id(item)] = (item, r)
        return r

    return remembered


def _compile(node: Node) -> Callable[[Item], bool | None]:  # noqa: C901 - one case per node type
    if isinstance(node, And | Or):
        parts = [_compiled(o) for o in node.operands]
        decisive = isinstance(node, Or)  # Or: one True decides; And: one False

        def junction(item: Item) -> bool | None:
            unknown = False
            for part in parts:
                r = part(item)
                if r is decisive:
                    return decisive
                if r is None:
                    unknown = True
            return None if unknown else not decisive

        return junction
    if isinstance(node, Not):
        inner = _compiled(node.operand)

        def negation(item: Item) -> bool | None:
            r = inner(item)
            return None if r is None else not r

        return negation
    if isinstance(node, Compare):
        left, right, op = _operand(node.left), _operand(node.right), node.op

        def compare(item: Item) -> bool | None:
            a, b = left(item), right(item)
            if a is None or b is None:
                return op == "<>" and (a is None) != (b is None)
            return _cmp(op, a, b)

        return compare
    if isinstance(node, Between):
        value, low, high = _operand(node.operand), _operand(node.low), _operand(node.high)

        def between(item: Item) -> bool | None:
            v, lo, hi = value(item), low(item), high(item)
            if v is None or lo is None or hi is None:
                return False
            return _cmp(">=", v, lo) and _cmp("<=", v, hi)

        return between
    if isinstance(node, In):
        value = _operand(node.operand)
        options = [(o.type, o.value) for o in node.options if isinstance(o, Literal)]

        def among(item: Item) -> bool | None:
            v = value(item)
            if v is None:
                return False
            return any(_cmp("=", v, o) for o in options)

        return among
    if isinstance(node, Function):
        return _function(node)
    return lambda item: None


def _function(node: Function) -> Callable[[Item], bool | None]:
    name = node.name
    if name in ("attribute_exists", "attribute_not_exists"):
        get, want = _getter(node.args[0]), name == "attribute_exists"
        return lambda item: (get(item) is not None) is want
    if name == "begins_with":
        value, prefix = _operand(node.args[0]), _operand(node.args[1])

        def begins_with(item: Item) -> bool | None:
            v, p = value(item), prefix(item)
            if v is None or p is None or v[0] != p[0] or v[0] not in ("S", "B"):
                return False
            return bool(v[1].startswith(p[1]))

        return begins_with
    if name == "contains":
        get, p = _getter(node.args[0]), node.args[1]

        def contains(item: Item) -> bool | None:
            av = get(item)
            if av is None or not isinstance(p, Literal):
                return False if av is None else None
            if "S" in av and p.type == "S":
                return p.value in av["S"]
            if "SS" in av and p.type == "S":
                return p.value in av["SS"]
            return None

        return contains
    return lambda item: None


def keeps(conds: Sequence[Node], item: Item) -> bool:
    """True when ``item`` surely satisfies every conjunct of ``conds``."""
    return all(evaluate(c, item) is True for c in conds)


# ================================================================================================ estimates


def query_units(
    sample: TableSample,
    table_key: KeySchema,
    index: IndexSchema,
    key: Sequence[Node],
    *,
    consistent: bool = False,
    fetch: bool = False,
) -> float:
    """Read units of one Query of ``index`` whose key condition is the conjuncts ``key``: the index
    entries of the key range, from the sample, scaled to the table (a Query pays for every item of the
    range it reads, whatever the filter keeps). ``fetch``: an LSI Query that fetches each item from the
    table pays for the whole item as well. A range the sample holds nothing of costs 0 when the sample is
    the whole table, else at least 0.5 (it may hold a few items)."""
    consistent = consistent and index.kind != "gsi"
    hit = [i for i in sample.in_index(index) if keeps(key, i)]
    nbytes = sum(index_entry_size(i, table_key, index) for i in hit) * sample.scale
    units = read_units(math.ceil(nbytes), consistent)
    if fetch:
        units += sum(read_units(item_size(i), consistent) for i in hit) * sample.scale
    if not sample.complete:
        units = max(units, 0.5)
    return units


def distinct(sample: TableSample, attr: str) -> tuple[int, float, int]:
    """(distinct values, share of the commonest, items holding it) of ``attr`` in the sample."""

    def make() -> tuple[int, float, int]:
        values = Counter(repr(i[attr]) for i in sample.items if attr in i)
        held = sum(values.values())
        if not held:
            return 0, 0.0, 0
        return len(values), values.most_common(1)[0][1] / held, held

    return sample.cached(("distinct", attr), make)


def low_cardinality(sample: TableSample, attr: str) -> str | None:
    """Why ``attr`` would make a hot partition key (few distinct values, or one value in more than half
    the items holding it), None when it would not (or the sample cannot tell)."""
    n, share, held = distinct(sample, attr)
    if held < 20:
        return None
    if n < 10:
        return f"{attr} has only {n} distinct value{'s' if n != 1 else ''} {sample.label()}"
    if share > 0.5:
        return f"one value of {attr} is in {share:.0%} of the items that have it ({sample.label()})"
    return None
