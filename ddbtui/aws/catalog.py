"""Reading what tables exist and what they look like: ListTables, DescribeTable, DescribeTimeToLive."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ddbtui.core.schema import TableSchema


def list_table_names(client: Any) -> list[str]:
    names: list[str] = []
    for page in client.get_paginator("list_tables").paginate():
        names.extend(page.get("TableNames", []))
    return sorted(names)


def ttl_attribute(client: Any, table: str) -> str | None:
    """The TTL attribute when TTL is enabled (or being enabled); None when off or not supported."""
    try:
        desc = client.describe_time_to_live(TableName=table).get("TimeToLiveDescription", {})
    except Exception:  # noqa: BLE001 - emulators lack it; TTL is optional information
        return None
    if desc.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return desc.get("AttributeName")
    return None


def describe(client: Any, table: str) -> dict[str, Any]:
    return client.describe_table(TableName=table)["Table"]


def load_schema(client: Any, table: str) -> TableSchema:
    """DescribeTable and DescribeTimeToLive, in parallel (two round trips on a slow link cost one)."""
    with ThreadPoolExecutor(2) as pool:
        desc = pool.submit(describe, client, table)
        ttl = pool.submit(ttl_attribute, client, table)
        return TableSchema.from_describe(desc.result(), ttl.result())


def table_summaries(client: Any, names: list[str] | None = None) -> list[TableSchema]:
    """Every table's schema (for the tables list: billing mode, item count, indexes)."""
    names = list_table_names(client) if names is None else names
    if not names:
        return []
    with ThreadPoolExecutor(min(8, len(names))) as pool:
        descs = list(pool.map(lambda n: describe(client, n), names))
    return [TableSchema.from_describe(d) for d in descs]
