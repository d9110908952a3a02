"""The tables pane: a filter box over the account's tables, with billing mode and item count.

Typing while the list has the focus goes to the filter, so finding a table is: start typing, `enter`.
Table names are data: every prompt is a ``Text``, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text

_BILLING = {
    "PAY_PER_REQUEST": "OD",
    "PROVISIONED": "PROV",
}  # short: the pane is narrow; f1 says what they mean


def _count(n: int | None) -> str:
    if n is None:
        return ""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n // 1000}k"
    return f"{n:,}"


class TableList(OptionList):
    """The list itself; printable keys go to the filter above it."""

    BINDINGS = [Binding("slash", "focus_filter", "Filter", show=False, id="tables.filter")]

    def action_focus_filter(self) -> None:
        self.screen.query_one("#table-filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character not in "/[]":
            box = self.screen.query_one("#table-filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()


class TablesPane(Vertical):
    """Filter input + list of tables. Posts ``TableChosen`` on ``enter``."""

    class TableChosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: list[str] = []
        self._info: dict[str, TableSchema] = {}
        self.open_table: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter… (type)", id="table-filter", compact=True, select_on_focus=False)
        yield TableList(id="table-list")

    @property
    def names(self) -> list[str]:
        return list(self._names)

    @property
    def highlighted(self) -> str | None:
        ol = self.query_one(TableList)
        if ol.highlighted is None or ol.option_count == 0:
            return None
        return ol.get_option_at_index(ol.highlighted).id

    def set_tables(self, names: list[str], info: list[TableSchema] | None = None) -> None:
        """Show ``names`` (sorted); ``info`` adds billing mode and item count where known."""
        self._names = sorted(names)
        if info is not None:
            self._info = {s.name: s for s in info}
        self._refill()

    def _prompt(self, name: str) -> Text:
        text = Text(safe_text(name), no_wrap=True, overflow="ellipsis")
        schema = self._info.get(name)
        if schema is not None:
            mark = "●" if name == self.open_table else ""
            detail = f" {_count(schema.item_count)} {_BILLING.get(schema.billing_mode, schema.billing_mode)}"
            text.append(detail, style="dim")
            if mark:
                text = Text(mark + " ", style="bold") + text
        elif name == self.open_table:
            text = Text("● ", style="bold") + text
        return text

    def _refill(self) -> None:
        ol = self.query_one(TableList)
        keep = self.highlighted
        needle = self.query_one("#table-filter", Input).value.strip().lower()
        shown = [n for n in self._names if needle in n.lower()]
        ol.clear_options()
        ol.add_options([Option(self._prompt(n), id=n) for n in shown])
        if shown:
            ol.highlighted = shown.index(keep) if keep in shown else 0

    def mark_open(self, name: str) -> None:
        self.open_table = name
        self._refill()

    def select(self, name: str) -> None:
        """Move the cursor to ``name`` (clearing a filter that hides it)."""
        box = self.query_one("#table-filter", Input)
        if name not in self._names:
            return
        if box.value and box.value.strip().lower() not in name.lower():
            box.value = ""
            self._refill()
        ol = self.query_one(TableList)
        idx = ol.get_option_index(name)
        ol.highlighted = idx

    @on(Input.Changed, "#table-filter")
    def _filter_changed(self) -> None:
        self._refill()

    @on(Input.Submitted, "#table-filter")
    def _filter_submitted(self) -> None:
        if (name := self.highlighted) is not None:
            self.post_message(self.TableChosen(name))

    def on_key(self, event: events.Key) -> None:
        # Arrow keys in the filter move the list's cursor: filter, arrow to the table, enter.
        box = self.query_one("#table-filter", Input)
        if box.has_focus and event.key in ("down", "up"):
            ol = self.query_one(TableList)
            (ol.action_cursor_down if event.key == "down" else ol.action_cursor_up)()
            event.stop()

    @on(OptionList.OptionSelected, "#table-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.TableChosen(event.option.id))
