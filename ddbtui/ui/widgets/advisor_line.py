"""The advisor line under the panes: the best suggestion for the request in the builder, in one line.

``Advisor: Scan filters on gsi1pk — Query GSI1: ~40× fewer RCU  [a] apply [f6] +1``

The headline quotes the user's values (and so table data): it is drawn as ``Text`` after ``safe_text``, and
shortened from its end so that the key to apply it always stays in view; less important hints go first.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from ddbtui.core.values import safe_text

_MARK = {"info": "", "warning": "! ", "error": "✗ "}  # visible without colour (NO_COLOR)


class AdvisorLine(Widget):
    """One line; hidden while there is nothing to say (the results get the row back)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headline = ""
        self.severity = "info"
        self.hints: tuple[str, ...] = ()
        self.display = False

    def set_advice(self, text: str, *, severity: str = "warning", hints: tuple[str, ...] = ()) -> None:
        """Show ``text`` (our words, or words quoting data: made safe here); "" hides the line.

        ``hints`` are keys to show on the right, most important first."""
        self.headline = safe_text(text)
        self.severity = severity if severity in _MARK else "info"
        self.hints = hints
        for level in _MARK:
            self.set_class(level == self.severity, f"-{level}")
        self.display = bool(text)
        self.refresh()

    @property
    def text(self) -> str:
        """The whole line as plain text (untruncated)."""
        if not self.headline:
            return ""
        hints = "  " + " ".join(self.hints) if self.hints else ""
        return f"Advisor: {_MARK[self.severity]}{self.headline}{hints}"

    def render(self) -> Text:
        if not self.headline:
            return Text("")
        head = f"Advisor: {_MARK[self.severity]}"
        room = self.content_region.width or self.size.width
        # as many hints as leave the headline whole; at least the first
        hints = list(self.hints)
        while len(hints) > 1 and cell_len(head + self.headline + "  " + " ".join(hints)) > room:
            hints.pop()
        hint = "  " + " ".join(hints) if hints else ""
        body = Text(self.headline)
        body.truncate(max(room - cell_len(head) - cell_len(hint), 1), overflow="ellipsis")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(head, style="bold")
        line.append_text(body)
        if hint:
            line.append(hint, style="bold")
        return line
