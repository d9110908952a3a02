"""Batches: BatchWriteItem 25 at a time, retrying UnprocessedItems until done; JSON Lines import and
deleting a selection of keys."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbtui.aws.journal import Journal, _journal
from ddbtui.aws.writes.common import (
    _THROTTLING,
    Progress,
    _add_cap,
    _choose,
    _endpoint,
    _error_code,
    _reported,
)
from ddbtui.core.capacity import ConsumedCapacity, Ledger, write_units
from ddbtui.core.errors import DdbtuiError, UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes import (
    Item,
    JournalRecord,
    WritePolicy,
    check_item,
    key_identity,
    key_of,
    key_text,
    parse_item,
)

BATCH_SIZE = 25


@dataclass
class BatchFailure:
    """A put or delete of a batch that was not written, and why."""

    operation: str  # put | delete
    key: Item
    reason: str


@dataclass
class BatchResult:
    """The outcome of a BatchWriter: every request is either written or listed in ``failed``."""

    table: str
    total: int = 0
    written: int = 0
    failed: list[BatchFailure] = field(default_factory=list)
    requests: int = 0  # BatchWriteItem calls
    retries: int = 0  # calls that resent unprocessed items
    reported: ConsumedCapacity | None = None
    estimated: ConsumedCapacity | None = None
    group: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and self.written == self.total

    def capacity(self, prefer_estimate: bool) -> ConsumedCapacity | None:
        return _choose(self.reported, self.estimated, prefer_estimate)

    def failure_summary(self, limit: int = 10) -> str:
        """Lines naming what failed (the first ``limit``, then a count)."""
        lines = [f"{f.operation} {key_text(f.key)}: {f.reason}" for f in self.failed[:limit]]
        if len(self.failed) > limit:
            lines.append(f"… and {len(self.failed) - limit} more")
        return "\n".join(lines)


class BatchWriteError(DdbtuiError):
    """A batch stopped on an error that retrying cannot fix; ``result`` says what was written so far."""

    def __init__(self, message: str, result: BatchResult) -> None:
        super().__init__(message)
        self.result = result


class BatchWriter:
    """Puts and deletes for one table through BatchWriteItem, 25 at a time.

    UnprocessedItems (and throttling errors that outlast botocore's own retries) are resent with
    exponential backoff and full jitter, up to ``max_attempts`` sends per group; what is still unwritten
    then is listed in ``result.failed`` — nothing is dropped silently. A key that comes twice goes into
    separate requests (DynamoDB refuses duplicates in one), so each write happens once, in order.
    ``progress(done, total)`` is called after each response (``done`` counts written and failed).

    BatchWriteItem returns no old images, so batch writes are journaled with ``old_known=False`` and cannot
    be undone; use ``execute`` per item where undo matters.
    """

    def __init__(
        self,
        client: Any,
        schema: TableSchema,
        *,
        policy: WritePolicy,
        total: int | None = None,
        progress: Progress | None = None,
        ledger: Ledger | None = None,
        journal: Journal | None = None,
        prefer_estimate: bool = False,
        max_attempts: int = 10,
        base_delay: float = 0.05,
        max_delay: float = 5.0,
        cancel: threading.Event | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        policy.check(schema.name)
        self.client = client
        self.schema = schema
        self.progress = progress
        self.ledger = ledger
        self.journal = journal
        self.prefer_estimate = prefer_estimate
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.cancel = cancel or threading.Event()
        self.sleep = sleep
        self.expected_total = total
        self.result = BatchResult(schema.name, group=f"batch-{os.urandom(8).hex()}")
        self._pending: list[tuple[dict[str, Any], Item, Item | None]] = []  # request, key, item
        self._pending_keys: set[Any] = set()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        if exc_type is None:
            self.close()

    def put(self, item: Item) -> None:
        check_item(item, self.schema)
        self._add({"PutRequest": {"Item": item}}, key_of(item, self.schema), item)

    def delete(self, key: Item) -> None:
        key = key_of(key, self.schema)
        self._add({"DeleteRequest": {"Key": key}}, key, None)

    def _add(self, request: dict[str, Any], key: Item, item: Item | None) -> None:
        ident = key_identity(key)
        if ident in self._pending_keys:
            self.flush()  # may raise: this write is then not counted, since it was never queued
        self.result.total += 1
        self._pending.append((request, key, item))
        self._pending_keys.add(ident)
        if len(self._pending) >= BATCH_SIZE:
            self.flush()

    def close(self) -> BatchResult:
        """Send what is pending; return the result."""
        self.flush()
        return self.result

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))

    def _report(self) -> None:
        if self.progress is not None:
            done = self.result.written + len(self.result.failed)
            self.progress(done, self.expected_total if self.expected_total is not None else self.result.total)

    def _fail(self, entries: list[tuple[dict[str, Any], Item, Item | None]], reason: str) -> None:
        for request, key, _item in entries:
            op = "put" if "PutRequest" in request else "delete"
            self.result.failed.append(BatchFailure(op, key, reason))

    def flush(self) -> None:
        """Send the pending requests (at most 25) until written or out of attempts."""
        pending, self._pending, self._pending_keys = self._pending, [], set()
        attempt = 0
        table = self.schema.name
        while pending:
            if self.cancel.is_set():
                self._fail(pending, "cancelled before it was sent")
                self._report()
                return
            try:
                self.result.requests += 1
                resp = self.client.batch_write_item(
                    RequestItems={table: [p[0] for p in pending]}, ReturnConsumedCapacity="INDEXES"
                )
            except Exception as e:
                code = _error_code(e)
                if code is None:
                    import botocore.exceptions

                    if not isinstance(e, botocore.exceptions.BotoCoreError):
                        raise
                    # a connection that failed mid-request: the group may or may not have been written,
                    # so it is listed (not forgotten) and the error carries what is known
                    self._fail(pending, f"{type(e).__name__}: not known whether it was written")
                    self._report()
                    raise BatchWriteError(f"{e} (batch write to {table})", self.result) from e
                if code[0] not in _THROTTLING:
                    self._fail(pending, f"{code[0]}: {code[1]}")
                    self._report()
                    if code[0] == "ValidationException":
                        return  # a bad item in this group: the others go on
                    raise BatchWriteError(
                        f"{code[0]}: {code[1]} (batch write to {table})", self.result
                    ) from e
                unprocessed_requests = [p[0] for p in pending]
                resp = {}
            else:
                unprocessed_requests = (resp.get("UnprocessedItems") or {}).get(table, [])
            left = {key_identity(_request_key(r, self.schema)) for r in unprocessed_requests}
            done = [p for p in pending if key_identity(p[1]) not in left]
            pending = [p for p in pending if key_identity(p[1]) in left]
            self._written(done, resp)
            if not pending:
                break
            attempt += 1
            if attempt >= self.max_attempts:
                self._fail(pending, f"still unprocessed after {attempt} attempts (throttled)")
                self._report()
                return
            self.result.retries += 1
            self.sleep(self._backoff(attempt))
        self._report()

    def _written(self, done: list[tuple[dict[str, Any], Item, Item | None]], resp: Mapping[str, Any]) -> None:
        if not done and not resp:
            return
        self.result.written += len(done)
        self.result.reported = _add_cap(self.result.reported, _reported(resp) if resp else None)
        est = None
        for _request, _key, item in done:
            cost = write_units(None, item, self.schema).to_capacity(estimated=True)
            est = _add_cap(est, cost)
        self.result.estimated = _add_cap(self.result.estimated, est)
        if self.ledger is not None and done:
            cap = _choose(_reported(resp) if resp else None, est, self.prefer_estimate)
            if cap is not None:
                self.ledger.record(
                    "batch_write_item", self.schema.name, cap, billing_mode=self.schema.billing_mode
                )
        records = [
            JournalRecord(
                table=self.schema.name,
                key=key,
                operation="batch-put" if item is not None else "batch-delete",
                old=None,
                new=item,
                request=request,
                endpoint=_endpoint(self.client),
                region=self.client.meta.region_name,
                group=self.result.group,
                old_known=False,
            )
            for request, key, item in done
        ]
        _journal(self.journal, *records)
        self._report()


def _request_key(request: Mapping[str, Any], schema: TableSchema) -> Item:
    if "PutRequest" in request:
        return key_of(request["PutRequest"]["Item"], schema)
    return key_of(request["DeleteRequest"]["Key"], schema)


def read_jsonl(lines: Iterable[str], *, ddb_json: bool = False) -> list[Item]:
    """Parse JSON Lines into items (plain JSON with exact numbers, or DynamoDB JSON); UsageError names
    the line. Blank lines are skipped."""
    items: list[Item] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(parse_item(line, ddb_json=ddb_json, what="item"))
        except UsageError as e:
            raise UsageError(f"line {n}: {e}") from None
    return items


def import_jsonl(
    client: Any,
    schema: TableSchema,
    source: str | Path | Iterable[str],
    *,
    policy: WritePolicy,
    ddb_json: bool = False,
    **writer_options: Any,
) -> BatchResult:
    """Put every item of a JSON Lines file (a path, or an iterable of lines) through a BatchWriter.

    The whole file is parsed and checked first, so a bad line stops the import before anything is
    written. ``writer_options`` go to BatchWriter (progress, ledger, journal, cancel, ...).
    """
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8") as f:
            items = read_jsonl(f, ddb_json=ddb_json)
    else:
        items = read_jsonl(source, ddb_json=ddb_json)
    for n, item in enumerate(items, 1):
        try:
            check_item(item, schema)
        except UsageError as e:
            raise UsageError(f"item {n}: {e}") from None
    with BatchWriter(client, schema, policy=policy, total=len(items), **writer_options) as writer:
        for item in items:
            writer.put(item)
    return writer.result


def delete_keys(
    client: Any, schema: TableSchema, keys: Iterable[Item], *, policy: WritePolicy, **writer_options: Any
) -> BatchResult:
    """Delete the items of a selection of keys (or whole items: their keys are taken) in batches."""
    keys = [key_of(k, schema) for k in keys]
    with BatchWriter(client, schema, policy=policy, total=len(keys), **writer_options) as writer:
        for key in keys:
            writer.delete(key)
    return writer.result
