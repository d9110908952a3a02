"""Writes that turn an item from one image into another, conditional on the image (optimistic
locking of edits, undo): see the package doc for the condition and the precheck."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ddbtui.core.capacity import item_size
from ddbtui.core.errors import UsageError
from ddbtui.core.expr import Path, Placeholders
from ddbtui.core.expr.compiler import MAX_EXPRESSION_BYTES, MAX_OPERATORS
from ddbtui.core.expr.update import av_placeholder, path_text
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes.diff import diff_items
from ddbtui.core.writes.items import Item, check_item, items_equal, key_of, key_text
from ddbtui.core.writes.requests import Operation, WriteRequest, _common, _finish

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
