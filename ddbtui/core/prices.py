"""DynamoDB throughput prices, loaded from ``ddbtui/core/data/prices.json`` (data, not code).

On-demand tables pay per request unit, so a request's cost is exact: units × price per unit.

Provisioned tables pay per hour for the capacity they reserve, used or not; the marginal cost of one
request is zero until the table needs more capacity. ddbtui still shows a figure, so that requests can be
compared: it prices a request by the *capacity-seconds* it occupies. One RCU (or WCU) consumed is one unit
of reserved throughput busy for one second, i.e. ``RCU-hour price / 3600``. That is what the request costs
on a table provisioned exactly to its load (100 % utilisation) — a lower bound of the real cost, which
grows as utilisation falls.

Pure: stdlib only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "DEFAULT_REGION",
    "HOURS_PER_MONTH",
    "Price",
    "cost",
    "load_prices",
    "normalize_billing_mode",
    "price_for",
    "price_source",
    "regions",
]

DEFAULT_REGION = "us-east-1"
HOURS_PER_MONTH = 730  # AWS's month on its price pages
ON_DEMAND = "PAY_PER_REQUEST"
PROVISIONED = "PROVISIONED"


@dataclass(frozen=True)
class Price:
    """What one read unit and one write unit cost in a region under a billing mode, in USD."""

    region: str  # the region whose prices these are (DEFAULT_REGION when the asked one is unknown)
    billing_mode: str  # "PAY_PER_REQUEST" | "PROVISIONED"
    read_unit: float  # USD per read request unit, or per RCU-second when provisioned
    write_unit: float  # USD per write request unit, or per WCU-second when provisioned
    known_region: bool = True  # False: the asked region is not in the table, DEFAULT_REGION stood in

    def cost(self, read_units: float, write_units: float) -> float:
        """USD for ``read_units`` and ``write_units`` consumed (see the module doc for provisioned)."""
        return read_units * self.read_unit + write_units * self.write_unit


@cache
def load_prices() -> dict[str, Any]:
    """The parsed price table (cached)."""
    text = resources.files("ddbtui.core").joinpath("data/prices.json").read_text(encoding="utf-8")
    return json.loads(text)


def regions() -> list[str]:
    """Regions with known prices, sorted."""
    return sorted(load_prices()["regions"])


def normalize_billing_mode(billing_mode: str | None) -> str:
    """DescribeTable's ``BillingMode`` (or "on-demand"/"ondemand"/"provisioned", any case) → one of
    ``PAY_PER_REQUEST`` and ``PROVISIONED``. None means on-demand, the mode of new tables."""
    if billing_mode is None:
        return ON_DEMAND
    key = billing_mode.strip().upper().replace("-", "_")
    if key in ("PAY_PER_REQUEST", "ON_DEMAND", "ONDEMAND"):
        return ON_DEMAND
    if key == "PROVISIONED":
        return PROVISIONED
    raise ValueError(f"unknown billing mode {billing_mode!r} (PAY_PER_REQUEST or PROVISIONED)")


@cache
def price_for(region: str | None = None, billing_mode: str | None = None) -> Price:
    """Prices for ``region`` (default us-east-1) and ``billing_mode`` (default on-demand).

    An unknown region falls back to us-east-1 with ``known_region=False`` rather than failing: a cost
    estimate should never stop a request.
    """
    table = load_prices()["regions"]
    asked = region or DEFAULT_REGION
    known = asked in table
    entry = table[asked if known else DEFAULT_REGION]
    mode = normalize_billing_mode(billing_mode)
    if mode == ON_DEMAND:
        od = entry["on_demand"]
        read, write = od["read_per_million"] / 1e6, od["write_per_million"] / 1e6
    else:
        pv = entry["provisioned"]
        read, write = pv["rcu_hour"] / 3600, pv["wcu_hour"] / 3600
    return Price(asked if known else DEFAULT_REGION, mode, read, write, known)


def cost(
    read_units: float = 0.0,
    write_units: float = 0.0,
    region: str | None = None,
    billing_mode: str | None = None,
) -> float:
    """USD for the given units in ``region`` under ``billing_mode`` (defaults: us-east-1, on-demand)."""
    return price_for(region, billing_mode).cost(read_units, write_units)


def price_source() -> str:
    """Where the prices come from and when they were read: ``us-east-1 prices of 2025-01 (https://...)``."""
    data = load_prices()
    return f"prices as of {data['as_of']}, {data['source']}"
