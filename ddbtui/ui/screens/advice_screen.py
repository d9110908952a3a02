"""f6: every suggestion of the advisor for the request in the builder, with its reason, estimated read units
and the command that carries it out; ``enter`` applies the highlighted one, ``y`` copies its command.

Reasons and commands quote the user's values (and so table data): drawn as ``Text`` after ``safe_text``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ddbtui.core.advisor import Suggestion, rcu_text
from ddbtui.core.explain import suggestion_commands
from ddbtui.core.requests import ReadRequest
from ddbtui.core.values import safe_text

SEVERITY_STYLE = {"info": "bold", "warning": "bold yellow", "error": "bold red"}


def suggestion_text(s: Suggestion, request: ReadRequest) -> Text:
    """``1. use-query on GSI1 · ~2 RCU · enter applies`` then the reason and the command(s)."""
    head = Text(f"{s.rank}. ", style="bold")
    head.append(safe_text(s.kind), style=SEVERITY_STYLE.get(s.severity, "bold"))
    if s.index:
        head.append(" on " + safe_text(s.index))
    if s.estimated_rcu is not None:
        head.append(f" · ~{rcu_text(s.estimated_rcu)} RCU")
    if s.severity != "info":
        head.append(f" · {s.severity}", style=SEVERITY_STYLE.get(s.severity, ""))
    if s.runnable:
        head.append(" · enter applies", style="dim")
    elif s.kind == "create-gsi":
        head.append(" · create the index first (y copies the command)", style="dim")
    lines = [head, Text("   " + safe_text(s.reason))]
    for command in suggestion_commands(request, request.table, s):
        lines.append(Text("   " + safe_text(command), style="dim italic"))
    return Text("\n").join(lines)


class AdviceScreen(ModalScreen[Suggestion | None]):
    """All suggestions, best first; dismisses with the one to apply, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="advice.close"),
        Binding("y", "copy", "Copy command", id="advice.copy", tooltip="Copy the suggestion's command"),
    ]

    def __init__(self, suggestions: list[Suggestion], request: ReadRequest, title: str) -> None:
        super().__init__()
        self.suggestions = suggestions
        self.request = request
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="advice-dialog", classes="dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"), id="advice-title")
            ol = OptionList(id="advice-list")
            for i, s in enumerate(self.suggestions):
                ol.add_option(Option(suggestion_text(s, self.request), id=str(i)))
                ol.add_option(None)  # a separator line between suggestions
            if not self.suggestions:
                ol.add_option(
                    Option(
                        Text("No advice: the request reads only what it needs, as far as ddbtui can tell.")
                    )
                )
            yield ol
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        if self.suggestions:
            ol.highlighted = 0

    def _highlighted(self) -> Suggestion | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        option_id = ol.get_option_at_index(ol.highlighted).id
        return self.suggestions[int(option_id)] if option_id is not None else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s = self.suggestions[int(event.option.id)] if event.option.id is not None else None
        if s is None:
            return
        if not s.runnable:
            why = (
                "create the index first (y copies the command)"
                if s.changes
                else "a warning, nothing to apply"
            )
            self.notify(f"not applicable as it is: {why}", markup=False)
            return
        self.dismiss(s)

    def action_copy(self) -> None:
        s = self._highlighted()
        commands = suggestion_commands(self.request, self.request.table, s) if s else []
        if not commands:
            self.notify("this suggestion has no command", markup=False)
            return
        self.app.copy_to_clipboard("\n".join(commands) + "\n")
        self.notify("command copied to the clipboard (OSC 52)", timeout=2, markup=False)
