"""The lean read path for bulk Scan/Query: botocore sends, json.loads parses, lines are written in one go.

botocore still signs, resolves the endpoint, retries and raises ClientError; what it skips is its
shape-driven response parsing, which walks every AttributeValue of a 1 MB page in Python and costs more
than everything else an export does. A ``before-parse`` handler takes a successful Scan/Query body,
parses it with ``json.loads`` and hands the result to botocore as the "customized" response; botocore's
parser then gets ``{}`` to chew on. Errors (status ≥ 300) are left alone, so ClientError, its code and
the retry decisions are exactly those of the plain path.

Only calls made inside ``raw_responses()`` on the same thread take this path: the client is shared with
the TUI, which wants botocore's items. Raw items differ from botocore's in one way: binary values (B, BS)
are base64 text, not bytes. ``values.py`` and ``capacity.py`` accept both; keys that go back to DynamoDB
(LastEvaluatedKey) must be turned back into bytes first: ``key_from_raw``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C encoder json.dumps uses
from typing import Any

from ddbtui.core.values import _JSON_NUMBER, _json_number, ddb_json_to_av

RAW_OPERATIONS = ("Scan", "Query")
_local = threading.local()
_installed_attr = "_ddbtui_fastpath"


def _before_parse(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    if not getattr(_local, "raw", False) or response_dict.get("status_code", 500) >= 300:
        return
    body = response_dict.get("body")
    if not body:
        return
    customized_response_dict.update(json.loads(body))
    response_dict["body"] = b"{}"  # botocore's parser now only builds ResponseMetadata


def install(client: Any) -> None:
    """Register the fast path on ``client`` (once; a no-op for a client that already has it)."""
    if getattr(client, _installed_attr, False):
        return
    for op in RAW_OPERATIONS:
        client.meta.events.register(
            f"before-parse.dynamodb.{op}", _before_parse, unique_id=f"ddbtui-raw-{op}"
        )
    setattr(client, _installed_attr, True)


@contextlib.contextmanager
def raw_responses() -> Iterator[None]:
    """Scan/Query calls made on this thread inside the block return raw items (binary as base64 text)."""
    before = getattr(_local, "raw", False)
    _local.raw = True
    try:
        yield
    finally:
        _local.raw = before


def key_from_raw(key: dict[str, Any] | None) -> dict[str, Any] | None:
    """A LastEvaluatedKey from a raw response, as botocore would have given it (binary as bytes)."""
    return None if key is None else {k: ddb_json_to_av(v) for k, v in key.items()}


# --- JSON Lines, written the way values.item_to_plain_json writes them, a page at a time -----------------


def _b(v: Any) -> bytes:
    return (
        v
        if isinstance(v, bytes)
        else bytes(v)
        if isinstance(v, bytearray | memoryview)
        else base64.b64decode(v)
    )


def _num(text: str) -> str:
    return text if _JSON_NUMBER.match(text) else _json_number(text)


def _plain(av: dict[str, Any]) -> str:
    for tag, v in av.items():
        if tag == "S":
            return encode_basestring(v)
        if tag == "N":
            return v if _JSON_NUMBER.match(v) else _json_number(v)
        if tag == "M":
            return "{" + ", ".join([encode_basestring(k) + ": " + _plain(x) for k, x in v.items()]) + "}"
        if tag == "L":
            return "[" + ", ".join([_plain(x) for x in v]) + "]"
        if tag == "BOOL":
            return "true" if v else "false"
        if tag == "NULL":
            return "null"
        if tag == "B":
            return '"' + base64.b64encode(_b(v)).decode() + '"'
        if tag == "SS":
            return "[" + ", ".join([encode_basestring(x) for x in sorted(v)]) + "]"
        if tag == "NS":
            return "[" + ", ".join([_num(x) for x in sorted(v, key=Decimal)]) + "]"
        if tag == "BS":
            return (
                "[" + ", ".join(['"' + base64.b64encode(x).decode() + '"' for x in sorted(map(_b, v))]) + "]"
            )
        raise ValueError(f"unknown AttributeValue type {tag!r}")
    raise ValueError("an AttributeValue has exactly one type key, got none")


def plain_json_line(item: dict[str, Any]) -> str:
    """Same text as ``values.item_to_plain_json`` (a test holds them together), about twice as fast."""
    return "{" + ", ".join([encode_basestring(k) + ": " + _plain(x) for k, x in item.items()]) + "}"


def plain_json_lines(items: list[dict[str, Any]]) -> bytes:
    """One page of JSON Lines, encoded once."""
    if not items:
        return b""
    return ("\n".join([plain_json_line(it) for it in items]) + "\n").encode("utf-8", "surrogatepass")
