"""The Parquet columns of an export, decided from every item, and each cell's value (no pyarrow here).

DynamoDB has no schema: an attribute may hold a string in one item and a number in the next. The rules
(README, "Parquet"), applied per attribute over *all* the items of the export (the export stages its pages
first, so the types are known before the first row group is written; no guess from the first pages, and
no later conflict to repair):

- one type everywhere (NULL aside) → a typed column: S → string, B → binary, BOOL → bool,
  N → decimal128(p, s) where s is the largest scale seen and p the most integer digits plus s, when
  p ≤ 38; otherwise (a number wider than decimal128 holds) → string of the number's exact text;
  SS → list<string>, NS → list<decimal128> (same rule, else list<string>), BS → list<binary>
  (sets sorted, as the JSON Lines export writes them);
  M and L → string of plain JSON (numbers exact, as a JSON Lines row writes the value).
- only NULL → a column of type null.
- more than one type → string of the value's DynamoDB JSON (``{"S": "5"}``, ``{"N": "5"}``): the one text
  that keeps every type apart.
- a missing attribute, and DynamoDB's NULL in a typed column, are Parquet nulls.

Each column's field metadata says which rule made it (``ddbtui.dynamodb_type``, ``ddbtui.encoding``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from ddbtui.core.values import av_to_ddb_json, av_to_plain_json

MAX_PRECISION = 38  # decimal128

_SCALAR = {"S": "string", "B": "binary", "BOOL": "bool"}
_SETS = {"SS": "string", "BS": "binary"}


@dataclass
class NumberStats:
    int_digits: int = 1
    scale: int = 0

    def observe(self, text: str) -> None:
        _sign, digits, exp = Decimal(text).as_tuple()
        if not isinstance(exp, int):  # NaN or Infinity: DynamoDB has neither; the column falls to text
            self.int_digits = MAX_PRECISION + 1
            return
        self.scale = max(self.scale, -exp)
        self.int_digits = max(self.int_digits, len(digits) + exp)

    @property
    def precision(self) -> int:
        return self.int_digits + self.scale

    @property
    def fits(self) -> bool:
        return self.precision <= MAX_PRECISION


@dataclass
class ColumnStats:
    """What one attribute held across the items seen so far: its types, and its numbers' digits."""

    types: set[str] = field(default_factory=set)
    numbers: NumberStats = field(default_factory=NumberStats)

    def observe(self, av: dict[str, Any]) -> None:
        ((tag, v),) = av.items()
        self.types.add(tag)
        if tag == "N":
            self.numbers.observe(v)
        elif tag == "NS":
            for x in v:
                self.numbers.observe(x)


@dataclass(frozen=True)
class Column:
    """One Parquet column. ``kind``: string, binary, bool, decimal, null, number-text, json, ddb-json,
    list-string, list-binary, list-decimal, list-number-text. ``dynamodb_type``: the one type it holds,
    or "mixed"."""

    name: str
    kind: str
    dynamodb_type: str
    precision: int = 0
    scale: int = 0

    @property
    def encoding(self) -> str | None:
        return {"json": "plain-json", "ddb-json": "dynamodb-json"}.get(self.kind) or (
            "number-text" if "number-text" in self.kind else None
        )


class Schema:
    """Collects ``ColumnStats`` per attribute, item by item (memory: one entry per attribute name)."""

    def __init__(self) -> None:
        self.stats: dict[str, ColumnStats] = {}

    def observe(self, item: dict[str, dict[str, Any]]) -> None:
        for name, av in item.items():
            st = self.stats.get(name)
            if st is None:
                st = self.stats[name] = ColumnStats()
            st.observe(av)

    def columns(self, key_attributes: tuple[str, ...] | list[str] = ()) -> list[Column]:
        """Key attributes first (in key order), then the others sorted, as the CSV export orders them."""
        keys = [k for k in key_attributes if k in self.stats]
        names = keys + sorted(set(self.stats) - set(keys))
        return [column_for(n, self.stats[n]) for n in names]


def column_for(name: str, st: ColumnStats) -> Column:
    types = st.types - {"NULL"} if st.types != {"NULL"} else st.types
    if len(types) > 1:
        return Column(name, "ddb-json", "mixed")
    (tag,) = types
    nums = st.numbers
    if tag == "NULL":
        return Column(name, "null", "NULL")
    if tag in _SCALAR:
        return Column(name, _SCALAR[tag], tag)
    if tag == "N":
        if nums.fits:
            return Column(name, "decimal", tag, nums.precision, nums.scale)
        return Column(name, "number-text", tag)
    if tag in _SETS:
        return Column(name, "list-" + _SETS[tag], tag)
    if tag == "NS":
        if nums.fits:
            return Column(name, "list-decimal", tag, nums.precision, nums.scale)
        return Column(name, "list-number-text", tag)
    return Column(name, "json", tag)  # M, L


def _bytes(v: Any) -> bytes:
    return v if isinstance(v, bytes | bytearray) else base64.b64decode(v)


def _decimal(text: str, scale: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = MAX_PRECISION + 2
        return Decimal(text).quantize(Decimal(1).scaleb(-scale))  # exact: the column's scale is the max


def cell(col: Column, av: dict[str, Any] | None) -> Any:
    """The Python value pyarrow writes for one attribute value (None: missing, or NULL)."""
    if av is None:
        return None
    ((tag, v),) = av.items()
    kind = col.kind
    if kind == "ddb-json":
        return json.dumps(av_to_ddb_json(av), ensure_ascii=False)
    if tag == "NULL":
        return None
    if kind == "json":
        return av_to_plain_json(av)
    if kind in ("string", "number-text"):
        return v
    if kind == "binary":
        return _bytes(v)
    if kind == "bool":
        return bool(v)
    if kind == "decimal":
        return _decimal(v, col.scale)
    if kind == "list-string":
        return sorted(v)
    if kind == "list-binary":
        return sorted(_bytes(x) for x in v)
    if kind == "list-decimal":
        return sorted(_decimal(x, col.scale) for x in v)
    if kind == "list-number-text":
        return sorted(v, key=Decimal)
    raise ValueError(f"unknown column kind {kind!r}")


def row(columns: list[Column], item: dict[str, dict[str, Any]]) -> list[Any]:
    return [cell(c, item.get(c.name)) for c in columns]
