"""``ddbtui report TABLE --fix ID`` end to end on moto's server, the installed ``ddbtui`` in a subprocess
(#14): the report prints the fix IDs; without --allow-writes (or with --dry-run) the plan is printed and
nothing is sent; with it the fix is applied and journaled, the report no longer shows the finding, and
``ddbtui undo`` reverses it."""

from __future__ import annotations

import json
import time

from tests.cli.test_cli_admin_flows import _name, _runner


def _table(client, ttl_items: int = 0) -> str:
    t = _name()
    client.create_table(
        TableName=t,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    soon = int(time.time()) + 86400
    for i in range(ttl_items):
        client.put_item(TableName=t, Item={"pk": {"S": f"p{i}"}, "expiresAt": {"N": str(soon + i)}})
    return t


def _ids(run, t: str) -> dict[str, str | None]:
    r = run("report", t, "--format", "json")
    assert r.returncode == 0, r.stderr
    return {f["id"]: f["fix_id"] for f in json.loads(r.stdout)["findings"]}


def test_report_prints_fix_ids_and_fix_needs_allow_writes(moto_server, moto_client, tmp_path):
    run, client = _runner(moto_server, tmp_path / "data"), moto_client
    t = _table(client)
    md = run("report", t, "--sample", "0")
    assert md.returncode == 0, md.stderr
    assert "**Fix ID:** `deletion-protection-off`" in md.stdout
    assert f"ddbtui report {t} --fix deletion-protection-off --allow-writes" in md.stdout

    refused = run("report", t, "--sample", "0", "--fix", "deletion-protection-off")
    assert refused.returncode == 2, refused.stderr
    assert "UpdateTable" in refused.stdout and "--deletion-protection-enabled" in refused.stdout
    assert "--allow-writes" in refused.stderr
    dry = run("report", t, "--sample", "0", "--fix", "deletion-protection-off", "--dry-run", "--allow-writes")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing was sent" in dry.stdout
    assert not client.describe_table(TableName=t)["Table"].get("DeletionProtectionEnabled")  # nothing sent

    unknown = run("report", t, "--sample", "0", "--fix", "pitr-of")
    assert unknown.returncode == 2 and "no such finding" in unknown.stderr


def test_fix_applies_the_change_the_report_then_drops_the_finding_and_undo_reverses_it(
    moto_server, moto_client, tmp_path
):
    run, client = _runner(moto_server, tmp_path / "data"), moto_client
    t = _table(client, ttl_items=5)
    before = _ids(run, t)
    assert before["ttl-off-candidate"] == "ttl-off-candidate" and before["pitr-off"] == "pitr-off"

    r = run("report", t, "--fix", "ttl-off-candidate", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert "UpdateTimeToLive" in r.stdout and "aws dynamodb update-time-to-live" in r.stdout
    assert f"done: fixed ttl-off-candidate on {t}" in r.stdout
    ttl = client.describe_time_to_live(TableName=t)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == "expiresAt"

    r = run("report", t, "--sample", "0", "--fix", "pitr-off", "--allow-writes", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["done"] == ["point-in-time recovery on"]
    after = _ids(run, t)
    assert "ttl-off-candidate" not in after and "pitr-off" not in after

    undo = run("undo", "--allow-writes")  # the newest table change: PITR
    assert undo.returncode == 0, undo.stderr
    pitr = client.describe_continuous_backups(TableName=t)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    assert "pitr-off" in _ids(run, t)


def test_fix_autoscaling_registers_the_table_with_application_auto_scaling(
    moto_server, moto_client, tmp_path
):
    run, client = _runner(moto_server, tmp_path / "data"), moto_client
    t = _name()
    client.create_table(
        TableName=t,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 4, "WriteCapacityUnits": 2},
    )
    assert _ids(run, t)["autoscaling-off"] == "autoscaling-off"
    r = run("report", t, "--sample", "0", "--fix", "autoscaling-off", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert "RegisterScalableTarget" in r.stdout and "PutScalingPolicy" in r.stdout
    after = _ids(run, t)
    assert "autoscaling-off" not in after and "autoscaling-on" in after
