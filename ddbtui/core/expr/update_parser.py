"""Parsing update expressions: ``SET a = a + 1 REMOVE b ADD n 5 DELETE s <<'x'>>``."""

from __future__ import annotations

from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import Literal, Node, Path, ValueRef, literal_type
from ddbtui.core.expr.compiler import type_name
from ddbtui.core.expr.lexer import EOF, NAME, NAMEREF, NUMBER, OP, QNAME, VALUEREF, check_number, tokenize
from ddbtui.core.expr.parser import _Parser
from ddbtui.core.expr.printer import literal_source, to_source
from ddbtui.core.expr.update_ast import (
    _SET_TYPES,
    CLAUSES,
    UPDATE_FUNCTIONS,
    Action,
    Arithmetic,
    SetLiteral,
    UpdateExpression,
    UpdateFunction,
    _set_key,
)


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
        return self.sum("a value after '='")

    def sum(self, expected: str) -> Node:
        """``operand``, ``operand + operand`` or ``operand - operand``; an operand may be written in one
        pair of parentheses, and the whole of a SET value too (DynamoDB: ``SET a = (b + c)``)."""
        left_tok = self.tok
        left = self.update_operand(expected, allow_sum=True)
        if not (self.tok.kind == OP and self.tok.text in "+-"):
            return left
        if isinstance(left, Arithmetic):  # `(a + b) + c`
            raise self.error(_ONE_SUM, self.tok.offset)
        op_tok = self.advance()
        right_tok = self.tok
        right = self.update_operand(f"a value after '{op_tok.text}'", inside="another + or -")
        for node, tok in ((left, left_tok), (right, right_tok)):
            self.check_number(node, tok.offset, f"'{op_tok.text}'")
        if self.tok.kind == OP and self.tok.text in "+-":
            raise self.error(_ONE_SUM, self.tok.offset)
        return Arithmetic(op_tok.text, left, right, offset=op_tok.offset)

    def group(self, expected: str, allow_sum: bool, inside: str) -> Node:
        """``( value )``: DynamoDB takes one pair around a value and refuses a pair that only wraps another
        (``((b))``: "The expression has redundant parentheses"); a sum only at the top of a SET value."""
        open_tok = self.advance()
        self.enter(open_tok)
        if self.is_punct(")"):
            raise self.fail(f"{expected} inside '( )'")
        inner = self.sum(expected)
        self.expect_punct(")", f"')' to close the '(' at column {open_tok.offset + 1}")
        self.leave()
        if self.grouped.get(id(inner)) is inner:
            raise self.error(
                "redundant parentheses: DynamoDB refuses '((...))'; one pair is enough", open_tok.offset
            )
        if isinstance(inner, Arithmetic) and not allow_sum:
            raise self.error(
                f"DynamoDB allows one + or - in a SET action, at its top: not inside {inside}", inner.offset
            )
        self.grouped[id(inner)] = inner
        return inner

    def check_number(self, node: Node, offset: int, what: str) -> None:
        if isinstance(node, Literal) and node.type != "N":
            raise self.error(
                f"{what} works on numbers, not a {type_name(node.type)} ({_clip(to_source(node))})", offset
            )
        if isinstance(node, SetLiteral):
            raise self.error(f"{what} works on numbers, not a set; use ADD to add to a set", offset)

    def update_operand(
        self, expected: str, *, allow_sum: bool = False, inside: str = "a function argument"
    ) -> Node:
        tok = self.tok
        if tok.kind == NAME and tok.keyword is None and self.is_punct("(", self.peek()):
            return self.update_function()
        if self.is_punct("<<"):
            return self.set_literal()
        if self.is_punct("("):
            return self.group(expected, allow_sum, inside)
        if tok.kind == OP and tok.text in "+-":
            raise self.fail(expected)
        return self.operand(expected)

    def update_function(self) -> Node:
        name_tok = self.advance()
        name = name_tok.text.lower()
        if name in UPDATE_FUNCTIONS:
            self.check_function_case(name_tok)  # DynamoDB: "Invalid function name; function: LIST_APPEND"
        else:
            if name == "size" or name in ("attribute_exists", "attribute_not_exists", "begins_with"):
                raise self.error(f"{name}() belongs in a condition, not in an update", name_tok.offset)
            raise self.error(
                f"unknown function {name_tok.text}(); an update has if_not_exists() and list_append()",
                name_tok.offset,
            )
        self.advance()  # '('
        self.enter(name_tok)
        if name == "if_not_exists" and self.is_punct("("):
            first_tok = self.tok
            first = self.group("an attribute path", False, "a function argument")
            if not isinstance(first, Path):
                raise self.error(
                    "if_not_exists() takes an attribute path as its first argument", first_tok.offset
                )
        elif name == "if_not_exists":
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


_ONE_SUM = "DynamoDB allows one + or - in a SET action; use if_not_exists() or two updates"


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_update(text: str) -> UpdateExpression:
    """Parse an update expression. Raises ExprError with a 1-based column."""
    return _UpdateParser(text).parse_update()
