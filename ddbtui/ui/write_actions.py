"""Writes from the workbench: the policy and its badge, edit / put / update / delete / rekey / undo, each
asked for, shown as a diff, sent from a worker thread, journaled and added to the session ledger.

Read-only by default (``--allow-writes[=TABLES]`` or a confirmed ``ctrl+w`` lifts it). Every action checks
the policy before it sends anything — the consistent read an edit starts with included — and says how to
enable writes when it refuses. An edit is conditional on the item being as it was read (``edit_request``),
so a concurrent change is shown as a conflict, never overwritten.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text

from ddbtui.aws.writes import (
    Journal,
    TransactionFailed,
    UndoResult,
    WriteResult,
    check_undoable,
    execute,
    read_item,
    transact,
    undo_last,
)
from ddbtui.core.capacity import ConsumedCapacity, transact_write_units, write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.core.writes import (
    Item,
    WriteConflict,
    WritePolicy,
    WriteRequest,
    delete_request,
    diff_items,
    edit_request,
    items_equal,
    key_identity,
    key_of,
    key_text,
    put_request,
    rekey_transaction,
    transition_request,
)
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.errors import describe_error
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.edit_screen import EditScreen
from ddbtui.ui.screens.item_screen import ItemScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen, ConflictScreen, DiffScreen, UpdateScreen, section
from ddbtui.ui.widgets.diff_view import DiffView, summary

if TYPE_CHECKING:
    from ddbtui.ui.app import DdbtuiApp

T = TypeVar("T")
ENABLE_HINT = "or press ctrl+w to enable writes for this session"


def _key(item: Item, schema: TableSchema) -> str:
    return safe_text(key_text(key_of(item, schema)))


UNDO_SHOWN = 20  # writes of a group the undo confirmation shows in full


class WriteActions:
    """The workbench's writes. ``allow_writes`` is the ``--allow-writes`` value (None: read-only)."""

    def __init__(self, app: DdbtuiApp, allow_writes: str | bool | None = None) -> None:
        self.app = app
        self.policy = WritePolicy.from_flag(allow_writes)
        self._flag_tables = self.policy.tables  # what the toggle gives back when turned on again
        self._journal: Journal | None = None
        self.last_update = ""
        self.busy = False  # one read or write at a time: a second ctrl+s must not send it twice

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = Journal()  # under DDBTUI_DATA_DIR or the platform's data dir, 0600
        return self._journal

    # --- policy and badge ---------------------------------------------------------------------------

    def show_badge(self) -> None:
        self.app.status.set_badge(self.policy.label, self.policy.enabled)

    def toggle(self) -> None:
        """Writes off at once; on only after a confirmation (the focus starts on Cancel)."""
        if self.policy.enabled:
            self.policy = WritePolicy(False)
            self.show_badge()
            self.app.notify("writes off: read-only", timeout=3, markup=False)
            return
        table = self.app.schema.name if self.app.schema is not None else None
        choices = []
        if self._flag_tables:
            names = ", ".join(sorted(self._flag_tables))
            choices.append(("flag", f"Only {names}", "warning"))
        if table and table not in (self._flag_tables or ()):
            choices.append(("table", f"Only {table}", "warning"))
        choices.append(("all", "All tables", "error"))
        body: list[Any] = [
            Text(
                "ddbtui is read-only. With writes on, edit, put, update and delete change data in "
                f"{safe_text(self.app.connection_label or 'this connection')}. Each write asks first, is "
                "conditional on the item being as it was read, and is kept in the journal for undo (ctrl+z)."
            )
        ]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "flag":
                self.policy = WritePolicy(True, self._flag_tables)
            elif choice == "table" and table:
                self.policy = WritePolicy(True, [table])
            else:
                self.policy = WritePolicy(True)
            self.show_badge()
            self.app.notify(
                safe_text(f"{self.policy.label}: ctrl+w turns writes off"), timeout=3, markup=False
            )

        self.app.push_screen(
            ConfirmScreen("Turn writes on?", body, choices, dialog_id="writes-dialog"), chosen
        )

    def _refused(self, table: str) -> bool:
        """True (and says why, and how to enable writes) when the policy forbids writing ``table``."""
        try:
            self.policy.check(table)
        except UsageError as e:
            self.app.notify(
                safe_text(f"{e}; {ENABLE_HINT}"),
                title="Read-only",
                severity="warning",
                markup=False,
                timeout=8,
            )
            return True
        return False

    # --- the item an action applies to ----------------------------------------------------------------

    def _schema(self) -> TableSchema | None:
        app = self.app
        result = app.result
        if result is not None and result.built.request.operation == "sql":
            return None  # a PartiQL result may come from any table
        return result.schema if result is not None and result.schema is not None else app.schema

    def _writable_target(self) -> tuple[Item, TableSchema, int | None] | None:
        """``_target``, when writes to its table are allowed; the item view closes (the write takes over)."""
        target = self._target()
        if target is None or self._refused(target[1].name):
            return None
        self._close_item_view()
        return target

    def _target(self) -> tuple[Item, TableSchema, int | None] | None:
        """The item under the cursor (or in the item view) with its table's schema and row."""
        app = self.app
        schema = self._schema()
        if schema is None:
            app.notify("open a table first (PartiQL results cannot be edited here)", markup=False)
            return None
        row: int | None = app.results.cursor_row if app.results.rows else None
        screen = app.screen
        item = screen.item if isinstance(screen, ItemScreen) else app.results.current_item
        if item is None:
            app.notify("no item under the cursor", markup=False)
            return None
        if row is not None and row in app.results.deleted:
            app.notify("this item was deleted (ctrl+z undoes that)", markup=False)
            return None
        try:
            key_of(item, schema)
        except UsageError as e:
            app.notify(safe_text(str(e)), severity="error", markup=False)
            return None
        return item, schema, row

    def _full_items(self) -> bool:
        """Whether the rows are whole items (no projection, not from an index): a delete can then be
        conditional on the whole item as listed."""
        result = self.app.result
        if result is None:
            return False
        req = result.built.request
        return req.operation in ("scan", "query", "get") and not req.projection and not req.index

    def _close_item_view(self) -> None:
        if isinstance(self.app.screen, ItemScreen):
            self.app.pop_screen()

    # --- workers --------------------------------------------------------------------------------------

    def _run(
        self,
        activity: str,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """``job`` in a thread worker; ``done`` or ``failed`` (True: handled) on the event loop after."""
        app = self.app
        if self.busy:
            app.notify("a write is in progress: wait for it", markup=False)
            return
        self.busy = True
        app.status.set_activity(activity, busy=True)

        def finish(ok: bool, value: Any) -> None:
            self.busy = False
            app.status.set_activity("")
            app.status.render_status()  # the ledger has the request's capacity now
            if ok:
                done(value)
            elif not (failed is not None and failed(value)):
                app.show_error(describe_error(value), in_results=False)

        def work() -> None:
            try:
                value = job()
            except Exception as e:  # noqa: BLE001 - every failure is shown; the app keeps running
                ok, value = False, e
            else:
                ok = True
            with contextlib.suppress(RuntimeError):  # the app is gone
                app.call_from_thread(finish, ok, value)

        app.run_worker(work, thread=True, group="write", exit_on_error=False, name="write")

    def _read(self, schema: TableSchema, item: Item, then: Callable[[Item], None], row: int | None) -> None:
        """A strongly consistent GetItem of ``item``'s key: what an edit starts from."""
        app = self.app
        key = key_of(item, schema)

        def got(current: Item | None) -> None:
            if current is None:
                app.notify("the item no longer exists: it was deleted since it was listed", markup=False)
                self._sync_row(schema, key, None, row)
                return
            self._sync_row(schema, key, current, row)
            then(current)

        self._run(
            f"GetItem {schema.name} (consistent)…",
            lambda: read_item(app.client, schema, key, ledger=app.ledger, prefer_estimate=app.estimate),
            got,
        )

    def _execute(self, request: WriteRequest, schema: TableSchema, group: str | None = None) -> WriteResult:
        """One write with the app's client, policy, journal and ledger (in a worker). ``group``: a journal
        group shared by several writes, undone together."""
        app = self.app
        return execute(
            app.client,
            request,
            schema,
            policy=self.policy,
            journal=self.journal,
            ledger=app.ledger,
            prefer_estimate=app.estimate,
            group=group,
        )

    def _written(self, verb: str, schema: TableSchema, result: WriteResult, row: int | None) -> None:
        cap = result.capacity(self.app.estimate)
        key = safe_text(key_text(result.request.key))
        self.app.notify(
            f"{verb} {safe_text(schema.name)} {key} · {capacity_text(cap)} — ctrl+z undoes it",
            title="Written",
            markup=False,
            timeout=5,
        )
        for warning in result.warnings:
            self.app.notify(safe_text(warning), severity="warning", markup=False, timeout=8)
        self._sync_row(schema, result.request.key, result.new, row)

    def _sync_row(self, schema: TableSchema, key: Item, item: Item | None, row: int | None = None) -> None:
        """Show ``item`` (None: deleted) in the results row holding ``key``, if the results show that table."""
        results = self.app.results
        result = self.app.result
        shown = self._schema()
        if result is None or shown is None or shown.name != schema.name or not results.rows:
            return
        ident = key_identity(key)
        rows = [row] if row is not None and 0 <= row < len(results.rows) else []
        rows += range(len(results.rows))
        stored, names = results.rows, schema.key.attributes
        for i in rows:
            # only the key attributes of each row: unpacking whole rows of 100k results would take seconds
            candidate = {k: stored.value(i, k) for k in names}
            if all(v is not None for v in candidate.values()) and key_identity(candidate) == ident:
                if item is None:
                    results.mark_deleted(i)
                else:
                    results.replace_row(i, item)
                return

    # --- edit and put ---------------------------------------------------------------------------------

    def edit(self) -> None:
        """``e``: a fresh consistent read of the item under the cursor, into the editor."""
        target = self._writable_target()
        if target is None:
            return
        item, schema, row = target
        self._read(schema, item, lambda current: self._open_editor(schema, current, row), row)

    def _open_editor(
        self, schema: TableSchema, base: Item | None, row: int | None, initial: Item | None = None
    ) -> None:
        self.app.push_screen(
            EditScreen(schema, base, lambda screen, item: self._review(screen, item, row), initial=initial)
        )

    def new_item(self) -> None:
        """A new item (put, create-only) in the open table: the editor prefilled with its key."""
        schema = self._schema() or self.app.schema
        if schema is None:
            self.app.notify("open a table first", markup=False)
            return
        if self._refused(schema.name):
            return
        self._close_item_view()
        current = self.app.results.current_item or {}
        template: Item = {}
        for name in schema.key.attributes:
            kind = schema.attribute_types.get(name, "S")
            empty = {"S": {"S": ""}, "N": {"N": "0"}, "B": {"B": b""}}.get(kind, {"S": ""})
            same = name == schema.key.partition_key and name in current and kind in current[name]
            template[name] = dict(current[name]) if same else empty
        self._open_editor(schema, None, None, initial=template)

    def _review(self, editor: EditScreen, item: Item, row: int | None) -> None:
        """``ctrl+s`` in the editor: the diff (or the rekey question), then the write."""
        schema, base = editor.schema, editor.base
        if base is not None and not items_equal(key_of(base, schema), key_of(item, schema)):
            self._rekey(editor, base, item, row)
            return
        changes = diff_items(base, item, deep=True)
        if not changes:
            self.app.notify("nothing changed: the item is as it was read", markup=False)
            return
        cost = write_units(base, item, schema).to_capacity(estimated=True)
        verb = "Put (new item)" if base is None else "Edit"
        lines = [
            Text(f"{summary(changes)} · {capacity_text(cost)}"),
            Text(
                "written only if no item has this key"
                if base is None
                else "written only if the item is still as it was read",
                style="dim",
            ),
        ]
        title = f"{verb} · {safe_text(schema.name)} · {_key(item, schema)}"

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._write_edit(editor, base, item, row)

        self.app.push_screen(DiffScreen(title, lines, changes), confirmed)

    def _write_edit(self, editor: EditScreen, base: Item | None, item: Item, row: int | None) -> None:
        schema = editor.schema
        if self._refused(schema.name):
            return
        try:
            request = put_request(schema, item) if base is None else edit_request(schema, base, item)
        except UsageError as e:
            self.app.show_error(str(e), in_results=False)
            return

        def done(result: WriteResult) -> None:
            if editor.is_attached:
                editor.dismiss(None)
            self._written("put" if base is None else "edited", schema, result, row)

        def failed(error: BaseException) -> bool:
            if not isinstance(error, WriteConflict):
                return False
            current = error.current
            if base is None:
                label = "Edit the existing item instead"
            else:
                label = "Reload the current item" if current is not None else "Keep my edit as a new item"
            self._sync_row(schema, key_of(item, schema), current, row)

            def chosen(choice: str | None) -> None:
                if choice == "reload" and editor.is_attached:
                    editor.reload(current)

            self.app.push_screen(
                ConflictScreen(
                    str(error), base, current, item, reload_label=label if current or base else None
                ),
                chosen,
            )
            return True

        self._run(f"{request.api} {schema.name}…", lambda: self._execute(request, schema), done, failed)

    def _rekey(self, editor: EditScreen, base: Item, item: Item, row: int | None) -> None:
        """The edit changes the key: offer copy to the new key + delete the old, as one transaction."""
        schema = editor.schema
        try:
            transaction = rekey_transaction(base, item, schema)
        except UsageError as e:
            self.app.show_error(str(e), in_results=False)
            return
        costs = transact_write_units((op.old, op.new, schema) for op in transaction.ops)
        cost = sum(
            (c.to_capacity(estimated=True) for c in costs.values()), ConsumedCapacity(0.0, kind="write")
        )
        body: list[Any] = [
            Text(f"{_key(base, schema)} → {_key(item, schema)}", style="bold"),
            Text(
                "An edit cannot change key attributes. ddbtui can copy the item to the new key and delete the "
                "old one in one transaction: both happen or neither (the new key must be free, the old item "
                f"unchanged since it was read). {capacity_text(cost)} (a transaction costs double)."
            ),
            section("The new item, compared with the old one:"),
            DiffView(diff_items(base, item, deep=True)),
        ]

        def chosen(choice: str | None) -> None:
            if choice != "rekey" or self._refused(schema.name):
                return

            def done(result: Any) -> None:
                if editor.is_attached:
                    editor.dismiss(None)
                cap = result.capacity(self.app.estimate)
                self.app.notify(
                    f"moved {safe_text(schema.name)} {_key(base, schema)} → {_key(item, schema)} · "
                    f"{capacity_text(cap)} — ctrl+z undoes it",
                    title="Written",
                    markup=False,
                    timeout=6,
                )
                self._sync_row(schema, key_of(base, schema), None, row)  # the old key is gone

            def failed(error: BaseException) -> bool:
                if not isinstance(error, TransactionFailed):
                    return False
                lines: list[Any] = [Text(safe_text(r.describe())) for r in error.reasons] or [
                    Text(safe_text(str(error)))
                ]
                self.app.push_screen(
                    ConfirmScreen(
                        "Transaction cancelled: nothing was written", lines, [], cancel_label="Close"
                    )
                )
                return True

            self._run(
                f"TransactWriteItems {schema.name}…",
                lambda: transact(
                    self.app.client,
                    transaction,
                    {schema.name: schema},
                    policy=self.policy,
                    journal=self.journal,
                    ledger=self.app.ledger,
                    prefer_estimate=self.app.estimate,
                ),
                done,
                failed,
            )

        self.app.push_screen(
            ConfirmScreen(
                "The key changed",
                body,
                [("rekey", "Copy to the new key + delete the old", "warning")],
                tall=True,
            ),
            chosen,
        )

    # --- update ---------------------------------------------------------------------------------------

    def update(self) -> None:
        """``u``: an update expression with a live preview on a fresh consistent read of the item."""
        target = self._writable_target()
        if target is None:
            return
        item, schema, row = target
        self._read(schema, item, lambda current: self._open_update(schema, current, row), row)

    def _open_update(self, schema: TableSchema, current: Item, row: int | None, condition: str = "") -> None:
        def chosen(request: WriteRequest | None) -> None:
            if request is None or self._refused(schema.name):
                return
            self.last_update = request.update_text or ""

            def done(result: WriteResult) -> None:
                self._written("updated", schema, result, row)

            def failed(error: BaseException) -> bool:
                if not isinstance(error, WriteConflict):
                    return False
                now = error.current
                self._sync_row(schema, request.key, now, row)

                def again(choice: str | None) -> None:
                    if choice == "reload" and now is not None:
                        self._open_update(schema, now, row)

                label = "Try again on the current item" if now is not None else None
                self.app.push_screen(ConflictScreen(str(error), current, now, reload_label=label), again)
                return True

            self._run(f"UpdateItem {schema.name}…", lambda: self._execute(request, schema), done, failed)

        self.app.push_screen(
            UpdateScreen(schema, current, text=self.last_update, condition=condition), chosen
        )

    # --- delete ---------------------------------------------------------------------------------------

    def delete(self) -> None:
        """``delete``: asks first (the focus on Cancel), then deletes; conditional on the item as listed."""
        target = self._writable_target()
        if target is None:
            return
        item, schema, row = target
        key = key_of(item, schema)
        cost = write_units(item, None, schema).to_capacity(estimated=True)
        body: list[Any] = [
            Text(f"{safe_text(schema.name)} · {_key(item, schema)}", style="bold"),
            Text(
                f"{capacity_text(cost)} · the old item stays in the journal: ctrl+z puts it back", style="dim"
            ),
            section("The item:"),
            DiffView(diff_items(item, None)),
        ]
        full = self._full_items()

        def chosen(choice: str | None) -> None:
            if choice != "delete" or self._refused(schema.name):
                return
            try:
                # whole items: only if unchanged since listed; projected rows: only if it exists
                request = transition_request(schema, item, None) if full else delete_request(schema, key)
            except UsageError as e:
                self.app.show_error(str(e), in_results=False)
                return

            def done(result: WriteResult) -> None:
                self._written("deleted", schema, result, row)

            def failed(error: BaseException) -> bool:
                if not isinstance(error, WriteConflict):
                    return False
                self._sync_row(schema, key, error.current, row)
                self.app.push_screen(ConflictScreen(str(error), item, error.current))
                return True

            self._run(f"DeleteItem {schema.name}…", lambda: self._execute(request, schema), done, failed)

        self.app.push_screen(
            ConfirmScreen(
                "Delete this item?", body, [("delete", "Delete", "error")], dialog_id="delete-dialog"
            ),
            chosen,
        )

    # --- undo -----------------------------------------------------------------------------------------

    def undo(self) -> None:
        """``ctrl+z``: show the last journaled group of writes, and restore the old images after a confirm."""
        app = self.app
        try:
            records = self.journal.pending_undo()
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
            if self._refused(table):
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
            if any(self._refused(t) for t in dict.fromkeys(r.table for r in records)):
                return
            schemas = {s.name: s for s in (app.schema, self._schema()) if s is not None}

            def schema_for(table: str) -> TableSchema:
                if table in schemas:
                    return schemas[table]
                from ddbtui.aws.catalog import load_schema

                return load_schema(app.client, table)

            self._run(
                "undoing…",
                lambda: undo_last(
                    app.client,
                    self.journal,
                    policy=self.policy,
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
                self._sync_row(schema_for(written.request.table), written.request.key, written.new)
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

    # --- palette and help -----------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        on = self.policy.enabled
        return [
            PaletteCommand(
                "Writes: turn off (read-only)" if on else "Writes: turn on…",
                "ctrl+w: " + ("at once" if on else "asks first; read-only is the default"),
                self.toggle,
            ),
            PaletteCommand(
                "Edit the item", "e in the results or the item view: JSON editor, diff, write", self.edit
            ),
            PaletteCommand(
                "New item (put)", "i in the results: the editor with the table's key", self.new_item
            ),
            PaletteCommand(
                "Update the item with an expression", "u: SET / REMOVE / ADD / DELETE, previewed", self.update
            ),
            PaletteCommand(
                "Delete the item", "delete in the results or the item view: asks first", self.delete
            ),
            PaletteCommand(
                "Undo the last write", "ctrl+z: restores the journaled old image, asks first", self.undo
            ),
        ]

    @staticmethod
    def help_rows(rows: Callable[[list[Any]], list[tuple[str, str]]]) -> list[tuple[str, str]]:
        """The keys of the editor and the write dialogs, for f1 (``rows`` applies the keymap)."""
        return [
            *rows([b for s in (EditScreen, DiffScreen, UpdateScreen) for b in s.BINDINGS if b.show]),
            ("left, right", "Dialogs: move between the buttons (the focus starts on Cancel / Back)"),
            ("enter", "Update dialog: write the previewed update"),
        ]
