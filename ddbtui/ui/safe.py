"""Untrusted text on the screen: every value, attribute name, table name and error message from DynamoDB
(or from the user's own data) reaches widgets only through these helpers.

Two dangers (see FACTS.md): a ``str`` handed to most widgets is parsed as markup (``[@click=app.quit]``
becomes a live action, ``[/x]`` crashes the app), and ESC/C0/C1/bidi characters pass straight to the
terminal. ``safe_text`` makes the characters visible; wrapping in ``Text``/``Content`` keeps markup literal.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.content import Content

from ddbtui.core.values import safe_text


def plain(text: str, style: str | Style = "") -> Text:
    """``text`` as a literal, terminal-safe rich ``Text`` (never parsed as markup)."""
    return Text(safe_text(text), style=style)


def plain_content(text: str) -> Content:
    """``text`` as a literal, terminal-safe Textual ``Content``."""
    return Content(safe_text(text))


def highlight_plain(text: str, offsets: tuple[int, ...] | list[int], style: str = "bold reverse") -> Content:
    """Fuzzy-match highlighting without ``Matcher.highlight``, which parses its candidate as markup.

    ``safe_text`` may lengthen the text (``\\e`` for ESC), so offsets are only applied when it did not.
    """
    shown = safe_text(text)
    content = Content(shown)
    if shown != text:
        return content
    for offset in offsets:
        if 0 <= offset < len(text) and not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


def safe_lines(text: str) -> str:
    """``safe_text`` for text whose own newlines are layout (pretty JSON): they stay, all else is escaped."""
    return "\n".join(safe_text(line) for line in text.split("\n"))


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def params_json(params: dict[str, Any], indent: int | None = None) -> str:
    """boto3 params as JSON (binary as base64, numbers exact): for the preview and "copy request"."""
    return json.dumps(params, indent=indent, default=_json_default, ensure_ascii=False)
