"""Throttling, said in words: what throttles, why, what to do and the command that does it.

From the series of one window and the table's settings (pure; tested on synthetic series). The causes:

* ``over-provisioned`` — a provisioned table or GSI consumed at (or above, on burst capacity) what it
  provisions, with no autoscaling: raise it, add autoscaling or switch to on-demand.
* ``autoscaling-too-slow`` — autoscaling is on, but the load rose faster than it scales (it reacts after
  a few minutes of sustained use above its target): raise its minimum to the spike's level.
* ``autoscaling-at-max`` — autoscaling already holds its maximum.
* ``on-demand-spike`` — an on-demand table serves up to twice its previous peak at once; beyond that it
  needs about 30 minutes to adapt: throttles in a period whose load is past 2x the peak before it.
* ``gsi-backpressure`` — a GSI that cannot absorb its writes throttles the writes of the base table.
* ``hot-key`` — throttles while consumed stays well below provisioned (or, on-demand, without a spike):
  one partition (3,000 RCU / 1,000 WCU a second) takes the load. Contributor Insights names the key.
"""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import dataclass, replace

from ddbtui.core.metrics.queries import WRITE_OPERATIONS, MetricKey
from ddbtui.core.metrics.series import Series, format_number, utc_label
from ddbtui.core.metrics.settings import Resource, Scaling, TableSettings

AT_CAPACITY = 0.9  # consumed ≥ 90 % of provisioned in a throttled period: the capacity is what throttles
WELL_BELOW = 0.5  # consumed < 50 % of provisioned while throttled: a hot key
SPIKE_FACTOR = 2.0  # on-demand serves twice the previous peak at once
ON_DEMAND_ADAPT = 1800  # ...and needs about 30 minutes for more
TARGET = 0.7  # the target utilisation ddbtui suggests for autoscaling


@dataclass(frozen=True)
class Diagnosis:
    id: str
    severity: str  # critical | warning | info
    resource: str  # "table" or "GSI name"
    title: str
    detail: str
    action: str
    command: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "severity": self.severity,
            "resource": self.resource,
            "title": self.title,
            "detail": self.detail,
            "action": self.action,
            "command": self.command,
        }


Metrics = dict[MetricKey, Series]


def get(
    metrics: Metrics, metric: str, index: str | None = None, operation: str | None = None
) -> Series | None:
    for stat in ("Sum", "Average"):
        s = metrics.get(MetricKey(metric, stat, index, operation))
        if s is not None:
            return s
    return None


def _q(text: str) -> str:
    return shlex.quote(text)


def _capacity_at(metrics: Metrics, res: Resource, dim: str, i: int) -> float | None:
    """Provisioned units of ``dim`` in period ``i``: the Provisioned metric there, else the setting."""
    s = get(metrics, f"Provisioned{dim}CapacityUnits", res.index)
    if s is not None and s.values[i] is not None:
        return s.values[i]
    return res.read if dim == "Read" else res.write


def _alter_capacity(settings: TableSettings, res: Resource, dim: str, units: int) -> str:
    """``ddbtui alter`` raising ``dim`` of ``res`` to ``units`` (the other dimension kept)."""
    read = units if dim == "Read" else (res.read or 1)
    write = units if dim == "Write" else (res.write or 1)
    if res.index is None:
        return f"ddbtui alter {_q(settings.name)} --provisioned {read},{write} --allow-writes"
    return f"ddbtui alter {_q(settings.name)} --gsi-provisioned {_q(res.index)}={read},{write} --allow-writes"


def _units(x: float) -> int:
    return max(1, math.ceil(x - 1e-9))


def _resource_findings(metrics: Metrics, settings: TableSettings, res: Resource, dim: str) -> list[Diagnosis]:
    throttles = get(metrics, f"{dim}ThrottleEvents", res.index)
    consumed = get(metrics, f"Consumed{dim}CapacityUnits", res.index)
    if throttles is None or throttles.total() <= 0 or consumed is None:
        return []
    window = throttles.window
    hit = [i for i, v in enumerate(throttles.values) if v]
    worst = max(hit, key=lambda i: throttles.values[i] or 0)
    events = format_number(throttles.total())
    what = f"{res.label} {dim.lower()}s"
    where = res.index or "table"
    peak_rate = max(consumed.at(i) for i in hit)
    when = utc_label(window.bucket_start(worst), window)
    unit = "RCU" if dim == "Read" else "WCU"
    name = settings.name
    if settings.on_demand:
        for i in hit:
            before = [
                consumed.at(j)
                for j in range(i)
                if window.bucket_start(j) <= window.bucket_start(i) - ON_DEMAND_ADAPT
            ]
            if not before:
                before = [consumed.at(j) for j in range(i)]
            prior = max(before) if before else None
            if prior is not None and consumed.at(i) > SPIKE_FACTOR * prior:
                warm = f"{dim}UnitsPerSecond={_units(consumed.at(i))}"
                if res.index is None:
                    command = f"aws dynamodb update-table --table-name {_q(name)} --warm-throughput {warm}"
                else:
                    update = json.dumps(
                        [
                            {
                                "Update": {
                                    "IndexName": res.index,
                                    "WarmThroughput": {f"{dim}UnitsPerSecond": _units(consumed.at(i))},
                                }
                            }
                        ],
                        separators=(",", ":"),
                    )
                    command = (
                        f"aws dynamodb update-table --table-name {_q(name)} "
                        f"--global-secondary-index-updates {_q(update)}"
                    )
                return [
                    Diagnosis(
                        "on-demand-spike",
                        "critical",
                        where,
                        f"{what} throttled: on-demand load rose past twice its previous peak",
                        f"{events} {dim.lower()} throttle events; at {utc_label(window.bucket_start(i), window)} "
                        f"{format_number(consumed.at(i))} {unit}/s against a previous peak of "
                        f"{format_number(prior)} {unit}/s. On-demand serves up to 2x its previous peak at once "
                        "and needs about 30 minutes to adapt beyond it.",
                        "Pre-warm the table before a known spike (warm throughput), or ramp the load up over "
                        "30 minutes or more; retries with backoff absorb the rest.",
                        command,
                    )
                ]
        found = _hot_key(settings, res, dim, events, when, None, peak_rate)
        if window.period > 300:
            found = replace(
                found,
                detail=found.detail
                + f" At {window.period // 60}-minute periods a short spike is averaged away: a shorter "
                "window (--since 3h) shows it at one minute.",
            )
        return [found]
    cap = _capacity_at(metrics, res, dim, worst)
    if cap is None or cap <= 0:
        return []
    ratio = max(consumed.at(i) / (_capacity_at(metrics, res, dim, i) or cap) for i in hit)
    scaling: Scaling | None = res.read_scaling if dim == "Read" else res.write_scaling
    if ratio < AT_CAPACITY:
        return [_hot_key(settings, res, dim, events, when, cap, peak_rate)]
    need = _units(peak_rate / TARGET)
    head = (
        f"{events} {dim.lower()} throttle events; consumed reached {format_number(peak_rate)} {unit}/s "
        f"against {format_number(cap)} provisioned (at {when})."
    )
    if scaling is None:
        return [
            Diagnosis(
                "over-provisioned",
                "critical",
                where,
                f"{what} throttled: consumed reached the provisioned capacity, with no autoscaling",
                head + " Nothing raises the capacity when the load grows.",
                f"Provision {need} {unit} ({format_number(peak_rate)} at a 70% target), turn on autoscaling, "
                "or switch to on-demand.",
                _alter_capacity(settings, res, dim, need),
            )
        ]
    if cap >= scaling.max:
        return [
            Diagnosis(
                "autoscaling-at-max",
                "critical",
                where,
                f"{what} throttled: autoscaling is at its maximum ({scaling.max} {unit})",
                head,
                f"Raise the autoscaling maximum to at least {need} {unit}, or switch to on-demand.",
                f"ddbtui alter {_q(name)} --autoscaling {scaling.min},{max(need, scaling.max)},"
                f"{int(scaling.target or 70)} --allow-writes",
            )
        ]
    jump = ""
    if worst > 0 and consumed.at(worst - 1) > 0 and consumed.at(worst) >= 2 * consumed.at(worst - 1):
        jump = (
            f" Consumed went from {format_number(consumed.at(worst - 1))} to "
            f"{format_number(consumed.at(worst))} {unit}/s within one period "
            f"({window.period // 60} min)."
        )
    return [
        Diagnosis(
            "autoscaling-too-slow",
            "warning",
            where,
            f"{what} throttled: the load rose faster than autoscaling scales",
            head + jump + " Autoscaling acts only after a few minutes above its target.",
            f"Raise the autoscaling minimum to the spike's level ({need} {unit}) before known peaks, "
            "or switch to on-demand for sudden traffic.",
            f"ddbtui alter {_q(name)} --autoscaling {need},{max(need, scaling.max)},"
            f"{int(scaling.target or 70)} --allow-writes",
        )
    ]


def _hot_key(
    settings: TableSettings, res: Resource, dim: str, events: str, when: str, cap: float | None, peak: float
) -> Diagnosis:
    unit = "RCU" if dim == "Read" else "WCU"
    against = (
        f"consumed peaked at {format_number(peak)} {unit}/s, {100 * peak / cap:.0f}% of the {format_number(cap)} provisioned"
        if cap
        else f"on-demand, with no spike past twice the previous peak (peak {format_number(peak)} {unit}/s)"
    )
    insights = settings.contributor_insights == "ENABLED"
    return Diagnosis(
        "hot-key",
        "warning",
        res.index or "table",
        f"{res.label} {dim.lower()}s throttled well below capacity: a hot partition or key",
        f"{events} {dim.lower()} throttle events (worst at {when}) while {against}. One partition serves at "
        "most 3,000 RCU and 1,000 WCU a second; a key that takes most of the traffic throttles alone.",
        (
            "Contributor Insights is on: its top keys name the hot one."
            if insights
            else "Turn on Contributor Insights to see the most-used keys;"
        )
        + f" the report's key distribution (ddbtui report {_q(settings.name)}) shows the stored skew.",
        None if insights else f"ddbtui alter {_q(settings.name)} --contributor-insights on --allow-writes",
    )


def _backpressure(metrics: Metrics, settings: TableSettings, res: Resource) -> list[Diagnosis]:
    gsi = get(metrics, "WriteThrottleEvents", res.index)
    if res.index is None or gsi is None or gsi.total() <= 0:
        return []
    base = 0.0
    for op in WRITE_OPERATIONS:
        s = get(metrics, "ThrottledRequests", None, op)
        if s is not None:
            base += sum(s.values[i] or 0 for i, v in enumerate(gsi.values) if v)
    if base <= 0:
        return []
    if settings.on_demand:
        action, command = (
            "Ramp the write load more slowly; the index throttles as an on-demand table would.",
            None,
        )
    else:
        table = settings.resource(None)
        need = max(res.write or 1, table.write or 1)
        action = f"Give {res.index} at least the table's write capacity ({need} WCU) or autoscaling."
        command = _alter_capacity(settings, res, "Write", need)
    return [
        Diagnosis(
            "gsi-backpressure",
            "critical",
            res.index,
            f"writes to {settings.name} are throttled by its GSI {res.index}",
            f"{format_number(gsi.total())} write throttle events on {res.index} and "
            f"{format_number(base)} throttled write requests on the table in the same periods: a write that "
            "cannot be copied into the index is refused on the table too.",
            action,
            command,
        )
    ]


def diagnose(metrics: Metrics, settings: TableSettings) -> list[Diagnosis]:
    """Every throttling finding of the window, most severe first; an empty list: nothing throttled."""
    out: list[Diagnosis] = []
    for res in settings.resources:
        for dim in ("Read", "Write"):
            out += _resource_findings(metrics, settings, res, dim)
        out += _backpressure(metrics, settings, res)
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda d: order[d.severity])


def throttle_total(metrics: Metrics) -> float:
    """Every throttle event and throttled request of the window (0: nothing throttled)."""
    return sum(
        s.total() for k, s in metrics.items() if k.metric in ("ReadThrottleEvents", "WriteThrottleEvents")
    )
