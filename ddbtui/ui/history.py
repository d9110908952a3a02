"""Query history: the last requests run from the builder, per table, to recall with one key.

Kept in ``history.json`` under the platform's data dir (``DDBTUI_DATA_DIR`` overrides), 0600, newest
first, at most 500 entries per table. An entry is the ReadRequest's fields, so it reloads the builder.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

from ddbtui.aws.local_files import history_path, read_history, write_private
from ddbtui.core.requests import ReadRequest, request_from_json, request_to_json

MAX_PER_TABLE = 500


def describe_request(req: ReadRequest) -> str:
    """One line for a history list: ``Query GSI1 gsi1pk = 'X' · filter …``."""
    if req.operation == "sql":
        return f"PartiQL {req.statement or ''}"
    parts = [{"query": "Query", "scan": "Scan", "get": "GetItem"}.get(req.operation, req.operation)]
    if req.index:
        parts.append(req.index)
    if req.key:
        parts.append(req.key)
    if req.filter:
        parts.append(f"filter {req.filter}")
    if req.projection:
        parts.append(f"project {req.projection}")
    return " · ".join(parts)


class History:
    """Recent requests per table ("" for PartiQL, which names its table in the statement)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or history_path()
        self._entries: dict[str, list[dict[str, Any]]] = read_history(self.path)

    def add(self, req: ReadRequest) -> None:
        table = "" if req.operation == "sql" else req.table
        entry = request_to_json(req)
        kept = [e for e in self._entries.get(table, []) if e.get("request") != entry]
        kept.insert(0, {"at": time.time(), "request": entry})
        self._entries[table] = kept[:MAX_PER_TABLE]
        self.save()

    def recent(self, table: str | None = None) -> list[ReadRequest]:
        """Newest first: one table's requests, or (None) every table's, merged by time."""
        if table is None:
            rows = sorted((e for v in self._entries.values() for e in v), key=lambda e: -e.get("at", 0))
        else:
            rows = self._entries.get(table, [])
        out = []
        for e in rows:
            req = request_from_json(e.get("request", {})) if isinstance(e, dict) else None
            if req is not None:
                out.append(req)
        return out

    def save(self) -> None:
        with contextlib.suppress(OSError):
            # default=str: placeholder values may hold Decimals; history only needs their text back
            write_private(self.path, json.dumps(self._entries, default=str) + "\n")
