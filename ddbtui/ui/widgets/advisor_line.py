"""The advisor line under the panes: the best suggestion for the request in the builder, in one line.

``Advisor: this Scan filters afterwards — Query GSI1 with gsi1pk = 'X' instead (~40× fewer RCU)  [a] apply``

The headline quotes the user's values (and so table data): it is drawn as ``Text`` after ``safe_text``, and
shortened from its end so that the keys on the right always stay in view.
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
        self.hint = ""
        self.display = False

    def set_advice(self, text: str, *, severity: str = "warning", hint: str = "") -> None:
        """Show ``text`` (our words, or words quoting data: made safe here); "" hides the line."""
        self.headline = safe_text(text)
        self.severity = severity if severity in _MARK else "info"
        self.hint = hint
        for level in _MARK:
            self.set_class(level == self.severity, f"-{level}")
        self.display = bool(text)
        self.refresh()

    @property
    def text(self) -> str:
        """The whole line as plain text (untruncated)."""
        if not self.headline:
            return ""
        hint = f"  {self.hint}" if self.hint else ""
        return f"Advisor: {_MARK[self.severity]}{self.headline}{hint}"

    def render(self) -> Text:
        if not self.headline:
            return Text("")
        head = f"Advisor: {_MARK[self.severity]}"
        hint = f"  {self.hint}" if self.hint else ""
        room = self.content_region.width or self.size.width
        body = Text(self.headline)
        body.truncate(max(room - cell_len(head) - cell_len(hint), 1), overflow="ellipsis")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(head, style="bold")
        line.append_text(body)
        if hint:
            line.append(hint, style="bold")
        return line
