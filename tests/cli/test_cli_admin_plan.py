"""The admin commands' plans and gates, in a subprocess: --dry-run sends nothing (a loopback proxy logs
every request that reaches the server), changes are refused without --allow-writes, bad specs exit 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import create_table, table_names
from tests.faults import FaultProxy

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"
READS = {"DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups", "Scan"}


def admin_argv() -> list[str]:
    """``ddbtui`` once the admin commands are wired into it, ``python -m ddbtui.commands.admin`` before."""
    from ddbtui.commands import MODULES

    if "ddbtui.commands.admin" in MODULES:
        return [DDBTUI]
    return [sys.executable, "-m", "ddbtui.commands.admin"]


@pytest.fixture
def cli(tmp_path):
    def run(*args: str, endpoint: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                   DDBTUI_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
        env.pop("AWS_ENDPOINT_URL", None)
        argv = [*admin_argv(), *args] + (["--endpoint-url", endpoint] if endpoint else [])
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)

    return run


@pytest.fixture
def proxied(moto_server, moto_client):
    """A table on moto, and a proxy in front of moto logging every request (number, operation, rule)."""
    name = f"clia_{uuid.uuid4().hex[:10]}"
    create_table(moto_client, name, gsis=[("byStatus", ("status", "S"), None, "ALL")])
    with FaultProxy(moto_server.endpoint_url) as proxy:
        yield name, proxy, moto_client


def test_create_table_dry_run_sends_nothing_at_all(cli, proxied):
    _name, proxy, client = proxied
    new = f"clin_{uuid.uuid4().hex[:8]}"
    r = cli("create-table", new, "--key", "pk:S,sk:N", "--gsi", "byEmail=email:S:INCLUDE=name+total",
            "--lsi", "byDate=created:N:KEYS_ONLY", "--provisioned", "5,5", "--ttl", "exp", "--pitr",
            "--deletion-protection", "--autoscaling", "5,50,70", "--dry-run", endpoint=proxy.url)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert proxy.log == []  # not one request: no connection is even made
    out = r.stdout
    assert out.startswith(f"Plan: create table {new}\n  1. CreateTable")
    assert f"aws dynamodb create-table --table-name {new} " in out
    assert "aws dynamodb update-time-to-live" in out and "aws dynamodb update-continuous-backups" in out
    assert "aws application-autoscaling put-scaling-policy" in out
    assert "5 RCU and 5 WCU provisioned cost ~$2.85 a month" in out  # (5 x 0.00013 + 5 x 0.00065) x 730 h
    assert out.endswith("dry run: nothing was sent\n")
    assert new not in table_names(client)


def test_alter_dry_run_only_reads(cli, proxied):
    name, proxy, client = proxied
    client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "email": {"S": "a@x.io"}})
    r = cli("alter", name, "--add-gsi", "byEmail=email:S:KEYS_ONLY", "--drop-gsi", "byStatus", "--pitr", "on",
            "--ttl", "exp", "--provisioned", "4,2", "--dry-run", "--format", "json", endpoint=proxy.url)  # fmt: skip
    assert r.returncode == 0, r.stderr
    sent = {op for _n, op, _kind in proxy.log}
    assert sent and sent <= READS, sent
    doc = json.loads(r.stdout)
    assert doc["dry_run"] is True and doc["done"] == [] and doc["journal_ids"] == []
    steps = doc["plan"]["steps"]
    assert [(s["operation"], s["kind"]) for s in steps] == [
        ("UpdateTable", "billing"), ("UpdateTable", "gsi-drop"), ("UpdateTable", "gsi-create"),
        ("UpdateTimeToLive", "ttl"), ("UpdateContinuousBackups", "pitr"),
    ]  # fmt: skip
    assert steps[1]["undo"] is None and "full backfill" in steps[1]["irreversible"]
    assert any("backfilling byEmail" in c for c in doc["plan"]["costs"])
    desc = client.describe_table(TableName=name)["Table"]
    assert [g["IndexName"] for g in desc["GlobalSecondaryIndexes"]] == ["byStatus"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


@pytest.mark.parametrize(
    "args",
    [
        ["create-table", "{new}", "--key", "pk:S"],
        ["alter", "{t}", "--pitr", "on"],
        ["backup", "{t}"],
        ["restore", "{t}", "--to", "{new}", "--time", "latest"],
        ["drop-table", "{t}", "--confirm", "{t}"],
    ],
)
def test_changes_are_refused_without_allow_writes(cli, proxied, args):
    name, proxy, client = proxied
    new = f"clin_{uuid.uuid4().hex[:8]}"
    argv = [a.replace("{t}", name).replace("{new}", new) for a in args]
    r = cli(*argv, endpoint=proxy.url)
    assert r.returncode == 2, r.stderr
    assert "read-only by default" in r.stderr and "--allow-writes" in r.stderr and "Traceback" not in r.stderr
    assert proxy.log == []  # refused before connecting
    r = cli(*argv, "--allow-writes=Other", endpoint=proxy.url)
    assert r.returncode == 2 and "names only Other" in r.stderr
    assert name in table_names(client) and new not in table_names(client)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["create-table", "Orders", "--key", "pk:X", "--dry-run"],
            "key types are S (string), N (number) or B (binary)",
        ),
        (["create-table", "Orders", "--key", "pk:S", "--gsi", "G1=g:S", "--dry-run"], "is not a valid name"),
        (["create-table", "Orders", "--dry-run"], "needs NAME and --key"),
        (
            ["create-table", "Orders", "--key", "pk:S", "--autoscaling", "1,10,70", "--dry-run"],
            "add --provisioned",
        ),
        (["alter", "{t}", "--dry-run"], "name a change"),
        (["alter", "{t}", "--pitr", "maybe", "--dry-run"], "expected on or off"),
        (["alter", "{t}", "--drop-gsi", "nope", "--dry-run"], "has no GSI nope"),
        (["drop-table", "{t}", "--confirm", "other", "--allow-writes"], "repeat its name to confirm"),
        (["restore", "--to", "Copy1", "--allow-writes"], "needs --backup ARN, or TABLE --time"),
        (["restore", "{t}", "--to", "Copy1", "--time", "yesterday", "--allow-writes"], "ISO 8601"),
    ],
)
def test_bad_input_is_a_usage_error(cli, proxied, args, words):
    name, proxy, _client = proxied
    r = cli(*[a.replace("{t}", name) for a in args], endpoint=proxy.url)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert words in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1  # one line
    assert {op for _n, op, _k in proxy.log} <= READS


def test_from_json_takes_a_create_table_json_and_a_describe_output(cli, proxied, tmp_path):
    name, proxy, client = proxied
    described = tmp_path / "desc.json"
    described.write_text(json.dumps(client.describe_table(TableName=name), default=str))
    r = cli(
        "create-table",
        "CopyOfIt",
        "--from-json",
        str(described),
        "--dry-run",
        "--format",
        "json",
        endpoint=proxy.url,
    )
    assert r.returncode == 0, r.stderr
    params = json.loads(r.stdout)["plan"]["steps"][0]["params"]
    assert params["TableName"] == "CopyOfIt" and params["BillingMode"] == "PAY_PER_REQUEST"
    assert [g["IndexName"] for g in params["GlobalSecondaryIndexes"]] == ["byStatus"]
    assert "converted from a DescribeTable output" in r.stderr and proxy.log == []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**params, "AttributeDefinitions": params["AttributeDefinitions"] + [
        {"AttributeName": "zz", "AttributeType": "S"}]}))  # fmt: skip
    r = cli("create-table", "--from-json", str(bad), "--dry-run", endpoint=proxy.url)
    assert r.returncode == 2 and "defines zz, which no key uses" in r.stderr
    r = cli("create-table", "--from-json", str(described), "--key", "pk:S", "--dry-run")
    assert r.returncode == 2 and "put --key in the JSON instead" in r.stderr
