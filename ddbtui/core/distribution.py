"""How a sample of items spreads over partition keys and sizes: counts, bytes, skew and a size histogram.

Fed item by item (``DistributionBuilder.add``) so a caller can show it growing while a sample is read;
memory grows with the number of distinct partition keys, never with item contents. A later TUI view
draws the result; the table report reads it for its hot-partition and large-item findings.

Pure: stdlib and ``ddbtui.core`` only.
"""

from __future__ import annotations

import base64
import heapq
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ddbtui.core.capacity import MAX_ITEM_SIZE, index_entry_size, item_size, value_size
from ddbtui.core.schema import IndexSchema, KeySchema

# Upper bounds (exclusive) of the size buckets; the last one ends at DynamoDB's 400 KB item limit.
SIZE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("< 1 KB", 1024),
    ("1-4 KB", 4 * 1024),
    ("4-16 KB", 16 * 1024),
    ("16-64 KB", 64 * 1024),
    ("64-256 KB", 256 * 1024),
    ("256-400 KB", MAX_ITEM_SIZE + 1),
)


def key_text(av: Mapping[str, Any] | None) -> str:
    """A key value as text: strings and numbers as they are, binary as base64 (no quoting, not escaped)."""
    if av is None:
        return ""
    ((tag, value),) = av.items()
    if tag == "B":
        raw = value if isinstance(value, bytes | bytearray) else base64.b64decode(value)
        return base64.b64encode(bytes(raw)).decode()
    return str(value)


@dataclass(frozen=True)
class PartitionStat:
    """One partition key of the sample: how many items and bytes it holds there."""

    key: str  # the partition key value as text (see ``key_text``)
    key_type: str  # S | N | B
    items: int
    bytes: int
    largest_item: int
    share_items: float  # of the sample's items
    share_bytes: float  # of the sample's bytes


@dataclass(frozen=True)
class ItemSize:
    """One item of the sample by its primary key, with its size in DynamoDB's bytes."""

    partition_key: str
    sort_key: str | None
    size: int
    largest_attribute: str | None = None  # the attribute that weighs most (name + value bytes)
    largest_attribute_size: int = 0
    partition_key_type: str = "S"
    sort_key_type: str | None = None

    @property
    def share_of_limit(self) -> float:
        return self.size / MAX_ITEM_SIZE


@dataclass(frozen=True)
class Bucket:
    """Items whose size is in ``[low, high)`` bytes."""

    label: str
    low: int
    high: int
    items: int
    bytes: int


@dataclass(frozen=True)
class Distribution:
    """The shape of a sample: see ``DistributionBuilder``."""

    items: int
    bytes: int
    partitions: int
    top_by_items: tuple[PartitionStat, ...]
    top_by_bytes: tuple[PartitionStat, ...]
    gini: float  # 0: every partition key holds as many items; towards 1: a few hold nearly all
    median_items_per_partition: float
    histogram: tuple[Bucket, ...]
    largest_items: tuple[ItemSize, ...]
    collections: tuple[PartitionStat, ...] = ()  # by bytes incl. LSI entries; only for tables with LSIs

    @property
    def top_share(self) -> float:
        """Share of the sample's items held by its largest partition (0 for an empty sample)."""
        return self.top_by_items[0].share_items if self.top_by_items else 0.0

    @property
    def mean_item_size(self) -> float:
        return self.bytes / self.items if self.items else 0.0

    @property
    def mean_items_per_partition(self) -> float:
        return self.items / self.partitions if self.partitions else 0.0


def gini(values: Iterable[float]) -> float:
    """The Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds all.

    Used as the skew figure of items per partition key: a uniform key spreads load evenly (near 0), a
    design with one hot key gives a figure near 1.
    """
    xs = sorted(v for v in values if v > 0)
    n, total = len(xs), sum(xs)
    if n < 2 or total <= 0:
        return 0.0
    weighted = sum(i * x for i, x in enumerate(xs, start=1))
    return max(0.0, (2.0 * weighted) / (n * total) - (n + 1.0) / n)


def bucket_for(size: int) -> int:
    """Index into ``SIZE_BUCKETS`` of an item of ``size`` bytes (oversized items fall in the last)."""
    for i, (_label, high) in enumerate(SIZE_BUCKETS):
        if size < high:
            return i
    return len(SIZE_BUCKETS) - 1


class DistributionBuilder:
    """Accumulate items of one table (or index) and summarise them with ``result()``.

    ``lsis``: the table's local secondary indexes; when given, each partition's *item collection* (its
    items plus their LSI entries, the unit of DynamoDB's 10 GB limit) is measured too.
    """

    def __init__(self, key: KeySchema, lsis: Sequence[IndexSchema] = (), keep_largest: int = 10) -> None:
        self.key = key
        self.lsis = tuple(lsis)
        self.keep_largest = keep_largest
        self.items = 0
        self.bytes = 0
        self._counts: dict[tuple[str, str], list[int]] = {}  # (type, text) -> [items, bytes, largest, coll]
        self._largest: list[tuple[int, int, ItemSize]] = []  # min-heap of (size, order, item)
        self._buckets = [[0, 0] for _ in SIZE_BUCKETS]

    def add(self, item: Mapping[str, Mapping[str, Any]], size: int | None = None) -> int:
        """Count one item; returns its size. Items without the partition key (a bad item) are ignored."""
        pk_av = item.get(self.key.partition_key)
        if pk_av is None:
            return 0
        size = item_size(item) if size is None else size
        self.items += 1
        self.bytes += size
        ((tag, _v),) = pk_av.items()
        slot = self._counts.setdefault((tag, key_text(pk_av)), [0, 0, 0, 0])
        slot[0] += 1
        slot[1] += size
        slot[2] = max(slot[2], size)
        if self.lsis:
            slot[3] += size + sum(
                index_entry_size(item, self.key, ix)
                for ix in self.lsis
                if all(a in item for a in ix.key.attributes)
            )
        b = self._buckets[bucket_for(size)]
        b[0] += 1
        b[1] += size
        if len(self._largest) < self.keep_largest or size > self._largest[0][0]:
            entry = (size, self.items, self._item_size(item, pk_av, tag, size))
            if len(self._largest) < self.keep_largest:
                heapq.heappush(self._largest, entry)
            else:
                heapq.heapreplace(self._largest, entry)
        return size

    def _item_size(
        self, item: Mapping[str, Mapping[str, Any]], pk_av: Any, pk_type: str, size: int
    ) -> ItemSize:
        sk = item.get(self.key.sort_key) if self.key.sort_key else None
        heaviest, weight = None, 0
        for name, av in item.items():
            w = len(name.encode("utf-8", "surrogatepass")) + value_size(av)
            if w > weight:
                heaviest, weight = name, w
        return ItemSize(
            key_text(pk_av),
            key_text(sk) if sk else None,
            size,
            heaviest,
            weight,
            pk_type,
            next(iter(sk)) if sk else None,
        )

    def add_all(self, items: Iterable[Mapping[str, Mapping[str, Any]]]) -> None:
        for it in items:
            self.add(it)

    def _stat(self, key: tuple[str, str], slot: list[int], by_collection: bool = False) -> PartitionStat:
        size = slot[3] if by_collection else slot[1]
        return PartitionStat(
            key=key[1],
            key_type=key[0],
            items=slot[0],
            bytes=size,
            largest_item=slot[2],
            share_items=slot[0] / self.items if self.items else 0.0,
            share_bytes=slot[1] / self.bytes if self.bytes else 0.0,
        )

    def result(self, top: int = 10) -> Distribution:
        """The summary so far: the ``top`` partitions by items and by bytes, skew, histogram, largest items."""
        counts = self._counts
        by_items = heapq.nlargest(top, counts.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        by_bytes = heapq.nlargest(top, counts.items(), key=lambda kv: (kv[1][1], kv[1][0]))
        collections: tuple[PartitionStat, ...] = ()
        if self.lsis:
            by_coll = heapq.nlargest(top, counts.items(), key=lambda kv: kv[1][3])
            collections = tuple(self._stat(k, v, by_collection=True) for k, v in by_coll)
        histogram = tuple(
            Bucket(label, SIZE_BUCKETS[i - 1][1] if i else 0, high, b[0], b[1])
            for i, ((label, high), b) in enumerate(zip(SIZE_BUCKETS, self._buckets, strict=True))
        )
        largest = tuple(e[2] for e in sorted(self._largest, key=lambda e: (-e[0], e[1])))
        return Distribution(
            items=self.items,
            bytes=self.bytes,
            partitions=len(counts),
            top_by_items=tuple(self._stat(k, v) for k, v in by_items),
            top_by_bytes=tuple(self._stat(k, v) for k, v in by_bytes),
            gini=gini(v[0] for v in counts.values()),
            median_items_per_partition=float(statistics.median(v[0] for v in counts.values()))
            if counts
            else 0.0,
            histogram=histogram,
            largest_items=largest,
            collections=collections,
        )


def distribution(
    items: Iterable[Mapping[str, Mapping[str, Any]]],
    key: KeySchema,
    lsis: Sequence[IndexSchema] = (),
    top: int = 10,
) -> Distribution:
    """Summarise ``items`` in one call (see ``DistributionBuilder``)."""
    builder = DistributionBuilder(key, lsis)
    builder.add_all(items)
    return builder.result(top)
