"""Equality of AttributeValues as DynamoDB sees it: numbers by value, sets in any order, binary as bytes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddbtui.core.sizes import _binary, _number_parts


def canonical(av: Mapping[str, Any]) -> Any:
    """A value that compares equal exactly when DynamoDB considers two AttributeValues equal: numbers by
    value (``5`` = ``5.0``), sets without order, binary as bytes whether given as bytes or base64.

    DynamoDB Local does not write an index entry whose projected content is unchanged in this sense."""
    ((tag, value),) = av.items()
    if tag == "N":
        return ("N", _number_parts(value))
    if tag == "B":
        return ("B", _binary(value))
    if tag == "SS":
        return ("SS", frozenset(value))
    if tag == "NS":
        return ("NS", frozenset(_number_parts(v) for v in value))
    if tag == "BS":
        return ("BS", frozenset(_binary(v) for v in value))
    if tag == "L":
        return ("L", tuple(canonical(v) for v in value))
    if tag == "M":
        return ("M", {k: canonical(v) for k, v in value.items()})
    return (tag, value)


def _same_values(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    return canonical(a) == canonical(b)


def _same_items(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(_same_values(a[k], b[k]) for k in a)
