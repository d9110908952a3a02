"""Saved queries in the workbench: f10 saves the builder's request under a name, ctrl+g lists the saved
queries (the open table's first) and opens one into the builder. The file is ``queries.toml`` in the
config dir (``ddbtui.aws.saved_store``), the same one ``ddbtui run NAME`` reads."""

from __future__ import annotations

from ddbtui.aws.saved_store import SavedStore
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.saved import SavedQuery, describe, for_builder, from_request
from ddbtui.core.values import safe_text
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.host import Host
from ddbtui.ui.screens.saved_screen import SavedQueriesScreen, SaveQueryScreen


class SavedController:
    """Save the builder's request (f10) and open a saved one (ctrl+g); the app's actions call it."""

    def __init__(self, app: Host, store: SavedStore | None = None) -> None:
        self.app = app
        self.store = store or SavedStore()
        self.last_name = ""

    def save(self) -> None:
        app = self.app
        try:
            req = app.builder.request()
        except DdbtuiError as e:
            app.show_error(safe_text(str(e)), in_results=False)
            return
        if req.operation != "sql" and not req.table:
            app.notify("open a table first", markup=False, timeout=3)
            return

        def named(name: str | None) -> None:
            if name is None:
                return
            try:
                query = from_request(name, req)
                self.store.save(query)
            except (DdbtuiError, OSError) as e:
                app.show_error(safe_text(f"not saved: {e}"), in_results=False)
                return
            self.last_name = query.name
            app.notify(f"saved {safe_text(query.name)} in {self.store.path}", markup=False, timeout=3)

        summary = describe(SavedQuery("", req))
        app.push_screen(SaveQueryScreen(summary, self.last_name), named)

    def open(self) -> None:
        app = self.app
        try:
            queries = list(self.store.load().values())
        except DdbtuiError as e:
            app.show_error(safe_text(str(e)), in_results=False)
            return
        table = app.schema.name if app.schema is not None else None

        def chosen(query: SavedQuery | None) -> None:
            if query is None:
                return
            self.last_name = query.name
            req = for_builder(query)
            missing = query.required()

            def load() -> None:
                app.builder.load_request(req)
                app.builder.focus()
                if missing:
                    names = ", ".join(f":{p}" for p in missing)
                    app.notify(f"fill in {safe_text(names)} to run it", markup=False, timeout=4)

            if req.operation == "sql" or (app.schema is not None and app.schema.name == req.table):
                load()
            else:
                app.open_table(req.table, load)

        app.push_screen(SavedQueriesScreen(queries, table, str(self.store.path)), chosen)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("Save the query…", "f10: the builder's request under a name", self.save),
            PaletteCommand("Saved queries", "ctrl+g: open a saved query into the builder", self.open),
        ]
