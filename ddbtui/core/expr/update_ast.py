"""The tree of an update expression: actions, sets, arithmetic and the two update functions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ddbtui.core.expr.ast import Node, Path
from ddbtui.core.expr.compiler import to_attribute_value

CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")
UPDATE_FUNCTIONS = ("if_not_exists", "list_append")
_SET_TYPES = {"S": "SS", "N": "NS", "B": "BS"}

AV = dict[str, Any]


def _set_key(kind: str, value: Any) -> Any:
    return Decimal(value) if kind == "NS" else bytes(value) if kind == "BS" else value


@dataclass(frozen=True, eq=False)
class SetLiteral(Node):
    """An inline set, ``<<'a', 'b'>>``: ``kind`` is SS, NS or BS; elements are str, Decimal or bytes."""

    kind: str
    elements: tuple[Any, ...]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SetLiteral):
            return NotImplemented
        return self.kind == other.kind and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.kind, self._key()))

    def _key(self) -> frozenset[Any]:
        return frozenset(_set_key(self.kind, e) for e in self.elements)

    def to_av(self) -> AV:
        """The set as an AttributeValue."""
        if self.kind == "NS":
            return {"NS": [to_attribute_value(e)["N"] for e in self.elements]}
        return {self.kind: [bytes(e) if self.kind == "BS" else e for e in self.elements]}


@dataclass(frozen=True)
class Arithmetic(Node):
    """``left + right`` or ``left - right`` on numbers (the only arithmetic DynamoDB has)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class UpdateFunction(Node):
    """``if_not_exists(path, value)`` or ``list_append(list1, list2)``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Action(Node):
    """One action of a clause: ``SET path = value``, ``REMOVE path``, ``ADD path value``, ``DELETE path set``."""

    clause: str
    path: Path
    value: Node | None = None


@dataclass(frozen=True)
class UpdateExpression(Node):
    """The actions of an update expression, in source order (clauses may come in any order, once each)."""

    actions: tuple[Action, ...]

    def clause(self, name: str) -> list[Action]:
        """The actions of one clause (``"SET"``, ``"REMOVE"``, ``"ADD"`` or ``"DELETE"``)."""
        return [a for a in self.actions if a.clause == name]

    @property
    def paths(self) -> list[Path]:
        """Every path the update writes, as written."""
        return [a.path for a in self.actions]


def _value_nodes(node: Node) -> list[Node]:
    """``node`` and every node inside it (values of an action)."""
    out = [node]
    if isinstance(node, Arithmetic):
        out += _value_nodes(node.left) + _value_nodes(node.right)
    elif isinstance(node, UpdateFunction):
        for arg in node.args:
            out += _value_nodes(arg)
    return out


def count_update_operators(update: UpdateExpression) -> int:
    """Operators and functions of an update, counted against DynamoDB's limit of 300."""
    return sum(
        1
        for action in update.actions
        if action.value is not None
        for n in _value_nodes(action.value)
        if isinstance(n, Arithmetic | UpdateFunction)
    )
