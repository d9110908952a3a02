"""Series on the window's grid: missing points kept as None, peak, average, the peak's time, sparklines.

CloudWatch leaves out the periods in which a metric had no data point (DynamoDB sends none for a minute
without requests, and throttle metrics only when something was throttled). For a Sum that is zero
traffic, so totals and averages count a missing point as 0; for a gauge (an Average: latency, provisioned
capacity) nothing is known, so its average is over the points present.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.metrics.queries import MetricKey, Query
from ddbtui.core.metrics.window import Window

BLOCKS = "▁▂▃▄▅▆▇█"
MISSING = " "


@dataclass(frozen=True)
class Series:
    key: MetricKey
    window: Window
    values: tuple[float | None, ...]  # one per period; None: no data point

    @property
    def present(self) -> list[float]:
        return [v for v in self.values if v is not None]

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values)

    def shown(self) -> list[float | None]:
        """What is shown: per second for a rate (Sum / period, as the console does), else the value."""
        if self.key.kind == "rate":
            p = self.window.period
            return [None if v is None else v / p for v in self.values]
        return list(self.values)

    def total(self) -> float:
        """The Sum over the window (missing = 0); for a gauge, the sum of the points present."""
        return sum(self.present)

    def peak(self) -> float | None:
        vals = [v for v in self.shown() if v is not None]
        return max(vals) if vals else None

    def peak_time(self) -> int | None:
        """The start (epoch seconds) of the first period holding the peak."""
        shown = self.shown()
        best = self.peak()
        if best is None:
            return None
        return self.window.bucket_start(next(i for i, v in enumerate(shown) if v == best))

    def average(self) -> float | None:
        """Per second over the whole window for a rate; per period for a count; over points for a gauge."""
        if self.key.kind == "rate":
            return self.total() / self.window.seconds
        if self.key.kind == "count":
            return self.total() / self.window.points
        vals = self.present
        return sum(vals) / len(vals) if vals else None

    def at(self, i: int) -> float:
        """The shown value of period ``i`` with a missing point as 0."""
        v = self.shown()[i]
        return 0.0 if v is None else v


def series_from_results(
    queries: list[Query], results: Iterable[Mapping[str, Any]], window: Window
) -> dict[MetricKey, Series]:
    """GetMetricData's MetricDataResults (timestamps as datetimes or epoch numbers) on the window's grid.
    A point outside the window is dropped; two in one period are added (a Sum) or the last kept."""
    by_id = {q.id: q for q in queries}
    grids: dict[str, list[float | None]] = {q.id: [None] * window.points for q in queries}
    for r in results:
        q = by_id.get(str(r.get("Id")))
        if q is None:
            continue
        grid = grids[q.id]
        for ts, value in zip(r.get("Timestamps") or [], r.get("Values") or [], strict=False):
            t = ts.timestamp() if isinstance(ts, datetime) else float(ts)
            i = math.floor((t - window.start) / window.period)
            if 0 <= i < window.points and value is not None:
                v = float(value)
                old = grid[i]
                grid[i] = v if old is None or q.key.kind == "gauge" else old + v
    return {q.key: Series(q.key, window, tuple(grids[q.id])) for q in queries}


def sparkline(values: list[float | None], width: int = 40, top: float | None = None) -> str:
    """Unicode blocks ▁..█ scaled from 0 to ``top`` (default the peak); a missing point is a space.
    More values than ``width`` are grouped, each group showing its maximum (a spike stays visible)."""
    if not values:
        return ""
    groups: list[list[float | None]]
    if len(values) > width:
        groups = [values[i * len(values) // width : (i + 1) * len(values) // width] for i in range(width)]
    else:
        groups = [[v] for v in values]
    cells: list[float | None] = []
    for g in groups:
        present = [v for v in g if v is not None]
        cells.append(max(present) if present else None)
    known = [c for c in cells if c is not None]
    scale = top if top is not None else (max(known) if known else 0.0)
    out = []
    for c in cells:
        if c is None:
            out.append(MISSING)
        elif scale <= 0:
            out.append(BLOCKS[0])
        else:
            out.append(BLOCKS[min(7, max(0, math.ceil(c / scale * 8) - 1))])
    return "".join(out)


def utc_label(epoch: int | None, window: Window | None = None) -> str:
    """``16:42`` within a day's window, else ``12-06 16:42`` (UTC)."""
    if epoch is None:
        return "-"
    d = datetime.fromtimestamp(epoch, UTC)
    if window is not None and window.seconds <= 86400:
        return d.strftime("%H:%M")
    return d.strftime("%m-%d %H:%M")


def format_number(v: float | None) -> str:
    """A figure for a compact table: 0, 3.25, 41.7, 1,234, 12.3k, 4.56M."""
    if v is None:
        return "-"
    a = abs(v)
    if a == 0:
        return "0"
    if a < 10:
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if a < 100:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    if a < 10_000:
        return f"{v:,.0f}"
    if a < 1_000_000:
        return f"{v / 1000:.1f}k"
    return f"{v / 1_000_000:.2f}M"
