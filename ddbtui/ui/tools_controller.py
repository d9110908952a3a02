"""The views around the builder's request and the open table: the request's exact parameters (f2) and a
copy of them (ctrl+y), the query history (f3), the table report (f8), the stream tail (f9) and export."""

from __future__ import annotations

from ddbtui.core.errors import DdbtuiError
from ddbtui.core.requests import ReadRequest
from ddbtui.core.values import safe_text
from ddbtui.ui.host import Host
from ddbtui.ui.safe import params_json
from ddbtui.ui.screens.dialogs import HistoryScreen, RequestScreen
from ddbtui.ui.screens.export_screen import ExportScreen
from ddbtui.ui.screens.report_screen import ReportScreen
from ddbtui.ui.screens.stream_screen import StreamScreen


class ToolsController:
    """f2, ctrl+y, f3, f8, f9 and export (the app's actions call it)."""

    def __init__(self, app: Host) -> None:
        self.app = app

    # --- the builder's request ------------------------------------------------------------------------

    def copy_request(self) -> None:
        app = self.app
        built = app.builder.built
        if built is None:
            app.show_error(app.builder.error or "no valid request in the builder", in_results=False)
            return
        app.copy_to_clipboard(params_json(built.params, indent=2))
        app.notify("request copied to the clipboard as JSON (OSC 52)", timeout=2, markup=False)

    def show_request(self) -> None:
        app = self.app
        built = app.builder.built
        if built is None:
            app.show_error(app.builder.error or "no valid request in the builder", in_results=False)
            return
        app.push_screen(RequestScreen(built.api, built.params))

    def history(self) -> None:
        """f3: the open table's recent requests (every table's when none is open), to load."""
        app = self.app
        table = app.schema.name if app.schema else None
        requests = app.history.recent(table)
        title = f"Recent requests · {table}" if table else "Recent requests"

        def load(req: ReadRequest | None) -> None:
            if req is None:
                return
            if app.schema is not None and req.table == app.schema.name or req.operation == "sql":
                app.builder.load_request(req)
                app.builder.focus()
            else:
                app.notify(f"open {safe_text(req.table)} first", markup=False)

        app.push_screen(HistoryScreen(requests, title), load)

    # --- table report, stream tail, export (ddbtui.ui.screens.report/stream/export_screen) ----------------

    def _open_table_name(self) -> str | None:
        app = self.app
        if app.schema is None:
            app.notify("open a table first", markup=False, timeout=3)
            return None
        return app.schema.name

    def report(self) -> None:
        table = self._open_table_name()
        if table is not None:
            admin = getattr(self.app, "admin", None)  # x: a finding's fix, through the table changes (#14)
            fixer = admin.changes.fix if admin is not None else None
            self.app.push_screen(ReportScreen(self.app.client, self.app.connection, table, fixer=fixer))

    def stream(self) -> None:
        table = self._open_table_name()
        if table is not None:
            self.app.push_screen(StreamScreen(self.app.client, self.app.connection, table))

    def export(self) -> None:
        """The builder's table and filter (a Scan of every item the filter keeps) to a file."""
        app = self.app
        table = self._open_table_name()
        if table is None:
            return
        filter_, names, values = None, None, None
        try:
            req = app.builder.request()
        except DdbtuiError as e:
            app.show_error(str(e), in_results=False)
            return
        if req.table == table:
            filter_, names, values = req.filter or None, req.names or None, req.values or None
        app.push_screen(
            ExportScreen(
                app.client,
                table,
                filter=filter_,
                names=names,
                values=values,
                estimate_capacity=app.estimate,
            )
        )
