"""Small dialogs: the capacity cap before "fetch all", the request's exact parameters, the history."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ddbtui.core.requests import ReadRequest
from ddbtui.core.values import safe_text
from ddbtui.ui.history import describe_request
from ddbtui.ui.safe import params_json, safe_lines


class FetchAllScreen(ModalScreen[float | None]):
    """Asks for the capacity cap "fetch all" stops at; dismisses with it, or None to not start."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="fetch_all.cancel")]

    def __init__(self, cap: float, estimate: str) -> None:
        super().__init__()
        self.cap = cap
        self.estimate = estimate

    def compose(self) -> ComposeResult:
        with Vertical(id="fetch-all-dialog", classes="dialog"):
            yield Static(Text("Fetch all pages", style="bold"))
            yield Static(Text(safe_text(self.estimate)))
            yield Static(Text("Stop when the capacity used reaches (RCU), enter to start, escape to cancel:"))
            yield Input(f"{self.cap:g}", id="fetch-all-cap", type="number")
            yield Static("", id="fetch-all-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            cap = float(event.value.replace(",", ""))
        except ValueError:
            cap = -1
        if cap <= 0:
            self.query_one("#fetch-all-error", Static).update(Text("a positive number of RCU", style="red"))
            return
        self.dismiss(cap)


class RequestScreen(ModalScreen[None]):
    """The exact boto3 parameters of the request in the builder; ``y`` copies them as JSON."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="request.close"),
        Binding("y", "copy", "Copy JSON", id="request.copy"),
    ]

    def __init__(self, api: str, params: dict[str, Any]) -> None:
        super().__init__()
        self.api = api
        self.text = params_json(params, indent=2)

    def compose(self) -> ComposeResult:
        with Vertical(id="request-dialog", classes="dialog"):
            yield Static(Text(f"client.{self.api}(**params) — the exact parameters", style="bold"))
            yield TextArea(safe_lines(self.text), language="json", read_only=True)
            yield Footer()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("request copied to the clipboard as JSON (OSC 52)", timeout=2, markup=False)


class HistoryScreen(ModalScreen[ReadRequest | None]):
    """Recent requests, newest first; ``enter`` loads one into the builder."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="history.close")]

    def __init__(self, requests: list[ReadRequest], title: str) -> None:
        super().__init__()
        self.requests = requests
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog", classes="dialog"):
            yield Static(Text(safe_text(self.title_text), style="bold"))
            ol = OptionList(id="history-list")
            for i, req in enumerate(self.requests):
                ol.add_option(Option(Text(safe_text(describe_request(req)), no_wrap=True), id=str(i)))
            if not self.requests:
                ol.add_option(Option(Text("no requests yet: run one with ctrl+r"), disabled=True))
            yield ol
            yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        if self.requests:
            ol.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.requests[int(event.option.id)])
