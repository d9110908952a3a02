"""Generated code runs and reads what ddbtui reads.

* the boto3 code is exec'd with a real client on the moto server (``AWS_ENDPOINT_URL``);
* the AWS CLI command runs in a shell against the same server (the awscli package, v1: it takes binary
  values raw where v2 takes base64, so commands with binary values are replayed through botocore from their
  parsed arguments instead);
* the PartiQL statement runs on DynamoDB Local (moto's PartiQL is not faithful).

Each is compared with the items ddbtui's own PageRunner returns for the same request.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.runner import PageRunner
from ddbtui.core.codegen import aws_cli, boto3_code, partiql
from ddbtui.core.requests import ReadRequest, build
from tests.conftest import create_table

BIN = Path(sys.executable).parent
AWS = shutil.which("aws", path=str(BIN))


def _seed(client, name: str) -> None:
    create_table(
        client,
        name,
        gsis=[("ByStatus", ("status", "S"), ("created", "S"), "ALL")],
        lsis=[("ByTotal", ("pk", "S"), ("total", "N"), "KEYS_ONLY")],
    )
    statuses = ["OPEN", "SHIPPED", "RETURNED"]
    with_items = []
    for i in range(40):
        item = {
            "pk": {"S": f"C#{i % 4}"},
            "sk": {"S": f"ORDER#{i:03d}"},
            "status": {"S": statuses[i % 3]},
            "created": {"S": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"},
            "total": {"N": str(Decimal(i * 7 - 50) / 4)},
            "name": {"S": f"Zoë it's #{i}" if i % 5 else "plain"},
            "tags": {"SS": ["a", "b"] if i % 2 else ["c"]},
            "info": {"M": {"level": {"N": str(i % 3)}, "list": {"L": [{"S": "x"}, {"N": "1"}]}}},
        }
        if i % 4 == 0:
            item["blob"] = {"B": bytes([0, i, 255])}
        if i % 6 == 0:
            item["gone"] = {"NULL": True}
        with_items.append(item)
    for item in with_items:
        client.put_item(TableName=name, Item=item)


REQUESTS = {
    "query-prefix-filter": dict(
        operation="query",
        key="pk = 'C#1' AND begins_with(sk, 'ORDER#0')",
        filter="total > 0 AND #n <> 'plain'",
        names={"#n": "name"},
    ),
    "query-desc-limit-pages": dict(
        operation="query",
        key="pk = 'C#2'",
        descending=True,
        limit=5,
        page_size=2,
        projection="sk, total, #n",
        names={"#n": "name"},
    ),
    "query-gsi-between": dict(
        operation="query",
        index="ByStatus",
        key="status = 'OPEN' AND created BETWEEN '2025-03' AND '2025-10'",
        filter="size(tags) > 1 OR attribute_exists(gone)",
    ),
    "query-lsi-keys-only": dict(operation="query", index="ByTotal", key="pk = 'C#3' AND total >= 10"),
    "query-gsi-desc-projected": dict(
        operation="query",
        index="ByStatus",
        key="status = 'SHIPPED'",
        descending=True,
        projection="status, created, pk",
    ),
    "scan-filter-in-not": dict(
        operation="scan",
        filter="status IN ('OPEN', 'RETURNED') AND NOT contains(tags, 'c') AND info.#l = 1",
        names={"#l": "level"},
    ),
    "scan-binary": dict(operation="scan", filter='blob = b64"AAz/"'),
    "scan-segments": dict(operation="scan", filter="total < 0", segments=3),
    "scan-max-pages": dict(operation="scan", page_size=7, max_pages=2, projection="pk, sk"),
    "get": dict(
        operation="get", key='{"pk": "C#0", "sk": "ORDER#004"}', projection="#n, total", names={"#n": "name"}
    ),
    "get-missing": dict(operation="get", key='{"pk": "C#0", "sk": "NOPE"}'),
}
ORDERED = {
    "query-prefix-filter",
    "query-desc-limit-pages",
    "query-gsi-between",
    "query-lsi-keys-only",
    "query-gsi-desc-projected",
    "get",
}


@pytest.fixture(scope="module")
def moto_table(moto_client):
    name = f"codegen_{uuid.uuid4().hex[:8]}"
    _seed(moto_client, name)
    yield name
    moto_client.delete_table(TableName=name)


def _request(name: str, table: str) -> ReadRequest:
    return ReadRequest(table=table, **REQUESTS[name])


def _ddbtui_items(client, req: ReadRequest) -> list[dict]:
    schema = load_schema(client, req.table) if req.operation != "sql" else None
    built = build(req, schema)
    items: list[dict] = []
    for page in PageRunner(client, built, schema, threading.Event()).pages():
        items.extend(page.items)
    return items


def _canon(items: list[dict], ordered: bool) -> list:
    def value(av):
        ((tag, v),) = av.items()
        if tag == "B":
            return ("B", bytes(v) if isinstance(v, bytes | bytearray) else base64.b64decode(v))
        if tag == "BS":
            return ("BS", sorted(bytes(x) if isinstance(x, bytes) else base64.b64decode(x) for x in v))
        if tag in ("SS", "NS"):
            return (tag, sorted(v))
        if tag == "M":
            return ("M", sorted((k, value(x)) for k, x in v.items()))
        if tag == "L":
            return ("L", [value(x) for x in v])
        return (tag, v)

    out = [sorted((k, value(v)) for k, v in item.items()) for item in items]
    return out if ordered else sorted(out, key=repr)


def _env(endpoint: str) -> dict:
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.pop("AWS_PROFILE", None)
    return env


@pytest.mark.parametrize("name", list(REQUESTS))
def test_generated_boto3_code_reads_what_ddbtui_reads(
    name, moto_client, moto_server, moto_table, monkeypatch, capsys
):
    req = _request(name, moto_table)
    expected = _ddbtui_items(moto_client, req)
    schema = load_schema(moto_client, moto_table)
    code = boto3_code(build(req, schema))
    for key, value in _env(moto_server.endpoint_url).items():
        if key.startswith("AWS_"):
            monkeypatch.setenv(key, value)
    namespace: dict = {}
    exec(compile(code, f"<generated {name}>", "exec"), namespace)  # noqa: S102 - the code under test
    printed = capsys.readouterr().out
    got = namespace["items"]
    assert _canon(got, name in ORDERED) == _canon(expected, name in ORDERED)
    assert printed.count("\n") == len(got)
    if name in ("get", "query-desc-limit-pages", "scan-binary"):
        assert got, "the case should find items"


def _cli_outputs(stdout: str) -> list[dict]:
    decoder = json.JSONDecoder()
    docs, pos = [], 0
    text = stdout.strip()
    while pos < len(text):
        doc, end = decoder.raw_decode(text, pos)
        docs.append(doc)
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return docs


def _replay_through_botocore(client, command: str) -> list[dict]:
    """Run a generated CLI command's parsed arguments with botocore: what the CLI v2 would send."""
    body = "\n".join(line for line in command.splitlines() if not line.startswith("#"))
    argv = shlex.split(body.replace("\\\n", " "))  # the shell's line continuation
    op = argv[2].replace("-", "_")
    names = {
        "--table-name": "TableName",
        "--index-name": "IndexName",
        "--key-condition-expression": "KeyConditionExpression",
        "--filter-expression": "FilterExpression",
        "--projection-expression": "ProjectionExpression",
        "--return-consumed-capacity": "ReturnConsumedCapacity",
    }

    def unb64(v):
        if isinstance(v, dict):
            return {k: (base64.b64decode(x) if k == "B" else unb64(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [unb64(x) for x in v]
        return v

    params: dict = {}
    i = 3
    while i < len(argv):
        flag, value = argv[i], argv[i + 1] if i + 1 < len(argv) else None
        if flag in names:
            params[names[flag]] = value
        elif flag in ("--expression-attribute-names", "--expression-attribute-values", "--key"):
            key = {"--key": "Key"}.get(flag) or (
                "ExpressionAttributeNames" if "names" in flag else "ExpressionAttributeValues"
            )
            params[key] = unb64(json.loads(value))
        i += 2
    items, start = [], None
    while True:
        page = getattr(client, op)(**params, **({"ExclusiveStartKey": start} if start else {}))
        items.extend(page.get("Items", []))
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


@pytest.mark.skipif(AWS is None, reason="the awscli package is not installed in the venv")
@pytest.mark.parametrize("name", [n for n in REQUESTS if n != "scan-binary"])
def test_generated_cli_command_reads_what_ddbtui_reads(name, moto_client, moto_server, moto_table):
    req = _request(name, moto_table)
    expected = _ddbtui_items(moto_client, req)
    command = aws_cli(build(req, load_schema(moto_client, moto_table)))
    r = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, env=_env(moto_server.endpoint_url), timeout=120
    )
    assert r.returncode == 0, r.stderr
    docs = _cli_outputs(r.stdout)
    if req.operation == "get":
        got = [d["Item"] for d in docs if "Item" in d]
    else:
        got = [item for d in docs for item in d["Items"]]
    if req.max_pages:
        # the CLI reads every page (the comment in the command says so): compare what ddbtui's pages held
        got = got[: len(expected)] if name in ORDERED else got
        assert len(got) >= len(expected)
        return
    assert _canon(got, name in ORDERED) == _canon(expected, name in ORDERED)


def test_generated_cli_command_with_binary_values(moto_client, moto_table):
    # awscli v1 would send the base64 text itself as the bytes; replay the parsed command through botocore
    req = _request("scan-binary", moto_table)
    command = aws_cli(build(req, load_schema(moto_client, moto_table)))
    assert '{":v0":{"B":"AAz/"}}' in command
    got = _replay_through_botocore(moto_client, command)
    expected = _ddbtui_items(moto_client, req)
    assert got and _canon(got, False) == _canon(expected, False)


# ---- PartiQL on DynamoDB Local -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ddblocal_table(ddblocal_client):
    name = f"codegen_{uuid.uuid4().hex[:8]}"
    _seed(ddblocal_client, name)
    yield name
    ddblocal_client.delete_table(TableName=name)


def _statement_items(client, statement: str) -> list[dict]:
    items, token = [], None
    while True:
        page = client.execute_statement(Statement=statement, **({"NextToken": token} if token else {}))
        items.extend(page["Items"])
        token = page.get("NextToken")
        if not token:
            return items


# no statement: binary literals; a descending Query projecting no partition key (DynamoDB Local fails on it)
NO_PARTIQL = ("scan-binary", "query-desc-limit-pages")
PARTIQL_CASES = [n for n in REQUESTS if n not in (*NO_PARTIQL, "scan-max-pages")]


@pytest.mark.parametrize("name", PARTIQL_CASES)
def test_generated_partiql_reads_what_ddbtui_reads_on_dynamodb_local(name, ddblocal_client, ddblocal_table):
    req = _request(name, ddblocal_table)
    schema = load_schema(ddblocal_client, ddblocal_table)
    statement = partiql(req, schema)
    assert statement is not None
    expected = _ddbtui_items(ddblocal_client, req)
    got = _statement_items(ddblocal_client, statement)
    if req.limit:
        got = got[: req.limit]  # --limit is the client's, not the statement's
    assert _canon(got, name in ORDERED) == _canon(expected, name in ORDERED)
    # and ddbtui runs the statement itself to the same result
    again = _ddbtui_items(ddblocal_client, ReadRequest("sql", statement=statement))
    assert _canon(again, False) == _canon(_statement_items(ddblocal_client, statement), False)


@pytest.mark.parametrize("name", NO_PARTIQL)
def test_requests_without_an_exact_statement(name, ddblocal_client, ddblocal_table):
    req = _request(name, ddblocal_table)
    assert partiql(req, load_schema(ddblocal_client, ddblocal_table)) is None
