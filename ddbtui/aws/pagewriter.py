"""One page of an export as output bytes, the same in this process and in a worker process.

``ddbtui.aws.export`` writes what this makes; ``ddbtui.aws.procsource``'s workers format their pages with
it before sending them, so both paths give the same bytes. It sits below both (it imports neither).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ddbtui.aws import fastpath
from ddbtui.core.values import item_to_ddb_json, item_to_plain_json

PageWriter = Callable[[list[dict[str, Any]]], bytes]


def page_writer(fmt: str, fast: bool) -> PageWriter:
    """One page's output bytes. Items may be raw (binary as base64 text): both writers accept that.

    ``jsonl``: plain JSON lines; ``ddb-json`` and the staging lines of a CSV export: DynamoDB JSON lines."""
    if fmt == "jsonl" and fast:
        return fastpath.plain_json_lines  # item_to_plain_json's text, faster
    return _line_writer(item_to_plain_json if fmt == "jsonl" else item_to_ddb_json)


def _line_writer(line: Callable[[dict[str, Any]], str]) -> PageWriter:
    def write(items: list[dict[str, Any]]) -> bytes:
        return "".join([line(it) + "\n" for it in items]).encode("utf-8", "surrogatepass")

    return write
