"""Contributor Insights: the keys a table's traffic actually hits, from the rules DynamoDB creates.

When Contributor Insights is on for a table or a GSI, DynamoDB creates CloudWatch Contributor Insights
rules named ``DynamoDBContributorInsights-<KIND>-<resource>-<created>``, with KIND one of

- ``PKC``: the most accessed partition keys; ``SKC``: the most accessed partition + sort keys;
- ``PKT``: the most throttled partition keys; ``SKT``: the most throttled partition + sort keys

(the "throttled keys" mode creates only the ``T`` rules). ``GetInsightRuleReport`` on a rule gives its top
contributors over a window: each a key (one value per key label) and its approximate aggregate. This is
traffic, not stored data: the report's key census counts items, these count requests.

Pure: the shapes are the API responses' own (DescribeContributorInsights, GetInsightRuleReport);
``ddbtui.aws.insights`` reads them.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.values import safe_text

RULE = re.compile(r"^DynamoDBContributorInsights-(PKC|SKC|PKT|SKT)-")
KINDS = {
    "PKC": "most accessed partition keys",
    "SKC": "most accessed items (partition + sort key)",
    "PKT": "most throttled partition keys",
    "SKT": "most throttled items (partition + sort key)",
}
ORDER = ("PKT", "SKT", "PKC", "SKC")  # throttles first: they are what hurts
TOP = 10


def rule_kind(name: str) -> str | None:
    """``PKC`` / ``SKC`` / ``PKT`` / ``SKT`` of a rule DynamoDB created; None for any other rule."""
    m = RULE.match(name or "")
    return m.group(1) if m else None


@dataclass(frozen=True)
class Contributor:
    keys: tuple[str, ...]  # one value per key label (partition key; partition and sort key)
    value: float  # the rule's approximate aggregate over the window
    share: float | None  # of the rule's aggregate over all contributors (None: not known)


@dataclass(frozen=True)
class TopKeys:
    """One rule's report: the top contributors of one kind, for the table or one GSI."""

    index: str | None  # None: the table
    kind: str  # PKC | SKC | PKT | SKT
    rule: str
    labels: tuple[str, ...]
    statistic: str | None  # SUM | COUNT, as the report says
    aggregate: float | None  # over every contributor
    unique: int | None  # approximate distinct contributors
    contributors: tuple[Contributor, ...]

    @property
    def title(self) -> str:
        where = f"GSI {self.index}" if self.index else "table"
        return f"{KINDS[self.kind]} ({where})"


def top_keys(index: str | None, rule: str, report: Mapping[str, Any], top: int = TOP) -> TopKeys | None:
    """The ``GetInsightRuleReport`` answer of ``rule`` as ``TopKeys``; None for a rule ddbtui does not know."""
    kind = rule_kind(rule)
    if kind is None:
        return None
    aggregate = report.get("AggregateValue")
    aggregate = float(aggregate) if isinstance(aggregate, int | float) else None
    people = []
    for c in report.get("Contributors") or []:
        value = c.get("ApproximateAggregateValue")
        if not isinstance(value, int | float):
            continue
        share = float(value) / aggregate if aggregate else None
        people.append(Contributor(tuple(str(k) for k in c.get("Keys") or ()), float(value), share))
    people.sort(key=lambda c: (-c.value, c.keys))
    unique = report.get("ApproximateUniqueCount")
    return TopKeys(
        index=index,
        kind=kind,
        rule=rule,
        labels=tuple(str(x) for x in report.get("KeyLabels") or ()),
        statistic=report.get("AggregationStatistic"),
        aggregate=aggregate,
        unique=int(unique) if isinstance(unique, int | float) else None,
        contributors=tuple(people[:top]),
    )


@dataclass
class Insights:
    """Contributor Insights of a table and its GSIs: the status of each, the top keys where it is on."""

    status: dict[str | None, str | None] = field(default_factory=dict)  # None key: the table
    tops: list[TopKeys] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def enabled(self) -> list[str | None]:
        return [r for r, s in self.status.items() if s == "ENABLED"]

    def ordered(self) -> list[TopKeys]:
        return sorted(self.tops, key=lambda t: (t.index is not None, t.index or "", ORDER.index(t.kind)))


def _number(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def _key_text(c: Contributor) -> str:
    return " · ".join(safe_text(k) for k in c.keys) or "(no key)"


def insights_lines(insights: Insights, table: str, width: int = 80) -> list[str]:
    """The "Contributor Insights" block of ``ddbtui metrics``: status, then each rule's top keys."""
    lines = ["Contributor Insights (the keys traffic hits)"]
    if not insights.status or all(v is None for v in insights.status.values()):
        lines.append("  unknown" + (f": {safe_text(insights.notes[0])}" if insights.notes else ""))
        lines += textwrap.wrap(
            "`ddbtui report` counts stored items per partition key instead (its key census): data, not traffic.",
            width - 4,
            initial_indent="    ",
            subsequent_indent="    ",
        )
        return lines
    for resource, status in insights.status.items():
        if status != "ENABLED":
            where = f"GSI {safe_text(resource)}" if resource else "table"
            lines.append(f"  {where}: {'unknown' if status is None else status.lower()}")
    if insights.status.get(None) == "DISABLED":
        lines += textwrap.wrap(
            "without it, `ddbtui report` counts stored items per partition key (its key census): data, "
            f"not traffic. Turn it on: ddbtui alter {safe_text(table)} --contributor-insights on --allow-writes",
            width - 4,
            initial_indent="    ",
            subsequent_indent="    ",
        )
    for t in insights.ordered():
        stat = f", {t.statistic.lower()}" if t.statistic else ""
        unique = f", ~{t.unique:,} distinct" if t.unique is not None else ""
        lines.append(f"  {t.title}{stat}{unique}")
        if not t.contributors:
            lines.append("    (no contributors in the window)")
        for c in t.contributors:
            share = f"{c.share:>6.1%}" if c.share is not None else "      "
            lines.append(
                f"    {_key_text(c)[: max(20, width - 26)]:<{max(20, width - 26)}} {_number(c.value):>9} {share}"
            )
    for n in insights.notes:
        lines.append(f"  note: {safe_text(n)}")
    return lines


def insights_json(insights: Insights) -> dict[str, Any]:
    return {
        "status": {(r or "(table)"): s for r, s in insights.status.items()},
        "top_keys": [
            {
                "index": t.index,
                "kind": t.kind,
                "what": KINDS[t.kind],
                "rule": t.rule,
                "key_labels": list(t.labels),
                "statistic": t.statistic,
                "aggregate": t.aggregate,
                "unique_contributors": t.unique,
                "contributors": [
                    {"keys": list(c.keys), "value": c.value, "share": c.share} for c in t.contributors
                ],
            }
            for t in insights.ordered()
        ],
        "notes": list(insights.notes),
    }


def enabled_rules(describe: Mapping[str, Any]) -> Sequence[str]:
    """The rule names of a DescribeContributorInsights answer that ddbtui reads (ENABLED only)."""
    if describe.get("ContributorInsightsStatus") != "ENABLED":
        return ()
    return [r for r in describe.get("ContributorInsightsRuleList") or () if rule_kind(r)]


__all__ = [
    "KINDS",
    "Contributor",
    "Insights",
    "TopKeys",
    "enabled_rules",
    "insights_json",
    "insights_lines",
    "rule_kind",
    "top_keys",
]
