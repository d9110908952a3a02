"""The installed `ddbtui` command, run in a subprocess against real moto and DynamoDB Local servers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import create_table, table_names

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"
N_ORDERS = 30


def run(*args: str, endpoint: str | None = None, env: dict | None = None, timeout: float = 60):
    full_env = dict(os.environ)
    full_env.update(
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}
    )
    full_env.pop("AWS_ENDPOINT_URL", None)
    if env:
        full_env.update(env)
    argv = [DDBTUI, *args]
    if endpoint:
        argv += ["--endpoint-url", endpoint]
    return subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout)


def jsonl(out: str) -> list[dict]:
    return [json.loads(line, parse_float=Decimal, parse_int=Decimal) for line in out.splitlines() if line]


def _seed(client, name: str) -> None:
    create_table(
        client,
        name,
        gsis=[("ByStatus", ("status", "S"), ("total", "N"), "ALL")],
        lsis=[("ByTotal", ("pk", "S"), ("total", "N"), "KEYS_ONLY")],
    )
    for i in range(N_ORDERS):
        client.put_item(
            TableName=name,
            Item={
                "pk": {"S": "C#1" if i < 20 else "C#2"},
                "sk": {"S": f"ORDER#{i:04d}"},
                "status": {"S": "OPEN" if i % 3 == 0 else "SHIPPED"},
                "total": {"N": f"{i}.5"},
                "big": {"N": "1.2345678901234567890123456789012345678"},
                "note": {"S": "x" * 1500},
            },
        )


@pytest.fixture(scope="module", params=["moto", "ddblocal"])
def orders(request):
    """(endpoint, table) on each engine, with 30 orders."""
    server = request.getfixturevalue(f"{request.param}_server")
    client = request.getfixturevalue(f"{request.param}_client")
    name = f"cli_orders_{request.param}"
    if name not in table_names(client):
        _seed(client, name)
    return server.endpoint_url, name, request.param


def test_help_lists_the_commands_and_each_has_help():
    r = run("--help")
    assert r.returncode == 0
    listed = re.findall(r"^    ([a-z-]+) ", r.stdout, flags=re.M)
    assert {"tables", "describe", "query", "scan", "get", "sql"} <= set(listed)
    for cmd in listed:
        sub = run(cmd, "--help")
        assert sub.returncode == 0 and f"usage: ddbtui {cmd}" in sub.stdout, cmd


def test_tables_lists_the_table(orders):
    endpoint, name, _ = orders
    r = run("tables", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    assert name in [t["name"] for t in jsonl(r.stdout)]


def test_describe_json(orders):
    endpoint, name, _ = orders
    r = run("describe", name, "--format", "json", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    desc = json.loads(r.stdout)
    assert desc["TableName"] == name
    assert {g["IndexName"] for g in desc["GlobalSecondaryIndexes"]} == {"ByStatus"}


def test_query_returns_the_partition_in_order_with_exact_numbers(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#1'", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    items = jsonl(r.stdout)
    assert [i["sk"] for i in items] == [f"ORDER#{i:04d}" for i in range(20)]
    assert str(items[0]["big"]) == "1.2345678901234567890123456789012345678"
    assert "20 items" in r.stderr and "scanned 20" in r.stderr


def test_query_desc_limit_and_sort_key_condition(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#1' AND sk BETWEEN 'ORDER#0005' AND 'ORDER#0010'", "--desc",
            "--limit", "3", endpoint=endpoint)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [i["sk"] for i in jsonl(r.stdout)] == ["ORDER#0010", "ORDER#0009", "ORDER#0008"]


def test_limit_counts_items_across_pages(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#1'", "--page-size", "4", "--limit", "10", "--format", "json",
            endpoint=endpoint)  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["count"] == 10 and len(doc["items"]) == 10
    assert [p["count"] for p in doc["pages"]] == [4, 4, 2]
    assert doc["last_evaluated_key"] is not None


def test_max_pages_stops_after_n_requests(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#1'", "--page-size", "5", "--max-pages", "2", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    assert len(jsonl(r.stdout)) == 10
    assert "2 pages" in r.stderr and "more available" in r.stderr


def test_json_format_shape_and_capacity(orders):
    endpoint, name, engine = orders
    r = run("scan", name, "--format", "json", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) == {"items", "count", "scanned_count", "pages", "consumed_capacity", "last_evaluated_key"}
    assert doc["count"] == doc["scanned_count"] == N_ORDERS
    cap = doc["consumed_capacity"]
    assert set(cap) >= {"total", "table", "indexes", "estimated"}
    # moto's figures are constants: ddbtui shows its own; DynamoDB Local, AWS's engine, reports the real one
    assert cap["estimated"] is (engine == "moto")
    # 30 items of ~1.6 KB, eventually consistent: ceil(bytes/4096) * 0.5
    assert cap["total"] == pytest.approx(6.0, abs=0.5)
    assert doc["pages"][0]["consumed_capacity"]["total"] > 0


def test_filter_and_projection(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#1'", "--filter", "status = 'OPEN' AND total > 5",
            "--project", "sk, status", endpoint=endpoint)  # fmt: skip
    assert r.returncode == 0, r.stderr
    items = jsonl(r.stdout)
    assert [i["sk"] for i in items] == ["ORDER#0006", "ORDER#0009", "ORDER#0012", "ORDER#0015", "ORDER#0018"]
    assert all(set(i) == {"sk", "status"} for i in items)
    assert "scanned 20" in r.stderr


def test_placeholders_with_names_and_values(orders):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "#k = :v", "--filter", "#s = :open", "--names", '{"#k": "pk", "#s": "status"}',
            "--values", '{":v": "C#2", ":open": "OPEN"}', endpoint=endpoint)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [i["sk"] for i in jsonl(r.stdout)] == ["ORDER#0021", "ORDER#0024", "ORDER#0027"]


def test_query_gsi(orders):
    endpoint, name, _ = orders
    r = run(
        "query", name, "--index", "ByStatus", "--key", "status = 'OPEN' AND total >= 20", endpoint=endpoint
    )
    assert r.returncode == 0, r.stderr
    assert [str(i["total"]) for i in jsonl(r.stdout)] == ["21.5", "24.5", "27.5"]


def test_parallel_scan_equals_single_segment(orders):
    endpoint, name, _ = orders
    one = run("scan", name, endpoint=endpoint)
    four = run("scan", name, "--segments", "4", endpoint=endpoint)
    assert one.returncode == four.returncode == 0, four.stderr
    key = lambda i: (i["pk"], i["sk"])  # noqa: E731
    assert sorted(map(key, jsonl(four.stdout))) == sorted(map(key, jsonl(one.stdout)))
    assert len(jsonl(one.stdout)) == N_ORDERS


def test_get_item(orders):
    endpoint, name, _ = orders
    r = run("get", name, "--key", '{"pk": "C#2", "sk": "ORDER#0025"}', endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    (item,) = jsonl(r.stdout)
    assert item["total"] == Decimal("25.5")


@pytest.mark.parametrize("fmt", ["csv", "ddb-json", "table"])
def test_other_formats(orders, fmt):
    endpoint, name, _ = orders
    r = run("query", name, "--key", "pk = 'C#2'", "--format", fmt, endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    if fmt == "csv":
        lines = r.stdout.splitlines()
        assert lines[0].split(",")[:2] == ["pk", "sk"] and len(lines) == 11
    elif fmt == "ddb-json":
        assert jsonl(r.stdout)[0]["total"] == {"N": "20.5"}
    else:
        assert "ORDER#0020" in r.stdout and "\x1b" not in r.stdout


def test_sql_select_on_dynamodb_local(ddblocal_server, ddblocal_client):
    name = "cli_orders_ddblocal"
    if name not in table_names(ddblocal_client):
        _seed(ddblocal_client, name)
    r = run(
        "sql", f"SELECT sk, total FROM \"{name}\" WHERE pk = 'C#2'", endpoint=ddblocal_server.endpoint_url
    )
    assert r.returncode == 0, r.stderr
    assert sorted(i["sk"] for i in jsonl(r.stdout)) == [f"ORDER#{i:04d}" for i in range(20, 30)]


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--key", "pk = = 'x'"], "column 6"),
        (["--key", "status = 'OPEN'"], "move it to --filter"),
        (["--key", "sk = 'ORDER#0001'"], "partition key"),
        (["--key", "pk = 'C#1' AND status = 'OPEN'"], "status"),
        (["--key", "pk = 1"], "is S (string)"),
        (["--key", "pk = 'C#1'", "--index", "Nope"], "no index 'Nope'"),
        (["--key", "status = 'OPEN'", "--index", "ByStatus", "--consistent"], "global secondary index"),
        (["--key", "pk = :p"], ":p"),
        (["--key", "pk = 'C#1'", "--values", '{":unused": 1}'], ":unused"),
        (["--key", "pk = 'C#1'", "--limit", "0"], "at least 1"),
        (["--key", "pk = 'C#1'", "--filter", "sk = 'ORDER#0001'"], "key condition"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(orders, args, needle):
    endpoint, name, _ = orders
    r = run("query", name, *args, endpoint=endpoint)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_table_exits_3_with_the_aws_error_code(orders):
    endpoint, _, _ = orders
    r = run("scan", "NoSuchTable", endpoint=endpoint)
    assert r.returncode == 3
    assert "ResourceNotFoundException" in r.stderr and "Traceback" not in r.stderr


def test_no_region_is_one_clear_sentence():
    env = {"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_CONFIG_FILE": "/nonexistent", "AWS_PROFILE": ""}
    full = {k: v for k, v in os.environ.items() if k not in env}
    full.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_CONFIG_FILE": "/nonexistent"})
    r = subprocess.run([DDBTUI, "tables"], capture_output=True, text=True, env=full, timeout=60)
    assert r.returncode == 2
    assert "region" in r.stderr and "--demo" in r.stderr and "Traceback" not in r.stderr


def test_no_credentials_is_one_clear_sentence():
    full = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    full.update({"AWS_REGION": "eu-west-1", "AWS_CONFIG_FILE": "/nonexistent",
                 "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"})  # fmt: skip
    r = subprocess.run([DDBTUI, "tables"], capture_output=True, text=True, env=full, timeout=60)
    assert r.returncode == 2
    assert "credentials" in r.stderr and "Traceback" not in r.stderr


def test_write_statement_in_sql_is_refused_before_any_request():
    r = run("sql", "DELETE FROM t WHERE pk = 'a'", endpoint="http://127.0.0.1:9")
    assert r.returncode == 2 and "SELECT" in r.stderr


@pytest.mark.ddblocal
def test_filtered_scan_on_dynamodb_local_shows_the_engines_own_figure(ddblocal_server, ddblocal_client):
    # A filter discards items the client never sees; DynamoDB Local charges them by their real size, which
    # ddbtui can only estimate. In auto mode the CLI shows the engine's figure: the same as boto3's.
    name = "cli_reported_filter"
    create_table(ddblocal_client, name)
    for i in range(40):
        size = 300 + (i * 997) % 5000  # uneven sizes: an average-size estimate would be off
        item = {
            "pk": {"S": f"p{i}"},
            "sk": {"S": "x"},
            "keep": {"BOOL": i % 7 == 0},
            "pad": {"S": "x" * size},
        }
        ddblocal_client.put_item(TableName=name, Item=item)
    r = run(
        "scan", name, "--filter", "keep = true", "--format", "json", endpoint=ddblocal_server.endpoint_url
    )
    assert r.returncode == 0, r.stderr
    cap = json.loads(r.stdout)["consumed_capacity"]
    direct = ddblocal_client.scan(
        TableName=name,
        FilterExpression="keep = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert "LastEvaluatedKey" not in direct
    assert cap["estimated"] is False
    assert cap["total"] == direct["ConsumedCapacity"]["CapacityUnits"]
    assert "est." not in r.stderr
