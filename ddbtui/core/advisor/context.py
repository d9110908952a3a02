"""What every rule is given besides the analysis: the request, the table, the run, the cost model and the
candidate search (worked out once, on first use, for all the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.cost import Cost
from ddbtui.core.advisor.model import RunStats
from ddbtui.core.advisor.plan import Plan, plan
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import TableSchema


@dataclass(eq=False)
class Context:
    """One request on one table; ``cost`` prices its reads, ``plan`` says which indexes could serve it."""

    request: ReadRequest
    schema: TableSchema
    stats: RunStats | None
    region: str | None
    analysis: Analysis
    sample: TableSample | None = None

    @cached_property
    def cost(self) -> Cost:
        return Cost(self.request, self.schema, self.stats, self.region, self.analysis, self.sample)

    @cached_property
    def plan(self) -> Plan:
        return plan(self.analysis, self.schema, self.stats, self.sample)
