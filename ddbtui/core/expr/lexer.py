"""Tokens of the expression language: DynamoDB's condition grammar plus inline literals.

Only ASCII counts as a letter or a digit here (``str.isdigit`` would accept '²'); names with any other
character are written in backticks.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.numbers import MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT  # noqa: F401 - importable from here as before
from ddbtui.core.numbers import number_problem as _number_problem

LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
DIGITS = frozenset("0123456789")
NAME_START = LETTERS | {"_"}
NAME_CHARS = NAME_START | DIGITS
# DynamoDB's own rule for the part after '#' or ':' in a placeholder.
PLACEHOLDER_CHARS = NAME_CHARS

# Token kinds. Keywords arrive as NAME: whether `in` is a keyword depends on where it stands.
NAME = "name"
QNAME = "quoted name"
NAMEREF = "#name"
VALUEREF = ":value"
STRING = "string"
NUMBER = "number"
BINARY = "binary"
OP = "operator"
PUNCT = "punctuation"
EOF = "end"

KEYWORDS = frozenset({"and", "or", "not", "between", "in", "true", "false", "null"})

_ESCAPES = {
    "'": "'",
    '"': '"',
    "`": "`",
    "\\": "\\",
    "/": "/",
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
}
_HINTS = {
    "==": "'==' is not an operator; DynamoDB writes equality as '='",
    "!=": "'!=' is not an operator; DynamoDB writes not-equal as '<>'",
    "&&": "'&&' is not an operator; write AND",
    "||": "'||' is not an operator; write OR",
    "!": "'!' is not an operator; write NOT",
}


@dataclass(frozen=True)
class Token:
    """One token: ``value`` is the decoded string, the Decimal, the bytes, or the placeholder text."""

    kind: str
    text: str
    value: Any
    offset: int

    @property
    def keyword(self) -> str | None:
        """The lower-case keyword this NAME token spells, if any (keywords are ASCII only)."""
        if self.kind == NAME and self.text.lower() in KEYWORDS:
            return self.text.lower()
        return None

    def describe(self) -> str:
        """How an error message names this token."""
        if self.kind == EOF:
            return "end of input"
        if self.kind == STRING:
            shown = self.text if len(self.text) <= 24 else self.text[:20] + "…" + self.text[-1]
            return f"string {shown}"
        if self.kind == NUMBER:
            return f"number {self.text if len(self.text) <= 24 else self.text[:20] + '…'}"
        shown = self.text if len(self.text) <= 24 else self.text[:20] + "…"
        return f"'{shown}'"


def number_problem(value: Decimal) -> str | None:
    """Why DynamoDB cannot store ``value`` (``ddbtui.core.numbers``), in words, or None."""
    problem = _number_problem(value)
    return None if problem is None else str(problem)


def check_number(value: Decimal, text: str, offset: int, source: str | None) -> None:
    """Raise ExprError at ``offset`` unless DynamoDB can store ``value``."""
    problem = number_problem(value)
    if problem:
        raise ExprError(f"number {_short(text)} {problem}", offset + 1, source)


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "…"


class _Lexer:
    def __init__(self, text: str, update: bool = False) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []
        self.brace_depth = 0
        self.update = update

    def error(self, message: str, offset: int) -> ExprError:
        return ExprError(message, offset + 1, self.text)

    def run(self) -> list[Token]:
        text = self.text
        n = len(text)
        while True:
            while self.pos < n and text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos >= n:
                self.tokens.append(Token(EOF, "", None, n))
                return self.tokens
            self.tokens.append(self.next_token())

    def next_token(self) -> Token:
        text, start = self.text, self.pos
        ch = text[start]
        nxt = text[start + 1] if start + 1 < len(text) else ""
        if ch in NAME_START or (not ch.isascii() and ch.isalpha()):
            return self.name()
        if self.update and (token := self.update_token(ch, nxt)) is not None:
            return token
        if ch in DIGITS or (ch == "-" and nxt in DIGITS):
            return self.number()
        if ch in "'\"":
            value, end = self.quoted(start, ch)
            self.pos = end
            return Token(STRING, text[start:end], value, start)
        if ch == "`":
            value, end = self.quoted(start, "`")
            if not value:
                raise self.error("an attribute name cannot be empty", start)
            self.pos = end
            return Token(QNAME, text[start:end], value, start)
        if ch == "#":
            return self.placeholder(NAMEREF, "#name placeholder")
        if ch == ":" and nxt in PLACEHOLDER_CHARS and not self.map_colon():
            return self.placeholder(VALUEREF, ":value placeholder")
        two = text[start : start + 2]
        if two in _HINTS:
            raise self.error(_HINTS[two], start)
        if two in ("<=", ">=", "<>"):
            self.pos += 2
            return Token(OP, two, two, start)
        if ch in "=<>":
            self.pos += 1
            return Token(OP, ch, ch, start)
        if ch == "." and nxt in DIGITS and not self.after_path():
            raise self.error(
                f"write numbers with a digit before the point: 0{text[start : start + 4]}", start
            )
        if ch in "()[]{},.:":
            self.brace_depth += {"{": 1, "}": -1}.get(ch, 0)
            self.pos += 1
            return Token(PUNCT, ch, ch, start)
        if ch in _HINTS:
            raise self.error(_HINTS[ch], start)
        raise self.error(f"unexpected character {ch!r}", start)

    def update_token(self, ch: str, nxt: str) -> Token | None:
        # Update expressions add `a + 1`, `a - 1` and `<<'x', 'y'>>` sets. A '-' right after an operand is
        # the operator (`a -1` is a minus 1), elsewhere it signs a number (`SET a = -1`).
        start = self.pos
        if ch == "+" or (ch == "-" and (nxt not in DIGITS or self.after_operand())):
            self.pos += 1
            return Token(OP, ch, ch, start)
        if ch + nxt in ("<<", ">>"):
            self.pos += 2
            return Token(PUNCT, ch + nxt, ch + nxt, start)
        return None

    def after_operand(self) -> bool:
        last = self.tokens[-1] if self.tokens else None
        if last is None:
            return False
        if last.kind in (QNAME, NAMEREF, VALUEREF, STRING, NUMBER, BINARY):
            return True
        return (last.kind == NAME and last.keyword is None) or last.text in (")", "]", "}", ">>")

    def map_colon(self) -> bool:
        # `{"k":1}` must lex as key, colon, value rather than a `:1` placeholder.
        return self.brace_depth > 0 and bool(self.tokens) and self.tokens[-1].kind == STRING

    def after_path(self) -> bool:
        last = self.tokens[-1] if self.tokens else None
        return last is not None and (last.kind in (NAME, QNAME, NAMEREF) or last.text == "]")

    def name(self) -> Token:
        text, start = self.text, self.pos
        end = start
        while end < len(text) and (
            text[end] in NAME_CHARS or (not text[end].isascii() and text[end].isalnum())
        ):
            end += 1
        word = text[start:end]
        if not word.isascii():
            raise self.error(
                f"the name {word!r} has characters other than A-Z a-z 0-9 _; write it in backticks: `{word}`",
                start,
            )
        if word.lower() == "b64" and end < len(text) and text[end] in "'\"":
            raw, stop = self.quoted(end, text[end])
            try:
                value = base64.b64decode(raw.encode("ascii"), validate=True)
            except (binascii.Error, ValueError, UnicodeEncodeError):
                raise self.error(
                    'b64"..." needs standard base64 (A-Z a-z 0-9 + / and = padding)', start
                ) from None
            self.pos = stop
            return Token(BINARY, text[start:stop], value, start)
        self.pos = end
        return Token(NAME, word, word, start)

    def number(self) -> Token:
        text, start = self.text, self.pos
        i = start + 1 if text[start] == "-" else start
        n = len(text)

        def digits(i: int) -> int:
            while i < n and text[i] in DIGITS:
                i += 1
            return i

        i = digits(i)
        if i + 1 < n and text[i] == "." and text[i + 1] in DIGITS:
            i = digits(i + 1)
        if i < n and text[i] in "eE":
            j = i + 1
            if j < n and text[j] in "+-":
                j += 1
            if j < n and text[j] in DIGITS:
                i = digits(j)
            else:
                raise self.error(
                    f"malformed number {_short(text[start : j + 1])!r}: the exponent needs digits", start
                )
        if i < n and (text[i] in NAME_CHARS or text[i] == "."):
            end = i
            while end < n and (text[end] in NAME_CHARS or text[end] == "."):
                end += 1
            raise self.error(f"malformed number {_short(text[start:end])!r}", start)
        word = text[start:i]
        # Range and precision are checked by the parser, which knows a list index from a value.
        try:
            value = Decimal(word)
        except InvalidOperation:  # an exponent beyond what Decimal can hold
            raise self.error(f"number {_short(word)} is out of DynamoDB's range", start) from None
        self.pos = i
        return Token(NUMBER, word, value, start)

    def placeholder(self, kind: str, what: str) -> Token:
        text, start = self.text, self.pos
        end = start + 1
        while end < len(text) and text[end] in PLACEHOLDER_CHARS:
            end += 1
        if end == start + 1:
            raise self.error(f"a {what} needs letters, digits or _ after {text[start]!r}", start)
        self.pos = end
        word = text[start:end]
        return Token(kind, word, word, start)

    def quoted(self, start: int, quote: str) -> tuple[str, int]:
        """Decode the quoted text opening at ``start``; return it and the offset after the closing quote."""
        text = self.text
        out: list[str] = []
        i = start + 1
        n = len(text)
        what = "name" if quote == "`" else "string"
        while True:
            if i >= n:
                raise self.error(f"unterminated {what}: no closing {quote} for the one here", start)
            ch = text[i]
            if ch == quote:
                return "".join(out), i + 1
            if "\ud800" <= ch <= "\udfff":
                # What Python makes of bytes that are not UTF-8 (surrogateescape); DynamoDB needs valid text.
                raise self.error(f"{ch!r} is not valid text: is the input UTF-8?", i)
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            esc = text[i + 1] if i + 1 < n else ""
            if esc in _ESCAPES:
                out.append(_ESCAPES[esc])
                i += 2
            elif esc == "u":
                code, i = self.unicode_escape(i)
                out.append(code)
            elif not esc:
                raise self.error(f"unterminated {what}: no closing {quote} for the one here", start)
            else:
                raise self.error(
                    f"unknown escape \\{esc} in a {what} (known: \\' \\\" \\` \\\\ \\n \\t \\r \\b \\f \\/ \\uXXXX)",
                    i,
                )

    def unicode_escape(self, i: int) -> tuple[str, int]:
        hi = self.hex4(i)
        if 0xD800 <= hi <= 0xDBFF and self.text[i + 6 : i + 8] == "\\u":
            lo = self.hex4(i + 6)
            if 0xDC00 <= lo <= 0xDFFF:
                return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)), i + 12
        if 0xD800 <= hi <= 0xDFFF:
            raise self.error("\\u escape of a lone surrogate: give a high and a low surrogate pair", i)
        return chr(hi), i + 6

    def hex4(self, i: int) -> int:
        digits = self.text[i + 2 : i + 6]
        if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise self.error("\\u needs four hex digits, e.g. \\u00e9", i)
        return int(digits, 16)


def tokenize(text: str, update: bool = False) -> list[Token]:
    """Split ``text`` into tokens, ending with an EOF token. Raises ExprError with the column.

    ``update``: the tokens of an update expression, which adds the operators ``+`` and ``-`` and the set
    brackets ``<<`` ``>>`` (a condition keeps reporting them as unexpected characters).
    """
    return _Lexer(text, update).run()
