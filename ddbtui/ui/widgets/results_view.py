"""A virtual table of items: renders only the lines on screen, so 100,000 items cost what 20 do.

DataTable builds every row up front (100k rows stall the UI ~15 s); this view keeps the raw items and
draws each visible line on demand with ``render_line``. Column widths come from a sample of each page.
Every value passes through ``display_av`` (terminal-safe, truncated) and becomes a Segment: never markup.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ddbtui.core.compact import CompactRows
from ddbtui.core.values import display_av, safe_text
from ddbtui.ui.results import PreparedPage

GAP = 2  # blank cells between columns


def _discard(rows: list[dict[str, Any]]) -> None:
    """Free old rows off the event loop, a slice at a time.

    Freeing 100k items is ~1M deallocations: 80 ms in one ``del``, all of it holding the GIL. Deleting
    slices from a thread lets the event loop run between them. Then the frozen objects are thawed (see
    ``ResultsView.append``) so the collector sees whatever else was frozen with them.
    """
    if len(rows) < 5_000:
        rows.clear()
        gc.unfreeze()
        return

    def drop() -> None:
        while rows:
            del rows[-1_000:]
        gc.unfreeze()

    threading.Thread(target=drop, name="ddbtui-discard-rows", daemon=True).start()


class ResultsView(ScrollView, can_focus=True):
    """Items as rows, attributes as columns; the key attributes first. A row and a cell cursor."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("left", "cursor_left", "Left", show=False),
        Binding("right", "cursor_right", "Right", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last row", show=False),
        Binding("enter", "open_item", "Item", id="results.open", tooltip="Open the item as JSON"),
        Binding(
            "y", "copy_item", "Copy item", show=False, id="results.copy_item", tooltip="Copy the item as JSON"
        ),
        Binding(
            "c", "copy_cell", "Copy cell", show=False, id="results.copy_cell", tooltip="Copy the cell's value"
        ),
        Binding(
            "left_square_bracket",
            "page_start(-1)",
            "Prev page",
            show=False,
            id="results.prev_page",
            tooltip="Previous fetched page (no request)",
        ),
        Binding(
            "right_square_bracket",
            "page_start(1)",
            "Next fetched page",
            show=False,
            id="results.next_fetched",
        ),
        # writes (ddbtui.ui.write_actions): refused while read-only
        Binding(
            "e",
            "app.write('edit')",
            "Edit",
            show=False,
            id="results.edit",
            tooltip="Edit the item (JSON editor, diff)",
        ),
        Binding(
            "u",
            "app.write('update')",
            "Update",
            show=False,
            id="results.update",
            tooltip="Update the item with an expression (SET, REMOVE, ADD, DELETE), previewed",
        ),
        Binding("i", "app.write('new')", "New", show=False, id="results.new", tooltip="New item (put)"),
        Binding(
            "delete",
            "app.write('delete')",
            "Delete",
            show=False,
            id="results.delete",
            tooltip="Delete the item (asks first)",
        ),
        # multi-select (ddbtui.ui.selection_actions): a mark in the gutter, the count in the pane's title
        Binding(
            "space",
            "toggle_selected",
            "Select",
            show=False,
            id="results.select",
            tooltip="Select / unselect the row (the cursor moves down)",
        ),
        Binding(
            "ctrl+a",
            "select_all",
            "Select all",
            show=False,
            id="results.select_all",
            tooltip="Select every loaded row",
        ),
        Binding(
            "ctrl+u",
            "clear_selection",
            "Unselect",
            show=False,
            id="results.clear_selection",
            tooltip="Clear the selection",
        ),
        Binding(
            "D",
            "app.selection('delete')",
            "Delete sel.",
            show=False,
            id="results.delete_selected",
            tooltip="Delete the selected items (asks first: checked and undoable, or fast)",
        ),
        Binding(
            "X",
            "app.selection('export')",
            "Export sel.",
            show=False,
            id="results.export_selected",
            tooltip="Export the selected items to a file (JSON Lines, CSV, DynamoDB JSON)",
        ),
    ]

    COMPONENT_CLASSES = {
        "results-view--header",
        "results-view--cursor",
        "results-view--cell-cursor",
        "results-view--message",
        "results-view--selected",
        "results-view--mark",
    }

    DEFAULT_CSS = """
    ResultsView { background: $surface; scrollbar-size-vertical: 1; }
    ResultsView > .results-view--header { text-style: bold; color: $text-accent; }
    ResultsView > .results-view--cursor { background: $boost; }
    ResultsView:focus > .results-view--cursor { background: $block-cursor-blurred-background; }
    ResultsView > .results-view--cell-cursor { text-style: bold; }
    ResultsView:focus > .results-view--cell-cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    ResultsView > .results-view--message { color: $text-muted; }
    ResultsView > .results-view--selected { text-style: bold; background: $accent 20%; }
    ResultsView > .results-view--mark { text-style: bold; color: $text-accent; }
    """

    cursor_row: reactive[int] = reactive(0, init=False)
    cursor_col: reactive[int] = reactive(0, init=False)

    class ItemSelected(Message):
        """``enter`` on a row: open that item."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class CursorMoved(Message):
        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class CopyRequested(Message):
        """``y`` (the whole item) or ``c`` (one cell): the app copies it to the clipboard."""

        def __init__(self, row: int, column: str | None) -> None:
            super().__init__()
            self.row = row
            self.column = column

    class SelectionChanged(Message):
        """The set of selected rows changed (``count`` of them now)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class PageJump(Message):
        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    def __init__(self, *, max_cell_width: int = 32, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.max_cell_width = max_cell_width
        self.rows = CompactRows()  # items packed: ~1 KB less each than boto3's dicts of dicts
        self.columns: list[str] = []
        self.widths: list[int] = []
        self._offsets: list[int] = []
        self._col_index: dict[str, int] = {}
        # The cells' text per row, padded to their widths. Plain tuples of str: the collector ignores them,
        # where cached Strips (each with its own caches) would pile up for every full collection to walk.
        self._lines: LRUCache[int, tuple[str, ...]] = LRUCache(1024)
        self._message: Text = Text("")
        self.deleted: set[int] = set()  # rows whose item was deleted from the workbench: struck through
        self.selected: set[int] = set()  # rows marked for a batch action: a mark in the gutter
        self._gutter = 0  # the mark column's width: shown only while something is selected

    # --- data ---------------------------------------------------------------------------------------

    def reset(self, key_columns: list[str] | None = None, message: Text | str = "") -> None:
        """Empty the view; ``key_columns`` come first whatever order items name them in."""
        _discard(self.rows.data)
        self.rows = CompactRows()
        self.deleted = set()
        had_selection = bool(self.selected)
        self.selected = set()
        self._gutter = 0
        self.columns = []
        self.widths = []
        self._col_index = {}
        for name in key_columns or []:
            self._add_column(name, cell_len(safe_text(name)))
        self._message = message if isinstance(message, Text) else Text(message)
        self._layout_changed()
        self.set_reactive(ResultsView.cursor_row, 0)
        self.set_reactive(ResultsView.cursor_col, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        if had_selection:
            self.post_message(self.SelectionChanged(0))

    def set_message(self, message: Text | str) -> None:
        """What the view says while it holds no rows (a hint, "no items", an error). Literal text."""
        self._message = message if isinstance(message, Text) else Text(message)
        self.refresh()

    def append(self, page: PreparedPage) -> None:
        """Add a page's items; new attributes become columns, widths grow to fit the page's sample."""
        changed = False
        for name in page.attributes:
            width = page.widths.get(name, 1)
            index = self._col_index.get(name)
            if index is None:
                self._add_column(name, width)
                changed = True
            elif width > self.widths[index]:
                self.widths[index] = width
                changed = True
        self.rows.extend_packed(page.packed)
        # 100k items are ~1M dicts; every full collection would walk them all, stalling the screen for
        # 100+ ms while pages arrive. Frozen objects are skipped by the collector and still freed by
        # reference counting, so the rows cost nothing to keep; reset() thaws them again.
        gc.freeze()
        if changed:
            self._layout_changed()
        else:
            self.virtual_size = Size(self._total_width(), len(self.rows) + 1)
            self.refresh()

    def replace_row(self, row: int, item: dict[str, Any]) -> None:
        """Show ``item`` in ``row`` (after a write): new attributes become columns."""
        self.rows[row] = item
        self.deleted.discard(row)
        self._lines.discard(row)
        added = False
        for name, av in item.items():
            if name not in self._col_index:
                self._add_column(
                    name, max(cell_len(safe_text(name)), cell_len(display_av(av, self.max_cell_width)))
                )
                added = True
        if added:
            self._layout_changed()
        else:
            self.refresh()

    def mark_deleted(self, row: int) -> None:
        """Strike ``row`` through: its item no longer exists (and it leaves the selection)."""
        self.deleted.add(row)
        if row in self.selected:
            self.set_selection(self.selected - {row})
        self.refresh()

    # --- selection ----------------------------------------------------------------------------------

    def set_selection(self, rows: set[int]) -> None:
        """Select exactly ``rows`` (deleted rows and rows out of range are left out)."""
        rows = {r for r in rows if 0 <= r < len(self.rows) and r not in self.deleted}
        if rows == self.selected:
            return
        self.selected = rows
        gutter = 2 if rows else 0
        if gutter != self._gutter:
            self._gutter = gutter
            self._layout_changed()
        else:
            self.refresh()
        self.post_message(self.SelectionChanged(len(rows)))

    @property
    def selected_rows(self) -> list[int]:
        """The selected rows, in the order the results list them."""
        return sorted(self.selected)

    def action_toggle_selected(self) -> None:
        row = self.cursor_row
        if not (0 <= row < len(self.rows)):
            return
        if row in self.deleted:
            self.app.notify("this item was deleted: it cannot be selected", markup=False, timeout=3)
            return
        self.set_selection(self.selected ^ {row})
        self.move_to(row + 1)

    def action_select_all(self) -> None:
        self.set_selection(set(range(len(self.rows))))

    def action_clear_selection(self) -> None:
        self.set_selection(set())

    def _add_column(self, name: str, width: int) -> None:
        self._col_index[name] = len(self.columns)
        self.columns.append(name)
        self.widths.append(max(1, min(width, self.max_cell_width)))

    def _total_width(self) -> int:
        return self._gutter + sum(w + GAP for w in self.widths)

    def _layout_changed(self) -> None:
        offsets, x = [], self._gutter
        for w in self.widths:
            offsets.append(x)
            x += w + GAP
        self._offsets = offsets
        self._lines.clear()
        self.virtual_size = Size(x, len(self.rows) + 1)
        self.refresh()

    @property
    def current_item(self) -> dict[str, Any] | None:
        return self.rows[self.cursor_row] if 0 <= self.cursor_row < len(self.rows) else None

    @property
    def current_column(self) -> str | None:
        return self.columns[self.cursor_col] if 0 <= self.cursor_col < len(self.columns) else None

    # --- rendering ----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _cell(self, av: dict[str, Any] | None, width: int) -> str:
        if av is None:
            return " " * width
        text = display_av(av, width)
        if "N" in av:  # numbers line up on the right
            return " " * max(0, width - cell_len(text)) + set_cell_size(text, min(width, cell_len(text)))
        return set_cell_size(text, width)

    def _row_strip(self, row: int, base: Style) -> Strip:
        cells = self._lines.get(row)
        if cells is None:
            rows = self.rows
            cells = tuple(
                self._cell(rows.value(row, name), width)
                for name, width in zip(self.columns, self.widths, strict=True)
            )
            self._lines[row] = cells
        gap = Segment(" " * GAP, base)
        segments = []
        if self._gutter:
            if row in self.selected:
                mark = base + self.get_component_rich_style("results-view--mark")
                segments.append(Segment("*".ljust(self._gutter), mark))  # a character: NO_COLOR shows it
            else:
                segments.append(Segment(" " * self._gutter, base))
        for cell in cells:
            segments.append(Segment(cell, base))
            segments.append(gap)
        return Strip(segments, self._total_width())

    def _header_strip(self, base: Style) -> Strip:
        style = base + self.get_component_rich_style("results-view--header")
        segments = [Segment(" " * self._gutter, base)] if self._gutter else []
        for name, width in zip(self.columns, self.widths, strict=True):
            segments.append(Segment(set_cell_size(safe_text(name), width), style))
            segments.append(Segment(" " * GAP, base))
        return Strip(segments, self._total_width())

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.rows:
            if y == 0 and self.columns:
                return self._header_strip(base).crop_extend(scroll_x, scroll_x + width, base)
            lines = self._message_lines(width)
            if 1 <= y <= len(lines):
                style = base + self.get_component_rich_style("results-view--message")
                segments = [Segment(" ", base), *lines[y - 1].render(self.app.console)]
                return Strip(Segment.apply_style(segments, style)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if y == 0:
            return self._header_strip(base).crop_extend(scroll_x, scroll_x + width, base)
        row = scroll_y + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, base)
        strip = self._row_strip(row, base)
        if row in self.deleted:
            strip = strip.apply_style(Style(strike=True, dim=True))
        elif row in self.selected:
            strip = strip.apply_style(self.get_component_rich_style("results-view--selected"))
        if row == self.cursor_row:
            strip = self._with_cursor(strip, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _message_lines(self, width: int) -> list[Text]:
        """The message, wrapped to the view (an error can be long; it must be read whole)."""
        return list(self._message.wrap(self.app.console, max(width - 2, 1)))

    def _with_cursor(self, strip: Strip, base: Style) -> Strip:
        line_style = self.get_component_rich_style("results-view--cursor")
        strip = strip.apply_style(line_style)
        if not self.columns:
            return strip
        col = min(self.cursor_col, len(self.columns) - 1)
        start, end = self._offsets[col], self._offsets[col] + self.widths[col]
        cell_style = self.get_component_rich_style("results-view--cell-cursor")
        before, cell, after = strip.divide([start, end, strip.cell_length])
        return Strip.join([before, cell.apply_style(cell_style), after])

    # --- cursor -------------------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh_line(old - round(self.scroll_offset.y) + 1)
        self.refresh_line(new - round(self.scroll_offset.y) + 1)
        self.post_message(self.CursorMoved(new))

    def watch_cursor_col(self, old: int, new: int) -> None:
        if self.columns:
            width = self.scrollable_content_region.width
            start, end = self._offsets[new], self._offsets[new] + self.widths[new]
            x = round(self.scroll_offset.x)
            if start < x:
                self.scroll_to(x=start, animate=False, immediate=True)
            elif end > x + width:
                self.scroll_to(x=end - width, animate=False, immediate=True)
        self.refresh_line(self.cursor_row - round(self.scroll_offset.y) + 1)

    def move_to(self, row: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor_row + 1)

    def action_cursor_left(self) -> None:
        self.cursor_col = max(0, self.cursor_col - 1)

    def action_cursor_right(self) -> None:
        self.cursor_col = max(0, min(self.cursor_col + 1, len(self.columns) - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor_row - max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        self.move_to(self.cursor_row + max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_open_item(self) -> None:
        if self.current_item is not None:
            self.post_message(self.ItemSelected(self.cursor_row))

    def action_copy_item(self) -> None:
        if self.current_item is not None:
            self.post_message(self.CopyRequested(self.cursor_row, None))

    def action_copy_cell(self) -> None:
        if self.current_item is not None and self.current_column is not None:
            self.post_message(self.CopyRequested(self.cursor_row, self.current_column))

    def action_page_start(self, direction: int) -> None:
        self.post_message(self.PageJump(direction))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1 or not self.rows:
            return
        self.move_to(round(self.scroll_offset.y) + event.y - 1)
        x = round(self.scroll_offset.x) + event.x
        if x < self._gutter:
            self.action_toggle_selected()
            return
        for i, start in enumerate(self._offsets):
            if start <= x < start + self.widths[i] + GAP:
                self.cursor_col = i
                break
        if event.chain == 2:
            self.action_open_item()
