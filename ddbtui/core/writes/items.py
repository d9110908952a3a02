"""Items and keys of writes: DynamoDB equality, the key of an item, checks DynamoDB would make, and
items and keys parsed from plain JSON or DynamoDB JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.capacity import MAX_ITEM_SIZE, canonical, item_size
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import ddb_json_to_av, item_to_plain_json, number_text, parse_plain_json, to_av

Item = dict[str, dict[str, Any]]


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
