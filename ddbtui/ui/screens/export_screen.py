"""Palette "Export results to file…": the builder's table and filter to JSON Lines, CSV or DynamoDB JSON.

A small dialog asks for the path and the format, then ``run_export`` (``ddbtui export``) runs in a thread
worker: a Scan of the table with the builder's filter, resumable like the CLI's. Progress shows items,
pages and capacity; escape cancels a running export (what was written stays, resumable) or closes.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Select, Static

from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines

FORMATS = (("JSON Lines (plain JSON per item)", "jsonl"), ("CSV", "csv"), ("DynamoDB JSON", "ddb-json"))
EXTENSIONS = {"jsonl": ".jsonl", "csv": ".csv", "ddb-json": ".ddb.jsonl"}


def default_path(table: str, fmt: str = "jsonl") -> str:
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in table) or "export"
    return stem + EXTENSIONS[fmt]


class ExportScreen(ModalScreen[None]):
    """Export ``table`` (a Scan with ``filter``/``names``/``values``) to a file the dialog asks for."""

    DEFAULT_CSS = """
    #export-dialog Input, #export-dialog Select { width: 1fr; }
    """

    BINDINGS = [
        Binding(
            "escape", "close", "Cancel/Close", id="export.close", tooltip="Cancel the export in flight; close"
        ),
    ]

    def __init__(
        self,
        client: Any,
        table: str,
        *,
        filter: str | None = None,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        estimate_capacity: bool = False,
    ) -> None:
        super().__init__()
        self.client = client
        self.table = table
        self.filter = filter
        self.names = names
        self.values = values
        self.estimate_capacity = estimate_capacity
        self.cancel = threading.Event()
        self.running = False
        self.result: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Text(f"Export {safe_text(self.table)} to a file", style="bold"))
            what = "every item (a Scan)"
            if self.filter:
                what = "the items matching the filter: " + safe_text(self.filter)
            yield Static(Text(what + " · enter starts, escape cancels"))
            yield Input(default_path(self.table), id="export-path", placeholder="output file")
            yield Select(FORMATS, value="jsonl", allow_blank=False, id="export-format")
            yield Checkbox("resume an unfinished export to this file", id="export-resume")
            yield Static(Text(""), id="export-progress")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_unmount(self) -> None:
        self.cancel.set()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        for ext in sorted(EXTENSIONS.values(), key=len, reverse=True):
            if box.value.endswith(ext):
                box.value = box.value[: -len(ext)] + EXTENSIONS[str(event.value)]
                break

    @on(Input.Submitted, "#export-path")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        if self.running:
            return
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self._say("a path to write to", "red")
            return
        from ddbtui.aws.export import ExportSpec

        spec = ExportSpec(
            table=self.table,
            out=os.path.expanduser(path),
            fmt=str(self.query_one("#export-format", Select).value),
            filter=self.filter or None,
            names=self.names or None,
            values=self.values or None,
        )
        self.running = True
        self.cancel = threading.Event()
        for w in self.query("Input, Select, Checkbox"):
            w.disabled = True
        self._say("starting…")
        self._export(spec, self.query_one("#export-resume", Checkbox).value, self.cancel)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, spec: Any, resume: bool, cancel: threading.Event) -> None:
        from ddbtui.aws.export import run_export

        notes: list[str] = []

        def progress(p: Any) -> None:
            self.app.call_from_thread(self._progress, p.items, p.scanned, p.pages, p.capacity, p.estimated)

        try:
            result = run_export(
                self.client,
                spec,
                resume=resume,
                estimate_capacity=self.estimate_capacity,
                cancel=cancel,
                on_progress=progress,
                on_notice=notes.append,
            )
        except Exception as e:  # noqa: BLE001 - shown in the dialog; the app keeps running
            self.app.call_from_thread(self._failed, str(e) or type(e).__name__)
            return
        self.app.call_from_thread(self._done, result, notes)

    def _say(self, text: str, style: str = "") -> None:
        if self.is_mounted:
            self.query_one("#export-progress", Static).update(Text(safe_lines(text), style=style))

    def _progress(self, items: int, scanned: int, pages: int, capacity: float, estimated: bool) -> None:
        from ddbtui.core.capacity import format_units

        est = " (est.)" if estimated else ""
        self._say(
            f"{items:,} items · scanned {scanned:,} · {pages:,} pages · "
            f"{format_units(round(capacity, 2))} RCU{est} · escape cancels"
        )

    def _failed(self, message: str) -> None:
        self.running = False
        for w in self.query("Input, Select, Checkbox"):
            w.disabled = False
        self._say("✗ " + message, "bold red")
        self.app.notify(safe_text(message), title="Export failed", severity="error", markup=False)

    def _done(self, result: Any, notes: list[str]) -> None:
        from ddbtui.core.capacity import format_cost, format_units

        self.running = False
        self.result = result
        p = result.progress
        est = " (est.)" if p.estimated else ""
        state = {"complete": "exported", "cancelled": "cancelled after", "capacity-cap": "stopped after"}
        line = (
            f"{state.get(result.status, result.status)} {p.items:,} items to {result.out} · "
            f"{p.pages:,} pages · {format_units(round(p.capacity, 2))} RCU{est} · {format_cost(result.cost)}"
        )
        if not result.complete:
            line += " · tick resume to continue"
        extra = [*notes, *result.notes]
        self._say(line + "".join("\n" + n for n in extra), "green" if result.complete else "yellow")
        self.app.notify(safe_text(line), title="Export", markup=False)
        if not result.complete:
            for w in self.query("Input, Select, Checkbox"):
                w.disabled = False

    def action_close(self) -> None:
        if self.running:
            self.cancel.set()  # run_export returns at the next page; the dialog then says so
            self._say("cancelling…", "yellow")
            return
        self.cancel.set()
        self.dismiss(None)
