"""Transactions: send a TransactWriteItems, with a cancellation reason per write when it fails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ddbtui.aws.journal import Journal, _journal
from ddbtui.aws.writes.common import _add_cap, _choose, _endpoint, _error_code, _reported
from ddbtui.core.capacity import ConsumedCapacity, Ledger, transact_write_units
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import item_to_plain_json
from ddbtui.core.writes import Item, JournalRecord, TransactOp, TransactWrite, WritePolicy


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


def read_images(client: Any, keys: list[tuple[str, Item]]) -> list[Item | None]:
    """The items at ``keys`` ((table, key), at most 100) as one serializable TransactGetItems: the images
    ``ddbtui transact`` pins its actions to (None: no item)."""
    resp = client.transact_get_items(TransactItems=[{"Get": {"TableName": t, "Key": k}} for t, k in keys])
    responses = resp.get("Responses") or [{} for _ in keys]
    return [r.get("Item") for r in responses]
