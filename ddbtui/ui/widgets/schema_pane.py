"""The open table's schema: its key, each index with key types and projection, and sparse-ness.

``enter`` on an index loads it into the builder as a Query. Names come from DescribeTable: shown as Text.
"""

from __future__ import annotations

from rich.text import Text
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
    return Text("\n").join(lines)


def table_summary(schema: TableSchema) -> Text:
    billing = "on-demand" if schema.billing_mode == "PAY_PER_REQUEST" else "provisioned"
    parts = [billing]
    if schema.item_count is not None:
        parts.append(f"{schema.item_count:,} items")
    if schema.ttl_attribute:
        parts.append(f"TTL {schema.ttl_attribute}")
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

    def show(self, schema: TableSchema) -> None:
        self.schema = schema
        self.clear_options()
        self.add_option(Option(table_summary(schema), id="__summary__", disabled=True))
        for idx in schema.indexes:
            self.add_option(Option(index_prompt(idx, schema), id=f"idx:{idx.name or ''}"))
        self.highlighted = 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("idx:"):
            self.post_message(self.IndexChosen(oid[4:] or None))
