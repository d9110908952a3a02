"""DynamoDB strings are UTF-8: text UTF-8 cannot encode is refused before a request is sent.

Such text is an *unpaired surrogate* (a lone code point in U+D800..U+DFFF): what JSON's ``"\\ud800"``
gives, or a byte that is not UTF-8 in a command-line argument (Python decodes it to U+DC80..U+DCFF).
Sent anyway, botocore writes it as a JSON ``\\u`` escape and the server stores something no UTF-8 reader
can return; ddbtui refuses it with the attribute's path instead (values and attribute names alike).

``refuse_unpaired_surrogates`` is a botocore ``before-parameter-build`` handler (``aws.session`` registers
it on every client): every operation's parameters are checked, whichever code built them. It is pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddbtui.core.errors import UsageError

_AV_TAGS = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"})


def unpaired_surrogate(text: str) -> int | None:
    """The index of the first code point UTF-8 cannot encode, or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return e.start
    return None


def _is_av(value: Any) -> bool:
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in _AV_TAGS


def find_unencodable(value: Any, path: str = "") -> tuple[str, str, int] | None:
    """The first text in ``value`` (nested maps, lists, sets; map keys too) that UTF-8 cannot encode:
    ``(path, text, index)``, the path naming attributes the way a user wrote them (``Item.a.b[2]``,
    ``ExpressionAttributeValues[":v"]``; AttributeValue type tags are left out)."""
    if isinstance(value, str):
        i = unpaired_surrogate(value)
        return None if i is None else (path or "a value", value, i)
    if isinstance(value, Mapping):
        av = _is_av(value)
        for k, v in value.items():
            if isinstance(k, str) and (i := unpaired_surrogate(k)) is not None:
                return (f"{path or 'a name'} (an attribute name)", k, i)
            if av:
                found = find_unencodable(v, path)
            elif isinstance(k, str) and (k.startswith((":", "#")) or not k.isidentifier()):
                found = find_unencodable(v, f"{path}[{k!r}]")
            else:
                found = find_unencodable(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
        return None
    if isinstance(value, list | tuple | set | frozenset):
        for n, v in enumerate(value):
            found = find_unencodable(v, f"{path}[{n}]")
            if found:
                return found
    return None


def check_text(value: Any, what: str = "the request") -> None:
    """Raise ``UsageError`` (one line) when ``value`` holds text that UTF-8 cannot encode."""
    found = find_unencodable(value)
    if found is None:
        return
    path, text, i = found
    shown = ascii(text[max(0, i - 12) : i + 12])  # ASCII only: the surrogate shows as \ud800
    raise UsageError(
        f"{what} is refused before sending: {path} holds an unpaired surrogate (U+{ord(text[i]):04X}) in "
        f"{shown}. DynamoDB strings are UTF-8, which cannot hold it; nothing was sent"
    )


def refuse_unpaired_surrogates(params: Any = None, model: Any = None, **_: Any) -> None:
    """botocore ``before-parameter-build`` handler: refuse the call before anything is sent."""
    if params:
        check_text(params, f"{getattr(model, 'name', None) or 'the request'}")
