"""The key census: how many items each partition key holds, counted over whole Scan segments.

Why not the item sample: a Scan returns items in the order of the partition keys' hashes, so all items of
one key sit together at one point of the hash space. A sample that reads the start of a few segments holds
whole collections from a few places and misses every key that sits further in; its shares are lower
bounds that depend on where the keys happen to hash. The census instead reads only the partition key of
each item (a projection: the capacity is the same, the bytes on the wire are few) over *whole* segments,
chosen at random among many: every key is counted exactly or not at all, and every key has the same
chance to be counted, wherever it hashes. Within the report's capacity cap that is the whole table for
most tables (one RCU counts 8 KB of items); past it the census says how much of the table it covered.

Pure: stdlib and ``ddbtui.core`` only. ``ddbtui.aws.key_census`` does the reading.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ddbtui.core.distribution import gini, key_text

TOP_KEYS = 10


@dataclass(frozen=True)
class KeyCount:
    """One partition key of the census and its share of the table's items."""

    key: str  # as text (see ``distribution.key_text``)
    key_type: str  # S | N | B
    items: int
    share: float  # of the table's items: exact when the census is complete, else estimated
    at_least: bool = False  # counted in a segment or a Query the capacity cap stopped: a lower bound


@dataclass(frozen=True)
class KeyCensus:
    items: int  # items whose partition key was counted
    keys: int  # distinct partition keys counted
    segments_total: int
    segments_read: int  # read to their end
    segments_partial: int  # started, not finished (the capacity cap came first)
    table_items: int | None  # DescribeTable's ItemCount (AWS updates it about every six hours)
    capacity: float
    estimated: bool
    stopped_by_cap: bool
    top: tuple[KeyCount, ...]
    median_items_per_key: float
    gini: float
    # the partition keys the item sample stopped inside (its count of them is a lower bound), each
    # counted with a Query (Select=COUNT) before the segments
    queried: tuple[KeyCount, ...] = ()

    @property
    def complete(self) -> bool:
        return self.segments_read == self.segments_total and not self.segments_partial

    @property
    def coverage(self) -> float:
        """The share of the hash space counted to the end: 1.0 for a complete census."""
        return self.segments_read / self.segments_total if self.segments_total else 0.0

    @property
    def estimated_table_items(self) -> int:
        """What the shares are of: the count itself when complete, else ItemCount (when it is not below
        what was counted) or the count scaled by the coverage."""
        if self.complete:
            return self.items
        if self.table_items and self.table_items >= self.items:
            return self.table_items
        return round(self.items / self.coverage) if self.coverage else self.items

    def describe(self) -> str:
        """One sentence on what was counted, for the report's texts."""
        cost = f"{self.capacity:,.1f} RCU{' est.' if self.estimated else ''}"
        queried = (
            f"; the {len(self.queried)} key{'' if len(self.queried) == 1 else 's'} the sample stopped inside "
            "counted with Query"
            if self.queried
            else ""
        )
        if self.complete:
            return (
                f"keys of all {self.items:,} items counted ({self.segments_total} segments{queried}, {cost})"
            )
        share = self.items / self.estimated_table_items if self.estimated_table_items else 0.0
        return (
            f"keys of {self.items:,} items counted, ~{share:.0%} of the table "
            f"({self.segments_read} of {self.segments_total} segments chosen at random, read whole{queried}; "
            f"{cost}; the capacity cap stopped it: a key in neither those segments nor the sample is not seen)"
        )


class CensusBuilder:
    """Count partition keys segment by segment; ``result()`` gives the ``KeyCensus``."""

    def __init__(self, partition_key: str, segments_total: int, table_items: int | None = None) -> None:
        self.partition_key = partition_key
        self.segments_total = segments_total
        self.table_items = table_items
        self.items = 0
        self.counts: dict[tuple[str, str], int] = {}
        self.read: set[int] = set()
        self.started: set[int] = set()
        self.queried: dict[tuple[str, str], tuple[int, bool]] = {}  # key -> (count, finished)
        self.last_key: dict[int, tuple[str, str]] = {}  # the key of the last item read in each segment

    def add(self, segment: int, items: list[Mapping[str, Mapping[str, Any]]]) -> None:
        self.started.add(segment)
        for item in items:
            av = item.get(self.partition_key)
            if av is None:
                continue
            ((tag, _v),) = av.items()
            k = (tag, key_text(av))
            self.counts[k] = self.counts.get(k, 0) + 1
            self.items += 1
            self.last_key[segment] = k

    def add_count(self, key: Mapping[str, Any], count: int, *, finished: bool) -> None:
        """A Query's count of one partition key's items (``finished``: read to the collection's end)."""
        ((tag, _v),) = key.items()
        k = (tag, key_text(key))
        before, _ = self.queried.get(k, (0, False))
        self.queried[k] = (before + count, finished)

    def segment_done(self, segment: int) -> None:
        self.started.add(segment)
        self.read.add(segment)

    def result(self, *, capacity: float, estimated: bool, stopped_by_cap: bool) -> KeyCensus:
        partial = len(self.started - self.read)
        census = KeyCensus(
            items=self.items,
            keys=len(self.counts),
            segments_total=self.segments_total,
            segments_read=len(self.read),
            segments_partial=partial,
            table_items=self.table_items,
            capacity=capacity,
            estimated=estimated,
            stopped_by_cap=stopped_by_cap,
            top=(),
            median_items_per_key=float(statistics.median(self.counts.values())) if self.counts else 0.0,
            gini=gini(self.counts.values()),
        )
        denominator = max(1, census.estimated_table_items)
        # a Scan returns each partition key's items one after another: in a segment the cap stopped, only
        # the key of the last item read may go on (its count is a lower bound); the others are exact
        cut = {self.last_key[seg] for seg in self.started - self.read if seg in self.last_key}
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_KEYS]
        top = tuple(
            KeyCount(text, tag, n, n / denominator, at_least=(tag, text) in cut) for (tag, text), n in ranked
        )
        queried = tuple(
            KeyCount(text, tag, n, n / denominator, at_least=not finished)
            for (tag, text), (n, finished) in sorted(self.queried.items(), key=lambda kv: (-kv[1][0], kv[0]))
        )
        return dataclasses.replace(census, top=top, queried=queried)


__all__ = ["TOP_KEYS", "CensusBuilder", "KeyCensus", "KeyCount"]
