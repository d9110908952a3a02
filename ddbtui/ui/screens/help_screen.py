"""f1: every key of the workbench, by where it works, with keymap overrides applied."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

Section = tuple[str, list[tuple[str, str]]]


def keys_table(sections: list[Section]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True, min_width=14)
    table.add_column("action", ratio=1)
    for title, rows in sections:
        table.add_row(Text(title, style="bold underline"), Text(""))
        for key, description in rows:
            table.add_row(Text(key), Text(description))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(
                Text("ddbtui keys — every action is also in the command palette (ctrl+p)", style="bold")
            )
            with VerticalScroll(id="help-scroll"):
                yield Static(keys_table(self.sections))
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
