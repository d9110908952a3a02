"""The syntax tree of a condition expression or a projection.

Nodes are frozen dataclasses. Each carries ``offset``, the 0-based position in the source text of the token
that names it (the operator of a comparison, the name of a function, the first character of a path or a
value); it is left out of equality so that two trees built from differently spaced text compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Node:
    """Base of every node."""

    offset: int = field(default=-1, compare=False, repr=False, kw_only=True)

    @property
    def column(self) -> int | None:
        """1-based column in the source text, or None for a node built by hand."""
        return self.offset + 1 if self.offset >= 0 else None


@dataclass(frozen=True)
class NameRef(Node):
    """A ``#name`` placeholder, resolved through the user's ``--names``."""

    name: str  # with the leading '#'


@dataclass(frozen=True)
class Path(Node):
    """A document path: attribute names (``str`` or ``NameRef``) and list indexes (``int``)."""

    elements: tuple[str | int | NameRef, ...]

    @classmethod
    def of(cls, *elements: str | int | NameRef) -> Path:
        """Build a path from its elements: ``Path.of("a", 0, "b")`` is ``a[0].b``."""
        return cls(tuple(elements))

    @property
    def top(self) -> str | NameRef:
        """The top-level attribute (a name or a ``#name`` placeholder)."""
        first = self.elements[0]
        assert not isinstance(first, int)
        return first


def literal_type(value: Any) -> str:
    """The DynamoDB type letter of a plain Python value: S N B BOOL NULL L M."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, str):
        return "S"
    if isinstance(value, int | float | Decimal):
        return "N"
    if isinstance(value, bytes | bytearray):
        return "B"
    if isinstance(value, list | tuple):
        return "L"
    if isinstance(value, dict):
        return "M"
    raise TypeError(f"no DynamoDB type for {type(value).__name__}")


def _literal_key(value: Any) -> Any:
    # True == 1 and [True] == [1] in Python, but they are different DynamoDB values: compare tagged trees.
    kind = literal_type(value)
    if kind == "N":
        return ("N", value if isinstance(value, Decimal) else Decimal(repr(value)))
    if kind == "B":
        return ("B", bytes(value))
    if kind == "L":
        return ("L", tuple(_literal_key(v) for v in value))
    if kind == "M":
        return ("M", frozenset((k, _literal_key(v)) for k, v in value.items()))
    return (kind, value)


@dataclass(frozen=True, eq=False)
class Literal(Node):
    """An inline value: ``str``, ``Decimal``, ``bool``, ``None``, ``bytes``, ``list`` or ``dict`` of those."""

    value: Any

    @property
    def type(self) -> str:
        """The DynamoDB type letter: S N B BOOL NULL L M."""
        return literal_type(self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return _literal_key(self.value) == _literal_key(other.value)

    def __hash__(self) -> int:
        return hash(_literal_key(self.value))


@dataclass(frozen=True)
class ValueRef(Node):
    """A ``:value`` placeholder, resolved through the user's ``--values``."""

    name: str  # with the leading ':'


@dataclass(frozen=True)
class Size(Node):
    """``size(path)``: an operand."""

    path: Path


@dataclass(frozen=True)
class ValueSize(Node):
    """``size(value)``: the size of a constant (a ``Literal`` string, binary, list or map, or a ``ValueRef``).
    DynamoDB takes it and works it out itself (its string lengths are its own), so ddbtui sends it as is.
    Apart from ``Size`` so that code reading ``Size.path`` always finds a path."""

    value: Node


Operand: TypeAlias = "Path | Literal | ValueRef | Size | ValueSize"

COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
ORDERED_COMPARATORS = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class Compare(Node):
    """``left op right`` with op one of ``= <> < <= > >=``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Between(Node):
    """``operand BETWEEN low AND high``."""

    operand: Node
    low: Node
    high: Node


@dataclass(frozen=True)
class In(Node):
    """``operand IN (option, ...)``: 1 to 100 options."""

    operand: Node
    options: tuple[Node, ...]


FUNCTIONS = ("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains")
ATTRIBUTE_TYPES = ("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M")


@dataclass(frozen=True)
class Function(Node):
    """A condition function: ``attribute_exists(path)``, ``begins_with(path, operand)`` and the others.

    ``name`` is lower case, as DynamoDB wants it.
    """

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class And(Node):
    """Two or more conditions that must all hold. The parser flattens ``a AND (b AND c)``."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    """Two or more conditions of which one must hold."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    """``NOT condition``."""

    operand: Node


def and_(*nodes: Node) -> Node:
    """Conjunction of ``nodes``, flattening nested ``And``; a single node is returned as it is."""
    flat: list[Node] = []
    for n in nodes:
        flat.extend(n.operands if isinstance(n, And) else (n,))
    if not flat:
        raise ValueError("and_() needs at least one condition")
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def or_(*nodes: Node) -> Node:
    """Disjunction of ``nodes``, flattening nested ``Or``; a single node is returned as it is."""
    flat: list[Node] = []
    for n in nodes:
        flat.extend(n.operands if isinstance(n, Or) else (n,))
    if not flat:
        raise ValueError("or_() needs at least one condition")
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def conjuncts(node: Node) -> list[Node]:
    """The conditions joined by the top-level ANDs of ``node`` (just ``[node]`` when it is no AND)."""
    if isinstance(node, And):
        out: list[Node] = []
        for child in node.operands:
            out.extend(conjuncts(child))
        return out
    return [node]


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children, left to right (path elements excluded)."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(children(n)))
    return out


def children(node: Node) -> tuple[Node, ...]:
    """The direct child nodes of ``node``, in source order."""
    if isinstance(node, And | Or):
        return node.operands
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, In):
        return (node.operand, *node.options)
    if isinstance(node, Function):
        return node.args
    if isinstance(node, Size):
        return (node.path,)
    if isinstance(node, ValueSize):
        return (node.value,)
    if isinstance(node, Path):
        return tuple(e for e in node.elements if isinstance(e, NameRef))
    return ()
