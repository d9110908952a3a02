"""What a table change costs: a new GSI's backfill (write units and $), provisioned capacity per month.

A GSI created on a table with data is backfilled: DynamoDB writes one index entry per item that has the
index's key attributes, each entry costing 1 WCU per KB of what the index projects (rounded up, at least
1). With sample items the entry sizes and the share of items in the (sparse) index are measured; without,
the table's average item size stands in (an upper bound for KEYS_ONLY and INCLUDE). Pure: stdlib only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ddbtui.core import prices
from ddbtui.core.capacity import WRITE_BLOCK, format_cost, format_units, in_index, index_entry_size
from ddbtui.core.schema import IndexSchema, TableSchema

HOURS_PER_MONTH = 730  # AWS's own figure for monthly prices


@dataclass(frozen=True)
class BackfillEstimate:
    """A GSI backfill: items that get an entry, write units, USD, and how the figure was reached."""

    items: float | None
    write_units: float | None
    cost: float | None
    basis: str
    seconds: float | None = None  # provisioned: at the index's WCU, the least time the backfill takes

    def describe(self, index: str) -> str:
        if self.write_units is None:
            return f"backfilling {index}: {self.basis}"
        text = (
            f"backfilling {index} writes ~{self.items:,.0f} index entries: ~{format_units(round(self.write_units))} "
            f"WCU, ~{format_cost(self.cost or 0.0)} ({self.basis})"
        )
        if self.seconds is not None:
            text += f"; at its provisioned WCU it takes at least {_duration(self.seconds)}"
        return text


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds / 3600:,.1f} h"


def entry_units(size: int) -> int:
    """Write units of writing one index entry of ``size`` bytes: 1 per KB, rounded up, at least 1."""
    return max(1, math.ceil(size / WRITE_BLOCK))


def backfill_estimate(
    schema: TableSchema,
    index: IndexSchema,
    *,
    sample: Sequence[Mapping[str, Any]] | None = None,
    region: str | None = None,
    index_wcu: int | None = None,
    billing_mode: str | None = None,
) -> BackfillEstimate:
    """The backfill of ``index`` (a GSI that does not exist yet) on ``schema``'s table.

    ``sample``: items read from the table (AttributeValue form); each one's entry is sized with
    ``capacity.index_entry_size``, items without the index's keys cost nothing, and the mean is scaled to
    ItemCount. The price is the table's billing mode's (on-demand: write request units; provisioned: the
    capacity-seconds the backfill occupies, plus the least time it takes at ``index_wcu``);
    ``billing_mode`` overrides the table's (a plan that switches mode first).
    """
    count = schema.item_count
    price = prices.price_for(region, billing_mode or schema.billing_mode)
    if not count:
        if count == 0:
            return BackfillEstimate(0, 0.0, 0.0, "the table is empty: nothing to backfill")
        return BackfillEstimate(None, None, None, "the table reports no item count: cost unknown")
    if sample:
        units = [
            entry_units(index_entry_size(i, schema.key, index)) if in_index(i, index) else 0 for i in sample
        ]
        share = sum(1 for u in units if u) / len(units)
        per_item = sum(units) / len(units)
        basis = (
            f"{len(sample):,} sampled items: {share:.0%} have the index's keys, "
            f"{per_item:.2f} WCU per item on average, × {count:,} items"
        )
        items = share * count
    else:
        avg = schema.average_item_size
        if avg:
            per_item = float(entry_units(math.ceil(avg)))
            bound = "" if index.projection == "ALL" else ", an upper bound: the entry is part of the item"
            basis = f"{count:,} items of {avg:,.0f} B on average (TableSizeBytes / ItemCount){bound}"
        else:
            per_item = 1.0
            basis = f"{count:,} items at 1 WCU each, a lower bound: the table reports no size"
        items = float(count)
        basis += "; assumes every item has the index's keys"
    total = per_item * count
    seconds = total / index_wcu if index_wcu and price.billing_mode == prices.PROVISIONED else None
    mode = "on-demand" if price.billing_mode == prices.ON_DEMAND else "provisioned capacity-seconds"
    return BackfillEstimate(
        items, total, price.cost(0.0, total), f"{basis}; {mode} in {price.region}", seconds
    )


def provisioned_monthly_cost(rcu: int, wcu: int, region: str | None = None) -> float:
    """USD per month (730 h) of ``rcu`` and ``wcu`` provisioned, used or not."""
    p = prices.price_for(region, prices.PROVISIONED)
    return (rcu * p.read_unit + wcu * p.write_unit) * 3600 * HOURS_PER_MONTH


def provisioned_cost_text(what: str, rcu: int, wcu: int, region: str | None = None) -> str:
    return (
        f"{what}: {rcu} RCU and {wcu} WCU provisioned cost ~{format_cost(provisioned_monthly_cost(rcu, wcu, region))} "
        "a month, used or not"
    )


def on_demand_text(region: str | None = None) -> str:
    p = prices.price_for(region, prices.ON_DEMAND)
    return (
        f"on-demand: pay per request, ${p.read_unit * 1e6:.4g} per million read units and "
        f"${p.write_unit * 1e6:.4g} per million write units in {p.region}"
    )
