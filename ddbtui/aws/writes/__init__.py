"""Sending writes: conditional single-item writes with conflict detection, the journal and undo, batches
that retry UnprocessedItems until done, and transactions with their cancellation reasons.

The request objects come from ``ddbtui.core.writes`` (pure); this module only talks to DynamoDB, keeps the
journal file and records capacity. Nothing here prints: results and progress go back as objects and
callbacks, so the CLI and the workbench (from a worker thread) use the same code.

Layout: ``common`` (error codes, capacity choice), ``single`` (execute, read_item), ``undo``, ``batch``
(BatchWriter, import_jsonl, delete), ``importer`` (the CLI's import: conditional, journaled, undoable),
``transact``; the journal file is ``ddbtui.aws.journal``. This package
re-exports them, so every name stays importable from here.
"""

from ddbtui.aws.journal import Journal
from ddbtui.aws.writes.batch import (
    BATCH_SIZE,
    BatchFailure,
    BatchResult,
    BatchWriteError,
    BatchWriter,
    delete_keys,
    import_jsonl,
    read_jsonl,
)
from ddbtui.aws.writes.common import Progress
from ddbtui.aws.writes.importer import ImportResult, import_items, load_jsonl
from ddbtui.aws.writes.single import WriteResult, execute, read_item
from ddbtui.aws.writes.transact import CancellationReason, TransactionFailed, TransactResult, transact
from ddbtui.aws.writes.undo import UndoResult, check_undoable, undo_last

__all__ = [
    "BATCH_SIZE",
    "BatchFailure",
    "BatchResult",
    "BatchWriteError",
    "BatchWriter",
    "CancellationReason",
    "ImportResult",
    "Journal",
    "Progress",
    "TransactResult",
    "TransactionFailed",
    "UndoResult",
    "WriteResult",
    "check_undoable",
    "delete_keys",
    "execute",
    "import_items",
    "import_jsonl",
    "load_jsonl",
    "read_item",
    "read_jsonl",
    "transact",
    "undo_last",
]
