"""Compiling trees to DynamoDB's expression text plus ExpressionAttributeNames / ExpressionAttributeValues.

One ``Placeholders`` serves one request: the key condition, the filter and the projection share its names
and values, so an attribute or a literal used twice gets one placeholder, and ``check_all_used`` can tell
the user which of their own ``--names`` / ``--values`` nothing referenced (DynamoDB rejects those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr.ast import (
    ATTRIBUTE_TYPES,
    ORDERED_COMPARATORS,
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
    Size,
    ValueRef,
    ValueSize,
    walk,
)
from ddbtui.core.expr.lexer import number_problem
from ddbtui.core.expr.parser import overlaps, repeated_first_operand, repeated_operand_message
from ddbtui.core.expr.printer import Emitter, to_source
from ddbtui.core.expr.reserved import is_reserved

# A name DynamoDB takes bare in an expression: starts with a letter, then letters, digits, underscores.
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PLACEHOLDER_BODY = re.compile(r"[A-Za-z0-9_]+")
_READABLE_PLACEHOLDER = re.compile(r"[A-Za-z0-9_]{1,40}")
_TYPE_NAMES = {"S": "string", "N": "number", "B": "binary", "BOOL": "boolean", "NULL": "null", "L": "list"}
_TYPE_NAMES |= {"M": "map", "SS": "string set", "NS": "number set", "BS": "binary set"}

AttributeValue = dict[str, Any]
MAX_OPERATORS = 300
MAX_EXPRESSION_BYTES = 4096


def type_name(kind: str) -> str:
    """A DynamoDB type letter in words: ``N`` -> ``number``."""
    return _TYPE_NAMES.get(kind, kind)


def to_attribute_value(value: Any) -> AttributeValue:
    """A plain Python value as a low-level AttributeValue: ``"x"`` -> ``{"S": "x"}``, numbers as ``{"N": str}``.

    Accepts str, int, float, Decimal, bool, None, bytes, list/tuple and dict with str keys. Raises
    ValueError (a number DynamoDB cannot store, an empty map key) or TypeError (any other type).
    """
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        try:
            number = (
                value
                if isinstance(value, Decimal)
                else Decimal(repr(value) if isinstance(value, float) else value)
            )
        except (InvalidOperation, ValueError):  # pragma: no cover - repr of a float is always a valid Decimal
            raise ValueError(f"{value!r} is not a number DynamoDB can store") from None
        problem = number_problem(number)
        if problem:
            raise ValueError(f"number {value} {problem}")
        return {"N": str(number)}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute_value(v) for v in value]}
    if isinstance(value, dict):
        out: dict[str, AttributeValue] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"map keys must be strings, not {type(k).__name__}")
            if not k:
                raise ValueError("a map key cannot be empty")
            out[k] = to_attribute_value(v)
        return {"M": out}
    raise TypeError(
        f"{type(value).__name__} is not a JSON value (string, number, true, false, null, list, map)"
    )


class Placeholders:
    """Placeholders of one request; ``compile`` each expression, then read the two attribute maps."""

    def __init__(
        self, names: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        """``names``: the user's ``{"#n": "attribute"}``; ``values``: ``{":v": plain JSON value}``.

        Raises UsageError for a malformed entry.
        """
        self._user_names: dict[str, str] = {}
        self._user_values: dict[str, AttributeValue] = {}
        for key, name in (names or {}).items():
            if (
                not isinstance(key, str)
                or not key.startswith("#")
                or not _PLACEHOLDER_BODY.fullmatch(key[1:])
            ):
                raise UsageError(f"--names key {key!r} must be '#' followed by letters, digits or _")
            if not isinstance(name, str) or not name:
                raise UsageError(f"--names {key} must map to a non-empty attribute name, not {name!r}")
            self._user_names[key] = name
        for key, value in (values or {}).items():
            if (
                not isinstance(key, str)
                or not key.startswith(":")
                or not _PLACEHOLDER_BODY.fullmatch(key[1:])
            ):
                raise UsageError(f"--values key {key!r} must be ':' followed by letters, digits or _")
            try:
                self._user_values[key] = to_attribute_value(value)
            except (TypeError, ValueError) as e:
                raise UsageError(f"--values {key}: {e}") from None
        self._names: dict[str, str] = {}  # placeholder -> attribute name, in first-use order
        self._generated: dict[str, str] = {}  # attribute name -> generated placeholder
        self._values: dict[str, AttributeValue] = {}
        self._literal_ph: dict[Literal, str] = {}
        self._next_name = 1
        self._next_value = 0

    # -- results -------------------------------------------------------------------------------------
    @property
    def expression_attribute_names(self) -> dict[str, str]:
        """``ExpressionAttributeNames`` for the request: every ``#`` placeholder compiled so far ({} if none)."""
        return dict(self._names)

    @property
    def expression_attribute_values(self) -> dict[str, AttributeValue]:
        """``ExpressionAttributeValues`` in low-level form (``{":v0": {"S": "x"}}``; {} if none)."""
        return dict(self._values)

    def check_all_used(self) -> None:
        """Raise UsageError naming each user-supplied ``#name`` / ``:value`` no compiled expression used."""
        names = [k for k in self._user_names if k not in self._names]
        values = [k for k in self._user_values if k not in self._values]
        parts = []
        if names:
            parts.append(f"--names {', '.join(names)}")
        if values:
            parts.append(f"--values {', '.join(values)}")
        if parts:
            raise UsageError(
                f"{' and '.join(parts)} {'is' if len(names) + len(values) == 1 else 'are'} not used by any "
                "expression; DynamoDB rejects unused placeholders"
            )

    # -- lookups (no side effects) -------------------------------------------------------------------
    def resolve_name(self, ref: NameRef | str) -> str | None:
        """The attribute name a user ``#name`` stands for, or None when ``--names`` lacks it."""
        return self._user_names.get(ref.name if isinstance(ref, NameRef) else ref)

    def value_of(self, ref: ValueRef | str) -> AttributeValue | None:
        """The AttributeValue a user ``:value`` stands for, or None when ``--values`` lacks it."""
        return self._user_values.get(ref.name if isinstance(ref, ValueRef) else ref)

    # -- compiling -----------------------------------------------------------------------------------
    def compile(self, node: Node, source: str | None = None) -> str:
        """DynamoDB expression text for a condition.

        Raises ExprError (column into ``source``) for an undefined or ill-typed placeholder, and for an
        expression over DynamoDB's limits (300 operators and functions, 4 KB of text).
        """
        self._check_values(node, source)
        operators = count_operators(node)
        if operators > MAX_OPERATORS:
            raise ExprError(
                f"the expression has {operators} operators and functions; DynamoDB allows at most {MAX_OPERATORS}",
                None,
                source,
            )
        return _check_length(_CompileEmitter(self, source).condition(node), source)

    def compile_projection(self, paths: Iterable[Path], source: str | None = None) -> str:
        """``ProjectionExpression`` text for ``paths``; ExprError when two resolve to overlapping paths."""
        emitter = _CompileEmitter(self, source)
        seen: list[tuple[Path, Path]] = []
        out: list[str] = []
        for path in paths:
            resolved = Path(tuple(self._resolve_element(e, source) for e in path.elements))
            for earlier, earlier_resolved in seen:
                if overlaps(earlier_resolved, resolved):
                    raise ExprError(
                        f"{to_source(path)} overlaps {to_source(earlier)} in the projection; DynamoDB "
                        "rejects paths that repeat or contain each other",
                        path.column,
                        source,
                    )
            seen.append((path, resolved))
            out.append(emitter.path(path))
        if not out:
            raise ExprError("a projection needs at least one attribute", None, source)
        return _check_length(", ".join(out), source)

    def _resolve_element(self, element: str | int | NameRef, source: str | None) -> str | int:
        if isinstance(element, NameRef):
            name = self.resolve_name(element)
            if name is None:
                raise self._missing_name(element, source)
            return name
        return element

    def _missing_name(self, ref: NameRef, source: str | None) -> ExprError:
        return ExprError(
            f'{ref.name} is not defined: give it with --names, e.g. --names \'{{"{ref.name}": "attribute"}}\'',
            ref.column,
            source,
        )

    def _missing_value(self, ref: ValueRef, source: str | None) -> ExprError:
        return ExprError(
            f'{ref.name} has no value: give it with --values, e.g. --values \'{{"{ref.name}": "text"}}\'',
            ref.column,
            source,
        )

    def _check_values(self, node: Node, source: str | None) -> None:
        # The parser checked literals; a :value is only known now, and DynamoDB would reject the same things.
        def typed(n: Node) -> tuple[ValueRef, str] | None:
            if not isinstance(n, ValueRef):
                return None
            av = self.value_of(n)
            if av is None:
                raise self._missing_value(n, source)
            return n, next(iter(av))

        def same(a: Path, b: Path) -> bool:
            resolve = self._resolve_element
            return [resolve(e, source) for e in a.elements] == [resolve(e, source) for e in b.elements]

        for n in walk(node):
            repeated = repeated_first_operand(n, same)
            if repeated is not None:
                raise ExprError(repeated_operand_message(n, repeated), repeated.column, source)
            checks: list[tuple[Node, tuple[str, ...], str]] = []
            if isinstance(n, Compare) and n.op in ORDERED_COMPARATORS:
                checks = [(n.left, ("S", "N", "B"), f"'{n.op}'"), (n.right, ("S", "N", "B"), f"'{n.op}'")]
            elif isinstance(n, Between):
                checks = [(x, ("S", "N", "B"), "BETWEEN") for x in (n.operand, n.low, n.high)]
            elif isinstance(n, Function) and n.name == "begins_with":
                checks = [(n.args[1], ("S", "B"), "begins_with()")]
            elif isinstance(n, Function) and n.name == "attribute_type":
                got = typed(n.args[1])
                if got is not None:
                    ref, kind = got
                    av = self._user_values[ref.name]
                    if kind != "S" or av["S"] not in ATTRIBUTE_TYPES:
                        raise ExprError(
                            f"{ref.name} must be one of {', '.join(ATTRIBUTE_TYPES)} for attribute_type()",
                            ref.column,
                            source,
                        )
            for operand, allowed, what in checks:
                got = typed(operand)
                if got is not None and got[1] not in allowed:
                    ref, kind = got
                    words = " or ".join(type_name(a) for a in allowed)
                    raise ExprError(
                        f"{what} needs a {words} value, but {ref.name} is a {type_name(kind)}",
                        ref.column,
                        source,
                    )

    def _name_placeholder(self, name: str) -> str:
        ph = self._generated.get(name)
        if ph is not None:
            return ph
        if _READABLE_PLACEHOLDER.fullmatch(name):
            base = "#" + name
            ph, i = base, 2
            while ph in self._names or ph in self._user_names:
                ph, i = f"{base}_{i}", i + 1
        else:
            while True:
                ph = f"#n{self._next_name}"
                self._next_name += 1
                if ph not in self._names and ph not in self._user_names:
                    break
        self._generated[name] = ph
        self._names[ph] = name
        return ph

    def _value_placeholder(self, lit: Literal, source: str | None) -> str:
        ph = self._literal_ph.get(lit)
        if ph is not None:
            return ph
        try:
            av = to_attribute_value(lit.value)
        except (TypeError, ValueError) as e:
            raise ExprError(str(e), lit.column, source) from None
        while True:
            ph = f":v{self._next_value}"
            self._next_value += 1
            if ph not in self._values and ph not in self._user_values:
                break
        self._literal_ph[lit] = ph
        self._values[ph] = av
        return ph


def count_operators(node: Node) -> int:
    """Operators and functions in ``node`` as DynamoDB counts them against its limit of 300.

    Each comparison, BETWEEN, IN, function, size() and NOT is one; n conditions joined by AND or OR are n-1.
    """
    total = 0
    for n in walk(node):
        if isinstance(n, And | Or):
            total += len(n.operands) - 1
        elif isinstance(n, Compare | Between | In | Function | Size | ValueSize | Not):
            total += 1
    return total


def _check_length(text: str, source: str | None) -> str:
    size = len(text.encode("utf-8"))
    if size > MAX_EXPRESSION_BYTES:
        raise ExprError(
            f"the expression DynamoDB would get is {size} bytes long; it allows at most {MAX_EXPRESSION_BYTES}",
            None,
            source,
        )
    return text


class _CompileEmitter(Emitter):
    def __init__(self, owner: Placeholders, source: str | None) -> None:
        self.owner = owner
        self.source = source

    def name(self, name: str, path: Path) -> str:
        if _PLAIN_NAME.fullmatch(name) and not is_reserved(name):
            return name
        return self.owner._name_placeholder(name)

    def name_ref(self, ref: NameRef) -> str:
        name = self.owner.resolve_name(ref)
        if name is None:
            raise self.owner._missing_name(ref, self.source)
        self.owner._names[ref.name] = name
        return ref.name

    def value_ref(self, ref: ValueRef) -> str:
        av = self.owner.value_of(ref)
        if av is None:
            raise self.owner._missing_value(ref, self.source)
        self.owner._values[ref.name] = av
        return ref.name

    def literal(self, lit: Literal) -> str:
        return self.owner._value_placeholder(lit, self.source)
