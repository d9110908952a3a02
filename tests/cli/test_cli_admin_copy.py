"""Copying a design and the `ddbtui undo` hook-up: ``describe --as-create`` output fed to
``create-table --from-json``; which journal an undo takes back first."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli_admin_flows import _name, _runner


@pytest.fixture
def moto(moto_server, moto_client, tmp_path):
    return _runner(moto_server, tmp_path / "data"), moto_client


def test_describe_as_create_feeds_create_table_from_json(moto, tmp_path):
    """``ddbtui describe TABLE --as-create`` prints a CreateTable JSON that ``create-table --from-json``
    takes as it is."""
    run, client = moto
    t = _name()
    r = run("create-table", t, "--key", "pk:S,sk:N", "--gsi", "byG=g:S:INCLUDE=a+b", "--provisioned", "2,1",
            "--stream", "NEW_IMAGE", "--tag", "team=data", "--allow-writes")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = run("describe", t, "--as-create")
    assert r.returncode == 0, r.stderr
    out, err = r.stdout, r.stderr
    design = json.loads(out)
    assert design["Tags"] == [{"Key": "team", "Value": "data"}] and "--ttl ATTR" in err
    path = tmp_path / "design.json"
    path.write_text(out)
    r = run("create-table", f"{t}_copy", "--from-json", str(path), "--allow-writes")
    assert r.returncode == 0, r.stderr
    a, b = (client.describe_table(TableName=x)["Table"] for x in (t, f"{t}_copy"))
    for k in ("KeySchema", "StreamSpecification"):
        assert a[k] == b[k]
    assert [g["Projection"] for g in a["GlobalSecondaryIndexes"]] == [
        g["Projection"] for g in b["GlobalSecondaryIndexes"]
    ]
    assert b["ProvisionedThroughput"]["ReadCapacityUnits"] == 2


def test_undo_hook_takes_the_newer_of_a_table_change_and_a_write(moto, tmp_path, monkeypatch):
    from ddbtui.aws.journal import Journal
    from ddbtui.commands.admin_run import admin_change_is_newer
    from ddbtui.core.writes import JournalRecord

    run, _client = moto
    monkeypatch.setenv("DDBTUI_DATA_DIR", str(tmp_path / "data"))
    writes = Journal(tmp_path / "writes.jsonl")
    assert admin_change_is_newer(writes) is False  # no table change at all
    t = _name()
    assert run("create-table", t, "--key", "pk:S", "--ttl", "exp", "--allow-writes").returncode == 0
    assert admin_change_is_newer(writes) is True  # no write to undo
    writes.append(
        JournalRecord(
            t, {"pk": {"S": "a"}}, "put", None, {"pk": {"S": "a"}}, {}, time="2999-01-01T00:00:00.000+00:00"
        )
    )
    assert admin_change_is_newer(writes) is False  # the write is newer


def test_ddbtui_undo_takes_back_a_table_change_newer_than_any_write(moto):
    """After ``alter --deletion-protection on`` (and no item write since), ``ddbtui undo`` shows the table
    change, refuses without --allow-writes like an item undo (exit 2), and with it turns protection off."""
    run, client = moto
    t = _name()
    assert run("create-table", t, "--key", "pk:S", "--allow-writes").returncode == 0
    assert run("alter", t, "--deletion-protection", "on", "--allow-writes").returncode == 0
    assert client.describe_table(TableName=t)["Table"]["DeletionProtectionEnabled"] is True
    shown = run("undo")
    assert shown.returncode == 2 and "re-run with --allow-writes" in shown.stderr
    assert t in shown.stdout
    assert client.describe_table(TableName=t)["Table"]["DeletionProtectionEnabled"] is True  # only shown
    done = run("undo", "--allow-writes")
    assert done.returncode == 0, done.stderr
    assert client.describe_table(TableName=t)["Table"]["DeletionProtectionEnabled"] is False
