"""Table changes from the workbench (#14): the advisor's create-gsi suggestion applied.

``g`` on the advisor line (or enter on a create-gsi suggestion in f6's list) plans the index with
``core.admin.plan_alter`` — the plan ``ddbtui alter --add-gsi`` makes, backfill estimate included, from the
last run's items when there is one — and shows it in ``PlanScreen`` with the measured saving next to the
backfill's cost. Confirmed (and only with writes on, ``ctrl+w``), a thread worker sends it through
``aws.admin.execute`` (journaled in ``admin-journal.jsonl``: ``ddbtui undo`` drops the index), waits until
the index is ACTIVE (``cancel`` stops waiting; DynamoDB goes on), re-opens the table so the builder knows
the index, rewrites the builder's request to query it and runs it once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from ddbtui.core.admin import AlterRequest, Plan, plan_alter
from ddbtui.core.admin.suggested import spec_from_definition
from ddbtui.core.advisor import Suggestion, rcu_text
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.requests import ReadRequest
from ddbtui.core.values import safe_text
from ddbtui.ui.admin_tables import TableChanges
from ddbtui.ui.host import Host
from ddbtui.ui.screens.plan_screen import PlanScreen
from ddbtui.ui.widgets.query_builder import QueryBuilder


class AdminController:
    """``session`` is the workbench's ``WriteSession`` (its policy gates every change); ``run`` runs the
    builder's request (the requests controller's)."""

    def __init__(self, app: Host, session: Any, run: Callable[[], None]) -> None:
        self.app = app
        self.session = session
        self.run = run
        self.cancel_event = threading.Event()
        self.busy = False
        self.progress = ""  # the last progress line of a change being sent
        self.plan: Plan | None = None  # the plan on screen or being sent
        self._before: tuple[str, str, float | None] | None = (
            None  # (index, operation, RCU) of the old request
        )
        self.comparison = ""  # "before … · after …" once the request ran on the new index
        self.changes = TableChanges(self)  # a report finding's fix, a new table, dropping one

    def palette_commands(self) -> list[Any]:
        from ddbtui.ui.commands import PaletteCommand

        app = self.app
        return [
            PaletteCommand(
                "Create a table…",
                "a form: keys, billing, indexes, TTL, stream; then its plan",
                self.changes.create_table,
            ),
            PaletteCommand(
                "Drop this table…",
                "type its name, see the plan: it cannot be undone",
                lambda: self.changes.drop_table(app.schema.name if app.schema else None),
            ),
        ]

    @property
    def builder(self) -> QueryBuilder:
        return self.app.screen_stack[0].query_one("#builder", QueryBuilder)

    # --- the advisor's index --------------------------------------------------------------------------

    def create_index(
        self,
        s: Suggestion,
        req: ReadRequest,
        *,
        current_rcu: float | None = None,
        sample: tuple[dict[str, Any], ...] | None = None,
    ) -> None:
        """Plan ``s`` (a create-gsi suggestion for ``req``) in a worker, then show the plan dialog."""
        app = self.app
        if s.kind != "create-gsi" or not s.index_definition:
            app.notify("this suggestion creates no index", markup=False)
            return
        if self.busy:
            app.notify(f"a table change is under way: {self.progress}", markup=False)
            return
        table = req.table or (app.schema.name if app.schema else "")
        if self.session.refused(table):
            return  # says why, and that ctrl+w turns writes on
        client, region = app.client, getattr(app.ledger, "region", None)

        def work() -> None:
            from ddbtui.aws.admin_info import table_state

            try:
                state = table_state(client, table)
                plan = plan_alter(state, AlterRequest(add_gsis=[spec_from_definition(s.index_definition or {})]),
                                  region=region, sample=list(sample) if sample else None)  # fmt: skip
            except DdbtuiError as e:
                err = str(e)
                with contextlib.suppress(RuntimeError):
                    app.call_from_thread(app.show_error, err, in_results=False)
                return
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._confirm, plan, s, req, current_rcu)

        app.run_worker(work, thread=True, group="admin-plan", exclusive=True, exit_on_error=False)

    def _header(self, s: Suggestion, req: ReadRequest, current_rcu: float | None) -> list[str]:
        where = f"Query on {s.index}"
        now = f"~{rcu_text(current_rcu)} RCU a run" if current_rcu is not None else "not measured yet"
        after = f"~{rcu_text(s.estimated_rcu)} RCU a run" if s.estimated_rcu is not None else "unknown"
        saving = (
            f" ({current_rcu / s.estimated_rcu:,.0f}× fewer RCU)"
            if current_rcu and s.estimated_rcu and s.estimated_rcu > 0
            else ""
        )
        return [
            f"Advisor: {s.reason}",
            f"Saving: this {req.operation} {now} → {where} {after}{saving}",
            "Backfill: see Costs below (the index's one-time write units)",
        ]

    def _confirm(self, plan: Plan, s: Suggestion, req: ReadRequest, current_rcu: float | None) -> None:
        self.plan = plan

        def chosen(ok: bool | None) -> None:
            if ok:
                self._before = (s.index or "", req.operation, current_rcu)
                self._send(plan, s, req)

        self.app.push_screen(PlanScreen(plan, self._header(s, req, current_rcu)), chosen)

    def _send(self, plan: Plan, s: Suggestion, req: ReadRequest) -> None:
        app, client, policy = self.app, self.app.client, self.session.policy
        self.busy, self.progress = True, f"sending: {plan.title}"
        self.cancel_event = cancel = threading.Event()
        emulator = bool(getattr(app.connection, "is_emulator", False))
        app.notify(f"{safe_text(plan.title)}: sending (the index backfills, then the request runs)",
                   title="Table change", markup=False, timeout=4)  # fmt: skip

        def progress(p: Any) -> None:  # live in the status bar: IndexStatus, Backfilling, item count
            self.progress = p.describe()
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(app.status.set_activity, safe_text(self.progress)[:200], True)

        def work() -> None:
            from ddbtui.aws.admin import Cancelled, admin_journal, execute

            try:
                execute(client, plan, policy=policy, journal=admin_journal(), cancel=cancel,
                        on_progress=progress, poll=0.2 if emulator else 2.0)  # fmt: skip
            except Exception as e:  # noqa: BLE001 - AdminError, Cancelled: one line in the workbench
                err = str(e)
                stopped = isinstance(e, Cancelled)
                with contextlib.suppress(RuntimeError):
                    app.call_from_thread(self._failed, err, stopped)
                return
            with contextlib.suppress(RuntimeError):
                if cancel.is_set():  # escape came after the last call: the user no longer wants the run
                    app.call_from_thread(
                        self._failed, f"index {s.index} was created; the request was not run", True
                    )
                else:
                    app.call_from_thread(self._created, s, req)

        app.run_worker(work, thread=True, group="admin", exclusive=True, exit_on_error=False)

    def _failed(self, err: str, stopped: bool = False) -> None:
        self.busy, self.progress = False, f"{'stopped' if stopped else 'failed'}: {err}"
        self.app.status.set_activity("table change stopped" if stopped else "table change failed")
        if stopped:
            self.app.notify(safe_text(err), title="Table change", severity="warning", markup=False, timeout=6)
        else:
            self.app.show_error(err, in_results=False)

    def _created(self, s: Suggestion, req: ReadRequest) -> None:
        self.busy, self.progress = False, f"index {s.index} is ACTIVE"
        self.app.status.set_activity(self.progress)
        table = req.table or ""

        def then() -> None:
            self.builder.load_request(s.apply(req))
            self.app.notify(f"index {safe_text(s.index or '')} is ACTIVE: running the request on it",
                            title="Table change", markup=False, timeout=4)  # fmt: skip
            self.run()

        self.app.open_table(table, then=then)  # re-described: the builder knows the new index

    def run_finished(self, result: Any) -> None:
        """A run finished: the first one on the index just created shows its capacity next to the old one's."""
        before = self._before
        if before is None or (result.built.params or {}).get("IndexName") != before[0]:
            return
        self._before = None
        cap = result.capacity
        after = f"~{rcu_text(cap.total)} RCU" if cap is not None else "not reported"
        old = f"~{rcu_text(before[2])} RCU" if before[2] is not None else "not measured"
        self.comparison = f"before: {before[1]} {old} · after: Query on {before[0]} {after}"
        self.app.notify(
            safe_text(self.comparison), title="Capacity, before and after", markup=False, timeout=8
        )

    def cancel(self) -> None:
        """escape: stop waiting (the change in flight goes on in DynamoDB; later steps are not sent)."""
        if self.busy:
            self.cancel_event.set()
            self.app.notify("stopping the wait: DynamoDB goes on with the change in flight", markup=False)
