"""The journal's record format: one JSON line per write, AttributeValues as DynamoDB JSON."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ddbtui.core.equality import canonical
from ddbtui.core.values import av_to_ddb_json, ddb_json_to_av
from ddbtui.core.writes.items import Item


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


def _stable(c: Any) -> str:
    """``canonical``'s value as text that is the same in every process (sets sorted, not hashed)."""
    if isinstance(c, frozenset | set):
        return "{" + ",".join(sorted(_stable(x) for x in c)) + "}"
    if isinstance(c, tuple | list):
        return "(" + ",".join(_stable(x) for x in c) + ")"
    if isinstance(c, dict):
        return "<" + ",".join(f"{json.dumps(k)}:{_stable(v)}" for k, v in sorted(c.items())) + ">"
    if isinstance(c, bytes | bytearray):
        return "b" + bytes(c).hex()
    if isinstance(c, str):
        return json.dumps(c)  # ASCII with \u escapes: a lone surrogate too
    return repr(c)


def item_digest(item: Mapping[str, Any]) -> str:
    """A digest of an item as DynamoDB compares items (numbers by value, sets in any order): two items
    have the same digest exactly when ``items_equal`` holds (up to SHA-256 collisions). An import's
    journal keeps this instead of the item written, so the journal stays small."""
    text = _stable({k: canonical(v) for k, v in item.items()})
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JournalRecord:
    """One line of the write journal. Items are in AttributeValue form (binary as bytes); the file holds
    them as DynamoDB JSON.

    ``old_known`` is False where DynamoDB does not return the old image (BatchWriteItem): such a write
    cannot be undone. ``group`` ties the writes of one action (a batch, a transaction) so that undo takes
    them back together; ``undoes`` names the record an undo reverted.

    ``new_digest`` (an import's records) stands for the new image, which is not kept (``new`` is None):
    ``item_digest`` of the item written. Undo then reads the item and takes it back only when its
    digest is still this one.
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
    new_digest: str | None = None

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
        } | ({"new_digest": self.new_digest} if self.new_digest is not None else {})

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
            new_digest=obj.get("new_digest"),
        )

    @classmethod
    def from_line(cls, line: str) -> JournalRecord:
        return cls.from_json(json.loads(line))

    def with_(self, **changes: Any) -> JournalRecord:
        return replace(self, **changes)
