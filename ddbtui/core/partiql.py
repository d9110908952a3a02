"""The simple PartiQL SELECT, both ways: read ``SELECT … FROM "T"[."I"] [WHERE …] [ORDER BY k [ASC|DESC]]``
into ddbtui's trees, and write a SELECT from them.

Reading is what the advisor needs to tell whether a statement scans the whole table; the WHERE clause is
rewritten token by token into ddbtui's expression language (``"name"`` → a backticked name, ``'it''s'``
→ a string, ``IN [a, b]`` → ``IN (a, b)``, ``x IS [NOT] MISSING`` → ``attribute_[not_]exists(x)``) and
parsed with ``parse_condition``. Anything outside that form raises ``PartiQLUnsupported`` with the reason,
so callers can say that they cannot tell.

Writing produces a statement only when it means exactly what the expression means. Checked on DynamoDB
Local: ``<>`` and NOT treat a missing attribute as DynamoDB expressions do, NULL/list/map literals and
``size``/``attribute_type``/``contains``/``begins_with``/IN agree. Binary literals have no PartiQL form, and a
nested projection path (``a.b``) comes back flattened (``{"b": …}``), so those give None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import (
    Function,
    In,
    Literal,
    NameRef,
    Node,
    Path,
    ValueRef,
    and_,
    literal_type,
    parse_condition,
    to_source,
)
from ddbtui.core.expr.printer import Emitter, quote


class PartiQLUnsupported(ValueError):
    """The statement is not the simple SELECT form ddbtui reads; the message says what was not understood."""


@dataclass(frozen=True)
class Select:
    """A parsed ``SELECT``: where it reads, what it returns, and its WHERE clause as a ddbtui tree."""

    table: str
    index: str | None = None
    projection: tuple[Path, ...] | None = None  # None: SELECT *
    where: Node | None = None
    order_by: str | None = None
    descending: bool = False

    @property
    def projection_source(self) -> str | None:
        """The projection in ddbtui's language (for ``--project``), or None for ``*``."""
        if self.projection is None:
            return None
        return to_source(list(self.projection))


# ---------------------------------------------------------------------------------------------- reading

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<qname>"(?:[^"]|"")*")
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<op><>|!=|<=|>=|=|<|>)
  | (?P<punct>[(),.\[\]{}:*;?])
    """,
    re.VERBOSE,
)
_KEYWORDS = {
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "between",
    "in",
    "is",
    "missing",
    "null",
    "true",
    "false",
    "order",
    "by",
    "asc",
    "desc",
}
_FUNCTIONS = {"begins_with", "contains", "attribute_type", "size"}


@dataclass
class _Tok:
    kind: str
    text: str
    pos: int

    @property
    def word(self) -> str | None:
        return self.text.lower() if self.kind == "name" else None


def _tokens(statement: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(statement):
        m = _TOKEN.match(statement, pos)
        if m is None:
            raise PartiQLUnsupported(f"unexpected character {statement[pos]!r} at column {pos + 1}")
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    return out


def _unquote(tok: _Tok) -> str:
    body = tok.text[1:-1]
    return body.replace('""', '"') if tok.kind == "qname" else body.replace("''", "'")


def _ident(tok: _Tok) -> str:
    if tok.kind == "qname":
        return _unquote(tok)
    if tok.kind == "name" and tok.word not in _KEYWORDS:
        return tok.text
    raise PartiQLUnsupported(f"expected a name at column {tok.pos + 1}, found {tok.text!r}")


class _Reader:
    def __init__(self, statement: str) -> None:
        self.toks = _tokens(statement)
        self.i = 0

    def peek(self, ahead: int = 0) -> _Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise PartiQLUnsupported("the statement ends too early")
        self.i += 1
        return tok

    def is_word(self, word: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok is not None and tok.word == word

    def expect_word(self, word: str) -> None:
        tok = self.take()
        if tok.word != word:
            raise PartiQLUnsupported(f"expected {word.upper()} at column {tok.pos + 1}, found {tok.text!r}")

    def path(self) -> Path:
        elements: list[str | int] = [_ident(self.take())]
        while (tok := self.peek()) is not None and tok.text in (".", "["):
            self.take()
            if tok.text == ".":
                elements.append(_ident(self.take()))
            else:
                index = self.take()
                if index.kind != "number" or not index.text.isdigit():
                    raise PartiQLUnsupported(f"expected a list index at column {index.pos + 1}")
                elements.append(int(index.text))
                if self.take().text != "]":
                    raise PartiQLUnsupported("expected ] after a list index")
        return Path(tuple(elements))


def parse_select(statement: str) -> Select:
    """Read a simple PartiQL SELECT; raise ``PartiQLUnsupported`` saying why for anything else.

    Supported: ``SELECT * | path, … FROM "Table"[."Index"] [WHERE condition] [ORDER BY key [ASC|DESC]]``
    with string, number, boolean, NULL, list and map literals, comparisons, BETWEEN, IN, AND/OR/NOT,
    ``begins_with``, ``contains``, ``attribute_type``, ``size`` and ``IS [NOT] MISSING``. Parameters
    (``?``), subqueries and other functions are not.
    """
    r = _Reader(statement.strip().rstrip(";"))
    r.expect_word("select")
    projection: tuple[Path, ...] | None
    if (tok := r.peek()) is not None and tok.text == "*":
        r.take()
        projection = None
    else:
        paths = [r.path()]
        while (tok := r.peek()) is not None and tok.text == ",":
            r.take()
            paths.append(r.path())
        projection = tuple(paths)
    r.expect_word("from")
    table = _ident(r.take())
    index = None
    if (tok := r.peek()) is not None and tok.text == ".":
        r.take()
        index = _ident(r.take())
    where = None
    if r.is_word("where"):
        r.take()
        start = r.i
        while r.peek() is not None and not (r.is_word("order") and r.is_word("by", 1)):
            r.take()
        where = _where(r.toks[start : r.i])
    order_by, descending = None, False
    if r.is_word("order"):
        r.take()
        r.expect_word("by")
        order_by = _ident(r.take())
        if r.is_word("asc") or r.is_word("desc"):
            descending = r.take().word == "desc"
    if (tok := r.peek()) is not None:
        raise PartiQLUnsupported(f"unexpected {tok.text!r} at column {tok.pos + 1}")
    return Select(table, index, projection, where, order_by, descending)


def _where(toks: list[_Tok]) -> Node:
    """Rewrite WHERE tokens into ddbtui's expression language and parse that."""
    if not toks:
        raise PartiQLUnsupported("WHERE has no condition")
    out: list[str] = []
    path_start: list[int] = []  # index in `out` where the path just written began
    brackets: list[tuple[str, str]] = []  # (closer expected, closer written) per open bracket
    i = 0
    while i < len(toks):
        tok = toks[i]
        prev = toks[i - 1] if i else None
        word = tok.word
        if tok.kind == "punct" and tok.text == "?":
            raise PartiQLUnsupported("the statement uses ? parameters; ddbtui cannot see their values")
        if tok.kind == "qname" or (tok.kind == "name" and word not in _KEYWORDS and word not in _FUNCTIONS):
            name = _unquote(tok) if tok.kind == "qname" else tok.text
            if not (prev is not None and prev.text == "."):
                path_start.append(len(out))
            out.append(quote(name, "`"))
        elif tok.kind == "name" and word in _FUNCTIONS:
            out.append(word)
        elif word == "is":
            negate = i + 1 < len(toks) and toks[i + 1].word == "not"
            what = toks[i + 2 if negate else i + 1] if i + (2 if negate else 1) < len(toks) else None
            if what is None or what.word != "missing":
                raise PartiQLUnsupported(
                    "only IS [NOT] MISSING is understood (IS NULL differs from DynamoDB's)"
                )
            if not path_start:
                raise PartiQLUnsupported(f"IS MISSING needs an attribute before it (column {tok.pos + 1})")
            start = path_start.pop()
            path = "".join(out[start:])
            del out[start:]
            out.append(f"{'attribute_exists' if negate else 'attribute_not_exists'}({path})")
            i += 3 if negate else 2
            continue
        elif word in ("null", "true", "false"):
            out.append(word)
        elif word is not None and word in _KEYWORDS:
            if word in ("select", "from", "order", "by", "asc", "desc", "missing", "where"):
                raise PartiQLUnsupported(f"unexpected {tok.text} at column {tok.pos + 1}")
            out.append(f" {word.upper()} ")
        elif tok.kind == "name":
            raise PartiQLUnsupported(f"function or keyword {tok.text!r} is not understood")
        elif tok.kind == "string":
            out.append(quote(_unquote(tok)))
        elif tok.kind == "op":
            out.append(" <> " if tok.text == "!=" else f" {tok.text} ")
        elif tok.text in ("[", "(", "{"):
            if tok.text == "[" and prev is not None and prev.word == "in":
                brackets.append(("]", ")"))  # IN [a, b] is IN (a, b)
                out.append("(")
            else:
                brackets.append(({"[": "]", "(": ")", "{": "}"}[tok.text],) * 2)
                out.append(tok.text)
        elif tok.text in ("]", ")", "}"):
            if not brackets or brackets[-1][0] != tok.text:
                raise PartiQLUnsupported(f"unbalanced {tok.text!r} at column {tok.pos + 1}")
            out.append(brackets.pop()[1])
        elif tok.text == ",":
            out.append(", ")
        elif tok.text in (".", ":"):
            out.append(tok.text if tok.text == "." else ": ")
        elif tok.kind == "number":
            out.append(tok.text)
        else:
            raise PartiQLUnsupported(f"unexpected {tok.text!r} at column {tok.pos + 1}")
        i += 1
    text = "".join(out).strip()
    try:
        return parse_condition(text)
    except ExprError as e:
        raise PartiQLUnsupported(f"the WHERE clause is not understood ({e.message})") from None


# ---------------------------------------------------------------------------------------------- writing


class _Untranslatable(Exception):
    pass


def partiql_name(name: str) -> str:
    """An identifier in double quotes, as PartiQL wants reserved and unusual names."""
    return '"' + name.replace('"', '""') + '"'


def partiql_literal(value: Any) -> str:
    """A plain value as a PartiQL literal; binary has none (raises ``_Untranslatable``)."""
    kind = literal_type(value)
    if kind == "S":
        return "'" + value.replace("'", "''") + "'"
    if kind == "N":
        return str(value) if isinstance(value, Decimal | int) else str(Decimal(repr(value)))
    if kind == "BOOL":
        return "true" if value else "false"
    if kind == "NULL":
        return "NULL"
    if kind == "L":
        return "[" + ", ".join(partiql_literal(v) for v in value) + "]"
    if kind == "M":
        return "{" + ", ".join(f"{partiql_literal(k)}: {partiql_literal(v)}" for k, v in value.items()) + "}"
    raise _Untranslatable("binary values have no PartiQL literal")


class _PartiQLEmitter(Emitter):
    def name(self, name: str, path: Path) -> str:
        return partiql_name(name)

    def name_ref(self, ref: NameRef) -> str:
        raise _Untranslatable(f"{ref.name} is a placeholder")

    def value_ref(self, ref: ValueRef) -> str:
        raise _Untranslatable(f"{ref.name} is a placeholder")

    def literal(self, lit: Literal) -> str:
        return partiql_literal(lit.value)

    def condition(self, node: Node, min_prec: int = 0) -> str:
        if isinstance(node, Function) and node.name in ("attribute_exists", "attribute_not_exists"):
            (path,) = node.args
            what = "IS NOT MISSING" if node.name == "attribute_exists" else "IS MISSING"
            # parenthesised: NOT binds looser than IS in SQL, and the atom must stay one unit
            return f"({self.operand(path)} {what})"
        if isinstance(node, In):
            return f"{self.operand(node.operand)} IN [{', '.join(self.operand(o) for o in node.options)}]"
        return super().condition(node, min_prec)


def to_partiql(
    table: str,
    index: str | None = None,
    where: list[Node] | Node | None = None,
    projection: list[Path] | tuple[Path, ...] | None = None,
    order_by: str | None = None,
    descending: bool = False,
) -> str | None:
    """``SELECT … FROM "T"."I" WHERE …`` with inline literals, or None when no statement means exactly
    the same (a binary literal, a placeholder left unresolved, a nested projection path)."""
    emitter = _PartiQLEmitter()
    try:
        if projection:
            if any(len(p.elements) != 1 or not isinstance(p.elements[0], str) for p in projection):
                return None  # PartiQL returns nested paths flattened: {"b": …} where ProjectionExpression gives {"a": {"b": …}}
            select = ", ".join(emitter.path(p) for p in projection)
        else:
            select = "*"
        source = partiql_name(table) + (f".{partiql_name(index)}" if index else "")
        text = f"SELECT {select} FROM {source}"
        nodes = where if isinstance(where, list) else [where] if where is not None else []
        if nodes:
            text += " WHERE " + emitter.condition(and_(*nodes))
        if order_by and descending:
            text += f" ORDER BY {partiql_name(order_by)} DESC"
        return text
    except _Untranslatable:
        return None


# --- ? parameters ---------------------------------------------------------------------------------------

_AV_TAGS = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}


def placeholder_count(statement: str) -> int:
    """How many ``?`` parameters the statement has (not counting any inside '…' strings or "…" names)."""
    count, quote_char, i = 0, None, 0
    while i < len(statement):
        c = statement[i]
        if quote_char is not None:
            if c == quote_char:
                if statement[i + 1 : i + 2] == quote_char:  # '' or "" inside: the quote itself
                    i += 1
                else:
                    quote_char = None
        elif c in "'\"":
            quote_char = c
        elif c == "?":
            count += 1
        i += 1
    return count


def _is_typed(value: Any) -> bool:
    if not (isinstance(value, dict) and len(value) == 1):
        return False
    ((tag, v),) = value.items()
    if tag not in _AV_TAGS:
        return False
    shapes = {"S": str, "N": str, "B": str, "BOOL": bool, "NULL": bool, "M": dict, "L": list}
    if tag in shapes:
        return isinstance(v, shapes[tag])
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def parse_parameters(text: str, what: str = "--params") -> tuple[dict[str, Any], ...]:
    """The AttributeValues of ``--params``: a JSON array of plain values (``["a", 5, null]``) or, when every
    element is a typed AttributeValue (``[{"S": "a"}, {"N": "5"}]``), DynamoDB JSON as the AWS CLI takes it.
    Numbers stay exact; a bad array is refused with the reason (UsageError)."""
    from ddbtui.core.errors import UsageError
    from ddbtui.core.values import ddb_json_to_av, parse_plain_json, to_av

    values = parse_plain_json(text, what)  # DynamoDB JSON carries its numbers as strings: parsed as written
    if not isinstance(values, list):
        raise UsageError(f"{what} must be a JSON array, e.g. '[\"a\", 5]'")
    if values and all(_is_typed(v) for v in values):
        try:
            return tuple(_exact_numbers(ddb_json_to_av(v)) for v in values)
        except (ValueError, TypeError, AttributeError):  # e.g. {"L": [5]}: an element not typed
            raise UsageError(f"bad {what}: not DynamoDB JSON inside a typed value") from None
    return tuple(to_av(v) for v in values)


def _exact_numbers(av: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB JSON carries numbers as text: each must be a number DynamoDB stores (sent as written)."""
    from ddbtui.core.values import number_text

    ((tag, v),) = av.items()
    if tag == "N":
        number_text(v)
    elif tag == "NS":
        for x in v:
            number_text(x)
    elif tag == "M":
        return {"M": {k: _exact_numbers(x) for k, x in v.items()}}
    elif tag == "L":
        return {"L": [_exact_numbers(x) for x in v]}
    return av


def parameters_text(parameters: Sequence[dict[str, Any]]) -> str:
    """``--params`` text for AttributeValues: DynamoDB JSON (keeps sets and binary), read back by
    ``parse_parameters`` to the same values."""
    import json

    from ddbtui.core.values import av_to_ddb_json

    return json.dumps([av_to_ddb_json(p) for p in parameters], ensure_ascii=False, separators=(",", ":"))
