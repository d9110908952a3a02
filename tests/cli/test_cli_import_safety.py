"""`ddbtui import` as installed, against DynamoDB Local: it never replaces an existing item unless
``--overwrite``, reports the keys it skipped, and journals the import as one group that `ddbtui undo`
takes back (#21 item 3)."""

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
    """One table for the module; each test uses partition keys of its own."""
    return create_table(ddblocal_client, f"imps_{uuid.uuid4().hex[:10]}")


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

    run.journal = data_dir / "journal.jsonl"  # type: ignore[attr-defined]
    return run


def get(client, table, pk, sk):
    key = {"pk": {"S": pk}, "sk": {"S": sk}}
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def lines(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_import_over_an_existing_item_is_refused_with_its_key_reported(cli, ddblocal_client, table, tmp_path):
    old = {"pk": {"S": "R"}, "sk": {"S": "1"}, "n": {"S": "old"}, "keep": {"BOOL": True}}
    ddblocal_client.put_item(TableName=table, Item=old)
    src = lines(tmp_path / "in.jsonl", [{"pk": "R", "sk": "1", "n": "new"}, {"pk": "R", "sk": "2", "n": "a"},
                                        {"pk": "R", "sk": "3", "n": "b"}])  # fmt: skip
    skipped = tmp_path / "skipped.jsonl"
    r = cli("import", table, "--file", src, "--allow-writes", "--skipped-keys", str(skipped))
    assert r.returncode == 3, r.stderr  # as a refused put: the file was not imported as given
    summary = json.loads(r.stdout)
    assert (summary["total"], summary["written"], summary["skipped"], summary["failed"]) == (3, 2, 1, 0)
    assert 'skipped 1 item whose key exists already: {"pk": "R", "sk": "1"}' in r.stderr
    assert "--overwrite" in r.stderr
    assert get(ddblocal_client, table, "R", "1") == old  # unchanged, every attribute
    assert get(ddblocal_client, table, "R", "2")["n"] == {"S": "a"}
    assert get(ddblocal_client, table, "R", "3")["n"] == {"S": "b"}
    assert [json.loads(x) for x in skipped.read_text().splitlines()] == [{"pk": "R", "sk": "1"}]
    # the skipped-keys file is never overwritten: refused before anything is sent
    again = cli("import", table, "--file", src, "--allow-writes", "--skipped-keys", str(skipped))
    assert again.returncode == 2 and "exists" in again.stderr and again.stdout == ""


def test_overwrite_replaces_and_undo_restores_the_old_item_and_deletes_the_new_ones(
    cli, ddblocal_client, table, tmp_path
):
    old = {"pk": {"S": "O"}, "sk": {"S": "1"}, "n": {"N": "1"}, "only_old": {"SS": ["x", "y"]}}
    ddblocal_client.put_item(TableName=table, Item=old)
    rows = [{"pk": "O", "sk": "1", "n": 2}] + [{"pk": "O", "sk": f"n{i}", "n": i} for i in range(30)]
    src = lines(tmp_path / "in.jsonl", rows)
    r = cli("import", table, "--file", src, "--allow-writes", "--overwrite")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["written"], summary["replaced"], summary["skipped"]) == (31, 1, 0)
    assert get(ddblocal_client, table, "O", "1") == {"pk": {"S": "O"}, "sk": {"S": "1"}, "n": {"N": "2"}}
    records = [json.loads(x) for x in cli.journal.read_text().splitlines()]
    assert len(records) == 31 and len({x["group"] for x in records}) == 1  # one group
    # bounded: keys and a digest of what was written; an old image only for the replaced item
    assert all(x["new"] is None and x["request"] == {} for x in records)
    assert [x["old"] for x in records if x["old"] is not None] == [
        {"pk": {"S": "O"}, "sk": {"S": "1"}, "n": {"N": "1"}, "only_old": {"SS": ["x", "y"]}}
    ]
    u = cli("undo", "--allow-writes")
    assert u.returncode == 0, u.stderr
    assert len(u.stdout.splitlines()) == 31  # one JSON line per write taken back; stderr stays short:
    assert u.stderr.count("last write: import") == 20 and "… and 11 more writes of the same group" in u.stderr
    assert "undone: 31 writes" in u.stderr
    assert get(ddblocal_client, table, "O", "1") == old
    assert all(get(ddblocal_client, table, "O", f"n{i}") is None for i in range(30))
    nothing = cli("undo", "--allow-writes")  # the import is undone as a whole: nothing is left
    assert nothing.returncode == 2 and "nothing to undo" in nothing.stderr


def test_undo_of_an_import_refuses_an_item_changed_since(cli, ddblocal_client, table, tmp_path):
    src = lines(tmp_path / "in.jsonl", [{"pk": "C", "sk": str(i), "n": i} for i in range(3)])
    r = cli("import", table, "--file", src, "--allow-writes")
    assert r.returncode == 0, r.stderr
    changed = {"pk": {"S": "C"}, "sk": {"S": "1"}, "n": {"N": "100"}}
    ddblocal_client.put_item(TableName=table, Item=changed)  # someone changed it after the import
    u = cli("undo", "--allow-writes")
    assert u.returncode == 3 and "changed since" in u.stderr
    assert get(ddblocal_client, table, "C", "0") is None and get(ddblocal_client, table, "C", "2") is None
    assert get(ddblocal_client, table, "C", "1") == changed  # kept, not deleted


def test_an_interrupted_import_has_journaled_every_item_it_wrote(
    ddblocal_server, ddblocal_client, table, tmp_path
):
    """ctrl+c in the middle: the puts in flight finish and are journaled, nothing after is sent, so the
    journal names exactly the items in the table (undo can take back all of them)."""
    import signal
    import time

    src = lines(tmp_path / "in.jsonl", [{"pk": "I", "sk": f"{i:05d}", "n": i} for i in range(4000)])
    journal = tmp_path / "data" / "journal.jsonl"
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                "DDBTUI_DATA_DIR": str(tmp_path / "data")})  # fmt: skip
    argv = [
        DDBTUI,
        "import",
        table,
        "--file",
        src,
        "--allow-writes",
        "--endpoint-url",
        ddblocal_server.endpoint_url,
    ]
    p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while p.poll() is None and not (journal.exists() and journal.stat().st_size > 0):
            time.sleep(0.02)  # until the first chunk of records is journaled
        p.send_signal(signal.SIGINT)
        _out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, err
    journaled = {json.loads(x)["key"]["sk"]["S"] for x in journal.read_text().splitlines()}
    resp = ddblocal_client.query(TableName=table, KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {"S": "I"}}, ConsistentRead=True)  # fmt: skip
    stored = {i["sk"]["S"] for i in resp["Items"]}
    assert "LastEvaluatedKey" not in resp and 0 < len(stored) < 4000
    assert journaled == stored
