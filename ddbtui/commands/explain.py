"""``ddbtui explain``: what a read request would make DynamoDB do and cost, and how to do it better.

It reads the table's schema (DescribeTable) and sends no read request. With ``--demo`` the embedded backend
is started without loading the data (a describe needs none); the demo table's item count and sizes come
from the data set itself, which is what the loaded table would report.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any


def add_parser(command: Any) -> None:
    p = command(
        "explain", "explain what a read request does and costs, and how to do it better (sends no read)"
    )
    p.add_argument("table", metavar="TABLE", nargs="?", help="the table (not with --sql)")
    p.add_argument("--index", metavar="NAME", help="the GSI or LSI the request reads")
    p.add_argument("--key", metavar="EXPR", help="key condition: a Query (without it, a Scan)")
    p.add_argument("--filter", metavar="EXPR", help="filter expression")
    p.add_argument("--project", metavar="ATTRS", help="projection: attributes to return, comma-separated")
    p.add_argument("--sql", metavar="STATEMENT", help="explain a PartiQL SELECT instead")
    p.add_argument("--page-size", type=int, metavar="N", help="DynamoDB's Limit per request")
    p.add_argument("--limit", type=int, metavar="N", help="stop after N items in total")
    p.add_argument("--segments", type=int, default=1, metavar="N", help="parallel scan segments")
    p.add_argument("--desc", action="store_true", help="descending sort-key order")
    p.add_argument("--consistent", action="store_true", help="strongly consistent read")
    p.add_argument("--names", help='JSON of #name placeholders, e.g. {"#s": "status"}')
    p.add_argument("--values", help='JSON of :value placeholders, e.g. {":v": "OPEN"}')
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for programs",
    )
    p.set_defaults(run=run)


_FROM = re.compile(r'\bFROM\s+(?:"((?:[^"]|"")+)"|([A-Za-z0-9_.-]+))', re.IGNORECASE)


def _request(args: argparse.Namespace) -> Any:
    from ddbtui.cli import _json_arg
    from ddbtui.core.errors import UsageError
    from ddbtui.core.requests import ReadRequest

    if args.sql is not None:
        if args.table or args.key or args.filter or args.index or args.project:
            raise UsageError(
                "--sql explains a PartiQL statement: give no TABLE, --index, --key, --filter or --project"
            )
        return ReadRequest(
            operation="sql",
            statement=args.sql,
            page_size=args.page_size,
            limit=args.limit,
            consistent=args.consistent,
        )
    if not args.table:
        raise UsageError("explain needs a TABLE (or --sql STATEMENT)")
    return ReadRequest(
        operation="query" if args.key else "scan",
        table=args.table,
        index=args.index,
        key=args.key,
        filter=args.filter,
        projection=args.project,
        page_size=args.page_size,
        limit=args.limit,
        segments=args.segments or 1,
        descending=args.desc,
        consistent=args.consistent,
        names=_json_arg(args.names, "--names"),
        values=_json_arg(args.values, "--values"),
    )


def _statement_table(statement: str) -> str:
    from ddbtui.core.errors import UsageError
    from ddbtui.core.partiql import PartiQLUnsupported, parse_select

    try:
        return parse_select(statement).table
    except PartiQLUnsupported:
        m = _FROM.search(statement)
        if m is None:
            raise UsageError('cannot find the table of the statement (SELECT … FROM "Table" …)') from None
        return m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2).split(".")[0]


def run(args: argparse.Namespace) -> int:
    import json

    from ddbtui.cli import EXIT_OK, connect
    from ddbtui.core.advisor import analyse
    from ddbtui.core.explain import explain
    from ddbtui.core.requests import build
    from ddbtui.core.values import safe_text

    req = _request(args)
    table = _statement_table(req.statement or "") if req.operation == "sql" else req.table
    if req.operation == "sql":
        build(req, None)  # a SELECT, not a write: refuse before starting anything
    demo = bool(getattr(args, "demo", False))
    with connect(args, demo_tables=[]) as (client, _conn):
        from ddbtui.aws.catalog import load_schema

        schema = load_schema(client, table)
        region = client.meta.region_name
    if demo:
        from ddbtui.aws.demo_data import sized_schema

        schema = sized_schema(schema)
    if req.operation != "sql":
        analyse(req, schema)  # syntax errors and unknown indexes: exit 2 with the column
    plan = explain(req, schema, region=region)
    if args.format == "json":
        sys.stdout.write(json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        # everything shown can hold table data or user text: escape what a terminal would act on
        sys.stdout.write("\n".join(safe_text(line) for line in plan.to_text().split("\n")) + "\n")
    return EXIT_OK
