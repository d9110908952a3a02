"""Dialogs of the batch actions on the results' selection (``ddbtui.ui.selection_actions``): the progress
of a batch write, the export of the selected items to a file, and the import of a JSON Lines file.

Paths, keys and error text are shown through ``safe_text`` / ``safe_lines`` in a ``Text``: never markup.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, ProgressBar, Select, Static

from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines

_CSS = """
.batch-dialog { height: auto; max-height: 90%; }
.batch-dialog Input, .batch-dialog Select { width: 1fr; }
.batch-report { height: auto; max-height: 12; }
.batch-dialog ProgressBar { margin: 1 0 0 0; }
"""


class BatchProgressScreen(ModalScreen[None]):
    """A batch write in a worker: a progress bar, ``done/total`` with the capacity so far, and at the end
    what was done and what was not (every item not written is listed). ``escape`` sets ``cancel`` while
    it runs (what is written stays), and closes once it is over."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Cancel/Close",
            id="batch.close",
            tooltip="Batch progress: cancel the batch in flight (what is written stays); close",
        ),
    ]

    def __init__(self, title: str, total: int, cancel: threading.Event) -> None:
        super().__init__()
        self.title_text = title
        self.total = total
        self.cancel = cancel
        self.running = True
        self.summary = ""
        self.report: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="batch-dialog", classes="dialog batch-dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            yield ProgressBar(total=max(self.total, 1), show_eta=False, id="batch-bar")
            yield Static(Text(f"0/{self.total:,} · escape cancels"), id="batch-status")
            with VerticalScroll(classes="batch-report", id="batch-report-scroll"):
                yield Static(Text(""), id="batch-report")
            yield Footer()

    def progress(self, done: int, total: int, text: str) -> None:
        """``done`` of ``total`` items handled; ``text`` follows the count (plain words, no data)."""
        if not self.is_mounted or not self.running:
            return
        self.query_one("#batch-bar", ProgressBar).update(progress=done, total=max(total, 1))
        cancelling = " · cancelling…" if self.cancel.is_set() else " · escape cancels"
        self.query_one("#batch-status", Static).update(Text(f"{done:,}/{total:,} · {text}{cancelling}"))

    def finish(self, summary: str, report: list[str], *, ok: bool, done: int | None = None) -> None:
        """The batch is over (``done`` items handled): ``summary`` in the status line, ``report`` (one
        line each) below it."""
        self.running = False
        self.summary = summary
        self.report = report
        if not self.is_mounted:
            return
        if done is not None:
            self.query_one("#batch-bar", ProgressBar).update(progress=done)
        self.query_one("#batch-status", Static).update(
            Text(safe_lines(summary) + " · escape closes", style="green" if ok else "yellow")
        )
        self.query_one("#batch-report", Static).update(Text(safe_lines("\n".join(report))))

    def action_close(self) -> None:
        if self.running:
            self.cancel.set()  # the worker stops before its next request and reports what it did
            self.query_one("#batch-status", Static).update(Text("cancelling…", style="yellow"))
            return
        self.dismiss(None)


FILE_FORMATS = (("JSON Lines (plain JSON per item)", "jsonl"), ("CSV", "csv"), ("DynamoDB JSON", "ddb-json"))
EXTENSIONS = {"jsonl": ".jsonl", "csv": ".csv", "ddb-json": ".ddb.jsonl"}


def _stem(table: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in table) or "items"


class ExportSelectionScreen(ModalScreen[None]):
    """The selected items to a file, as ``ddbtui export`` writes them (``core.formats.write_items``).

    The file is created 0600; an existing file is refused unless "overwrite" is ticked. The items are
    already on screen: this is a read of nothing, no write permission is needed.
    """

    DEFAULT_CSS = _CSS
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="export_sel.close")]

    def __init__(self, table: str, items: list[dict[str, Any]], key_attributes: tuple[str, ...]) -> None:
        super().__init__()
        self.table = table
        self.items = items
        self.key_attributes = key_attributes
        self.running = False
        self.written: str | None = None  # the path, once written

    def compose(self) -> ComposeResult:
        n = len(self.items)
        with Vertical(id="export-selection-dialog", classes="dialog batch-dialog"):
            yield Static(
                Text(
                    f"Export {n:,} selected item{'s' if n != 1 else ''} of {safe_text(self.table)}",
                    style="bold",
                )
            )
            yield Static(Text("the items as listed, in the results' order · enter writes, escape closes"))
            yield Input(
                _stem(self.table) + "-selection.jsonl", id="export-sel-path", placeholder="output file"
            )
            yield Select(FILE_FORMATS, value="jsonl", allow_blank=False, id="export-sel-format")
            yield Checkbox("overwrite an existing file", id="export-sel-overwrite")
            yield Static(Text(""), id="export-sel-message")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-sel-path", Input).focus()

    @on(Select.Changed, "#export-sel-format")
    def _format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-sel-path", Input)
        for ext in sorted(EXTENSIONS.values(), key=len, reverse=True):
            if box.value.endswith(ext):
                box.value = box.value[: -len(ext)] + EXTENSIONS[str(event.value)]
                break

    @on(Input.Submitted, "#export-sel-path")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def _say(self, text: str, style: str = "") -> None:
        if self.is_mounted:
            self.query_one("#export-sel-message", Static).update(Text(safe_lines(text), style=style))

    def start(self) -> None:
        if self.running:
            return
        path = os.path.expanduser(self.query_one("#export-sel-path", Input).value.strip())
        if not path:
            self._say("a path to write to", "red")
            return
        overwrite = self.query_one("#export-sel-overwrite", Checkbox).value
        if os.path.exists(path) and not overwrite:
            self._say(f"{path} exists: tick “overwrite an existing file” to replace it", "red")
            return
        self.running = True
        fmt = str(self.query_one("#export-sel-format", Select).value)
        self._write(path, fmt, overwrite)

    @work(thread=True, exclusive=True, group="export-selection", exit_on_error=False)
    def _write(self, path: str, fmt: str, overwrite: bool) -> None:
        try:
            write_file(path, self.items, fmt, self.key_attributes, overwrite=overwrite)
        except (OSError, ValueError) as e:
            self.app.call_from_thread(self._failed, f"{path}: {e.strerror if isinstance(e, OSError) else e}")
            return
        self.app.call_from_thread(self._done, path)

    def _failed(self, message: str) -> None:
        self.running = False
        self._say("✗ " + message, "bold red")

    def _done(self, path: str) -> None:
        self.running = False
        self.written = path
        n = len(self.items)
        line = f"exported {n:,} item{'s' if n != 1 else ''} to {path}"
        self._say(line + " · escape closes", "green")
        self.app.notify(safe_text(line), title="Export", markup=False)


def write_file(
    path: str, items: list[dict[str, Any]], fmt: str, key_attributes: tuple[str, ...], *, overwrite: bool
) -> None:
    """Write ``items`` to ``path`` as a 0600 file (``O_EXCL`` unless ``overwrite``)."""
    from ddbtui.core.formats import write_items

    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # an existing file replaced keeps its mode through O_CREAT: make it private
    with os.fdopen(fd, "w", encoding="utf-8", newline="", errors="surrogatepass") as out:
        write_items(out, items, fmt, key_attributes)


IMPORT_FORMATS = (("plain JSON, one item a line", "jsonl"), ("DynamoDB JSON, one item a line", "ddb-json"))


class ImportScreen(ModalScreen["tuple[list[dict[str, Any]], str] | None"]):
    """Palette "Import JSON Lines into this table…": a path and a format; ``enter`` reads and checks
    the whole file (nothing is sent: a bad line is named), then ``enter`` again dismisses with the items
    and the path, to be written by BatchWriteItem as ``ddbtui import`` does."""

    DEFAULT_CSS = _CSS
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="import.close")]

    def __init__(
        self,
        table: str,
        check: Callable[[list[dict[str, Any]]], None],
        describe: Callable[[list[dict[str, Any]]], str],
    ) -> None:
        super().__init__()
        self.table = table
        self.check = check  # raises UsageError naming the item (in a worker thread)
        self.describe = describe  # "N items · ~W WCU est." for the checked items
        self.items: list[dict[str, Any]] | None = None  # read and checked, for the path and format shown
        self.error: str | None = None
        self._checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog batch-dialog"):
            yield Static(Text(f"Import JSON Lines into {safe_text(self.table)}", style="bold"))
            yield Static(
                Text(
                    "Every line is read and checked before anything is sent. Items are written with "
                    "BatchWriteItem (25 a request, retried), as `ddbtui import` does: an item whose key "
                    "exists is replaced, and a batch write cannot be undone. enter checks the file, "
                    "enter again imports; escape closes."
                )
            )
            yield Input("", id="import-path", placeholder="file to import (one item a line)")
            yield Select(IMPORT_FORMATS, value="jsonl", allow_blank=False, id="import-format")
            yield Static(Text(""), id="import-message")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Changed, "#import-path")
    @on(Select.Changed, "#import-format")
    def _changed(self) -> None:
        if self.items is not None or self.error is not None:
            self.items, self.error = None, None
            self._say("")

    @on(Input.Submitted, "#import-path")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go()

    def _say(self, text: str, style: str = "") -> None:
        if self.is_mounted:
            self.query_one("#import-message", Static).update(Text(safe_lines(text), style=style))

    def action_go(self) -> None:
        if self._checking:
            return
        path = os.path.expanduser(self.query_one("#import-path", Input).value.strip())
        if not path:
            self._say("the path of a JSON Lines file", "red")
            return
        if self.items is not None:
            if not self.items:
                self._say("the file holds no items: nothing to import", "yellow")
                return
            self.dismiss((self.items, path))
            return
        self._checking = True
        self._say("reading and checking every line…")
        self._read(path, str(self.query_one("#import-format", Select).value) == "ddb-json")

    @work(thread=True, exclusive=True, group="import-check", exit_on_error=False)
    def _read(self, path: str, ddb_json: bool) -> None:
        from ddbtui.aws.writes import read_jsonl
        from ddbtui.core.errors import UsageError

        try:
            with open(path, encoding="utf-8") as f:
                items = read_jsonl(f, ddb_json=ddb_json)
            self.check(items)
            text = self.describe(items)
        except UsageError as e:
            self.app.call_from_thread(self._checked, None, f"{e} — nothing was sent")
            return
        except (OSError, UnicodeDecodeError) as e:
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            self.app.call_from_thread(self._checked, None, f"{why} — nothing was sent")
            return
        self.app.call_from_thread(self._checked, items, text)

    def _checked(self, items: list[dict[str, Any]] | None, text: str) -> None:
        self._checking = False
        self.items, self.error = items, None if items is not None else text
        if items is None:
            self._say("✗ " + text, "bold red")
        elif not items:
            self._say("the file holds no items: nothing to import", "yellow")
        else:
            self._say(f"{text} · enter imports them", "green")
