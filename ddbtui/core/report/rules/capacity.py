"""Findings about capacity and billing: provisioned capacity without auto scaling, GSIs with less write
capacity than their table. Each rule has the signature of ``rules.Rule``: ``(facts, schema, sample) ->
list[Finding]``."""

from __future__ import annotations

import json

from ddbtui.core.report.common import aws_cli, q
from ddbtui.core.report.model import (
    Finding,
    SampleFacts,
    TableFacts,
    Unknown,
)
from ddbtui.core.schema import TableSchema


def provisioned_capacity(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    name = f.name
    if s.billing_mode == "PAY_PER_REQUEST":
        return []  # nothing to manage; the configuration section says so
    out: list[Finding] = []
    rcu, wcu = s.read_capacity or 0, s.write_capacity or 0
    targets = f.autoscaling
    if isinstance(targets, Unknown):
        out.append(
            Finding(
                "autoscaling-unknown",
                "info",
                f"Provisioned {rcu} RCU / {wcu} WCU; auto scaling unknown",
                f"Application Auto Scaling could not be asked: {targets.reason}.",
                "Check that the table's read and write capacity scale with its traffic.",
                aws_cli(
                    f,
                    "application-autoscaling describe-scalable-targets --service-namespace dynamodb "
                    f"--resource-ids {q('table/' + name)}",
                ),
            )
        )
        return out
    dims = {(t.get("ResourceId"), t.get("ScalableDimension")) for t in targets or []}
    missing = [
        kind
        for kind in ("Read", "Write")
        if (f"table/{name}", f"dynamodb:table:{kind}CapacityUnits") not in dims
    ]
    if missing:
        cmds = []
        for kind in missing:
            dim = f"dynamodb:table:{kind}CapacityUnits"
            current = rcu if kind == "Read" else wcu
            cmds.append(
                aws_cli(
                    f,
                    f"application-autoscaling register-scalable-target --service-namespace dynamodb "
                    f"--resource-id {q('table/' + name)} --scalable-dimension {dim} "
                    f"--min-capacity {max(1, current // 2)} --max-capacity {max(10, current * 4)}",
                )
            )
            policy = json.dumps(
                {
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": f"DynamoDB{kind}CapacityUtilization"
                    },
                    "TargetValue": 70.0,
                },
                separators=(",", ":"),
            )
            cmds.append(
                aws_cli(
                    f,
                    f"application-autoscaling put-scaling-policy --service-namespace dynamodb "
                    f"--resource-id {q('table/' + name)} --scalable-dimension {dim} "
                    f"--policy-name {q(name + '-' + kind.lower() + '-scaling')} "
                    f"--policy-type TargetTrackingScaling "
                    f"--target-tracking-scaling-policy-configuration {q(policy)}",
                )
            )
        out.append(
            Finding(
                "autoscaling-off",
                "warning",
                f"Provisioned capacity without auto scaling ({' and '.join(m.lower() for m in missing)})",
                f"The table has a fixed {rcu} RCU / {wcu} WCU: traffic above it is throttled, capacity "
                "below it is paid for unused.",
                "Register the table with Application Auto Scaling (target tracking at 70% utilisation), "
                "or switch to on-demand.",
                "\n".join(cmds),
            )
        )
    else:
        out.append(
            Finding(
                "autoscaling-on",
                "info",
                f"Provisioned {rcu} RCU / {wcu} WCU with auto scaling",
                "; ".join(
                    f"{t.get('ScalableDimension', '?').rsplit(':', 1)[-1]} {t.get('MinCapacity')}"
                    f"-{t.get('MaxCapacity')}"
                    + (f" at {t['TargetValue']:g}%" if isinstance(t.get("TargetValue"), int | float) else "")
                    for t in targets or []
                    if t.get("ResourceId") == f"table/{name}"
                ),
                "Nothing to do.",
                None,
            )
        )
    # GSIs: a GSI that cannot absorb the table's writes throttles the table's writes (back-pressure)
    for g in s.gsis:
        raw = next((x for x in f.table.get("GlobalSecondaryIndexes", []) if x.get("IndexName") == g.name), {})
        gw = (raw.get("ProvisionedThroughput") or {}).get("WriteCapacityUnits")
        gsi_scaled = (f"table/{name}/index/{g.name}", "dynamodb:index:WriteCapacityUnits") in dims
        if gw is not None and wcu and gw < wcu and not gsi_scaled:
            out.append(
                Finding(
                    "gsi-write-capacity",
                    "warning",
                    f"GSI {g.name} has less write capacity than the table ({gw} < {wcu} WCU)",
                    "Every write to an item in the index also writes the index; when the index is "
                    "throttled, DynamoDB throttles the table's writes too.",
                    "Give the GSI at least the table's write capacity, or auto scale it.",
                    aws_cli(
                        f,
                        f"dynamodb update-table --table-name {q(name)} --global-secondary-index-updates "
                        + q(
                            json.dumps(
                                [
                                    {
                                        "Update": {
                                            "IndexName": g.name,
                                            "ProvisionedThroughput": {
                                                "ReadCapacityUnits": (
                                                    raw.get("ProvisionedThroughput") or {}
                                                ).get("ReadCapacityUnits", rcu),
                                                "WriteCapacityUnits": wcu,
                                            },
                                        }
                                    }
                                ],
                                separators=(",", ":"),
                            )
                        ),
                    ),
                )
            )
    return out
