"""Load the demo data set (:mod:`ddbtui.aws.demo_data`) into any DynamoDB endpoint through a boto3 client.

Tables are created first (all of them, so a UI can list them at once), then filled smallest table first,
each in the order :func:`demo_data.items` yields (small, often-used partitions early, the hot partition
last). Writes go through BatchWriteItem in batches of 25 from a few threads; ``UnprocessedItems`` are
sent again with exponential backoff until none are left, so nothing is ever dropped.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from ddbtui.aws import demo_data
from ddbtui.core.errors import DdbtuiError

BATCH_SIZE = 25  # BatchWriteItem's limit on DynamoDB (moto accepts more; DynamoDB Local does not)
DEFAULT_THREADS = 2

Progress = Callable[[int, int], None]


class SeedError(DdbtuiError):
    """The demo data could not be loaded (a table would not become ACTIVE, or writes kept failing)."""


def seed_order(tables: Iterable[str] | None = None) -> list[str]:
    """The demo tables to load, smallest first (all of them when ``tables`` is None)."""
    names = list(tables) if tables is not None else demo_data.table_names()
    for n in names:
        demo_data.table_definition(n)  # KeyError for an unknown name
    return sorted(names, key=demo_data.item_count)


def create_tables(
    client: Any, tables: Iterable[str] | None = None, table_prefix: str = "", streams: bool = False
) -> list[str]:
    """Create the demo tables (those missing), wait until they and their indexes are ACTIVE, enable TTL.

    Streams stay off unless ``streams=True``: :func:`seed` turns them on once a table is loaded (faster
    on moto, and the stream then holds only the user's changes); :func:`enable_streams` does it for
    tables that are created but not loaded. Returns the table names (with the prefix).
    """
    names = seed_order(tables)
    out = []
    for name in names:
        params = copy.deepcopy(demo_data.table_definition(name))
        full = params["TableName"] = table_prefix + name
        if not streams:
            params.pop("StreamSpecification", None)
        # already there: keep it, the puts below overwrite the same keys
        with contextlib.suppress(client.exceptions.ResourceInUseException):
            client.create_table(**params)
        out.append(full)
    for name, full in zip(names, out, strict=True):
        wait_active(client, full)
        if attr := demo_data.TTL.get(name):
            _enable_ttl(client, full, attr)
    return out


def enable_streams(client: Any, tables: Iterable[str] | None = None, table_prefix: str = "") -> None:
    """Turn on the streams the demo tables define (those already on stay as they are)."""
    import botocore.exceptions

    for name in seed_order(tables):
        spec = demo_data.table_definition(name).get("StreamSpecification")
        if not spec:
            continue
        full = table_prefix + name
        current = client.describe_table(TableName=full)["Table"].get("StreamSpecification") or {}
        if current.get("StreamEnabled"):
            continue
        with contextlib.suppress(botocore.exceptions.ClientError):  # an engine without streams
            client.update_table(TableName=full, StreamSpecification=spec)
        wait_active(client, full)


def wait_active(client: Any, table: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        t = client.describe_table(TableName=table)["Table"]
        statuses = [t.get("TableStatus")] + [
            g.get("IndexStatus", "ACTIVE") for g in t.get("GlobalSecondaryIndexes", [])
        ]
        if all(s == "ACTIVE" for s in statuses):
            return
        if time.monotonic() > deadline:
            raise SeedError(
                f"table {table} is not ACTIVE after {timeout:.0f} s ({', '.join(map(str, statuses))})"
            )
        time.sleep(0.1)


def _enable_ttl(client: Any, table: str, attribute: str) -> None:
    import botocore.exceptions

    # already enabled, or the engine does not support it: the data is still useful
    with contextlib.suppress(botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
        client.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
        )


def write_batch(client: Any, table: str, batch: list[dict[str, Any]], max_attempts: int = 60) -> int:
    """Put ``batch`` (≤ 25 items) with BatchWriteItem, resending UnprocessedItems with backoff until done."""
    request: dict[str, Any] = {table: [{"PutRequest": {"Item": item}} for item in batch]}
    delay = 0.05
    for _ in range(max_attempts):
        resp = client.batch_write_item(RequestItems=request)
        request = resp.get("UnprocessedItems") or {}
        if not request:
            return len(batch)
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
    left = sum(len(v) for v in request.values())
    raise SeedError(f"{left} items of a batch into {table} stayed unprocessed after {max_attempts} attempts")


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed(
    client: Any,
    tables: Iterable[str] | None = None,
    progress: Progress | None = None,
    *,
    table_prefix: str = "",
    threads: int = DEFAULT_THREADS,
    cancel: threading.Event | None = None,
    stream_after_load: bool = True,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Create the demo tables and load every item; returns the number of items written.

    ``tables``: demo table names (default: all); ``table_prefix`` is put in front of each name on the
    server (``items()`` still takes the plain name). ``progress(written, total)`` is called from the
    calling thread after each batch. ``threads`` writer threads share the (thread-safe) client.
    ``batch_size`` is 25, DynamoDB's limit; moto accepts more (100 seeds moto ~20% faster).
    Setting ``cancel`` stops after the batches in flight; the count written so far is returned.

    With ``stream_after_load`` (the default) a table's stream is enabled only once its items are loaded:
    seeding is ~25% faster on moto, and the stream then holds the user's changes, not 11,000 INSERTs.
    """
    names = seed_order(tables)
    create_tables(client, names, table_prefix, streams=not stream_after_load)
    written = _load(client, names, table_prefix, progress, threads, cancel, batch_size)
    if stream_after_load and not (cancel is not None and cancel.is_set()):
        enable_streams(client, names, table_prefix)
    return written


def _load(
    client: Any,
    names: list[str],
    table_prefix: str,
    progress: Progress | None,
    threads: int,
    cancel: threading.Event | None,
    batch_size: int,
) -> int:
    total = sum(demo_data.item_count(n) for n in names)
    written = 0
    if progress:
        progress(0, total)
    jobs = ((table_prefix + n, b) for n in names for b in _batches(demo_data.items(n), batch_size))

    if threads <= 1:
        for full, batch in jobs:
            if cancel is not None and cancel.is_set():
                break
            written += write_batch(client, full, batch)
            if progress:
                progress(written, total)
        return written

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ddbtui-seed") as pool:
        pending: set[Future[int]] = set()
        try:
            for full, batch in jobs:
                if cancel is not None and cancel.is_set():
                    break
                pending.add(pool.submit(write_batch, client, full, batch))
                if len(pending) >= threads * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        written += f.result()
                    if progress:
                        progress(written, total)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    written += f.result()
                if progress:
                    progress(written, total)
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    return written
