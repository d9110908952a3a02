"""The two images of an UpdateItem written as an update expression, both as DynamoDB stored them.

DynamoDB returns one image per UpdateItem. ddbtui asks for the new one (``ReturnValues=ALL_NEW``: what
the server stored, list elements added past the end in index order included) and gets the old one exactly
as well: just before sending, the item is read (strongly consistent), and the request's condition pins
every top-level attribute the update writes to its value as read (absent: ``attribute_not_exists``). When
the write succeeds, the old image is the new one with those attributes put back as read: the others the
update did not touch, so they were the same just before it (a change someone made to them meanwhile is
in both images, and undo keeps it). When only a pin fails (someone changed a written attribute between
the read and the write), the executor reads again, from the item the failed check returned, and retries.

``apply_update`` (the local evaluator) is used for previews only.
"""

from __future__ import annotations

from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.expr.compiler import MAX_EXPRESSION_BYTES
from ddbtui.core.writes.items import Item, items_equal
from ddbtui.core.writes.requests import WriteRequest

MAX_ATTEMPTS = 5  # reads and writes before a write whose attributes keep changing is given up as a conflict


def _fresh(taken: dict[str, Any], prefix: str) -> Any:
    i = 0
    while True:
        name = f"{prefix}{i}"
        if name not in taken:
            yield name
        i += 1


def _group(condition: str) -> str:
    """``condition`` as one operand of AND: in parentheses unless one pair already encloses all of it
    (DynamoDB refuses a pair around a pair). The compiled text has no quotes: values are placeholders."""
    depth = 0
    for i, ch in enumerate(condition):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(condition) - 1:
            return f"({condition})"
    return condition if condition.startswith("(") else f"({condition})"


def pinned_params(request: WriteRequest, read: Item | None, partition_key: str) -> dict[str, Any]:
    """The UpdateItem to send for ``request`` given the item ``read`` just before: ``ReturnValues=ALL_NEW``
    and the request's condition AND the pins (the written attributes as read; no item: none yet)."""
    params = dict(request.params)
    names = dict(params.get("ExpressionAttributeNames") or {})
    values = dict(params.get("ExpressionAttributeValues") or {})
    fresh_name, fresh_value = _fresh(names, "#pin"), _fresh(values, ":pin")
    atoms: list[str] = []
    if read is None:
        n = next(fresh_name)
        names[n] = partition_key
        atoms.append(f"attribute_not_exists({n})")
    else:
        for attr in request.touched:
            n = next(fresh_name)
            names[n] = attr
            if attr in read:
                v = next(fresh_value)
                values[v] = read[attr]
                atoms.append(f"{n} = {v}")
            else:
                atoms.append(f"attribute_not_exists({n})")
    pins = " AND ".join(atoms)
    user = params.get("ConditionExpression")
    condition = f"{_group(user)} AND {pins}" if user else pins
    if len(condition.encode("utf-8")) > MAX_EXPRESSION_BYTES:
        raise UsageError(
            f"this update writes {len(request.touched)} attributes, too many to check in one condition of "
            "4 KB next to yours; make the change in smaller steps"
        )
    params["ConditionExpression"] = condition
    params["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    params["ReturnValues"] = "ALL_NEW"
    params["ExpressionAttributeNames"] = names
    if values:
        params["ExpressionAttributeValues"] = values
    return params


def _view(request: WriteRequest, item: Item) -> Item:
    return {a: item[a] for a in request.touched if a in item}


def pins_hold(request: WriteRequest, read: Item | None, current: Item | None) -> bool:
    """Whether the item as it is now (``current``, from the failed check) still matches the pins taken
    from ``read``: then the request's own condition failed (a conflict), otherwise the item changed under
    the pins and the write is tried again from ``current``."""
    if read is None or current is None:
        return read is None and current is None
    return items_equal(_view(request, read), _view(request, current))


def old_image(request: WriteRequest, read: Item | None, new: Item | None) -> Item | None:
    """The item just before the write: ``new`` (ALL_NEW) with the written attributes as read."""
    if read is None or new is None:
        return None if read is None else dict(read)
    old = {k: v for k, v in new.items() if k not in request.touched}
    old.update(_view(request, read))
    return old
