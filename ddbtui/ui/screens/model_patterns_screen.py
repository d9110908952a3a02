"""f7 with a model file: the access patterns of the open table's model (``ddbtui model check``'s verdicts),
each ✓ / ⚠ / ✗ with what one call costs and, at the pattern's rate, per month.

``enter`` loads the highlighted pattern into the builder with its parameters filled from a sampled item;
``l`` opens the demo data's lessons (the patterns and anti-patterns of ``core.patterns``) instead.
Every text here comes from the model file or the table: shown as ``Text``, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ddbtui.core.capacity import format_units
from ddbtui.core.model.check import MARK, Verdict
from ddbtui.core.values import safe_text

STYLE = {"ok": "bold green", "warn": "bold yellow", "fail": "bold red"}


def cost_text(v: Verdict) -> str:
    if v.rcu is None:
        return "cost unknown"
    out = f"{format_units(v.rcu)} RCU" + (" est." if v.rcu_estimated else "")
    if v.usd_month is not None:
        out += f" · ${v.usd_month:,.2f}/month"
    return out


def verdict_label(v: Verdict) -> Text:
    """``✓ 0.5 RCU · $1.83/month · customer profile  Shop``."""
    label = Text(MARK[v.status] + " ", style=STYLE[v.status])
    label.no_wrap, label.overflow = True, "ellipsis"
    label.append(cost_text(v), style="bold")
    label.append(" · ")
    label.append(safe_text(v.pattern.name))
    label.append(f"  {safe_text(v.pattern.request.table)}", style="dim")
    return label


def verdict_detail(v: Verdict) -> Text:
    p = v.pattern
    lines = [Text(safe_text(p.name), style="bold")]
    head = Text(f"{MARK[v.status]} ", style=STYLE[v.status])
    head.append(f"{v.operation or '—'} on {v.index} · {safe_text(v.why)}")
    lines.append(head)
    bits = [cost_text(v) + " per call"]
    if p.rate:
        bits.append(f"at {p.rate:g}/s: " + (f"{v.rcu_per_s:,.1f} RCU/s" if v.rcu_per_s is not None else "?"))
    lines.append(Text(" · ".join(bits)))
    if v.advice is not None:
        lines.append(Text.assemble(("Advisor: ", "bold"), safe_text(v.advice.reason)))
    for note in v.notes:
        lines.append(Text(safe_text(note), style="dim"))
    lines.append(Text(safe_text(p.text), style="dim"))
    if v.params:
        shown = ", ".join(f":{k.lstrip(':')} = {safe_text(str(val))}" for k, val in v.params.items())
        lines.append(Text(f"parameters {shown} ({safe_text(v.params_from)})", style="dim"))
    return Text("\n").join(lines)


class ModelPatternsScreen(ModalScreen[tuple[str, int] | None]):
    """Dismisses with ("load", index of the verdict), ("lessons", -1), or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="model-patterns.close"),
        Binding("enter", "load", "Load", id="model-patterns.load", tooltip="Load it with sampled values"),
        Binding(
            "l",
            "lessons",
            "Demo lessons",
            id="model-patterns.lessons",
            tooltip="The demo data's patterns and anti-patterns",
        ),  # fmt: skip
    ]

    def __init__(self, verdicts: list[Verdict], source: str, *, lessons: bool = False) -> None:
        super().__init__()
        self.verdicts = verdicts
        self.source = source
        self.lessons = lessons

    def compose(self) -> ComposeResult:
        with Vertical(id="patterns-dialog", classes="dialog"):
            failed = sum(v.status == "fail" for v in self.verdicts)
            title = Text(f"Access patterns of {safe_text(self.source)}", style="bold")
            title.append(f" — {len(self.verdicts)} checked, {failed} ✗ · enter loads one", style="")
            yield Static(title)
            ol = OptionList(id="patterns-list")
            for i, v in enumerate(self.verdicts):
                ol.add_option(Option(verdict_label(v), id=str(i)))
            yield ol
            with VerticalScroll(id="patterns-detail-scroll"):
                yield Static("", id="patterns-detail")
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        ol.highlighted = 0 if self.verdicts else None
        self._show_detail()

    @property
    def current(self) -> int | None:
        return self.query_one(OptionList).highlighted

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        i = self.current
        detail = verdict_detail(self.verdicts[i]) if i is not None else Text("")
        self.query_one("#patterns-detail", Static).update(detail)
        self.query_one("#patterns-detail-scroll").scroll_home(animate=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("load", int(event.option.id or 0)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lessons":
            return self.lessons
        return True

    def action_load(self) -> None:
        if self.current is not None:
            self.dismiss(("load", self.current))

    def action_lessons(self) -> None:
        self.dismiss(("lessons", -1))
