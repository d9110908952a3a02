"""`ddbtui transact FILE` as installed, against DynamoDB Local: a 3-action transaction is applied and
`ddbtui undo` takes all three back; a failing condition shows DynamoDB's reason per action and writes
nothing (#17)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import create_table

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"


@pytest.fixture(scope="module")
def table(ddblocal_client):
    return create_table(ddblocal_client, f"txn_{uuid.uuid4().hex[:10]}")


@pytest.fixture
def cli(ddblocal_server, tmp_path):
    data_dir = tmp_path / "data"

    def run(*args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                    "DDBTUI_DATA_DIR": str(data_dir)})  # fmt: skip
        env.pop("AWS_ENDPOINT_URL", None)
        argv = [DDBTUI, *args, "--endpoint-url", ddblocal_server.endpoint_url]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)

    return run


def get(client, table, pk, sk):
    key = {"pk": {"S": pk}, "sk": {"S": sk}}
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def write(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_three_actions_applied_then_undone_as_one(cli, ddblocal_client, table, tmp_path):
    upd = {"pk": {"S": "T1"}, "sk": {"S": "u"}, "n": {"N": "5"}, "tag": {"S": "old"}}
    gone = {"pk": {"S": "T1"}, "sk": {"S": "d"}, "keep": {"BOOL": True}}
    ddblocal_client.put_item(TableName=table, Item=upd)
    ddblocal_client.put_item(TableName=table, Item=gone)
    src = write(tmp_path / "tx.jsonl", [
        {"Put": {"TableName": table, "Item": {"pk": {"S": "T1"}, "sk": {"S": "p"}, "v": {"S": "new"}}}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "T1"}, "sk": {"S": "u"}},
                    "UpdateExpression": "SET n = n + :one REMOVE tag", "ConditionExpression": "n = :five",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":five": {"N": "5"}}}},
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "T1"}, "sk": {"S": "d"}}}},
    ])  # fmt: skip
    r = cli("transact", src)
    assert r.returncode == 2 and "--allow-writes" in r.stderr  # refused before connecting
    r = cli("transact", src, "--allow-writes")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(o["operation"], o["key"]["sk"]) for o in out] == [("put", "p"), ("update", "u"), ("delete", "d")]
    assert out[1]["old"] == {"pk": "T1", "sk": "u", "n": 5, "tag": "old"}
    assert out[1]["new"] == {"pk": "T1", "sk": "u", "n": 6}
    assert get(ddblocal_client, table, "T1", "p") == {"pk": {"S": "T1"}, "sk": {"S": "p"}, "v": {"S": "new"}}
    assert get(ddblocal_client, table, "T1", "u") == {"pk": {"S": "T1"}, "sk": {"S": "u"}, "n": {"N": "6"}}
    assert get(ddblocal_client, table, "T1", "d") is None
    r = cli("undo", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 3  # the three writes, taken back together
    assert get(ddblocal_client, table, "T1", "p") is None
    assert get(ddblocal_client, table, "T1", "u") == upd
    assert get(ddblocal_client, table, "T1", "d") == gone


def test_failing_condition_shows_reasons_per_action_and_writes_nothing(cli, ddblocal_client, table, tmp_path):
    here = {"pk": {"S": "T2"}, "sk": {"S": "a"}, "n": {"N": "1"}}
    ddblocal_client.put_item(TableName=table, Item=here)
    src = write(tmp_path / "tx.jsonl", [
        {"Put": {"TableName": table, "Item": {"pk": {"S": "T2"}, "sk": {"S": "b"}}}},
        {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "T2"}, "sk": {"S": "a"}},
                            "ConditionExpression": "n = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}},
    ])  # fmt: skip
    r = cli("transact", src, "--allow-writes")
    assert r.returncode == 3, r.stderr
    doc = json.loads(r.stdout)
    assert doc["cancelled"] is True
    assert [(x["action"], x["code"]) for x in doc["reasons"]] == [(2, "ConditionalCheckFailed")]
    assert doc["reasons"][0]["item"] == {"pk": "T2", "sk": "a", "n": 1}
    assert "action 2: action 2 (ConditionCheck" in r.stderr and "ConditionalCheckFailed" in r.stderr
    assert "nothing was written" in r.stderr
    assert get(ddblocal_client, table, "T2", "b") is None
    assert get(ddblocal_client, table, "T2", "a") == here
