"""f5: the request in the builder as code — boto3, AWS CLI, PartiQL (when one is exact) and the ddbtui command
line — highlighted by Pygments through Rich's ``Syntax``; ``y`` copies the snippet on show (OSC 52).

``core.codegen`` already writes characters that could disguise code as ``\\uXXXX`` escapes inside strings;
``safe_lines`` is applied to what is drawn all the same, so nothing in a snippet reaches the terminal raw.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from ddbtui.core.codegen import Snippet
from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines


class CodeScreen(ModalScreen[None]):
    """One tab per snippet; ``tab`` / ``shift+tab`` or ``1``-``4`` switch, ``y`` copies the one on show."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="code.close"),
        Binding("y", "copy", "Copy", id="code.copy", tooltip="Copy the snippet on show"),
        Binding("tab", "switch(1)", "Next", id="code.next", tooltip="Next snippet"),
        Binding(
            "shift+tab", "switch(-1)", "Previous", show=False, id="code.previous", tooltip="Previous snippet"
        ),
        *(Binding(str(n), f"show({n - 1})", show=False) for n in range(1, 5)),
    ]

    def __init__(self, snippets: list[Snippet], title: str, *, dark: bool = True) -> None:
        super().__init__()
        self.snippets = snippets
        self.title_text = title
        self.theme_name = "ansi_dark" if dark else "ansi_light"

    def compose(self) -> ComposeResult:
        with Vertical(id="code-dialog", classes="dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            with TabbedContent(id="code-tabs"):
                for i, snippet in enumerate(self.snippets):
                    with TabPane(f"{i + 1} {snippet.title}", id=f"code-{i}"):
                        if snippet.note:
                            yield Static(Text(safe_text(snippet.note), style="italic"), classes="code-note")
                        with ScrollableContainer(classes="code-scroll"):
                            yield Static(
                                Syntax(
                                    safe_lines(snippet.code.rstrip("\n")),
                                    snippet.language,
                                    theme=self.theme_name,
                                    background_color="default",
                                    word_wrap=False,
                                ),
                                classes="code-text",
                            )
            yield Footer()

    def on_mount(self) -> None:
        self._focus_code()

    @property
    def current(self) -> int:
        active = self.query_one(TabbedContent).active
        return int(active.rsplit("-", 1)[1]) if active else 0

    def _focus_code(self) -> None:
        pane = self.query_one(f"#code-{self.current}", TabPane)
        pane.query_one(ScrollableContainer).focus()

    @on(TabbedContent.TabActivated)
    def _activated(self) -> None:
        self.call_after_refresh(self._focus_code)

    def action_show(self, index: int) -> None:
        if 0 <= index < len(self.snippets):
            self.query_one(TabbedContent).active = f"code-{index}"
            self._focus_code()

    def action_switch(self, step: int) -> None:
        self.action_show((self.current + step) % len(self.snippets))

    def action_copy(self) -> None:
        snippet = self.snippets[self.current]
        self.app.copy_to_clipboard(snippet.code)
        self.notify(f"{snippet.title} code copied to the clipboard (OSC 52)", timeout=2, markup=False)
