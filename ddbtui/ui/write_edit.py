"""Edit, put and update from the workbench: the JSON editor (``e``, ``i``) and the update expression
(``u``), each on a fresh consistent read of the item, shown as a diff before it is written.

An edit is conditional on the item being as it was read (``edit_request``), so a concurrent change is shown
as a conflict, never overwritten; a put of a new item only if no item has its key; an edit that changes
the key is offered as one transaction (copy to the new key + delete the old).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ddbtui.aws.writes import TransactionFailed, WriteResult, transact
from ddbtui.core.capacity import ConsumedCapacity, transact_write_units, write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.core.writes import (
    Item,
    WriteConflict,
    WriteRequest,
    diff_items,
    edit_request,
    items_equal,
    key_of,
    put_request,
    rekey_transaction,
)
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.edit_screen import EditScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen, ConflictScreen, DiffScreen, UpdateScreen, section
from ddbtui.ui.widgets.diff_view import DiffView, summary
from ddbtui.ui.write_session import WriteSession, item_key


class EditFlow:
    """``e`` (edit), ``i`` (new item) and ``u`` (update), through ``session``'s policy, worker and journal."""

    def __init__(self, session: WriteSession) -> None:
        self.s = session
        self.app = session.app
        self.last_update = ""  # the update dialog starts from the last expression written

    def edit(self) -> None:
        """``e``: a fresh consistent read of the item under the cursor, into the editor."""
        target = self.s.writable_target()
        if target is None:
            return
        item, schema, row = target
        self.s.read(schema, item, lambda current: self._open_editor(schema, current, row), row)

    def _open_editor(
        self, schema: TableSchema, base: Item | None, row: int | None, initial: Item | None = None
    ) -> None:
        self.app.push_screen(
            EditScreen(schema, base, lambda screen, item: self._review(screen, item, row), initial=initial)
        )

    def new_item(self) -> None:
        """A new item (put, create-only) in the open table: the editor prefilled with its key."""
        schema = self.s.results_schema() or self.app.schema
        if schema is None:
            self.app.notify("open a table first", markup=False)
            return
        if self.s.refused(schema.name):
            return
        self.s.close_item_view()
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
        title = f"{verb} · {safe_text(schema.name)} · {item_key(item, schema)}"

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._write_edit(editor, base, item, row)

        self.app.push_screen(DiffScreen(title, lines, changes), confirmed)

    def _write_edit(self, editor: EditScreen, base: Item | None, item: Item, row: int | None) -> None:
        schema = editor.schema
        if self.s.refused(schema.name):
            return
        try:
            request = put_request(schema, item) if base is None else edit_request(schema, base, item)
        except UsageError as e:
            self.app.show_error(str(e), in_results=False)
            return

        def done(result: WriteResult) -> None:
            if editor.is_attached:
                editor.dismiss(None)
            self.s.written("put" if base is None else "edited", schema, result, row)

        def failed(error: BaseException) -> bool:
            if not isinstance(error, WriteConflict):
                return False
            current = error.current
            if base is None:
                label = "Edit the existing item instead"
            else:
                label = "Reload the current item" if current is not None else "Keep my edit as a new item"
            self.s.sync_row(schema, key_of(item, schema), current, row)

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

        self.s.run(f"{request.api} {schema.name}…", lambda: self.s.execute(request, schema), done, failed)

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
            Text(f"{item_key(base, schema)} → {item_key(item, schema)}", style="bold"),
            Text(
                "An edit cannot change key attributes. ddbtui can copy the item to the new key and delete the "
                "old one in one transaction: both happen or neither (the new key must be free, the old item "
                f"unchanged since it was read). {capacity_text(cost)} (a transaction costs double)."
            ),
            section("The new item, compared with the old one:"),
            DiffView(diff_items(base, item, deep=True)),
        ]

        def chosen(choice: str | None) -> None:
            if choice != "rekey" or self.s.refused(schema.name):
                return

            def done(result: Any) -> None:
                if editor.is_attached:
                    editor.dismiss(None)
                cap = result.capacity(self.app.estimate)
                self.app.notify(
                    f"moved {safe_text(schema.name)} {item_key(base, schema)} → {item_key(item, schema)} · "
                    f"{capacity_text(cap)} — ctrl+z undoes it",
                    title="Written",
                    markup=False,
                    timeout=6,
                )
                self.s.sync_row(schema, key_of(base, schema), None, row)  # the old key is gone

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

            self.s.run(
                f"TransactWriteItems {schema.name}…",
                lambda: transact(
                    self.app.client,
                    transaction,
                    {schema.name: schema},
                    policy=self.s.policy,
                    journal=self.s.journal,
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
        target = self.s.writable_target()
        if target is None:
            return
        item, schema, row = target
        self.s.read(schema, item, lambda current: self._open_update(schema, current, row), row)

    def _open_update(self, schema: TableSchema, current: Item, row: int | None, condition: str = "") -> None:
        def chosen(request: WriteRequest | None) -> None:
            if request is None or self.s.refused(schema.name):
                return
            self.last_update = request.update_text or ""

            def done(result: WriteResult) -> None:
                self.s.written("updated", schema, result, row)

            def failed(error: BaseException) -> bool:
                if not isinstance(error, WriteConflict):
                    return False
                now = error.current
                self.s.sync_row(schema, request.key, now, row)

                def again(choice: str | None) -> None:
                    if choice == "reload" and now is not None:
                        self._open_update(schema, now, row)

                label = "Try again on the current item" if now is not None else None
                self.app.push_screen(ConflictScreen(str(error), current, now, reload_label=label), again)
                return True

            self.s.run(f"UpdateItem {schema.name}…", lambda: self.s.execute(request, schema), done, failed)

        self.app.push_screen(
            UpdateScreen(schema, current, text=self.last_update, condition=condition), chosen
        )
