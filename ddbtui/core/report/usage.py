"""The report's "Usage and billing" section, from ``ddbtui.core.metrics`` (the figures ``ddbtui metrics``
prints): per resource the peak and average consumed units per second and the throttle events, the
billing options with the recommendation, and — when metrics could not be read — one plain line why."""

from __future__ import annotations

from typing import Any

from ddbtui.core.metrics.diagnosis import get
from ddbtui.core.metrics.render import billing_lines
from ddbtui.core.metrics.series import format_number
from ddbtui.core.metrics.usage import Usage
from ddbtui.core.metrics.window import format_duration
from ddbtui.core.report.model import TableFacts, Unknown
from ddbtui.core.values import safe_text


def _rows(u: Usage) -> list[dict[str, Any]]:
    out = []
    for res in u.settings.resources:
        row: dict[str, Any] = {"resource": res.index or "table"}
        for dim in ("Read", "Write"):
            s = get(u.metrics, f"Consumed{dim}CapacityUnits", res.index)
            t = get(u.metrics, f"{dim}ThrottleEvents", res.index)
            row[f"{dim.lower()}_peak_per_second"] = s.peak() if s else None
            row[f"{dim.lower()}_average_per_second"] = s.average() if s else None
            row[f"{dim.lower()}_throttle_events"] = t.total() if t else 0.0
        out.append(row)
    return out


def usage_json(facts: TableFacts) -> dict[str, Any] | None:
    u = getattr(facts, "usage", None)
    if u is None:
        return None
    if isinstance(u, Unknown):
        return u.to_json()
    w = u.window
    return {
        "status": "read" if u.has_data else "no data",
        "window_seconds": w.seconds,
        "period": w.period,
        "resources": _rows(u) if u.has_data else [],
        "diagnosis": [d.to_json() for d in u.diagnosis],
        "billing": u.advice.to_json() if u.advice else None,
        "notes": u.notes,
    }


def usage_markdown(facts: TableFacts, md: Any) -> list[str]:
    """The section's Markdown lines (``md`` escapes untrusted text); none when metrics were not asked."""
    u = getattr(facts, "usage", None)
    if u is None:
        return []
    lines = ["## Usage and billing", ""]
    if isinstance(u, Unknown):
        return [*lines, f"Metrics are not readable: {md(u.reason, 300)}.", ""]
    w = u.window
    span = f"the last {format_duration(w.seconds)} at {format_duration(w.period)} periods"
    if not u.has_data:
        return [*lines, f"CloudWatch holds no data point for this table in {span}.", ""]
    lines += [f"From CloudWatch, {span} (units per second: the period's Sum / its seconds).", ""]
    lines.append(
        "| Resource | Read peak/s | Read avg/s | Read throttles | Write peak/s | Write avg/s | Write throttles |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for r in _rows(u):
        cells = [md(r["resource"])]
        for dim in ("read", "write"):
            cells += [
                format_number(r[f"{dim}_peak_per_second"]),
                format_number(r[f"{dim}_average_per_second"]),
                format_number(r[f"{dim}_throttle_events"]),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if not u.diagnosis:
        lines += ["No throttle events in the window.", ""]
    for d in u.diagnosis:
        lines.append(f"- {d.severity}: {md(d.title, 300)} (see Findings)")
    lines.append("")
    if u.advice is not None:
        lines += ["```text", *(safe_text(x) for x in billing_lines(u.advice, 100)), "```", ""]
    return lines
