"""``ddbtui transact FILE``: TransactWriteItems actions in the API's own shape, one per JSON line, made
exactly undoable.

Each line is one action as ``aws dynamodb transact-write-items`` takes it: ``{"Put": {...}}``,
``{"Update": {...}}``, ``{"Delete": {...}}`` or ``{"ConditionCheck": {...}}``, AttributeValues in DynamoDB
JSON. TransactWriteItems returns no old images, so the items are read first (TransactGetItems, by the
caller) and every action is made conditional on its item being exactly the image read: the image's
condition (``attribute_not_exists(pk)`` when there was no item) is ANDed with the line's own
``ConditionExpression``. If anyone changes an item between the read and the write, the whole transaction
is cancelled and nothing is written; when it goes through, the images read are the old images, and the
new ones follow from the action (an Update's through ``apply_update``), so undo is exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.expr import Placeholders
from ddbtui.core.expr.update import apply_update, parse_update
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes.items import Item, check_item, key_identity, key_of, key_text
from ddbtui.core.writes.journal import params_from_json
from ddbtui.core.writes.transact import MAX_TRANSACTION_ITEMS, TransactOp, TransactWrite
from ddbtui.core.writes.transition import _image_condition

KINDS = {"Put": "put", "Update": "update", "Delete": "delete", "ConditionCheck": "check"}
_ALLOWED = {
    "Put": {"TableName", "Item"},
    "Update": {"TableName", "Key", "UpdateExpression"},
    "Delete": {"TableName", "Key"},
    "ConditionCheck": {"TableName", "Key", "ConditionExpression"},
}
_COMMON = {
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
}
PREFIX = "ddbtui_"  # the placeholders of the image condition: #ddbtui_n1, :ddbtui_v0


def parse_actions(lines: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(API kind, body in AttributeValue form) per non-blank line; UsageError naming the line."""
    out: list[tuple[str, dict[str, Any]]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise UsageError(f"{where}: not JSON ({e.msg})") from None
        if not isinstance(obj, dict) or len(obj) != 1 or next(iter(obj)) not in KINDS:
            raise UsageError(
                f'{where}: one action a line: {{"Put": {{...}}}}, {{"Update": ...}}, '
                '{"Delete": ...} or {"ConditionCheck": ...}'
            )
        kind, body = next(iter(obj.items()))
        if not isinstance(body, dict):
            raise UsageError(f"{where}: {kind} must be an object")
        unknown = sorted(set(body) - _ALLOWED[kind] - _COMMON)
        if unknown:
            raise UsageError(f"{where}: {kind} does not take {', '.join(unknown)}")
        missing = sorted(_ALLOWED[kind] - set(body))
        if missing:
            raise UsageError(f"{where}: {kind} needs {', '.join(missing)}")
        if not isinstance(body["TableName"], str) or not body["TableName"]:
            raise UsageError(f"{where}: TableName must be a table's name")
        try:
            body = params_from_json(body)
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise UsageError(f"{where}: not DynamoDB JSON ({e})") from None
        out.append((kind, body))
    if not out:
        raise UsageError("the file holds no action")
    if len(out) > MAX_TRANSACTION_ITEMS:
        raise UsageError(
            f"a transaction holds at most {MAX_TRANSACTION_ITEMS} actions; this file has {len(out)}"
        )
    return out


def action_key(kind: str, body: Mapping[str, Any], schema: TableSchema) -> Item:
    if kind == "Put":
        check_item(body["Item"], schema)
        return key_of(body["Item"], schema)
    key = body["Key"]
    if not isinstance(key, dict) or set(key) != set(schema.key.attributes):
        raise UsageError(
            f"{kind} on {schema.name}: Key must hold exactly {' + '.join(schema.key.attributes)}"
        )
    return dict(key)


def _prefixed(text: str) -> str:
    return re.sub(r"([#:])([A-Za-z0-9_]+)", lambda m: f"{m.group(1)}{PREFIX}{m.group(2)}", text)


def _pin(body: dict[str, Any], schema: TableSchema, image: Item | None, what: str) -> None:
    """AND the condition that the item is exactly ``image`` (None: absent) into ``body``."""
    ph = Placeholders()
    if image is None:
        pk = schema.key.partition_key
        cond = "attribute_not_exists(#n1)"
        names, values = {"#n1": pk}, {}
    else:
        cond, complete = _image_condition(ph, schema, image, must=list(image))
        if not complete:
            raise UsageError(
                f"{what}: the item has too many attributes to pin in one condition (300 operators, 4 KB), "
                "so its undo could not be exact"
            )
        names, values = ph.expression_attribute_names, ph.expression_attribute_values
    cond = _prefixed(cond)
    names = {_prefixed(k): v for k, v in names.items()}
    values = {_prefixed(k): v for k, v in values.items()}
    clash = (set(names) & set(body.get("ExpressionAttributeNames") or {})) | (
        set(values) & set(body.get("ExpressionAttributeValues") or {})
    )
    if clash:
        raise UsageError(
            f"{what}: placeholders starting {PREFIX} are ddbtui's own: {', '.join(sorted(clash))}"
        )
    user = body.get("ConditionExpression")
    body["ConditionExpression"] = f"({user}) AND ({cond})" if user else cond
    if names:
        body["ExpressionAttributeNames"] = {**(body.get("ExpressionAttributeNames") or {}), **names}
    if values:
        body["ExpressionAttributeValues"] = {**(body.get("ExpressionAttributeValues") or {}), **values}
    body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"


def _updated(body: Mapping[str, Any], key: Item, old: Item | None, what: str) -> Item:
    text = body["UpdateExpression"]
    ph = Placeholders(names=body.get("ExpressionAttributeNames"))
    ph._user_values = dict(body.get("ExpressionAttributeValues") or {})  # AttributeValues already
    try:
        new = apply_update(dict(old) if old is not None else None, parse_update(text), ph, text)
    except Exception as e:  # ExprError: the update as DynamoDB would refuse it on this item
        raise UsageError(f"{what}: {e}") from None
    return {**new, **key}


def plan_transaction(
    actions: list[tuple[str, dict[str, Any]]],
    schemas: Mapping[str, TableSchema],
    images: list[Item | None],
) -> TransactWrite:
    """The TransactWriteItems of ``actions`` (``parse_actions``), each pinned to its item's image as read
    (``images``, in the same order), with the old and new image of every write for the journal."""
    items: list[dict[str, Any]] = []
    ops: list[TransactOp] = []
    seen: set[Any] = set()
    for n, ((kind, body), image) in enumerate(zip(actions, images, strict=True), 1):
        schema = schemas[body["TableName"]]
        key = action_key(kind, body, schema)
        what = f"action {n} ({kind} {schema.name} {key_text(key)})"
        ident = (schema.name, key_identity(key))
        if ident in seen:
            raise UsageError(f"{what}: the item appears twice; a transaction writes each item once")
        seen.add(ident)
        body = dict(body)
        op = KINDS[kind]
        if kind == "Put":
            new: Item | None = dict(body["Item"])
        elif kind == "Delete":
            new = None
        elif kind == "Update":
            new = _updated(body, key, image, what)
        else:
            new = image
        _pin(body, schema, image, what)
        items.append({kind: body})
        ops.append(TransactOp(schema.name, key, op, image, new, True, what))  # type: ignore[arg-type]
    return TransactWrite(items, ops)
