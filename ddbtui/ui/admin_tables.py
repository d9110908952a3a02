"""Table changes from the workbench's own screens (#14): a report finding's fix (f8, ``x``), a new table
(the create-table form) and dropping the open table.

Each change is planned by ``core.admin`` (the plan ``ddbtui report --fix`` / ``create-table`` /
``drop-table`` print), shown in ``PlanScreen``, and — confirmed, with writes on for the table (the write
session's ``refused``) — sent in a thread worker by ``aws.admin.execute``, journaled in
``admin-journal.jsonl`` (``ddbtui undo`` reverses what DynamoDB allows). The wait shares the advisor's
controller state (``AdminController.busy``/``cancel_event``), so escape stops it the same way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.admin import Plan
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.values import safe_text
from ddbtui.ui.screens.plan_screen import PlanScreen


class TableChanges:
    """``admin`` is the app's ``AdminController`` (its session gates writes, its state shows the wait)."""

    def __init__(self, admin: Any) -> None:
        self.admin = admin
        self.app = admin.app

    def _ready(self, table: str) -> bool:
        if self.admin.busy:
            self.app.notify(f"a table change is under way: {self.admin.progress}", markup=False)
            return False
        return not self.admin.session.refused(table)  # says why, and that ctrl+w turns writes on

    def _aas(self) -> Any:
        from ddbtui.aws.admin_info import autoscaling_client

        return autoscaling_client(self.app.client, getattr(self.app.connection, "profile", None))

    # --- a report finding's fix -----------------------------------------------------------------------

    def fix(self, table: str, fix: Any, done: Callable[[bool], None]) -> None:
        """Plan ``fix`` (a ``core.report.fixes.Fix``) on ``table`` as it is now, confirm it, send it;
        ``done(sent)`` is called on the UI thread afterwards."""
        if not self._ready(table):
            return
        client = self.app.client

        def plan_it() -> tuple[Plan, Any]:
            from ddbtui.aws.admin_info import table_state
            from ddbtui.core.admin import plan_alter

            aas = self._aas() if fix.request.autoscaling else None
            state = table_state(client, table, aas)
            plan = plan_alter(state, fix.request, region=client.meta.region_name, now=datetime.now(UTC))
            plan.title = f"fix {fix.finding_id} on {table}: {plan.title}"
            return plan, aas

        self.plan_and_send(plan_it, [f"Fix: {fix.summary}"], done)

    # --- the shared flow: plan in a worker, confirm, send in a worker ---------------------------------

    def plan_and_send(
        self,
        plan_it: Callable[[], tuple[Plan, Any]],
        header: list[str],
        done: Callable[[bool], None],
    ) -> None:
        app = self.app

        def work() -> None:
            try:
                plan, aas = plan_it()
            except DdbtuiError as e:
                err = str(e)
                with contextlib.suppress(RuntimeError):
                    app.call_from_thread(app.show_error, err, in_results=False)
                return
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self.confirm, plan, header, aas, done)

        app.run_worker(work, thread=True, group="admin-plan", exclusive=True, exit_on_error=False)

    def confirm(self, plan: Plan, header: list[str], aas: Any, done: Callable[[bool], None]) -> None:
        self.admin.plan = plan

        def chosen(ok: bool | None) -> None:
            if ok:
                self.send(plan, aas, done)
            else:
                done(False)

        self.app.push_screen(PlanScreen(plan, header), chosen)

    def send(self, plan: Plan, aas: Any, done: Callable[[bool], None]) -> None:
        admin, app, client, policy = self.admin, self.app, self.app.client, self.admin.session.policy
        admin.busy, admin.progress = True, f"sending: {plan.title}"
        admin.cancel_event = cancel = threading.Event()
        emulator = bool(getattr(app.connection, "is_emulator", False))
        app.notify(f"{safe_text(plan.title)}: sending (escape stops waiting)", title="Table change",
                   markup=False, timeout=4)  # fmt: skip

        def progress(p: Any) -> None:
            admin.progress = p.describe()
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(app.status.set_activity, safe_text(admin.progress)[:200], True)

        def work() -> None:
            from ddbtui.aws.admin import Cancelled, admin_journal, execute

            try:
                execute(client, plan, aas=aas, policy=policy, journal=admin_journal(), cancel=cancel,
                        on_progress=progress, poll=0.2 if emulator else 2.0)  # fmt: skip
            except Exception as e:  # noqa: BLE001 - AdminError, Cancelled: one line in the workbench
                err, stopped = str(e), isinstance(e, Cancelled)
                with contextlib.suppress(RuntimeError):
                    app.call_from_thread(self._failed, err, stopped, done)
                return
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._sent, plan, done)

        app.run_worker(work, thread=True, group="admin", exclusive=True, exit_on_error=False)

    def _failed(self, err: str, stopped: bool, done: Callable[[bool], None]) -> None:
        self.admin._failed(err, stopped)
        done(False)

    def _sent(self, plan: Plan, done: Callable[[bool], None]) -> None:
        self.admin.busy, self.admin.progress = False, f"done: {plan.title}"
        self.app.status.set_activity(safe_text(self.admin.progress)[:200])
        self.app.notify(f"{safe_text(plan.title)}: done (ddbtui undo reverses what DynamoDB allows)",
                        title="Table change", markup=False, timeout=5)  # fmt: skip
        self.refresh_pane(plan.table)
        done(True)

    def refresh_pane(self, table: str) -> None:
        """The indexes pane of the open table asks for its settings again (and watches a GSI build)."""
        from ddbtui.ui.widgets.schema_pane import SchemaPane

        with contextlib.suppress(Exception):
            pane = self.app.query_one(SchemaPane)
            if pane.schema is not None and pane.schema.name == table:
                pane.show(pane.schema)

    # --- a new table (the create-table form) ----------------------------------------------------------

    def create_table(self) -> None:
        """The form; submitted, the plan (writes on for the new name, as ``create-table --allow-writes``)."""
        from ddbtui.ui.screens.create_table_screen import CreateTableScreen

        self.app.push_screen(CreateTableScreen(), self._create)

    def _create(self, new: Any) -> None:
        if new is None or not self._ready(new.name):
            return
        from ddbtui.core.admin import plan_create

        region = self.app.client.meta.region_name
        self.plan_and_send(
            lambda: (plan_create(new.params, ttl=new.ttl, pitr=new.pitr, region=region), None),
            [],
            lambda sent: self._created(new.name) if sent else None,
        )

    def _created(self, name: str) -> None:
        tables = getattr(self.app, "tables", None)
        if tables is not None:
            tables.load_tables()
        self.app.open_table(name)

    # --- dropping the open table ----------------------------------------------------------------------

    def drop_table(self, table: str | None) -> None:
        """Type the name, then the plan (refused while deletion protection is on; it cannot be undone)."""
        from ddbtui.ui.screens.create_table_screen import DropTableScreen

        if not table:
            self.app.notify("open a table first", markup=False, timeout=3)
            return
        if not self._ready(table):
            return

        def typed(ok: bool | None) -> None:
            if ok:
                self._drop(table)

        self.app.push_screen(DropTableScreen(table), typed)

    def _drop(self, table: str) -> None:
        client = self.app.client

        def plan_it() -> tuple[Plan, Any]:
            from ddbtui.aws.admin_info import table_state
            from ddbtui.core.admin import plan_drop

            state = table_state(client, table)
            plan = plan_drop(table, table, deletion_protection=state.schema.deletion_protection,
                             pitr=state.pitr)  # fmt: skip
            return plan, None

        self.plan_and_send(plan_it, ["This cannot be undone: ddbtui undo cannot bring a dropped table back."],
                           lambda sent: self._dropped() if sent else None)  # fmt: skip

    def _dropped(self) -> None:
        tables = getattr(self.app, "tables", None)
        if tables is not None:
            tables.load_tables()
