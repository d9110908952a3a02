"""The advisor's rules. A rule is a function ``(analysis, context) -> iterable of Suggestion``; every rule
is in ``RULES``, and the engine runs them all, then ranks what they say. To add one, write the function in
the module of its family (or a new one) and add a line here.

Each rule decides by itself whether it applies (a Scan, a Query, a GetItem, a SELECT) and yields nothing
otherwise; the order of ``RULES`` does not change the ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.model import Suggestion
from ddbtui.core.advisor.rules import capacity, indexes, keys, never, partiql, partitions

Rule = Callable[[Analysis, Context], Iterable[Suggestion]]

RULES: list[Rule] = [
    partiql.partiql_unreadable,
    never.invalid_condition,
    keys.filter_on_key_rejected,
    keys.filter_on_key,
    keys.use_get_item,
    keys.use_query,
    partitions.use_batch_get,
    partitions.use_parallel_queries,
    indexes.create_gsi,
    indexes.no_better_request,
    partiql.partiql_full_scan,
    capacity.limit_before_filter,
    capacity.full_scan_cost,
    capacity.consistent_read_cost,
]
