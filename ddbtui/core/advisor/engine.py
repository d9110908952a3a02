"""The engine: runs every rule on a request and ranks what they suggest, cheapest rewrite first, warnings
after everything that can be applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ddbtui.core.advisor.analysis import Analysis, analysis
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.model import (
    ACTIONABLE_KINDS,
    WARNING_KINDS,
    CannotAdvise,
    Review,
    RunStats,
    Suggestion,
)
from ddbtui.core.advisor.rules import RULES
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import TableSchema


def rank(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """``suggestions`` in the order to show them, each with its ``rank`` (1 the best).

    Rewrites first, by estimated read units (unknown after known), then by ``ACTIONABLE_KINDS``; then the
    warnings in ``WARNING_KINDS`` order. Ties keep the order the rules gave.
    """

    def key(s: Suggestion) -> tuple[Any, ...]:
        if s.actionable:
            rcu = s.estimated_rcu
            return (0, rcu is None, rcu or 0.0, ACTIONABLE_KINDS.index(s.kind))
        return (1, WARNING_KINDS.index(s.kind) if s.kind in WARNING_KINDS else 99, 0.0, 0)

    ordered = sorted(enumerate(suggestions), key=lambda p: (*key(p[1]), p[0]))
    return [replace(s, rank=i) for i, (_, s) in enumerate(ordered, start=1)]


class Advisor:
    """Works out the suggestions for one request; ``run`` returns them ranked. ``advise`` wraps it.

    Also answers what the request costs as it stands (``current_rcu``, ``table_bytes``...), for explain
    and the workbench.
    """

    def __init__(
        self,
        request: ReadRequest,
        schema: TableSchema,
        stats: RunStats | None,
        region: str | None,
        sample: TableSample | None = None,
    ) -> None:
        self.req = request
        self.schema = schema
        self.stats = stats
        self.region = region
        self.sample = sample
        try:
            self.a: Analysis = analysis(request, schema)
        except (ExprError, UsageError) as e:
            raise CannotAdvise(str(e)) from None
        self.context = Context(request, schema, stats, region, self.a, sample)

    def run(self) -> list[Suggestion]:
        return rank(s for rule in RULES for s in rule(self.a, self.context))

    @property
    def rejections(self) -> dict[str, str]:
        """Index label -> why it cannot serve the request (each index with its partition key fixed)."""
        return self.context.plan.rejections

    def current_rcu(self) -> float | None:
        """What the request as it stands costs to read to the end."""
        return self.context.cost.current_rcu()

    def sampled_rcu(self) -> float | None:
        """What the Query as it stands reads, estimated from the sample (None without one)."""
        return self.context.cost.sampled_current()

    def table_bytes(self) -> tuple[float | None, str]:
        """Bytes a full scan of what the request reads, and where the figure comes from."""
        return self.context.cost.table_bytes()

    def scan_items(self) -> int | None:
        return self.context.cost.scan_items()

    def avg_item_size(self) -> float | None:
        return self.context.cost.avg_item_size()

    def sql_keyed(self) -> bool:
        """A PartiQL SELECT with `=` or IN on its partition key runs as a Query (or several)."""
        return self.a.sql_keyed

    def is_full_scan(self) -> bool:
        return self.a.full_scan


def advise(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None = None,
    *,
    region: str | None = None,
    sample: TableSample | None = None,
) -> list[Suggestion]:
    """Ranked suggestions for ``request`` on ``schema`` (the statement's table for PartiQL).

    Never raises for a request it cannot read (a syntax error, an unknown index): the builder reports
    those; the advisor then has nothing to say and returns ``[]``.
    """
    try:
        return Advisor(request, schema, stats, region, sample).run()
    except CannotAdvise:
        return []


def review(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None = None,
    *,
    region: str | None = None,
    sample: TableSample | None = None,
) -> Review:
    """Like ``advise``, plus the indexes considered and rejected (for ``explain``)."""
    try:
        advisor = Advisor(request, schema, stats, region, sample)
    except CannotAdvise:
        return Review([], {})
    suggestions = advisor.run()
    return Review(suggestions, dict(advisor.rejections))


def analyse(request: ReadRequest, schema: TableSchema) -> Analysis:
    """The request as the advisor reads it (resolved placeholders, conjuncts, the index read).

    Raises ExprError / UsageError for what the user must fix, CannotAdvise for PartiQL it cannot read.
    """
    return analysis(request, schema)
