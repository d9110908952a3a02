"""The advisor's create-gsi suggestion as an index to create: its ``index_definition`` (the
GlobalSecondaryIndexUpdates "Create" entry and the AttributeDefinitions it needs) as the ``IndexSpec``
that ``plan_alter`` takes, so the workbench's plan is the one ``ddbtui alter --add-gsi`` makes. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddbtui.core.admin.specs import IndexSpec, KeyAttr
from ddbtui.core.errors import UsageError


def spec_from_definition(definition: Mapping[str, Any]) -> IndexSpec:
    """``{"Create": {...}, "AttributeDefinitions": [...]}`` -> the GSI to add."""
    create = definition.get("Create") or {}
    types = {d["AttributeName"]: d["AttributeType"] for d in definition.get("AttributeDefinitions") or []}
    keys = sorted(create.get("KeySchema") or [], key=lambda k: k.get("KeyType") != "HASH")
    if not create.get("IndexName") or not keys:
        raise UsageError("the suggested index has no name or key schema")
    key = tuple(KeyAttr(k["AttributeName"], types.get(k["AttributeName"], "S")) for k in keys)
    proj = create.get("Projection") or {"ProjectionType": "ALL"}
    pt = create.get("ProvisionedThroughput")
    return IndexSpec(
        name=str(create["IndexName"]),
        kind="gsi",
        key=key,
        projection=proj.get("ProjectionType", "ALL"),
        non_key_attributes=tuple(proj.get("NonKeyAttributes") or ()),
        throughput=(int(pt["ReadCapacityUnits"]), int(pt["WriteCapacityUnits"])) if pt else None,
    )


__all__ = ["spec_from_definition"]
