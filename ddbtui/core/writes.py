"""Writes as ddbtui models them: the write policy, requests turned into boto3 params, optimistic locking
of edits, item diffs, transactions, and the journal's record format. Pure: no boto3, no I/O.

Safety rules (DESIGN §9) live here, so the CLI and the workbench share them:

- Nothing is written unless a ``WritePolicy`` allows the table.
- ``put`` without a condition creates only (``attribute_not_exists(pk)``; the user's ``--condition``
  replaces that check, ``overwrite`` drops it); ``update`` and ``delete`` need the item to exist, AND the
  user's condition, unless ``upsert`` / ``missing_ok``.
- Every request asks for the old image (``ReturnValues=ALL_OLD``) so the journal can undo it, for
  ``ReturnConsumedCapacity=INDEXES``, and, when conditional, ``ReturnValuesOnConditionCheckFailure=ALL_OLD``
  so a conflict shows the item as it is now.

Optimistic locking of an edit (``edit_request``): the edit is sent as an UpdateItem that SETs the
attributes the user changed or added and REMOVEs those they deleted, on the condition that every attribute
of the image as read still has the value read and every attribute the edit adds is still absent. A
PutItem with the same condition would silently drop an attribute someone else added meanwhile (a
condition cannot name attributes it does not know); the UpdateItem leaves such an attribute alone, so
nothing anyone wrote is ever lost. With a version attribute, the condition is ``version = :read`` and the
edit writes ``read + 1``.

DynamoDB caps a condition at 300 operators and 4 KB. An image too large to compare whole (about 150
attributes, fewer with long names) is compared in part: the condition keeps the key, every attribute the
write replaces or removes, and as many others as fit, and the request carries ``precheck``: the executor
reads the item (strongly consistent) just before writing and refuses when it differs from the image as
read. That leaves a window of one round trip in which a change to an attribute the edit does not touch
goes unnoticed (it is never overwritten, only not reported); naming a version attribute closes it.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ddbtui.core.capacity import MAX_ITEM_SIZE, canonical, item_size
from ddbtui.core.errors import DdbtuiError, ExprError, UsageError
from ddbtui.core.expr import Function, Node, Path, Placeholders, and_, parse_condition
from ddbtui.core.expr.compiler import MAX_EXPRESSION_BYTES, MAX_OPERATORS
from ddbtui.core.expr.update import (
    UpdateExpression,
    apply_update,
    av_placeholder,
    compile_update,
    parse_update,
    path_text,
)
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import (
    av_to_ddb_json,
    ddb_json_to_av,
    item_to_plain_json,
    number_text,
    parse_plain_json,
    to_av,
)

Item = dict[str, dict[str, Any]]
Operation = Literal["put", "update", "delete"]
MAX_TRANSACTION_ITEMS = 100

__all__ = [
    "Change",
    "JournalRecord",
    "TransactOp",
    "TransactWrite",
    "WriteConflict",
    "WritePolicy",
    "WriteRequest",
    "check_item",
    "delete_request",
    "diff_items",
    "edit_request",
    "items_equal",
    "key_identity",
    "key_of",
    "key_text",
    "parse_item",
    "parse_key",
    "put_request",
    "rekey_transaction",
    "transact_requests",
    "transition_request",
    "update_request",
]


# --------------------------------------------------------------------------------------------- policy


class WritePolicy:
    """Which tables may be written: none (the default, read-only), all, or the named ones."""

    def __init__(self, enabled: bool = False, tables: Iterable[str] | None = None) -> None:
        self.enabled = enabled
        self.tables: frozenset[str] | None = frozenset(tables) if tables is not None else None

    @classmethod
    def from_flag(cls, value: str | bool | None) -> WritePolicy:
        """From ``--allow-writes``: absent (None/False) → read-only; bare (True, ``"*"`` or ``""``) → every
        table; ``"Orders,Users"`` → those tables only."""
        if value is None or value is False:
            return cls(False)
        if value is True or str(value).strip() in ("", "*"):
            return cls(True)
        names = [n.strip() for n in str(value).split(",") if n.strip()]
        return cls(True, names)

    def allows(self, table: str) -> bool:
        return self.enabled and (self.tables is None or table in self.tables)

    def check(self, table: str) -> None:
        """Raise UsageError, saying how to enable writes, unless ``table`` may be written."""
        if not self.enabled:
            raise UsageError(
                f"writes are disabled: ddbtui is read-only by default. Add --allow-writes to write to any "
                f"table, or --allow-writes={table} to allow this one only"
            )
        if not self.allows(table):
            allowed = ", ".join(sorted(self.tables or ()))
            raise UsageError(
                f"writes to {table} are not allowed: --allow-writes names only {allowed}; "
                f"add it, e.g. --allow-writes={','.join([*sorted(self.tables or ()), table])}"
            )

    @property
    def label(self) -> str:
        """For a badge: ``READ-ONLY``, ``WRITES ON`` or ``WRITES: Orders, Users``."""
        if not self.enabled:
            return "READ-ONLY"
        if self.tables is None:
            return "WRITES ON"
        return "WRITES: " + ", ".join(sorted(self.tables))


# --------------------------------------------------------------------------------------------- items


def items_equal(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Equal as DynamoDB sees it: same attributes, numbers by value, sets in any order."""
    if a is None or b is None:
        return a is None and b is None
    return a.keys() == b.keys() and all(canonical(a[k]) == canonical(b[k]) for k in a)


def key_of(item: Mapping[str, Any], schema: TableSchema) -> Item:
    """The primary key attributes of ``item`` (UsageError when one is missing)."""
    missing = [k for k in schema.key.attributes if k not in item]
    if missing:
        raise UsageError(
            f"the item lacks the key attribute{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    return {k: dict(item[k]) for k in schema.key.attributes}


def key_identity(key: Mapping[str, Any]) -> frozenset[tuple[str, Any]]:
    """A hashable identity of a primary key (numbers by value: ``1`` and ``1.0`` are the same key)."""
    return frozenset((name, canonical(av)) for name, av in key.items())


def key_text(key: Mapping[str, Any]) -> str:
    """A key for messages: ``{"pk": "A", "sk": "B"}`` (plain JSON; make it terminal-safe to show)."""
    return item_to_plain_json(dict(key))


def _check_key_types(item: Mapping[str, Any], schema: TableSchema, what: str) -> None:
    for name in schema.key.attributes:
        ((got, value),) = item[name].items()
        want = schema.attribute_types.get(name)
        if want and got != want:
            raise UsageError(f"key attribute {name} is of type {want}, but the {what} gives {got}")
        if got in ("S", "B") and len(value) == 0:
            raise UsageError(f"key attribute {name} cannot be empty")


def check_item(item: Mapping[str, Any], schema: TableSchema) -> None:
    """Refuse an item DynamoDB would refuse: missing or mistyped key, empty set, over 400 KB."""
    key_of(item, schema)
    _check_key_types(item, schema, "item")
    for name, av in item.items():
        ((tag, value),) = av.items()
        if tag in ("SS", "NS", "BS") and not value:
            raise UsageError(f"{name} is an empty set; DynamoDB stores no empty sets")
    size = item_size(item)
    if size > MAX_ITEM_SIZE:
        raise UsageError(f"the item is {size:,} bytes; DynamoDB's limit is {MAX_ITEM_SIZE:,} (400 KB)")


def parse_item(text: str, *, ddb_json: bool = False, what: str = "--item") -> Item:
    """An item from plain JSON (exact numbers) or, with ``ddb_json``, DynamoDB JSON (sets, base64 binary)."""
    obj = parse_plain_json(text, f"{what} JSON") if not ddb_json else _parse_ddb_json(text, what)
    if not isinstance(obj, dict):
        raise UsageError(f"{what} must be a JSON object")
    if ddb_json:
        out: Item = {}
        for name, av in obj.items():
            try:
                out[name] = ddb_json_to_av(_decimals_to_text(av))
            except (ValueError, AttributeError, TypeError) as e:
                raise UsageError(
                    f'{what}: {name} is not DynamoDB JSON such as {{"S": "text"}} or {{"N": "1"}} ({e})'
                ) from None
        return out
    return {name: to_av(value) for name, value in obj.items()}


def _parse_ddb_json(text: str, what: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as e:
        raise UsageError(f"bad {what} JSON at column {e.colno}: {e.msg}") from None
    except InvalidOperation:  # an exponent past what Decimal holds
        raise UsageError(f"bad {what} JSON: a number is out of range") from None
    except RecursionError:
        raise UsageError(f"bad {what} JSON: nested too deeply") from None


def _decimals_to_text(obj: Any) -> Any:
    # {"N": 5} is a common slip for {"N": "5"}; carry the number through exactly
    if isinstance(obj, dict):
        if len(obj) != 1:
            raise ValueError("an AttributeValue has exactly one type key")
        ((tag, value),) = obj.items()
        if tag == "N":
            return {"N": _number_payload(value)}
        if tag == "NS":
            return {"NS": [_number_payload(v) for v in _list_payload(tag, value)]}
        if tag == "S" and not isinstance(value, str):
            raise ValueError("S takes a string")
        if tag in ("SS", "BS") and not all(isinstance(v, str) for v in _list_payload(tag, value)):
            raise ValueError(f"{tag} takes a list of strings")
        if tag == "B" and not isinstance(value, str):
            raise ValueError("B takes base64 text")
        if tag == "BOOL" and not isinstance(value, bool):
            raise ValueError("BOOL takes true or false")
        if tag == "NULL" and value is not True:
            raise ValueError("NULL takes true")
        if tag in ("M",):
            return {"M": {k: _decimals_to_text(v) for k, v in value.items()}}
        if tag == "L":
            return {"L": [_decimals_to_text(v) for v in value]}
        if tag not in ("S", "B", "BOOL", "NULL", "SS", "BS"):
            raise ValueError(f"unknown type {tag!r}")
        return {tag: value}
    raise ValueError('expected an object such as {"S": "text"}')


def _number_payload(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, Decimal | str):
        raise ValueError("N takes a number")
    number_text(value)  # UsageError unless DynamoDB can store it; the text itself is kept as written
    return str(value)


def _list_payload(tag: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{tag} takes a list")
    return value


def parse_key(text: str, schema: TableSchema, *, ddb_json: bool = False) -> Item:
    """A primary key from JSON: exactly the table's key attributes, of the right types."""
    key = parse_item(text, ddb_json=ddb_json, what="--key")
    wanted = set(schema.key.attributes)
    if set(key) != wanted:
        missing = ", ".join(sorted(wanted - set(key)))
        extra = ", ".join(sorted(set(key) - wanted))
        parts = [f"missing {missing}" if missing else "", f"not key attributes: {extra}" if extra else ""]
        raise UsageError(
            f"the key of {schema.name} is {' + '.join(schema.key.attributes)}; "
            + "; ".join(p for p in parts if p)
        )
    _check_key_types(key, schema, "key")
    return key


# --------------------------------------------------------------------------------------------- diffs


@dataclass(frozen=True)
class Change:
    """One difference between two items: ``path`` from the top-level attribute down (maps only)."""

    path: tuple[str, ...]
    kind: Literal["added", "removed", "changed"]
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def name(self) -> str:
        """The top-level attribute."""
        return self.path[0]

    @property
    def label(self) -> str:
        """``a.b.c``."""
        return ".".join(self.path)


def diff_items(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, deep: bool = False
) -> list[Change]:
    """What changed from ``old`` to ``new`` (None: no item), attribute by attribute in a stable order.

    ``deep``: descend into maps changed on both sides, to show ``address.city`` rather than ``address``.
    Values are compared as DynamoDB does (numbers by value, sets in any order).
    """
    return _diff(dict(old or {}), dict(new or {}), (), deep)


def _diff(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: tuple[str, ...], deep: bool
) -> list[Change]:
    out: list[Change] = []
    for name in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(name), new.get(name)
        path = (*prefix, name)
        if a is None:
            out.append(Change(path, "added", None, b))
        elif b is None:
            out.append(Change(path, "removed", a, None))
        elif canonical(a) != canonical(b):
            if deep and "M" in a and "M" in b:
                out.extend(_diff(a["M"], b["M"], path, deep))
            else:
                out.append(Change(path, "changed", a, b))
    return out


# --------------------------------------------------------------------------------------------- requests


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
        """The item after this write, given the item before it (what ReturnValues=ALL_OLD returned)."""
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
    if text:
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
    guard = None if overwrite or condition else _exists(schema, negate=True)
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
    params = {**_common(schema), "Key": key, "UpdateExpression": expression, "ReturnValues": "ALL_OLD"}
    _finish(params, ph, cond)
    return WriteRequest("update", schema.name, key, params, update=tree, placeholders=ph, update_text=update)


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


# --- conditions on a whole image -----------------------------------------------------------------------

_ATOM_OVERHEAD = 16  # " = :v1234" and " AND " around a name, generously


def _atom_cost(name: str) -> int:
    return max(len(name.encode("utf-8")) + 1, 6) + _ATOM_OVERHEAD


def _image_condition(
    ph: Placeholders,
    schema: TableSchema,
    expected: Mapping[str, Any],
    must: Iterable[str],
    absent: Iterable[str] = (),
    budget_bytes: int = MAX_EXPRESSION_BYTES,
) -> tuple[str, bool]:
    """Condition text: the key exists, every attribute of ``expected`` still has its value, the ``absent``
    attributes do not exist. Returns (text, complete); ``complete`` False when only part of the image fit
    within DynamoDB's limits — then ``must`` (the attributes the write replaces) and the key are in it.
    """
    pk = schema.key.partition_key
    key_attrs = set(schema.key.attributes)
    must_set = [n for n in dict.fromkeys(must) if n in expected and n not in key_attrs]
    others = sorted(
        (n for n in expected if n not in key_attrs and n not in must_set),
        key=lambda n: (item_size({n: expected[n]}), n),
    )
    absent = [n for n in dict.fromkeys(absent) if n not in expected]
    required = [pk, *must_set, *absent]
    cost = sum(_atom_cost(n) for n in required)
    if len(required) * 2 - 1 > MAX_OPERATORS or cost > budget_bytes:
        raise UsageError(
            f"this write changes {len(must_set) + len(absent)} attributes, more than one DynamoDB condition can "
            "check (300 operators, 4 KB); name a version attribute, or make the change in smaller steps"
        )
    chosen: list[str] = []
    for name in others:
        c = _atom_cost(name)
        if (len(required) + len(chosen) + 1) * 2 - 1 > MAX_OPERATORS or cost + c > budget_bytes:
            break
        chosen.append(name)
        cost += c
    complete = len(chosen) == len(others)
    atoms = [f"attribute_exists({path_text(ph, Path.of(pk))})"]
    for name in [*must_set, *chosen]:
        atoms.append(f"{path_text(ph, Path.of(name))} = {av_placeholder(ph, expected[name])}")
    for name in absent:
        atoms.append(f"attribute_not_exists({path_text(ph, Path.of(name))})")
    return " AND ".join(atoms), complete


def _version_value(image: Mapping[str, Any], attr: str) -> Decimal | None:
    av = image.get(attr)
    if av is None:
        return None
    if "N" not in av:
        raise UsageError(f"the version attribute {attr} must be a number, not {next(iter(av))}")
    return Decimal(av["N"])


def transition_request(
    schema: TableSchema,
    expected: Item | None,
    target: Item | None,
    *,
    version_attribute: str | None = None,
    precheck: bool = False,
) -> WriteRequest:
    """The write that turns the item from ``expected`` into ``target`` (None: no item), refused when the
    item is no longer ``expected``. Used for edits (expected = the image as read) and undo.

    - no item → ``target``: PutItem on ``attribute_not_exists(pk)``;
    - ``expected`` → no item: DeleteItem on every attribute of ``expected``;
    - ``expected`` → ``target``: UpdateItem SET/REMOVE of the differences, on every attribute of
      ``expected`` and the absence of the attributes it adds (see the module doc).

    With ``version_attribute`` the condition is on that attribute alone and the write increments it.
    ``precheck`` asks the executor to compare a consistent read with ``expected`` first (always done
    when the image is too large to compare in full).
    """
    if expected is None and target is None:
        raise UsageError("nothing to write: there is no item before or after")
    key = key_of(expected if expected is not None else target, schema)  # type: ignore[arg-type]
    if expected is not None and target is not None:
        new_key = key_of(target, schema)
        if not items_equal(key, new_key):
            raise UsageError(
                f"an edit cannot change the key ({' + '.join(schema.key.attributes)}): "
                f"{key_text(key)} → {key_text(new_key)}. Copy the item to the new key and delete the "
                "old one instead, in one transaction (rekey)"
            )
    if target is not None:
        check_item(target, schema)
    if expected is not None and target is not None and not diff_items(expected, target):
        raise UsageError("nothing changed: the edited item equals the item as read")
    ph = Placeholders()
    params: dict[str, Any] = {**_common(schema), "ReturnValues": "ALL_OLD"}
    warnings: list[str] = []
    complete = True
    if version_attribute and expected is not None and target is not None:
        read = _version_value(expected, version_attribute)
        target = dict(target)
        target[version_attribute] = {"N": str((read or 0) + 1)}
        if read is None:
            cond = f"attribute_not_exists({path_text(ph, Path.of(version_attribute))})"
        else:
            name = path_text(ph, Path.of(version_attribute))
            cond = f"{name} = {av_placeholder(ph, expected[version_attribute])}"
        cond = f"attribute_exists({path_text(ph, Path.of(schema.key.partition_key))}) AND {cond}"
    elif expected is None:
        cond = f"attribute_not_exists({path_text(ph, Path.of(schema.key.partition_key))})"
    else:
        # An update must pin what it replaces; a delete compares what fits (the precheck covers the rest).
        changes = diff_items(expected, target) if target is not None else []
        touched = [c.name for c in changes if c.kind != "added"]
        added = [c.name for c in changes if c.kind == "added"]
        cond, complete = _image_condition(ph, schema, expected, touched, added)
        if not complete:
            warnings.append(
                f"the item has {len(expected)} attributes, more than one condition can compare; the attributes "
                "this write replaces are checked by the condition, the others by a consistent read just "
                "before it (name a version attribute to check everything atomically)"
            )
    if target is None:
        op: Operation = "delete"
        params["Key"] = key
        req_changes = None
        item = None
    elif expected is None:
        op = "put"
        params["Item"] = target
        req_changes = None
        item = target
    else:
        op = "update"
        params["Key"] = key
        changes = diff_items(expected, target)
        sets = [c for c in changes if c.new is not None]
        removes = [c for c in changes if c.new is None]
        parts = []
        if sets:
            parts.append(
                "SET "
                + ", ".join(f"{path_text(ph, Path.of(c.name))} = {av_placeholder(ph, c.new)}" for c in sets)  # type: ignore[arg-type]
            )
        if removes:
            parts.append("REMOVE " + ", ".join(path_text(ph, Path.of(c.name)) for c in removes))
        update_text = " ".join(parts)
        if len(update_text.encode("utf-8")) > MAX_EXPRESSION_BYTES:
            raise UsageError(
                f"the edit changes {len(changes)} attributes, more than one UpdateItem can name in 4 KB; "
                "make the change in smaller steps"
            )
        params["UpdateExpression"] = update_text
        req_changes = {c.name: c.new for c in changes}
        item = target
    _finish(params, ph, cond)
    return WriteRequest(
        op,
        schema.name,
        key,
        params,
        item=item if op == "put" else None,
        changes=req_changes,
        expected=expected,
        expected_known=True,
        precheck=precheck or not complete,
        warnings=warnings,
    )


def edit_request(
    schema: TableSchema, read_item: Item, edited_item: Item, *, version_attribute: str | None = None
) -> WriteRequest:
    """The conditional write of an edit: ``read_item`` as it was read, ``edited_item`` as the user left it.

    Refused (WriteConflict at execution) when anyone changed the item since it was read. The key cannot
    change (UsageError pointing to ``rekey_transaction``); an unchanged item is a UsageError too.
    """
    return transition_request(schema, read_item, edited_item, version_attribute=version_attribute)


# --------------------------------------------------------------------------------------------- transactions


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


# --------------------------------------------------------------------------------------------- journal


def _items_json(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if item is None else {k: av_to_ddb_json(v) for k, v in item.items()}


def _items_from_json(obj: Mapping[str, Any] | None) -> Item | None:
    return None if obj is None else {k: ddb_json_to_av(v) for k, v in obj.items()}


_AV_MAPS = ("Item", "Key", "ExpressionAttributeValues", "ExclusiveStartKey")


def params_to_json(params: Any) -> Any:
    """boto3 params as JSON-ready data: every AttributeValue in DynamoDB JSON (binary as base64)."""
    if isinstance(params, list):
        return [params_to_json(p) for p in params]
    if not isinstance(params, dict):
        return params
    out: dict[str, Any] = {}
    for k, v in params.items():
        if k in _AV_MAPS and isinstance(v, dict):
            out[k] = _items_json(v)
        elif k == "Keys" and isinstance(v, list):
            out[k] = [_items_json(x) for x in v]
        else:
            out[k] = params_to_json(v)
    return out


def params_from_json(params: Any) -> Any:
    """The inverse of ``params_to_json``: binary back to bytes."""
    if isinstance(params, list):
        return [params_from_json(p) for p in params]
    if not isinstance(params, dict):
        return params
    out: dict[str, Any] = {}
    for k, v in params.items():
        if k in _AV_MAPS and isinstance(v, dict):
            out[k] = _items_from_json(v)
        elif k == "Keys" and isinstance(v, list):
            out[k] = [_items_from_json(x) for x in v]
        else:
            out[k] = params_from_json(v)
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


@dataclass(frozen=True)
class JournalRecord:
    """One line of the write journal. Items are in AttributeValue form (binary as bytes); the file holds
    them as DynamoDB JSON.

    ``old_known`` is False where DynamoDB does not return the old image (BatchWriteItem): such a write
    cannot be undone. ``group`` ties the writes of one action (a batch, a transaction) so that undo takes
    them back together; ``undoes`` names the record an undo reverted.
    """

    table: str
    key: Item
    operation: str
    old: Item | None
    new: Item | None
    request: dict[str, Any]
    endpoint: str | None = None
    region: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    group: str = ""
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    undoes: str | None = None
    old_known: bool = True

    def __post_init__(self) -> None:
        if not self.group:
            object.__setattr__(self, "group", self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "table": self.table,
            "key": _items_json(self.key),
            "operation": self.operation,
            "old": _items_json(self.old),
            "new": _items_json(self.new),
            "old_known": self.old_known,
            "request": params_to_json(self.request),
            "endpoint": self.endpoint,
            "region": self.region,
            "group": self.group,
            "undoes": self.undoes,
        }

    def to_line(self) -> str:
        """One JSON line (no newline inside, ending in one)."""
        return (
            json.dumps(self.to_json(), ensure_ascii=False, default=_json_default, separators=(",", ":"))
            + "\n"
        )

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> JournalRecord:
        return cls(
            table=obj["table"],
            key=_items_from_json(obj["key"]) or {},
            operation=obj["operation"],
            old=_items_from_json(obj.get("old")),
            new=_items_from_json(obj.get("new")),
            request=params_from_json(obj.get("request") or {}),
            endpoint=obj.get("endpoint"),
            region=obj.get("region"),
            id=obj["id"],
            group=obj.get("group") or obj["id"],
            time=obj.get("time", ""),
            undoes=obj.get("undoes"),
            old_known=obj.get("old_known", True),
        )

    @classmethod
    def from_line(cls, line: str) -> JournalRecord:
        return cls.from_json(json.loads(line))

    def with_(self, **changes: Any) -> JournalRecord:
        return replace(self, **changes)
