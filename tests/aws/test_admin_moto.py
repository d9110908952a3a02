"""aws.admin against moto's server: create, alter (GSIs, TTL, PITR, billing, autoscaling), undo from the
journal, backups, point-in-time restore with the item-count diff, drop, and cancelling a wait."""

from __future__ import annotations

import json
import threading

import pytest

from ddbtui.aws.admin import AdminError, Cancelled, admin_journal, execute, undo_last
from ddbtui.aws.admin_info import autoscaling_client, count_diff, list_backups, table_state
from ddbtui.core.admin import (
    AlterRequest,
    TableDesign,
    as_create,
    parse_autoscaling,
    parse_gsi,
    parse_key,
    plan_alter,
    plan_backup,
    plan_create,
    plan_drop,
    plan_restore,
)
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.errors import UsageError
from ddbtui.core.writes import WritePolicy
from tests.conftest import table_names
from tests.faults import inject, response

ALL = WritePolicy(True)


@pytest.fixture
def journal(tmp_path):
    return admin_journal(tmp_path / "admin-journal.jsonl")


def _create(client, name, journal, **kw):
    design = TableDesign(name, parse_key("pk:S,sk:S"), **kw)
    return execute(client, plan_create(design.params()), policy=ALL, journal=journal, poll=0.05)


def test_create_alter_and_undo(moto_client, table_name, journal):
    progress = []
    design = TableDesign(table_name, parse_key("pk:S,sk:S"), gsis=[parse_gsi("byEmail=email:S:KEYS_ONLY")])
    result = execute(moto_client, plan_create(design.params(), ttl="exp", pitr=True), policy=ALL,
                     journal=journal, poll=0.05, on_progress=progress.append)  # fmt: skip
    assert result.complete and [s.operation for s in result.done] == [
        "CreateTable",
        "UpdateTimeToLive",
        "UpdateContinuousBackups",
    ]
    assert {p.phase for p in progress} == {"sending", "waiting", "done"}
    st = table_state(moto_client, table_name)
    assert (st.ttl_attribute, st.pitr, [g.name for g in st.schema.gsis]) == ("exp", True, ["byEmail"])
    for i in range(5):
        moto_client.put_item(
            TableName=table_name, Item={"pk": {"S": f"u{i}"}, "sk": {"S": "1"}, "status": {"S": "A"}}
        )

    req = AlterRequest(
        add_gsis=[parse_gsi("byStatus=status:S"), parse_gsi("byDay=day:S")], pitr=False, provisioned=(5, 5)
    )
    plan = plan_alter(st, req, sample=[])
    result = execute(moto_client, plan, policy=ALL, journal=journal, poll=0.05)
    assert result.complete
    st = table_state(moto_client, table_name)
    assert {g.name for g in st.schema.gsis} == {"byEmail", "byStatus", "byDay"}
    assert (st.schema.billing_mode, st.schema.read_capacity, st.pitr) == ("PROVISIONED", 5, False)
    # the journal holds each change with its undo; undo takes the alter back, last change first
    lines = [json.loads(x) for x in journal.path.read_text().splitlines()]
    assert [x["operation"] for x in lines[-4:]] == [
        "admin:billing",
        "admin:gsi-create",
        "admin:gsi-create",
        "admin:pitr",
    ]
    undo, done = undo_last(moto_client, journal, policy=ALL, poll=0.05)
    assert [s.kind for s in undo.steps] == ["pitr", "gsi-drop", "gsi-drop", "billing"]
    assert done is not None and done.complete
    st = table_state(moto_client, table_name)
    assert [g.name for g in st.schema.gsis] == ["byEmail"]
    assert (st.schema.billing_mode, st.pitr) == ("PAY_PER_REQUEST", True)
    # undo again steps further back: the create's TTL and PITR (the CreateTable itself is not undone)
    undo, _done = undo_last(moto_client, journal, policy=ALL, poll=0.05)
    assert [s.kind for s in undo.steps] == ["pitr", "ttl"]
    assert any("does not delete tables" in n for n in undo.notes)
    st = table_state(moto_client, table_name)
    assert (st.ttl_attribute, st.pitr) == (None, False)
    with pytest.raises(UsageError, match="nothing to undo"):
        undo_last(moto_client, journal, policy=ALL)


def test_deletion_protection_and_drop(moto_client, table_name, journal):
    _create(moto_client, table_name, journal, deletion_protection=True)
    st = table_state(moto_client, table_name)
    with pytest.raises(UsageError, match="deletion protection on"):
        plan_drop(table_name, table_name, deletion_protection=st.schema.deletion_protection, pitr=st.pitr)
    execute(
        moto_client,
        plan_alter(st, AlterRequest(deletion_protection=False)),
        policy=ALL,
        journal=journal,
        poll=0.05,
    )
    st = table_state(moto_client, table_name)
    assert st.schema.deletion_protection is False
    plan = plan_drop(
        table_name, table_name, deletion_protection=False, pitr=st.pitr, backup_name=f"{table_name}-last"
    )
    result = execute(moto_client, plan, policy=ALL, journal=journal, poll=0.05)
    assert result.complete and "BackupDetails" in result.responses[0]
    with pytest.raises(AdminError, match=f"no table {table_name}"):
        table_state(moto_client, table_name)
    # the drop is journaled but has no undo
    undo, done = undo_last(moto_client, journal, policy=ALL)
    assert undo.empty and done is None and any("cannot undo: delete table" in n for n in undo.notes)


def test_policy_is_checked_before_anything_is_sent(moto_client, table_name, journal):
    plan = plan_create(TableDesign(table_name, parse_key("pk:S")).params())
    with pytest.raises(UsageError, match="read-only by default"):
        execute(moto_client, plan, policy=WritePolicy(False), journal=journal)
    with pytest.raises(UsageError, match="names only Other"):
        execute(moto_client, plan, policy=WritePolicy(True, ["Other"]), journal=journal)
    assert table_name not in table_names(moto_client)
    assert not journal.path.exists()


def test_backup_and_point_in_time_restore_with_count_diff(moto_client, table_name, journal):
    _create(moto_client, table_name, journal)
    for i in range(7):
        moto_client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}, "sk": {"S": "x"}})
    st = table_state(moto_client, table_name)
    execute(moto_client, plan_alter(st, AlterRequest(pitr=True)), policy=ALL, journal=journal, poll=0.05)
    result = execute(moto_client, plan_backup(table_name, f"{table_name}-b1"), policy=ALL, journal=journal)
    arn = result.responses[0]["BackupDetails"]["BackupArn"]
    assert [b["BackupArn"] for b in list_backups(moto_client, table_name)] == [arn]

    target = f"{table_name}r"
    execute(
        moto_client,
        plan_restore(target, source=table_name, time=None),
        policy=ALL,
        journal=journal,
        poll=0.05,
    )
    moto_client.delete_item(TableName=table_name, Key={"pk": {"S": "k0"}, "sk": {"S": "x"}})
    diff = count_diff(moto_client, table_name, target)
    assert (diff.source_count, diff.target_count, diff.difference) == (6, 7, 1)
    assert "1 more in the restored table" in diff.describe()

    target2 = f"{table_name}b"
    execute(moto_client, plan_restore(target2, backup_arn=arn), policy=ALL, journal=journal, poll=0.05)
    assert count_diff(moto_client, table_name, target2).target_count == 7


def test_as_create_copies_a_design(moto_client, table_name, journal):
    design = TableDesign(table_name, parse_key("pk:S,sk:S"), gsis=[parse_gsi("byG=g:S,n:N:INCLUDE=a+b")],
                         provisioned=(3, 2), stream="NEW_IMAGE")  # fmt: skip
    execute(moto_client, plan_create(design.params()), policy=ALL, journal=journal, poll=0.05)
    params, _notes = as_create(moto_client.describe_table(TableName=table_name)["Table"])
    params["TableName"] = copy = f"{table_name}c"
    execute(moto_client, plan_create(params), policy=ALL, journal=journal, poll=0.05)
    a, b = (table_state(moto_client, t).schema for t in (table_name, copy))
    assert (b.key, b.gsis, b.billing_mode, b.read_capacity, b.stream_view_type) == (
        a.key, a.gsis, "PROVISIONED", 3, "NEW_IMAGE")  # fmt: skip


def test_autoscaling_registers_targets_and_policies(moto_client, moto_server, table_name, journal):
    _create(moto_client, table_name, journal, provisioned=(5, 5), gsis=[parse_gsi("byG=g:S")])
    aas = autoscaling_client(moto_client)
    st = table_state(moto_client, table_name, aas)
    assert st.scalable_targets == {}
    plan = plan_alter(st, AlterRequest(autoscaling=parse_autoscaling("2,40,60")))
    assert execute(moto_client, plan, aas=aas, policy=ALL, journal=journal).complete
    targets = aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    mine = {(t["ResourceId"], t["ScalableDimension"]): (t["MinCapacity"], t["MaxCapacity"]) for t in targets
            if t["ResourceId"].startswith(f"table/{table_name}")}  # fmt: skip
    assert mine == {
        (f"table/{table_name}", "dynamodb:table:ReadCapacityUnits"): (2, 40),
        (f"table/{table_name}", "dynamodb:table:WriteCapacityUnits"): (2, 40),
        (f"table/{table_name}/index/byG", "dynamodb:index:ReadCapacityUnits"): (2, 40),
        (f"table/{table_name}/index/byG", "dynamodb:index:WriteCapacityUnits"): (2, 40),
    }
    policies = aas.describe_scaling_policies(ServiceNamespace="dynamodb", ResourceId=f"table/{table_name}")[
        "ScalingPolicies"
    ]
    assert {p["PolicyName"] for p in policies} == {f"DynamoDBReadCapacityUtilization:table/{table_name}",
                                                   f"DynamoDBWriteCapacityUtilization:table/{table_name}"}  # fmt: skip
    assert table_state(moto_client, table_name, aas).scalable_targets == mine
    undo_last(moto_client, journal, aas=aas, policy=ALL)
    assert table_state(moto_client, table_name, aas).scalable_targets == {}


def _backfilling(table, index):
    """A DescribeTable answer in which ``index`` is still being backfilled (moto builds indexes at once)."""
    body = {"Table": {"TableName": table, "TableStatus": "ACTIVE", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                      "GlobalSecondaryIndexes": [{"IndexName": index, "IndexStatus": "CREATING", "Backfilling": True,
                                                  "ItemCount": 1234, "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                  "Projection": {"ProjectionType": "ALL"}}]}}  # fmt: skip
    return lambda request: response(request, 200, json.dumps(body))


def test_cancel_during_a_backfill_wait(moto_client, table_name, journal):
    _create(moto_client, table_name, journal)
    st = table_state(moto_client, table_name)
    plan = plan_alter(st, AlterRequest(add_gsis=[parse_gsi("byG=g:S")], ttl="exp"))
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.phase == "waiting" and len([x for x in seen if x.phase == "waiting"]) == 3:
            cancel.set()

    hook = inject(moto_client, "DescribeTable", _backfilling(table_name, "byG"))
    try:
        with pytest.raises(Cancelled) as e:
            execute(
                moto_client, plan, policy=ALL, journal=journal, cancel=cancel, on_progress=progress, poll=0.01
            )
    finally:
        hook.remove()
    waiting = [p for p in seen if p.phase == "waiting"]
    assert (waiting[-1].index_status, waiting[-1].backfilling, waiting[-1].item_count) == (
        "CREATING",
        True,
        1234,
    )
    assert "index CREATING backfilling" in waiting[-1].describe() and "1,234 items" in waiting[-1].describe()
    assert [s.kind for s in e.value.done] == ["gsi-create"]
    assert "DynamoDB goes on with 'add GSI byG" in str(e.value) and "not sent: TTL on" in str(e.value)
    # the index ddbtui started is journaled, so undo can drop it; the TTL step was never sent
    assert table_state(moto_client, table_name).ttl_attribute is None
    undo, _ = undo_last(moto_client, journal, policy=ALL, poll=0.01, dry_run=True)
    assert [s.summary for s in undo.steps] == ["drop GSI byG (ddbtui created it)"]


def test_a_failed_step_says_what_was_applied(moto_client, table_name, journal):
    _create(moto_client, table_name, journal)
    bad = Step("UpdateTable", {"TableName": f"{table_name}missing", "DeletionProtectionEnabled": True}, "protect a missing table",
               kind="deletion-protection", table=table_name, wait=Wait("table-active", table_name))  # fmt: skip
    ok = Step("UpdateTimeToLive", {"TableName": table_name, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "e"}},
              "TTL on", kind="ttl", table=table_name)  # fmt: skip
    with pytest.raises(AdminError) as e:
        execute(moto_client, Plan("x", table_name, [ok, bad]), policy=ALL, journal=journal)
    assert str(e.value).startswith("ResourceNotFoundException: no table") and "(UpdateTable)" in str(e.value)
    assert [s.summary for s in e.value.done] == ["TTL on"]


def test_contributor_insights_request_on_the_wire(moto_client, table_name, journal):
    """moto answers 500 to Contributor Insights: the request is checked as sent, and answered here."""
    _create(moto_client, table_name, journal)
    sent = []

    def answer(request):
        sent.append(json.loads(request.body))
        return response(
            request, 200, json.dumps({"TableName": table_name, "ContributorInsightsStatus": "ENABLING"})
        )

    hook = inject(moto_client, "UpdateContributorInsights", answer)
    try:
        plan = plan_alter(table_state(moto_client, table_name), AlterRequest(contributor_insights=True))
        result = execute(moto_client, plan, policy=ALL, journal=journal)
    finally:
        hook.remove()
    assert sent == [{"TableName": table_name, "ContributorInsightsAction": "ENABLE"}]
    assert result.responses[0]["ContributorInsightsStatus"] == "ENABLING"
    assert plan.steps[0].undo[0].params["ContributorInsightsAction"] == "DISABLE"
    # unanswered, moto's 500 becomes one line naming the gap
    plan = plan_alter(table_state(moto_client, table_name), AlterRequest(contributor_insights=False))
    with pytest.raises(AdminError, match="does not implement UpdateContributorInsights"):
        execute(moto_client, plan, policy=ALL, journal=journal)
