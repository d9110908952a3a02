"""Transactions: several write requests as one all-or-nothing TransactWriteItems, and rekeying an item."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes.items import Item, items_equal, key_identity, key_of
from ddbtui.core.writes.requests import Operation, WriteRequest
from ddbtui.core.writes.transition import transition_request

MAX_TRANSACTION_ITEMS = 100


@dataclass
class TransactOp:
    """One write of a transaction, for the journal and for showing a cancellation reason."""

    table: str
    key: Item
    operation: Operation | Literal["check"]
    old: Item | None
    new: Item | None
    old_known: bool
    description: str


@dataclass
class TransactWrite:
    """A TransactWriteItems: ``items`` are its TransactItems, ``ops`` describe each in the same order."""

    items: list[dict[str, Any]]
    ops: list[TransactOp]
    warnings: list[str] = field(default_factory=list)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def params(self) -> dict[str, Any]:
        """boto3 arguments (the client request token makes a retried request idempotent)."""
        return {
            "TransactItems": self.items,
            "ReturnConsumedCapacity": "INDEXES",
            "ClientRequestToken": self.token,
        }


_TRANSACT_KEYS = (
    "TableName",
    "Key",
    "Item",
    "UpdateExpression",
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
)


def transact_requests(requests: list[WriteRequest]) -> TransactWrite:
    """Several writes as one all-or-nothing TransactWriteItems (at most 100, each item once).

    Requests that carry an image check (edits, undo) keep it; a precheck cannot run inside a
    transaction, so requests that need one are refused.
    """
    if not requests:
        raise UsageError("a transaction needs at least one write")
    if len(requests) > MAX_TRANSACTION_ITEMS:
        raise UsageError(
            f"a transaction holds at most {MAX_TRANSACTION_ITEMS} writes; this one has {len(requests)}"
        )
    seen: set[Any] = set()
    items: list[dict[str, Any]] = []
    ops: list[TransactOp] = []
    warnings: list[str] = []
    for req in requests:
        ident = (req.table, key_identity(req.key))
        if ident in seen:
            raise UsageError(f"{req.description} appears twice; a transaction writes each item once")
        seen.add(ident)
        if req.precheck:
            raise UsageError(
                f"{req.description}: the item is too large to compare in a transaction's condition; "
                "name a version attribute"
            )
        body = {k: req.params[k] for k in _TRANSACT_KEYS if k in req.params}
        if "ConditionExpression" in body:
            body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        items.append({{"put": "Put", "update": "Update", "delete": "Delete"}[req.operation]: body})
        old = req.expected if req.expected_known else None
        new = req.new_image(old) if req.expected_known or req.operation != "update" else None
        ops.append(
            TransactOp(req.table, req.key, req.operation, old, new, req.expected_known, req.description)
        )
        warnings.extend(req.warnings)
    return TransactWrite(items, ops, warnings)


def rekey_transaction(old_item: Item, new_item: Item, schema: TableSchema) -> TransactWrite:
    """Copy ``old_item`` (as read) to the key of ``new_item`` and delete the old one, atomically: a Put on
    ``attribute_not_exists`` (the new key must be free) and a Delete conditional on the old item being
    unchanged since it was read."""
    old_key, new_key = key_of(old_item, schema), key_of(new_item, schema)
    if items_equal(old_key, new_key):
        raise UsageError("the key did not change: save the item as an ordinary edit")
    create = transition_request(schema, None, new_item)
    remove = transition_request(schema, old_item, None)
    return transact_requests([create, remove])
