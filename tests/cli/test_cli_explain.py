"""`ddbtui explain` in a subprocess: against a moto table, and with --demo on the Shop table."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli_read import run
from tests.conftest import create_table, table_names


@pytest.fixture(scope="module")
def table(moto_client, moto_server):
    name = "cli_explain_orders"
    if name not in table_names(moto_client):
        create_table(
            moto_client,
            name,
            gsis=[("ByStatus", ("status", "S"), ("total", "N"), "ALL")],
            lsis=[("ByTotal", ("pk", "S"), ("total", "N"), "KEYS_ONLY")],
        )
        for i in range(12):
            moto_client.put_item(
                TableName=name,
                Item={
                    "pk": {"S": f"C#{i % 3}"},
                    "sk": {"S": f"O#{i}"},
                    "status": {"S": "OPEN"},
                    "total": {"N": str(i)},
                },
            )
    return moto_server.endpoint_url, name


def test_explain_scan_text(table):
    endpoint, name = table
    r = run("explain", name, "--filter", "status = 'OPEN' AND total > 3", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith(f"Scan of table {name}\n")
    assert "every item of the table" in out and "12 items" in out
    assert "charges for all of them" in out
    # moto reports TableSizeBytes 0: the cost is said to be unknown, not invented
    assert "reports no size" in out
    assert "1. use-query on ByStatus" in out
    assert f"ddbtui query {name} --index ByStatus --key \"status = 'OPEN' AND total > 3\"" in out


def test_explain_json(table):
    endpoint, name = table
    r = run(
        "explain",
        name,
        "--filter",
        "pk = 'C#1' AND begins_with(sk, 'O#1')",
        "--format",
        "json",
        endpoint=endpoint,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert {"operation", "table", "index", "suggestions"} <= set(doc)
    assert (doc["operation"], doc["table"], doc["index"]) == ("scan", name, None)
    top = doc["suggestions"][0]
    assert list(top) == ["kind", "index", "key_condition", "filter", "reason", "estimated_rcu"]
    assert (top["kind"], top["index"], top["key_condition"], top["filter"]) == (
        "use-query",
        None,
        "pk = 'C#1' AND begins_with(sk, 'O#1')",
        None,
    )


def test_explain_query_on_an_index(table):
    endpoint, name = table
    r = run(
        "explain",
        name,
        "--index",
        "ByTotal",
        "--key",
        "pk = 'C#1' AND total > 5",
        "--format",
        "json",
        endpoint=endpoint,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["operation"], doc["index"], doc["index_kind"]) == ("query", "ByTotal", "lsi")
    # #20 item 1: the plan says what the request sent gets back (no Select: the index's projection)
    assert doc["plan"]["returns"].startswith("what LSI ByTotal projects: only the keys pk, sk, total.")
    assert "fetches the rest" not in doc["plan"]["returns"]


def test_an_lsi_query_without_select_returns_only_the_projection_on_dynamodb_local(ddblocal_client):
    # The fact the plan's words rest on, from AWS's own engine: ALL_PROJECTED_ATTRIBUTES by default.
    name = "cli_explain_lsi_default_select"
    if name not in table_names(ddblocal_client):
        create_table(ddblocal_client, name, lsis=[("ByTotal", ("pk", "S"), ("total", "N"), "KEYS_ONLY")])
    item = {"pk": {"S": "C#1"}, "sk": {"S": "O#1"}, "status": {"S": "OPEN"}, "total": {"N": "7"}}
    ddblocal_client.put_item(TableName=name, Item=item)
    got = ddblocal_client.query(
        TableName=name,
        IndexName="ByTotal",
        KeyConditionExpression="pk = :p AND #t > :v",
        ExpressionAttributeNames={"#t": "total"},
        ExpressionAttributeValues={":p": {"S": "C#1"}, ":v": {"N": "5"}},
    )["Items"]
    assert got == [{"pk": {"S": "C#1"}, "sk": {"S": "O#1"}, "total": {"N": "7"}}]


def test_explain_filter_on_key_is_explained_not_refused(table):
    endpoint, name = table
    r = run("explain", name, "--key", "pk = 'C#1'", "--filter", "begins_with(sk, 'O#1')", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    assert "DynamoDB would reject this request" in r.stdout
    assert "1. filter-on-key" in r.stdout
    assert f"ddbtui query {name} --key \"pk = 'C#1' AND begins_with(sk, 'O#1')\"" in r.stdout


def test_explain_sql(table):
    endpoint, name = table
    r = run(
        "explain",
        "--sql",
        f"SELECT * FROM \"{name}\" WHERE status = 'OPEN'",
        "--format",
        "json",
        endpoint=endpoint,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["operation"], doc["table"], doc["runs_as"]) == ("sql", name, "scan")
    kinds = [s["kind"] for s in doc["suggestions"]]
    assert kinds[0] == "use-query" and "partiql-full-scan" in kinds
    r = run("explain", "--sql", f"SELECT * FROM \"{name}\" WHERE pk = 'C#1'", endpoint=endpoint)
    assert r.returncode == 0 and "runs as a Query" in r.stdout.splitlines()[0]


def test_explain_errors(table):
    endpoint, name = table
    r = run("explain", name, "--filter", "status = = 'x'", endpoint=endpoint)
    assert r.returncode == 2 and "column" in r.stderr and "Traceback" not in r.stderr
    r = run("explain", "no_such_table_here", endpoint=endpoint)
    assert r.returncode == 3 and "ResourceNotFoundException" in r.stderr
    r = run("explain", endpoint=endpoint)
    assert r.returncode == 2 and "needs a TABLE" in r.stderr
    r = run("explain", name, "--index", "Nope", endpoint=endpoint)
    assert r.returncode == 2 and "no index 'Nope'" in r.stderr
    r = run("explain", "--sql", f"DELETE FROM \"{name}\" WHERE pk = 'x'", endpoint=endpoint)
    assert r.returncode == 2 and "reads only" in r.stderr


def test_explain_output_is_safe_for_the_terminal(table):
    endpoint, name = table
    r = run("explain", name, "--filter", "note = 'evil\x1b[2J\u202e'", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout


def test_explain_demo_shop():
    r = run(
        "--demo",
        "explain",
        "Shop",
        "--filter",
        "pk = 'CUSTOMER#0002' AND begins_with(sk, 'ORDER#')",
        "--format",
        "json",
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["operation"], doc["table"]) == ("scan", "Shop")
    top = doc["suggestions"][0]
    assert (top["kind"], top["index"], top["key_condition"]) == (
        "use-query",
        None,
        "pk = 'CUSTOMER#0002' AND begins_with(sk, 'ORDER#')",
    )
    # the demo data's own size stands in for moto's TableSizeBytes of 0
    scan_cost = next(s for s in doc["suggestions"] if s["kind"] == "full-scan-cost")
    assert scan_cost["estimated_rcu"] > 400
    assert doc["estimated_rcu"] == scan_cost["estimated_rcu"]
