"""``import``: put the items of a JSON Lines file without replacing what is there, journaled as one group.

BatchWriteItem cannot be conditional and returns no old images, so an import is sent as single PutItems,
``IMPORT_WORKERS`` at a time from a thread pool:

- by default each put is conditional on ``attribute_not_exists(pk)``: an item whose key exists already is
  left exactly as it is and its key is listed in ``skipped`` (no read-then-write race: the condition is
  checked by DynamoDB in the write itself);
- with ``overwrite`` the put replaces the item and asks for the old image (``ReturnValues=ALL_OLD``).

Every item written is journaled in one group (``import-…``), which ``undo`` takes back as a whole: a
created item is deleted, a replaced one gets its old image back, each only while the item is still what
the import wrote. The journal stays bounded: a record holds the key and a SHA-256 digest of the item
written (``JournalRecord.new_digest``), never the item itself and never the request, plus the old image
only for an item that was replaced. So an import adds about 400 bytes plus its key per item, plus each
replaced item's old image (at most 400 KB each, DynamoDB's item limit). Records are appended in chunks
of ``JOURNAL_CHUNK`` (and whatever is done when the import stops early), so a crash loses at most the
journal of the writes in flight.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbtui.aws.journal import Journal, _journal
from ddbtui.aws.writes.batch import BatchFailure, BatchResult, BatchWriteError, read_jsonl
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
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes import Item, JournalRecord, WritePolicy, check_item, key_identity, key_of, put_request
from ddbtui.core.writes.journal import item_digest

IMPORT_WORKERS = 8
JOURNAL_CHUNK = 200


@dataclass
class ImportResult(BatchResult):
    """A BatchResult with what only an import has: ``skipped`` (keys of items that exist already and were
    left alone) and ``replaced`` (items ``overwrite`` replaced). ``written`` counts created + replaced."""

    skipped: list[Item] = field(default_factory=list)
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped and self.written == self.total


def load_jsonl(
    source: str | Path | Iterable[str], schema: TableSchema, *, ddb_json: bool = False
) -> list[Item]:
    """Every item of a JSON Lines source (a path, ``-`` for stdin, or lines), parsed and checked against
    the table before anything is written. UsageError names the line: a bad one, a key that comes twice
    (the order of the writes would decide which one stays), a file that cannot be read."""
    lines = read_lines(str(source)) if isinstance(source, str | Path) else list(source)
    items = read_jsonl(lines, ddb_json=ddb_json)
    check_items(items, schema)
    return items


def check_items(items: list[Item], schema: TableSchema) -> None:
    """UsageError naming the item (1-based) that does not fit the table, or whose key came before."""
    seen: dict[Any, int] = {}
    for n, item in enumerate(items, 1):
        try:
            check_item(item, schema)
        except UsageError as e:
            raise UsageError(f"item {n}: {e}") from None
        ident = key_identity(key_of(item, schema))
        if ident in seen:
            raise UsageError(
                f"item {n} has the same key as item {seen[ident]}: an import writes each key once "
                "(remove one of them)"
            )
        seen[ident] = n


def read_lines(path: str) -> list[str]:
    """The lines of a JSON Lines file (``-``: stdin); UsageError in one line for a missing file, a
    directory, an unreadable or binary file."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except IsADirectoryError:
        raise UsageError(f"--file {path} is a directory, not a JSON Lines file") from None
    except FileNotFoundError:
        raise UsageError(f"--file {path}: no such file") from None
    except OSError as e:
        raise UsageError(f"--file {path} cannot be read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise UsageError(f"--file {path} line {line}: not UTF-8 text (a binary file?)") from None
    return io.StringIO(text).readlines()


class _Stop(Exception):
    """An error no other item would get past (access denied, no such table, a dead connection)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def import_items(
    client: Any,
    schema: TableSchema,
    items: list[Item],
    *,
    policy: WritePolicy,
    overwrite: bool = False,
    journal: Journal | None = None,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
    progress: Progress | None = None,
    workers: int = IMPORT_WORKERS,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Put ``items`` (checked already: ``load_jsonl``) as described in the module's docs.

    A put refused by its condition is a skip; a ValidationException or throttling that outlasts
    botocore's retries is listed in ``failed`` and the others go on; any other error stops the import
    (what was written is journaled first) with BatchWriteError carrying the result.
    """
    policy.check(schema.name)
    result = ImportResult(schema.name, total=len(items), group=f"import-{os.urandom(8).hex()}")
    cancel = cancel or threading.Event()
    endpoint, region = _endpoint(client), client.meta.region_name
    todo: list[JournalRecord] = []
    stop: list[str] = []

    def put(item: Item) -> tuple[str, Any]:
        params = dict(put_request(schema, item, overwrite=overwrite).params)
        params.pop("ReturnValuesOnConditionCheckFailure", None)  # only the key is reported
        try:
            return "ok", client.put_item(**params)
        except Exception as e:
            code = _error_code(e)
            if code is None:
                import botocore.exceptions

                if isinstance(e, botocore.exceptions.BotoCoreError):
                    return "stop", f"{type(e).__name__}: {e} (not known whether it was written)"
                raise
            if code[0] == "ConditionalCheckFailedException":
                return "skip", None
            if code[0] == "ValidationException" or code[0] in _THROTTLING:
                return "fail", f"{code[0]}: {code[1]}"
            return "stop", f"{code[0]}: {code[1]}"

    def done(item: Item, outcome: tuple[str, Any]) -> None:
        kind, value = outcome
        key = key_of(item, schema)
        result.requests += 1
        if kind == "skip":
            result.skipped.append(key)
        elif kind == "fail":
            result.failed.append(BatchFailure("put", key, value))
        elif kind == "stop":
            result.failed.append(BatchFailure("put", key, value))
            stop.append(value)
        else:
            old = value.get("Attributes")
            result.written += 1
            result.replaced += old is not None
            _capacity(result, value, old, item, schema, ledger, prefer_estimate)
            todo.append(JournalRecord(schema.name, key, "import", old, None, {}, endpoint, region,
                                      group=result.group, new_digest=item_digest(item)))  # fmt: skip
            if len(todo) >= JOURNAL_CHUNK:
                flush()
        if progress is not None:
            progress(result.requests, result.total)

    def flush() -> None:
        if todo:
            with _no_interrupt():  # ctrl+c mid-append would lose these records, or write them twice
                _journal(journal, *todo)
                todo.clear()

    pending: dict[Future, Item] = {}
    interrupted: list[int] = []
    try:
        # ctrl+c on the main thread only stops the loop: raised anywhere in it (between a submit and its
        # entry in ``pending``, or between a finished put and its journal record) it would leave an item
        # written and not journaled. It is raised below, once every put in flight is journaled.
        with (
            _interrupt_as(cancel, interrupted),
            ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ddbtui-import") as pool,
        ):
            try:
                for item in items:
                    if cancel.is_set() or stop:
                        break
                    pending[pool.submit(put, item)] = item
                    if len(pending) >= 4 * workers:
                        _collect(pending, done)
                while pending:
                    _collect(pending, done)
            except BaseException:
                cancel.set()
                for f in pending:
                    f.cancel()
                for f, item in list(pending.items()):  # the puts in flight: journal what they wrote
                    if f.cancelled() or f.exception() is not None:
                        continue
                    done(item, f.result())
                raise
    finally:
        flush()
    if interrupted:
        raise KeyboardInterrupt
    unsent = result.total - result.requests
    if unsent and not stop:
        result.failed.extend(
            BatchFailure("put", key_of(i, schema), "cancelled before it was sent") for i in items[-unsent:]
        )
    if stop:
        raise BatchWriteError(f"{stop[0]} (import into {schema.name}; {unsent:,} items not sent)", result)
    return result


@contextlib.contextmanager
def _interrupt_as(cancel: threading.Event, interrupted: list[int]) -> Iterator[None]:
    """On the main thread: SIGINT sets ``cancel`` and is noted in ``interrupted`` instead of raising."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, _frame: Any) -> None:
        interrupted.append(signum)
        cancel.set()

    old = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """SIGINT held back (delivered on exit) while the journal is appended, on the main thread."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _collect(pending: dict[Future, Item], done: Callable[[Item, Any], None]) -> None:
    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for f in finished:
        done(pending.pop(f), f.result())


def _capacity(
    result: ImportResult,
    resp: dict[str, Any],
    old: Item | None,
    item: Item,
    schema: TableSchema,
    ledger: Ledger | None,
    prefer_estimate: bool,
) -> None:
    reported = _reported(resp)
    estimated: ConsumedCapacity = write_units(old, item, schema).to_capacity(estimated=True)
    result.reported = _add_cap(result.reported, reported)
    result.estimated = _add_cap(result.estimated, estimated)
    if ledger is not None:
        cap = _choose(reported, estimated, prefer_estimate)
        if cap is not None:
            ledger.record("put_item", schema.name, cap, billing_mode=schema.billing_mode)
