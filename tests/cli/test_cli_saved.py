"""`ddbtui run NAME --param k=v` and `ddbtui saved list|show|delete` as installed, against moto's server
(#17): the saved query reads what the same `ddbtui query` would."""

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
def table(moto_client):
    name = create_table(moto_client, f"saved_{uuid.uuid4().hex[:10]}")
    for sk, n in (("a", 1), ("b", 2), ("c", 3)):
        moto_client.put_item(TableName=name, Item={"pk": {"S": "P#1"}, "sk": {"S": sk}, "n": {"N": str(n)}})
    moto_client.put_item(TableName=name, Item={"pk": {"S": "P#2"}, "sk": {"S": "a"}, "n": {"N": "9"}})
    return name


def cli(config: Path, *args: str, endpoint: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                "DDBTUI_CONFIG_DIR": str(config)})  # fmt: skip
    env.pop("AWS_ENDPOINT_URL", None)
    argv = [DDBTUI, *args, "--endpoint-url", endpoint]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def test_run_list_show_delete(moto_server, table, tmp_path):
    (tmp_path / "queries.toml").write_text(
        f"""
[queries."big ones"]
table = "{table}"
key = "pk = :p"
filter = "n >= :min"
descending = true
[queries."big ones".values]
":min" = 2
[queries."big ones".params]
min = "N"
"""
    )
    ep = moto_server.endpoint_url
    r = cli(tmp_path, "run", "big ones", "--param", "p=P#1", "--format", "jsonl", endpoint=ep)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x) for x in r.stdout.splitlines()] == [{"pk": "P#1", "sk": "c", "n": 3},
                                                              {"pk": "P#1", "sk": "b", "n": 2}]  # fmt: skip
    r = cli(
        tmp_path, "run", "big ones", "--param", "p=P#1", "--param", "min=3", "--format", "jsonl", endpoint=ep
    )
    assert [json.loads(x)["sk"] for x in r.stdout.splitlines()] == ["c"]
    r = cli(tmp_path, "run", "big ones", endpoint=ep)
    assert r.returncode == 2 and "big ones needs --param p=VALUE" in r.stderr
    r = cli(tmp_path, "run", "nope", endpoint=ep)
    assert r.returncode == 2 and "no saved query 'nope'" in r.stderr and "big ones" in r.stderr
    r = cli(tmp_path, "saved", "list", endpoint=ep)
    assert r.stdout == f"big ones\t{table} · query · pk = :p · filter n >= :min · params :p, :min\n"
    r = cli(tmp_path, "saved", "show", "big ones", endpoint=ep)
    assert f'table = "{table}"' in r.stdout and '":min" = 2' in r.stdout
    r = cli(tmp_path, "saved", "delete", "big ones", endpoint=ep)
    assert r.returncode == 0, r.stderr
    assert "[queries" not in (tmp_path / "queries.toml").read_text()
