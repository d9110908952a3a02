"""Findings from the table's CloudWatch metrics (``facts.usage``, when they could be read): each
throttling diagnosis, and a billing mode that costs more than another one would."""

from __future__ import annotations

from ddbtui.core.metrics.usage import Usage
from ddbtui.core.report.model import Finding, SampleFacts, Severity, TableFacts
from ddbtui.core.schema import TableSchema


def throttling(facts: TableFacts, schema: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    u = getattr(facts, "usage", None)
    if not isinstance(u, Usage):
        return []
    out = []
    for d in u.diagnosis:
        sev: Severity = "critical" if d.severity == "critical" else "warning"
        out.append(Finding(f"metrics-{d.id}-{d.resource}", sev, d.title, d.detail, d.action, d.command))
    return out


def billing_mode(facts: TableFacts, schema: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    u = getattr(facts, "usage", None)
    if not isinstance(u, Usage) or u.advice is None or u.advice.recommended == u.advice.current:
        return []
    a = u.advice
    return [
        Finding(
            "metrics-billing-mode",
            "warning" if a.saving >= 100 else "info",
            f"another billing mode would save ${a.saving:,.2f} a month",
            a.summary + " (from the consumed capacity CloudWatch recorded; " + "; ".join(a.caveats[:2]) + ")",
            "Check the window covers a typical week, then switch.",
            a.command,
        )
    ]
