"""The workbench: tables, schema, query builder, results, advisor line and the session's capacity ledger.

Every AWS call runs in a thread worker; results come back through ``call_from_thread`` tagged with the
request generation they belong to, and anything from a superseded generation is dropped. The event loop
only ever appends prepared pages, so the screen keeps answering keys while a slow request runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from ddbtui.aws.catalog import list_table_names, load_schema, table_summaries
from ddbtui.aws.retries import RetryEvent, watch_retries
from ddbtui.aws.runner import PageRunner
from ddbtui.core.capacity import ConsumedCapacity, Ledger, format_cost, format_units
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.requests import BuiltRequest, ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import av_to_plain_json, item_to_plain_json, safe_text
from ddbtui.ui.advice import AdviceController
from ddbtui.ui.commands import PaletteCommand, WorkbenchCommands
from ddbtui.ui.config import Config
from ddbtui.ui.errors import describe_error
from ddbtui.ui.history import History, describe_request
from ddbtui.ui.results import PageInfo, PreparedPage, ResultSet, capacity_text, key_columns, prepare_page
from ddbtui.ui.safe import params_json
from ddbtui.ui.screens.advice_screen import AdviceScreen
from ddbtui.ui.screens.code_screen import CodeScreen
from ddbtui.ui.screens.dialogs import FetchAllScreen, HistoryScreen, RequestScreen
from ddbtui.ui.screens.explain_screen import ExplainScreen
from ddbtui.ui.screens.export_screen import ExportScreen
from ddbtui.ui.screens.help_screen import HelpScreen, Section
from ddbtui.ui.screens.item_screen import ItemScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen
from ddbtui.ui.screens.report_screen import ReportScreen
from ddbtui.ui.screens.stream_screen import StreamScreen
from ddbtui.ui.selection_actions import SelectionActions
from ddbtui.ui.widgets.advisor_line import AdvisorLine
from ddbtui.ui.widgets.query_builder import QueryBuilder
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.schema_pane import SchemaPane
from ddbtui.ui.widgets.status_bar import StatusBar
from ddbtui.ui.widgets.tables_pane import TableList, TablesPane
from ddbtui.ui.write_actions import WriteActions


class RetrySeen(Message):
    """botocore is about to retry a request (sent from the worker thread that made it)."""

    def __init__(self, event: RetryEvent) -> None:
        super().__init__()
        self.event = event


class DdbtuiApp(App[int]):
    """The ddbtui workbench. ``client`` is a boto3 DynamoDB client built on the main thread."""

    CSS_PATH = "app.tcss"
    TITLE = "ddbtui"
    COMMANDS: ClassVar = App.COMMANDS | {WorkbenchCommands}
    ENABLE_COMMAND_PALETTE = True

    # description: the footer's word; tooltip: the sentence f1 shows.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r", "run", "Run", priority=True, id="run", tooltip="Run the builder's request (first page)"
        ),
        Binding("n", "next_page", "Next", id="next_page", tooltip="Fetch the next page (not while typing)"),
        Binding(
            "a",
            "apply_advice",
            "Apply",
            id="apply_advice",
            tooltip="Apply the advisor's suggestion to the builder (not while typing)",
        ),
        Binding(
            "ctrl+n",
            "next_page",
            "Next",
            show=False,
            priority=True,
            id="next_page_anywhere",
            tooltip="Fetch the next page, even while typing",
        ),
        Binding(
            "ctrl+f",
            "fetch_all",
            "All",
            priority=True,
            id="fetch_all",
            tooltip="Fetch all pages, up to a capacity cap",
        ),
        Binding(
            "escape", "cancel", "Cancel", id="cancel", tooltip="Cancel the request in flight; close a dialog"
        ),
        Binding("f1", "help", "Help", id="help", tooltip="This list of keys"),
        Binding(
            "f2", "show_request", "Request", id="show_request", tooltip="The request's exact boto3 parameters"
        ),
        Binding("f3", "history", "History", id="history", tooltip="Recent requests of this table, to recall"),
        Binding(
            "f4", "explain", "Explain", id="explain", tooltip="What the request reads, discards and costs"
        ),
        Binding(
            "f5", "show_code", "Code", id="show_code", tooltip="The request as boto3, AWS CLI, PartiQL code"
        ),
        Binding("f6", "advice", "Advice", id="advice", tooltip="Every suggestion of the advisor, to apply"),
        Binding(
            "f7", "patterns", "Patterns", id="patterns", tooltip="Access patterns of the demo data, to load"
        ),
        Binding(
            "f8",
            "report",
            "Report",
            id="report",
            tooltip="Table report: findings, configuration, distribution",
        ),
        Binding("f9", "stream", "Stream", id="stream", tooltip="Tail the open table's stream live"),
        Binding(
            "ctrl+t",
            "focus_tables",
            "Tables",
            show=False,
            priority=True,
            id="focus_tables",
            tooltip="Go to the tables pane",
        ),
        Binding(
            "ctrl+b",
            "focus_builder",
            "Builder",
            show=False,
            priority=True,
            id="focus_builder",
            tooltip="Go to the query builder",
        ),
        Binding(
            "ctrl+l",
            "focus_results",
            "Results",
            show=False,
            priority=True,
            id="focus_results",
            tooltip="Go to the results",
        ),
        Binding(
            "ctrl+y",
            "copy_request",
            "Copy request",
            show=False,
            id="copy_request",
            tooltip="Copy the request as JSON",
        ),
        Binding(
            "ctrl+w",
            "write('toggle')",
            "Writes",
            show=False,
            id="toggle_writes",
            tooltip="Writes on (asks first) / off; read-only by default",
        ),
        Binding(
            "ctrl+z",
            "write('undo')",
            "Undo",
            show=False,
            id="undo",
            tooltip="Undo the last write (asks first)",
        ),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit", tooltip="Quit"),
    ]

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
        self.estimate = bool(getattr(connection, "estimate_capacity", False))
        self.schema: TableSchema | None = None
        self.result: ResultSet | None = None
        self._generation = 0
        self._cancel = threading.Event()
        self._in_flight = False
        self._fetching_all = False
        self._opened_initial = False
        self._after_open: Callable[[], None] | None = None
        self._last_retry_toast = float("-inf")
        self.advice = AdviceController(self)
        self.writes = WriteActions(self, allow_writes)  # read-only unless --allow-writes
        self.selection = SelectionActions(self, self.writes)  # delete / export the selected rows, import
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # --- layout ---------------------------------------------------------------------------------------

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
        # Thread workers run on the loop's default executor; see _QuitWithoutWaiting.
        asyncio.get_running_loop().set_default_executor(
            _QuitWithoutWaiting(thread_name_prefix=WORKER_THREADS)
        )
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
            self._start_demo()
        else:
            self.load_tables()
            if self.initial_table:
                self._opened_initial = True
                self.open_table(self.initial_table)

    def on_retry_seen(self, message: RetrySeen) -> None:
        text = message.event.describe()
        self.status.set_retry(text)
        now = time.monotonic()
        if now - self._last_retry_toast >= 3.0:  # a throttled parallel scan retries many times a second
            self._last_retry_toast = now
            self.notify(safe_text(text), title="retrying", severity="warning", timeout=4, markup=False)

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.config.theme:
            self.config.theme = theme
            self.config.save()

    @property
    def results(self) -> ResultsView:
        return self.query_one("#results", ResultsView)

    @property
    def builder(self) -> QueryBuilder:
        return self.query_one("#builder", QueryBuilder)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def set_advice(self, text: str) -> None:
        """The advisor's slot: one line of advice about the request in the builder ("" hides it)."""
        self.query_one("#advisor", AdvisorLine).set_advice(text)

    def show_error(self, message: str, *, in_results: bool = True) -> None:
        """An error as literal text: a toast, and in the results pane when it holds no rows."""
        self.notify(safe_text(message), title="Error", severity="error", markup=False, timeout=10)
        if in_results and not self.results.rows:
            self.results.set_message(Text("✗ " + safe_text(message), style="bold red"))
        self.status.set_activity("")

    # --- tables ---------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def load_tables(self) -> None:
        """ListTables at once, then DescribeTable for billing mode and item counts."""
        try:
            names = list_table_names(self.client)
            self.call_from_thread(self._tables_listed, names, None)
            summaries = table_summaries(self.client, names)
            self.call_from_thread(self._tables_listed, names, summaries)
        except Exception as e:  # noqa: BLE001 - any failure is shown; the app keeps running
            self._report_from_thread(None, e)

    def _tables_listed(self, names: list[str], summaries: list[TableSchema] | None) -> None:
        pane = self.query_one(TablesPane)
        pane.set_tables(names, summaries)
        if self.initial_table and self.initial_table in names and not summaries:
            pane.select(self.initial_table)
        if not names and summaries is None:
            self.results.set_message("no tables in this account and region")

    @on(TablesPane.TableChosen)
    def _table_chosen(self, event: TablesPane.TableChosen) -> None:
        self.open_table(event.name)
        self.results.focus()  # the data is what comes next: `n`, arrows and enter work there

    def open_table(self, name: str, then: Callable[[], None] | None = None) -> None:
        """Show the table's schema and run a small first page (a Scan); or, given ``then``, call it
        instead of running anything (an access pattern loads itself into the builder)."""
        gen = self._new_generation()
        self._after_open = then
        self.results.reset(message=f"opening {safe_text(name)}…")
        self._clear_page_info()
        self.status.set_activity(f"DescribeTable {name}…", busy=True)
        self._in_flight = True
        self._load_schema(name, gen)

    @work(thread=True, exclusive=True, group="request", exit_on_error=False)
    def _load_schema(self, name: str, gen: int) -> None:
        try:
            schema = load_schema(self.client, name)
        except Exception as e:  # noqa: BLE001
            self._report_from_thread(gen, e)
            return
        if getattr(self.connection, "demo", False):
            from ddbtui.aws.demo_data import sized_schema

            schema = sized_schema(schema)  # the emulator reports no sizes: the demo data's, for estimates
        self.call_from_thread(self._schema_loaded, gen, schema)

    def _schema_loaded(self, gen: int, schema: TableSchema) -> None:
        if gen != self._generation:
            return
        self.schema = schema
        self.query_one(TablesPane).mark_open(schema.name)
        self.query_one(SchemaPane).show(schema)
        self.query_one("#schema").border_title = Text(f"Indexes · {safe_text(schema.name)}")
        first = ReadRequest("scan", schema.name, page_size=self.config.page_size)
        self.builder.set_schema(schema, first)
        then, self._after_open = self._after_open, None
        if then is not None:
            self._in_flight = False
            self.result = None
            self.status.set_activity("")
            self.results.set_message("ctrl+r runs the request in the builder")
            then()
            return
        built = build(first.with_(max_pages=1), schema)
        self._start_request(built, schema, start=None, append=False)

    @on(SchemaPane.IndexChosen)
    def _index_chosen(self, event: SchemaPane.IndexChosen) -> None:
        if self.schema is None:
            return
        # an index: a Query on it (its partition key next); the table: a Scan of it
        op = "query" if event.index else "scan"
        request = ReadRequest(op, self.schema.name, index=event.index, page_size=self.config.page_size)
        self.builder.load_request(request)
        if op == "query":
            self.builder.query_one("#qb-pk", Input).focus()

    # --- requests -------------------------------------------------------------------------------------

    def _new_generation(self) -> int:
        """Supersede whatever is in flight: its pages will be dropped when they arrive."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._generation += 1
        self._fetching_all = False
        return self._generation

    def action_run(self) -> None:
        """Run the request in the builder: its first page (``n`` fetches more)."""
        builder = self.builder
        if builder.built is None:
            self.show_error(builder.error or "nothing to run: open a table first", in_results=False)
            return
        built = builder.built
        self.history.add(built.request)
        self._start_request(self._one_page(built), builder.schema, start=None, append=False)

    @on(QueryBuilder.Changed)
    def _builder_changed(self) -> None:
        self.advice.schedule()  # the advisor line follows the builder as the user types

    @on(QueryBuilder.RunRequested)
    def _run_requested(self) -> None:
        self.action_run()

    def _one_page(self, built: BuiltRequest, limit: int | None = None) -> BuiltRequest:
        req = built.request.with_(max_pages=1, limit=limit if limit is not None else built.request.limit)
        return dataclasses.replace(built, request=req)

    def _start_request(
        self,
        built: BuiltRequest,
        schema: TableSchema | None,
        *,
        start: dict[int, Any] | None,
        append: bool,
        cap: float | None = None,
    ) -> None:
        fetching_all = cap is not None
        gen = self._new_generation()
        self._fetching_all = fetching_all
        if not append or self.result is None:
            self.result = ResultSet(built, schema, gen)
            self.results.reset(key_columns(schema, built.request.index), message="")
            self._clear_page_info()
        self.result.generation = gen
        self._in_flight = True
        label = {"query": "Query", "scan": "Scan", "get_item": "GetItem", "execute_statement": "PartiQL"}
        what = label.get(built.api, built.api)
        self.status.set_activity(
            f"{'fetching all' if fetching_all else 'running ' + what}… escape cancels", busy=True
        )
        if not self.results.rows:
            self._set_loading(True)
        room = self.config.max_rows - len(self.results.rows)
        self._fetch(gen, built, schema, start, self._cancel, cap, self.config.max_cell_width, room)

    @work(thread=True, exclusive=True, group="request", exit_on_error=False)
    def _fetch(
        self,
        gen: int,
        built: BuiltRequest,
        schema: TableSchema | None,
        start: dict[int, Any] | None,
        cancel: threading.Event,
        cap: float | None,
        max_width: int,
        room: int | None = None,
    ) -> None:
        """Pages of one request, prepared here (off the event loop) and handed to the UI one by one.

        Stops at the capacity ``cap`` (fetch all) or once ``room`` more items are kept (the results
        pane's row limit, so a fetch-all of a huge table can't exhaust memory): a page is kept whole, so
        the resume point stays exact."""
        worker = get_current_worker()
        runner = PageRunner(self.client, built, schema, cancel, start)
        table = built.request.table or "(partiql)"
        billing = schema.billing_mode if schema else None
        used = 0.0
        kept = 0
        capped = ""  # why reading stopped early: "capacity" or "rows"
        try:
            for page in runner.pages():
                capacity = page.capacity(self.estimate)
                if capacity is not None:
                    # recorded even when the page is dropped: the capacity was consumed all the same
                    self.ledger.record(built.api, table, capacity, billing_mode=billing)
                    used += capacity.total
                if worker.is_cancelled or cancel.is_set():
                    return
                prepared = prepare_page(page.items, max_width)
                self.call_from_thread(
                    self._page_arrived, gen, page, capacity, prepared, dict(runner.state.resume)
                )
                kept += len(page.items)
                if cap is not None and used >= cap:
                    capped = "capacity"
                    break
                if room is not None and kept >= room:
                    capped = "rows"
                    break
        except Exception as e:  # noqa: BLE001 - AWS errors are shown, the app keeps running
            self._report_from_thread(gen, e)
            return
        resume = dict(runner.state.resume)
        exhausted = runner.state.exhausted if not capped else all(v is None for v in resume.values())
        self.call_from_thread(self._request_done, gen, resume, exhausted, capped)

    def _set_loading(self, loading: bool) -> None:
        """The results' spinner. The footer drops a loading widget's keys and does not notice their
        return by itself, so the bindings are refreshed too."""
        if self.results.loading != loading:
            self.results.loading = loading
            self.refresh_bindings()

    def _report_from_thread(self, gen: int | None, error: BaseException) -> None:
        with contextlib.suppress(RuntimeError):  # the app is gone
            self.call_from_thread(self._request_failed, gen, error)

    def _page_arrived(
        self,
        gen: int,
        page: Any,
        capacity: ConsumedCapacity | None,
        prepared: PreparedPage,
        resume: dict[int, Any],
    ) -> None:
        if gen != self._generation or self.result is None:
            return  # a superseded request: drop it
        result = self.result
        first_row = len(self.results.rows)
        result.add_page(
            PageInfo(
                len(result.pages) + 1,
                first_row,
                len(prepared.items),
                page.count,
                page.scanned_count,
                capacity,
                page.seconds,
                page.has_more,
            )
        )
        result.resume = resume
        self._set_loading(False)
        self.results.append(prepared)
        if len(result.pages) > 1 and not self._fetching_all:
            self.results.move_to(first_row)
        if self._fetching_all:
            self.status.set_activity(
                f"fetching all: {result.items:,} items · {len(result.pages)} pages · "
                f"{capacity_text(result.capacity)} · {format_cost(self._cost_of(result.capacity))} — escape cancels",
                busy=True,
            )
        self.status.render_status()
        self._show_page_info()

    def _cost_of(self, capacity: ConsumedCapacity | None) -> float:
        if capacity is None:
            return 0.0
        from ddbtui.core import prices

        billing = self.schema.billing_mode if self.schema else None
        return prices.price_for(self.ledger.region, billing).cost(capacity.total, 0.0)

    def _request_done(self, gen: int, resume: dict[int, Any], exhausted: bool, capped: str) -> None:
        if gen != self._generation or self.result is None:
            return
        self._in_flight = False
        self._fetching_all = False
        self._set_loading(False)
        self.result.resume = resume
        self.result.exhausted = exhausted
        if not self.results.rows:
            scanned = self.result.scanned
            self.results.set_message(
                f"no items (scanned {scanned:,})" + (" · more pages: n" if self.result.has_more else "")
            )
        if capped == "rows" and not exhausted:
            text = self._row_limit_text()
            self.status.set_activity(text)
            self.notify(text, title="row limit", severity="warning", timeout=8, markup=False)
        elif capped == "capacity":
            self.status.set_activity(f"stopped at the capacity cap ({capacity_text(self.result.capacity)})")
            self.notify("fetch all stopped at the capacity cap", markup=False)
        else:
            self.status.set_activity("")
        self._show_page_info()
        self.advice.after_run(self.result, self.results.rows)

    def _request_failed(self, gen: int | None, error: BaseException) -> None:
        if gen is not None and gen != self._generation:
            return
        if gen is not None:
            self._in_flight = False
            self._fetching_all = False
            self._set_loading(False)
        self.show_error(describe_error(error))
        self.status.render_status()

    def _clear_page_info(self) -> None:
        pane = self.query_one("#results-pane")
        pane.border_title = "Results"
        pane.border_subtitle = None

    def _show_page_info(self, row: int | None = None) -> None:
        result = self.result
        if result is None:
            return
        row = self.results.cursor_row if row is None else row
        page = result.page_of_row(row)
        # The page under the cursor (title): its Count / ScannedCount / capacity; the totals below.
        pane = self.query_one("#results-pane")
        if page is None:
            pane.border_title = "Results"
        else:
            pane.border_title = Text(
                f"p{page.number}/{len(result.pages)} Count {page.count:,} · Scanned {page.scanned:,} · "
                + capacity_text(page.capacity)
            )
        total = f"{result.items:,} items"
        selected = len(self.results.selected)
        if selected:
            total = f"{selected:,} selected · {total}"
        if len(result.pages) > 1 and result.capacity is not None:
            total += (
                f" · {format_units(result.capacity.total)} RCU{' est.' if result.capacity.estimated else ''}"
            )
        if result.has_more:
            total += " · more: n"
        elif result.pages:
            total += " · end"
        pane.border_subtitle = Text(total)

    @on(ResultsView.CursorMoved)
    def _cursor_moved(self, event: ResultsView.CursorMoved) -> None:
        self._show_page_info(event.row)

    @on(ResultsView.SelectionChanged)
    def _selection_changed(self) -> None:
        self._show_page_info()

    def action_next_page(self) -> None:
        """``n``: one more page of the current request, appended (earlier pages stay)."""
        result = self.result
        if result is None:
            self.show_error("nothing to page: run a request first (ctrl+r)", in_results=False)
            return
        if self._in_flight:
            self.notify("a request is running (escape cancels it)", markup=False)
            return
        if not result.has_more:
            if result.built.api == "get_item":
                self.notify("a GetItem reads one item: there are no pages to fetch", markup=False)
            else:
                self.notify("no more pages: that was the end of the results", markup=False)
            return
        if len(self.results.rows) >= self.config.max_rows:
            self.notify(self._row_limit_text(), title="row limit", severity="warning", markup=False)
            return
        limit = result.built.request.limit
        if limit is not None:
            limit -= result.items
            if limit <= 0:
                self.notify("the limit is reached (clear limit in the builder for more)", markup=False)
                return
        start = dict(result.resume)  # finished segments (None) are not read again
        self._start_request(self._one_page(result.built, limit), result.schema, start=start, append=True)

    def _row_limit_text(self) -> str:
        return (
            f"stopped at {len(self.results.rows):,} items: the results pane keeps at most "
            f"{self.config.max_rows:,} (max_rows in config.json). For the whole table, export it "
            "(command palette: Export), or narrow the request with a key or filter"
        )

    def action_fetch_all(self) -> None:
        """Read every remaining page, up to a capacity cap asked for first."""
        if self._in_flight:
            self.notify("a request is running (escape cancels it)", markup=False)
            return
        builder = self.builder
        continuing = self.result is not None and self.result.has_more
        built = self.result.built if continuing and self.result else builder.built
        if built is None:
            self.show_error(builder.error or "nothing to fetch: open a table first", in_results=False)
            return

        def start(cap: float | None) -> None:
            if cap is None:
                return
            self.config.fetch_all_cap = cap
            req = built.request.with_(max_pages=None)
            full = dataclasses.replace(built, request=req)
            if continuing and self.result is not None:
                start_keys = dict(self.result.resume)
                limit = req.limit - self.result.items if req.limit is not None else None
                full = dataclasses.replace(built, request=req.with_(limit=limit))
                self._start_request(full, self.result.schema, start=start_keys, append=True, cap=cap)
            else:
                self.history.add(built.request)
                self._start_request(full, builder.schema, start=None, append=False, cap=cap)

        self.push_screen(FetchAllScreen(self.config.fetch_all_cap, self._fetch_all_estimate(built)), start)

    def _fetch_all_estimate(self, built: BuiltRequest) -> str:
        schema = self.schema
        what = "the rest of this request" if self.result is not None and self.result.has_more else "all pages"
        if schema is None or built.api != "scan":
            return f"Reads {what}. Its cost depends on how many items the key condition matches."
        size = schema.size_bytes or 0
        if not size and schema.item_count and self.results.rows:
            from ddbtui.core.capacity import item_size

            sample = self.results.rows[:200]
            size = int(sum(item_size(i) for i in sample) / len(sample) * schema.item_count)
        if not size:
            return f"Reads {what} of {schema.name}; its size is unknown."
        per = 1.0 if built.consistent else 0.5
        rcu = -(-size // 4096) * per
        items = f"{schema.item_count:,} items, " if schema.item_count else ""
        return f"A full Scan of {schema.name} ({items}~{size / 1e6:,.1f} MB) costs about {format_units(rcu)} RCU."

    def action_cancel(self) -> None:
        """``escape``: cancel the request in flight (its late pages are dropped)."""
        if not self._in_flight:
            return
        self._new_generation()
        self.workers.cancel_group(self, "request")
        self._in_flight = False
        self._set_loading(False)
        if not self.results.rows:
            self.results.set_message("cancelled")
        self.status.set_activity("cancelled")
        self._show_page_info()

    # --- items and clipboard --------------------------------------------------------------------------

    @on(ResultsView.ItemSelected)
    def _open_item(self, event: ResultsView.ItemSelected) -> None:
        item = self.results.rows[event.row]
        schema = self.result.schema if self.result else self.schema
        self.push_screen(ItemScreen(item, schema, now=self.clock()))

    @on(ResultsView.CopyRequested)
    def _copy(self, event: ResultsView.CopyRequested) -> None:
        item = self.results.rows[event.row]
        if event.column is None:
            self.copy_to_clipboard(item_to_plain_json(item))
            self.notify("item copied to the clipboard as JSON (OSC 52)", timeout=2, markup=False)
            return
        av = item.get(event.column)
        text = "" if av is None else av["S"] if "S" in av else av_to_plain_json(av)
        self.copy_to_clipboard(text)
        self.notify("cell copied to the clipboard (OSC 52)", timeout=2, markup=False)

    @on(ResultsView.PageJump)
    def _page_jump(self, event: ResultsView.PageJump) -> None:
        result = self.result
        if result is None or not result.pages:
            return
        page = result.page_of_row(self.results.cursor_row)
        number = (page.number if page else 1) + event.direction
        if 1 <= number <= len(result.pages):
            self.results.move_to(result.pages[number - 1].first_row)  # kept pages: no request

    def action_copy_request(self) -> None:
        built = self.builder.built
        if built is None:
            self.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        self.copy_to_clipboard(params_json(built.params, indent=2))
        self.notify("request copied to the clipboard as JSON (OSC 52)", timeout=2, markup=False)

    def action_show_request(self) -> None:
        built = self.builder.built
        if built is None:
            self.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        self.push_screen(RequestScreen(built.api, built.params))

    # --- advisor, explain, code, access patterns (ddbtui.ui.advice) --------------------------------------

    def action_apply_advice(self) -> None:
        self.advice.apply()

    def action_advice(self) -> None:
        self.advice.show_all()

    def action_explain(self) -> None:
        self.advice.show_explain()

    def action_show_code(self) -> None:
        self.advice.show_code()

    def action_patterns(self) -> None:
        self.advice.show_patterns()

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
            "explain",
            "show_code",
            "advice",
            "patterns",
            "report",
            "stream",
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
        return True

    # --- table report, stream tail, export (ddbtui.ui.screens.report/stream/export_screen) ----------------

    def _open_table_name(self) -> str | None:
        if self.schema is None:
            self.notify("open a table first", markup=False, timeout=3)
            return None
        return self.schema.name

    def action_report(self) -> None:
        table = self._open_table_name()
        if table is not None:
            self.push_screen(ReportScreen(self.client, self.connection, table))

    def action_stream(self) -> None:
        table = self._open_table_name()
        if table is not None:
            self.push_screen(StreamScreen(self.client, self.connection, table))

    def action_export(self) -> None:
        """The builder's table and filter (a Scan of every item the filter keeps) to a file."""
        table = self._open_table_name()
        if table is None:
            return
        filter_, names, values = None, None, None
        try:
            req = self.builder.request()
        except DdbtuiError as e:
            self.show_error(str(e), in_results=False)
            return
        if req.table == table:
            filter_, names, values = req.filter or None, req.names or None, req.values or None
        self.push_screen(
            ExportScreen(
                self.client,
                table,
                filter=filter_,
                names=names,
                values=values,
                estimate_capacity=self.estimate,
            )
        )

    # --- writes (ddbtui.ui.write_actions) ----------------------------------------------------------------

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

    def action_history(self) -> None:
        table = self.schema.name if self.schema else None
        requests = self.history.recent(table)
        title = f"Recent requests · {table}" if table else "Recent requests"

        def load(req: ReadRequest | None) -> None:
            if req is None:
                return
            if self.schema is not None and req.table == self.schema.name or req.operation == "sql":
                self.builder.load_request(req)
                self.builder.focus()
            else:
                self.notify(f"open {safe_text(req.table)} first", markup=False)

        self.push_screen(HistoryScreen(requests, title), load)

    # --- focus, help, palette -------------------------------------------------------------------------

    def action_focus_tables(self) -> None:
        self.query_one(TableList).focus()

    def action_focus_builder(self) -> None:
        builder = self.builder
        for w in builder.query("Input, Select, TextArea"):
            if w.display and w.focusable:
                w.focus()
                return

    def action_focus_results(self) -> None:
        self.results.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_sections()))

    def _keys(self, binding: Binding) -> str:
        keys = self._keymap.get(binding.id, binding.key) if binding.id else binding.key
        return ", ".join(self._key_name(k.strip()) for k in keys.split(","))

    @staticmethod
    def _key_name(key: str) -> str:
        return {"left_square_bracket": "[", "right_square_bracket": "]", "slash": "/"}.get(key, key)

    def key_sections(self) -> list[Section]:
        """Every key, by where it works, from the widgets' own bindings (so help cannot drift)."""

        def rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
            return [
                (self._keys(b), b.tooltip or b.description)
                for b in bindings
                if isinstance(b, Binding) and b.description
            ]

        return [
            (
                "Everywhere",
                [
                    *rows(self.BINDINGS),
                    ("ctrl+p", "Command palette (every action)"),
                    ("tab, shift+tab", "Next / previous pane or field"),
                ],
            ),
            (
                "Tables pane",
                [
                    ("type", "Filter the tables"),
                    ("up, down", "Move"),
                    ("enter", "Open the table: schema + a first page"),
                    *rows(TableList.BINDINGS),
                ],
            ),
            ("Indexes pane", [("enter", "Query this index in the builder")]),
            (
                "Query builder",
                [
                    ("enter", "Run (in any field)"),
                    ("up, down, enter", "Open a picker (index, operation, sort-key operator)"),
                    ("space", "Toggle a checkbox"),
                ],
            ),
            (
                "Results",
                [
                    ("up, down, pgup, pgdn", "Move the cursor"),
                    ("home, end", "First / last row"),
                    ("left, right", "Move the cell cursor"),
                    *rows([b for b in ResultsView.BINDINGS if isinstance(b, Binding) and b.tooltip]),
                ],
            ),
            ("Item view", rows(ItemScreen.BINDINGS)),
            (
                "Dialogs",
                [
                    *rows(FetchAllScreen.BINDINGS),
                    *rows(RequestScreen.BINDINGS),
                    *rows(HistoryScreen.BINDINGS),
                    *rows(HelpScreen.BINDINGS),
                ],
            ),
            (
                "Advisor views",
                [
                    ("enter", "Advice: apply the suggestion · Patterns: load the pattern"),
                    *rows(
                        [
                            b
                            for screen in (AdviceScreen, ExplainScreen, CodeScreen, PatternsScreen)
                            for b in screen.BINDINGS
                            if isinstance(b, Binding) and b.key not in ("escape", "enter")
                        ]
                    ),
                ],
            ),
            ("Item editor and write dialogs", self.writes.help_rows(rows)),
            ("Batch actions", self.selection.help_rows(rows)),
            (
                "Report, stream and export",
                [
                    *rows(ReportScreen.BINDINGS),
                    *rows(StreamScreen.BINDINGS),
                    ("enter", "Export dialog: start the export"),
                    *rows(ExportScreen.BINDINGS),
                ],
            ),
        ]

    def palette_commands(self) -> list[PaletteCommand]:
        """Every action, for the command palette (ctrl+p)."""
        cmds = [
            PaletteCommand(
                "Run the request",
                "ctrl+r: send the builder's request (first page)",
                self.action_run,
            ),
            PaletteCommand("Next page", "n: fetch the next page of the results", self.action_next_page),
            PaletteCommand(
                "Fetch all pages",
                "ctrl+f: read to the end, up to a capacity cap",
                self.action_fetch_all,
            ),
            PaletteCommand("Cancel the request", "escape: stop the request in flight", self.action_cancel),
            PaletteCommand(
                "Show the request parameters", "f2: the exact boto3 parameters", self.action_show_request
            ),
            PaletteCommand(
                "Copy the request as JSON",
                "ctrl+y: the boto3 parameters, to the clipboard",
                self.action_copy_request,
            ),
            PaletteCommand(
                "Open the item under the cursor", "enter in the results", self.results.action_open_item
            ),
            PaletteCommand("Copy the item as JSON", "y in the results", self.results.action_copy_item),
            PaletteCommand("Copy the cell", "c in the results", self.results.action_copy_cell),
            PaletteCommand(
                "Previous fetched page",
                "[ in the results: no request",
                lambda: self.results.action_page_start(-1),
            ),
            PaletteCommand(
                "Next fetched page", "] in the results: no request", lambda: self.results.action_page_start(1)
            ),
            PaletteCommand("Query history", "f3: recall a recent request", self.action_history),
            PaletteCommand("Refresh the tables list", "ListTables again", self.load_tables),
            PaletteCommand("Focus the tables", "ctrl+t", self.action_focus_tables),
            PaletteCommand("Focus the query builder", "ctrl+b", self.action_focus_builder),
            PaletteCommand("Focus the results", "ctrl+l", self.action_focus_results),
            PaletteCommand("Help: every key", "f1", self.action_help),
            PaletteCommand(
                "Table report", "f8: findings, configuration and key distribution", self.action_report
            ),
            PaletteCommand("Tail stream", "f9: the open table's stream, live", self.action_stream),
            PaletteCommand(
                "Export results to file…",
                "the builder's table and filter to JSON Lines, CSV or DynamoDB JSON",
                self.action_export,
            ),
            *self.advice.palette_commands(),
            *self.writes.palette_commands(),
            *self.selection.palette_commands(),
        ]
        for name in self.query_one(TablesPane).names:
            cmds.append(
                PaletteCommand(
                    f"Open table {name}", "show its schema and a first page", _bind(self.open_table, name)
                )
            )
        if self.schema is not None:
            for req in self.history.recent(self.schema.name)[:20]:
                cmds.append(
                    PaletteCommand(
                        f"Recall: {describe_request(req)}",
                        "load into the builder",
                        _bind(self.builder.load_request, req),
                    )
                )
        return cmds

    # --- demo backend -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="seed", exit_on_error=False)
    def _start_demo(self) -> None:
        """Start the embedded engine and load the demo data while the screen is already up."""
        try:
            if self.engine is not None:
                self.call_from_thread(self.status.set_activity, "starting the demo backend…", True)
                if self.engine.proc is None:
                    self.engine.spawn()
                self.engine.wait_ready()
            from ddbtui.aws import demo_data
            from ddbtui.aws.seed import create_tables, seed

            create_tables(self.client)
            names = demo_data.table_names()
            # the table asked for with --table is loaded first and opened once it is whole: opened while
            # still empty, its first page would say "no items" of a table that is about to have thousands
            first = [t for t in names if t == self.initial_table]
            self.call_from_thread(self._demo_tables_ready, not first)
            total = sum(demo_data.item_count(t) for t in names)
            before = 0
            last = 0.0

            def progress(done: int, _total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if now - last > 0.2 or before + done >= total:
                    last = now
                    self.call_from_thread(
                        self.status.set_activity,
                        f"seeding demo data {before + done:,}/{total:,} items",
                        before + done < total,
                    )

            for group in (first, [t for t in names if t not in first]):
                if group:
                    seed(self.client, tables=group, progress=progress)
                    before += sum(demo_data.item_count(t) for t in group)
                if group is first and first:
                    self.call_from_thread(self._open_initial)
        except Exception as e:  # noqa: BLE001
            self._report_from_thread(None, e)
            return
        self.call_from_thread(self._demo_seeded)

    def _demo_tables_ready(self, open_initial: bool) -> None:
        self.load_tables()
        if open_initial:  # not a demo table: opening it says so at once
            self._open_initial()

    def _open_initial(self) -> None:
        if self.initial_table and not self._opened_initial:
            self._opened_initial = True
            self.open_table(self.initial_table)

    def _demo_seeded(self) -> None:
        if not self._in_flight:
            self.status.set_activity("demo data ready")
        self.load_tables()
        self._open_initial()


WORKER_THREADS = "ddbtui-worker"


class _QuitWithoutWaiting(ThreadPoolExecutor):
    """The executor of the app's thread workers, whose shutdown does not wait for them.

    A thread blocked in an HTTP request cannot be interrupted; the stock executor makes ``ctrl+q`` wait
    for it (up to the read timeout, times the retries). Its result would be dropped anyway.
    """

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


def _requests_still_running() -> bool:
    """True when a worker thread is still inside a request after the app has closed."""
    busy = [t for t in threading.enumerate() if t.name.startswith(WORKER_THREADS) and t.is_alive()]
    for t in busy:
        t.join(0.2)  # idle pool threads leave as soon as they see the shutdown
    return any(t.is_alive() for t in busy)


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)


def run(args: argparse.Namespace) -> int:
    """``ddbtui`` without a command: connect (or start the demo backend) and run the workbench."""
    from ddbtui.aws.session import Connection, demo_connection, make_client, retry_settings

    demo = bool(getattr(args, "demo", False))
    capacity = getattr(args, "capacity", None) or "auto"
    engine = None
    try:
        if demo:
            from ddbtui.aws.embedded import DynamoDBLocal, MotoServer

            engine = DynamoDBLocal() if getattr(args, "engine", None) == "dynamodb-local" else MotoServer()
            # The engine's process starts now and is waited for (and seeded) in a worker once the screen
            # is up; its port is known, so the client is built here, on the main thread.
            engine.spawn()
            conn = demo_connection(engine.endpoint_url, capacity, **retry_settings(args))
        else:
            if getattr(args, "engine", None):
                raise DdbtuiError("--engine selects the embedded backend of --demo")
            conn = Connection(
                profile=getattr(args, "profile", None),
                region=getattr(args, "region", None),
                endpoint_url=getattr(args, "endpoint_url", None),
                capacity_mode=capacity,
                **retry_settings(args),
            )
        client = make_client(conn)
    except DdbtuiError as e:
        if engine is not None:
            engine.stop()
        sys.stderr.write(f"ddbtui: {safe_text(str(e))}\n")
        return 2
    app = DdbtuiApp(
        client,
        conn,
        table=getattr(args, "table", None),
        engine=engine,
        seed=demo,
        allow_writes=getattr(args, "allow_writes", None),
    )
    try:
        app.run()
    finally:
        if engine is not None:
            engine.stop()
    code = app.return_code or 0
    if _requests_still_running():
        # The interpreter would join the blocked thread at exit: leave now, the terminal is restored.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


__all__ = ["DdbtuiApp", "run"]
