"""The advisor's sample of a table: a bounded number of items, read once per table with small Scans, whose
capacity is counted (and shown by the caller).

A table that holds no more items than the budget (by DescribeTable's ItemCount) is read whole, one page
after another, and the sample is *complete*: what the advisor says from it is exact. A larger table is
sampled in many small reads spread over the key space: a parallel-scan layout of many segments, a few of
them chosen at random (seeded by the table's name, so the same table gives the same advice), one page of
``per_read`` items from the start of each. Every read stops at the item budget or the capacity cap,
whichever comes first.

The items and the figures go into ``ddbtui.core.advisor.sample.TableSample``; the key templates and the
estimates are worked out there (pure).
"""

from __future__ import annotations

import math
import random
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ddbtui.aws.runner import PageRunner
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.requests import MAX_PAGE_SIZE, ReadRequest, build
from ddbtui.core.schema import TableSchema

DEFAULT_SAMPLE_ITEMS = 2000
PER_READ = 25  # items of one read of a partial sample
MAX_SEGMENTS = 1_000_000  # DynamoDB's limit on TotalSegments
WORKERS = 4
ROUNDS = 4  # of reads, when segments hold fewer items than they were expected to
RCU_PER_ITEM = 0.25  # the default capacity cap: 2 KB an item, eventually consistent
MIN_CAP = 50.0
PROVISIONED_SHARE = 0.25  # of a provisioned table's read capacity: the cap is 10 s of that share, at most


def default_cap(schema: TableSchema, items: int) -> float:
    """The capacity a sample of ``items`` items may consume (RCU)."""
    cap = max(MIN_CAP, items * RCU_PER_ITEM)
    if schema.billing_mode == "PROVISIONED" and schema.read_capacity:
        cap = min(cap, max(1.0, schema.read_capacity * PROVISIONED_SHARE * 10))
    return cap


def read_advisor_sample(
    client: Any,
    schema: TableSchema,
    *,
    items: int = DEFAULT_SAMPLE_ITEMS,
    max_capacity: float | None = None,
    estimate_capacity: bool = False,
    seed: int | None = None,
) -> TableSample | None:
    """Read the sample of ``schema``'s table: at most ``items`` items and ``max_capacity`` RCU (the
    default cap: ``default_cap``). None for ``items`` 0. ``estimate_capacity``: count ddbtui's own figure
    (emulators) rather than the server's."""
    if items <= 0:
        return None
    cap = default_cap(schema, items) if max_capacity is None else max_capacity
    reader = _Reader(client, schema, cap, estimate_capacity, threading.Event())
    count = schema.item_count
    if not count or count <= items:
        return reader.whole(items)
    rng = random.Random(zlib.crc32(schema.name.encode()) if seed is None else seed)
    return reader.spread(items, count, rng)


class _Reader:
    def __init__(
        self, client: Any, schema: TableSchema, cap: float, estimate: bool, cancel: threading.Event
    ) -> None:
        self.client, self.schema, self.cap, self.estimate, self.cancel = client, schema, cap, estimate, cancel
        self.items: list[dict[str, Any]] = []
        self.capacity = 0.0
        self.estimated = False
        self.pages = 0
        self.capped = False
        self.lock = threading.Lock()

    def _take(self, page: Any, budget: int) -> None:
        units = page.capacity(self.estimate)
        with self.lock:
            self.pages += 1
            self.items.extend(page.items[: max(0, budget - len(self.items))])
            if units is not None:
                self.capacity += units.total
                self.estimated = self.estimated or units.estimated
            if self.capacity >= self.cap:
                self.capped = True
                self.cancel.set()

    def whole(self, budget: int) -> TableSample:
        """Pages from the start of the table until its end, the budget or the cap."""
        req = ReadRequest(operation="scan", table=self.schema.name, limit=budget, page_size=min(budget, 500))
        runner = PageRunner(self.client, build(req, self.schema), self.schema, self.cancel)
        for page in runner.pages():
            self._take(page, budget)
            if len(self.items) >= budget:
                break
        return self._sample(runner.state.exhausted and not self.capped, "whole")

    def spread(self, budget: int, count: int, rng: random.Random) -> TableSample:
        """Reads of one page of ``PER_READ`` items each, from segments chosen at random among enough
        segments that each holds about ``PER_READ`` items; segments that hold fewer (a table of a few
        large item collections leaves many empty) leave their share to more segments, for a few rounds."""
        total = max(2, min(MAX_SEGMENTS, math.ceil(count / PER_READ)))
        used: set[int] = set()

        def pick(n: int) -> list[int]:
            out: list[int] = []
            while len(out) < n and len(used) < total:
                segment = rng.randrange(total)
                if segment not in used:
                    used.add(segment)
                    out.append(segment)
            return out

        def one(segment: int) -> None:
            if self.cancel.is_set():
                return
            req = ReadRequest(
                operation="scan", table=self.schema.name, page_size=min(PER_READ, MAX_PAGE_SIZE)
            )
            built = build(req, self.schema)
            built.params.update(Segment=segment, TotalSegments=total)
            runner = PageRunner(self.client, built, self.schema, self.cancel)
            for page in runner.pages():
                self._take(page, budget)
                break  # one page a segment: many small reads, spread out

        with ThreadPoolExecutor(WORKERS, thread_name_prefix="ddbtui-advisor-sample") as pool:
            for _round in range(ROUNDS):
                need = math.ceil((budget - len(self.items)) / PER_READ)
                segments = pick(need) if need > 0 and not self.cancel.is_set() else []
                if not segments:
                    break
                list(pool.map(one, segments))
        return self._sample(False, f"{len(used)} reads of {total:,} segments")

    def _sample(self, complete: bool, how: str) -> TableSample:
        return TableSample(
            tuple(self.items),
            table_items=self.schema.item_count or (len(self.items) if complete else None),
            complete=complete,
            consumed_rcu=self.capacity,
            estimated=self.estimated,
            pages=self.pages,
            method=how,
            capped=self.capped,
        )
