"""f11: the open table's CloudWatch metrics (``ui.screens.metrics_screen``), and the status bar's
throttle indicator, set from each refresh of the open table that saw throttle events."""

from __future__ import annotations

from typing import Any

from ddbtui.core.metrics import throttle_total
from ddbtui.core.metrics.window import format_duration
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.host import Host
from ddbtui.ui.screens.metrics_screen import MetricsScreen


def throttle_indicator(table: str, reading: Any) -> str:
    """``Shop: 150 throttles in 3h`` when the reading saw throttle events, else ""."""
    if reading is None:
        return ""
    total = throttle_total(reading.metrics)
    if total <= 0:
        return ""
    noun = "throttle" if total == 1 else "throttles"
    return f"{table}: {total:,.0f} {noun} in {format_duration(reading.window.seconds)}"


class MetricsController:
    """Opens the metrics screen of the open table (in ``--demo``, its demo metrics seeded first)."""

    def __init__(self, app: Host) -> None:
        self.app = app

    def open(self) -> None:
        app = self.app
        if app.schema is None:
            app.notify("open a table first", markup=False, timeout=3)
            return
        app.push_screen(
            MetricsScreen(
                app.client,
                app.connection,
                app.schema.name,
                demo=bool(app.seed_demo),
                clock=app.clock,
                on_reading=self.refreshed,
            )
        )

    def refreshed(self, table: str, reading: Any) -> None:
        """After a refresh: the status bar's throttle indicator, for the open table only."""
        schema = self.app.schema
        if schema is not None and schema.name == table:
            self.app.status.set_throttle(throttle_indicator(table, reading))

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand(
                "Table metrics",
                "f11: CloudWatch metrics of the open table, what throttles it, its billing mode",
                self.open,
            )
        ]
