"""The billing-mode advisor: what the window's traffic would cost a month on-demand and provisioned.

* **On-demand**: the consumed units of the window (table and every GSI, each billed) scaled to a month
  of 730 hours, at the region's price per million read and write request units.
* **Provisioned with autoscaling** (target 70 %): the capacity autoscaling would have held, modelled
  hour by hour as that hour's peak per-second consumption / 0.7 (at least 1 unit), priced per unit-hour.
* **Provisioned at the current level** (a provisioned table), or, for an on-demand table, provisioned at
  a fixed level of the window's peak / 0.7 (what it would need without autoscaling).

The recommendation is the cheapest option when it saves at least 10 % and $1 a month over the current
mode. Prices: ``core/data/prices.json`` (dated, with the source). Not modelled: reserved capacity,
storage, backups, streams, global tables, the free tier; autoscaling's limits on scaling down.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, field

from ddbtui.core.metrics.diagnosis import TARGET, Metrics, get
from ddbtui.core.metrics.series import Series
from ddbtui.core.metrics.settings import Resource, TableSettings
from ddbtui.core.metrics.window import Window, format_duration
from ddbtui.core.prices import HOURS_PER_MONTH, price_for, price_source

MIN_SAVING_SHARE = 0.10
MIN_SAVING_USD = 1.0
WEEK = 7 * 86400


@dataclass(frozen=True)
class Option:
    name: str  # on-demand | autoscaling | current | fixed
    label: str
    monthly: float  # USD


@dataclass
class BillingAdvice:
    current: str  # the option name of the table's mode now
    options: list[Option]
    recommended: str  # an option name (== current: keep it)
    saving: float  # USD a month (0 when keeping)
    summary: str
    command: str | None
    caveats: list[str] = field(default_factory=list)
    read_units: float = 0.0  # consumed in the window, table + GSIs
    write_units: float = 0.0

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def to_json(self) -> dict[str, object]:
        return {
            "current": self.current,
            "recommended": self.recommended,
            "saving_per_month_usd": round(self.saving, 2),
            "summary": self.summary,
            "command": self.command,
            "options": [
                {"name": o.name, "label": o.label, "monthly_usd": round(o.monthly, 2)} for o in self.options
            ],
            "consumed_read_units": self.read_units,
            "consumed_write_units": self.write_units,
            "caveats": self.caveats,
        }


def hourly_required(
    series: Series | None, window: Window, target: float = TARGET
) -> list[tuple[float, float]]:
    """(units autoscaling would hold, hours) for each hour of the window: the hour's peak per-second
    consumption / target, at least 1 unit. A period longer than an hour is one group of its length; the
    last group of a window that is not a whole number of hours is shorter."""
    per = max(1, 3600 // window.period) if window.period < 3600 else 1
    out = []
    for start in range(0, window.points, per):
        idx = range(start, min(start + per, window.points))
        peak = max((series.at(i) for i in idx), default=0.0) if series is not None else 0.0
        out.append((max(1.0, peak / target), len(idx) * window.period / 3600))
    return out


def _q(text: str) -> str:
    return shlex.quote(text)


def advise(metrics: Metrics, settings: TableSettings, window: Window) -> BillingAdvice:
    od = price_for(settings.region, "PAY_PER_REQUEST")
    pv = price_for(settings.region, "PROVISIONED")
    rcu_hour, wcu_hour = pv.read_unit * 3600, pv.write_unit * 3600
    scale = HOURS_PER_MONTH * 3600 / window.seconds
    resources = settings.resources or (Resource(None),)
    reads = writes = 0.0
    auto_hours = 0.0  # USD over the window
    fixed = 0.0  # USD a month
    plan: dict[str | None, tuple[list[float], list[float]]] = {}
    for res in resources:
        r = get(metrics, "ConsumedReadCapacityUnits", res.index)
        w = get(metrics, "ConsumedWriteCapacityUnits", res.index)
        reads += r.total() if r else 0.0
        writes += w.total() if w else 0.0
        hr, hw = hourly_required(r, window), hourly_required(w, window)
        auto_hours += sum(u * h for u, h in hr) * rcu_hour + sum(u * h for u, h in hw) * wcu_hour
        plan[res.index] = ([u for u, _ in hr], [u for u, _ in hw])
        if settings.on_demand:
            fr = max(1.0, ((r.peak() or 0.0) if r else 0.0) / TARGET)
            fw = max(1.0, ((w.peak() or 0.0) if w else 0.0) / TARGET)
            fixed += (math.ceil(fr) * rcu_hour + math.ceil(fw) * wcu_hour) * HOURS_PER_MONTH
        else:
            fixed += ((res.read or 0) * rcu_hour + (res.write or 0) * wcu_hour) * HOURS_PER_MONTH
    on_demand = (reads * od.read_unit + writes * od.write_unit) * scale
    autoscaled = auto_hours * scale
    scaled_now = any(r.read_scaling or r.write_scaling for r in resources)
    options = [
        Option("on-demand", "on-demand", on_demand),
        Option("autoscaling", "provisioned, autoscaling at 70% target", autoscaled),
        Option(
            "fixed" if settings.on_demand else "current",
            "provisioned at the window's peak / 0.7, fixed"
            if settings.on_demand
            else "provisioned at the current level" + (" (autoscaling moves it)" if scaled_now else ""),
            fixed,
        ),
    ]
    current = "on-demand" if settings.on_demand else "autoscaling" if scaled_now else "current"
    now_cost = next(o.monthly for o in options if o.name == current)
    best = min(options, key=lambda o: o.monthly)
    saving = now_cost - best.monthly
    if best.name == current or saving < MIN_SAVING_USD or saving < MIN_SAVING_SHARE * now_cost:
        best, saving = next(o for o in options if o.name == current), 0.0
    name = settings.name
    command = None
    if best.name == current:
        summary = f"keep {best.label}: ${now_cost:,.2f}/month; no other mode saves 10% and $1 a month"
    else:
        summary = f"switch to {best.label}: ${best.monthly:,.2f}/month instead of ${now_cost:,.2f}, saves ${saving:,.2f}/month"
        if best.name == "on-demand":
            command = f"ddbtui alter {_q(name)} --on-demand --allow-writes"
        else:
            tr, tw = plan[None]
            start = f"{math.ceil(max(tr))},{math.ceil(max(tw))}"
            if best.name == "autoscaling":
                lo = math.ceil(min(min(tr), min(tw)))
                hi = math.ceil(2 * max(max(tr), max(tw)))
                command = (
                    f"ddbtui alter {_q(name)} --provisioned {start} --autoscaling {lo},{hi},70 --allow-writes"
                )
            else:
                command = f"ddbtui alter {_q(name)} --provisioned {start} --allow-writes"
    caveats = [
        f"{format_duration(window.seconds)} of traffic scaled to a month of {HOURS_PER_MONTH} hours"
        + ("; a window under a week misses the weekly cycle" if window.seconds < WEEK else ""),
        "DynamoDB allows a switch to on-demand once per 24 hours (check the current quota)",
        "reserved capacity, storage, backups, streams and the free tier are not modelled",
        f"{od.region} {price_source()}"
        + ("" if od.known_region else f" (no prices for {settings.region}: us-east-1's)"),
    ]
    refused = sum(
        s.total() for k, s in metrics.items() if k.metric in ("ReadThrottleEvents", "WriteThrottleEvents")
    )
    if refused:
        caveats.append(
            "the window throttled: these figures price what was served, not what was refused "
            "(see the throttling findings for the capacity it needs)"
        )
    if len(resources) > 1 and best.name != current and best.name != "on-demand":
        caveats.append("each GSI needs its own provisioned capacity too (ddbtui alter --gsi-provisioned)")
    return BillingAdvice(current, options, best.name, saving, summary, command, caveats, reads, writes)
