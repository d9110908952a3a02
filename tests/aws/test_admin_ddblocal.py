"""aws.admin on DynamoDB Local, AWS's own engine: tables, GSIs one at a time, TTL, and its errors turned
into one line each with what to do."""

from __future__ import annotations

import pytest

from ddbtui.aws.admin import AdminError, admin_journal, execute, undo_last
from ddbtui.aws.admin_info import table_state
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.admin import (
    AlterRequest,
    TableDesign,
    parse_gsi,
    parse_key,
    plan_alter,
    plan_backup,
    plan_create,
)
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.writes import WritePolicy

ALL = WritePolicy(True)


@pytest.fixture(scope="module")
def client(ddblocal_server):
    # one attempt: LimitExceededException is retryable for botocore, and these tests want the error itself
    return make_client(
        Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1", max_attempts=1)
    )


@pytest.fixture
def journal(tmp_path):
    return admin_journal(tmp_path / "admin-journal.jsonl")


def _table(client, name, journal, **kw):
    execute(
        client,
        plan_create(TableDesign(name, parse_key("pk:S"), **kw).params()),
        policy=ALL,
        journal=journal,
        poll=0.05,
    )
    for i in range(4):
        client.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "a": {"S": "x"}, "b": {"N": str(i)}})


def test_two_gsis_in_one_update_are_refused_and_the_plan_sends_them_one_by_one(client, table_name, journal):
    _table(client, table_name, journal)
    both = Step("UpdateTable", {"TableName": table_name,
                                "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "N"}],
                                "GlobalSecondaryIndexUpdates": [
                                    {"Create": {"IndexName": "byA", "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}},
                                    {"Create": {"IndexName": "byB", "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}]},
                "two GSIs at once", kind="gsi-create", table=table_name)  # fmt: skip
    with pytest.raises(AdminError) as e:
        execute(client, Plan("x", table_name, [both]), policy=ALL, journal=journal)
    line = str(e.value)
    assert line.startswith("LimitExceededException: DynamoDB takes one index creation or deletion at a time")
    assert f"wait until {table_name}'s current change is done" in line and line.endswith("(UpdateTable)")
    assert "\n" not in line
    # the plan's split: one Create per UpdateTable, each waited for, both built
    plan = plan_alter(
        table_state(client, table_name),
        AlterRequest(add_gsis=[parse_gsi("byA=a:S"), parse_gsi("byB=b:N:KEYS_ONLY")]),
    )
    assert execute(client, plan, policy=ALL, journal=journal, poll=0.05).complete
    st = table_state(client, table_name)
    assert {g.name: g.item_count for g in st.schema.gsis} == {"byA": 4, "byB": 4}
    undo_last(client, journal, policy=ALL, poll=0.05)
    assert table_state(client, table_name).schema.gsis == ()


def test_ttl_and_deletion_protection_round_trip(client, table_name, journal):
    _table(client, table_name, journal)
    st = table_state(client, table_name)
    assert st.pitr is None  # DynamoDB Local has no DescribeContinuousBackups: unknown, not an error
    plan = plan_alter(st, AlterRequest(ttl="expires", deletion_protection=True))
    execute(client, plan, policy=ALL, journal=journal, poll=0.05)
    st = table_state(client, table_name)
    assert (st.ttl_attribute, st.schema.deletion_protection) == ("expires", True)
    # DynamoDB Local refuses to delete it: the error names the way out
    drop = Step("DeleteTable", {"TableName": table_name}, "drop", kind="table-drop", table=table_name,
                wait=Wait("table-gone", table_name), undo=None)  # fmt: skip
    with pytest.raises(AdminError, match="deletion protection on .* --deletion-protection off"):
        execute(client, Plan("x", table_name, [drop]), policy=ALL, journal=journal)
    undo_last(client, journal, policy=ALL, poll=0.05)
    st = table_state(client, table_name)
    assert (st.ttl_attribute, st.schema.deletion_protection) == (None, False)


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (lambda t: Step("CreateTable", {"TableName": t, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "X"}],
                                        "BillingMode": "PAY_PER_REQUEST"}, "bad type", kind="table-create", table=t),
         "ValidationException: DynamoDB refused a key type .* S \\(string\\), N \\(number\\) or B \\(binary\\) \\(CreateTable\\)"),
        (lambda t: Step("CreateTable", {"TableName": t, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                        "BillingMode": "PAY_PER_REQUEST"}, "exists", kind="table-create", table=t),
         "ResourceInUseException: a table named .* already exists .* choose another name"),
        (lambda t: plan_backup(t, "b-001").steps[0], "does not implement CreateBackup \\(DynamoDB Local has no backups"),
        (lambda t: Step("UpdateTable", {"TableName": t + "zz", "DeletionProtectionEnabled": True}, "missing", kind="x", table=t + "zz"),
         "ResourceNotFoundException: no table \\w+zz at this endpoint in us-east-1: check the name, --region and --endpoint-url"),
        (lambda t: Step("UpdateTable", {"TableName": t, "TableClass": "STANDARD"}, "no-op", kind="table-class", table=t),
         "already has these settings"),
    ],
)  # fmt: skip
def test_dynamodb_errors_are_one_clear_line(client, table_name, journal, step, words):
    _table(client, table_name, journal)
    with pytest.raises(AdminError, match=words) as e:
        execute(client, Plan("x", table_name, [step(table_name)]), policy=ALL, journal=journal)
    assert "\n" not in str(e.value)


def test_access_denied_names_the_permission(client, table_name, journal):
    from tests.faults import DENIED, inject

    _table(client, table_name, journal)
    hook = inject(client, "UpdateTimeToLive", DENIED)
    try:
        plan = plan_alter(table_state(client, table_name), AlterRequest(ttl="exp"))
        with pytest.raises(
            AdminError, match="may not call UpdateTimeToLive on .* dynamodb:UpdateTimeToLive permission"
        ):
            execute(client, plan, policy=ALL, journal=journal)
    finally:
        hook.remove()
