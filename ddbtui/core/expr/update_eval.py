"""Evaluating an update on an item the way DynamoDB does (``apply_update``). All
right-hand sides read the item as it was; SET, ADD and DELETE apply before REMOVE, whose list indexes
refer to the list as it was."""

from __future__ import annotations

import copy
from decimal import Decimal, Inexact, InvalidOperation, Overflow, Rounded, Underflow
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import Literal, Node, Path, ValueRef
from ddbtui.core.expr.compiler import Placeholders, to_attribute_value, type_name
from ddbtui.core.expr.printer import to_source
from ddbtui.core.expr.update_ast import (
    AV,
    Action,
    Arithmetic,
    SetLiteral,
    UpdateExpression,
    UpdateFunction,
    _set_key,
)
from ddbtui.core.expr.update_compile import _resolved

_INVALID_PATH = "the document path {path} is invalid for this item: {why}"


class _Evaluator:
    def __init__(self, item: dict[str, AV], ph: Placeholders | None, source: str | None) -> None:
        self.old = item
        self.ph = ph or Placeholders()
        self.source = source

    def error(self, message: str, node: Node | None) -> ExprError:
        return ExprError(message, node.column if node is not None else None, self.source)

    def elements(self, path: Path) -> list[str | int]:
        return list(_resolved(self.ph, path, self.source).elements)

    def get(self, item: dict[str, AV], path: Path) -> AV | None:
        current: AV | None = {"M": item}
        for e in self.elements(path):
            if current is None:
                return None
            ((tag, v),) = current.items()
            if isinstance(e, int):
                current = v[e] if tag == "L" and e < len(v) else None
            else:
                current = v.get(e) if tag == "M" else None
        return current

    def value(self, node: Node) -> AV:
        if isinstance(node, Literal):
            return to_attribute_value(node.value)
        if isinstance(node, SetLiteral):
            return node.to_av()
        if isinstance(node, ValueRef):
            av = self.ph.value_of(node)
            if av is None:
                raise self.ph._missing_value(node, self.source)
            return av
        if isinstance(node, Path):
            av = self.get(self.old, node)
            if av is None:
                raise self.error(f"{to_source(node)} does not exist in the item", node)
            return av
        if isinstance(node, UpdateFunction):
            if node.name == "if_not_exists":
                assert isinstance(node.args[0], Path)
                present = self.get(self.old, node.args[0])
                return present if present is not None else self.value(node.args[1])
            first, second = (self.value(a) for a in node.args)
            if "L" not in first or "L" not in second:
                raise self.error("list_append() needs two lists", node)
            return {"L": [*first["L"], *second["L"]]}
        if isinstance(node, Arithmetic):
            left, right = self.value(node.left), self.value(node.right)
            if "N" not in left or "N" not in right:
                raise self.error(f"'{node.op}' needs two numbers", node)
            return {"N": _number(Decimal(left["N"]), node.op, Decimal(right["N"]), node, self)}
        raise self.error(f"cannot evaluate {type(node).__name__}", node)

    def container(self, item: dict[str, AV], action: Action) -> tuple[AV, str | int]:
        """The map or list holding the last element of ``action.path``, and that element."""
        elements = self.elements(action.path)
        parent: AV = {"M": item}
        for e in elements[:-1]:
            ((tag, v),) = parent.items()
            child = v.get(e) if tag == "M" and isinstance(e, str) else None
            if tag == "L" and isinstance(e, int):
                child = v[e] if e < len(v) else None
            if child is None:
                raise self.error(
                    _INVALID_PATH.format(
                        path=to_source(action.path), why="a parent is missing or of another type"
                    ),
                    action,
                )
            parent = child
        last = elements[-1]
        ((tag, _),) = parent.items()
        if (tag == "M") != isinstance(last, str) or tag not in ("M", "L"):
            raise self.error(
                _INVALID_PATH.format(
                    path=to_source(action.path), why="its parent is neither that map nor list"
                ),
                action,
            )
        return parent, last

    def put(self, item: dict[str, AV], action: Action, value: AV, appends: dict[int, Any]) -> None:
        parent, last = self.container(item, action)
        ((tag, v),) = parent.items()
        if tag == "M" or isinstance(last, int) and last < len(v):
            v[last] = value
        else:
            # Past the end: DynamoDB appends, in the order of the indexes, not of the actions
            # (`SET L[5] = 'W', L[3] = 'P'` on [a, b] stores [a, b, P, W]; measured on DynamoDB Local).
            appends.setdefault(id(v), (v, []))[1].append((last, value))

    def run(self, update: UpdateExpression) -> dict[str, AV]:
        new = copy.deepcopy(self.old)
        # every right-hand side reads the item as it was
        writes: list[tuple[Action, AV | None]] = []
        for action in update.actions:
            if action.clause == "SET":
                assert action.value is not None
                writes.append((action, self.value(action.value)))
            elif action.clause in ("ADD", "DELETE"):
                writes.append((action, self.combine(action)))
        appends: dict[int, tuple[list[AV], list[tuple[int, AV]]]] = {}
        for action, value in writes:
            if value is None:
                parent, last = self.container(new, action)
                ((_, v),) = parent.items()
                v.pop(last, None)  # DELETE emptied the set: DynamoDB removes the attribute
            else:
                self.put(new, action, value, appends)
        for items, extra in appends.values():
            items.extend(value for _, value in sorted(extra, key=lambda e: e[0]))
        removals: dict[int, tuple[AV, list[int]]] = {}
        for action in update.clause("REMOVE"):
            elements = self.elements(action.path)
            if len(elements) == 1:
                new.pop(str(elements[0]), None)
                continue
            parent, last = self.container(new, action)
            ((tag, v),) = parent.items()
            if tag == "M":
                v.pop(last, None)
            else:
                assert isinstance(last, int)
                removals.setdefault(id(parent), (parent, []))[1].append(last)
        for parent, indexes in removals.values():
            items = parent["L"]
            for i in sorted(set(indexes), reverse=True):
                if i < len(items):
                    del items[i]
        return new

    def combine(self, action: Action) -> AV | None:
        assert action.value is not None
        operand = self.value(action.value)
        current = self.get(self.old, action.path)
        (kind,) = operand
        if action.clause == "ADD":
            if current is None:
                return operand
            (have,) = current
            if kind == "N" and have == "N":
                return {"N": _number(Decimal(current["N"]), "+", Decimal(operand["N"]), action, self)}
            if kind == have and kind in ("SS", "NS", "BS"):
                keys = {_set_key(kind, x) for x in current[kind]}
                extra = [x for x in operand[kind] if _set_key(kind, x) not in keys]
                return {kind: [*current[kind], *extra]}
            raise self.error(
                f"ADD of {type_name(kind)} to {to_source(action.path)}, which is {type_name(have)}", action
            )
        if current is None:
            return None  # nothing to delete from: popping the absent attribute changes nothing
        (have,) = current
        if have != kind:
            raise self.error(
                f"DELETE of a {type_name(kind)} from {to_source(action.path)}, which is {type_name(have)}",
                action,
            )
        gone = {_set_key(kind, x) for x in operand[kind]}
        left = [x for x in current[kind] if _set_key(kind, x) not in gone]
        return {kind: left} if left else None


def _number(a: Decimal, op: str, b: Decimal, node: Node, ev: _Evaluator) -> str:
    from ddbtui.core.values import DYNAMODB_CONTEXT  # 38 digits; inexact results trap

    try:
        exact = DYNAMODB_CONTEXT.add(a, b) if op == "+" else DYNAMODB_CONTEXT.subtract(a, b)
    except (Inexact, Rounded, Overflow, Underflow, InvalidOperation):
        raise ev.error("the result has more than 38 significant digits or is out of range", node) from None
    if exact.is_zero():
        return "0"
    text = format(exact, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def apply_update(
    item: dict[str, AV] | None,
    update: UpdateExpression,
    ph: Placeholders | None = None,
    source: str | None = None,
) -> dict[str, AV]:
    """The item after ``update`` (AttributeValue form), as DynamoDB computes it; ``item`` None: no item.

    ``ph`` resolves ``#name`` / ``:value`` placeholders. Raises ExprError where DynamoDB would refuse the
    update for this item (a path through a missing parent, arithmetic on a missing attribute or a
    non-number, ADD or DELETE of another type). The key attributes are not added: pass the old item
    with its key, or add the key to a result built from None.
    """
    return _Evaluator(dict(item or {}), ph, source).run(update)
