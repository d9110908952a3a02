"""Sending writes: conditional single-item writes with conflict detection, the journal and undo, batches
that retry UnprocessedItems until done, and transactions with their cancellation reasons.

The request objects come from ``ddbtui.core.writes`` (pure); this module only talks to DynamoDB, keeps the
journal file and records capacity. Nothing here prints: results and progress go back as objects and
callbacks, so the CLI and the workbench (from a worker thread) use the same code.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbtui.core.capacity import ConsumedCapacity, Ledger, transact_write_units, write_units
from ddbtui.core.errors import DdbtuiError, ExprError, UsageError
from ddbtui.core.paths import journal_path, open_private
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import item_to_plain_json
from ddbtui.core.writes import (
    Item,
    JournalRecord,
    TransactOp,
    TransactWrite,
    WriteConflict,
    WritePolicy,
    WriteRequest,
    check_item,
    items_equal,
    key_identity,
    key_of,
    key_text,
    parse_item,
    transition_request,
)

Progress = Callable[[int, int | None], None]
BATCH_SIZE = 25
_THROTTLING = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


def _error_code(e: Exception) -> tuple[str, str] | None:
    response = getattr(e, "response", None)
    if not isinstance(response, dict) or "Error" not in response:
        return None
    err = response["Error"]
    return err.get("Code", ""), err.get("Message", "")


def _endpoint(client: Any) -> str:
    return str(client.meta.endpoint_url).rstrip("/")


def _reported(response: Mapping[str, Any]) -> ConsumedCapacity | None:
    caps = ConsumedCapacity.from_responses(response.get("ConsumedCapacity"), "write")
    if not caps:
        return None
    total = caps[0]
    for c in caps[1:]:
        total = total + c
    return total


def _choose(reported: ConsumedCapacity | None, estimated: ConsumedCapacity | None, prefer_estimate: bool):
    if prefer_estimate:
        return estimated or reported
    return reported or estimated


# --------------------------------------------------------------------------------------------- journal


class Journal:
    """The write journal: one JSON line per write (``JournalRecord``), in a 0600 file under the data dir
    (``DDBTUI_DATA_DIR`` or the platform's). Appends are whole lines, safe from several threads."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else journal_path()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.Lock()

    def append(self, *records: JournalRecord) -> None:
        data = "".join(r.to_line() for r in records).encode("utf-8")
        with self._lock:
            fd = open_private(self.path, "a")
            try:
                os.write(fd, data)
            finally:
                os.close(fd)

    def records(self) -> list[JournalRecord]:
        """Every record, oldest first (a line cut short by a crash is skipped)."""
        if not self.path.exists():
            return []
        out: list[JournalRecord] = []
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    out.append(JournalRecord.from_line(line))
                except (ValueError, KeyError, TypeError):
                    continue
        return out

    def pending_undo(self) -> list[JournalRecord]:
        """The writes ``undo`` would take back: the latest group of writes not undone yet (an undo itself
        is never undone: undo steps back through history)."""
        records = self.records()
        undone = {r.undoes for r in records if r.undoes}
        for r in reversed(records):
            if r.undoes is None and r.id not in undone:
                group = r.group
                break
        else:
            return []
        return [r for r in records if r.group == group and r.undoes is None and r.id not in undone]


def _journal(journal: Journal | None, *records: JournalRecord) -> None:
    if journal is None or not records:
        return
    try:
        journal.append(*records)
    except OSError as e:
        raise DdbtuiError(
            f"the write succeeded, but the journal {journal.path} could not be written: {e}"
        ) from e


# --------------------------------------------------------------------------------------------- single writes


@dataclass
class WriteResult:
    """A write that succeeded: the images before and after, and its capacity (reported and estimated)."""

    request: WriteRequest
    old: Item | None
    new: Item | None
    reported: ConsumedCapacity | None
    estimated: ConsumedCapacity
    record: JournalRecord | None = None
    warnings: list[str] = field(default_factory=list)

    def capacity(self, prefer_estimate: bool) -> ConsumedCapacity:
        """The figure to show: ddbtui's estimate on emulators, DynamoDB's against AWS."""
        return _choose(self.reported, self.estimated, prefer_estimate) or self.estimated


def _conflict_message(req: WriteRequest, current: Item | None) -> str:
    what = req.description
    if req.expected_known:
        if current is None:
            return f"{what}: the item was deleted since it was read"
        if req.expected is None:
            return f"{what}: an item with this key now exists"
        return f"{what}: the item changed since it was read"
    cond = req.params.get("ConditionExpression", "")
    if req.operation == "put" and current is not None and cond.startswith("attribute_not_exists("):
        return f"{what}: an item with this key already exists (--overwrite replaces it)"
    if current is None and req.operation != "put" and cond.startswith("attribute_exists("):
        return f"{what}: there is no item with this key"
    return f"{what}: the condition is false for the item as it is now"


def read_item(
    client: Any,
    schema: TableSchema,
    key: Item,
    *,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
) -> Item | None:
    """GetItem, strongly consistent (what a write is about to change)."""
    from ddbtui.core.capacity import get_item_units, item_size

    resp = client.get_item(
        TableName=schema.name, Key=key, ConsistentRead=True, ReturnConsumedCapacity="INDEXES"
    )
    item = resp.get("Item")
    if ledger is not None:
        reported = next(iter(ConsumedCapacity.from_responses(resp.get("ConsumedCapacity"), "read")), None)
        units = get_item_units(item_size(item) if item else None, True)
        estimated = ConsumedCapacity.of_read(units, table_name=schema.name)
        cap = _choose(reported, estimated, prefer_estimate)
        if cap is not None:
            ledger.record("get_item", schema.name, cap, billing_mode=schema.billing_mode)
    return item


def execute(
    client: Any,
    request: WriteRequest,
    schema: TableSchema,
    *,
    policy: WritePolicy,
    journal: Journal | None = None,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
    group: str | None = None,
    undoes: str | None = None,
) -> WriteResult:
    """Send one write. Raises UsageError when ``policy`` forbids the table, WriteConflict (with the item
    as it is now) when the condition fails, botocore's ClientError for other AWS errors.

    On success the old image comes from ``ReturnValues=ALL_OLD`` and the new one from the request (for an
    UpdateItem, by evaluating the update on the old image), so both belong to this very write. The write
    is recorded in ``ledger`` and appended to ``journal``.
    """
    policy.check(request.table)
    warnings = list(request.warnings)
    if request.precheck and request.expected_known:
        current = read_item(client, schema, request.key, ledger=ledger, prefer_estimate=prefer_estimate)
        if not items_equal(current, request.expected):
            raise WriteConflict(_conflict_message(request, current), current, request)
    try:
        resp = getattr(client, request.api)(**request.params)
    except Exception as e:
        code = _error_code(e)
        if code and code[0] == "ConditionalCheckFailedException":
            current = e.response.get("Item")  # type: ignore[attr-defined]
            raise WriteConflict(_conflict_message(request, current), current, request) from None
        raise
    old = resp.get("Attributes")
    try:
        new = request.new_image(old)
    except ExprError as e:
        # The server applied an update ddbtui cannot replay; read the result instead (not atomic).
        new = read_item(client, schema, request.key, ledger=ledger, prefer_estimate=prefer_estimate)
        warnings.append(f"the new image was read back after the write ({e.message})")
    reported = _reported(resp)
    estimated = write_units(old, new, schema).to_capacity(estimated=True)
    if ledger is not None:
        cap = _choose(reported, estimated, prefer_estimate)
        ledger.record(request.api, request.table, cap, billing_mode=schema.billing_mode)  # type: ignore[arg-type]
    record = JournalRecord(
        table=request.table,
        key=request.key,
        operation="undo" if undoes else request.operation,
        old=old,
        new=new,
        request=request.params,
        endpoint=_endpoint(client),
        region=client.meta.region_name,
        group=group or "",
        undoes=undoes,
    )
    _journal(journal, record)
    return WriteResult(request, old, new, reported, estimated, record if journal else None, warnings)


# --------------------------------------------------------------------------------------------- undo


@dataclass
class UndoResult:
    """What an undo did: the records it took back, the writes it made, and those refused because the
    item changed since (each with the item as it is now)."""

    records: list[JournalRecord]
    results: list[WriteResult] = field(default_factory=list)
    conflicts: list[tuple[JournalRecord, WriteConflict]] = field(default_factory=list)
    unchanged: list[JournalRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def check_undoable(records: list[JournalRecord], client: Any) -> None:
    """Raise UsageError unless ``records`` can be undone through ``client``: same endpoint and region as
    the writes (undo must not land in another account or emulator), and old images known."""
    endpoint, region = _endpoint(client), client.meta.region_name
    for r in records:
        if (r.endpoint or "").rstrip("/") != endpoint or r.region != region:
            raise UsageError(
                f"the last write ({r.operation} {r.table} {key_text(r.key)}) went to {r.endpoint} in {r.region}; "
                f"this connection is {endpoint} in {region}. Connect there to undo it"
            )
        if not r.old_known:
            raise UsageError(
                f"the last write ({r.operation} {r.table}) was a batch write: DynamoDB returns no old images "
                "for those, so it cannot be undone"
            )


def undo_last(
    client: Any,
    journal: Journal,
    *,
    policy: WritePolicy,
    schema_for: Callable[[str], TableSchema] | None = None,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
) -> UndoResult:
    """Take back the latest group of writes in ``journal``: put each old image back (or delete the item
    when there was none), each conditional on the item still being exactly the journaled new image (a
    consistent read plus the write's condition). The undo is journaled; undoing again steps further back.
    """
    records = journal.pending_undo()
    if not records:
        raise UsageError(f"nothing to undo: the journal ({journal.path}) has no write left to undo")
    check_undoable(records, client)
    for r in records:
        policy.check(r.table)
    if schema_for is None:
        from ddbtui.aws.catalog import load_schema

        def schema_for(table: str) -> TableSchema:
            return load_schema(client, table)

    schemas: dict[str, TableSchema] = {}
    result = UndoResult(records)
    group = f"undo-{records[0].group}"
    for r in reversed(records):
        schema = schemas.get(r.table) or schemas.setdefault(r.table, schema_for(r.table))
        if items_equal(r.old, r.new):
            # the write changed nothing; mark it undone so the next undo goes further back
            _journal(journal, JournalRecord(r.table, r.key, "undo", r.new, r.old, {}, _endpoint(client),
                                            client.meta.region_name, group=group, undoes=r.id))  # fmt: skip
            result.unchanged.append(r)
            continue
        request = transition_request(schema, r.new, r.old, precheck=True)
        try:
            result.results.append(
                execute(
                    client,
                    request,
                    schema,
                    policy=policy,
                    journal=journal,
                    ledger=ledger,
                    prefer_estimate=prefer_estimate,
                    group=group,
                    undoes=r.id,
                )  # fmt: skip
            )
        except WriteConflict as e:
            result.conflicts.append((r, e))
    return result


# --------------------------------------------------------------------------------------------- batches


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


def _add_cap(a: ConsumedCapacity | None, b: ConsumedCapacity | None) -> ConsumedCapacity | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


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


# --------------------------------------------------------------------------------------------- transactions


@dataclass
class CancellationReason:
    """Why one write of a cancelled transaction failed; ``item`` is the item as it is now, when known."""

    op: TransactOp
    code: str
    message: str
    item: Item | None

    def describe(self) -> str:
        text = f"{self.op.description}: {self.code}"
        if self.message:
            text += f" ({self.message})"
        if self.item is not None:
            text += f"; now {item_to_plain_json(self.item)}"
        return text


class TransactionFailed(DdbtuiError):
    """TransactWriteItems was cancelled: ``reasons`` has one entry per write that caused it."""

    code = "TransactionCanceledException"

    def __init__(self, message: str, reasons: list[CancellationReason]) -> None:
        super().__init__(message)
        self.reasons = reasons


@dataclass
class TransactResult:
    """A transaction that went through."""

    transaction: TransactWrite
    reported: ConsumedCapacity | None
    estimated: ConsumedCapacity
    records: list[JournalRecord]

    def capacity(self, prefer_estimate: bool) -> ConsumedCapacity:
        return _choose(self.reported, self.estimated, prefer_estimate) or self.estimated


def transact(
    client: Any,
    transaction: TransactWrite,
    schemas: Mapping[str, TableSchema],
    *,
    policy: WritePolicy,
    journal: Journal | None = None,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
) -> TransactResult:
    """Send a TransactWriteItems: all writes or none. Raises TransactionFailed with a reason per write
    (the item as it is now where a condition failed). Journaled as one group, so undo takes it all back."""
    for op in transaction.ops:
        policy.check(op.table)
    try:
        resp = client.transact_write_items(**transaction.params)
    except Exception as e:
        code = _error_code(e)
        if code is None or code[0] != "TransactionCanceledException":
            raise
        raw = e.response.get("CancellationReasons") or []  # type: ignore[attr-defined]
        reasons = [
            CancellationReason(op, r.get("Code", ""), r.get("Message", ""), r.get("Item"))
            for op, r in zip(transaction.ops, raw, strict=False)
            if r.get("Code") not in (None, "None")
        ]
        lines = "\n".join("  " + r.describe() for r in reasons) or f"  {code[1]}"
        raise TransactionFailed(
            f"TransactionCanceledException: nothing was written:\n{lines}", reasons
        ) from None
    costs = transact_write_units(
        (op.old, op.new, schemas[op.table]) for op in transaction.ops if op.operation != "check"
    )
    estimated: ConsumedCapacity | None = None
    for cost in costs.values():
        estimated = _add_cap(estimated, cost.to_capacity(estimated=True))
    estimated = estimated or ConsumedCapacity(0.0, kind="write", estimated=True)
    reported = _reported(resp)
    if ledger is not None:
        cap = _choose(reported, estimated, prefer_estimate)
        table = transaction.ops[0].table
        ledger.record("transact_write_items", table, cap, billing_mode=schemas[table].billing_mode)  # type: ignore[arg-type]
    records = [
        JournalRecord(
            table=op.table,
            key=op.key,
            operation=f"transact-{op.operation}",
            old=op.old,
            new=op.new,
            request=item,
            endpoint=_endpoint(client),
            region=client.meta.region_name,
            group=f"transact-{transaction.token}",
            old_known=op.old_known,
        )
        for op, item in zip(transaction.ops, transaction.items, strict=True)
    ]
    _journal(journal, *records)
    return TransactResult(transaction, reported, estimated, records if journal else [])
