"""The open table's schema: its key, each index with key types and projection, and sparse-ness.

``enter`` on an index loads it into the builder as a Query. Names come from DescribeTable: shown as Text.

The summary line shows every setting ``ddbtui alter`` (#14) can change: billing (and RCU/WCU), TTL,
stream, table class, deletion protection, and PITR (DescribeContinuousBackups: asked only while writes are
on for the table, when it can change). A GSI that is not ACTIVE shows its IndexStatus, Backfilling and item
count, refreshed by DescribeTable in a thread worker every few seconds until every index is ACTIVE.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ddbtui.core.schema import IndexSchema, TableSchema
from ddbtui.core.values import safe_text


def _key_line(idx: IndexSchema, types: dict[str, str]) -> str:
    parts = [f"{idx.key.partition_key} {types.get(idx.key.partition_key, '?')}"]
    if idx.key.sort_key:
        parts.append(f"{idx.key.sort_key} {types.get(idx.key.sort_key, '?')}")
    return " / ".join(parts)


def _projection(idx: IndexSchema) -> str:
    if idx.kind == "table":
        return ""
    if idx.projection == "INCLUDE":
        return "INCLUDE " + ", ".join(idx.non_key_attributes)
    return idx.projection


def _sparse(idx: IndexSchema, schema: TableSchema) -> str:
    """Where DescribeTable tells item counts: an index holding fewer items than the table is sparse."""
    if idx.kind == "table" or idx.item_count is None or not schema.item_count:
        return ""
    if idx.item_count < schema.item_count:
        return f"sparse: {idx.item_count:,} of {schema.item_count:,}"
    return ""


def _gsi_raw(schema: TableSchema, name: str | None) -> dict[str, Any]:
    for g in schema.raw.get("GlobalSecondaryIndexes") or []:
        if g.get("IndexName") == name:
            return dict(g)
    return {}


def building(schema: TableSchema) -> bool:
    """True while a GSI is being created, deleted or backfilled."""
    return any(g.get("IndexStatus", "ACTIVE") != "ACTIVE" or g.get("Backfilling")
               for g in schema.raw.get("GlobalSecondaryIndexes") or [])  # fmt: skip


def index_status(idx: IndexSchema, schema: TableSchema) -> str:
    """``CREATING · backfilling · 1,234 items`` for a GSI not ready yet; RCU/WCU of a provisioned one."""
    if idx.kind != "gsi":
        return ""
    g = _gsi_raw(schema, idx.name)
    status, parts = g.get("IndexStatus", "ACTIVE"), []
    if status != "ACTIVE" or g.get("Backfilling"):
        parts.append(str(status))
        if g.get("Backfilling"):
            parts.append("backfilling")
        if g.get("ItemCount") is not None:
            parts.append(f"{int(g['ItemCount']):,} items")
    pt = g.get("ProvisionedThroughput") or {}
    if schema.billing_mode != "PAY_PER_REQUEST" and pt.get("ReadCapacityUnits"):
        parts.append(f"{pt['ReadCapacityUnits']} RCU / {pt.get('WriteCapacityUnits')} WCU")
    return " · ".join(parts)


def index_prompt(idx: IndexSchema, schema: TableSchema) -> Text:
    """Two or three lines: ``GSI1 · ALL`` / ``  gsi1pk S / gsi1sk S`` / ``  sparse: …``."""
    head = Text(safe_text(idx.label), style="bold")
    if idx.kind != "table":
        head.append(f" {idx.kind.upper()}", style="dim")
    if proj := _projection(idx):
        head.append(" · " + safe_text(proj), style="dim")
    lines = [head, Text("  " + safe_text(_key_line(idx, schema.attribute_types)))]
    if sparse := _sparse(idx, schema):
        lines.append(Text("  " + sparse, style="italic"))
    if status := index_status(idx, schema):
        lines.append(Text("  " + safe_text(status), style="yellow"))
    return Text("\n").join(lines)


def table_summary(schema: TableSchema, pitr: bool | None = None) -> Text:
    """Billing, items, then the settings that are not the default (TTL, stream, class, protection, PITR)."""
    billing = "on-demand" if schema.billing_mode == "PAY_PER_REQUEST" else "provisioned"
    if billing == "provisioned" and schema.read_capacity is not None:
        billing += f" {schema.read_capacity} RCU / {schema.write_capacity} WCU"
    parts = [billing]
    if schema.item_count is not None:
        parts.append(f"{schema.item_count:,} items")
    if schema.ttl_attribute:
        parts.append(f"TTL {schema.ttl_attribute}")
    if schema.stream_view_type:
        parts.append(f"stream {schema.stream_view_type}")
    if schema.table_class and schema.table_class != "STANDARD":
        parts.append(schema.table_class)
    if schema.deletion_protection:
        parts.append("deletion protection")
    if pitr is not None:
        parts.append("PITR on" if pitr else "PITR off")
    return Text(safe_text(" · ".join(parts)), style="dim")


class SchemaPane(OptionList):
    """The indexes of the open table; ``enter`` picks one for the builder."""

    class IndexChosen(Message):
        def __init__(self, index: str | None) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.schema: TableSchema | None = None
        self.pitr: bool | None = None
        self.generation = 0  # a newer show() stops the older watch

    def show(self, schema: TableSchema, *, watch: bool = True) -> None:
        same = self.schema is not None and self.schema.name == schema.name
        self.schema, self.pitr = schema, self.pitr if same else None
        self._render_options()
        self.highlighted = 1
        if watch:
            self.generation += 1
            self._watch(schema.name, self.generation, building(schema))

    def _render_options(self) -> None:
        schema = self.schema
        if schema is None:
            return
        highlighted = self.highlighted
        self.clear_options()
        self.add_option(Option(table_summary(schema, self.pitr), id="__summary__", disabled=True))
        for idx in schema.indexes:
            self.add_option(Option(index_prompt(idx, schema), id=f"idx:{idx.name or ''}"))
        if highlighted is not None:
            self.highlighted = highlighted

    def _writes_on(self, table: str) -> bool:
        writes = getattr(self.app, "writes", None)
        policy = getattr(getattr(writes, "session", None), "policy", None)
        return bool(policy is not None and policy.allows(table))

    @work(thread=True, group="schema-watch", exclusive=True, exit_on_error=False)
    def _watch(self, table: str, gen: int, build: bool) -> None:
        """PITR once (writes on), then DescribeTable every few seconds while a GSI is being built."""
        from ddbtui.aws.catalog import describe

        client = getattr(self.app, "client", None)
        if client is None:
            return
        if self._writes_on(table):
            from ddbtui.aws.admin_info import table_state

            with contextlib.suppress(Exception):
                state = table_state(client, table)
                ttl = state.ttl_attribute if state.ttl_status in ("ENABLED", "ENABLING") else None
                schema = replace(state.schema, ttl_attribute=ttl) if state.ttl_status else state.schema
                build = building(schema)
                self.app.call_from_thread(self._settings, gen, schema, state.pitr)
        emulator = bool(getattr(getattr(self.app, "connection", None), "is_emulator", False))
        while build and gen == self.generation and self.is_mounted:
            time.sleep(0.3 if emulator else 3.0)
            try:
                schema = TableSchema.from_describe(describe(client, table), self.schema.ttl_attribute
                                                   if self.schema else None)  # fmt: skip
            except Exception:  # noqa: BLE001 - the pane keeps what it showed; the next open asks again
                return
            build = building(schema)
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._settings, gen, schema, self.pitr)

    def _settings(self, gen: int, schema: TableSchema, pitr: bool | None) -> None:
        if gen != self.generation or self.schema is None or schema.name != self.schema.name:
            return
        self.schema, self.pitr = schema, pitr
        self._render_options()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("idx:"):
            self.post_message(self.IndexChosen(oid[4:] or None))
