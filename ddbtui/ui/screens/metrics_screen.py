"""f11: the open table's CloudWatch metrics (``ddbtui metrics`` in the workbench).

A thread worker reads one window (one GetMetricData call, ``ddbtui.aws.metrics.read_metrics``) and the
screen shows, per resource (the table, then each GSI), one row a series: its name, a Textual ``Sparkline``
of the values shown (units per second for consumed capacity, as the console and ``ddbtui metrics`` show
them; a missing point drawn as 0), the peak, the average and the peak's time. Throttle series that saw
events are highlighted. Below come the throttling diagnosis and the billing advice, from the same core
functions and in the same words as ``ddbtui metrics``. The window is refreshed every minute; ``1``..``4``
switch it (15m, 3h, 1d, 2w), ``r`` reads it again now. Escape closes: the timer stops with the screen and a
read still on the wire is dropped. Without CloudWatch (no permission, DynamoDB Local) one line says so.

Textual's ``Sparkline`` scales each line from its own minimum to its maximum: a steady series is a flat
line, whatever its level; the figures beside it say how high it is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Sparkline, Static

from ddbtui.core.metrics import BillingAdvice, Diagnosis, MetricKey, Series, format_number, utc_label
from ddbtui.core.metrics.insights import insights_lines
from ddbtui.core.metrics.render import ALWAYS, billing_lines, label
from ddbtui.core.metrics.window import format_duration
from ddbtui.core.values import safe_text

WINDOWS = ("15m", "3h", "1d", "2w")  # keys 1..4
DEFAULT_WINDOW = "3h"
REFRESH_SECONDS = 60.0
THROTTLE_METRICS = ("ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests")
SEVERITY_STYLES = {"critical": "bold red", "warning": "bold yellow", "info": "bold cyan"}
LABEL_WIDTH = 24
FIGURES_WIDTH = 28  # peak 8, avg 8, peak at 12


def figures(s: Series | None) -> str:
    if s is None:
        return f"{'peak':>8}{'avg':>8}{'peak at':>12}"
    return (
        f"{format_number(s.peak()):>8}{format_number(s.average()):>8}{utc_label(s.peak_time(), s.window):>12}"
    )


def throttled(s: Series) -> bool:
    return s.key.metric in THROTTLE_METRICS and s.total() > 0


def diagnosis_text(found: list[Diagnosis]) -> Text:
    """The throttling findings as ``ddbtui metrics`` words them: severity, title, detail, what to do, the
    command. Every part is the server's data or built from it: ``safe_text`` inside ``Text``."""
    t = Text()
    t.append("Throttling\n", style="bold underline")
    if not found:
        t.append("  no throttle events in the window\n", style="green")
    for d in found:
        t.append(f"  [{d.severity}] ", style=SEVERITY_STYLES.get(d.severity, "bold"))
        t.append(safe_text(d.title) + "\n", style="bold")
        t.append("    " + safe_text(d.detail) + "\n", style="dim")
        t.append("    do: " + safe_text(d.action) + "\n")
        if d.command:
            t.append("    $ ", style="dim")
            t.append(safe_text(d.command) + "\n", style="green")
    return t


def billing_text(advice: BillingAdvice | None, width: int) -> Text:
    """The billing advice: the lines of ``ddbtui metrics`` (``core.metrics.render.billing_lines``)."""
    t = Text()
    if advice is None:
        return t
    for n, line in enumerate(billing_lines(advice, width)):
        style = "bold underline" if n == 0 else ""
        if "<- recommended" in line:
            style = "bold green"
        elif line.lstrip().startswith("$ "):
            style = "green"
        elif line.lstrip().startswith("- "):
            style = "dim"
        t.append(line + "\n", style=style)  # billing_lines passed the names through safe_text
    return t


class MetricsScreen(ModalScreen[None]):
    """The metrics of ``table``. ``on_reading(table, reading)`` is called after each refresh that read
    CloudWatch (``reading`` None when metrics are unavailable). ``demo``: seed the demo's metrics first."""

    DEFAULT_CSS = """
    #metrics-dialog { height: 90%; }
    #metrics-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    #metrics-rows { height: auto; }
    .metrics-row { height: 1; }
    .metrics-head { margin-top: 1; }
    .metrics-label { width: 24; text-wrap: nowrap; text-overflow: ellipsis; }
    .metrics-figures { width: 28; }
    .metrics-spark, .metrics-nodata { width: 1fr; }
    .metrics-nodata { color: $text-muted; }
    .metrics-row.-throttle .metrics-label { color: $text-error; text-style: bold; }
    .metrics-row.-throttle Sparkline > .sparkline--max-color { color: $error; }
    .metrics-row.-throttle Sparkline > .sparkline--min-color { color: $error 40%; }
    #metrics-diagnosis, #metrics-billing, #metrics-notes { margin-top: 1; }
    #metrics-notes { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="metrics.close", tooltip="Close the metrics"),
        *[
            Binding(
                str(n),
                f"window('{w}')",
                w,
                id=f"metrics.window_{w}",
                tooltip=f"Metrics: the last {format_duration(_s)}",
            )
            for n, w, _s in ((1, "15m", 900), (2, "3h", 10800), (3, "1d", 86400), (4, "2w", 1209600))
        ],
        Binding("r", "refresh", "Refresh", id="metrics.refresh", tooltip="Read the metrics again now"),
    ]

    def __init__(
        self,
        client: Any,
        connection: Any,
        table: str,
        *,
        since: str = DEFAULT_WINDOW,
        demo: bool = False,
        clock: Callable[[], float] = time.time,
        on_reading: Callable[[str, Any], None] | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        super().__init__()
        self.client = client
        self.connection = connection
        self.table = table
        self.since = since
        self.demo = demo
        self.clock = clock
        self.on_reading = on_reading
        self.refresh_seconds = refresh_seconds
        self.cancel = threading.Event()
        self._token = 0  # the refresh whose answer is awaited; an older one is dropped
        self.reading: Any = None  # ddbtui.aws.metrics.MetricsReading of the last refresh
        self.found: list[Diagnosis] = []
        self.advice: BillingAdvice | None = None
        self.insights: Any = None  # ddbtui.core.metrics.insights.Insights of the last refresh
        self.unavailable = ""  # the one line, when CloudWatch cannot be read
        self.sparklines: dict[MetricKey, Sparkline] = {}
        self._rows: dict[MetricKey, tuple[Horizontal, Static, Static]] = {}  # row, label, figures
        self._layout: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="metrics-dialog", classes="dialog"):
            yield Static(Text(f"Metrics · {safe_text(self.table)}", style="bold"), id="metrics-title")
            yield Static(Text(f"reading CloudWatch: the last {self.since}…"), id="metrics-status")
            with VerticalScroll(id="metrics-scroll"):
                yield Vertical(id="metrics-rows")
                yield Static(Text(""), id="metrics-diagnosis")
                yield Static(Text(""), id="metrics-billing")
                yield Static(Text(""), id="metrics-insights")
                yield Static(Text(""), id="metrics-notes")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#metrics-scroll").focus()
        self.set_interval(self.refresh_seconds, self.refresh_metrics)
        self.refresh_metrics()

    def on_unmount(self) -> None:
        self.cancel.set()

    # --- reading ---------------------------------------------------------------------------------------

    def refresh_metrics(self) -> None:
        self._token += 1
        self._read(self._token, self.since)

    def _current(self, token: int) -> bool:
        return token == self._token and not self.cancel.is_set()

    @work(thread=True, exclusive=True, group="metrics", exit_on_error=False)
    def _read(self, token: int, since: str) -> None:
        from ddbtui.aws.insights import read_insights
        from ddbtui.aws.metrics import MetricsUnavailable, read_metrics, seed_demo_metrics
        from ddbtui.core.metrics import advise, diagnose

        def post(fn: Callable[..., Any], *args: Any) -> None:
            if self._current(token):
                self.app.call_from_thread(fn, token, *args)

        try:
            now = self.clock()
            if self.demo:
                seed_demo_metrics(self.client, self.connection, (self.table,), now=now)
            reading = read_metrics(self.client, self.connection, self.table, since=since, now=now)
            found = diagnose(reading.metrics, reading.settings)
            advice = advise(reading.metrics, reading.settings, reading.window)
            insights = read_insights(
                self.connection, self.table, list(reading.settings.gsi_names), reading.window
            )
        except MetricsUnavailable as e:
            post(self._unavailable, str(e))
            return
        except Exception as e:  # noqa: BLE001 - shown in the dialog; the app keeps running
            post(self._failed, str(e) or type(e).__name__)
            return
        post(self._show, reading, found, advice, now, insights)

    # --- showing ---------------------------------------------------------------------------------------

    def _status(self, text: Text) -> None:
        self.query_one("#metrics-status", Static).update(text)

    def _clear(self) -> None:
        self.query_one("#metrics-rows").remove_children()
        self.sparklines, self._rows, self._layout = {}, {}, ()
        for part in ("#metrics-diagnosis", "#metrics-billing", "#metrics-insights", "#metrics-notes"):
            self.query_one(part, Static).update(Text(""))

    def _unavailable(self, token: int, message: str) -> None:
        if not (self.is_mounted and self._current(token)):
            return
        self.reading, self.found, self.advice, self.unavailable = None, [], None, message
        self._clear()
        self._status(Text("✗ " + safe_text(message), style="bold yellow"))
        if self.on_reading is not None:
            self.on_reading(self.table, None)

    def _failed(self, token: int, message: str) -> None:
        if self.is_mounted and self._current(token):
            self._status(Text("✗ " + safe_text(message), style="bold red"))

    def _groups(self, reading: Any) -> list[tuple[str, list[Series]]]:
        """The table, then each GSI: the series with data points, and consumed capacity always."""
        out = []
        for index in (None, *reading.settings.gsi_names):
            rows = [
                s
                for k, s in reading.metrics.items()
                if k.index == index and (s.has_data or k.metric in ALWAYS)
            ]
            if rows:
                out.append(("table" if index is None else f"GSI {index}", rows))
        return out

    async def _show(
        self,
        token: int,
        reading: Any,
        found: list[Diagnosis],
        advice: BillingAdvice,
        now: float,
        insights: Any = None,
    ) -> None:
        if not (self.is_mounted and self._current(token)):
            return
        self.reading, self.found, self.advice, self.unavailable = reading, found, advice, ""
        settings, window = reading.settings, reading.window
        mode = "on-demand" if settings.on_demand else "provisioned"
        self._status(
            Text(
                f"{safe_text(settings.name)} · {mode} · last {format_duration(window.seconds)} "
                f"({window.points} x {format_duration(window.period)}, to {utc_label(window.end)} UTC)"
            )
        )
        read_at = time.strftime("%H:%M", time.gmtime(now))
        self.query_one("#metrics-title", Static).update(
            Text(f"Metrics · {safe_text(self.table)}", style="bold").append(
                f" · read {read_at} UTC, again every minute", style="dim"
            )
        )
        groups = self._groups(reading)
        layout = (window.points, tuple((t, tuple(s.key for s in rows)) for t, rows in groups))
        if layout != self._layout:
            await self._rebuild(groups)
            self._layout = layout
        for _t, rows in groups:
            for s in rows:
                self._update_row(s)
        empty = sum(1 for s in reading.metrics.values() if not s.has_data and s.key.metric not in ALWAYS)
        self.query_one("#metrics-diagnosis", Static).update(diagnosis_text(found))
        width = max(40, min(100, self.size.width - 6))
        self.query_one("#metrics-billing", Static).update(billing_text(advice, width))
        self.insights = insights
        if insights is not None:  # insights_lines passed every key and name through safe_text
            lines = insights_lines(insights, self.table, width)
            text = Text(lines[0] + "\n", style="bold").append("\n".join(lines[1:]) + "\n")
            self.query_one("#metrics-insights", Static).update(text)
        notes = [f"({empty} series without data points in the window are not shown)"] if empty else []
        if self.demo:
            notes.append("demo: synthetic CloudWatch metrics (two weeks, seeded into the embedded backend)")
        notes += [f"note: {n}" for n in reading.notes]
        self.query_one("#metrics-notes", Static).update(Text(safe_text("\n".join(notes))))
        if self.on_reading is not None:
            self.on_reading(self.table, reading)

    async def _rebuild(self, groups: list[tuple[str, list[Series]]]) -> None:
        box = self.query_one("#metrics-rows")
        await box.remove_children()
        self.sparklines, self._rows = {}, {}
        widgets: list[Widget] = []
        for title, rows in groups:
            widgets.append(
                Horizontal(
                    Static(Text(safe_text(title), style="bold"), classes="metrics-label"),
                    Static("", classes="metrics-spark"),
                    Static(Text(figures(None), style="bold"), classes="metrics-figures"),
                    classes="metrics-row metrics-head",
                )
            )
            for s in rows:
                shown: Widget
                if s.has_data:
                    spark = Sparkline([], summary_function=max, classes="metrics-spark")
                    self.sparklines[s.key] = spark
                    shown = spark
                else:
                    shown = Static(Text("(no data points)"), classes="metrics-nodata")
                name = Static(Text(""), classes="metrics-label")
                fig = Static(Text(""), classes="metrics-figures")
                row = Horizontal(name, shown, fig, classes="metrics-row")
                self._rows[s.key] = (row, name, fig)
                widgets.append(row)
        await box.mount_all(widgets)

    def _update_row(self, s: Series) -> None:
        spark = self.sparklines.get(s.key)
        if spark is not None:
            spark.data = [s.at(i) for i in range(s.window.points)]
        if s.key not in self._rows:
            return
        row, name, fig = self._rows[s.key]
        hot = throttled(s)
        row.set_class(hot, "-throttle")
        name.update(Text(("! " if hot else "  ") + safe_text(label(s.key))))
        fig.update(Text(figures(s), style="bold red" if hot else ""))

    # --- keys ------------------------------------------------------------------------------------------

    def action_window(self, since: str) -> None:
        if since not in WINDOWS:
            return
        self.since = since
        self._status(Text(f"reading CloudWatch: the last {since}…"))
        self.refresh_metrics()

    def action_refresh(self) -> None:
        self.refresh_metrics()

    def action_close(self) -> None:
        self.cancel.set()
        self.dismiss(None)
