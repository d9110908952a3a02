"""One window of metrics with what the core concluded from it: the report's "Usage and billing" facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ddbtui.core.metrics.billing import BillingAdvice, advise
from ddbtui.core.metrics.diagnosis import Diagnosis, Metrics, diagnose
from ddbtui.core.metrics.settings import TableSettings
from ddbtui.core.metrics.window import Window


@dataclass
class Usage:
    settings: TableSettings
    window: Window
    metrics: Metrics
    diagnosis: list[Diagnosis] = field(default_factory=list)
    advice: BillingAdvice | None = None
    notes: list[str] = field(default_factory=list)
    has_data: bool = True  # False: CloudWatch answered, but with no point in the window


def usage_of(
    settings: TableSettings, window: Window, metrics: Metrics, notes: list[str] | None = None
) -> Usage:
    """The diagnosis and the billing advice of one window (what ``ddbtui metrics`` prints too)."""
    has_data = any(s.has_data for s in metrics.values())
    return Usage(
        settings,
        window,
        metrics,
        diagnose(metrics, settings),
        advise(metrics, settings, window) if has_data else None,
        list(notes or []),
        has_data,
    )
