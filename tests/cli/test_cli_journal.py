"""`ddbtui put` / `undo` as installed, against a journal a crash or a stranger has damaged (#21 items 2, 7)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import create_table

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"


@pytest.fixture
def cli(moto_server, moto_client, tmp_path):
    name = f"clij_{uuid.uuid4().hex[:10]}"
    create_table(moto_client, name)
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                "DDBTUI_DATA_DIR": str(tmp_path / "data")})  # fmt: skip
    env.pop("AWS_ENDPOINT_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        argv = [DDBTUI, *args, "--endpoint-url", moto_server.endpoint_url]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)

    run.journal = tmp_path / "data" / "journal.jsonl"  # type: ignore[attr-defined]
    run.endpoint = moto_server.endpoint_url  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    run.table = name  # type: ignore[attr-defined]
    return run


def exists(client, table: str, pk: str) -> bool:
    return "Item" in client.get_item(
        TableName=table, Key={"pk": {"S": pk}, "sk": {"S": "1"}}, ConsistentRead=True
    )


def put(cli, pk: str) -> None:
    r = cli("put", cli.table, "--item", f'{{"pk": "{pk}", "sk": "1"}}', "--allow-writes")
    assert r.returncode == 0, r.stderr


def test_undo_after_a_torn_journal_takes_back_the_last_write(cli, moto_client):
    put(cli, "W4")
    put(cli, "W5")
    cli.journal.write_bytes(cli.journal.read_bytes()[:-30])  # a crash in the middle of W5's line
    put(cli, "W6")
    r = cli("undo", "--allow-writes")
    assert r.returncode == 0, r.stderr
    assert "W6" in r.stderr and "W4" not in r.stderr and "Traceback" not in r.stderr
    assert not exists(moto_client, cli.table, "W6")
    assert exists(moto_client, cli.table, "W4") and exists(moto_client, cli.table, "W5")
    again = cli("undo", "--allow-writes")  # W5's record is lost: refuse rather than undo W4
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert "undo stops at line 2" in again.stderr
    assert exists(moto_client, cli.table, "W4")


def test_undo_with_a_binary_journal_is_one_line(cli):
    cli.journal.parent.mkdir(parents=True, exist_ok=True)
    cli.journal.write_bytes(bytes(range(256)) * 8)
    r = cli("undo", "--allow-writes")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    errors = [x for x in r.stderr.splitlines() if x.startswith("ddbtui: error:")]
    assert len(errors) == 1 and "undo stops at line" in errors[0]
    assert all(x.startswith("ddbtui: ") for x in r.stderr.splitlines())  # warnings name their lines


# --- #21 item 4: text UTF-8 cannot hold is refused before sending ------------------------------------------


def test_a_lone_surrogate_in_an_item_is_refused_before_sending(cli, moto_client):
    r = cli("put", cli.table, "--item", '{"pk": "S1", "sk": "1", "s": "\\ud800"}', "--allow-writes")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Item.s holds an unpaired surrogate (U+D800)" in lines[0]
    assert "nothing was sent" in lines[0]
    assert not exists(moto_client, cli.table, "S1")
    assert not cli.journal.exists() or cli.journal.read_bytes() == b""


def test_a_byte_that_is_not_utf8_in_an_argument_is_refused(cli, moto_client):
    """Python decodes a byte that is not UTF-8 in argv to a lone surrogate (U+DC80..U+DCFF)."""
    put(cli, "S2")
    argv = [DDBTUI.encode(), b"update", cli.table.encode(), b"--key", b'{"pk": "S2", "sk": "1"}', b"--update",
            b"SET s = :v", b"--values", b'{":v": "a\xffb"}', b"--allow-writes", b"--endpoint-url",
            cli.endpoint.encode()]  # fmt: skip
    r = subprocess.run(argv, capture_output=True, env=cli.env, timeout=60)
    err = r.stderr.decode()
    assert r.returncode == 2 and "Traceback" not in err
    assert "ExpressionAttributeValues[':v'] holds an unpaired surrogate (U+DCFF)" in err
    item = moto_client.get_item(TableName=cli.table, Key={"pk": {"S": "S2"}, "sk": {"S": "1"}})["Item"]
    assert "s" not in item
