"""The confirmation dialog of a table change: the plan's API calls in order (with their waits), the
equivalent ``aws`` commands, its costs, risks and notes — what ``ddbtui alter`` prints — and, for an
advised index, the measured saving next to the backfill's cost. ``y`` / enter sends it, escape does not.

Plans quote table, index and attribute names from the server: shown through ``safe_lines`` as ``Text``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ddbtui.core.admin.plan import Plan
from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines


def plan_text(plan: Plan, header: list[str] | None = None) -> str:
    """The dialog's text: ``header`` lines (e.g. the measured saving), then the plan as ``alter`` prints it."""
    lines = [*(header or []), *([""] if header else []), plan.render().rstrip("\n")]
    return "\n".join(lines)


class PlanScreen(ModalScreen[bool]):
    """Dismissed with True to send ``plan``, False (escape, n) not to."""

    DEFAULT_CSS = """
    #plan-dialog { height: 90%; }
    #plan-scroll { height: 1fr; }
    """

    BINDINGS = [
        Binding("y", "confirm", "Send", id="plan.confirm", tooltip="Plan dialog: send the change"),
        Binding("enter", "confirm", "Send", show=False, id="plan.confirm_enter"),
        Binding("escape,n", "cancel", "Cancel", id="plan.cancel", tooltip="Plan dialog: send nothing"),
    ]

    def __init__(self, plan: Plan, header: list[str] | None = None, *, title: str | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.header = header or []
        self.title_text = title or f"Plan · {plan.title}"

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-dialog", classes="dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            with VerticalScroll(id="plan-scroll"):
                yield Static(Text(safe_lines(plan_text(self.plan, self.header))), id="plan-text")
            hint = "y send · escape cancel" if not self.plan.empty else "nothing to change · escape"
            yield Static(Text(hint, style="dim"), id="plan-hint")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#plan-scroll").focus()

    def action_confirm(self) -> None:
        self.dismiss(not self.plan.empty)

    def action_cancel(self) -> None:
        self.dismiss(False)
