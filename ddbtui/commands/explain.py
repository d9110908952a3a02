"""``ddbtui explain``: what a read request would make DynamoDB do and cost, and how to do it better.

It reads the table's schema (DescribeTable) and a bounded sample of its items (``--sample N``, default
2,000; 0 reads none): a small Scan whose capacity is counted and shown. The advisor learns the table's key
templates from the sample and estimates each suggested Query from it. The request being explained is never
sent. With ``--demo`` the embedded backend is started without loading the data (a describe needs none; the
sample is then empty); the demo table's item count and sizes come from the data set itself, which is what
the loaded table would report.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any


def add_parser(command: Any) -> None:
    p = command(
        "explain",
        "explain what a read request does and costs, and how to do it better (reads a small sample only)",
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
        "--sample",
        type=_sample_size,
        default=None,
        metavar="N",
        help="items of the table to sample for the advice (default 2000, read whole when the table is no "
        "bigger; 0: none)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for programs",
    )
    p.set_defaults(run=run)


def _sample_size(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of items: {text!r}") from None
    if n < 0 or n > 100_000:
        raise argparse.ArgumentTypeError("give 0 to 100000 items")
    return n


_FROM = re.compile(r'\bFROM\s+(?:"((?:[^"]|"")+)"|([A-Za-z0-9_.-]+))', re.IGNORECASE)


def _request(args: argparse.Namespace) -> Any:
    from ddbtui.commands.common import json_arg
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
        names=json_arg(args.names, "--names"),
        values=json_arg(args.values, "--values"),
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

    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.advisor import analyse
    from ddbtui.core.explain import explain
    from ddbtui.core.requests import build
    from ddbtui.core.values import safe_text

    req = _request(args)
    table = _statement_table(req.statement or "") if req.operation == "sql" else req.table
    if req.operation == "sql":
        build(req, None)  # a SELECT, not a write: refuse before starting anything
    demo = bool(getattr(args, "demo", False))
    with connect(args, demo_tables=[]) as (client, conn):
        from ddbtui.aws.catalog import load_schema

        schema = load_schema(client, table)
        region = client.meta.region_name
        if demo:
            from ddbtui.aws.demo_data import sized_schema

            schema = sized_schema(schema)
        if req.operation != "sql":
            analyse(req, schema)  # syntax errors and unknown indexes: exit 2 with the column
        sample = None
        if not demo and args.sample != 0:
            from ddbtui.aws.advisor_sample import DEFAULT_SAMPLE_ITEMS, read_advisor_sample

            n = DEFAULT_SAMPLE_ITEMS if args.sample is None else args.sample
            sample = read_advisor_sample(client, schema, items=n, estimate_capacity=conn.estimate_capacity)
    plan = explain(req, schema, region=region, sample=sample)
    if args.format == "json":
        doc = plan.to_json()
        doc["sample"] = sample.to_json() if sample is not None else None
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        # everything shown can hold table data or user text: escape what a terminal would act on
        lines = plan.to_text().split("\n")
        if sample is not None:
            lines.insert(1, f"  {'Sample':<9}{sample.read_text()}, read for this advice.")
        sys.stdout.write("\n".join(safe_text(line) for line in lines) + "\n")
    return EXIT_OK
