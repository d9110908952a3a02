"""The admin commands end to end, in a subprocess: create, alter, undo, drop on moto; the rehearsed
recovery (backup, point-in-time restore into a new table, item-count diff); errors from DynamoDB Local."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

from tests.cli.test_cli_admin_plan import admin_argv
from tests.conftest import table_names


def _runner(server, data_dir):
    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                   DDBTUI_DATA_DIR=str(data_dir))  # fmt: skip
        env.pop("AWS_ENDPOINT_URL", None)
        argv = [*admin_argv(), *args, "--endpoint-url", server.endpoint_url]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)

    return run


@pytest.fixture
def moto(moto_server, moto_client, tmp_path):
    return _runner(moto_server, tmp_path / "data"), moto_client


def _name() -> str:
    return f"clif_{uuid.uuid4().hex[:10]}"


def test_create_alter_undo_and_drop(moto):
    run, client = moto
    t = _name()
    r = run("create-table", t, "--key", "pk:S,sk:S", "--gsi", "byEmail=email:S:KEYS_ONLY", "--ttl", "exp",
            "--deletion-protection", "--allow-writes")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith(f"done: created table {t}\n") and "aws dynamodb create-table" in r.stdout
    assert (
        "[1/2] CreateTable" in r.stderr
        and f"created table {t} · 2 calls · undo with ddbtui admin-undo" in r.stderr
    )
    desc = client.describe_table(TableName=t)["Table"]
    assert (
        desc["DeletionProtectionEnabled"] is True
        and desc["GlobalSecondaryIndexes"][0]["IndexName"] == "byEmail"
    )
    for i in range(3):
        client.put_item(TableName=t, Item={"pk": {"S": f"u{i}"}, "sk": {"S": "1"}, "day": {"S": "mon"}})

    r = run(
        "alter", t, "--add-gsi", "byDay=day:S", "--provisioned", "3,2", "--format", "json", "--allow-writes"
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["done"] == [
        "billing mode to provisioned, 3 RCU / 2 WCU (and 1 GSI(s))",
        "add GSI byDay (day S) ALL",
    ]
    assert len(doc["journal_ids"]) == 2
    desc = client.describe_table(TableName=t)["Table"]
    assert {g["IndexName"] for g in desc["GlobalSecondaryIndexes"]} == {"byEmail", "byDay"}
    assert desc["BillingModeSummary"]["BillingMode"] == "PROVISIONED"

    r = run("drop-table", t, "--confirm", t, "--allow-writes")
    assert (
        r.returncode == 2 and "deletion protection on" in r.stderr and "--deletion-protection off" in r.stderr
    )

    r = run("admin-undo")  # without --allow-writes: shows the plan, sends nothing
    assert r.returncode == 2 and "Plan: undo: alter table" in r.stdout and "drop GSI byDay" in r.stdout
    r = run("admin-undo", "--allow-writes")
    assert r.returncode == 0, r.stderr
    desc = client.describe_table(TableName=t)["Table"]
    assert [g["IndexName"] for g in desc["GlobalSecondaryIndexes"]] == ["byEmail"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    r = run("alter", t, "--deletion-protection", "off", "--allow-writes")
    assert r.returncode == 0, r.stderr
    r = run("drop-table", t, "--confirm", t, "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert "[cannot be undone]" in r.stdout and r.stdout.endswith(f"done: dropped table {t}\n")
    assert t not in table_names(client)


def test_rehearse_a_recovery(moto):
    run, client = moto
    t = _name()
    assert run("create-table", t, "--key", "pk:S", "--pitr", "--allow-writes").returncode == 0
    for i in range(9):
        client.put_item(TableName=t, Item={"pk": {"S": f"k{i}"}})
    r = run("backup", t, "--name", f"{t}-nightly", "--allow-writes")
    assert r.returncode == 0, r.stderr
    arn = next(line.split(": ", 1)[1] for line in r.stdout.splitlines() if line.startswith("backup ARN: "))
    r = run("backups", t, "--format", "json")
    assert r.returncode == 0 and [b["arn"] for b in json.loads(r.stdout)] == [arn]

    client.delete_item(TableName=t, Key={"pk": {"S": "k0"}})  # the "accident" after the backup
    r = run("restore", "--backup", arn, "--to", f"{t}_bk", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert f"item counts: {t}: 8 items now · {t}_bk: 9 items · 1 more in the restored table" in r.stdout

    r = run("restore", t, "--to", f"{t}_pit", "--time", "latest", "--format", "json", "--allow-writes")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["counts"] == {
        "source": t,
        "target": f"{t}_pit",
        "source_count": 8,
        "target_count": 8,
        "difference": 0,
    }
    assert doc["plan"]["steps"][0]["aws_cli"].startswith("aws dynamodb restore-table-to-point-in-time")
    # the source was only read
    assert client.describe_table(TableName=t)["Table"]["TableStatus"] == "ACTIVE"


def test_dynamodb_local_errors_exit_3_in_one_line(ddblocal_server, ddblocal_client, tmp_path):
    run = _runner(ddblocal_server, tmp_path / "data")
    t = _name()
    r = run("create-table", t, "--key", "pk:S", "--gsi", "byA=a:S", "--allow-writes")
    assert r.returncode == 0, r.stderr
    r = run("create-table", t, "--key", "pk:S", "--allow-writes")
    assert r.returncode == 3
    err = [line for line in r.stderr.splitlines() if line.startswith("ddbtui:")]
    assert err == [f"ddbtui: ResourceInUseException: a table named {t} already exists (or is being created or deleted): "
                   "choose another name, or drop it first (CreateTable)"]  # fmt: skip
    assert "Traceback" not in r.stderr
    r = run("backup", t, "--allow-writes")
    assert r.returncode == 3 and "does not implement CreateBackup" in r.stderr
    # two GSIs in one alter: sent one by one, both built on AWS's engine
    r = run(
        "alter",
        t,
        "--add-gsi",
        "byB=b:N",
        "--add-gsi",
        "byC=c:S,d:N:KEYS_ONLY",
        "--ttl",
        "exp",
        "--allow-writes",
    )
    assert r.returncode == 0, r.stderr
    desc = ddblocal_client.describe_table(TableName=t)["Table"]
    assert {g["IndexName"] for g in desc["GlobalSecondaryIndexes"]} == {"byA", "byB", "byC"}
    assert (
        ddblocal_client.describe_time_to_live(TableName=t)["TimeToLiveDescription"]["AttributeName"] == "exp"
    )
