"""Read the key census of the table report (``ddbtui.core.report.census`` says why and what it is).

First a Query (Select=COUNT) of each partition key the item sample stopped inside (its count there is
a lower bound), then a parallel Scan that returns only the partition key (ProjectionExpression), over
``segments_total`` segments taken in a random order, each read to its end, until the capacity budget is
spent. The budget
is what the report's cap leaves after the item sample. A new page is started only while the pages in
flight, at their expected cost, fit in what is left, so the census stays under its budget.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ddbtui.core.report.census import CensusBuilder, KeyCensus
from ddbtui.core.schema import TableSchema

THREADS = 4
SEGMENTS_IN_BUDGET = 32  # when the budget covers only part of the table: segments it can read whole
# on emulators with estimated capacity (moto: each Scan request walks the whole table, ~0.25 s for 11k
# items) fewer, larger segments: the same coverage in a third of the requests
EMULATOR_SEGMENTS_IN_BUDGET = 8
MAX_SEGMENTS = 4096
MIN_SEGMENTS = 4
BYTES_PER_RCU = 8192  # eventually consistent: 0.5 RCU per 4 KB read


def census_segments(
    table_items: int | None, coverable_items: float, budget: float, in_budget: int = SEGMENTS_IN_BUDGET
) -> int:
    """How many segments to cut the table into: few when the budget covers it (parallel reads only),
    else enough that ``in_budget`` whole segments fit in the budget; never more segments than the
    budget's RCU (an empty segment still costs a 0.5 RCU request: empty ones take at most half of it)."""
    if not table_items:
        wanted = 64  # ItemCount is 0 on a new table until AWS's six-hourly update: assume nothing
    elif coverable_items >= 1.5 * table_items:
        wanted = MIN_SEGMENTS
    else:
        wanted = math.ceil(in_budget * table_items / max(coverable_items, 1.0))
    return max(MIN_SEGMENTS, min(wanted, MAX_SEGMENTS, max(MIN_SEGMENTS, int(budget))))


def read_key_census(
    client: Any,
    schema: TableSchema,
    *,
    budget: float,
    mean_item_size: float,
    table_items: int | None,
    estimate_capacity: bool = False,
    cancel: threading.Event | None = None,
    rate: float | None = None,
    seed: int | None = None,
    segments: int | None = None,
    count_first: Sequence[Mapping[str, Any]] = (),
    on_page: Callable[[int, float], None] | None = None,
) -> KeyCensus:
    """Count the items of each partition key in whole, randomly chosen segments within ``budget`` RCU.

    ``mean_item_size`` (from the item sample) sizes the pages and, when ``estimate_capacity`` (emulators
    whose figures are not DynamoDB's), prices them: a page costs its items' bytes rounded up to 4 KB, at
    0.5 RCU per 4 KB. ``rate`` (RCU per second) paces the reads. ``on_page(items, capacity)`` is called
    after each page with the running totals, from the reading threads. ``count_first``: partition key
    values (DynamoDB JSON) to count with a Query (Select=COUNT) before the segments: the keys the item
    sample stopped inside, whose sample counts are lower bounds.
    """
    cancel = cancel or threading.Event()
    failed = threading.Event()  # a reading thread raised: the others stop (the caller's cancel is left)
    mean = max(1.0, mean_item_size)
    coverable = budget * BYTES_PER_RCU / mean
    in_budget = EMULATOR_SEGMENTS_IN_BUDGET if estimate_capacity else SEGMENTS_IN_BUDGET
    total = segments or census_segments(table_items, coverable, budget, in_budget)
    # one page at most a sixteenth of the budget (and DynamoDB's 1 MB), so stopping wastes little
    limit = max(25, min(int(coverable / 16), int(1024 * 1024 / mean) + 1))
    page_cost = max(0.5, limit * mean / BYTES_PER_RCU)
    order = list(range(total))
    random.Random(seed).shuffle(order)
    builder = CensusBuilder(schema.key.partition_key, total, table_items)
    lock = threading.Lock()
    spent = 0.0
    inflight = 0
    stopped = False
    estimated = False
    started = time.monotonic()
    names = {"#k": schema.key.partition_key}

    def claim() -> bool:
        """Reserve one page's expected cost; False when it would pass the budget."""
        nonlocal inflight, stopped
        with lock:
            if cancel.is_set() or failed.is_set() or stopped:
                return False
            if spent + (inflight + 1) * page_cost > budget:
                stopped = True
                return False
            inflight += 1
            return True

    def page_units(resp: Mapping[str, Any], count: int) -> tuple[float, bool]:
        reported = (resp.get("ConsumedCapacity") or {}).get("CapacityUnits")
        if estimate_capacity or reported is None:
            return 0.5 * max(1, math.ceil(count * mean / 4096)), True
        return float(reported), False

    def read_pages(
        call: Callable[..., Any], params: dict[str, Any], record: Callable[[Mapping[str, Any], bool], int]
    ) -> None:
        """Page through one request (a key's Query, a segment's Scan), each page claimed first;
        ``record(resp, finished)`` counts the page under the lock and gives its item count."""
        nonlocal spent, inflight, estimated
        params = {**params, "Limit": limit, "ReturnConsumedCapacity": "TOTAL"}
        start: dict[str, Any] | None = None
        while True:
            if not claim():
                return
            try:
                resp = call(**params, **({"ExclusiveStartKey": start} if start else {}))
            finally:
                with lock:
                    inflight -= 1
            start = resp.get("LastEvaluatedKey")
            with lock:
                units, page_estimated = page_units(resp, record(resp, start is None))
                spent += units
                estimated = estimated or page_estimated
                if on_page:
                    on_page(builder.items, spent)
                wait = (spent / rate - (time.monotonic() - started)) if rate else 0.0
            if start is None:
                return
            if wait > 0 and cancel.wait(wait):
                return

    def count_key(key: Mapping[str, Any]) -> None:
        def record(resp: Mapping[str, Any], finished: bool) -> int:
            count = int(resp.get("Count", 0))
            builder.add_count(key, count, finished=finished)
            return count

        params = {
            "TableName": schema.name,
            "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":v": dict(key)},
            "Select": "COUNT",
        }
        read_pages(client.query, params, record)

    def read_segment(segment: int) -> None:
        def record(resp: Mapping[str, Any], finished: bool) -> int:
            items = resp.get("Items", [])
            builder.add(segment, items)
            if finished:
                builder.segment_done(segment)
            return len(items)

        params = {
            "TableName": schema.name,
            "ProjectionExpression": "#k",
            "ExpressionAttributeNames": names,
            "Segment": segment,
            "TotalSegments": total,
        }
        read_pages(client.scan, params, record)

    errors: list[BaseException] = []

    def run(tasks: list[Callable[[], None]]) -> None:
        queue = iter(tasks)
        queue_lock = threading.Lock()

        def worker() -> None:
            try:
                while True:
                    with queue_lock:
                        task = next(queue, None)
                    if task is None or cancel.is_set() or failed.is_set() or stopped:
                        return
                    task()
            except BaseException as e:  # noqa: BLE001 - re-raised below, in the caller's thread
                errors.append(e)
                failed.set()

        threads = [
            threading.Thread(target=worker, name=f"ddbtui-census-{i}", daemon=True)
            for i in range(min(THREADS, len(tasks)))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    # the sample's cut keys first, all of them before any segment: they are the likeliest hot keys
    run([lambda k=k: count_key(k) for k in count_first])
    run([lambda s=s: read_segment(s) for s in order])
    if errors:
        raise errors[0]
    return builder.result(capacity=spent, estimated=estimated, stopped_by_cap=stopped)


__all__ = ["census_segments", "read_key_census"]
