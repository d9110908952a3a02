"""Capacity: item sizes, read and write units, DynamoDB's ConsumedCapacity, and the session ledger.

Emulators report capacity that is not DynamoDB's (moto answers about 1.0 for any Query page), so ddbtui
computes its own figure from the items it sees. The rules follow the AWS developer guide and were checked
byte for byte and unit for unit against DynamoDB Local (AWS's own engine, the reference) in
``tests/aws/test_capacity_conformance.py``. Where DynamoDB Local and the guide disagree, the comment at the
rule says which one this module follows and why.

Items are in DynamoDB's AttributeValue form (``{"a": {"S": "x"}, "n": {"N": "1.5"}}``); binary values may
be ``bytes`` (what boto3 returns) or base64 text (what DynamoDB JSON on the wire carries).

Layout: ``ddbtui.core.sizes`` (item and value sizes), ``ddbtui.core.equality`` (``canonical``),
``ddbtui.core.consumed`` (ConsumedCapacity), ``ddbtui.core.ledger`` (Ledger, formatting); this module
holds the units of reads, index entries and writes, and re-exports the rest so every name stays
importable from here.

Pure: stdlib only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.consumed import ConsumedCapacity
from ddbtui.core.equality import _same_items, _same_values, canonical
from ddbtui.core.ledger import Ledger, LedgerEntry, TableTotals, format_cost, format_units
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema
from ddbtui.core.sizes import MAX_ITEM_SIZE, item_size, number_size, value_size

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
