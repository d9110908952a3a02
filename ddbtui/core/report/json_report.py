"""The report as a JSON-ready dict (``ddbtui report --format json``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ddbtui.core.metrics.insights import insights_json
from ddbtui.core.report.fixes import fixable
from ddbtui.core.report.model import (
    Finding,
    TableFacts,
)
from ddbtui.core.report.rules import findings
from ddbtui.core.report.summary import configuration, indexes, sample_json
from ddbtui.core.report.usage import usage_json


def report_json(facts: TableFacts, found: list[Finding] | None = None) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (``ddbtui report --format json``)."""
    found = findings(facts) if found is None else found
    fixes = fixable(facts, found)
    return {
        "table": facts.name,
        "generated_at": datetime.fromtimestamp(facts.generated_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": facts.region,
        "endpoint_url": facts.endpoint_url,
        "configuration": configuration(facts),
        "indexes": indexes(facts),
        "sample": sample_json(facts.sample),
        "usage": usage_json(facts),
        "contributor_insights": None if facts.insights is None else insights_json(facts.insights),
        # fix_id: the ID ``ddbtui report TABLE --fix ID`` applies (None: no change ddbtui can make)
        "findings": [{**x.to_json(), "fix_id": x.id if x.id in fixes else None} for x in found],
    }
