"""One item as highlighted JSON, plain or DynamoDB JSON, complete (cells truncate, this does not).

With its size and what reading or writing it costs, and the table's TTL attribute as a date.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from ddbtui.core.capacity import format_units, get_item_units, item_size, write_units
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import display_av, item_to_ddb_json, item_to_plain_json, safe_json, safe_text
from ddbtui.ui.external import run_on_file


def ttl_text(item: dict[str, Any], attribute: str | None, now: float) -> Text | None:
    """``expiresAt 2025-06-01 12:00:00 UTC · expired, not yet deleted by DynamoDB`` (None: no TTL)."""
    if not attribute or attribute not in item:
        return None
    av = item[attribute]
    if "N" not in av:
        return Text(
            f"TTL {safe_text(attribute)}: not a number, so DynamoDB never expires this item", style="dim"
        )
    try:
        epoch = float(av["N"])
        when = datetime.fromtimestamp(epoch, UTC)
    except (ValueError, OverflowError, OSError):
        return Text(
            f"TTL {safe_text(attribute)}: {display_av(av, 40)} is not a usable epoch time", style="dim"
        )
    text = Text(f"TTL {safe_text(attribute)}: {when:%Y-%m-%d %H:%M:%S} UTC")
    if epoch <= now:
        text.append("  expired — DynamoDB has not deleted it yet", style="bold yellow")
    return text


def cost_text(item: dict[str, Any], schema: TableSchema | None) -> Text:
    size = item_size(item)
    read = f"GetItem {format_units(get_item_units(size))} RCU ({format_units(get_item_units(size, True))} strong)"
    text = f"{size:,} B · {read}"
    if schema is not None:
        cost = write_units(None, item, schema)
        text += f" · put {format_units(cost.total)} WCU"
        if cost.indexes:
            text += f" (with {', '.join(safe_text(n) for n in cost.indexes)})"
    return Text(text)


def key_text(item: dict[str, Any], schema: TableSchema | None) -> str:
    if schema is None:
        return ""
    return " · ".join(f"{safe_text(k)} {display_av(item[k], 40)}" for k in schema.key.attributes if k in item)


def hard_wrap(text: str, width: int) -> str:
    """Break lines longer than ``width`` into several.

    TextArea's soft wrap of a 400 KB line takes about a second per key press; short lines cost nothing.
    """
    if all(len(line) <= width for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        out.extend(line[i : i + width] for i in range(0, max(len(line), 1), width))
    return "\n".join(out)


class ItemScreen(ModalScreen[None]):
    """The item under the cursor. ``d`` toggles DynamoDB JSON, ``y`` copies, ``escape`` closes."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="item.close"),
        Binding("d", "toggle_format", "DynamoDB JSON", id="item.ddb_json"),
        Binding("y", "copy", "Copy item", id="item.copy"),
        Binding(
            "p",
            "pager",
            "Pager",
            show=False,
            id="item.pager",
            tooltip="View the item in $PAGER (less by default), as shown: plain or DynamoDB JSON",
        ),
        Binding(
            "e",
            "app.write('edit')",
            "Edit",
            id="item.edit",
            tooltip="Edit the item: JSON editor, diff, write",
        ),
        Binding("u", "app.write('update')", "Update", id="item.update", tooltip="Update with an expression"),
        Binding(
            "delete",
            "app.write('delete')",
            "Delete",
            show=False,  # the footer puts priority keys first; f1 lists it
            priority=True,  # the read-only TextArea would take delete for itself
            id="item.delete",
            tooltip="Delete (asks first)",
        ),
    ]

    def __init__(self, item: dict[str, Any], schema: TableSchema | None, *, now: float | None = None) -> None:
        super().__init__()
        self.item = item
        self.schema = schema
        self.ddb_json = False
        self.now = datetime.now(UTC).timestamp() if now is None else now
        self._wrapped_at = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="item-dialog"):
            title = key_text(self.item, self.schema)
            yield Static(
                Text(safe_text(f"{self.schema.name if self.schema else 'item'} · {title}"), style="bold")
            )
            yield Static(cost_text(self.item, self.schema), id="item-cost")
            ttl = ttl_text(self.item, self.schema.ttl_attribute if self.schema else None, self.now)
            if ttl is not None:
                yield Static(ttl, id="item-ttl")
            yield TextArea("", language="json", read_only=True, soft_wrap=False, compact=True, id="item-json")
            yield Footer()

    def _json(self, width: int) -> str:
        return hard_wrap(safe_json(self.item, ddb_json=self.ddb_json), width)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = False  # a viewer: a steady cursor (and screenshots that do not depend on timing)
        area.focus()
        self.call_after_refresh(self._load)

    def on_resize(self) -> None:
        self.call_after_refresh(self._load)

    def _load(self) -> None:
        area = self.query_one(TextArea)
        width = max(20, area.scrollable_content_region.width - 1)
        if width != self._wrapped_at:
            self._wrapped_at = width
            area.load_text(self._json(width))

    def action_toggle_format(self) -> None:
        self.ddb_json = not self.ddb_json
        self._wrapped_at = 0
        self._load()
        self.notify("DynamoDB JSON" if self.ddb_json else "plain JSON", timeout=1.5, markup=False)

    def action_pager(self) -> None:
        """The item's JSON (terminal-safe, as the view shows it) in ``$PAGER`` with the app suspended."""
        try:
            code = run_pager(
                self.app, os.environ.get("PAGER") or "less", safe_json(self.item, ddb_json=self.ddb_json)
            )
        except SuspendNotSupported:
            self.notify("this terminal cannot hand over to a pager", severity="warning", markup=False)
            return
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            self.notify(safe_text(f"the pager failed: {e}"), severity="error", markup=False)
            return
        if code != 0:
            self.notify(f"the pager exited with status {code}", severity="warning", markup=False)

    def action_copy(self) -> None:
        text = item_to_ddb_json(self.item) if self.ddb_json else item_to_plain_json(self.item)
        self.app.copy_to_clipboard(text)
        self.notify("item copied to the clipboard (OSC 52)", timeout=2, markup=False)


def run_pager(app: Any, pager: str, text: str) -> int:
    """Show ``text`` in ``pager`` with the app suspended (``ui.external.run_on_file``); its exit status.
    The text is the view's: control characters already escaped."""
    return run_on_file(app, pager, text if text.endswith("\n") else text + "\n")[0]
