"""The dialogs around a write: confirm (writes toggle, delete, rekey, undo), the diff before a write, a
conflict, and the update-expression editor with its live preview.

Every question starts with the focus on the button that writes nothing, so ``enter`` alone never writes.
Everything from a table (values, names, keys, error text) reaches the screen through ``safe_text`` in a
``Text`` or the ``DiffView``: literal, with control characters made visible.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from ddbtui.core.capacity import write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_json, safe_text
from ddbtui.core.writes import (
    Change,
    Item,
    WriteRequest,
    check_item,
    diff_items,
    key_of,
    key_text,
    update_request,
)
from ddbtui.ui.results import capacity_text
from ddbtui.ui.safe import safe_lines
from ddbtui.ui.widgets.diff_view import DiffView, summary

Choice = tuple[str, str, str]  # button id, label, variant

_CSS = """
.write-dialog { height: auto; max-height: 90%; }
.write-dialog.-tall { height: 90%; }
.write-body { height: auto; max-height: 16; }
.write-dialog.-tall .write-body { height: 1fr; max-height: 100%; }
.write-buttons { height: 1; margin-top: 1; }
.write-buttons Button { margin-right: 2; }
.write-section { margin-top: 1; text-style: bold; }
.write-title { text-wrap: nowrap; text-overflow: ellipsis; }
.write-dialog Input { margin-bottom: 0; }
#update-error { height: auto; max-height: 4; }
"""


def _button(choice_id: str, label: str, variant: str = "default") -> Button:
    return Button(Text(safe_text(label)), id=f"choice-{choice_id}", variant=variant, compact=True)  # type: ignore[arg-type]


class _Buttons:
    """Left/right move between the dialog's buttons; the first (writes nothing) has the focus at start."""

    def focus_first_button(self: Any) -> None:
        buttons = list(self.query(Button))
        if buttons:
            buttons[0].focus()

    def action_next_button(self: Any, step: int) -> None:
        buttons = list(self.query(Button))
        if not buttons:
            return
        focused = self.focused
        i = buttons.index(focused) if focused in buttons else -1
        buttons[(i + step) % len(buttons)].focus()


class ConfirmScreen(_Buttons, ModalScreen[str | None]):
    """A question and its buttons: dismisses with the chosen button's id, None for Cancel / escape."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="confirm.cancel"),
        Binding("left", "next_button(-1)", "Previous", show=False),
        Binding("right", "next_button(1)", "Next", show=False),
    ]

    def __init__(
        self,
        title: str,
        body: list[RenderableType | Static],
        choices: list[Choice],
        *,
        cancel_label: str = "Cancel",
        tall: bool = False,
        dialog_id: str = "confirm-dialog",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.choices = choices
        self.cancel_label = cancel_label
        self.tall = tall
        self.dialog_id = dialog_id

    def compose(self) -> ComposeResult:
        classes = "dialog write-dialog" + (" -tall" if self.tall else "")
        with Vertical(id=self.dialog_id, classes=classes):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            with VerticalScroll(classes="write-body"):
                for part in self.body:
                    yield part if isinstance(part, Static) else Static(part, markup=False)
            with Horizontal(classes="write-buttons"):
                yield _button("cancel", self.cancel_label)
                for choice_id, label, variant in self.choices:
                    yield _button(choice_id, label, variant)

    def on_mount(self) -> None:
        self.focus_first_button()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if choice == "cancel" else choice)


def section(title: str) -> Static:
    return Static(Text(title), classes="write-section", markup=False)


class DiffScreen(_Buttons, ModalScreen[bool]):
    """What a write will change, old → new, with its write units; ``ctrl+s`` writes, ``escape`` goes back."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("ctrl+s", "dismiss(True)", "Write", id="diff.write", tooltip="Write it"),
        Binding(
            "escape", "dismiss(False)", "Back", id="diff.back", tooltip="Back to the editor, nothing written"
        ),
        Binding("left", "next_button(-1)", "Previous", show=False),
        Binding("right", "next_button(1)", "Next", show=False),
    ]

    def __init__(
        self, title: str, lines: list[Text], changes: list[Change], *, write_label: str = "Write"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.changes = changes
        self.write_label = write_label

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-dialog", classes="dialog write-dialog -tall"):
            yield Static(Text(safe_text(self.title_text), style="bold"), classes="write-title")
            for line in self.lines:
                yield Static(line, markup=False)
            with VerticalScroll(classes="write-body", id="diff-scroll"):
                yield DiffView(self.changes, id="diff-view")
            with Horizontal(classes="write-buttons"):
                yield _button("back", "Back")
                yield _button("write", f"{self.write_label} (ctrl+s)", "warning")
            yield Footer()

    def on_mount(self) -> None:
        self.focus_first_button()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "choice-write")


class ConflictScreen(_Buttons, ModalScreen[str | None]):
    """A write refused because the item is not as it was read: what changed since, the item as it is now
    (``current``, None: deleted), and what the refused write wanted. Nothing was written."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="conflict.back"),
        Binding("left", "next_button(-1)", "Previous", show=False),
        Binding("right", "next_button(1)", "Next", show=False),
    ]

    def __init__(
        self,
        message: str,
        read: Item | None,
        current: Item | None,
        mine: Item | None = None,
        *,
        reload_label: str | None = None,
        title: str = "Conflict: nothing was written",
    ) -> None:
        super().__init__()
        self.message = message
        self.read = read
        self.current = current
        self.mine = mine
        self.reload_label = reload_label
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog", classes="dialog write-dialog -tall"):
            yield Static(Text(self.title_text, style="bold red"))
            yield Static(Text(safe_text(self.message)), markup=False)
            with VerticalScroll(classes="write-body", id="conflict-scroll"):
                yield section("Changed since it was read (then → now):")
                yield DiffView(diff_items(self.read, self.current, deep=True), id="conflict-theirs")
                if self.mine is not None:
                    yield section("Your change, not written (then → yours):")
                    yield DiffView(diff_items(self.read, self.mine, deep=True), id="conflict-mine")
                yield section("The item now:")
                now = Text(safe_json(self.current)) if self.current is not None else Text("(none: deleted)")
                yield Static(now, markup=False, id="conflict-current")
            with Horizontal(classes="write-buttons"):
                yield _button("back", "Back")
                if self.reload_label:
                    yield _button("reload", self.reload_label, "primary")
            yield Footer()

    def on_mount(self) -> None:
        self.focus_first_button()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss("reload" if event.button.id == "choice-reload" else None)


class UpdateScreen(ModalScreen[WriteRequest | None]):
    """An update expression for one item, with the new image and the diff previewed as you type
    (``apply_update`` on the item as read); ``enter`` or ``ctrl+s`` writes it (only if the item exists,
    and the condition, when given, holds)."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("ctrl+s", "write", "Write", id="update.write", tooltip="Write the update"),
        Binding("escape", "dismiss(None)", "Cancel", id="update.cancel", tooltip="Close, writing nothing"),
    ]

    def __init__(self, schema: TableSchema, item: Item, *, text: str = "", condition: str = "") -> None:
        super().__init__()
        self.schema = schema
        self.item = item
        self.text = text
        self.condition = condition
        self.request: WriteRequest | None = None
        self.error: str | None = None
        self.changes: list[Change] = []

    def compose(self) -> ComposeResult:
        key = safe_text(key_text(key_of(self.item, self.schema)))
        with Vertical(id="update-dialog", classes="dialog write-dialog -tall"):
            yield Static(
                Text(f"Update · {safe_text(self.schema.name)} · {key}", style="bold"), classes="write-title"
            )
            yield Input(
                self.text,
                placeholder="SET total = total + 1, tags = <<'a'>> REMOVE note",
                compact=True,
                id="update-expr",
            )
            yield Input(
                self.condition,
                placeholder="condition (optional), e.g. status = 'OPEN'",
                compact=True,
                id="update-cond",
            )
            yield Static("", id="update-error")
            yield Static("", id="update-summary")
            with VerticalScroll(classes="write-body", id="update-scroll"):
                yield DiffView([], id="update-diff")
            yield Footer()

    def on_mount(self) -> None:
        expr = self.query_one("#update-expr", Input)
        expr.cursor_blink = False
        self.query_one("#update-cond", Input).cursor_blink = False
        expr.focus()
        self._preview()

    @on(Input.Changed)
    def _changed(self) -> None:
        self._preview()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    def _preview(self) -> None:
        text = self.query_one("#update-expr", Input).value.strip()
        condition = self.query_one("#update-cond", Input).value.strip() or None
        self.request, self.error, self.changes = None, None, []
        summary_line = Text("")
        if not text:
            self.error = ""
            summary_line = Text("type an update expression: SET, REMOVE, ADD, DELETE", style="dim")
        else:
            try:
                request = update_request(
                    self.schema, key_of(self.item, self.schema), text, condition=condition
                )
                new = request.new_image(self.item)
                assert new is not None
                check_item(new, self.schema)
            except UsageError as e:  # ExprError included: its text points at the column
                self.error = str(e)
            else:
                self.request = request
                self.changes = diff_items(self.item, new, deep=True)
                cost = write_units(self.item, new, self.schema).to_capacity(estimated=True)
                summary_line = Text(f"{summary(self.changes)} · {capacity_text(cost)}")
                if condition:
                    summary_line.append(" · the condition is checked when it is written", style="dim")
        error = self.query_one("#update-error", Static)
        error.update(Text(safe_lines(self.error), style="red") if self.error else Text(""))
        error.display = bool(self.error)
        self.query_one("#update-summary", Static).update(summary_line)
        diff = self.query_one("#update-diff", DiffView)
        diff.show(self.changes)
        diff.display = self.request is not None

    def action_write(self) -> None:
        if self.request is None:
            self.notify(
                safe_text(self.error or "type an update expression first"), severity="error", markup=False
            )
            return
        if not self.changes:
            self.notify("this update changes nothing in the item as read", severity="warning", markup=False)
            return
        self.dismiss(self.request)
