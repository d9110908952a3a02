"""Writing an update out: canonical source text (``update_source``) and DynamoDB's UpdateExpression
(``compile_update``, after the checks DynamoDB would make: ``check_update``)."""

from __future__ import annotations

from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import Node, Path, ValueRef
from ddbtui.core.expr.compiler import MAX_OPERATORS, Placeholders, _check_length, _CompileEmitter, type_name
from ddbtui.core.expr.parser import overlaps
from ddbtui.core.expr.printer import Emitter, literal_source, quote, to_source
from ddbtui.core.expr.update_ast import (
    AV,
    CLAUSES,
    Action,
    Arithmetic,
    SetLiteral,
    UpdateExpression,
    UpdateFunction,
    _value_nodes,
    count_update_operators,
)


class _UpdateWriter:
    """Writes an update through an Emitter: source text (``Emitter``) or DynamoDB text (the compiler's)."""

    def __init__(self, emitter: Emitter, set_value: Any) -> None:
        self.emitter = emitter
        self.set_value = set_value

    def value(self, node: Node) -> str:
        if isinstance(node, SetLiteral):
            return self.set_value(node)
        if isinstance(node, Arithmetic):
            return f"{self.value(node.left)} {node.op} {self.value(node.right)}"
        if isinstance(node, UpdateFunction):
            return f"{node.name}({', '.join(self.value(a) for a in node.args)})"
        return self.emitter.operand(node)

    def action(self, action: Action) -> str:
        path = self.emitter.path(action.path)
        if action.clause == "SET":
            assert action.value is not None
            return f"{path} = {self.value(action.value)}"
        if action.clause == "REMOVE":
            return path
        assert action.value is not None
        return f"{path} {self.value(action.value)}"

    def update(self, update: UpdateExpression) -> str:
        parts = []
        for clause in CLAUSES:
            actions = update.clause(clause)
            if actions:
                parts.append(f"{clause} " + ", ".join(self.action(a) for a in actions))
        return " ".join(parts)


def _set_source(node: SetLiteral) -> str:
    return "<<" + ", ".join(literal_source(e) for e in node.elements) + ">>"


class _SourceEmitter(Emitter):
    def name(self, name: str, path: Path) -> str:
        # `set`, `remove`, ... would read as clause words: backticks keep them names
        if name.upper() in CLAUSES:
            return quote(name, "`")
        return super().name(name, path)


def update_source(update: UpdateExpression) -> str:
    """Canonical source text: clauses in the order SET, REMOVE, ADD, DELETE, literals inline.

    ``parse_update(update_source(u)) == u`` up to the order of clauses.
    """
    return _UpdateWriter(_SourceEmitter(), _set_source).update(update)


# --------------------------------------------------------------------------------------------- compiling


def _resolved(ph: Placeholders, path: Path, source: str | None) -> Path:
    return Path(tuple(ph._resolve_element(e, source) for e in path.elements))


def av_placeholder(ph: Placeholders, av: AV) -> str:
    """A new ``:v`` placeholder in ``ph`` for any AttributeValue (sets and maps holding sets included,
    which inline literals cannot spell)."""
    i = ph._next_value
    while f":v{i}" in ph._values or f":v{i}" in ph._user_values:
        i += 1
    ph._next_value = i + 1
    name = f":v{i}"
    ph._values[name] = av
    return name


def path_text(ph: Placeholders, path: Path) -> str:
    """Expression text of ``path`` with ``#`` placeholders for reserved or unusual names, added to ``ph``."""
    return _CompileEmitter(ph, None).path(path)


def _set_placeholder(ph: Placeholders, node: SetLiteral) -> str:
    return av_placeholder(ph, node.to_av())


def check_update(
    update: UpdateExpression,
    ph: Placeholders,
    source: str | None = None,
    key_attributes: tuple[str, ...] | list[str] = (),
) -> None:
    """Raise ExprError for what DynamoDB would refuse: writing a key attribute, two actions on overlapping
    paths, a ``:value`` of the wrong type, more than 300 operators and functions."""
    resolved: list[tuple[Action, Path]] = []
    for action in update.actions:
        path = _resolved(ph, action.path, source)
        top = path.elements[0]
        if top in key_attributes:
            raise ExprError(
                f"{top} is part of the table's key; an update cannot change it. To give the item a new key, "
                "copy it to the new key and delete the old one (ddbtui does both in one transaction)",
                action.path.column,
                source,
            )
        for earlier, earlier_path in resolved:
            if overlaps(earlier_path, path):
                raise ExprError(
                    f"{to_source(action.path)} overlaps {to_source(earlier.path)} written by "
                    f"{earlier.clause}; DynamoDB rejects two actions on the same or nested paths",
                    action.path.column,
                    source,
                )
        resolved.append((action, path))
        if action.value is not None:
            _check_value_refs(action, ph, source)
    operators = count_update_operators(update)
    if operators > MAX_OPERATORS:
        raise ExprError(
            f"the update has {operators} operators and functions; DynamoDB allows at most {MAX_OPERATORS}",
            None,
            source,
        )


def _check_value_refs(action: Action, ph: Placeholders, source: str | None) -> None:
    def kind_of(node: Node) -> tuple[ValueRef, str] | None:
        if not isinstance(node, ValueRef):
            return None
        av = ph.value_of(node)
        if av is None:
            raise ph._missing_value(node, source)
        return node, next(iter(av))

    def need(node: Node, allowed: tuple[str, ...], what: str, hint: str = "") -> None:
        got = kind_of(node)
        if got is not None and got[1] not in allowed:
            ref, kind = got
            words = " or ".join(type_name(a) for a in allowed)
            raise ExprError(
                f"{what} needs a {words}, but {ref.name} is a {type_name(kind)}{hint}", ref.column, source
            )

    assert action.value is not None
    set_hint = "; --values are plain JSON, so write the set inline: <<'a', 'b'>>"
    if action.clause == "ADD":
        need(action.value, ("N", "SS", "NS", "BS"), "ADD", set_hint)
    elif action.clause == "DELETE":
        need(action.value, ("SS", "NS", "BS"), "DELETE", set_hint)
    for n in _value_nodes(action.value):
        if isinstance(n, Arithmetic):
            need(n.left, ("N",), f"'{n.op}'")
            need(n.right, ("N",), f"'{n.op}'")
        elif isinstance(n, UpdateFunction) and n.name == "list_append":
            need(n.args[0], ("L",), "list_append()")
            need(n.args[1], ("L",), "list_append()")


def compile_update(
    update: UpdateExpression,
    ph: Placeholders,
    source: str | None = None,
    key_attributes: tuple[str, ...] | list[str] = (),
) -> str:
    """``UpdateExpression`` text for ``update``, adding its names and values to ``ph``.

    ``key_attributes``: the table's key attribute names, which an update may not write. Raises ExprError
    (see ``check_update``) and when the text is over DynamoDB's 4 KB.
    """
    check_update(update, ph, source, key_attributes)
    emitter = _CompileEmitter(ph, source)
    text = _UpdateWriter(emitter, lambda node: _set_placeholder(ph, node)).update(update)
    return _check_length(text, source)
