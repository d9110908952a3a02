"""Generated code: boto3 source, AWS CLI command, PartiQL statement and ddbtui command line.

Here the text is checked against the params it must carry; tests/aws/test_codegen_exec.py runs it.
"""

from __future__ import annotations

import ast
import base64
import json
import shlex

import pytest

from ddbtui.cli import build_parser
from ddbtui.core.codegen import aws_cli, boto3_code, ddbtui_command, partiql, py_literal, snippets
from ddbtui.core.expr import conjuncts, parse_condition
from ddbtui.core.partiql import PartiQLUnsupported, parse_select, to_partiql
from ddbtui.core.requests import ReadRequest, build
from tests.core.test_advisor import ORDERS, RESERVED

REQUESTS = [
    ReadRequest("query", "Orders", key="pk = 'C#1' AND begins_with(sk, 'ORDER#')", filter="total > 5"),
    ReadRequest(
        "query",
        "Orders",
        index="ByStatus",
        key="status = 'OPEN' AND created BETWEEN '2025' AND '2026'",
        filter="#n = :v AND size(tags) > 1",
        projection="pk, total, #n",
        names={"#n": "name"},
        values={":v": "Zoë \u202e it's"},
        descending=True,
        page_size=7,
        limit=20,
    ),
    ReadRequest("scan", "Orders", filter='blob = b64"AAEC/w==" OR nums IN (1, 2.5, -3)', segments=3),
    ReadRequest("scan", "Orders", max_pages=2, consistent=True),
    ReadRequest("get", "Orders", key='{"pk": "C#1", "sk": "PROFILE"}', projection="email", consistent=True),
    ReadRequest("sql", statement="SELECT * FROM \"Orders\" WHERE pk = 'C#1'", page_size=5),
]


def _built(req):
    return build(req, ORDERS if req.operation != "sql" else None)


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: r.operation)
def test_boto3_code_compiles_and_carries_the_exact_params(req):
    built = _built(req)
    code = boto3_code(built)
    tree = ast.parse(code)
    assigned = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert ast.literal_eval(assigned["params"]) == built.params
    assert f"client.{built.api}(" in code
    assert all(len(line) <= 100 for line in code.splitlines() if "params" not in line or "=" not in line)


def test_boto3_code_pages_and_stops_like_ddbtui():
    code = boto3_code(_built(REQUESTS[1]))
    assert 'params["ExclusiveStartKey"] = page["LastEvaluatedKey"]' in code
    assert "if len(items) >= 20:  # --limit" in code
    code = boto3_code(_built(REQUESTS[3]))
    assert "for _ in range(2):  # --max-pages" in code
    code = boto3_code(_built(REQUESTS[2]))
    assert "TotalSegments=3" in code and "ThreadPoolExecutor(max_workers=3)" in code
    code = boto3_code(_built(REQUESTS[5]))
    assert 'params["NextToken"] = page["NextToken"]' in code
    code = boto3_code(_built(REQUESTS[4]))
    assert "client.get_item(**params)" in code and "while" not in code


def test_binary_is_a_bytes_literal_and_disguising_characters_are_escaped():
    code = boto3_code(_built(REQUESTS[2]))
    assert "b'\\x00\\x01\\x02\\xff'" in code
    code = boto3_code(_built(REQUESTS[1]))
    assert "\u202e" not in code and "\\u202e" in code
    assert "Zoë" in code  # readable text stays readable


def _cli_params(command: str) -> tuple[str, dict]:
    """Parse a generated aws command back into (operation, flags)."""
    body = "\n".join(line for line in command.splitlines() if not line.startswith("#"))
    argv = shlex.split(body.replace("\\\n", " "))  # the shell's line continuation
    assert argv[:2] == ["aws", "dynamodb"]
    flags: dict = {}
    i = 3
    while i < len(argv):
        flag = argv[i]
        if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            flags[flag] = argv[i + 1]
            i += 2
        else:
            flags[flag] = True
            i += 1
    return argv[2], flags


def _b64(av):
    if isinstance(av, dict):
        return {k: (base64.b64encode(v).decode() if isinstance(v, bytes) else _b64(v)) for k, v in av.items()}
    if isinstance(av, list):
        return [_b64(v) for v in av]
    return av


@pytest.mark.parametrize("req", [r for r in REQUESTS if r.segments == 1], ids=lambda r: r.operation)
def test_cli_command_round_trips_through_a_shell(req):
    built = _built(req)
    op, flags = _cli_params(aws_cli(built))
    p = built.params
    assert (
        op
        == {
            "query": "query",
            "scan": "scan",
            "get_item": "get-item",
            "execute_statement": "execute-statement",
        }[built.api]
    )
    for name, flag in (
        ("TableName", "--table-name"),
        ("IndexName", "--index-name"),
        ("KeyConditionExpression", "--key-condition-expression"),
        ("FilterExpression", "--filter-expression"),
        ("ProjectionExpression", "--projection-expression"),
        ("Statement", "--statement"),
    ):
        assert flags.get(flag) == p.get(name)
    for name, flag in (
        ("ExpressionAttributeNames", "--expression-attribute-names"),
        ("ExpressionAttributeValues", "--expression-attribute-values"),
        ("Key", "--key"),
    ):
        if name in p:
            assert json.loads(flags[flag]) == _b64(p[name])
    assert ("--consistent-read" in flags) == bool(p.get("ConsistentRead"))
    assert ("--no-scan-index-forward" in flags) == (p.get("ScanIndexForward") is False)
    if req.limit:
        assert flags["--max-items"] == str(req.limit)
    if "Limit" in p:
        assert flags.get("--page-size", flags.get("--limit")) == str(p["Limit"])


def test_cli_quotes_single_quotes_and_escapes_bidi():
    text = aws_cli(_built(REQUESTS[1]))
    assert "\u202e" not in text
    _op, flags = _cli_params(text)
    values = json.loads(flags["--expression-attribute-values"])
    assert values[":v"] == {"S": "Zoë \u202e it's"}


def test_cli_segments_loop_and_binary_note():
    text = aws_cli(_built(REQUESTS[2]))
    assert text.startswith("# binary values are base64")
    assert (
        "for segment in 0 1 2; do" in text
        and '--segment "$segment"' in text
        and text.rstrip().endswith("done")
    )
    assert '"B":"AAEC/w=="' in text


def test_cli_statement_has_no_paginator():
    text = aws_cli(_built(REQUESTS[5]))
    assert "--next-token" in text and "--limit 5" in text


# ---- PartiQL --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("req", "statement"),
    [
        (
            REQUESTS[0],
            'SELECT * FROM "Orders" WHERE "pk" = \'C#1\' AND begins_with("sk", \'ORDER#\') AND "total" > 5',
        ),
        (
            ReadRequest(
                "query",
                "Orders",
                index="ByStatus",
                key="status = 'OPEN'",
                descending=True,
                projection="status, total",
            ),
            'SELECT "status", "total" FROM "Orders"."ByStatus" WHERE "status" = \'OPEN\' ORDER BY "created" DESC',
        ),
        (REQUESTS[4], 'SELECT "email" FROM "Orders" WHERE "pk" = \'C#1\' AND "sk" = \'PROFILE\''),
        (REQUESTS[3], 'SELECT * FROM "Orders"'),
        (REQUESTS[5], REQUESTS[5].statement),
        (
            ReadRequest("scan", "Orders", filter="NOT attribute_exists(a) OR a <> 'it''s' AND x IN (1, 2)"),
            None,  # the expression language has no '' escape: this does not parse, so no statement
        ),
        (
            ReadRequest("scan", "Orders", filter='NOT attribute_exists(a) OR a <> "it\'s" AND x IN (1, 2)'),
            'SELECT * FROM "Orders" WHERE NOT ("a" IS NOT MISSING) OR "a" <> \'it\'\'s\' AND "x" IN [1, 2]',
        ),
        (
            ReadRequest("scan", "Orders", filter='attribute_not_exists(`we"ird`)'),
            'SELECT * FROM "Orders" WHERE ("we""ird" IS MISSING)',
        ),
        (
            ReadRequest("scan", "Orders", filter='m = {"k": [1, true, null]}'),
            'SELECT * FROM "Orders" WHERE "m" = {\'k\': [1, true, NULL]}',
        ),
        (REQUESTS[2], None),  # binary has no PartiQL literal
        (ReadRequest("scan", "Orders", projection="a.b"), None),  # PartiQL flattens nested paths
        # DynamoDB Local fails on ORDER BY … DESC when the projection lacks the partition key
        (ReadRequest("query", "Orders", key="pk = 'A'", descending=True, projection="total"), None),
    ],
)
def test_partiql_translation(req, statement):
    assert partiql(req, ORDERS) == statement


def test_partiql_names_are_resolved_and_reserved_words_quoted():
    req = ReadRequest("scan", "Catalog", filter="#s = :v", names={"#s": "status"}, values={":v": "OPEN"})
    assert partiql(req, RESERVED) == 'SELECT * FROM "Catalog" WHERE "status" = \'OPEN\''


@pytest.mark.parametrize(
    "where",
    [
        "a = 'x' AND (b < 3 OR NOT c BETWEEN 1 AND 2)",
        "begins_with(a, 'p') AND contains(t, 'q') AND size(l) >= 2 AND attribute_type(z, 'NULL')",
        "attribute_exists(a.b[2]) AND attribute_not_exists(c)",
        "x IN ('a', 'b') AND m = {\"k\": [1, \"two\"]}",
    ],
)
def test_partiql_reads_back_what_it_writes(where):
    node = parse_condition(where)
    statement = to_partiql("T", "I", conjuncts(node), None)
    select = parse_select(statement)
    assert (select.table, select.index) == ("T", "I")
    assert select.where == node


def test_parse_select_rejects_what_it_cannot_read():
    for bad in ('UPDATE "T" SET a = 1', 'SELECT * FROM "T" WHERE a IS NULL', 'SELECT * FROM "T" WHERE f(a)'):
        with pytest.raises(PartiQLUnsupported):
            parse_select(bad)


# ---- ddbtui command line --------------------------------------------------------------------------------


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: r.operation)
def test_ddbtui_command_parses_back_to_the_same_request(req):
    argv = shlex.split(ddbtui_command(req))
    assert argv[0] == "ddbtui"
    args = build_parser().parse_args(argv[1:])
    assert args.command == req.operation
    if req.operation == "sql":
        assert args.statement == req.statement
        return
    assert args.table == req.table
    assert getattr(args, "key", None) == req.key
    assert getattr(args, "filter", None) == req.filter
    assert getattr(args, "project", None) == req.projection
    assert getattr(args, "index", None) == req.index
    assert bool(getattr(args, "desc", False)) == req.descending
    assert getattr(args, "limit", None) == req.limit
    assert (json.loads(args.names) if getattr(args, "names", None) else None) == req.names


def test_snippets_name_their_lexers():
    out = snippets(_built(REQUESTS[0]), ORDERS)
    assert [(s.title, s.language) for s in out] == [
        ("boto3", "python"),
        ("AWS CLI", "bash"),
        ("PartiQL", "sql"),
        ("ddbtui", "bash"),
    ]
    assert [s.title for s in snippets(_built(REQUESTS[2]), ORDERS)] == ["boto3", "AWS CLI", "ddbtui"]


def test_py_literal_wraps_long_values():
    text = py_literal({"a": ["x" * 50, "y" * 50]}, lead=9)
    assert ast.literal_eval(text) == {"a": ["x" * 50, "y" * 50]}
    assert all(len(line) <= 100 for line in text.splitlines())
