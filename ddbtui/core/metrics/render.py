"""The metrics of one refresh as plain text (a compact table with a sparkline per series, then the
diagnosis and the billing advice), as JSON-ready points, and as CSV rows. Plain characters only (the
sparkline's unicode blocks aside): readable with NO_COLOR, in a log and over SSH. Names from the server
go through ``safe_text``."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.metrics.billing import BillingAdvice
from ddbtui.core.metrics.diagnosis import Diagnosis, Metrics
from ddbtui.core.metrics.insights import Insights, insights_json, insights_lines
from ddbtui.core.metrics.queries import MetricKey
from ddbtui.core.metrics.series import Series, format_number, sparkline, utc_label
from ddbtui.core.metrics.settings import TableSettings
from ddbtui.core.metrics.window import Window, format_duration
from ddbtui.core.values import safe_text

SPARK_WIDTH = 32
ALWAYS = ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")
_NAMES = {
    "ConsumedReadCapacityUnits": "read units/s",
    "ConsumedWriteCapacityUnits": "write units/s",
    "ProvisionedReadCapacityUnits": "provisioned read",
    "ProvisionedWriteCapacityUnits": "provisioned write",
    "ReadThrottleEvents": "read throttle events",
    "WriteThrottleEvents": "write throttle events",
    "ThrottledRequests": "throttled",
    "SuccessfulRequestLatency": "latency ms",
    "SystemErrors": "system errors",
    "ReturnedItemCount": "items returned",
    "UserErrors": "user errors (account)",
    "OnlineIndexPercentageProgress": "index build %",
}


def label(key: MetricKey) -> str:
    out = _NAMES.get(key.metric, key.metric)
    if key.stat == "p99":
        out = out.replace("latency", "latency p99")
    if key.operation:
        out += f" {key.operation}"
    return out


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _groups(metrics: Metrics, settings: TableSettings) -> list[tuple[str, list[Series]]]:
    order = [None, *settings.gsi_names]
    out = []
    for index in order:
        rows = [s for k, s in metrics.items() if k.index == index and (s.has_data or k.metric in ALWAYS)]
        if rows or index is None:
            out.append(("table" if index is None else f"GSI {safe_text(index)}", rows))
    return [(h, rows) for h, rows in out if rows]


def render_text(
    settings: TableSettings,
    window: Window,
    metrics: Metrics,
    found: list[Diagnosis],
    advice: BillingAdvice | None,
    notes: list[str] | None = None,
    width: int = 80,
    insights: Insights | None = None,
) -> str:
    mode = "on-demand" if settings.on_demand else "provisioned"
    lines = [
        f"{safe_text(settings.name)} · {mode} · last {format_duration(window.seconds)} "
        f"({window.points} x {format_duration(window.period)}, to {utc_label(window.end)} UTC)",
        "",
    ]
    head = f"{'':26} {'':{SPARK_WIDTH}} {'peak':>7} {'avg':>7} {'peak at':>11}"
    empty = sum(1 for s in metrics.values() if not s.has_data and s.key.metric not in ALWAYS)
    for title, rows in _groups(metrics, settings):
        lines.append(
            f"{title:26} {'':{SPARK_WIDTH}} {'peak':>7} {'avg':>7} {'peak at':>11}" if title else head
        )
        for s in rows:
            shown = s.shown()
            top = s.peak()
            cells = sparkline(shown, SPARK_WIDTH) if s.has_data else "(no data points)".ljust(SPARK_WIDTH)
            lines.append(
                f"  {label(s.key)[:24]:24} {cells:{SPARK_WIDTH}} {format_number(top):>7} "
                f"{format_number(s.average()):>7} {utc_label(s.peak_time(), window):>11}"
            )
        lines.append("")
    if empty:
        lines.append(f"({empty} series without data points in the window are not shown)")
        lines.append("")
    lines.append("Throttling")
    if not found:
        lines.append("  no throttle events in the window")
    for d in found:
        lines.append(f"  [{d.severity}] {safe_text(d.title)}")
        lines += textwrap.wrap(
            safe_text(d.detail), width - 4, initial_indent="    ", subsequent_indent="    "
        )
        lines += textwrap.wrap(
            "do: " + safe_text(d.action), width - 4, initial_indent="    ", subsequent_indent="        "
        )
        if d.command:
            lines.append(f"    $ {safe_text(d.command)}")
    lines.append("")
    if advice is not None:
        lines += billing_lines(advice, width)
    if insights is not None:
        lines += [*insights_lines(insights, settings.name, width), ""]
    for n in notes or []:
        lines.append(f"note: {n}")
    return "\n".join(lines).rstrip("\n") + "\n"


def billing_lines(advice: BillingAdvice, width: int = 80) -> list[str]:
    lines = ["Billing (monthly, from the window's consumed capacity)"]
    for o in advice.options:
        mark = "now " if o.name == advice.current else "    "
        best = " <- recommended" if o.name == advice.recommended and o.name != advice.current else ""
        lines.append(f"  {mark}{o.label:46} ${o.monthly:>10,.2f}{best}")
    lines += textwrap.wrap(
        safe_text(advice.summary), width - 2, initial_indent="  ", subsequent_indent="    "
    )
    if advice.command:
        lines.append(f"  $ {safe_text(advice.command)}")
    for c in advice.caveats:
        lines += textwrap.wrap(c, width - 4, initial_indent="  - ", subsequent_indent="    ")
    return lines


def series_json(s: Series) -> dict[str, Any]:
    k = s.key
    return {
        "metric": k.metric,
        "stat": k.stat,
        "index": k.index,
        "operation": k.operation,
        "kind": k.kind,  # rate: per_second = value / period
        "peak": s.peak(),
        "average": s.average(),
        "peak_time": None if s.peak_time() is None else _iso(s.peak_time() or 0),
        "points": [
            {
                "t": _iso(s.window.bucket_start(i)),
                "value": v,
                **({"per_second": v / s.window.period} if k.kind == "rate" else {}),
            }
            for i, v in enumerate(s.values)
            if v is not None
        ],
    }


def metrics_json(
    settings: TableSettings,
    window: Window,
    metrics: Metrics,
    found: list[Diagnosis],
    advice: BillingAdvice | None,
    calls: int = 0,
    notes: list[str] | None = None,
    insights: Insights | None = None,
) -> dict[str, Any]:
    return {
        "table": settings.name,
        "billing_mode": "PAY_PER_REQUEST" if settings.on_demand else "PROVISIONED",
        "window": {
            "start": _iso(window.start),
            "end": _iso(window.end),
            "period": window.period,
            "points": window.points,
        },
        "get_metric_data_calls": calls,
        "series": [series_json(s) for s in metrics.values()],
        "diagnosis": [d.to_json() for d in found],
        "billing": None if advice is None else advice.to_json(),
        "contributor_insights": None if insights is None else insights_json(insights),
        "notes": list(notes or []),
    }


CSV_COLUMNS = ("timestamp", "resource", "metric", "stat", "operation", "value", "per_second")


def csv_rows(metrics: Metrics) -> list[tuple[Any, ...]]:
    rows = []
    for s in metrics.values():
        k = s.key
        for i, v in enumerate(s.values):
            if v is None:
                continue
            per = v / s.window.period if k.kind == "rate" else ""
            rows.append(
                (_iso(s.window.bucket_start(i)), k.resource, k.metric, k.stat, k.operation or "", v, per)
            )
    return rows
