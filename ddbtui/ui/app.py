"""The workbench: tables, schema, query builder, results, advisor line and the session's capacity ledger.

This module composes the screen, holds the key bindings and wires the widgets' messages and the actions
to the controllers that do the work, each handed the app as a ``ddbtui.ui.host.Host``: requests_controller
(run, page, fetch all, cancel), tables_controller (list and open tables), demo_controller (``--demo``),
status (errors, retries, page info), items_controller (item view, clipboard), tools_controller (f2, f3,
f8, f9, export), advice, write_actions, selection_actions; keys (f1) and commands (ctrl+p) list them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from ddbtui.aws.retries import watch_retries
from ddbtui.core.capacity import Ledger
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.ui.admin_controller import AdminController
from ddbtui.ui.advice import AdviceController
from ddbtui.ui.bindings import WORKBENCH_BINDINGS
from ddbtui.ui.commands import PaletteCommand, WorkbenchCommands, workbench_commands
from ddbtui.ui.config import Config
from ddbtui.ui.demo_controller import DemoController
from ddbtui.ui.history import History
from ddbtui.ui.items_controller import ItemsController
from ddbtui.ui.keys import key_sections
from ddbtui.ui.launch import connect
from ddbtui.ui.metrics_controller import MetricsController
from ddbtui.ui.no_colour import NoColour
from ddbtui.ui.requests_controller import RequestsController
from ddbtui.ui.results import ResultSet
from ddbtui.ui.saved_controller import SavedController
from ddbtui.ui.screens.help_screen import HelpScreen, Section
from ddbtui.ui.selection_actions import SelectionActions
from ddbtui.ui.status import RetrySeen, StatusLines
from ddbtui.ui.tables_controller import TablesController
from ddbtui.ui.threads import WORKER_THREADS, QuitWithoutWaiting, requests_still_running
from ddbtui.ui.toasts import ToastDedupe
from ddbtui.ui.tools_controller import ToolsController
from ddbtui.ui.widgets.advisor_line import AdvisorLine
from ddbtui.ui.widgets.query_builder import QueryBuilder
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.schema_pane import SchemaPane
from ddbtui.ui.widgets.status_bar import StatusBar
from ddbtui.ui.widgets.tables_pane import TableList, TablesPane
from ddbtui.ui.write_actions import WriteActions


class DdbtuiApp(App[int]):
    """The ddbtui workbench. ``client`` is a boto3 DynamoDB client built on the main thread."""

    CSS_PATH = "app.tcss"
    # below 60 columns / 18 rows the side pane narrows and the builder drops its extra row (app.tcss)
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (18, "-tall")]
    TITLE = "ddbtui"
    COMMANDS: ClassVar = App.COMMANDS | {WorkbenchCommands}
    ENABLE_COMMAND_PALETTE = True

    # description: the footer's word; tooltip: the sentence f1 shows (ui/bindings.py)
    BINDINGS: ClassVar[list[BindingType]] = WORKBENCH_BINDINGS

    def __init__(
        self,
        client: Any,
        connection: Any = None,
        *,
        table: str | None = None,
        engine: Any = None,
        seed: bool = False,
        config: Config | None = None,
        history: History | None = None,
        connection_label: str | None = None,
        clock: Callable[[], float] = time.time,
        allow_writes: str | bool | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.connection = connection
        self.initial_table = table
        self.engine = engine  # an embedded backend to start (and seed) in a worker, for --demo
        self.seed_demo = seed
        self.config = config or Config.load()
        self.history = history or History()
        self.clock = clock
        region = getattr(getattr(client, "meta", None), "region_name", None)
        self.ledger = Ledger(region=self.config.price_region or region)
        if connection_label is None:
            connection_label = connection.describe(region) if connection is not None else (region or "")
        self.connection_label = connection_label
        self._toasts = ToastDedupe()
        # the controllers: each gets the app as a ddbtui.ui.host.Host, and what else it calls
        self.status_lines = StatusLines(self)
        self.advice = AdviceController(self)
        self.requests = RequestsController(self, self.status_lines, after_run=self.advice.after_run)
        self.tables = TablesController(self, self.requests, self.status_lines, initial_table=table)
        self.demo = DemoController(self, engine, self.tables, self.requests)
        self.items = ItemsController(self)
        self.tools = ToolsController(self)
        self.metrics = MetricsController(self)  # f11: CloudWatch metrics of the open table (#15)
        self.writes = WriteActions(self, allow_writes)  # read-only unless --allow-writes
        self.selection = SelectionActions(self, self.writes.session)  # the selected rows; import
        self.admin = AdminController(self, self.writes.session, self.requests.run)  # table changes (#14)
        self.saved = SavedController(self)  # saved queries: f10, ctrl+g (#17)
        self.advice.on_create_index, self.advice.on_run = self.admin.create_index, self.admin.run_finished
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # --- layout ---------------------------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: Any = "information", **kw: Any) -> None:
        """``App.notify``, except that a toast identical to one still on screen is not stacked again."""
        timeout = kw.get("timeout") or self.NOTIFICATION_TIMEOUT
        if self._toasts.admit(message, title, severity, timeout):
            super().notify(message, title=title, severity=severity, **kw)

    @property
    def estimate(self) -> bool:
        """Show ddbtui's capacity estimate rather than the server's figure: decided from the responses seen
        so far (the engine is learnt from the first one), so the UI thread never waits on a probe."""
        decide = getattr(self.connection, "capacity_estimated", None)
        return bool(decide(probe=False)) if decide is not None else False

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield TablesPane(id="tables")
                yield SchemaPane(id="schema")
            with Vertical(id="right"):
                yield QueryBuilder(page_size=self.config.page_size, id="builder")
                with Vertical(id="results-pane"):
                    yield ResultsView(max_cell_width=self.config.max_cell_width, id="results")
        yield AdvisorLine(id="advisor")
        yield StatusBar(self.ledger, self.connection_label, id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Thread workers run on the loop's default executor; see ddbtui.ui.threads.
        asyncio.get_running_loop().set_default_executor(QuitWithoutWaiting(thread_name_prefix=WORKER_THREADS))
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.query_one("#tables").border_title = "Tables"
        self.query_one("#schema").border_title = "Indexes"
        self.query_one("#builder").border_title = "Query"
        self.query_one("#results-pane").border_title = "Results"
        self.set_advice("")
        self.writes.show_badge()
        if self.client is not None:
            # botocore retries by itself; each retry is shown as it happens (post_message is thread-safe)
            watch_retries(self.client, lambda event: self.post_message(RetrySeen(event)))
        self.results.set_message("open a table: pick it in the tables pane and press enter")
        self.query_one(TableList).focus()
        if self.engine is not None or self.seed_demo:
            self.demo.start()
        else:
            self.tables.load_tables()
            if self.initial_table:
                self.tables.opened_initial = True
                self.open_table(self.initial_table)

    def get_line_filters(self) -> list[Any]:
        """Under NO_COLOR, ``NoColour`` instead of Textual's Monochrome (which still sends greys)."""
        filters = list(super().get_line_filters())
        if not self.no_color:
            return filters
        if not hasattr(self, "_no_colour"):
            self._no_colour = NoColour()
        return [f for f in filters if type(f).__name__ not in ("Monochrome", "NoColor")] + [self._no_colour]

    def on_retry_seen(self, message: RetrySeen) -> None:
        self.status_lines.retry_seen(message.event)

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.config.theme:
            self.config.theme = theme
            self.config.save()

    # --- what the controllers share (ddbtui.ui.host.Host) ----------------------------------------------

    @property
    def results(self) -> ResultsView:
        return self.query_one("#results", ResultsView)

    @property
    def builder(self) -> QueryBuilder:
        return self.query_one("#builder", QueryBuilder)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def schema(self) -> TableSchema | None:
        """The open table's schema."""
        return self.tables.schema

    @property
    def result(self) -> ResultSet | None:
        """The request whose rows the results pane shows."""
        return self.requests.result

    @property
    def _in_flight(self) -> bool:  # a request (or the DescribeTable of opening a table) is running
        return self.requests.in_flight

    def set_advice(self, text: str) -> None:
        """The advisor's slot: one line of advice about the request in the builder ("" hides it)."""
        self.query_one("#advisor", AdvisorLine).set_advice(text)

    def show_error(self, message: str, *, in_results: bool = True) -> None:
        """An error as literal text: a toast, and in the results pane when it holds no rows."""
        self.status_lines.show_error(message, in_results=in_results)

    def show_page_info(self, row: int | None = None) -> None:
        self.status_lines.show_page_info(row)

    def open_table(self, name: str, then: Callable[[], None] | None = None) -> None:
        """Show the table's schema and run a small first page; or, given ``then``, call it instead."""
        self.tables.open_table(name, then)

    # --- the widgets' messages ------------------------------------------------------------------------

    @on(TablesPane.TableChosen)
    def _table_chosen(self, event: TablesPane.TableChosen) -> None:
        self.open_table(event.name)
        self.results.focus()  # the data is what comes next: `n`, arrows and enter work there

    @on(SchemaPane.IndexChosen)
    def _index_chosen(self, event: SchemaPane.IndexChosen) -> None:
        self.tables.index_chosen(event.index)

    @on(QueryBuilder.Changed)
    def _builder_changed(self) -> None:
        self.advice.schedule()  # the advisor line follows the builder as the user types

    @on(QueryBuilder.RunRequested)
    def _run_requested(self) -> None:
        self.action_run()

    @on(ResultsView.CursorMoved)
    def _cursor_moved(self, event: ResultsView.CursorMoved) -> None:
        self.show_page_info(event.row)

    @on(ResultsView.SelectionChanged)
    def _selection_changed(self) -> None:
        self.show_page_info()

    @on(ResultsView.ItemSelected)
    def _open_item(self, event: ResultsView.ItemSelected) -> None:
        self.items.open_item(event.row)

    @on(ResultsView.CopyRequested)
    def _copy(self, event: ResultsView.CopyRequested) -> None:
        self.items.copy(event.row, event.column)

    @on(ResultsView.PageJump)
    def _page_jump(self, event: ResultsView.PageJump) -> None:
        self.items.page_jump(event.direction)

    # --- actions (the keys above, and the palette) ------------------------------------------------------

    def action_run(self) -> None:
        self.requests.run()

    def action_next_page(self) -> None:
        self.requests.next_page()

    def action_fetch_all(self) -> None:
        self.requests.fetch_all()

    def action_cancel(self) -> None:
        self.admin.cancel() if self.admin.busy else self.requests.cancel()  # a table change's wait first

    def action_copy_request(self) -> None:
        self.tools.copy_request()

    def action_show_request(self) -> None:
        self.tools.show_request()

    def action_history(self) -> None:
        self.tools.history()

    def action_save_query(self) -> None:
        self.saved.save()

    def action_saved_queries(self) -> None:
        self.saved.open()

    def action_report(self) -> None:
        self.tools.report()

    def action_stream(self) -> None:
        self.tools.stream()

    def action_export(self) -> None:
        self.tools.export()

    def action_metrics(self) -> None:
        self.metrics.open()

    def action_apply_advice(self) -> None:
        self.advice.apply()

    def action_create_index(self) -> None:
        self.advice.create_index_here()

    def action_advice(self) -> None:
        self.advice.show_all()

    def action_explain(self) -> None:
        self.advice.show_explain()

    def action_show_code(self) -> None:
        self.advice.show_code()

    def action_patterns(self) -> None:
        self.advice.show_patterns()

    def action_write(self, what: str) -> None:
        """``toggle``, ``undo``, ``edit``, ``new``, ``update`` or ``delete``: refused while read-only."""
        {
            "toggle": self.writes.toggle,
            "undo": self.writes.undo,
            "edit": self.writes.edit,
            "new": self.writes.new_item,
            "update": self.writes.update,
            "delete": self.writes.delete,
        }[what]()

    def action_selection(self, what: str) -> None:
        """``delete`` or ``export`` the selected rows (ddbtui.ui.selection_actions); ``import`` a file."""
        {
            "delete": self.selection.delete,
            "export": self.selection.export,
            "import": self.selection.import_file,
        }[what]()

    def action_focus_tables(self) -> None:
        self.query_one(TableList).focus()

    def action_focus_builder(self) -> None:
        for w in self.builder.query("Input, Select, TextArea"):
            if w.display and w.focusable:
                w.focus()
                return

    def action_focus_results(self) -> None:
        self.results.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[Section]:
        """Every key, by where it works, from the widgets' own bindings (so help cannot drift)."""
        return key_sections(self.BINDINGS, self._keymap)

    def palette_commands(self) -> list[PaletteCommand]:
        """Every action, for the command palette (ctrl+p)."""
        return [*workbench_commands(self), *self.saved.palette_commands(), *self.admin.palette_commands()]

    # The main screen's actions: under a dialog (the item view, the editor, a confirmation…) their keys
    # do nothing there and reach the dialog instead — ctrl+r must not run a request behind a diff, nor f5
    # stack the code view on an open editor. ctrl+q and f1 work everywhere.
    MAIN_SCREEN_ACTIONS = frozenset(
        {
            "run",
            "next_page",
            "apply_advice",
            "fetch_all",
            "show_request",
            "history",
            "save_query",
            "saved_queries",
            "explain",
            "show_code",
            "advice",
            "patterns",
            "report",
            "stream",
            "metrics",
            "focus_tables",
            "focus_builder",
            "focus_results",
            "copy_request",
            "command_palette",  # its commands are the main screen's: it would run them behind the dialog
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False
        if action == "apply_advice":
            return self.advice.can_apply  # shown in the footer only when there is something to apply
        if action == "create_index" and len(self.screen_stack) == 1:
            return self.advice.can_create_index
        return True


def run(args: argparse.Namespace) -> int:
    """``ddbtui`` without a command: connect (or start the demo backend) and run the workbench."""
    try:
        client, conn, engine = connect(args)
    except DdbtuiError as e:
        sys.stderr.write(f"ddbtui: {safe_text(str(e))}\n")
        return 2
    app = DdbtuiApp(
        client,
        conn,
        table=getattr(args, "table", None),
        engine=engine,
        seed=bool(getattr(args, "demo", False)),
        allow_writes=getattr(args, "allow_writes", None),
    )
    try:
        app.run()
    finally:
        if engine is not None:
            engine.stop()
    code = app.return_code or 0
    if requests_still_running():
        # The interpreter would join the blocked thread at exit: leave now, the terminal is restored.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


__all__ = ["DdbtuiApp", "run"]
