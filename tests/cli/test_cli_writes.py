"""`ddbtui put|update|delete|undo` as installed, in a subprocess, against moto and DynamoDB Local."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import create_table

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"


@pytest.fixture(params=["moto", "ddblocal"])
def target(request, tmp_path):
    """(run, table, client) on each engine, with a journal of its own."""
    server = request.getfixturevalue(f"{request.param}_server")
    client = request.getfixturevalue(f"{request.param}_client")
    name = f"cliw_{uuid.uuid4().hex[:10]}"
    create_table(client, name)
    data_dir = tmp_path / "data"

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                    "DDBTUI_DATA_DIR": str(data_dir)})  # fmt: skip
        env.pop("AWS_ENDPOINT_URL", None)
        argv = [DDBTUI, *args, "--endpoint-url", server.endpoint_url]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)

    run.data_dir = data_dir  # type: ignore[attr-defined]
    run.engine = request.param  # type: ignore[attr-defined]
    return run, name, client


def doc(out: str) -> dict:
    return json.loads(out.splitlines()[-1], parse_float=Decimal, parse_int=Decimal)


def get(client, table, pk="A", sk="1"):
    return client.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True).get(
        "Item"
    )


ITEM = '{"pk": "A", "sk": "1", "n": 1, "big": 12345678901234567890123456789012345678}'


@pytest.mark.parametrize(
    "args",
    [
        ["put", "{t}", "--item", ITEM],
        ["update", "{t}", "--key", '{"pk": "A", "sk": "1"}', "--update", "SET n = 2"],
        ["delete", "{t}", "--key", '{"pk": "A", "sk": "1"}'],
    ],
)
def test_writes_are_refused_without_allow_writes(target, args):
    run, table, client = target
    r = run(*[a.replace("{t}", table) for a in args])
    assert r.returncode == 2, r.stderr
    assert "read-only by default" in r.stderr and "--allow-writes" in r.stderr
    assert "Traceback" not in r.stderr
    r = run(*[a.replace("{t}", table) for a in args], "--allow-writes=Users,Orders")
    assert r.returncode == 2 and "names only Orders, Users" in r.stderr
    assert get(client, table) is None


def test_put_update_delete_and_undo(target):
    run, table, client = target
    r = run("put", table, "--item", ITEM, "--allow-writes")
    assert r.returncode == 0, r.stderr
    out = doc(r.stdout)
    assert (
        out["operation"] == "put"
        and out["old"] is None
        and out["new"]["big"] == Decimal("12345678901234567890123456789012345678")
    )
    assert "created" in r.stderr
    if run.engine == "moto":  # moto's figures are constants: ddbtui's own, labelled
        assert "WCU (est.)" in r.stderr
    else:  # DynamoDB Local, AWS's engine: its own figure, unlabelled (1 WCU: the item is under 1 KB)
        assert "1 WCU" in r.stderr and "est." not in r.stderr

    # a second put is refused: nothing is overwritten silently; the current item is shown
    r = run("put", table, "--item", '{"pk": "A", "sk": "1", "n": 99}', "--allow-writes")
    assert r.returncode == 3
    assert "ConditionalCheckFailedException" in r.stderr and "already exists" in r.stderr
    assert doc(r.stdout) == {"conflict": True, "current": json.loads(ITEM, parse_int=Decimal)}

    r = run("update", table, "--key", '{"pk": "A", "sk": "1"}', "--update", "SET n = n + 1, tags = <<'x'>>",
            "--condition", "n = 1", f"--allow-writes={table}")  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = doc(r.stdout)
    assert out["old"]["n"] == 1 and out["new"]["n"] == 2 and out["new"]["tags"] == ["x"]
    assert get(client, table)["tags"] == {"SS": ["x"]}

    r = run("update", table, "--key", '{"pk": "A", "sk": "1"}', "--update", "SET n = 5", "--condition", "n = 1",
            "--allow-writes")  # fmt: skip
    assert r.returncode == 3 and "the condition is false" in r.stderr and '"n": 2' in r.stderr

    r = run("delete", table, "--key", '{"pk": "A", "sk": "1"}', "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert doc(r.stdout)["old"]["n"] == 2 and get(client, table) is None

    r = run("undo")  # shows what it would undo, writes nothing
    assert r.returncode == 2 and "last write: delete" in r.stderr and "--allow-writes" in r.stderr
    assert get(client, table) is None
    r = run("undo", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert get(client, table)["n"] == {"N": "2"}
    r = run("undo", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert get(client, table)["n"] == {"N": "1"} and "tags" not in get(client, table)

    journal = run.data_dir / "journal.jsonl"  # type: ignore[attr-defined]
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [r["operation"] for r in records] == ["put", "update", "delete", "undo", "undo"]
    assert all({"time", "table", "key", "operation", "old", "new", "request"} <= set(r) for r in records)


def test_undo_refuses_when_the_item_changed_since(target):
    run, table, client = target
    assert run("put", table, "--item", ITEM, "--allow-writes").returncode == 0
    client.update_item(TableName=table, Key={"pk": {"S": "A"}, "sk": {"S": "1"}}, UpdateExpression="SET n = :n",
                       ExpressionAttributeValues={":n": {"N": "7"}})  # fmt: skip
    r = run("undo", "--allow-writes")
    assert r.returncode == 3 and "ConditionalCheckFailedException" in r.stderr and '"n": 7' in r.stderr
    assert get(client, table)["n"] == {"N": "7"}


def test_ddb_json_carries_sets_and_binary(target):
    run, table, client = target
    item = {
        "pk": {"S": "B"},
        "sk": {"S": "1"},
        "s": {"SS": ["x", "y"]},
        "b": {"B": "AAEC"},
        "ns": {"NS": ["1.5"]},
    }
    r = run("put", table, "--item", json.dumps(item), "--ddb-json", "--allow-writes", "--format", "ddb-json")
    assert r.returncode == 0, r.stderr
    assert doc(r.stdout)["new"]["b"] == {"B": "AAEC"}
    stored = get(client, table, "B")
    assert stored["b"] == {"B": b"\x00\x01\x02"} and set(stored["s"]["SS"]) == {"x", "y"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["update", "{t}", "--key", '{"pk": "A", "sk": "1"}', "--update", "SET sk = 'B'"],
            "part of the table's key",
        ),
        (["update", "{t}", "--key", '{"pk": "A", "sk": "1"}', "--update", "SET a == 1"], "column 7"),
        (["update", "{t}", "--key", '{"pk": "A"}', "--update", "SET a = 1"], "missing sk"),
        (["put", "{t}", "--item", '{"pk": "A", "sk": "1", "n": 1e999}'], "number"),
        (["put", "{t}", "--item", '{"pk": "A"}'], "lacks the key attribute sk"),
        (["delete", "{t}", "--key", '{"pk": "A", "sk": "1"}', "--condition", "n = :x"], ":x has no value"),
    ],
)
def test_bad_input_exits_2_with_a_message(target, args, needle):
    run, table, _ = target
    r = run(*[a.replace("{t}", table) for a in args], "--allow-writes")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_conflicting_items_are_shown_escaped(target):
    run, table, client = target
    client.put_item(
        TableName=table, Item={"pk": {"S": "A"}, "sk": {"S": "1"}, "evil": {"S": "\x1b[2J\x1b]52;c;x\x07"}}
    )
    r = run("put", table, "--item", '{"pk": "A", "sk": "1"}', "--allow-writes")
    assert r.returncode == 3 and "\x1b" not in r.stderr and "\x07" not in r.stderr


def test_allow_writes_before_the_subcommand_is_honoured_and_swallows_nothing(target):
    run, name, client = target
    r = run("--allow-writes", "put", name, "--item", '{"pk": "a", "sk": "b", "n": 1}')
    assert r.returncode == 0, r.stderr
    got = client.get_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"S": "b"}})
    assert got["Item"]["n"] == {"N": "1"}


def test_import_jsonl_writes_every_item_once_and_is_refused_without_the_flag(target, tmp_path):
    run, name, client = target
    src = tmp_path / "items.jsonl"
    src.write_text(
        "".join(json.dumps({"pk": f"p{i % 7}", "sk": f"s{i:03d}", "n": i}) + "\n" for i in range(60))
    )
    refused = run("import", name, "--file", str(src))
    assert refused.returncode == 2 and "--allow-writes" in refused.stderr
    r = run("import", name, "--file", str(src), "--allow-writes")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["written"] == summary["total"] == 60 and summary["failed"] == 0
    assert summary["requests"] >= 3  # groups of 25
    items = client.scan(TableName=name)["Items"]
    assert sorted(int(i["n"]["N"]) for i in items) == list(range(60))


def test_import_checks_every_line_before_writing_anything(target, tmp_path):
    run, name, client = target
    src = tmp_path / "bad.jsonl"
    src.write_text('{"pk": "a", "sk": "b"}\n{"pk": 1, "sk": "c"}\n')
    r = run("import", name, "--file", str(src), "--allow-writes")
    assert r.returncode == 2 and "item 2" in r.stderr
    assert client.scan(TableName=name)["Count"] == 0
