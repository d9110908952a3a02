"""Batch actions on the results' selection (``space`` marks rows): delete them, export them to a file, and
import a JSON Lines file into the open table.

Delete asks first, and refuses while writes are off for the table (nothing is sent). Its default mode is
*checked*: one conditional DeleteItem per item, each only if the item is still as it was listed
(``transition_request`` to no item, as the single delete), journaled with its old image under one group,
so ``ctrl+z`` restores the whole selection; an item changed or gone since is a conflict, kept and listed.
The explicit *fast* mode sends BatchWriteItem deletes: unconditional, no old images, no undo. Both run in a
thread worker with a progress dialog that ``escape`` cancels; their capacity goes into the session ledger.

Rows read with a projection or from an index hold only some attributes: a checked delete is then
conditional on those attributes alone (changes to the others are not detected), and the dialog says so.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from ddbtui.aws.writes import BatchWriteError, BatchWriter
from ddbtui.aws.writes.importer import check_items, import_items
from ddbtui.core.capacity import ConsumedCapacity, write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.core.writes import (
    Item,
    WriteConflict,
    key_identity,
    key_of,
    key_text,
    transition_request,
)
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.errors import describe_error, error_code
from ddbtui.ui.host import Host
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.batch_screens import BatchProgressScreen, ExportSelectionScreen, ImportScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen
from ddbtui.ui.write_session import WriteSession

REPORT_LINES = 50  # conflicts and failures listed in the dialog (then a count)


def _s(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _total(caps: list[ConsumedCapacity]) -> ConsumedCapacity:
    return sum(caps, ConsumedCapacity(0.0, kind="write", estimated=True))


@dataclass
class BatchOutcome:
    """What a batch delete did, row by row (rows of the results view)."""

    total: int
    results: Any = None  # the ResultSet the rows belong to: another request since means other rows
    deleted: list[int] = field(default_factory=list)
    conflicts: list[tuple[int, Item, WriteConflict]] = field(default_factory=list)
    failed: list[tuple[int, Item | None, str]] = field(default_factory=list)
    not_sent: int = 0  # cancelled or stopped before these were sent
    stopped: str | None = None  # the error that stopped the batch
    capacity: ConsumedCapacity | None = None


class SelectionActions:
    """Delete / export the selected rows; import a file. Writes go through ``writes``' policy and journal."""

    def __init__(self, app: Host, writes: WriteSession) -> None:
        self.app = app
        self.writes = writes

    # --- the selection ------------------------------------------------------------------------------

    def _selection(self) -> list[tuple[int, Item]] | None:
        results = self.app.results
        rows = [r for r in results.selected_rows if r not in results.deleted]
        if not rows:
            self.app.notify(
                "nothing selected: space selects the row under the cursor, ctrl+a every loaded row",
                markup=False,
                timeout=4,
            )
            return None
        return [(r, results.rows[r]) for r in rows]

    def _partial(self) -> str | None:
        """Why the rows are not whole items (a projection, an index), or None when they are."""
        result = self.app.result
        if result is None:
            return None
        req = result.built.request
        if req.projection:
            return "were read with a projection"
        if req.index:
            return f"come from the index {req.index}"
        return None

    # --- delete ---------------------------------------------------------------------------------------

    def delete(self) -> None:
        """``D``: delete the selected items, after a confirmation (checked and undoable, or fast)."""
        app = self.app
        selection = self._selection()
        if selection is None:
            return
        schema = self.writes.results_schema()
        if schema is None:
            app.notify("open a table first (PartiQL results cannot be deleted here)", markup=False)
            return
        if self.writes.refused(schema.name):
            return
        for row, item in selection:
            try:
                key_of(item, schema)
            except UsageError as e:
                app.show_error(
                    f"row {row + 1}: {e} — include the key attributes in the projection", in_results=False
                )
                return
        n = len(selection)
        cost = _total([write_units(item, None, schema).to_capacity(estimated=True) for _r, item in selection])
        partial = self._partial()
        keys = [safe_text(key_text(key_of(item, schema))) for _r, item in selection[:5]]
        if n > 5:
            keys.append(f"… and {n - 5:,} more")
        body: list[Any] = [
            Text(f"{_s(n, 'item')} from {safe_text(schema.name)} · {capacity_text(cost)}", style="bold"),
            Text("\n".join(keys)),
            Text(
                "Checked (the default): one DeleteItem per item, each only if the item is still as it was "
                "listed; an item changed or gone since is kept and reported, never deleted. The old items "
                "stay in the journal: ctrl+z restores them all."
            ),
        ]
        if partial:
            body.append(
                Text(
                    f"These rows {partial}, so they hold only some attributes: the checked delete compares "
                    "only the attributes listed (a change to another attribute is not detected). The "
                    "journal keeps the whole old item DynamoDB returns, so undo restores it in full.",
                    style="bold",
                )
            )
        body.append(
            Text(
                "Fast: BatchWriteItem, 25 a request, unconditional (deletes whatever the items are now) "
                "and cannot be undone (DynamoDB returns no old items).",
                style="dim",
            )
        )

        listed = app.result  # the results the selection's row numbers belong to

        def chosen(choice: str | None) -> None:
            if choice not in ("checked", "fast") or self.writes.refused(schema.name):
                return
            if app.result is not listed:  # a new request replaced the rows while the dialog was open
                app.notify("the results changed: select the rows again", severity="warning", markup=False)
                return
            if self.writes.busy:
                app.notify("a write is in progress: wait for it", markup=False)
                return
            if choice == "checked":
                self._delete_checked(schema, selection)
            else:
                self._delete_fast(schema, selection)

        app.push_screen(
            ConfirmScreen(
                f"Delete {_s(n, 'selected item')}?",
                body,
                [
                    ("checked", f"Delete {n:,} (checked)", "error"),
                    ("fast", "Fast (no undo)", "warning"),
                ],
                tall=True,
                dialog_id="batch-delete-dialog",
            ),
            chosen,
        )

    def _start(
        self, title: str, total: int, job: Callable[[BatchProgressScreen, threading.Event], None]
    ) -> None:
        """The progress dialog, and ``job(screen, cancel)`` in a thread worker (one write at a time)."""
        app = self.app
        cancel = threading.Event()
        screen = BatchProgressScreen(title, total, cancel)
        self.writes.busy = True
        app.status.set_activity(title + "…", busy=True)
        app.push_screen(screen)

        def work() -> None:
            try:
                job(screen, cancel)
            except Exception as e:  # noqa: BLE001 - shown; the app keeps running
                with contextlib.suppress(RuntimeError):
                    app.call_from_thread(self._crashed, screen, e)

        app.run_worker(work, thread=True, group="batch", exit_on_error=False, name="batch")

    def _ended(self) -> None:
        self.writes.busy = False
        self.app.status.set_activity("")
        self.app.status.render_status()  # the ledger has the batch's capacity now

    def _crashed(self, screen: BatchProgressScreen, error: BaseException) -> None:
        self._ended()
        screen.finish("✗ " + describe_error(error), [], ok=False)
        self.app.show_error(describe_error(error), in_results=False)

    def _progress(
        self, screen: BatchProgressScreen, done: int, total: int, cap: ConsumedCapacity | None
    ) -> None:
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(screen.progress, done, total, capacity_text(cap) if cap else "0 WCU")

    def _delete_checked(self, schema: TableSchema, selection: list[tuple[int, Item]]) -> None:
        app, writes = self.app, self.writes
        shown = app.result
        group = f"selection-{os.urandom(8).hex()}"  # one journal group: ctrl+z restores them all

        def job(screen: BatchProgressScreen, cancel: threading.Event) -> None:
            out = BatchOutcome(len(selection), shown)
            caps: list[ConsumedCapacity] = []
            for n, (row, item) in enumerate(selection):
                if cancel.is_set():
                    out.not_sent = len(selection) - n
                    break
                try:
                    request = transition_request(schema, item, None)
                    result = writes.execute(request, schema, group=group)
                except WriteConflict as e:
                    out.conflicts.append((row, item, e))
                except Exception as e:  # noqa: BLE001 - listed; an error not about this item stops the batch
                    out.failed.append((row, item, describe_error(e)))
                    about_item = error_code(e) == "ValidationException" or (
                        isinstance(e, UsageError) and writes.policy.allows(schema.name)
                    )
                    if not about_item:  # throttled past retries, no access, writes turned off, ...
                        out.stopped = describe_error(e)
                        out.not_sent = len(selection) - n - 1
                        break
                else:
                    out.deleted.append(row)
                    caps.append(result.capacity(app.estimate))
                out.capacity = _total(caps) if caps else None
                self._progress(screen, n + 1, len(selection), out.capacity)
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._deleted, screen, schema, out, True)

        self._start(
            f"Deleting {_s(len(selection), 'item')} from {schema.name} (checked)", len(selection), job
        )

    def _delete_fast(self, schema: TableSchema, selection: list[tuple[int, Item]]) -> None:
        app = self.app
        shown = app.result

        def job(screen: BatchProgressScreen, cancel: threading.Event) -> None:
            out = BatchOutcome(len(selection), shown)
            result, out.stopped = self._batch_write(
                screen, schema, cancel, [("delete", item) for _row, item in selection]
            )
            failed = {key_identity(f.key): f.reason for f in result.failed}
            for row, item in selection[: result.total]:
                reason = failed.get(key_identity(key_of(item, schema)))
                if reason is None:
                    out.deleted.append(row)
                elif reason.startswith("cancelled"):
                    out.not_sent += 1
                else:
                    out.failed.append((row, item, reason))
            out.not_sent += len(selection) - result.total
            out.capacity = result.capacity(app.estimate)
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._deleted, screen, schema, out, False)

        self._start(f"Deleting {_s(len(selection), 'item')} from {schema.name} (fast)", len(selection), job)

    def _batch_write(
        self,
        screen: BatchProgressScreen,
        schema: TableSchema,
        cancel: threading.Event,
        writes: list[tuple[str, Item]],
    ) -> tuple[Any, str | None]:
        """In a worker: ``writes`` ("put"/"delete", item) through one BatchWriter with progress on
        ``screen``; returns its result and why it stopped early (None: it went to the end)."""
        app = self.app
        writer: BatchWriter | None = None

        def progress(done: int, total: int | None) -> None:
            cap = writer.result.capacity(app.estimate) if writer is not None else None
            self._progress(screen, done, total or len(writes), cap)

        writer = BatchWriter(
            app.client,
            schema,
            policy=self.writes.policy,
            total=len(writes),
            progress=progress,
            ledger=app.ledger,
            journal=self.writes.journal,
            prefer_estimate=app.estimate,
            cancel=cancel,
        )
        try:
            for op, item in writes:
                writer.put(item) if op == "put" else writer.delete(item)
            writer.close()
        except BatchWriteError as e:
            return writer.result, str(e)
        return writer.result, None

    def _deleted(
        self, screen: BatchProgressScreen, schema: TableSchema, out: BatchOutcome, checked: bool
    ) -> None:
        """On the event loop: strike the deleted rows through, show conflicts as the items are now."""
        self._ended()
        results = self.app.results
        if out.results is not None and out.results is self.app.result:  # still the rows it started from
            for row in out.deleted:
                results.mark_deleted(row)
            for row, _item, conflict in out.conflicts:
                if conflict.current is None:
                    results.mark_deleted(row)  # gone already: nothing to keep
                else:
                    results.replace_row(row, conflict.current)  # as it is now; still selected, to review
        parts = [f"deleted {len(out.deleted):,} of {out.total:,}"]
        if checked:
            parts.append(f"{_s(len(out.conflicts), 'conflict')} (kept)")
        parts.append(f"{len(out.failed):,} failed")
        if out.not_sent:
            parts.append(
                f"{out.not_sent:,} not sent (cancelled)" if not out.stopped else f"{out.not_sent:,} not sent"
            )
        parts.append(capacity_text(out.capacity) if out.capacity else "0 WCU")
        summary = " · ".join(parts)
        if checked and out.deleted:
            summary += " — ctrl+z restores them"
        report: list[str] = []
        if out.stopped:
            report.append(f"stopped: {out.stopped}")
        for _row, _item, conflict in out.conflicts[:REPORT_LINES]:
            report.append(f"kept (conflict): {conflict}")
        for _row, item, reason in out.failed[:REPORT_LINES]:
            key = key_text(key_of(item, schema)) if item is not None else "?"
            report.append(f"failed {key}: {reason}")
        listed = min(len(out.conflicts), REPORT_LINES) + min(len(out.failed), REPORT_LINES)
        if listed < len(out.conflicts) + len(out.failed):
            report.append(f"… and {len(out.conflicts) + len(out.failed) - listed:,} more")
        ok = not out.conflicts and not out.failed and not out.not_sent
        screen.finish(summary, report, ok=ok, done=out.total - out.not_sent)
        self.app.notify(
            safe_text(summary), title="Deleted", severity="information" if ok else "warning", markup=False
        )
        self.app.show_page_info()

    # --- export ---------------------------------------------------------------------------------------

    def export(self) -> None:
        """``X``: the selected items to a file (no write permission needed: it reads nothing)."""
        selection = self._selection()
        if selection is None:
            return
        schema = self.writes.results_schema()
        table = schema.name if schema is not None else "partiql"
        keys = tuple(schema.key.attributes) if schema is not None else ()
        self.app.push_screen(ExportSelectionScreen(table, [item for _r, item in selection], keys))

    # --- import ---------------------------------------------------------------------------------------

    def import_file(self) -> None:
        """Palette "Import JSON Lines into this table…": the dialog checks the file, then a batch writes it."""
        app = self.app
        schema = app.schema
        if schema is None:
            app.notify("open a table first: the import writes into the open table", markup=False)
            return
        if self.writes.refused(schema.name):
            return

        def check(items: list[Item]) -> None:
            check_items(items, schema)  # as `ddbtui import`: each item fits the table, each key once

        def describe(items: list[Item]) -> str:
            cost = _total([write_units(None, it, schema).to_capacity(estimated=True) for it in items])
            return f"{_s(len(items), 'item')} read and checked · {capacity_text(cost)}"

        def chosen(picked: tuple[list[Item], str] | None) -> None:
            if picked is None or self.writes.refused(schema.name):
                return
            if self.writes.busy:
                app.notify("a write is in progress: wait for it", markup=False)
                return
            self._import(schema, *picked)

        app.push_screen(ImportScreen(schema.name, check, describe), chosen)

    def _import(self, schema: TableSchema, items: list[Item], path: str) -> None:
        app = self.app

        def job(screen: BatchProgressScreen, cancel: threading.Event) -> None:
            # as `ddbtui import`: conditional puts (an existing item is skipped, never replaced), journaled
            # as one group that ctrl+z undoes; every item was checked before the first write
            stopped: str | None = None
            try:
                result: Any = import_items(
                    app.client,
                    schema,
                    items,
                    policy=self.writes.policy,
                    journal=self.writes.journal,
                    ledger=app.ledger,
                    prefer_estimate=app.estimate,
                    progress=lambda done, total: self._progress(screen, done, total or len(items), None),
                    cancel=cancel,
                )
            except BatchWriteError as e:
                result, stopped = e.result, str(e)
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._imported, screen, schema, path, len(items), result, stopped)

        self._start(f"Importing {_s(len(items), 'item')} into {schema.name}", len(items), job)

    def _imported(
        self,
        screen: BatchProgressScreen,
        schema: TableSchema,
        path: str,
        total: int,
        result: Any,
        stopped: str | None,
    ) -> None:
        self._ended()
        cap = result.capacity(self.app.estimate)
        skipped = getattr(result, "skipped", [])
        not_sent = total - (result.written + len(skipped) + len(result.failed))
        parts = [
            f"imported {result.written:,} of {total:,} items into {schema.name}",
            f"{len(result.failed):,} failed",
        ]
        if skipped:
            parts.append(f"{len(skipped):,} skipped (the key exists: left as it is)")
        if not_sent:
            parts.append(f"{not_sent:,} not sent")
        parts.append(f"{result.requests:,} requests")
        parts.append(capacity_text(cap) if cap else "0 WCU")
        summary = " · ".join(parts)
        report = [f"stopped: {stopped}"] if stopped else []
        if result.failed:
            report.append(result.failure_summary(REPORT_LINES))
        if skipped:
            report.append("skipped keys: " + ", ".join(safe_text(str(k)) for k in skipped[:REPORT_LINES]))
        if result.written:
            report.append("ctrl+r runs the request again to list them; ctrl+z undoes the whole import")
        ok = result.ok and not not_sent
        screen.finish(summary, report, ok=ok, done=total - not_sent)
        self.app.notify(
            safe_text(summary), title="Import", severity="information" if ok else "warning", markup=False
        )

    # --- palette and help -----------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        results = self.app.results
        return [
            PaletteCommand(
                "Select / unselect the row",
                "space in the results: a mark in the gutter",
                results.action_toggle_selected,
            ),
            PaletteCommand("Select all loaded rows", "ctrl+a in the results", results.action_select_all),
            PaletteCommand("Clear the selection", "ctrl+u in the results", results.action_clear_selection),
            PaletteCommand(
                "Delete the selected items…",
                "D in the results: asks first; checked and undoable, or fast",
                self.delete,
            ),
            PaletteCommand(
                "Export the selected items to a file…",
                "X in the results: JSON Lines, CSV or DynamoDB JSON, 0600",
                self.export,
            ),
            PaletteCommand(
                "Import JSON Lines into this table…",
                "checks every line first, then BatchWriteItem; replaces items with the same key",
                self.import_file,
            ),
        ]

    @staticmethod
    def help_rows(rows: Callable[[list[Any]], list[tuple[str, str]]]) -> list[tuple[str, str]]:
        return [
            *rows(BatchProgressScreen.BINDINGS),
            ("ctrl+p", "Import JSON Lines into this table… (palette): checks the file, then writes it"),
        ]
