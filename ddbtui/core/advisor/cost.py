"""The cost model: read units of the request as it stands and of each way to rewrite it, the write units a
new index adds, and the words for those figures.

Numbers come from the schema (TableSizeBytes / ItemCount) and, when given, the run: ``RunStats.count`` /
``scanned_count`` measure what a filter keeps, ``items`` give item and index-entry sizes.
"""

from __future__ import annotations

import math

from ddbtui.core import prices
from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.candidates import Candidate
from ddbtui.core.advisor.model import PAGE_BYTES, RunStats
from ddbtui.core.advisor.sample import TableSample, keeps, query_units
from ddbtui.core.capacity import (
    format_cost,
    format_units,
    get_item_units,
    in_index,
    index_entry_size,
    item_size,
    read_units,
)
from ddbtui.core.expr import Compare, Node, Path
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import IndexSchema, TableSchema


class Cost:
    """What reading costs, for one request on one table (with the run's statistics, when there was one)."""

    def __init__(
        self,
        request: ReadRequest,
        schema: TableSchema,
        stats: RunStats | None,
        region: str | None,
        analysis: Analysis,
        sample: TableSample | None = None,
    ) -> None:
        self.req = request
        self.schema = schema
        self.stats = stats
        self.region = region
        self.a = analysis
        self.sample = sample if sample is not None and sample.items else None

    @property
    def consistent(self) -> bool:
        return bool(self.req.consistent)

    def avg_item_size(self) -> float | None:
        if self.schema.average_item_size:
            return self.schema.average_item_size
        st = self.stats
        if st is None:
            return None
        if st.average_item_size:
            return st.average_item_size
        if st.items and self.a.projection is None and self.a.reads.kind == "table":
            return sum(item_size(i) for i in st.items) / len(st.items)
        return None

    def entry_size(self, index: IndexSchema) -> float | None:
        """Average bytes a read of one item through ``index`` counts."""
        if index.kind == "table" or index.projection == "ALL":
            return self.avg_item_size()
        st = self.stats
        if st and st.items and self.a.projection is None and self.a.reads.kind == "table":
            sizes = [index_entry_size(i, self.schema.key, index) for i in st.items if in_index(i, index)]
            if sizes:
                return sum(sizes) / len(sizes)
        return self.avg_item_size()  # an upper bound: the entry is part of the item

    def proposed_entry_size(self, index: IndexSchema) -> float | None:
        """Average bytes of an entry of ``index``, an index that does not exist yet."""
        st = self.stats
        if (
            index.projection != "ALL"
            and st
            and st.items
            and self.a.projection is None
            and self.a.reads.kind == "table"
        ):
            sizes = [index_entry_size(i, self.schema.key, index) for i in st.items]
            return sum(sizes) / len(sizes)
        return self.avg_item_size()

    def table_bytes(self) -> tuple[float | None, str]:
        """Bytes a full scan of what the request reads, and where the figure comes from."""
        reads = self.a.reads
        if reads.kind != "table":
            if reads.size_bytes:
                return float(reads.size_bytes), "IndexSizeBytes"
            avg = self.entry_size(reads)
            if reads.item_count and avg:
                return reads.item_count * avg, "the index's ItemCount × an average entry size"
            return None, "the index size is unknown"
        if self.schema.size_bytes:
            return float(self.schema.size_bytes), "TableSizeBytes"
        avg = self.avg_item_size()
        if self.schema.item_count and avg:
            return self.schema.item_count * avg, "ItemCount × the average item size of the last run"
        if self.schema.item_count:
            return None, (
                f"the table holds {self.schema.item_count:,} items but reports no size (emulators report "
                "0 bytes); run the request once to measure it"
            )
        return None, "the table reports neither its size nor its item count"

    def rcu(self, nbytes: float, index: IndexSchema | None = None) -> float:
        consistent = self.consistent and (index is None or index.kind != "gsi")
        return read_units(math.ceil(nbytes), consistent)

    def current_rcu(self) -> float | None:
        """What the request as it stands costs to read to the end."""
        st = self.stats
        if st and st.exhausted and st.consumed_rcu is not None:
            return st.consumed_rcu
        if self.a.full_scan:
            nbytes, _ = self.table_bytes()
            return self.rcu(nbytes, self.a.reads) if nbytes is not None else None
        return None

    def matches(self) -> tuple[float | None, bool]:
        """Items the whole request returns: (number, measured exactly)."""
        st = self.stats
        if st is None:
            return None, False
        if st.exhausted:
            return float(st.count), True
        if self.a.full_scan and st.scanned_count and self.scan_items():
            return st.count / st.scanned_count * (self.scan_items() or 0), False
        return None, False

    def scan_items(self) -> int | None:
        reads = self.a.reads
        return reads.item_count if reads.kind != "table" else self.schema.item_count

    def price(self, rcu: float) -> str:
        return format_cost(prices.cost(rcu, 0.0, self.region, self.schema.billing_mode))

    def saving(self, new: float | None) -> str:
        """`` About 12× fewer read units: ...`` for a rewrite costing ``new``; empty when it saves little."""
        cur = self.current_rcu()
        if cur is None:
            cur = self.sampled_current()
        if new is None or cur is None or cur <= 0:
            return ""
        if new <= 0:
            return f" It reads nothing it discards: {rcu_text(cur)} RCU → {rcu_text(new)}."
        factor = cur / new
        if factor < 1.5:
            return ""
        return f" About {factor:,.0f}× fewer read units: ~{rcu_text(new)} RCU instead of ~{rcu_text(cur)}."

    def estimate(self, cand: Candidate) -> float | None:
        """Read units of a candidate: known for a single item; from the sample (the whole key range the
        Query reads, other entity types included); else from the run when the key condition alone
        selects what the request returns."""
        size = self.entry_size(cand.index)
        if cand.full_key and cand.partition is not None:
            if self.sample is not None:
                size = self.sampled_item_size(cand) or size
            return get_item_units(math.ceil(size) if size else 1, self.consistent)
        if self.sample is not None:
            return self.sampled(cand)
        if cand.rest and not cand.derived:
            return None
        m, _exact = self.matches()
        if m is None or size is None:
            return None
        units = self.rcu(m * size, cand.index)
        if cand.coverage == 1:
            avg = self.avg_item_size() or size
            units += m * read_units(math.ceil(avg), self.consistent)
        return units

    def sampled(self, cand: Candidate) -> float:
        """Read units of the Query (one per IN value) of ``cand``, from the sample."""
        assert self.sample is not None
        idx = cand.index
        sort = cand.sort_node()
        values = [cand.partition[1]] if cand.partition is not None else list(cand.partitions)
        fetch = cand.coverage == 1 and cand.projection is not None
        total = 0.0
        for v in values:
            key: list[Node] = [Compare("=", Path((idx.key.partition_key,)), v)]
            if sort is not None:
                key.append(sort)
            total += query_units(
                self.sample, self.schema.key, idx, key, consistent=self.consistent, fetch=fetch
            )
        return total

    def sampled_item_size(self, cand: Candidate) -> float | None:
        """The size of the one item a full table key names, when the sample holds it."""
        assert self.sample is not None
        key = cand.key_node()
        hit = [i for i in self.sample.items if keeps([key], i)]
        return float(item_size(hit[0])) if hit else None

    def sampled_current(self) -> float | None:
        """Read units of the Query as it stands, from the sample (None for anything but a Query)."""
        if self.sample is None or self.a.operation != "query" or not self.a.key:
            return None
        reads = self.a.reads
        fetch = False
        if reads.kind == "lsi" and reads.projection != "ALL" and self.a.needed is not None:
            have = set(self.schema.key.attributes) | set(reads.key.attributes) | set(reads.non_key_attributes)
            fetch = not self.a.needed <= have
        return query_units(
            self.sample, self.schema.key, reads, self.a.key, consistent=self.consistent, fetch=fetch
        )

    def write_cost_text(self, index: IndexSchema, entry: float | None) -> str:
        """What ``index`` would add to every write, in a sentence."""
        keys = " and ".join(index.key.attributes)
        price = prices.price_for(self.region, self.schema.billing_mode)
        if entry is None:
            wcu_words = "at least 1 more WCU (1 per KB of the index entry)"
            wcu = 1
        else:
            wcu = max(1, math.ceil(entry / 1024))
            wcu_words = f"~{wcu} more WCU (an index entry of ~{kb(entry)})"
        per_million = format_cost(wcu * price.write_unit * 1_000_000)
        return (
            f"Each put, update or delete of an item that has {keys} would cost {wcu_words}, "
            f"{per_million} per million writes{' on-demand' if price.billing_mode == prices.ON_DEMAND else ''}; "
            f"an update that changes {index.key.partition_key} costs twice that (the entry moves)."
        )


def rcu_text(units: float) -> str:
    """Read units for a sentence: whole numbers from 100 up, one decimal from 10, else as computed."""
    if units >= 100:
        return format_units(float(round(units)))
    if units >= 10:
        return format_units(round(units, 1))
    return format_units(units)


def mb(nbytes: float) -> str:
    if nbytes >= PAGE_BYTES:
        return f"{nbytes / PAGE_BYTES:,.1f} MB"
    return kb(nbytes)


def kb(nbytes: float) -> str:
    if nbytes >= 1024:
        return f"{nbytes / 1024:,.1f} KB"
    return f"{nbytes:,.0f} B"
