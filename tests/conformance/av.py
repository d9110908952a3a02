"""AttributeValues for the conformance suite, and the views both sides are compared in.

Nothing here comes from ddbtui: the oracle is boto3 on DynamoDB Local, so the conversions the comparison
needs (DynamoDB JSON, plain JSON, number equality) are written out here on their own.

Two views:
- ``typed(av)``: every DynamoDB type kept apart (a number is a ``Num`` compared by value, binary is bytes,
  a set is a ``TSet`` without order). Stored items, journal images and keys are compared in it.
- ``plain_expected(av)`` / ``plain_actual(value, av)``: what ddbtui's ``--format json`` prints (plain JSON:
  sets as lists, binary as base64), with the oracle's types guiding how the printed value is read.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

AV = dict[str, Any]


# ------------------------------------------------------------------------------------------ constructors


def S(s: str) -> AV:
    return {"S": s}


def N(n: int | float | str | Decimal) -> AV:
    return {"N": str(n)}


def B(b: bytes) -> AV:
    return {"B": b}


def BOOL(v: bool) -> AV:
    return {"BOOL": v}


NULL: AV = {"NULL": True}


def L(*values: AV) -> AV:
    return {"L": list(values)}


def M(**values: AV) -> AV:
    return {"M": dict(values)}


def MAP(values: dict[str, AV]) -> AV:
    """A map whose keys are not Python identifiers."""
    return {"M": dict(values)}


def SS(*values: str) -> AV:
    return {"SS": list(values)}


def NS(*values: int | float | str) -> AV:
    return {"NS": [str(v) for v in values]}


def BS(*values: bytes) -> AV:
    return {"BS": list(values)}


# ------------------------------------------------------------------------------------------ DynamoDB JSON


def to_ddb_json(av: AV) -> Any:
    """AttributeValue → DynamoDB JSON (binary as base64), as ``--ddb-json`` and the journal hold it."""
    (kind, value), *_ = av.items()
    if kind == "B":
        return {"B": base64.b64encode(value).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(v).decode("ascii") for v in value]}
    if kind == "L":
        return {"L": [to_ddb_json(v) for v in value]}
    if kind == "M":
        return {"M": {k: to_ddb_json(v) for k, v in value.items()}}
    return {kind: value}


def from_ddb_json(obj: Any) -> AV:
    (kind, value), *_ = obj.items()
    if kind == "B":
        return {"B": base64.b64decode(value)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in value]}
    if kind == "L":
        return {"L": [from_ddb_json(v) for v in value]}
    if kind == "M":
        return {"M": {k: from_ddb_json(v) for k, v in value.items()}}
    return {kind: value}


def item_to_ddb_json(item: dict[str, AV] | None) -> dict[str, Any] | None:
    return None if item is None else {k: to_ddb_json(v) for k, v in item.items()}


def item_from_ddb_json(obj: dict[str, Any] | None) -> dict[str, AV] | None:
    return None if obj is None else {k: from_ddb_json(v) for k, v in obj.items()}


# ------------------------------------------------------------------------------------------ typed view


class Num:
    """A DynamoDB number: equal to another ``Num`` of the same value (``10`` == ``0.10E2``), never to a
    bool or a string."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = Decimal(str(value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Num) and self.value == other.value

    def __hash__(self) -> int:
        return hash(("N", self.value))

    def __repr__(self) -> str:
        return f"N({self.value})"

    def __lt__(self, other: Num) -> bool:
        return self.value < other.value


class TSet:
    """A string, number or binary set: unordered."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str, values: Any) -> None:
        self.kind = kind
        self.values = frozenset(values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TSet) and self.kind == other.kind and self.values == other.values

    def __hash__(self) -> int:
        return hash((self.kind, self.values))

    def __repr__(self) -> str:
        return f"{self.kind}{sorted(self.values, key=repr)}"


class Bin(bytes):
    def __repr__(self) -> str:
        return f"b64'{base64.b64encode(self).decode()}'"


def typed(av: AV) -> Any:
    (kind, value), *_ = av.items()
    if kind == "S":
        return value
    if kind == "N":
        return Num(value)
    if kind == "B":
        return Bin(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "L":
        return [typed(v) for v in value]
    if kind == "M":
        return {k: typed(v) for k, v in value.items()}
    if kind == "SS":
        return TSet("SS", value)
    if kind == "NS":
        return TSet("NS", (Num(v) for v in value))
    if kind == "BS":
        return TSet("BS", (Bin(v) for v in value))
    raise ValueError(f"unknown AttributeValue type {kind}")


def typed_item(item: dict[str, AV] | None) -> dict[str, Any] | None:
    return None if item is None else {k: typed(v) for k, v in item.items()}


# ------------------------------------------------------------------------------------------ plain view


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def plain_expected(av: AV) -> Any:
    """What ``--format json`` should print for ``av``, in the form ``plain_actual`` reads it back."""
    (kind, value), *_ = av.items()
    if kind == "S":
        return value
    if kind == "N":
        return Num(value)
    if kind == "B":
        return _b64(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "L":
        return [plain_expected(v) for v in value]
    if kind == "M":
        return {k: plain_expected(v) for k, v in value.items()}
    if kind == "SS":
        return sorted(value, key=_set_order)
    if kind == "NS":
        return sorted((Num(v) for v in value), key=_set_order)
    if kind == "BS":
        return sorted((_b64(v) for v in value), key=_set_order)
    raise ValueError(f"unknown AttributeValue type {kind}")


def _numbers(value: Any) -> Any:
    """Plain JSON as parsed (numbers as Decimal) with numbers wrapped in ``Num``; bools stay bools."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal | int | float):
        return Num(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def _set_order(v: Any) -> tuple:
    return (0, v.value, "") if isinstance(v, Num) else (1, Decimal(0), str(v))


def plain_actual(value: Any, av: AV | None) -> Any:
    """A value ddbtui printed, read with the oracle's ``av`` as a guide: a list where the oracle has a set
    is sorted (sets have no order); everything else is taken as printed."""
    if av is None:
        return _numbers(value)
    (kind, inner), *_ = av.items()
    if kind in ("SS", "NS", "BS") and isinstance(value, list):
        return sorted(_numbers(value), key=_set_order)
    if kind == "L" and isinstance(value, list):
        return [plain_actual(v, inner[i] if i < len(inner) else None) for i, v in enumerate(value)]
    if kind == "M" and isinstance(value, dict):
        return {k: plain_actual(v, inner.get(k)) for k, v in value.items()}
    return _numbers(value)


def plain_item_expected(item: dict[str, AV]) -> dict[str, Any]:
    return {k: plain_expected(v) for k, v in item.items()}


def plain_item_actual(value: dict[str, Any], item: dict[str, AV] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        return value
    guide = item or {}
    return {k: plain_actual(v, guide.get(k)) for k, v in value.items()}


def load_plain(text: str) -> Any:
    """Parse ddbtui's JSON output keeping every digit of its numbers."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def match_items(actual: list[Any], expected: list[dict[str, AV]], ordered: bool) -> tuple[list, list]:
    """(actual, expected) in the plain view, paired so that a diff shows the difference: in order when
    ``ordered``, else each printed item matched to an equal oracle item where there is one."""
    if ordered:
        act = [plain_item_actual(a, expected[i] if i < len(expected) else None) for i, a in enumerate(actual)]
        return act, [plain_item_expected(e) for e in expected]
    remaining = list(expected)
    act_out, exp_out, unmatched = [], [], []
    for a in actual:
        for i, e in enumerate(remaining):
            if plain_item_actual(a, e) == plain_item_expected(e):
                act_out.append(plain_item_actual(a, e))
                exp_out.append(plain_item_expected(e))
                remaining.pop(i)
                break
        else:
            unmatched.append(plain_item_actual(a, None))
    return act_out + unmatched, exp_out + [plain_item_expected(e) for e in remaining]
