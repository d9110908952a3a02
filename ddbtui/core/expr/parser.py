"""Recursive-descent parser for condition expressions and projections.

Precedence follows DynamoDB: comparisons, BETWEEN, IN and functions bind tightest, then NOT, then AND,
then OR. Besides the grammar it checks what DynamoDB would reject on sight of the literals alone (ordering
a boolean, BETWEEN bounds of two types or in the wrong order, a bad attribute_type, too many IN options,
too deep a path), so the user hears about it with a column before any request is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import (
    ATTRIBUTE_TYPES,
    COMPARATORS,
    FUNCTIONS,
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
)
from ddbtui.core.expr.lexer import (
    BINARY,
    DIGITS,
    EOF,
    NAME,
    NAMEREF,
    NUMBER,
    OP,
    PUNCT,
    QNAME,
    STRING,
    VALUEREF,
    Token,
    check_number,
    tokenize,
)
from ddbtui.core.expr.printer import to_source

MAX_DEPTH = 64  # parentheses, NOTs and nested lists/maps together
MAX_PATH_LEVELS = 32  # DynamoDB: "The document path has too many nesting levels"
MAX_LIST_INDEX = 2**31 - 1  # DynamoDB: "List index is not within the allowable range"
MAX_IN_OPTIONS = 100

_SIGNATURES = {
    "attribute_exists": "attribute_exists(path)",
    "attribute_not_exists": "attribute_not_exists(path)",
    "attribute_type": "attribute_type(path, 'S')",
    "begins_with": "begins_with(path, 'prefix')",
    "contains": "contains(path, value)",
    "size": "size(path)",
}
_ORDERABLE = ("S", "N", "B")
_TYPE_WORDS = {"S": "a string", "N": "a number", "B": "binary", "BOOL": "a boolean", "NULL": "null"}
_TYPE_WORDS |= {"L": "a list", "M": "a map"}


def order_key(lit: Literal) -> Any:
    """Sort key of an S, N or B literal, in DynamoDB's order (UTF-8 bytes, number, unsigned bytes)."""
    # Code-point order of str is UTF-8 byte order, so no encoding is needed.
    v = lit.value
    return bytes(v) if isinstance(v, bytes | bytearray) else Decimal(v) if lit.type == "N" else v


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        # ids of the nodes written in parentheses: DynamoDB refuses a group that only wraps another group
        # (the nodes are kept, not only their ids: a flattened group is freed and its id reused)
        self.grouped: dict[int, Node] = {}

    # -- token helpers -------------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != EOF:
            self.i += 1
        return tok

    def is_punct(self, ch: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == PUNCT and tok.text == ch

    def is_keyword(self, word: str) -> bool:
        return self.tok.keyword == word

    def error(self, message: str, offset: int) -> ExprError:
        return ExprError(message, offset + 1, self.text)

    def fail(self, expected: str, tok: Token | None = None) -> ExprError:
        tok = tok or self.tok
        return self.error(f"expected {expected} but found {tok.describe()}", tok.offset)

    def expect_punct(self, ch: str, expected: str) -> Token:
        if not self.is_punct(ch):
            raise self.fail(expected)
        return self.advance()

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the expression nests deeper than {MAX_DEPTH} levels", tok.offset)

    def leave(self) -> None:
        self.depth -= 1

    # -- conditions ----------------------------------------------------------------------------------
    def parse_condition(self) -> Node:
        if self.tok.kind == EOF:
            raise self.fail("a condition")
        node = self.or_expr()
        if self.tok.kind != EOF:
            if self.is_punct(")"):
                raise self.error("this ')' closes no '('", self.tok.offset)
            raise self.fail("AND, OR or the end of the expression")
        return node

    def or_expr(self) -> Node:
        first = self.and_expr()
        if not self.is_keyword("or"):
            return first
        offset = self.tok.offset
        operands = [first]
        while self.is_keyword("or"):
            self.advance()
            operands.append(self.and_expr())
        flat: list[Node] = []
        for n in operands:
            flat.extend(n.operands if isinstance(n, Or) else (n,))
        return Or(tuple(flat), offset=offset)

    def and_expr(self) -> Node:
        first = self.not_expr()
        if not self.is_keyword("and"):
            return first
        offset = self.tok.offset
        operands = [first]
        while self.is_keyword("and"):
            self.advance()
            operands.append(self.not_expr())
        flat: list[Node] = []
        for n in operands:
            flat.extend(n.operands if isinstance(n, And) else (n,))
        return And(tuple(flat), offset=offset)

    def not_expr(self) -> Node:
        if not self.is_keyword("not"):
            return self.primary()
        tok = self.advance()
        if self.tok.kind == EOF:
            raise self.fail("a condition after NOT")
        self.enter(tok)
        operand = self.not_expr()
        self.leave()
        return Not(operand, offset=tok.offset)

    def primary(self) -> Node:
        tok = self.tok
        if self.is_punct("("):
            self.advance()
            self.enter(tok)
            if self.is_punct(")"):
                raise self.fail("a condition inside '( )'")
            node = self.or_expr()
            self.leave()
            self.expect_punct(")", "')' to close the '(' at column " + str(tok.offset + 1))
            if self.grouped.get(id(node)) is node:
                raise self.error(
                    "redundant parentheses: DynamoDB refuses '((...))'; one pair is enough", tok.offset
                )
            self.grouped[id(node)] = node
            return node
        if tok.kind == NAME and self.is_punct("(", self.peek()) and tok.text.lower() in FUNCTIONS:
            self.check_function_case(tok)
            return self.function()
        if tok.kind == EOF:
            raise self.fail("a condition")
        return self.comparison()

    def check_function_case(self, tok: Token) -> None:
        """DynamoDB's function names are case-sensitive: ``BEGINS_WITH(...)`` is a ValidationException."""
        if tok.text != tok.text.lower():
            raise self.error(
                f"function names are case-sensitive in DynamoDB: write {tok.text.lower()}(), not {tok.text}()",
                tok.offset,
            )

    def function(self) -> Node:
        name_tok = self.advance()
        name = name_tok.text.lower()
        self.advance()  # '('
        args: list[Node] = []
        what = f"{_SIGNATURES[name]}"
        if name in ("attribute_exists", "attribute_not_exists"):
            args.append(self.path_arg(name, what))
        elif name == "attribute_type":
            args.append(self.path_arg(name, what))
            self.expect_punct(",", f"',' and a type: {what}")
            args.append(self.type_arg(name))
        else:
            args.append(self.path_arg(name, what))
            self.expect_punct(",", f"',' and a second argument: {what}")
            arg_tok = self.tok
            arg = self.operand(f"a value after ',' in {name}()")
            if isinstance(arg, Size | ValueSize):
                raise self.error(
                    f"{name}() takes a path or a value as its second argument, not size()", arg_tok.offset
                )
            if name == "begins_with" and isinstance(arg, Literal) and arg.type not in ("S", "B"):
                raise self.error(
                    f"begins_with() needs a string or binary prefix, not {_describe_literal(arg)}",
                    arg_tok.offset,
                )
            args.append(arg)
        if self.is_punct(","):
            raise self.error(
                f"{name}() takes {len(args)} argument{'s' if len(args) > 1 else ''}: {what}", self.tok.offset
            )
        self.expect_punct(")", f"')' to close {name}(")
        return self.distinct(Function(name, tuple(args), offset=name_tok.offset))

    def path_arg(self, name: str, what: str) -> Path:
        tok = self.tok
        if tok.kind in (NAME, QNAME, NAMEREF) and tok.keyword is None and not self.is_punct("(", self.peek()):
            return self.path()
        if self.is_punct(")"):
            raise self.error(f"{name}() needs an attribute path: {what}", tok.offset)
        raise self.fail(f"an attribute path as the first argument of {what}")

    def type_arg(self, name: str) -> Node:
        tok = self.tok
        if tok.kind == VALUEREF:
            self.advance()
            return ValueRef(tok.text, offset=tok.offset)
        if tok.kind == STRING:
            self.advance()
            if tok.value not in ATTRIBUTE_TYPES:
                hint = (
                    f" (did you mean '{tok.value.upper()}'?)" if tok.value.upper() in ATTRIBUTE_TYPES else ""
                )
                raise self.error(
                    f"attribute_type() needs one of {', '.join(ATTRIBUTE_TYPES)}; found {tok.describe()}{hint}",
                    tok.offset,
                )
            return Literal(tok.value, offset=tok.offset)
        raise self.fail(f"a type name such as 'S' or 'N' as the second argument of {name}()")

    def comparison(self) -> Node:
        left_tok = self.tok
        left = self.operand("a condition")
        tok = self.tok
        if tok.kind == OP:
            self.advance()
            right_tok = self.tok
            right = self.operand(f"a value after '{tok.text}'")
            if tok.text in ORDERED_COMPARATORS:
                for side, side_tok in ((left, left_tok), (right, right_tok)):
                    self.check_orderable(side, side_tok, f"'{tok.text}'")
            return self.distinct(Compare(tok.text, left, right, offset=tok.offset))
        if tok.keyword == "between":
            self.advance()
            self.check_orderable(left, left_tok, "BETWEEN")
            low_tok = self.tok
            low = self.operand("a lower bound after BETWEEN")
            self.check_orderable(low, low_tok, "BETWEEN")
            if not self.is_keyword("and"):
                raise self.fail("AND between the bounds of BETWEEN")
            self.advance()
            high_tok = self.tok
            high = self.operand("an upper bound after BETWEEN ... AND")
            self.check_orderable(high, high_tok, "BETWEEN")
            if isinstance(low, Literal) and isinstance(high, Literal):
                if low.type != high.type:
                    raise self.error(
                        f"BETWEEN needs bounds of one type; found {_describe_literal(low)} and "
                        f"{_describe_literal(high)}",
                        high_tok.offset,
                    )
                if order_key(low) > order_key(high):
                    raise self.error(
                        f"BETWEEN needs the lower bound first: {to_source(low)} is greater than {to_source(high)}",
                        low_tok.offset,
                    )
            return self.distinct(Between(left, low, high, offset=tok.offset))
        if tok.keyword == "in":
            self.advance()
            open_tok = self.expect_punct("(", "'(' after IN, as in x IN ('a', 'b')")
            if self.is_punct(")"):
                raise self.error("IN needs at least one value between the parentheses", self.tok.offset)
            options = [self.operand("a value in the IN list")]
            while self.is_punct(","):
                self.advance()
                options.append(self.operand("a value after ',' in the IN list"))
            if len(options) > MAX_IN_OPTIONS:
                raise self.error(
                    f"IN takes at most {MAX_IN_OPTIONS} values; this one has {len(options)}", open_tok.offset
                )
            self.expect_punct(")", "',' or ')' in the IN list")
            return self.distinct(In(left, tuple(options), offset=tok.offset))
        shown = _clip(to_source(left))
        message = (
            f"expected a comparison (= <> < <= > >= BETWEEN IN) after {shown} but found {tok.describe()}"
        )
        if isinstance(left, Path) and (tok.kind == EOF or tok.keyword in ("and", "or") or self.is_punct(")")):
            message += f"; to test that the attribute is there, write attribute_exists({shown})"
        raise self.error(message, tok.offset)

    def distinct(self, node: Node) -> Node:
        repeated = repeated_first_operand(node)
        if repeated is not None:
            raise self.error(repeated_operand_message(node, repeated), repeated.offset)
        return node

    def check_orderable(self, node: Node, tok: Token, op: str) -> None:
        if isinstance(node, Literal) and node.type not in _ORDERABLE:
            raise self.error(
                f"{op} compares strings, numbers or binary, not {_describe_literal(node)}", tok.offset
            )

    # -- operands ------------------------------------------------------------------------------------
    def operand(self, expected: str) -> Node:
        tok = self.tok
        kind = tok.kind
        if kind == NAME:
            kw = tok.keyword
            if kw in ("true", "false", "null"):
                return self.literal()
            if kw is not None:
                raise self.error(
                    f"expected {expected} but found {tok.describe()} (an attribute named {tok.text} goes in "
                    f"backticks: `{tok.text}`)",
                    tok.offset,
                )
            if self.is_punct("(", self.peek()):
                lower = tok.text.lower()
                if lower in ("size", *FUNCTIONS):
                    self.check_function_case(tok)
                if lower == "size":
                    return self.size()
                if lower in FUNCTIONS:
                    raise self.error(
                        f"{lower}() is a condition, not a value; only size() gives a value", tok.offset
                    )
                known = ", ".join(f"{f}()" for f in (*FUNCTIONS, "size"))
                raise self.error(f"unknown function {tok.text}(); DynamoDB has {known}", tok.offset)
            return self.path()
        if kind in (QNAME, NAMEREF):
            return self.path()
        if kind == VALUEREF:
            self.advance()
            return ValueRef(tok.text, offset=tok.offset)
        if kind in (STRING, NUMBER, BINARY) or self.is_punct("[") or self.is_punct("{"):
            return self.literal()
        raise self.fail(expected)

    def size(self) -> Node:
        name_tok = self.advance()
        self.advance()  # '('
        tok = self.tok
        node: Node
        if tok.kind in (STRING, BINARY) or self.is_punct("[") or self.is_punct("{"):
            # DynamoDB takes the size of an inline value too: size('abc') = 3 (size(:v) stays refused here,
            # as tests/core/test_expr_parser.py pins, although DynamoDB Local takes it as well)
            node = ValueSize(self.literal(), offset=name_tok.offset)
        elif tok.kind == NUMBER or (tok.kind == NAME and tok.keyword in ("true", "false", "null")):
            what = _describe_literal(self.literal())
            raise self.error(
                f"size() of {what}: DynamoDB gives the size of a string, binary, list, map or set only",
                tok.offset,
            )
        else:
            node = Size(self.path_arg("size", _SIGNATURES["size"]), offset=name_tok.offset)
        if self.is_punct(","):
            raise self.error("size() takes 1 argument: size(path)", self.tok.offset)
        self.expect_punct(")", "')' to close size(")
        return node

    def literal(self) -> Literal:
        tok = self.tok
        return Literal(self.literal_value(), offset=tok.offset)

    def literal_value(self) -> Any:
        tok = self.tok
        if tok.kind in (STRING, NUMBER, BINARY):
            if tok.kind == NUMBER:
                check_number(tok.value, tok.text, tok.offset, self.text)
            self.advance()
            return tok.value
        kw = tok.keyword
        if kw in ("true", "false", "null"):
            self.advance()
            return {"true": True, "false": False, "null": None}[kw]
        if self.is_punct("["):
            self.advance()
            self.enter(tok)
            items: list[Any] = []
            if not self.is_punct("]"):
                items.append(self.literal_value())
                while self.is_punct(","):
                    self.advance()
                    items.append(self.literal_value())
            self.expect_punct("]", "',' or ']' in the list")
            self.leave()
            return items
        if self.is_punct("{"):
            self.advance()
            self.enter(tok)
            entries: dict[str, Any] = {}
            if not self.is_punct("}"):
                self.map_entry(entries)
                while self.is_punct(","):
                    self.advance()
                    self.map_entry(entries)
            self.expect_punct("}", "',' or '}' in the map")
            self.leave()
            return entries
        if tok.kind in (VALUEREF, NAME, QNAME, NAMEREF) and tok.keyword is None:
            raise self.error(
                'lists and maps hold literal values only (strings, numbers, true, false, null, b64"...", '
                f"lists, maps); found {tok.describe()}",
                tok.offset,
            )
        raise self.fail("a value")

    def map_entry(self, entries: dict[str, Any]) -> None:
        key_tok = self.tok
        if key_tok.kind != STRING:
            raise self.fail('a quoted key in the map, as in {"key": 1}')
        if not key_tok.value:
            raise self.error("a map key cannot be empty", key_tok.offset)
        if key_tok.value in entries:
            raise self.error(f"the key {key_tok.text} appears twice in this map", key_tok.offset)
        self.advance()
        self.expect_punct(":", f"':' after the key {key_tok.describe()}")
        entries[key_tok.value] = self.literal_value()

    def path(self) -> Path:
        first = self.advance()
        elements: list[str | int | NameRef] = [self.path_name(first)]
        while True:
            if self.is_punct("."):
                self.advance()
                tok = self.tok
                if tok.kind not in (NAME, QNAME, NAMEREF):
                    raise self.fail("an attribute name after '.'")
                self.advance()
                elements.append(self.path_name(tok))
            elif self.is_punct("["):
                self.advance()
                tok = self.tok
                if tok.kind != NUMBER or any(c not in DIGITS for c in tok.text):
                    raise self.fail("a list index (a whole number from 0) after '['")
                if len(tok.text.lstrip("0")) > 10 or int(tok.text) > MAX_LIST_INDEX:
                    raise self.error(
                        f"list index {tok.text} is too large (at most {MAX_LIST_INDEX})", tok.offset
                    )
                self.advance()
                elements.append(int(tok.text))
                self.expect_punct("]", "']' after the list index")
            else:
                break
            if len(elements) > MAX_PATH_LEVELS:
                raise self.error(
                    f"a document path can have at most {MAX_PATH_LEVELS} levels",
                    self.tokens[self.i - 1].offset,
                )
        return Path(tuple(elements), offset=first.offset)

    @staticmethod
    def path_name(tok: Token) -> str | NameRef:
        if tok.kind == NAMEREF:
            return NameRef(tok.text, offset=tok.offset)
        return str(tok.value)

    # -- projections ---------------------------------------------------------------------------------
    def parse_projection(self) -> list[Path]:
        paths: list[Path] = []
        while True:
            tok = self.tok
            if tok.kind not in (NAME, QNAME, NAMEREF) or tok.keyword is not None:
                raise self.fail("an attribute path" if not paths else "an attribute path after ','")
            path = self.path()
            for earlier in paths:
                if overlaps(earlier, path):
                    raise self.error(
                        f"{to_source(path)} overlaps {to_source(earlier)} in the projection; DynamoDB "
                        "rejects paths that repeat or contain each other",
                        path.offset,
                    )
            paths.append(path)
            if self.tok.kind == EOF:
                return paths
            self.expect_punct(",", "',' or the end of the projection")


def repeated_first_operand(node: Node, same: Callable[[Path, Path], bool] | None = None) -> Path | None:
    """The operand repeating ``node``'s first operand when that one is a path, which DynamoDB refuses
    (``a = a``, ``a IN (b, a)``, ``contains(a, a)``); None otherwise. ``same(p, q)`` compares two paths.
    """
    if isinstance(node, Compare):
        first, rest = node.left, (node.right,)
    elif isinstance(node, Between):
        first, rest = node.operand, (node.low, node.high)
    elif isinstance(node, In):
        first, rest = node.operand, node.options
    elif isinstance(node, Function) and len(node.args) == 2 and node.name != "attribute_type":
        first, rest = node.args[0], node.args[1:]
    else:
        return None
    if not isinstance(first, Path):
        return None
    for other in rest:
        if isinstance(other, Path) and (same(first, other) if same else first == other):
            return other
    return None


def repeated_operand_message(node: Node, repeated: Path) -> str:
    """The error message for a condition whose first operand comes back (see ``repeated_first_operand``)."""
    return (
        f"`{_clip(to_source(node))}` uses {_clip(to_source(repeated))} twice; DynamoDB refuses a condition whose "
        "first operand appears again"
    )


def overlaps(a: Path, b: Path) -> bool:
    """True when one path equals or contains the other (``a`` and ``a.b``)."""
    n = min(len(a.elements), len(b.elements))
    return a.elements[:n] == b.elements[:n]


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _describe_literal(lit: Literal) -> str:
    return f"{_TYPE_WORDS[lit.type]} ({_clip(to_source(lit))})"


def _not_empty(text: str) -> None:
    # DynamoDB: "The expression can not be empty". An empty shell variable must not drop a filter silently.
    if not text.strip():
        raise ExprError(
            "the expression is empty; DynamoDB refuses an empty expression (leave the option out)", 1, text
        )


def parse_condition(text: str) -> Node:
    """Parse a condition (filter, key or write condition). Raises ExprError with a 1-based column."""
    _not_empty(text)
    return _Parser(text).parse_condition()


def parse_projection(text: str) -> list[Path]:
    """Parse a comma-separated list of paths, e.g. ``"a, b.c, d[0]"``. Raises ExprError."""
    _not_empty(text)
    return _Parser(text).parse_projection()


def parse_operand(text: str) -> Node:
    """Parse a single operand (a path, a value, a placeholder or size(path)). Raises ExprError."""
    p = _Parser(text)
    node = p.operand("a value or an attribute path")
    if p.tok.kind != EOF:
        raise p.fail("the end of the value")
    return node


__all__ = [
    "COMPARATORS",
    "order_key",
    "overlaps",
    "repeated_first_operand",
    "parse_condition",
    "parse_operand",
    "parse_projection",
]
