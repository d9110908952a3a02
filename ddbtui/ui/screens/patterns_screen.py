"""f7: the demo data's access patterns and anti-patterns (``core.patterns``), each with its explanation.

``enter`` loads the highlighted pattern into the builder; on an anti-pattern ``b`` loads its better
alternative, so a student can run both and compare what they cost. A pattern run in this session shows the
read units of its last run next to its title.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ddbtui.core.advisor import key_shape
from ddbtui.core.capacity import ConsumedCapacity, format_units
from ddbtui.core.expr import conjuncts, parse_condition
from ddbtui.core.patterns import AccessPattern, by_id
from ddbtui.core.requests import ReadRequest
from ddbtui.ui.results import capacity_text


def pattern_request(p: AccessPattern) -> ReadRequest:
    """The pattern as the builder's request. Its ``limit`` is DynamoDB's Limit, i.e. the page size."""
    key = p.key
    if p.operation == "get" and key:
        key = _key_json(key)
    return ReadRequest(
        p.operation,
        p.table,
        index=p.index,
        key=key,
        filter=p.filter,
        projection=p.projection,
        page_size=p.limit,
        descending=p.descending,
        statement=p.statement,
    )


def _key_json(condition: str) -> str:
    """``pk = 'A' AND sk = 'B'`` as GetItem's key JSON ``{"pk": "A", "sk": "B"}`` (numbers stay exact)."""
    parts = []
    for conj in conjuncts(parse_condition(condition)):
        shape = key_shape(conj)
        if shape is None or shape[1] != "=":
            raise ValueError(f"not a key equality: {condition}")
        name, _, (value,) = shape
        literal = json.dumps(value.value) if isinstance(value.value, str) else str(value.value)
        parts.append(f"{json.dumps(name)}: {literal}")
    return "{" + ", ".join(parts) + "}"


def _units(capacity: ConsumedCapacity) -> str:
    return f"{format_units(capacity.total)} RCU" + (" est." if capacity.estimated else "")


def pattern_label(p: AccessPattern, capacity: ConsumedCapacity | None) -> Text:
    """``✗ 107.5 RCU est. · Anti-pattern: Scan + filter on status  Shop`` — the last run's units first, so
    they stay in view; the mark tells anti-patterns without colour."""
    label = Text("✗ " if p.anti_pattern else "✓ ", style="bold red" if p.anti_pattern else "bold green")
    label.no_wrap, label.overflow = True, "ellipsis"
    if capacity is not None:
        label.append(_units(capacity), style="bold")
        label.append(" · ")
    label.append(p.title)
    label.append(f"  {p.table}", style="dim")
    return label


def pattern_detail(p: AccessPattern, runs: Mapping[str, ConsumedCapacity]) -> Text:
    """The title, for an anti-pattern its better alternative, the explanation, the request in short, and
    the last runs of both."""
    lines = [Text(p.title, style="bold")]
    if p.better:
        better = by_id(p.better)
        line = Text.assemble(("Better: ", "bold green"), better.title, (" — b loads it", "bold"))
        if p.better in runs:
            line.append(f" · last run {_units(runs[p.better])}")
        lines.append(line)
    lines.append(Text(p.explanation))
    what = {"query": "Query", "scan": "Scan", "get": "GetItem", "sql": "PartiQL"}[p.operation]
    parts = [f"{what} {p.table}" + (f" · index {p.index}" if p.index else "")]
    if p.key:
        parts.append(f"key {p.key}")
    if p.filter:
        parts.append(f"filter {p.filter}")
    if p.projection:
        parts.append(f"project {p.projection}")
    if p.limit:
        parts.append(f"Limit {p.limit}")
    if p.descending:
        parts.append("newest first")
    if p.statement:
        parts.append(p.statement)
    lines.append(Text(" · ".join(parts), style="dim"))
    if p.id in runs:
        lines.append(Text("Last run: " + capacity_text(runs[p.id])))
    return Text("\n").join(lines)


class PatternsScreen(ModalScreen[str | None]):
    """Dismisses with the id of the pattern to load, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="patterns.close"),
        Binding("enter", "load", "Load", id="patterns.load", tooltip="Load the pattern into the builder"),
        Binding(
            "b",
            "load_better",
            "Load better",
            id="patterns.better",
            tooltip="Load an anti-pattern's better way",
        ),
    ]

    def __init__(
        self,
        patterns: list[AccessPattern],
        runs: Mapping[str, ConsumedCapacity],
        *,
        highlight: str | None = None,
    ) -> None:
        super().__init__()
        self.patterns = patterns
        self.runs = runs
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical(id="patterns-dialog", classes="dialog"):
            yield Static(
                Text("Access patterns of the demo data — enter loads one into the builder", style="bold")
            )
            ol = OptionList(id="patterns-list")
            for p in self.patterns:
                ol.add_option(Option(pattern_label(p, self.runs.get(p.id)), id=p.id))
            yield ol
            with VerticalScroll(id="patterns-detail-scroll"):
                yield Static("", id="patterns-detail")
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        ids = [p.id for p in self.patterns]
        ol.highlighted = ids.index(self.highlight) if self.highlight in ids else 0
        self._show_detail()

    @property
    def current(self) -> AccessPattern | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        return self.patterns[ol.highlighted]

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        p = self.current
        detail = pattern_detail(p, self.runs) if p is not None else Text("")
        self.query_one("#patterns-detail", Static).update(detail)
        self.query_one("#patterns-detail-scroll").scroll_home(animate=False)
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_better":
            p = self.current
            return p is not None and p.better is not None
        return True

    def action_load(self) -> None:
        if self.current is not None:
            self.dismiss(self.current.id)

    def action_load_better(self) -> None:
        p = self.current
        if p is not None and p.better:
            self.dismiss(p.better)
