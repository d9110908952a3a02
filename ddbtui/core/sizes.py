"""Item sizes as DynamoDB counts them: numbers in base-100 pairs, strings and binary in bytes, lists
and maps with their overhead. Measured byte for byte on DynamoDB Local (see ``ddbtui.core.capacity``).

Items are in AttributeValue form; binary values may be ``bytes`` or base64 text. Pure: stdlib only.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_ITEM_SIZE = 400 * 1024  # DynamoDB rejects larger items
_MAX_NUMBER_SIZE = 21  # 38 digits of precision: at most 20 base-100 pairs + 1 (see number_size)


def _number_parts(text: str) -> tuple[int, tuple[int, ...], int] | None:
    """(sign, significant digits, exponent) with no leading or trailing zero digit; None for zero."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a DynamoDB number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a DynamoDB number: {text!r}")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    # Strip zeros by hand: Decimal.normalize() would round to the context's 28 digits, DynamoDB keeps 38.
    end = len(digits)
    while end and digits[end - 1] == 0:
        end -= 1
        exponent += 1
    start = 0
    while start < end and digits[start] == 0:
        start += 1
    if start == end:
        return None
    return sign, tuple(digits[start:end]), exponent


def number_size(text: str) -> int:
    """Bytes DynamoDB counts for a number given as its decimal text.

    The guide says "about 1 byte per 2 significant digits, plus 1 byte"; DynamoDB Local shows the exact
    rule: the significant digits are grouped in base-100 pairs *aligned at the decimal point* (so ``1.5``
    is the two pairs ``01|50``), leading and trailing zero pairs are dropped, and the size is pairs + 1,
    + 1 more for a negative number (its terminator byte), at most 21. Zero is 1 byte.
    ``1.5`` → 3, ``-1`` → 3, ``100`` → 2, ``0.000123400`` → 4, ``12345`` → 4.
    """
    parts = _number_parts(text)
    if parts is None:
        return 1  # zero, whatever its spelling ("-0.000")
    sign, digits, exponent = parts
    # The value is D * 10**exponent: the lowest digit sits at power `exponent`, the highest at
    # `exponent + len(D) - 1`; a digit at power k belongs to the base-100 pair k // 2 (floor division keeps
    # the pairs aligned at the decimal point).
    pairs = (exponent + len(digits) - 1) // 2 - exponent // 2 + 1
    # A negative number carries a terminator byte, except when its mantissa is already full (20 pairs):
    # DynamoDB Local reports 21 for both 1.2345678901234567890123456789012345678 and its negative.
    return min(pairs + 1 + (1 if sign else 0), _MAX_NUMBER_SIZE)


def _binary(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):  # base64, as in DynamoDB JSON
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"binary value is neither bytes nor base64: {value[:40]!r}") from None
    inner = getattr(value, "value", None)  # boto3.dynamodb.types.Binary, without importing boto3
    if isinstance(inner, bytes | bytearray):
        return bytes(inner)
    raise ValueError(f"binary value is neither bytes nor base64: {type(value).__name__}")


def _binary_size(value: Any) -> int:
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    return len(_binary(value))


def _utf8(text: str) -> int:
    # "surrogatepass" so that a lone surrogate from bad data still gets a size instead of an exception.
    return len(text.encode("utf-8", "surrogatepass"))


def value_size(av: Mapping[str, Any]) -> int:
    """Bytes DynamoDB counts for one AttributeValue (without its attribute name).

    Strings: UTF-8 bytes; binary: raw bytes; numbers: see ``number_size``; BOOL and NULL: 1; sets: the sum
    of their elements; lists and maps: 3 bytes + 1 per element + the elements (a map element also counts
    its key's UTF-8 bytes). All measured on DynamoDB Local.
    """
    if len(av) != 1:
        raise ValueError(f"an AttributeValue has exactly one type key, got {sorted(av)}")
    ((tag, value),) = av.items()
    if tag == "S":
        return _utf8(value)
    if tag == "N":
        return number_size(value)
    if tag == "B":
        return _binary_size(value)
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "SS":
        return sum(_utf8(v) for v in value)
    if tag == "NS":
        return sum(number_size(v) for v in value)
    if tag == "BS":
        return sum(_binary_size(v) for v in value)
    if tag == "L":
        return 3 + sum(1 + value_size(v) for v in value)
    if tag == "M":
        return 3 + sum(1 + _utf8(k) + value_size(v) for k, v in value.items())
    raise ValueError(f"unknown AttributeValue type {tag!r}")


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """Bytes DynamoDB counts for an item: for each attribute, its name's UTF-8 bytes + its value's size."""
    return sum(_utf8(name) + value_size(av) for name, av in item.items())
