"""The bottom line: the session's capacity ledger with the connection (the advisor's is advisor_line.py)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ddbtui.core.capacity import Ledger, format_cost, format_units
from ddbtui.core.values import safe_text

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
CONNECTION_KEPT = 20  # columns of the connection label kept on screen however long the activity is


class StatusBar(Horizontal):
    """``session: 14 requests · 37.5 RCU est. · $0.0000047 │ demo · us-east-1 │ READ-ONLY`` + activity."""

    def __init__(self, ledger: Ledger, connection: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ledger = ledger
        self.connection = connection
        self.activity = ""  # "running Query…", "seeding 1,200/13,000", …
        self.busy = False
        self._frame = 0
        self.retry = ""  # "retrying Scan: try 2 of 5 after ThrottlingException", while it is news
        self._retry_until = 0.0
        self.throttle = ""  # "Shop: 150 throttles in 3h": the open table's last metrics refresh

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield Static(Text(" READ-ONLY ", style="reverse bold"), id="status-badge")

    def on_mount(self) -> None:
        self.set_interval(0.1, self._tick)
        self.render_status()

    def on_resize(self) -> None:
        self.render_status()  # the activity is cut to the new width

    def _tick(self) -> None:
        if self.retry and time.monotonic() >= self._retry_until:
            self.retry = ""
            self.render_status()
        if self.busy:
            self._frame = (self._frame + 1) % len(SPINNER)
            self.render_status()

    def set_retry(self, text: str, seconds: float = 8.0) -> None:
        """Show a retry in progress (in the warning colour) until the next activity or ``seconds``."""
        self.retry = text
        self._retry_until = time.monotonic() + seconds
        self.render_status()

    def set_throttle(self, text: str) -> None:
        """The open table's throttle indicator (in the error colour); "" hides it."""
        self.throttle = text
        self.render_status()

    def set_badge(self, label: str, writes: bool) -> None:
        """``READ-ONLY``, or ``WRITES ON`` / ``WRITES: A, B`` in the error colour while writes are enabled."""
        badge = self.query_one("#status-badge", Static)
        badge.update(Text(f" {safe_text(label)} ", style="reverse bold"))
        badge.set_class(writes, "-writes")

    def set_activity(self, text: str, busy: bool = False) -> None:
        self.activity = text
        self.busy = busy
        if not busy:
            self.retry = ""  # the request ended: its retries are over
        self.render_status()

    def render_status(self) -> None:
        t = self.ledger.totals()
        noun = "request" if t.requests == 1 else "requests"
        est = " est." if t.estimated else ""
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.activity:
            spin = SPINNER[self._frame] + " " if self.busy else ""
            line.append(spin + safe_text(self.activity) + "  ", style="bold")
        if self.retry:
            line.append("⟳ " + safe_text(self.retry) + "  ", style="bold yellow")
        if self.throttle:
            line.append("⚠ " + safe_text(self.throttle) + "  ", style="bold red")
        line.append(f"session: {t.requests:,} {noun} · {format_units(t.read_units)} RCU{est}")
        if t.write_units:
            line.append(f" · {format_units(t.write_units)} WCU")
        line.append(f" · {format_cost(t.cost)}")
        connection = Text("  " + safe_text(self.connection), style="dim")
        # Which database this is must stay in sight: a long activity ("seeding demo data 8,725/12,282
        # items", a retry) is cut before it pushes the connection off an 80-column line; the idle line, only
        # the session's totals before it, is laid out as it always was.
        width = self.query_one("#status-text", Static).size.width
        keep = min(connection.cell_len, CONNECTION_KEPT)
        if (self.activity or self.retry or self.throttle) and width and line.cell_len + keep > width:
            line.truncate(max(width - keep, 1), overflow="ellipsis")
        line.append_text(connection)
        self.query_one("#status-text", Static).update(line)
