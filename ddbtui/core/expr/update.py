"""Update expressions: ``SET a = a + 1, b = if_not_exists(b, 0) REMOVE c[0] ADD n 5 DELETE s <<'x'>>``.

The grammar is DynamoDB's UpdateExpression with the inline literals of the condition language (quoted
strings, numbers, true/false/null, JSON lists and maps, ``b64"..."``), plus sets: ``<<'a', 'b'>>`` anywhere
a value goes (a JSON list stays a list, as in a condition). Trees compile through the
same ``Placeholders`` as the request's condition, so names and values are shared.

Besides parsing and compiling, ``apply_update`` evaluates an update on an item the way DynamoDB does (all
right-hand sides read the item as it was; SET, ADD and DELETE apply before REMOVE, whose list indexes
refer to the list as it was). ddbtui sends UpdateItem with ``ReturnValues=ALL_OLD`` and derives the new
image from the old one with it, so the journal holds both images from a single atomic request.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal, Inexact, InvalidOperation, Overflow, Rounded, Underflow
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import Literal, Node, Path, ValueRef, literal_type
from ddbtui.core.expr.compiler import (
    MAX_OPERATORS,
    Placeholders,
    _check_length,
    _CompileEmitter,
    to_attribute_value,
    type_name,
)
from ddbtui.core.expr.lexer import EOF, NAME, NAMEREF, NUMBER, OP, QNAME, VALUEREF, check_number, tokenize
from ddbtui.core.expr.parser import _Parser, overlaps
from ddbtui.core.expr.printer import Emitter, literal_source, quote, to_source

CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")
UPDATE_FUNCTIONS = ("if_not_exists", "list_append")
_SET_TYPES = {"S": "SS", "N": "NS", "B": "BS"}
_INVALID_PATH = "the document path {path} is invalid for this item: {why}"

AV = dict[str, Any]


# --------------------------------------------------------------------------------------------- tree


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


# --------------------------------------------------------------------------------------------- parsing


class _UpdateParser(_Parser):
    def __init__(self, text: str) -> None:
        super().__init__("")
        self.text = text
        self.tokens = tokenize(text, update=True)

    def clause_word(self) -> str | None:
        tok = self.tok
        if tok.kind == NAME and tok.text.upper() in CLAUSES:
            return tok.text.upper()
        return None

    def parse_update(self) -> UpdateExpression:
        if self.tok.kind == EOF:
            raise self.fail("SET, REMOVE, ADD or DELETE")
        seen: dict[str, int] = {}
        actions: list[Action] = []
        while self.tok.kind != EOF:
            clause = self.clause_word()
            if clause is None:
                raise self.fail("SET, REMOVE, ADD or DELETE")
            if clause in seen:
                raise self.error(
                    f"{clause} can appear only once (it is already at column {seen[clause] + 1}); "
                    f"separate its actions with ','",
                    self.tok.offset,
                )
            seen[clause] = self.tok.offset
            self.advance()
            actions.append(self.action(clause))
            while self.is_punct(","):
                self.advance()
                actions.append(self.action(clause))
            if self.tok.kind != EOF and self.clause_word() is None:
                raise self.fail("',', another clause (SET, REMOVE, ADD, DELETE) or the end")
        return UpdateExpression(tuple(actions), offset=0)

    def target(self, clause: str) -> Path:
        tok = self.tok
        if tok.kind not in (NAME, QNAME, NAMEREF) or tok.keyword is not None or self.clause_word():
            hint = ""
            if tok.kind == NAME and (tok.keyword or self.clause_word()):
                hint = f" (an attribute named {tok.text} goes in backticks: `{tok.text}`)"
            raise self.error(
                f"expected an attribute path after {clause} but found {tok.describe()}{hint}", tok.offset
            )
        if self.is_punct("(", self.peek()):
            raise self.error(f"{clause} writes to an attribute path, not to {tok.text}()", tok.offset)
        try:
            return self.path()
        except ExprError as e:
            if clause in ("ADD", "DELETE") and "list index" in e.message:
                e.message += "; a set is written <<'a', 'b'>>"
            raise

    def action(self, clause: str) -> Action:
        start = self.tok
        path = self.target(clause)
        if clause == "REMOVE":
            return Action(clause, path, offset=start.offset)
        if clause == "SET":
            if not (self.tok.kind == OP and self.tok.text == "="):
                raise self.fail(f"'=' after {to_source(path)} in SET")
            self.advance()
            return Action(clause, path, self.set_value(), offset=start.offset)
        value_tok = self.tok
        value = self.set_operand(clause)
        if clause == "ADD" and isinstance(value, Literal) and value.type != "N":
            raise self.error(
                f"ADD takes a number or a set, not a {type_name(value.type)} ({_clip(to_source(value))}); "
                "use SET to write other values",
                value_tok.offset,
            )
        if clause == "DELETE" and isinstance(value, Literal):
            raise self.error(
                f"DELETE takes the set of elements to remove, e.g. DELETE {to_source(path)} <<'x'>>; "
                "to delete an attribute use REMOVE",
                value_tok.offset,
            )
        return Action(clause, path, value, offset=start.offset)

    def set_operand(self, clause: str) -> Node:
        """The value of ADD / DELETE: a number, a set, a JSON list read as a set, or a :value."""
        tok = self.tok
        if tok.kind == VALUEREF:
            self.advance()
            return ValueRef(tok.text, offset=tok.offset)
        if self.is_punct("<<"):
            return self.set_literal()
        nxt = self.peek()
        if tok.kind == OP and tok.text == "-" and nxt.kind == NUMBER and nxt.offset == tok.offset + 1:
            # `ADD n -5`: the lexer took '-' for a minus after the path; here it can only be a sign
            self.advance()
            self.advance()
            check_number(-nxt.value, "-" + nxt.text, tok.offset, self.text)
            return Literal(-nxt.value, offset=tok.offset)
        if self.is_punct("[") or self.is_punct("{"):
            raise self.error(f"{clause} takes a number or a set; write a set as <<'a', 'b'>>", tok.offset)
        if tok.kind in (NAME, QNAME, NAMEREF) and tok.keyword is None:
            raise self.error(
                f"{clause} takes a value, not an attribute path (DynamoDB has no `{clause} a b`); "
                "use SET a = a + b for numbers",
                tok.offset,
            )
        value = self.operand(f"a number or a set after the path in {clause}")
        return value

    def as_set(self, values: list[Any], offset: int) -> SetLiteral:
        if not values:
            raise self.error("a set cannot be empty (DynamoDB stores no empty sets)", offset)
        kinds = {literal_type(v) for v in values}
        if len(kinds) != 1 or next(iter(kinds)) not in _SET_TYPES:
            found = ", ".join(sorted(type_name(k) for k in kinds))
            raise self.error(
                f"a set holds only strings, only numbers or only binary values; found {found}", offset
            )
        kind = _SET_TYPES[next(iter(kinds))]
        seen: set[Any] = set()
        for v in values:
            key = _set_key(kind, v)
            if key in seen:
                raise self.error(f"the set repeats {literal_source(v)}; DynamoDB rejects duplicates", offset)
            seen.add(key)
        return SetLiteral(kind, tuple(values), offset=offset)

    def set_literal(self) -> SetLiteral:
        open_tok = self.advance()  # '<<'
        values: list[Any] = []
        if not self.is_punct(">>"):
            values.append(self.literal_value())
            while self.is_punct(","):
                self.advance()
                values.append(self.literal_value())
        if not self.is_punct(">>"):
            raise self.fail(f"',' or '>>' to close the set opened at column {open_tok.offset + 1}")
        self.advance()
        return self.as_set(values, open_tok.offset)

    def set_value(self) -> Node:
        left_tok = self.tok
        left = self.update_operand("a value after '='")
        if not (self.tok.kind == OP and self.tok.text in "+-"):
            return left
        op_tok = self.advance()
        right_tok = self.tok
        right = self.update_operand(f"a value after '{op_tok.text}'")
        for node, tok in ((left, left_tok), (right, right_tok)):
            self.check_number(node, tok.offset, f"'{op_tok.text}'")
        if self.tok.kind == OP and self.tok.text in "+-":
            raise self.error(
                "DynamoDB allows one + or - in a SET action; use if_not_exists() or two updates",
                self.tok.offset,
            )
        return Arithmetic(op_tok.text, left, right, offset=op_tok.offset)

    def check_number(self, node: Node, offset: int, what: str) -> None:
        if isinstance(node, Literal) and node.type != "N":
            raise self.error(
                f"{what} works on numbers, not a {type_name(node.type)} ({_clip(to_source(node))})", offset
            )
        if isinstance(node, SetLiteral):
            raise self.error(f"{what} works on numbers, not a set; use ADD to add to a set", offset)

    def update_operand(self, expected: str) -> Node:
        tok = self.tok
        if tok.kind == NAME and tok.keyword is None and self.is_punct("(", self.peek()):
            return self.update_function()
        if self.is_punct("<<"):
            return self.set_literal()
        if tok.kind == OP and tok.text in "+-":
            raise self.fail(expected)
        return self.operand(expected)

    def update_function(self) -> Node:
        name_tok = self.advance()
        name = name_tok.text.lower()
        if name not in UPDATE_FUNCTIONS:
            if name == "size" or name in ("attribute_exists", "attribute_not_exists", "begins_with"):
                raise self.error(f"{name}() belongs in a condition, not in an update", name_tok.offset)
            raise self.error(
                f"unknown function {name_tok.text}(); an update has if_not_exists() and list_append()",
                name_tok.offset,
            )
        self.advance()  # '('
        self.enter(name_tok)
        if name == "if_not_exists":
            first = self.path_arg(name, "if_not_exists(path, value)")
        else:
            first_tok = self.tok
            first = self.update_operand("a list as the first argument of list_append(list1, list2)")
            self.check_list(first, first_tok.offset)
        self.expect_punct(",", f"',' and a second argument: {name}(…, …)")
        second_tok = self.tok
        second = self.update_operand(f"a value as the second argument of {name}()")
        if name == "list_append":
            self.check_list(second, second_tok.offset)
        if self.is_punct(","):
            raise self.error(f"{name}() takes 2 arguments", self.tok.offset)
        self.expect_punct(")", f"')' to close {name}(")
        self.leave()
        return UpdateFunction(name, (first, second), offset=name_tok.offset)

    def check_list(self, node: Node, offset: int) -> None:
        if isinstance(node, Literal) and node.type != "L":
            raise self.error(
                f"list_append() joins two lists; {_clip(to_source(node))} is a {type_name(node.type)} "
                f"(write a one-element list: [{_clip(to_source(node))}])",
                offset,
            )
        if isinstance(node, SetLiteral | Arithmetic):
            raise self.error("list_append() joins two lists", offset)


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_update(text: str) -> UpdateExpression:
    """Parse an update expression. Raises ExprError with a 1-based column."""
    return _UpdateParser(text).parse_update()


# --------------------------------------------------------------------------------------------- printing


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


# --------------------------------------------------------------------------------------------- evaluating


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

    def put(self, item: dict[str, AV], action: Action, value: AV) -> None:
        parent, last = self.container(item, action)
        ((tag, v),) = parent.items()
        if tag == "M" or isinstance(last, int) and last < len(v):
            v[last] = value
        else:
            v.append(value)  # DynamoDB appends when the index is past the end

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
        for action, value in writes:
            if value is None:
                parent, last = self.container(new, action)
                ((_, v),) = parent.items()
                v.pop(last, None)  # DELETE emptied the set: DynamoDB removes the attribute
            else:
                self.put(new, action, value)
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


__all__ = [
    "CLAUSES",
    "Action",
    "Arithmetic",
    "SetLiteral",
    "UpdateExpression",
    "UpdateFunction",
    "apply_update",
    "av_placeholder",
    "path_text",
    "check_update",
    "compile_update",
    "count_update_operators",
    "parse_update",
    "update_source",
]
