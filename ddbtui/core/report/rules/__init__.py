"""The report's findings. A rule is a function ``(facts, schema, sample) -> list[Finding]`` (``sample`` is
None when there is none or it could not be read; ``facts.sample`` says why); every rule is in ``RULES``.
To add one, write the function in the module of its area (or a new one) and add a line here.

The order of ``RULES`` is the order of findings within one severity (``findings`` sorts by severity only,
stably), so a new rule's place in the list is its place in the report.
"""

from __future__ import annotations

from collections.abc import Callable

from ddbtui.core.report.model import SEVERITY_ORDER, Finding, SampleFacts, TableFacts
from ddbtui.core.report.rules import capacity, indexes, items, keys, settings, usage
from ddbtui.core.schema import TableSchema

Rule = Callable[[TableFacts, TableSchema, SampleFacts | None], list[Finding]]

RULES: list[Rule] = [
    keys.hot_partition,
    items.large_items,
    items.ttl,
    keys.item_collections,
    capacity.provisioned_capacity,
    usage.throttling,
    usage.billing_mode,
    settings.pitr,
    settings.deletion_protection,
    indexes.secondary_indexes,
    settings.contributor_insights,
    settings.tags,
    items.sample_coverage,
]


def findings(facts: TableFacts, rules: list[Rule] | None = None) -> list[Finding]:
    """Every finding for ``facts``, most severe first (stable within a severity)."""
    schema = facts.schema
    sample = facts.sample if isinstance(facts.sample, SampleFacts) else None
    out: list[Finding] = []
    for rule in RULES if rules is None else rules:
        out += rule(facts, schema, sample)
    return sorted(out, key=lambda x: SEVERITY_ORDER[x.severity])


__all__ = ["RULES", "Rule", "findings"]
