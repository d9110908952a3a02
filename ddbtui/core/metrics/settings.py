"""What the diagnosis and the billing advisor need of a table's settings: billing mode, each resource's
provisioned capacity and autoscaling, Contributor Insights — read from the API responses' own shapes
(DescribeTable's ``Table``, Application Auto Scaling's ``ScalableTargets``, DescribeContributorInsights)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scaling:
    """A target-tracking scalable target: ``target`` is the utilisation it holds, in percent."""

    min: int
    max: int
    target: float | None = None


@dataclass(frozen=True)
class Resource:
    """The table (``index`` None) or one GSI: provisioned units (None when on-demand) and autoscaling."""

    index: str | None
    read: int | None = None
    write: int | None = None
    read_scaling: Scaling | None = None
    write_scaling: Scaling | None = None
    building: bool = False

    @property
    def label(self) -> str:
        return "table" if self.index is None else f"GSI {self.index}"


@dataclass(frozen=True)
class TableSettings:
    name: str
    on_demand: bool
    resources: tuple[Resource, ...] = ()
    contributor_insights: str | None = None  # ENABLED / DISABLED / ...; None: unknown
    region: str | None = None
    gsi_names: tuple[str, ...] = field(default=())

    def resource(self, index: str | None) -> Resource:
        for r in self.resources:
            if r.index == index:
                return r
        return Resource(index)


def _scaling(targets: list[Mapping[str, Any]], resource_id: str, dimension: str) -> Scaling | None:
    for t in targets:
        if t.get("ResourceId") == resource_id and str(t.get("ScalableDimension", "")).endswith(dimension):
            tv = t.get("TargetValue")
            return Scaling(
                int(t.get("MinCapacity", 0)), int(t.get("MaxCapacity", 0)), None if tv is None else float(tv)
            )
    return None


def settings_from(
    table: Mapping[str, Any],
    autoscaling: list[Mapping[str, Any]] | None = None,
    contributor_insights: str | None = None,
    region: str | None = None,
) -> TableSettings:
    """TableSettings from ``DescribeTable()["Table"]``, the scalable targets (each with its policy's
    ``TargetValue`` if any) and the Contributor Insights status."""
    name = str(table["TableName"])
    mode = (table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    on_demand = mode == "PAY_PER_REQUEST"
    targets = list(autoscaling or [])

    def units(pt: Mapping[str, Any] | None, key: str) -> int | None:
        if on_demand or not pt:
            return None
        v = pt.get(key)
        return None if v is None else int(v)

    pt = table.get("ProvisionedThroughput")
    resources = [
        Resource(
            None,
            units(pt, "ReadCapacityUnits"),
            units(pt, "WriteCapacityUnits"),
            _scaling(targets, f"table/{name}", "ReadCapacityUnits"),
            _scaling(targets, f"table/{name}", "WriteCapacityUnits"),
        )
    ]
    gsis = []
    for g in table.get("GlobalSecondaryIndexes") or []:
        gname = str(g["IndexName"])
        gsis.append(gname)
        rid = f"table/{name}/index/{gname}"
        gpt = g.get("ProvisionedThroughput")
        resources.append(
            Resource(
                gname,
                units(gpt, "ReadCapacityUnits"),
                units(gpt, "WriteCapacityUnits"),
                _scaling(targets, rid, "ReadCapacityUnits"),
                _scaling(targets, rid, "WriteCapacityUnits"),
                building=g.get("IndexStatus") == "CREATING" or bool(g.get("Backfilling")),
            )
        )
    return TableSettings(name, on_demand, tuple(resources), contributor_insights, region, tuple(gsis))
