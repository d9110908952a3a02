"""What the workbench says about itself: errors, retries in progress, and the results pane's page title
(the page under the cursor: Count, ScannedCount, capacity) and subtitle (the run's totals).

The bottom line itself — the session's capacity ledger, the activity and the writes badge — is the
``StatusBar`` widget; this module decides what goes into it and into the results pane's border.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.message import Message

from ddbtui.aws.retries import RetryEvent
from ddbtui.core.capacity import format_units
from ddbtui.core.values import safe_text
from ddbtui.ui.host import Host
from ddbtui.ui.results import capacity_text

RETRY_TOAST_EVERY = 3.0  # seconds: a throttled parallel scan retries many times a second


class RetrySeen(Message):
    """botocore is about to retry a request (sent from the worker thread that made it)."""

    def __init__(self, event: RetryEvent) -> None:
        super().__init__()
        self.event = event


class StatusLines:
    """Errors, retries and the page info of the results pane, for the app and its controllers."""

    def __init__(self, app: Host) -> None:
        self.app = app
        self._last_retry_toast = float("-inf")

    def show_error(self, message: str, *, in_results: bool = True) -> None:
        """An error as literal text: a toast, and in the results pane when it holds no rows."""
        app = self.app
        app.notify(safe_text(message), title="Error", severity="error", markup=False, timeout=10)
        if in_results and not app.results.rows:
            app.results.set_message(Text("✗ " + safe_text(message), style="bold red"))
        app.status.set_activity("")

    def retry_seen(self, event: RetryEvent) -> None:
        """In the status bar while it is news; a toast at most every few seconds."""
        text = event.describe()
        # The event comes from the worker thread through the app's queue; the request's end reaches the
        # status bar another way and can overtake it. A retry that arrives after its request ended (nothing
        # busy) is still toasted but must not stay on the line as if a request were being retried.
        if self.app.status.busy:
            self.app.status.set_retry(text)
        now = time.monotonic()
        if now - self._last_retry_toast >= RETRY_TOAST_EVERY:
            self._last_retry_toast = now
            self.app.notify(safe_text(text), title="retrying", severity="warning", timeout=4, markup=False)

    # --- the results pane's border ----------------------------------------------------------------------

    def clear_page_info(self) -> None:
        pane = self.app.query_one("#results-pane")
        pane.border_title = "Results"
        pane.border_subtitle = None

    def show_page_info(self, row: int | None = None) -> None:
        app = self.app
        result = app.result
        if result is None:
            return
        row = app.results.cursor_row if row is None else row
        page = result.page_of_row(row)
        # The page under the cursor (title): its Count / ScannedCount / capacity; the totals below.
        pane = app.query_one("#results-pane")
        if page is None:
            pane.border_title = "Results"
        else:
            pane.border_title = Text(
                f"p{page.number}/{len(result.pages)} Count {page.count:,} · Scanned {page.scanned:,} · "
                + capacity_text(page.capacity)
            )
        total = f"{result.items:,} items"
        selected = len(app.results.selected)
        if selected:
            total = f"{selected:,} selected · {total}"
        if len(result.pages) > 1 and result.capacity is not None:
            total += (
                f" · {format_units(result.capacity.total)} RCU{' est.' if result.capacity.estimated else ''}"
            )
        if result.has_more:
            total += " · more: n"
        elif result.pages:
            total += " · end"
        pane.border_subtitle = Text(total)
