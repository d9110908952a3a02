"""Single-item writes: send one conditional PutItem/UpdateItem/DeleteItem, report a conflict with the
item as it is now, record capacity and journal both images."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddbtui.aws.journal import Journal, _journal
from ddbtui.aws.writes.common import _choose, _endpoint, _error_code, _reported
from ddbtui.core.capacity import ConsumedCapacity, Ledger, write_units
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes import Item, JournalRecord, WriteConflict, WritePolicy, WriteRequest, items_equal
from ddbtui.core.writes.images import MAX_ATTEMPTS, old_image, pinned_params, pins_hold


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

    On success both images are DynamoDB's: PutItem and DeleteItem return the old one (``ALL_OLD``) and
    the new one is the item sent, or none; an UpdateItem written as an update expression returns the new
    one (``ALL_NEW``) and the old one is exact through a read it pins (``ddbtui.core.writes.images``); an
    edit or undo (``changes``) is pinned to the whole image as read, so the new image is the old one
    (``ALL_OLD``) with the changes, which are plain values. The write is recorded in ``ledger`` and
    appended to ``journal``; the local evaluator (``apply_update``) is never used here, only for previews.
    """
    policy.check(request.table)
    warnings = list(request.warnings)
    if request.precheck and request.expected_known:
        current = read_item(client, schema, request.key, ledger=ledger, prefer_estimate=prefer_estimate)
        if not items_equal(current, request.expected):
            raise WriteConflict(_conflict_message(request, current), current, request)
    if request.operation == "update" and request.update is not None:
        params, resp, old, new = _update(client, request, schema, ledger, prefer_estimate)
    else:
        params = request.params
        try:
            resp = _send(client, request, params)
        except _Failed as e:
            raise WriteConflict(_conflict_message(request, e.current), e.current, request) from None
        old = resp.get("Attributes")
        new = request.new_image(old)
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
        request=params,
        endpoint=_endpoint(client),
        region=client.meta.region_name,
        group=group or "",
        undoes=undoes,
    )
    _journal(journal, record)
    return WriteResult(request, old, new, reported, estimated, record if journal else None, warnings)


def _send(client: Any, request: WriteRequest, params: dict[str, Any]) -> dict[str, Any]:
    try:
        return getattr(client, request.api)(**params)
    except Exception as e:
        code = _error_code(e)
        if code and code[0] == "ConditionalCheckFailedException":
            raise _Failed(e.response.get("Item")) from None  # type: ignore[attr-defined]
        raise


class _Failed(Exception):
    """The condition failed; ``current`` is the item as it is now (None: there is none)."""

    def __init__(self, current: Item | None) -> None:
        super().__init__("ConditionalCheckFailedException")
        self.current = current


def _update(
    client: Any, request: WriteRequest, schema: TableSchema, ledger: Ledger | None, prefer_estimate: bool
) -> tuple[dict[str, Any], dict[str, Any], Item | None, Item | None]:
    """UpdateItem of an update expression: read, send pinned with ALL_NEW, and when only a pin failed (a
    written attribute changed since the read) go again from the item as the failed check saw it."""
    read = read_item(client, schema, request.key, ledger=ledger, prefer_estimate=prefer_estimate)
    for _attempt in range(MAX_ATTEMPTS):
        params = pinned_params(request, read, schema.key.partition_key)
        try:
            resp = _send(client, request, params)
        except _Failed as e:
            if pins_hold(request, read, e.current):
                raise WriteConflict(_conflict_message(request, e.current), e.current, request) from None
            read = e.current
            continue
        new = resp.get("Attributes")
        return params, resp, old_image(request, read, new), new
    raise WriteConflict(
        f"{request.description}: the attributes it writes kept changing while it was sent "
        f"({MAX_ATTEMPTS} tries); nothing was written",
        read,
        request,
    )
