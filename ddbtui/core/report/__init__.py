"""The table health and design report: facts in, findings out, rendered as Markdown or JSON.

``ddbtui.aws.report`` gathers the facts (DescribeTable, TTL, backups, tags, autoscaling, Contributor
Insights and a bounded sample of items); this package only reasons about them, so every rule can be tested
with hand-made facts. A fact an API could not supply is an ``Unknown`` with the reason, never an error.

Each finding has a severity (critical, warning, info), a concrete recommendation, and the command or API
call that fixes it (AWS CLI, with the region and endpoint of the connection, so it can be pasted).

Table data is untrusted: every value from the table is passed through ``safe_text`` and Markdown-escaped
before it is rendered.

Layout: ``model`` (the facts, the thresholds, ``Finding``), ``sample`` (``SampleAccumulator``), ``rules``
(one module per area — ``settings`` and protection, ``capacity`` and billing, ``indexes``, ``keys`` and
distribution, ``items`` and TTL — every rule listed in ``rules.RULES``), ``common`` (helpers shared by
rules and renderers), ``summary`` (configuration / indexes / sample as JSON values), and the renderers
``json_report`` and ``markdown``, which only present what the rules found. Sub-modules import each
other, never this package.

Pure: stdlib and ``ddbtui.core`` only.
"""

from ddbtui.core.report.json_report import report_json
from ddbtui.core.report.markdown import _config_rows, md, render_markdown
from ddbtui.core.report.model import (
    SEVERITY_ORDER,
    Finding,
    SampleFacts,
    Severity,
    TableFacts,
    TtlStats,
    Unknown,
)
from ddbtui.core.report.rules import RULES, Rule, findings
from ddbtui.core.report.rules.keys import hot_partitions
from ddbtui.core.report.sample import SampleAccumulator
from ddbtui.core.report.summary import configuration, indexes, sample_json

__all__ = [
    "RULES",
    "SEVERITY_ORDER",
    "Finding",
    "Rule",
    "SampleAccumulator",
    "SampleFacts",
    "Severity",
    "TableFacts",
    "TtlStats",
    "Unknown",
    "_config_rows",
    "configuration",
    "findings",
    "hot_partitions",
    "indexes",
    "md",
    "render_markdown",
    "report_json",
    "sample_json",
]
