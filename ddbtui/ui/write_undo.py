"""Undo (``ctrl+z``): the last journaled group of writes — one edit, or every item of a checked batch
delete — shown as diffs, then restored to the old images after a confirmation, each only if the item is
still as that write left it (a conflict is shown, nothing overwritten)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from rich.text import Text

from ddbtui.aws.writes import UndoResult, check_undoable, undo_last
from ddbtui.core.capacity import ConsumedCapacity
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.core.writes import diff_items, key_text
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.write_screens import ConfirmScreen
from ddbtui.ui.widgets.diff_view import DiffView
from ddbtui.ui.write_session import WriteSession

UNDO_SHOWN = 20  # writes of a group the undo confirmation shows in full


class UndoFlow:
    """``ctrl+z``, through ``session``'s policy, worker and journal."""

    def __init__(self, session: WriteSession) -> None:
        self.s = session
        self.app = session.app

    def undo(self) -> None:
        """``ctrl+z``: show the last journaled group of writes, and restore the old images after a confirm."""
        app = self.app
        try:
            records = self.s.journal.pending_undo()
        except OSError as e:
            app.show_error(f"the journal cannot be read: {e}", in_results=False)
            return
        if not records:
            app.notify("nothing to undo: the journal holds no write to take back", markup=False)
            return
        try:
            check_undoable(records, app.client)
        except UsageError as e:
            app.show_error(str(e), in_results=False)
            return
        for table in dict.fromkeys(r.table for r in records):
            if self.s.refused(table):
                return
        body: list[Any] = []
        # a checked delete of a large selection is one group: show the first writes in full, count the rest
        for r in records[:UNDO_SHOWN]:
            key = safe_text(key_text(r.key))
            body.append(Text(f"{r.operation} {safe_text(r.table)} {key} · {r.time}", style="bold"))
            body.append(Text("restores (now → before the write):", style="dim"))
            body.append(DiffView(diff_items(r.new, r.old, deep=True)))
        if len(records) > UNDO_SHOWN:
            body.append(Text(f"… and {len(records) - UNDO_SHOWN:,} more writes of this group", style="bold"))
        body.append(Text("Only if the item is still as that write left it.", style="dim"))
        noun = "write" if len(records) == 1 else f"{len(records)} writes"

        def chosen(choice: str | None) -> None:
            if choice != "undo":
                return
            if any(self.s.refused(t) for t in dict.fromkeys(r.table for r in records)):
                return
            schemas = {s.name: s for s in (app.schema, self.s.results_schema()) if s is not None}

            def schema_for(table: str) -> TableSchema:
                if table in schemas:
                    return schemas[table]
                from ddbtui.aws.catalog import load_schema

                return load_schema(app.client, table)

            self.s.run(
                "undoing…",
                lambda: undo_last(
                    app.client,
                    self.s.journal,
                    policy=self.s.policy,
                    schema_for=schema_for,
                    ledger=app.ledger,
                    prefer_estimate=app.estimate,
                ),
                lambda result: self._undone(result, schema_for),
            )

        app.push_screen(
            ConfirmScreen(
                f"Undo the last {noun}?",
                body,
                [("undo", "Undo", "warning")],
                tall=True,
                dialog_id="undo-dialog",
            ),
            chosen,
        )

    def _undone(self, result: UndoResult, schema_for: Callable[[str], TableSchema]) -> None:
        app = self.app
        for written in result.results:
            with contextlib.suppress(Exception):
                self.s.sync_row(schema_for(written.request.table), written.request.key, written.new)
        if result.results:
            total = sum(
                (w.capacity(app.estimate) for w in result.results), ConsumedCapacity(0.0, kind="write")
            )
            app.notify(
                f"undone: {len(result.results)} write{'s' if len(result.results) != 1 else ''} restored · "
                f"{capacity_text(total)}",
                title="Undo",
                markup=False,
                timeout=5,
            )
        elif result.unchanged and not result.conflicts:
            app.notify("undone: that write had changed nothing", markup=False)
        if result.conflicts:
            body: list[Any] = []
            for record, conflict in result.conflicts:
                body.append(Text(safe_text(str(conflict)), style="bold"))
                body.append(Text("changed since that write (then → now):", style="dim"))
                body.append(DiffView(diff_items(record.new, conflict.current, deep=True)))
            app.push_screen(
                ConfirmScreen(
                    "Undo refused: the item changed since", body, [], cancel_label="Close", tall=True
                )
            )
