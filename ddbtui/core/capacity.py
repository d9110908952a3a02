"""Capacity: item sizes, read and write units, DynamoDB's ConsumedCapacity, and the session ledger.

Emulators report capacity that is not DynamoDB's (moto answers about 1.0 for any Query page), so ddbtui
computes its own figure from the items it sees. The rules follow the AWS developer guide and were checked
byte for byte and unit for unit against DynamoDB Local (AWS's own engine, the reference) in
``tests/aws/test_capacity_conformance.py``. Where DynamoDB Local and the guide disagree, the comment at the
rule says which one this module follows and why.

Items are in DynamoDB's AttributeValue form (``{"a": {"S": "x"}, "n": {"N": "1.5"}}``); binary values may
be ``bytes`` (what boto3 returns) or base64 text (what DynamoDB JSON on the wire carries).

Pure: stdlib only.
"""

from __future__ import annotations

import base64
import binascii
import math
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ddbtui.core import prices as _prices
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema

__all__ = [
    "MAX_ITEM_SIZE",
    "READ_BLOCK",
    "WRITE_BLOCK",
    "ConsumedCapacity",
    "Ledger",
    "LedgerEntry",
    "TableTotals",
    "WriteCost",
    "batch_get_units",
    "canonical",
    "condition_check_units",
    "estimate_scanned_bytes",
    "format_cost",
    "format_units",
    "get_item_units",
    "in_index",
    "index_entry",
    "index_entry_size",
    "item_size",
    "lsi_fetch_units",
    "number_size",
    "query_page_units",
    "read_units",
    "transact_get_units",
    "transact_write_units",
    "value_size",
    "write_units",
]

READ_BLOCK = 4096  # one strongly consistent read unit covers 4 KB
WRITE_BLOCK = 1024  # one write unit covers 1 KB
MAX_ITEM_SIZE = 400 * 1024  # DynamoDB rejects larger items
_MAX_NUMBER_SIZE = 21  # 38 digits of precision: at most 20 base-100 pairs + 1 (see number_size)

Kind = Literal["read", "write"]


# --------------------------------------------------------------------------------------------- sizes


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


# --------------------------------------------------------------------------------------------- reads


def _blocks(size: int, block: int) -> int:
    return -(-size // block) if size > 0 else 0


def read_units(total_bytes: int, consistent: bool = False) -> float:
    """Read units for ``total_bytes`` read in one go: 1 per 4 KB (rounded up) strongly consistent, 0.5
    eventually consistent. 0 bytes cost 0."""
    blocks = _blocks(total_bytes, READ_BLOCK)
    return float(blocks) if consistent else blocks / 2


def query_page_units(read_item_sizes: Iterable[int], consistent: bool = False) -> float:
    """Read units of one Query or Scan page: the sizes of *all* items read (before any filter, and
    whatever ``Select``/``ProjectionExpression`` returns) are summed and rounded up to 4 KB once.

    For a page through a secondary index pass the index-entry sizes (``index_entry_size``); GSIs are always
    eventually consistent. A page that read nothing costs 0.0: that is what DynamoDB Local reports,
    while the developer guide states a minimum of 0.5 RCU per Query; ddbtui follows the engine.
    """
    return read_units(sum(read_item_sizes), consistent)


def get_item_units(size: int | None, consistent: bool = False) -> float:
    """Read units of a GetItem of an item of ``size`` bytes (None: no such item).

    The item is rounded up to 4 KB; a missing item still costs one 4 KB block (1.0 strong, 0.5 eventual),
    as in DynamoDB Local. A ProjectionExpression does not reduce the cost: the whole item is read.
    """
    return read_units(max(size or 0, 1), consistent)


def batch_get_units(sizes: Iterable[int | None], consistent: bool = False) -> float:
    """Read units of a BatchGetItem (for one table): each item rounded up to 4 KB on its own.

    Keys that match no item (None) cost nothing — what DynamoDB Local reports (a GetItem of a missing
    item, by contrast, costs one block). The guide does not say.
    """
    return sum(read_units(s, consistent) for s in sizes if s)


def transact_get_units(sizes: Iterable[int | None]) -> float:
    """Read units of a TransactGetItems (for one table): 2 per 4 KB of each item, rounded up per item; a
    missing item costs 2 (guide and DynamoDB Local agree)."""
    return sum(2 * read_units(max(s or 0, 1), True) for s in sizes)


def condition_check_units(size: int | None) -> float:
    """Units of a ConditionCheck in a TransactWriteItems: DynamoDB Local charges it as a transactional
    read — 2 per 4 KB of the checked item, 0 when the item does not exist — and reports it with the
    transaction's write units."""
    return 2 * read_units(size or 0, True)


def lsi_fetch_units(item_sizes: Iterable[int], consistent: bool = False) -> float:
    """Table read units when a Query on a local secondary index asks for attributes it does not project.

    DynamoDB fetches each matching item from the table; DynamoDB Local bills each fetched item like a
    GetItem (its full size rounded up to 4 KB) under ``Table``, on top of the index-entry units under the
    LSI's name.
    """
    return sum(read_units(s, consistent) for s in item_sizes)


def estimate_scanned_bytes(
    returned_sizes: Iterable[int], scanned_count: int, avg_item_size: float | None = None
) -> int:
    """Bytes a Query/Scan page read, when the client only sees the items the filter kept.

    Items a FilterExpression discarded never reach the client, yet DynamoDB charges for reading them.
    Each of the ``scanned_count - len(returned)`` unseen items is counted at ``avg_item_size`` (the
    table's TableSizeBytes / ItemCount from DescribeTable) or, when that is unknown, at the average size
    of the items returned.
    """
    seen = list(returned_sizes)
    unseen = max(0, scanned_count - len(seen))
    if avg_item_size is None:
        avg_item_size = sum(seen) / len(seen) if seen else 0.0
    return sum(seen) + math.ceil(unseen * avg_item_size)


# --------------------------------------------------------------------------------------------- equality


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


# --------------------------------------------------------------------------------------------- indexes


def in_index(item: Mapping[str, Any] | None, index: IndexSchema) -> bool:
    """True when ``item`` appears in ``index``: every key attribute of the index is present (indexes are
    sparse: an item without the index's partition or sort key is not in it)."""
    if item is None:
        return False
    return all(attr in item for attr in index.key.attributes)


def index_entry(item: Mapping[str, Any], table_key: KeySchema, index: IndexSchema) -> dict[str, Any]:
    """The projection of ``item`` into ``index``: what the index stores, reads and writes.

    ALL (and the table itself): the whole item. KEYS_ONLY: the table's and the index's key attributes.
    INCLUDE: those plus the listed non-key attributes the item has. Does not check that the item is in
    the index at all (see ``in_index``).
    """
    if index.kind == "table" or index.projection == "ALL":
        return dict(item)
    wanted = set(table_key.attributes) | set(index.key.attributes)
    if index.projection == "INCLUDE":
        wanted |= set(index.non_key_attributes)
    return {name: av for name, av in item.items() if name in wanted}


def index_entry_size(item: Mapping[str, Any], table_key: KeySchema, index: IndexSchema) -> int:
    """Bytes a read of ``item`` through ``index`` counts: the size of its index entry.

    The guide: reads through an index are sized by the index entries. DynamoDB Local does so for Query,
    but a Scan of a secondary index there charges the *full* items of the index; ddbtui follows the guide.
    The guide's 100 bytes of per-entry overhead apply to storage (IndexSizeBytes), not to capacity.
    """
    return item_size(index_entry(item, table_key, index))


# --------------------------------------------------------------------------------------------- writes


@dataclass(frozen=True)
class WriteCost:
    """Write units of one write: for the table and for each secondary index it touches."""

    table: float
    indexes: dict[str, float] = field(default_factory=dict)
    table_name: str | None = None

    @property
    def total(self) -> float:
        return self.table + sum(self.indexes.values())

    def __add__(self, other: WriteCost) -> WriteCost:
        indexes = dict(self.indexes)
        for name, units in other.indexes.items():
            indexes[name] = indexes.get(name, 0.0) + units
        return WriteCost(self.table + other.table, indexes, self.table_name or other.table_name)

    def scaled(self, factor: float) -> WriteCost:
        return WriteCost(
            self.table * factor, {k: v * factor for k, v in self.indexes.items()}, self.table_name
        )

    def to_capacity(self, estimated: bool = True) -> ConsumedCapacity:
        return ConsumedCapacity(
            total=self.total,
            table=self.table,
            indexes=dict(self.indexes),
            estimated=estimated,
            kind="write",
            table_name=self.table_name,
        )


def _write_blocks(size: int) -> float:
    return float(max(1, _blocks(size, WRITE_BLOCK)))


def _index_write_units(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, table_key: KeySchema, index: IndexSchema
) -> float:
    was, now = in_index(old, index), in_index(new, index)
    if not was and not now:
        return 0.0
    if was and not now:  # the item left the index: the entry is deleted
        assert old is not None
        return _write_blocks(index_entry_size(old, table_key, index))
    if now and not was:  # the item entered the index: an entry is written
        assert new is not None
        return _write_blocks(index_entry_size(new, table_key, index))
    assert old is not None and new is not None
    old_entry, new_entry = index_entry(old, table_key, index), index_entry(new, table_key, index)
    if _same_items(old_entry, new_entry):
        return 0.0  # nothing projected changed: the index is not written
    if not all(_same_values(old.get(a), new.get(a)) for a in index.key.attributes):
        # A new index key moves the entry: a delete of the old entry plus a put of the new one.
        return _write_blocks(item_size(old_entry)) + _write_blocks(item_size(new_entry))
    return _write_blocks(max(item_size(old_entry), item_size(new_entry)))


def write_units(
    old_item: Mapping[str, Any] | None,
    new_item: Mapping[str, Any] | None,
    schema: TableSchema,
    *,
    transactional: bool = False,
) -> WriteCost:
    """Write units of PutItem / UpdateItem / DeleteItem (and each write of a BatchWriteItem).

    ``old_item`` is the item before the write (None: it did not exist), ``new_item`` after it (None: a
    delete). Table: 1 per 1 KB of the larger of the two, at least 1 (a delete of a missing item costs 1).
    Each secondary index: nothing when the item is in it neither before nor after (sparse) or when its
    projected entry does not change; the entry's size rounded up to 1 KB when the item enters or leaves
    it, or when the entry changes under the same index key (larger of old and new entry); a change of the
    index key is a delete plus a put. Measured on DynamoDB Local; indexes that cost nothing are omitted.

    ``transactional``: the guide's rule for TransactWriteItems, twice the standard cost. DynamoDB Local
    reports less when several writes of a transaction have equal costs (see ``transact_write_units``).

    Where DynamoDB Local 3.3 departs from the guide, this follows the guide: (1) an item that has only
    one of a GSI's two key attributes before the write and only the other after it is in the index
    neither time, yet DynamoDB Local charges the index the old entry's size; (2) a BatchWriteItem delete
    of a missing item reports 2 there (DeleteItem: 1). Item equality is DynamoDB's (``canonical``).
    """
    sizes = [item_size(x) for x in (old_item, new_item) if x is not None]
    table = _write_blocks(max(sizes, default=0))
    indexes: dict[str, float] = {}
    for index in (*schema.lsis, *schema.gsis):
        units = _index_write_units(old_item, new_item, schema.key, index)
        if units:
            indexes[index.label] = units
    cost = WriteCost(table, indexes, schema.name)
    return cost.scaled(2) if transactional else cost


WriteSpec = tuple[Mapping[str, Any] | None, Mapping[str, Any] | None, TableSchema]


def transact_write_units(
    writes: Iterable[WriteSpec],
    condition_checks: Iterable[tuple[Mapping[str, Any] | None, TableSchema]] = (),
) -> dict[str, WriteCost]:
    """Per table, the units of a TransactWriteItems as the developer guide states them: every Put,
    Update and Delete at twice its standard cost (``write_units(..., transactional=True)``), every
    ConditionCheck at ``condition_check_units`` of the checked item (None: missing).

    Known discrepancy: DynamoDB Local 3.3 adds up only the *distinct* per-write costs of a table — two
    writes of 100 B report 2.0 where the guide (and this function) says 4.0; writes with different costs
    (100 B and 1.5 KB: 2 + 4 = 6.0) agree. This looks like a set of costs in the engine, not a rule, so
    ddbtui keeps the documented figure.
    """
    totals: dict[str, WriteCost] = {}
    for old, new, schema in writes:
        cost = write_units(old, new, schema, transactional=True)
        totals[schema.name] = totals[schema.name] + cost if schema.name in totals else cost
    for item, schema in condition_checks:
        cost = WriteCost(
            condition_check_units(item_size(item) if item is not None else None), {}, schema.name
        )
        totals[schema.name] = totals[schema.name] + cost if schema.name in totals else cost
    return totals


# --------------------------------------------------------------------------------------------- reported


def _units(d: Mapping[str, Any] | None) -> float:
    if not d:
        return 0.0
    return float(d.get("CapacityUnits", 0.0) or 0.0)


@dataclass(frozen=True)
class ConsumedCapacity:
    """Capacity one request consumed, either as DynamoDB reported it or as ddbtui estimated it.

    ``table`` and ``indexes`` break ``total`` down (index name → units, GSIs and LSIs alike); ``kind``
    says whether the units are read or write units.
    """

    total: float
    table: float = 0.0
    indexes: dict[str, float] = field(default_factory=dict)
    estimated: bool = False
    kind: Kind = "read"
    table_name: str | None = None

    @classmethod
    def from_response(
        cls, consumed: Mapping[str, Any], kind: Kind | None = None, *, estimated: bool = False
    ) -> ConsumedCapacity:
        """Parse one ``ConsumedCapacity`` dict of a response.

        Index units come from both ``GlobalSecondaryIndexes`` and ``LocalSecondaryIndexes`` under their
        names — moto files GSI units under ``LocalSecondaryIndexes``, so the key is not trusted for the
        kind of index. ``kind`` comes from ``ReadCapacityUnits``/``WriteCapacityUnits`` when DynamoDB sends
        them, else from the argument (the caller knows its operation), else "read". Without a ``Table``
        breakdown (``ReturnConsumedCapacity=TOTAL``) the table gets what the indexes do not account for.
        """
        total = _units(consumed)
        indexes: dict[str, float] = {}
        for key in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
            for name, units in (consumed.get(key) or {}).items():
                indexes[name] = indexes.get(name, 0.0) + _units(units)
        # Without a breakdown (TOTAL) the table gets what the indexes do not account for.
        table = _units(consumed["Table"]) if "Table" in consumed else max(0.0, total - sum(indexes.values()))
        if kind is None:
            kind = "write" if consumed.get("WriteCapacityUnits") else "read"
        return cls(total, table, indexes, estimated, kind, consumed.get("TableName"))

    @classmethod
    def from_responses(
        cls, consumed: Mapping[str, Any] | list[Mapping[str, Any]] | None, kind: Kind | None = None
    ) -> list[ConsumedCapacity]:
        """Parse a response's ``ConsumedCapacity`` whatever its shape: absent (moto's ExecuteStatement,
        DynamoDB Local's PartiQL), one dict (single-item and Query/Scan calls) or a list, one per table
        (batch and transaction calls)."""
        if not consumed:
            return []
        if isinstance(consumed, Mapping):
            return [cls.from_response(consumed, kind)]
        return [cls.from_response(c, kind) for c in consumed]

    @classmethod
    def of_read(
        cls,
        units: float,
        *,
        index: str | None = None,
        fetch_units: float = 0.0,
        table_name: str | None = None,
        estimated: bool = True,
    ) -> ConsumedCapacity:
        """A read's capacity shaped like DynamoDB reports it: through an index the units go under the
        index's name and the table gets only the LSI fetches (0.0 otherwise)."""
        if index is None:
            return cls(units + fetch_units, units + fetch_units, {}, estimated, "read", table_name)
        return cls(units + fetch_units, fetch_units, {index: units}, estimated, "read", table_name)

    def __add__(self, other: ConsumedCapacity) -> ConsumedCapacity:
        indexes = dict(self.indexes)
        for name, units in other.indexes.items():
            indexes[name] = indexes.get(name, 0.0) + units
        return ConsumedCapacity(
            self.total + other.total,
            self.table + other.table,
            indexes,
            self.estimated or other.estimated,
            self.kind,
            self.table_name if self.table_name == other.table_name else None,
        )

    def to_json(self) -> dict[str, Any]:
        """``{"total", "table", "indexes": {name: units}, "estimated"}`` as in ddbtui's JSON output."""
        return {
            "total": self.total,
            "table": self.table,
            "indexes": dict(self.indexes),
            "estimated": self.estimated,
        }


# --------------------------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class LedgerEntry:
    """One request in the session ledger."""

    at: float  # time.time()
    operation: str
    table: str
    capacity: ConsumedCapacity
    cost: float


@dataclass
class TableTotals:
    """Running totals of one table (or of the whole session)."""

    requests: int = 0
    read_units: float = 0.0
    write_units: float = 0.0
    cost: float = 0.0
    estimated: bool = False

    def add(self, capacity: ConsumedCapacity, cost: float) -> None:
        self.requests += 1
        if capacity.kind == "write":
            self.write_units += capacity.total
        else:
            self.read_units += capacity.total
        self.cost += cost
        self.estimated = self.estimated or capacity.estimated


def format_units(units: float) -> str:
    """``37.5`` → "37.5", ``2.0`` → "2", ``12345.0`` → "12,345"."""
    if units == int(units):
        return f"{int(units):,}"
    return f"{units:,.2f}".rstrip("0").rstrip(".")


def format_cost(usd: float) -> str:
    """Dollars for a status line: two significant digits below a cent (``$0.0000047``), cents above."""
    if usd <= 0:
        return "$0"
    if usd >= 0.01:
        return f"${usd:,.2f}"
    # Round to two significant digits, then print in fixed notation (never "4.7e-06").
    return f"${Decimal(f'{usd:.2g}'):f}"


class Ledger:
    """The session's capacity ledger: every request with what it consumed and cost. Thread-safe (workers
    record from their threads while the UI reads)."""

    def __init__(self, region: str | None = None, *, keep: int = 10_000) -> None:
        self.region = region or _prices.DEFAULT_REGION
        self._lock = threading.Lock()
        self._entries: deque[LedgerEntry] = deque(maxlen=keep)
        self._totals = TableTotals()
        self._tables: dict[str, TableTotals] = {}

    def record(
        self,
        operation: str,
        table: str,
        capacity: ConsumedCapacity,
        *,
        billing_mode: str | None = None,
    ) -> LedgerEntry:
        """Add one request. ``billing_mode`` (DescribeTable's, default on-demand) picks the price."""
        price = _prices.price_for(self.region, billing_mode)
        if capacity.kind == "write":
            cost = price.cost(0.0, capacity.total)
        else:
            cost = price.cost(capacity.total, 0.0)
        entry = LedgerEntry(time.time(), operation, table, capacity, cost)
        with self._lock:
            self._entries.append(entry)
            self._totals.add(capacity, cost)
            self._tables.setdefault(table, TableTotals()).add(capacity, cost)
        return entry

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._totals = TableTotals()
            self._tables.clear()

    @property
    def requests(self) -> int:
        with self._lock:
            return self._totals.requests

    @property
    def read_units(self) -> float:
        with self._lock:
            return self._totals.read_units

    @property
    def write_units(self) -> float:
        with self._lock:
            return self._totals.write_units

    @property
    def cost(self) -> float:
        """Estimated dollars for the session (see ``ddbtui.core.prices`` for how provisioned is priced)."""
        with self._lock:
            return self._totals.cost

    @property
    def estimated(self) -> bool:
        """True when any figure in the totals is ddbtui's estimate rather than DynamoDB's."""
        with self._lock:
            return self._totals.estimated

    def totals(self) -> TableTotals:
        with self._lock:
            t = self._totals
            return TableTotals(t.requests, t.read_units, t.write_units, t.cost, t.estimated)

    def per_table(self) -> dict[str, TableTotals]:
        """A copy of the totals per table name."""
        with self._lock:
            return {
                name: TableTotals(t.requests, t.read_units, t.write_units, t.cost, t.estimated)
                for name, t in self._tables.items()
            }

    def entries(self) -> list[LedgerEntry]:
        """A copy of the most recent entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def summary(self) -> str:
        """One line: ``14 requests · 37.5 RCU · 2 WCU · $0.0000047``, with `` (est.)`` appended when any
        figure is ddbtui's estimate."""
        t = self.totals()
        noun = "request" if t.requests == 1 else "requests"
        text = (
            f"{t.requests:,} {noun} · {format_units(t.read_units)} RCU · "
            f"{format_units(t.write_units)} WCU · {format_cost(t.cost)}"
        )
        return text + " (est.)" if t.estimated else text
