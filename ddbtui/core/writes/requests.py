"""Single-item write requests (PutItem, UpdateItem, DeleteItem) as boto3 params, with the guards
of the write policy: put creates only unless told, update and delete need the item to exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ddbtui.core.errors import DdbtuiError, ExprError
from ddbtui.core.expr import Function, Node, Path, Placeholders, and_, parse_condition
from ddbtui.core.expr.update import UpdateExpression, apply_update, compile_update, parse_update
from ddbtui.core.expr.update_compile import _resolved
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes.items import Item, check_item, key_of, key_text

Operation = Literal["put", "update", "delete"]


class WriteConflict(DdbtuiError):
    """The condition failed: the item is not as the write expected. ``current`` is the item as it is now
    (None: there is none), from ReturnValuesOnConditionCheckFailure or the precheck read."""

    code = "ConditionalCheckFailedException"

    def __init__(self, message: str, current: Item | None, request: WriteRequest | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.request = request


@dataclass
class WriteRequest:
    """One PutItem, UpdateItem or DeleteItem, ready to send: ``params`` are the boto3 arguments.

    ``expected``: the image the condition pins down (edits, undo), None when unknown. ``precheck``: an
    image to compare with a consistent read before sending (see the module doc). ``new_image(old)`` gives
    the item after the write from the old image the response returns.
    """

    operation: Operation
    table: str
    key: Item
    params: dict[str, Any]
    item: Item | None = None  # put: the item written
    update: UpdateExpression | None = None  # update from an expression
    changes: dict[str, dict[str, Any] | None] | None = (
        None  # update from a diff: name -> value (None: remove)
    )
    placeholders: Placeholders | None = field(default=None, repr=False)
    update_text: str | None = None
    touched: tuple[str, ...] = ()  # update from an expression: the top-level attributes it writes
    expected: Item | None = None
    expected_known: bool = False
    precheck: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def api(self) -> str:
        """The boto3 client method: put_item, update_item or delete_item."""
        return {"put": "put_item", "update": "update_item", "delete": "delete_item"}[self.operation]

    @property
    def description(self) -> str:
        """``put Orders {"pk": "A"}`` (plain text; make it terminal-safe to show)."""
        return f"{self.operation} {self.table} {key_text(self.key)}"

    def new_image(self, old: Item | None) -> Item | None:
        """The item after this write, given the item before it. For an update expression this is the
        local evaluator's answer, for previews: the executor journals what DynamoDB returns (ALL_NEW)."""
        if self.operation == "put":
            return self.item
        if self.operation == "delete":
            return None
        base: Item = dict(old) if old is not None else dict(self.key)
        if self.changes is not None:
            for name, av in self.changes.items():
                if av is None:
                    base.pop(name, None)
                else:
                    base[name] = av
            return base
        assert self.update is not None
        return apply_update(base, self.update, self.placeholders, self.update_text)


def _common(schema: TableSchema) -> dict[str, Any]:
    return {"TableName": schema.name, "ReturnConsumedCapacity": "INDEXES"}


def _finish(params: dict[str, Any], ph: Placeholders, condition: str | None) -> None:
    if condition:
        params["ConditionExpression"] = condition
        params["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    ph.check_all_used()
    if ph.expression_attribute_names:
        params["ExpressionAttributeNames"] = ph.expression_attribute_names
    if ph.expression_attribute_values:
        params["ExpressionAttributeValues"] = ph.expression_attribute_values


def _exists(schema: TableSchema, negate: bool = False) -> Node:
    return Function(
        "attribute_not_exists" if negate else "attribute_exists", (Path.of(schema.key.partition_key),)
    )


def _condition(schema: TableSchema, ph: Placeholders, text: str | None, guard: Node | None) -> str | None:
    nodes: list[Node] = [guard] if guard is not None else []
    if text is not None:  # an empty --condition is refused ("the expression is empty"), never dropped
        try:
            nodes.append(parse_condition(text))
        except ExprError as e:
            e.message, e.text = f"condition: {e.message}", text
            raise
    if not nodes:
        return None
    return ph.compile(and_(*nodes), text)


def put_request(
    schema: TableSchema,
    item: Item,
    *,
    condition: str | None = None,
    overwrite: bool = False,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> WriteRequest:
    """PutItem of ``item``. With neither ``condition`` nor ``overwrite`` it only creates
    (``attribute_not_exists(pk)``); the user's ``condition`` replaces that check, ``overwrite`` drops it."""
    check_item(item, schema)
    ph = Placeholders(names, values)
    guard = None if overwrite or condition is not None else _exists(schema, negate=True)
    cond = _condition(schema, ph, condition, guard)
    params = {**_common(schema), "Item": item, "ReturnValues": "ALL_OLD"}
    _finish(params, ph, cond)
    return WriteRequest("put", schema.name, key_of(item, schema), params, item=item)


def update_request(
    schema: TableSchema,
    key: Item,
    update: str,
    *,
    condition: str | None = None,
    upsert: bool = False,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> WriteRequest:
    """UpdateItem with an update expression in ddbtui's language (``SET a = a + 1 REMOVE b``).

    Conditional on the item existing unless ``upsert``; the user's ``condition`` is added to that. Key
    attributes cannot be updated (ExprError saying so).
    """
    try:
        tree = parse_update(update)
    except ExprError as e:
        e.message, e.text = f"update: {e.message}", update
        raise
    ph = Placeholders(names, values)
    try:
        expression = compile_update(tree, ph, update, schema.key.attributes)
    except ExprError as e:
        e.message, e.text = f"update: {e.message}", update
        raise
    cond = _condition(schema, ph, condition, None if upsert else _exists(schema))
    # ALL_NEW: the journal holds what DynamoDB stored; the old image comes from a read the executor pins
    # (``ddbtui.core.writes.images``)
    params = {**_common(schema), "Key": key, "UpdateExpression": expression, "ReturnValues": "ALL_NEW"}
    _finish(params, ph, cond)
    touched = tuple(dict.fromkeys(str(_resolved(ph, p, update).top) for p in tree.paths))
    return WriteRequest(
        "update", schema.name, key, params, update=tree, placeholders=ph, update_text=update, touched=touched
    )


def delete_request(
    schema: TableSchema,
    key: Item,
    *,
    condition: str | None = None,
    missing_ok: bool = False,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> WriteRequest:
    """DeleteItem, conditional on the item existing unless ``missing_ok``, AND the user's ``condition``."""
    ph = Placeholders(names, values)
    cond = _condition(schema, ph, condition, None if missing_ok else _exists(schema))
    params = {**_common(schema), "Key": key, "ReturnValues": "ALL_OLD"}
    _finish(params, ph, cond)
    return WriteRequest("delete", schema.name, key, params)
