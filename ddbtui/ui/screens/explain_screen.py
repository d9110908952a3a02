"""f4: the plan of the request in the builder, in plain words (``core.explain``), scrollable.

The text quotes the user's values and table names: it is shown through ``safe_lines`` as ``Text``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines


class ExplainScreen(ModalScreen[None]):
    """``text`` is the plan (``Plan.to_text``) or why there is none; ``y`` copies it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="explain.close"),
        Binding("y", "copy", "Copy text", id="explain.copy", tooltip="Copy the plan as text"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="explain-dialog", classes="dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            with VerticalScroll(id="explain-scroll"):
                yield Static(Text(safe_lines(self.text)), id="explain-text")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#explain-scroll").focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("plan copied to the clipboard (OSC 52)", timeout=2, markup=False)
