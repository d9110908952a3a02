"""The rows of the results: the item view (enter), copies to the clipboard (y, c) and the jumps between the
fetched pages ([, ]), which send no request."""

from __future__ import annotations

from ddbtui.core.values import av_to_plain_json, item_to_plain_json
from ddbtui.ui.host import Host
from ddbtui.ui.screens.item_screen import ItemScreen


class ItemsController:
    """What the results pane asks of the app about its rows (it posts messages; the app calls this)."""

    def __init__(self, app: Host) -> None:
        self.app = app

    def open_item(self, row: int) -> None:
        """The item view of ``row``, with the schema of the request that listed it."""
        app = self.app
        item = app.results.rows[row]
        schema = app.result.schema if app.result else app.schema
        app.push_screen(ItemScreen(item, schema, now=app.clock()))

    def copy(self, row: int, column: str | None) -> None:
        """The item (``column`` None) as JSON, or one cell, to the clipboard (OSC 52)."""
        app = self.app
        item = app.results.rows[row]
        if column is None:
            app.copy_to_clipboard(item_to_plain_json(item))
            app.notify("item copied to the clipboard as JSON (OSC 52)", timeout=2, markup=False)
            return
        av = item.get(column)
        text = "" if av is None else av["S"] if "S" in av else av_to_plain_json(av)
        app.copy_to_clipboard(text)
        app.notify("cell copied to the clipboard (OSC 52)", timeout=2, markup=False)

    def page_jump(self, direction: int) -> None:
        """To the first row of the previous (-1) or next (1) fetched page."""
        app = self.app
        result = app.result
        if result is None or not result.pages:
            return
        page = result.page_of_row(app.results.cursor_row)
        number = (page.number if page else 1) + direction
        if 1 <= number <= len(result.pages):
            app.results.move_to(result.pages[number - 1].first_row)  # kept pages: no request
