"""Saved queries in the workbench: a dialog naming the builder's request, and the list to open one
(the open table's first, then every other). Names and requests are data: shown as plain, escaped text."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ddbtui.core.saved import SavedQuery, describe
from ddbtui.core.values import safe_text


class SaveQueryScreen(ModalScreen[str | None]):
    """The name to save the builder's request under (enter saves, escape cancels)."""

    DEFAULT_CSS = "#save-query-dialog { height: auto; width: 72; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="save_query.cancel", tooltip="Do not save")]

    def __init__(self, summary: str, name: str = "") -> None:
        super().__init__()
        self.summary = summary
        self.initial = name

    def compose(self) -> ComposeResult:
        with Vertical(id="save-query-dialog", classes="dialog"):
            yield Static(Text("Save the request as…", style="bold"))
            yield Static(Text(safe_text(self.summary), no_wrap=True, overflow="ellipsis"))
            yield Input(
                value=self.initial, placeholder="a name, e.g. orders of a customer", id="save-query-name"
            )
            yield Static(
                Text("enter: save (a query of the same name is replaced) · escape: cancel", style="dim")
            )
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)


class SavedQueriesScreen(ModalScreen[SavedQuery | None]):
    """Saved queries: the open table's, then every other (global); enter opens one into the builder."""

    DEFAULT_CSS = "#saved-queries-dialog { height: 80%; } #saved-queries-list { height: 1fr; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="saved_queries.close", tooltip="Close")]

    def __init__(self, queries: list[SavedQuery], table: str | None, path: str) -> None:
        super().__init__()
        here = [q for q in queries if table is not None and q.table == table]
        self.queries = here + [q for q in queries if q not in here]
        self.n_here = len(here)
        self.table = table
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-queries-dialog", classes="dialog"):
            yield Static(Text(safe_text(f"Saved queries · {self.path}"), style="bold"))
            ol = OptionList(id="saved-queries-list")
            for i, q in enumerate(self.queries):
                if i == 0 and self.n_here:
                    ol.add_option(Option(Text(safe_text(f"{self.table}:"), style="dim"), disabled=True))
                if i == self.n_here and self.n_here:
                    ol.add_option(Option(Text("every table:", style="dim"), disabled=True))
                label = Text(safe_text(q.name), style="bold")
                label.append("  " + safe_text(describe(q)), style="dim")
                label.no_wrap = True
                ol.add_option(Option(label, id=str(i)))
            if not self.queries:
                ol.add_option(
                    Option(Text("no saved queries yet: save the builder's request with f10"), disabled=True)
                )
            yield ol
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        if self.queries:
            ol.highlighted = 1 if self.n_here else 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.queries[int(event.option.id)])
