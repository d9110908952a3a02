"""Writing a tree back as text: canonical source with inline literals, or (through the compiler) DynamoDB's
own expression text. Both put parentheses only where precedence needs them, because DynamoDB rejects
redundant ones such as ``((a = :v))``.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from typing import Any

from ddbtui.core.expr.ast import (
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
    literal_type,
)
from ddbtui.core.expr.lexer import KEYWORDS

_PREC_OR, _PREC_AND, _PREC_NOT, _PREC_ATOM = 1, 2, 3, 4
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\\": "\\\\"}


def _needs_u_escape(ch: str) -> bool:
    # Control, line-separator, bidi and BOM characters would garble a terminal or hide text: keep them visible.
    o = ord(ch)
    return (
        o < 0x20
        or 0x7F <= o <= 0x9F
        or o in (0x2028, 0x2029, 0xFEFF, 0x061C, 0x200E, 0x200F)
        or 0x202A <= o <= 0x202E
        or 0x2066 <= o <= 0x2069
        or 0xD800 <= o <= 0xDFFF
    )


def quote(text: str, quote_char: str = "'") -> str:
    """``text`` as a quoted literal the lexer reads back to the same string."""
    out = [quote_char]
    for ch in text:
        if ch == quote_char:
            out.append("\\" + ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif _needs_u_escape(ch):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append(quote_char)
    return "".join(out)


def name_source(name: str) -> str:
    """An attribute name as source: bare when it is a plain identifier and no keyword, else in backticks."""
    if _BARE_NAME.fullmatch(name) and name.lower() not in KEYWORDS:
        return name
    return quote(name, "`")


def number_source(value: Any) -> str:
    """A number as source text, exactly (``Decimal('1.50')`` stays ``1.50``)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value)


def literal_source(value: Any) -> str:
    """A plain Python value (str, Decimal, bool, None, bytes, list, dict) as inline-literal source."""
    kind = literal_type(value)
    if kind == "S":
        return quote(value)
    if kind == "N":
        return number_source(value)
    if kind == "BOOL":
        return "true" if value else "false"
    if kind == "NULL":
        return "null"
    if kind == "B":
        return 'b64"' + base64.b64encode(bytes(value)).decode("ascii") + '"'
    if kind == "L":
        return "[" + ", ".join(literal_source(v) for v in value) + "]"
    return "{" + ", ".join(f"{quote(k, chr(34))}: {literal_source(v)}" for k, v in value.items()) + "}"


class Emitter:
    """Turns a tree into text; subclasses decide how names, placeholders and literals are written."""

    def name(self, name: str, path: Path) -> str:
        """How an attribute name inside ``path`` is written."""
        return name_source(name)

    def name_ref(self, ref: NameRef) -> str:
        """How a user ``#name`` is written."""
        return ref.name

    def value_ref(self, ref: ValueRef) -> str:
        """How a user ``:value`` is written."""
        return ref.name

    def literal(self, lit: Literal) -> str:
        """How an inline value is written."""
        return literal_source(lit.value)

    def path(self, path: Path) -> str:
        """A document path: ``a.b[0]``."""
        parts: list[str] = []
        for i, element in enumerate(path.elements):
            if isinstance(element, int):
                parts.append(f"[{element}]")
                continue
            text = self.name_ref(element) if isinstance(element, NameRef) else self.name(element, path)
            parts.append(text if i == 0 else "." + text)
        return "".join(parts)

    def operand(self, node: Node) -> str:
        """A path, value, placeholder or size()."""
        if isinstance(node, Path):
            return self.path(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, ValueRef):
            return self.value_ref(node)
        if isinstance(node, NameRef):
            return self.name_ref(node)
        if isinstance(node, Size):
            return f"size({self.path(node.path)})"
        if isinstance(node, ValueSize):
            return f"size({self.operand(node.value)})"
        # A condition where an operand belongs can only come from a hand-built tree; keep it readable.
        return "(" + self.condition(node) + ")"

    def condition(self, node: Node, min_prec: int = 0) -> str:
        """A condition, in parentheses only when its precedence is below ``min_prec``."""
        if isinstance(node, Or):
            text = " OR ".join(self.condition(c, _PREC_AND) for c in _flatten(node, Or))
            prec = _PREC_OR
        elif isinstance(node, And):
            text = " AND ".join(self.condition(c, _PREC_NOT) for c in _flatten(node, And))
            prec = _PREC_AND
        elif isinstance(node, Not):
            text = "NOT " + self.condition(node.operand, _PREC_NOT)
            prec = _PREC_NOT
        elif isinstance(node, Compare):
            text = f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
            prec = _PREC_ATOM
        elif isinstance(node, Between):
            text = (
                f"{self.operand(node.operand)} BETWEEN {self.operand(node.low)} AND {self.operand(node.high)}"
            )
            prec = _PREC_ATOM
        elif isinstance(node, In):
            text = f"{self.operand(node.operand)} IN ({', '.join(self.operand(o) for o in node.options)})"
            prec = _PREC_ATOM
        elif isinstance(node, Function):
            text = f"{node.name}({', '.join(self.operand(a) for a in node.args)})"
            prec = _PREC_ATOM
        else:
            return self.operand(node)
        return f"({text})" if prec < min_prec else text


def _flatten(node: Node, kind: type[And] | type[Or]) -> list[Node]:
    out: list[Node] = []
    for child in node.operands:  # type: ignore[attr-defined]
        out.extend(_flatten(child, kind) if isinstance(child, kind) else (child,))
    return out


def to_source(node: Node | list[Path]) -> str:
    """Canonical source text of a condition, an operand, or a projection (a list of paths).

    Literals are written inline, so ``parse_condition(to_source(n)) == n`` for any tree the parser builds.
    """
    emitter = Emitter()
    if isinstance(node, list):
        return ", ".join(emitter.path(p) for p in node)
    return emitter.condition(node)
