"""Application Auto Scaling for a provisioned table, the way the console sets it up: a scalable target per
table and GSI and per read/write dimension, each with a target-tracking policy on its utilisation.

Pure: builds the calls (``Step``) and their undo from what is registered now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ddbtui.core.admin.plan import Step
from ddbtui.core.admin.specs import Autoscaling

SERVICE = "application-autoscaling"
DIMENSIONS = (("Read", "ReadCapacityUnits"), ("Write", "WriteCapacityUnits"))

# (ResourceId, ScalableDimension) -> (MinCapacity, MaxCapacity): the targets registered now
Targets = Mapping[tuple[str, str], tuple[int, int]]


def resource_id(table: str, index: str | None = None) -> str:
    return f"table/{table}" if index is None else f"table/{table}/index/{index}"


def dimension(kind: str, index: str | None) -> str:
    return f"dynamodb:{'table' if index is None else 'index'}:{kind}"


def policy_name(kind: str, resource: str) -> str:
    """The console's name for the policy: ``DynamoDBReadCapacityUtilization:table/T``."""
    return f"DynamoDB{kind}CapacityUtilization:{resource}"


def autoscaling_steps(
    table: str, indexes: Iterable[str | None], scaling: Autoscaling, existing: Targets | None = None
) -> list[Step]:
    """Register a target and put a target-tracking policy for reads and writes of the table (None) and
    each GSI named. The undo of a registration deregisters it (which removes its policies), or, when a
    target was registered before, registers its old bounds again."""
    existing = existing or {}
    steps: list[Step] = []
    for index in indexes:
        res = resource_id(table, index)
        label = "table" if index is None else f"index {index}"
        for kind, units in DIMENSIONS:
            dim = dimension(units, index)
            before = existing.get((res, dim))
            if before is None:
                undo: tuple[Step, ...] = (
                    Step(
                        "DeregisterScalableTarget",
                        {"ServiceNamespace": "dynamodb", "ResourceId": res, "ScalableDimension": dim},
                        f"stop autoscaling {label} {kind.lower()} capacity",
                        service=SERVICE, kind="autoscaling", table=table,
                    ),
                )  # fmt: skip
            else:
                undo = (_register(table, res, dim, label, kind, before[0], before[1]),)
            steps.append(_register(table, res, dim, label, kind, scaling.minimum, scaling.maximum, undo))
            metric = f"DynamoDB{kind}CapacityUtilization"
            steps.append(
                Step(
                    "PutScalingPolicy",
                    {
                        "PolicyName": policy_name(kind, res),
                        "ServiceNamespace": "dynamodb",
                        "ResourceId": res,
                        "ScalableDimension": dim,
                        "PolicyType": "TargetTrackingScaling",
                        "TargetTrackingScalingPolicyConfiguration": {
                            "TargetValue": float(scaling.target),
                            "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                        },
                    },
                    f"track {scaling.target}% {kind.lower()} utilisation of {label}",
                    service=SERVICE,
                    kind="autoscaling",
                    table=table,
                    undo=(),  # deregistering the target (the step above's undo) removes the policy
                )
            )
    return steps


def _register(
    table: str,
    res: str,
    dim: str,
    label: str,
    kind: str,
    lo: int,
    hi: int,
    undo: tuple[Step, ...] = (),
) -> Step:
    return Step(
        "RegisterScalableTarget",
        {"ServiceNamespace": "dynamodb", "ResourceId": res, "ScalableDimension": dim,
         "MinCapacity": lo, "MaxCapacity": hi},
        f"autoscale {label} {kind.lower()} capacity between {lo} and {hi}",
        service=SERVICE, kind="autoscaling", table=table, undo=undo,
    )  # fmt: skip
