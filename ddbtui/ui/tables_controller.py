"""The tables pane and the open table: ListTables (then DescribeTable for billing mode and item counts),
opening a table (its schema into the indexes pane and the builder, then a small first page), and the
indexes pane's choice of an index to query.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Input

from ddbtui.aws.catalog import list_table_names, load_schema, table_summaries
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.ui.host import Host
from ddbtui.ui.requests_controller import RequestsController
from ddbtui.ui.status import StatusLines
from ddbtui.ui.widgets.schema_pane import SchemaPane
from ddbtui.ui.widgets.tables_pane import TablesPane


class TablesController:
    """The tables list and the open table's schema. ``initial_table``: the one ``--table`` asked for."""

    def __init__(
        self, app: Host, requests: RequestsController, lines: StatusLines, initial_table: str | None
    ) -> None:
        self.app = app
        self.requests = requests
        self.lines = lines
        self.initial_table = initial_table
        self.schema: TableSchema | None = None
        self.opened_initial = False
        self._after_open: Callable[[], None] | None = None

    @property
    def names(self) -> list[str]:
        """The tables listed in the tables pane."""
        return self.app.query_one(TablesPane).names

    # --- the tables list ----------------------------------------------------------------------------

    def load_tables(self) -> None:
        """ListTables at once, then DescribeTable for billing mode and item counts (in a thread worker)."""
        self.app.run_worker(
            self._load_tables,
            name="load_tables",
            group="catalog",
            exit_on_error=False,
            exclusive=True,
            thread=True,
        )

    def _load_tables(self) -> None:
        app = self.app
        try:
            names = list_table_names(app.client)
            app.call_from_thread(self._tables_listed, names, None)
            summaries = table_summaries(app.client, names)
            app.call_from_thread(self._tables_listed, names, summaries)
        except Exception as e:  # noqa: BLE001 - any failure is shown; the app keeps running
            self.requests.report_from_thread(None, e)

    def _tables_listed(self, names: list[str], summaries: list[TableSchema] | None) -> None:
        pane = self.app.query_one(TablesPane)
        pane.set_tables(names, summaries)
        if self.initial_table and self.initial_table in names and not summaries:
            pane.select(self.initial_table)
        if not names and summaries is None:
            self.app.results.set_message("no tables in this account and region")

    def open_initial(self) -> None:
        """Open the table ``--table`` asked for, once."""
        if self.initial_table and not self.opened_initial:
            self.opened_initial = True
            self.open_table(self.initial_table)

    # --- opening a table ----------------------------------------------------------------------------

    def open_table(self, name: str, then: Callable[[], None] | None = None) -> None:
        """Show the table's schema and run a small first page (a Scan); or, given ``then``, call it
        instead of running anything (an access pattern loads itself into the builder)."""
        app = self.app
        gen = self.requests.new_generation()
        self._after_open = then
        app.results.reset(message=f"opening {safe_text(name)}…")
        self.lines.clear_page_info()
        app.status.set_activity(f"DescribeTable {name}…", busy=True)
        self.requests.in_flight = True
        # the request group: opening a table supersedes the request in flight, and escape cancels it
        app.run_worker(
            lambda: self._load_schema(name, gen),
            name="_load_schema",
            group="request",
            exit_on_error=False,
            exclusive=True,
            thread=True,
        )

    def _load_schema(self, name: str, gen: int) -> None:
        app = self.app
        try:
            schema = load_schema(app.client, name)
        except Exception as e:  # noqa: BLE001
            self.requests.report_from_thread(gen, e)
            return
        if getattr(app.connection, "demo", False):
            from ddbtui.aws.demo_data import sized_schema

            schema = sized_schema(schema)  # the emulator reports no sizes: the demo data's, for estimates
        app.call_from_thread(self._schema_loaded, gen, schema)

    def _schema_loaded(self, gen: int, schema: TableSchema) -> None:
        if gen != self.requests.generation:
            return
        app = self.app
        self.schema = schema
        app.query_one(TablesPane).mark_open(schema.name)
        app.query_one(SchemaPane).show(schema)
        app.query_one("#schema").border_title = Text(f"Indexes · {safe_text(schema.name)}")
        first = ReadRequest("scan", schema.name, page_size=app.config.page_size)
        app.builder.set_schema(schema, first)
        then, self._after_open = self._after_open, None
        if then is not None:
            self.requests.in_flight = False
            self.requests.result = None
            app.status.set_activity("")
            app.results.set_message("ctrl+r runs the request in the builder")
            then()
            return
        built = build(first.with_(max_pages=1), schema)
        self.requests.start(built, schema, start=None, append=False)

    def index_chosen(self, index: str | None) -> None:
        """The indexes pane: an index is a Query on it (its partition key next); the table, a Scan of it."""
        if self.schema is None:
            return
        app = self.app
        op = "query" if index else "scan"
        request = ReadRequest(op, self.schema.name, index=index, page_size=app.config.page_size)
        app.builder.load_request(request)
        if op == "query":
            app.builder.query_one("#qb-pk", Input).focus()
