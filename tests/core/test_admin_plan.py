"""core.admin plans: alter split into the calls DynamoDB accepts, costs worked by hand, undo, drop/restore."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ddbtui.core.admin import (
    AlterRequest,
    CountDiff,
    TableState,
    backfill_estimate,
    change_record,
    parse_autoscaling,
    parse_gsi,
    plan_alter,
    plan_drop,
    plan_restore,
    undo_plan,
)
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema


def desc(billing="PAY_PER_REQUEST", gsis=(), rw=(0, 0), **extra):
    d = {
        "TableName": "Orders",
        "TableStatus": "ACTIVE",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingModeSummary": {"BillingMode": billing},
        "ProvisionedThroughput": {
            "ReadCapacityUnits": rw[0],
            "WriteCapacityUnits": rw[1],
            "NumberOfDecreasesToday": 0,
        },
        "ItemCount": 10_000,
        "TableSizeBytes": 15_000_000,
        "GlobalSecondaryIndexes": [],
    }
    for name, attr, grw in gsis:
        d["AttributeDefinitions"].append({"AttributeName": attr, "AttributeType": "S"})
        d["GlobalSecondaryIndexes"].append({"IndexName": name, "KeySchema": [{"AttributeName": attr, "KeyType": "HASH"}],
                                            "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE",
                                            "ProvisionedThroughput": {"ReadCapacityUnits": grw[0], "WriteCapacityUnits": grw[1]}})  # fmt: skip
    d.update(extra)
    return d


def state(d=None, **kw):
    return TableState(TableSchema.from_describe(d or desc()), **kw)


def update_tables(plan):
    return [s for s in plan.steps if s.operation == "UpdateTable"]


# --- backfill, worked by hand --------------------------------------------------------------------------

SAMPLE = [
    {"pk": {"S": "u1"}, "email": {"S": "a@x.io"}, "bio": {"S": "x" * 3000}},
    {"pk": {"S": "u2"}, "bio": {"S": "x" * 3000}},
    {"pk": {"S": "u3"}, "email": {"S": "b" * 2000}},
    {"pk": {"S": "u4"}, "email": {"S": "c@x.io"}},
]


def test_backfill_from_table_size():
    # 10,000 items, 15,000,000 B: 1,500 B on average -> ceil(1500 / 1024) = 2 WCU per entry (ALL)
    # -> 20,000 WCU; on-demand us-east-1 at $0.625 per million write units -> 20,000 * 0.625e-6 = $0.0125
    schema = TableSchema.from_describe(desc())
    index = IndexSchema("byEmail", "gsi", KeySchema("email"))
    est = backfill_estimate(schema, index, region="us-east-1")
    assert est.items == 10_000 and est.write_units == 20_000
    assert est.cost == pytest.approx(0.0125)
    assert "1,500 B on average" in est.basis and "on-demand" in est.basis


def test_backfill_from_a_sample_keys_only_and_all():
    # KEYS_ONLY entry = pk + email. u1: "pk"+"u1" = 4 B, "email"+"a@x.io" = 5 + 6 = 11 B -> 15 B -> 1 WCU;
    # u2 has no email: not in the index, 0; u3: 4 + 5 + 2000 = 2009 B -> 2 WCU; u4: 15 B -> 1 WCU.
    # 4 WCU over 4 sampled items = 1.0 per item x 1,000 items = 1,000 WCU; 3 of 4 have the key -> 750 entries.
    # On-demand: 1,000 x $0.625e-6 = $0.000625.
    schema = TableSchema.from_describe(desc(ItemCount=1000))
    keys_only = IndexSchema("byEmail", "gsi", KeySchema("email"), "KEYS_ONLY")
    est = backfill_estimate(schema, keys_only, sample=SAMPLE, region="us-east-1")
    assert est.write_units == 1000 and est.items == 750
    assert est.cost == pytest.approx(0.000625)
    assert "75% have the index's keys" in est.basis
    # ALL: u1 = 4 + 11 + ("bio" 3 + 3000) = 3018 B -> 3 WCU; u3 2009 B -> 2; u4 15 B -> 1: 6 / 4 = 1.5 per item
    est = backfill_estimate(
        schema, IndexSchema("byEmail", "gsi", KeySchema("email")), sample=SAMPLE, region="us-east-1"
    )
    assert est.write_units == 1500
    # provisioned: the capacity-seconds price, $0.00065 per WCU-hour / 3600 -> 1,000 x 0.00065 / 3600 = $0.00018056;
    # at 10 WCU the backfill takes at least 1,000 / 10 = 100 s
    est = backfill_estimate(
        schema, keys_only, sample=SAMPLE, region="us-east-1", index_wcu=10, billing_mode="PROVISIONED"
    )
    assert est.cost == pytest.approx(1000 * 0.00065 / 3600)
    assert est.seconds == 100
    assert "at least 100 s" in est.describe("byEmail")


def test_backfill_without_size_or_count():
    no_size = TableSchema.from_describe(desc(TableSizeBytes=0))
    est = backfill_estimate(no_size, IndexSchema("g1x", "gsi", KeySchema("g")))
    assert est.write_units == 10_000 and "lower bound" in est.basis
    empty = TableSchema.from_describe(desc(ItemCount=0))
    assert backfill_estimate(empty, IndexSchema("g1x", "gsi", KeySchema("g"))).write_units == 0


# --- alter: the split --------------------------------------------------------------------------------


def test_two_new_gsis_are_two_updates_each_waited_for():
    plan = plan_alter(
        state(), AlterRequest(add_gsis=[parse_gsi("byEmail=email:S"), parse_gsi("byDay=day:S,n:N:KEYS_ONLY")])
    )
    steps = update_tables(plan)
    assert len(steps) == 2
    for step, name in zip(steps, ["byEmail", "byDay"], strict=True):
        updates = step.params["GlobalSecondaryIndexUpdates"]
        assert len(updates) == 1 and updates[0]["Create"]["IndexName"] == name
        assert "ProvisionedThroughput" not in updates[0]["Create"]  # on-demand
        assert (step.wait.kind, step.wait.index) == ("index-active", name)
        assert step.kind == "gsi-create"
        assert step.undo[0].params["GlobalSecondaryIndexUpdates"] == [{"Delete": {"IndexName": name}}]
    # the existing key definitions are sent along with the new ones
    assert steps[1].params["AttributeDefinitions"] == [
        {"AttributeName": "day", "AttributeType": "S"},
        {"AttributeName": "n", "AttributeType": "N"},
        {"AttributeName": "pk", "AttributeType": "S"},
    ]
    assert any("backfilling byEmail" in c and "20,000 WCU" in c for c in plan.costs)


def test_drop_comes_before_add_and_cannot_be_undone():
    st = state(desc(gsis=[("old1", "o", (0, 0))]))
    plan = plan_alter(st, AlterRequest(add_gsis=[parse_gsi("new1=n:S")], drop_gsis=["old1"]),
                      index_uses={"old1": ["access pattern p1 (by o)"]})  # fmt: skip
    kinds = [s.kind for s in plan.steps]
    assert kinds == ["gsi-drop", "gsi-create"]
    drop = plan.steps[0]
    assert drop.undo is None and "full backfill" in drop.irreversible
    assert drop.wait.kind == "index-gone"
    assert any("access pattern p1" in r for r in plan.risks)
    assert "[cannot be undone]" in plan.render()
    with pytest.raises(UsageError, match="has no GSI nope"):
        plan_alter(st, AlterRequest(drop_gsis=["nope"]))
    with pytest.raises(UsageError, match="already has an index old1"):
        plan_alter(st, AlterRequest(add_gsis=[parse_gsi("old1=x:S")]))
    with pytest.raises(UsageError, match="type S, not N"):
        plan_alter(st, AlterRequest(add_gsis=[parse_gsi("new2=o:N")]))


def test_switch_to_provisioned_names_every_gsi_and_undo_goes_back():
    st = state(desc(gsis=[("g1x", "a", (0, 0)), ("g2x", "b", (0, 0))]))
    plan = plan_alter(
        st, AlterRequest(provisioned=(10, 5), gsi_throughput={"g2x": (2, 1)}), region="us-east-1"
    )
    (step,) = plan.steps
    assert step.params["BillingMode"] == "PROVISIONED"
    assert step.params["ProvisionedThroughput"] == {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}
    assert step.params["GlobalSecondaryIndexUpdates"] == [
        {
            "Update": {
                "IndexName": "g1x",
                "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
            }
        },
        {
            "Update": {
                "IndexName": "g2x",
                "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1},
            }
        },
    ]
    assert step.undo[0].params == {"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST"}
    # 10 RCU x $0.00013 + 5 WCU x $0.00065 per hour = $0.00455/h x 730 h = $3.32 a month
    assert "table: 10 RCU and 5 WCU provisioned cost ~$3.32 a month" in plan.costs[0]
    assert any("rolling 24 h" in r for r in plan.risks)


def test_switch_to_on_demand_and_the_24_hour_rule():
    st = state(desc("PROVISIONED", gsis=[("g1x", "a", (3, 2))], rw=(7, 4)))
    plan = plan_alter(st, AlterRequest(on_demand=True))
    (step,) = plan.steps
    assert step.params == {"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST"}
    assert step.undo[0].params == {
        "TableName": "Orders", "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 4},
        "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "g1x", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 2}}}],
    }  # fmt: skip
    assert any("four times in a rolling 24 h" in r for r in plan.risks)
    recent = desc(
        BillingModeSummary={
            "BillingMode": "PAY_PER_REQUEST",
            "LastUpdateToPayPerRequestDateTime": "2026-12-07T08:00:00+00:00",
        }
    )
    plan = plan_alter(
        state(recent), AlterRequest(provisioned=(1, 1)), now=datetime(2026, 12, 7, 10, tzinfo=UTC)
    )
    assert any("within the last 24 h" in r for r in plan.risks)
    assert plan_alter(st, AlterRequest(provisioned=(7, 4))).empty  # already so: nothing to send


def test_order_protection_first_and_last_and_other_calls():
    st = state(desc(DeletionProtectionEnabled=False), ttl_status="DISABLED", pitr=False)
    plan = plan_alter(
        st, AlterRequest(deletion_protection=True, ttl="exp", pitr=True, add_gsis=[parse_gsi("byE=email:S")])
    )
    assert [s.kind for s in plan.steps] == ["deletion-protection", "gsi-create", "ttl", "pitr"]
    protected = state(desc(DeletionProtectionEnabled=True), ttl_status="DISABLED", pitr=True)
    plan = plan_alter(protected, AlterRequest(deletion_protection=False, pitr=False, stream="NEW_IMAGE"))
    assert [s.kind for s in plan.steps] == ["stream", "pitr", "deletion-protection"]
    assert plan.steps[-1].params["DeletionProtectionEnabled"] is False
    assert plan.steps[-1].undo[0].params["DeletionProtectionEnabled"] is True
    assert any("restore window" in r for r in plan.risks)


def test_ttl_rules():
    on = state(ttl_attribute="exp", ttl_status="ENABLED")
    with pytest.raises(UsageError, match="turn it off first"):
        plan_alter(on, AlterRequest(ttl="other"))
    plan = plan_alter(on, AlterRequest(ttl=False))
    (step,) = plan.steps
    assert step.params["TimeToLiveSpecification"] == {"Enabled": False, "AttributeName": "exp"}
    assert step.undo[0].params["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "exp"}
    assert plan_alter(on, AlterRequest(ttl="exp")).empty
    with pytest.raises(UsageError, match="in progress"):
        plan_alter(state(ttl_attribute="exp", ttl_status="ENABLING"), AlterRequest(ttl=False))


def test_stream_view_change_is_off_then_on():
    st = state(desc(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}))
    plan = plan_alter(st, AlterRequest(stream="NEW_AND_OLD_IMAGES"))
    assert [s.params["StreamSpecification"] for s in plan.steps] == [
        {"StreamEnabled": False},
        {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    ]
    assert any("new ARN" in r for r in plan.risks)


def test_autoscaling_needs_provisioned_and_covers_table_and_gsis():
    with pytest.raises(UsageError, match="provisioned capacity"):
        plan_alter(state(), AlterRequest(autoscaling=parse_autoscaling("5,50,70")))
    st = state(desc("PROVISIONED", gsis=[("g1x", "a", (1, 1))], rw=(5, 5)),
               scalable_targets={("table/Orders", "dynamodb:table:ReadCapacityUnits"): (2, 20)})  # fmt: skip
    plan = plan_alter(st, AlterRequest(autoscaling=parse_autoscaling("5,50,70")))
    ops = [
        (s.operation, s.params["ResourceId"], s.params["ScalableDimension"].rpartition(":")[2])
        for s in plan.steps
    ]
    assert ops == [
        ("RegisterScalableTarget", "table/Orders", "ReadCapacityUnits"),
        ("PutScalingPolicy", "table/Orders", "ReadCapacityUnits"),
        ("RegisterScalableTarget", "table/Orders", "WriteCapacityUnits"),
        ("PutScalingPolicy", "table/Orders", "WriteCapacityUnits"),
        ("RegisterScalableTarget", "table/Orders/index/g1x", "ReadCapacityUnits"),
        ("PutScalingPolicy", "table/Orders/index/g1x", "ReadCapacityUnits"),
        ("RegisterScalableTarget", "table/Orders/index/g1x", "WriteCapacityUnits"),
        ("PutScalingPolicy", "table/Orders/index/g1x", "WriteCapacityUnits"),
    ]
    policy = plan.steps[1].params
    assert policy["TargetTrackingScalingPolicyConfiguration"] == {
        "TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}}  # fmt: skip
    # a target registered before is put back to its bounds; a new one is deregistered
    assert (
        plan.steps[0].undo[0].params["MinCapacity"] == 2
        and plan.steps[0].undo[0].operation == "RegisterScalableTarget"
    )
    assert plan.steps[2].undo[0].operation == "DeregisterScalableTarget"
    assert all(s.service == "application-autoscaling" for s in plan.steps)
    assert (
        plan.steps[0]
        .aws_cli()
        .startswith("aws application-autoscaling register-scalable-target --service-namespace dynamodb")
    )


def test_undo_plan_from_journal_records_reverses_the_order():
    st = state(desc(gsis=[("old1", "o", (0, 0))]), ttl_status="DISABLED", pitr=False)
    plan = plan_alter(
        st, AlterRequest(drop_gsis=["old1"], add_gsis=[parse_gsi("new1=n:S")], ttl="exp", pitr=True)
    )
    records = [change_record(s, plan, endpoint="http://x", region="us-east-1") for s in plan.steps]
    assert {r.operation for r in records} == {"admin:gsi-drop", "admin:gsi-create", "admin:ttl", "admin:pitr"}
    assert {r.group for r in records} == {plan.id}
    undo = undo_plan(records)
    assert [s.kind for s in undo.steps] == ["pitr", "ttl", "gsi-drop"]
    assert undo.steps[2].params["GlobalSecondaryIndexUpdates"] == [{"Delete": {"IndexName": "new1"}}]
    assert any("cannot undo: drop GSI old1" in n for n in undo.notes)


def test_drop_and_restore_plans():
    with pytest.raises(UsageError, match="--confirm Orders"):
        plan_drop("Orders", "orders", deletion_protection=False, pitr=None)
    with pytest.raises(UsageError, match="deletion protection on"):
        plan_drop("Orders", "Orders", deletion_protection=True, pitr=None)
    plan = plan_drop("Orders", "Orders", deletion_protection=False, pitr=True, backup_name="Orders-last")
    assert [s.operation for s in plan.steps] == ["CreateBackup", "DeleteTable"]
    assert plan.steps[1].undo is None and plan.steps[1].wait.kind == "table-gone"
    assert any("system backup" in n for n in plan.notes)
    r = plan_restore("Copy1", source="Orders", time=None)
    assert r.steps[0].params == {
        "SourceTableName": "Orders",
        "TargetTableName": "Copy1",
        "UseLatestRestorableTime": True,
    }
    with pytest.raises(UsageError, match="never overwrites"):
        plan_restore("Orders", source="Orders", time=None)
    r = plan_restore("Copy1", backup_arn="arn:aws:dynamodb:x:1:table/Orders/backup/1")
    assert r.steps[0].operation == "RestoreTableFromBackup" and r.steps[0].wait.table == "Copy1"


def test_count_diff_words():
    assert CountDiff("A", "B", 10, 10).describe() == "A: 10 items now · B: 10 items · the same count"
    d = CountDiff("A", "B", 12, 10, "2026-12-01T00:00:00+00:00")
    assert (
        d.difference == -2
        and "2 fewer in the restored table" in d.describe()
        and "changed since" in d.describe()
    )
    assert CountDiff("A", "B", None, 3).to_json()["difference"] is None
