"""What every write of the workbench shares: the write policy, the journal, the item an action applies to,
and the worker that sends one write at a time, journals it, adds its capacity to the session ledger and
shows the result in the results row it changed.

``WriteActions`` (write_actions.py) holds one ``WriteSession``; the flows (write_edit, write_delete,
write_undo) and the batch actions (selection_actions) write through it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from ddbtui.aws.writes import Journal, WriteResult, execute, read_item
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.core.writes import Item, WritePolicy, WriteRequest, key_identity, key_of, key_text
from ddbtui.ui.errors import describe_error
from ddbtui.ui.host import Host
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.item_screen import ItemScreen

T = TypeVar("T")
ENABLE_HINT = "or press ctrl+w to enable writes for this session"


def item_key(item: Item, schema: TableSchema) -> str:
    """The key of ``item`` as safe text, for dialogs and toasts."""
    return safe_text(key_text(key_of(item, schema)))


class WriteSession:
    """The policy (read-only unless turned on), the journal, and one write at a time (``busy``)."""

    def __init__(self, app: Host, policy: WritePolicy) -> None:
        self.app = app
        self.policy = policy
        self._journal: Journal | None = None
        self.busy = False  # one read or write at a time: a second ctrl+s must not send it twice

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = Journal()  # under DDBTUI_DATA_DIR or the platform's data dir, 0600
        return self._journal

    def refused(self, table: str) -> bool:
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

    def results_schema(self) -> TableSchema | None:
        """The table of the rows shown (None for PartiQL results, which may come from any table)."""
        app = self.app
        result = app.result
        if result is not None and result.built.request.operation == "sql":
            return None  # a PartiQL result may come from any table
        return result.schema if result is not None and result.schema is not None else app.schema

    def writable_target(self) -> tuple[Item, TableSchema, int | None] | None:
        """``target``, when writes to its table are allowed; the item view closes (the write takes over)."""
        target = self.target()
        if target is None or self.refused(target[1].name):
            return None
        self.close_item_view()
        return target

    def target(self) -> tuple[Item, TableSchema, int | None] | None:
        """The item under the cursor (or in the item view) with its table's schema and row."""
        app = self.app
        schema = self.results_schema()
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

    def full_items(self) -> bool:
        """Whether the rows are whole items (no projection, not from an index): a delete can then be
        conditional on the whole item as listed."""
        result = self.app.result
        if result is None:
            return False
        req = result.built.request
        return req.operation in ("scan", "query", "get") and not req.projection and not req.index

    def close_item_view(self) -> None:
        if isinstance(self.app.screen, ItemScreen):
            self.app.pop_screen()

    # --- workers --------------------------------------------------------------------------------------

    def run(
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

    def read(self, schema: TableSchema, item: Item, then: Callable[[Item], None], row: int | None) -> None:
        """A strongly consistent GetItem of ``item``'s key: what an edit starts from."""
        app = self.app
        key = key_of(item, schema)

        def got(current: Item | None) -> None:
            if current is None:
                app.notify("the item no longer exists: it was deleted since it was listed", markup=False)
                self.sync_row(schema, key, None, row)
                return
            self.sync_row(schema, key, current, row)
            then(current)

        self.run(
            f"GetItem {schema.name} (consistent)…",
            lambda: read_item(app.client, schema, key, ledger=app.ledger, prefer_estimate=app.estimate),
            got,
        )

    def execute(self, request: WriteRequest, schema: TableSchema, group: str | None = None) -> WriteResult:
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

    def written(self, verb: str, schema: TableSchema, result: WriteResult, row: int | None) -> None:
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
        self.sync_row(schema, result.request.key, result.new, row)

    def sync_row(self, schema: TableSchema, key: Item, item: Item | None, row: int | None = None) -> None:
        """Show ``item`` (None: deleted) in the results row holding ``key``, if the results show that table."""
        results = self.app.results
        result = self.app.result
        shown = self.results_schema()
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
