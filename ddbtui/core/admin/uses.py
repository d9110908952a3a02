"""Which of ddbtui's saved requests query an index: named in a plan that drops it. Pure: stdlib only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def index_uses(
    table: str,
    index: str,
    patterns: Iterable[Any] = (),
    history: Mapping[str, list[Mapping[str, Any]]] | None = None,
    limit: int = 5,
) -> list[str]:
    """Access patterns (objects with ``table``, ``index``, ``id``, ``title``) and history entries (the
    workbench's ``history.json``: table → list of request dicts) that read ``table`` through ``index``."""
    out: list[str] = []
    for p in patterns:
        if getattr(p, "table", None) == table and getattr(p, "index", None) == index:
            out.append(f"access pattern {p.id} ({p.title})")
    entries = [
        e for e in (history or {}).get(table, []) if isinstance(e, Mapping) and e.get("index") == index
    ]
    for e in entries[:limit]:
        parts = [str(e.get("operation", "query")), index]
        if e.get("key"):
            parts.append(str(e["key"]))
        if e.get("filter"):
            parts.append(f"filter {e['filter']}")
        out.append("history: " + " · ".join(parts))
    if len(entries) > limit:
        out.append(f"and {len(entries) - limit} more history entries")
    return out
