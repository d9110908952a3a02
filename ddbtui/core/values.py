"""DynamoDB AttributeValues ⇄ Python values, JSON output forms, and a display form safe for a terminal.

Python forms: S→str, N→Decimal (exact), B→bytes, BOOL→bool, NULL→None, L→list, M→dict,
SS/NS/BS→set of str/Decimal/bytes. boto3's TypeSerializer/TypeDeserializer do the same, but importing them
pulls in boto3 and botocore (0.3 s); core stays pure and fast, and tests check the two agree.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from decimal import Context, Decimal, Inexact, InvalidOperation, Rounded
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.numbers import MAX_DIGITS, RANGE_TEXT, number_problem

# DynamoDB numbers: up to 38 significant digits, exponent -130..+125. Traps make precision loss an error.
DYNAMODB_CONTEXT = Context(Emin=-128, Emax=126, prec=38, traps=[InvalidOperation, Inexact, Rounded])

AV = dict[str, Any]
Item = dict[str, AV]


def _b(value: Any) -> bytes:
    # boto3 gives bytes; JSON sources (ddb-json files, moto dumps) carry base64 text.
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return base64.b64decode(value)


def from_av(av: AV) -> Any:
    """One AttributeValue to its Python value."""
    ((tag, v),) = av.items()
    if tag == "S":
        return v
    if tag == "N":
        return Decimal(v)
    if tag == "M":
        return {k: from_av(x) for k, x in v.items()}
    if tag == "L":
        return [from_av(x) for x in v]
    if tag == "BOOL":
        return bool(v)
    if tag == "NULL":
        return None
    if tag == "B":
        return _b(v)
    if tag == "SS":
        return set(v)
    if tag == "NS":
        return {Decimal(x) for x in v}
    if tag == "BS":
        return {_b(x) for x in v}
    raise ValueError(f"unknown AttributeValue type {tag!r}")


def from_item(item: Item) -> dict[str, Any]:
    return {k: from_av(v) for k, v in item.items()}


def number_text(value: int | float | Decimal | str) -> str:
    """DynamoDB number text; raises UsageError if DynamoDB cannot store it (``ddbtui.core.numbers``:
    38 significant digits, leading and trailing zeros not counted; magnitudes 1E-130 to 9.99…E+125)."""
    if isinstance(value, bool):
        raise UsageError("a boolean is not a number")
    if isinstance(value, float):
        value = repr(value)  # shortest round-trip text, not the binary expansion
    try:
        d = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise UsageError(f"{value!r} is not a number DynamoDB can store") from None
    problem = number_problem(d)
    if problem is None:
        return str(d)
    if problem.kind == "not-finite":
        raise UsageError(f"{value} is not a number DynamoDB can store")
    if problem.kind == "digits":
        raise UsageError(
            f"number {value} has {problem.digits} digits, more than the {MAX_DIGITS} significant digits DynamoDB keeps"
        )
    raise UsageError(f"number {value} {RANGE_TEXT}")


def to_av(value: Any) -> AV:
    """A Python value to an AttributeValue. Sets must not be empty (DynamoDB rejects them)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        return {"N": number_text(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_av(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_av(v) for v in value]}
    if isinstance(value, set | frozenset):
        if not value:
            raise UsageError("DynamoDB does not store empty sets")
        if all(isinstance(v, str) for v in value):
            return {"SS": sorted(value)}
        if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in value):
            return {"NS": [number_text(v) for v in value]}
        if all(isinstance(v, bytes) for v in value):
            return {"BS": sorted(value)}
        raise UsageError("a set must hold only strings, only numbers or only binary values")
    raise UsageError(f"cannot store a value of type {type(value).__name__}")


def to_item(values: Mapping[str, Any]) -> Item:
    return {k: to_av(v) for k, v in values.items()}


def no_duplicate_keys(what: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A ``json.loads`` object_pairs_hook that refuses an object naming a key twice (``json.loads`` would
    keep the last silently: one of the two values would be lost)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                raise UsageError(f"bad {what}: the name {safe_text(k)!r} appears twice in one object")
            out[k] = v
        return out

    return hook


def parse_plain_json(text: str, what: str = "JSON") -> Any:
    """Parse user JSON with exact numbers (Decimal), raising UsageError with the position."""
    try:
        return json.loads(
            text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=no_duplicate_keys(what)
        )
    except json.JSONDecodeError as e:
        raise UsageError(f"bad {what} at column {e.colno}: {e.msg}") from None
    except InvalidOperation:  # an exponent past what Decimal holds, e.g. 1E999999999999999999
        raise UsageError(f"bad {what}: a number is out of range") from None
    except RecursionError:
        raise UsageError(f"bad {what}: nested too deeply") from None


# --- JSON output -------------------------------------------------------------------------------------

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")


def _json_number(text: str) -> str:
    if _JSON_NUMBER.match(text):
        return text
    d = Decimal(text)
    return format(d, "f") if -30 < d.adjusted() < 30 else str(d).replace("E", "e")


def _dumps_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def av_to_plain_json(av: AV) -> str:
    """JSON text of one AttributeValue in plain form: numbers exact, sets as sorted lists, binary base64."""
    ((tag, v),) = av.items()
    if tag == "S":
        return _dumps_str(v)
    if tag == "N":
        return _json_number(v)
    if tag == "M":
        return "{" + ", ".join(f"{_dumps_str(k)}: {av_to_plain_json(x)}" for k, x in v.items()) + "}"
    if tag == "L":
        return "[" + ", ".join(av_to_plain_json(x) for x in v) + "]"
    if tag == "BOOL":
        return "true" if v else "false"
    if tag == "NULL":
        return "null"
    if tag == "B":
        return _dumps_str(base64.b64encode(_b(v)).decode())
    if tag == "SS":
        return "[" + ", ".join(_dumps_str(x) for x in sorted(v)) + "]"
    if tag == "NS":
        return "[" + ", ".join(_json_number(x) for x in sorted(v, key=Decimal)) + "]"
    if tag == "BS":
        return "[" + ", ".join(_dumps_str(base64.b64encode(x).decode()) for x in sorted(map(_b, v))) + "]"
    raise ValueError(f"unknown AttributeValue type {tag!r}")


def item_to_plain_json(item: Item) -> str:
    return av_to_plain_json({"M": item})


def av_to_ddb_json(av: AV) -> Any:
    """DynamoDB JSON (as the AWS CLI prints it): the AttributeValue with binary as base64 text."""
    ((tag, v),) = av.items()
    if tag == "B":
        return {"B": base64.b64encode(_b(v)).decode()}
    if tag == "BS":
        return {"BS": [base64.b64encode(_b(x)).decode() for x in v]}
    if tag == "M":
        return {"M": {k: av_to_ddb_json(x) for k, x in v.items()}}
    if tag == "L":
        return {"L": [av_to_ddb_json(x) for x in v]}
    return {tag: v}


def item_to_ddb_json(item: Item) -> str:
    return json.dumps({k: av_to_ddb_json(v) for k, v in item.items()}, ensure_ascii=False)


def ddb_json_to_av(obj: Any) -> AV:
    """Inverse of av_to_ddb_json: base64 text back to bytes."""
    ((tag, v),) = obj.items()
    if tag == "B":
        return {"B": _b(v)}
    if tag == "BS":
        return {"BS": [_b(x) for x in v]}
    if tag == "M":
        return {"M": {k: ddb_json_to_av(x) for k, x in v.items()}}
    if tag == "L":
        return {"L": [ddb_json_to_av(x) for x in v]}
    return {tag: v}


# --- Safe display ------------------------------------------------------------------------------------

_ESCAPES = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x1B: "\\e"}


def _escape_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[cp] = _ESCAPES.get(cp, f"\\x{cp:02x}")
    # bidi controls, zero-width characters, line/paragraph separators, BOM: invisible or reorder text
    for cp in [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2028, 0x2029,
               0x2060, *range(0x2066, 0x206A), 0xFEFF]:  # fmt: skip
        table[cp] = f"\\u{cp:04x}"
    return table


_SAFE = _escape_table()
_SAFE_MULTILINE = {k: v for k, v in _SAFE.items() if k != 0x0A}
_UNSAFE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _SAFE) + "]")


def safe_text(text: str) -> str:
    """Make every control, escape, bidi and zero-width character visible (``\\e``, ``\\x9b``, ``\\u202e``).

    The result contains no byte a terminal would act on; wrap it in ``rich.text.Text`` so markup stays
    literal too.
    """
    if _UNSAFE_RE.search(text) is None:
        return text
    return text.translate(_SAFE)


def truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def display_av(av: AV, width: int = 60) -> str:
    """A one-line, terminal-safe rendering of a value for a table cell, at most ``width`` characters."""
    ((tag, v),) = av.items()
    if tag in ("S", "N"):
        out = v
    elif tag == "BOOL":
        out = "true" if v else "false"
    elif tag == "NULL":
        out = "null"
    elif tag == "B":
        raw = _b(v)
        out = f"<{len(raw)} B> " + base64.b64encode(raw[:48]).decode()
    elif tag in ("SS", "NS", "BS"):
        out = "{" + av_to_plain_json(av)[1:-1] + "}"
    else:
        # nested values can be huge: render only what fits
        out = av_to_plain_json(av) if width > 0 else ""
    return truncate(safe_text(out), width)


def _pretty(av: AV, indent: int, level: int) -> str:
    ((tag, v),) = av.items()
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if tag == "M" and v:
        body = ",\n".join(f"{inner}{_dumps_str(k)}: {_pretty(x, indent, level + 1)}" for k, x in v.items())
        return "{\n" + body + "\n" + pad + "}"
    if tag == "L" and v:
        return "[\n" + ",\n".join(inner + _pretty(x, indent, level + 1) for x in v) + "\n" + pad + "]"
    return av_to_plain_json(av)


def safe_json(item: Item, ddb_json: bool = False, indent: int = 2) -> str:
    """Pretty, terminal-safe JSON of a whole item for the item view (nothing truncated)."""
    if ddb_json:
        text = json.dumps({k: av_to_ddb_json(v) for k, v in item.items()}, ensure_ascii=False, indent=indent)
    else:
        text = _pretty({"M": item}, indent, 0)
    # JSON strings never hold a raw newline, so the only newlines left are the layout's own.
    return text.translate(_SAFE_MULTILINE)
