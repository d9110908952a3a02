"""Metrics of a table from CloudWatch, as pure data: the query set (one GetMetricData call), the window
and its period, series with missing points, sparklines, the throttling diagnosis and the billing-mode
advisor. No I/O: ``ddbtui.aws.metrics`` reads, ``ddbtui.commands.metrics`` prints."""

from ddbtui.core.metrics.billing import BillingAdvice, Option, advise, hourly_required
from ddbtui.core.metrics.diagnosis import Diagnosis, Metrics, diagnose, throttle_total
from ddbtui.core.metrics.queries import MAX_QUERIES, NAMESPACE, MetricKey, Query, batches, build_queries
from ddbtui.core.metrics.series import Series, format_number, series_from_results, sparkline, utc_label
from ddbtui.core.metrics.settings import Resource, Scaling, TableSettings, settings_from
from ddbtui.core.metrics.window import Window, WindowError, choose_period, make_window, parse_duration

__all__ = [
    "MAX_QUERIES",
    "NAMESPACE",
    "BillingAdvice",
    "Diagnosis",
    "MetricKey",
    "Metrics",
    "Option",
    "Query",
    "Resource",
    "Scaling",
    "Series",
    "TableSettings",
    "Window",
    "WindowError",
    "advise",
    "batches",
    "build_queries",
    "choose_period",
    "diagnose",
    "format_number",
    "hourly_required",
    "make_window",
    "parse_duration",
    "series_from_results",
    "settings_from",
    "sparkline",
    "throttle_total",
    "utc_label",
]
