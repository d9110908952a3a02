"""``ddbtui query``, ``scan``, ``get`` and ``sql``: a read, page by page, in any output format, with its
capacity and cost on stderr and the ``--start-key`` that goes on from where it stopped."""

from __future__ import annotations

import argparse
import sys
import threading
from types import SimpleNamespace
from typing import Any

from ddbtui.commands.argtypes import positive_int
from ddbtui.commands.common import (
    EXIT_OK,
    MAX_KEPT_ROWS,
    connect,
    format_option,
    json_arg,
    output_format,
    placeholders,
    start_key_option,
    write_bytes,
)
from ddbtui.core.values import safe_text


def add_parser(command: Any) -> None:
    def reads(p: argparse.ArgumentParser) -> None:
        p.add_argument("--project", metavar="ATTRS", help="projection: attributes to return, comma-separated")
        p.add_argument("--limit", type=positive_int, metavar="N", help="stop after N items in total")
        p.add_argument("--page-size", type=positive_int, metavar="N", help="DynamoDB's Limit per request")
        p.add_argument("--max-pages", type=positive_int, metavar="N", help="stop after N requests")
        start_key_option(p)
        placeholders(p)
        format_option(p)
        p.set_defaults(run=cmd_read)

    p = command("query", "Query a table or index by key condition")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--key", required=True, metavar="EXPR", help="key condition, e.g. \"pk = 'A' AND sk > 'B'\""
    )
    p.add_argument("--index", metavar="NAME", help="query this GSI or LSI")
    p.add_argument(
        "--filter", metavar="EXPR", help="filter expression (applied after the read: still paid for)"
    )
    p.add_argument("--desc", action="store_true", help="newest first: ScanIndexForward=false")
    p.add_argument("--consistent", action="store_true", help="strongly consistent read (not on a GSI)")
    reads(p)

    p = command("scan", "Scan a table or index, optionally in parallel segments")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--index", metavar="NAME", help="scan this GSI or LSI")
    p.add_argument(
        "--filter", metavar="EXPR", help="filter expression (applied after the read: still paid for)"
    )
    p.add_argument("--segments", type=positive_int, default=1, metavar="N", help="parallel scan segments")
    p.add_argument("--consistent", action="store_true", help="strongly consistent read (not on a GSI)")
    reads(p)

    p = command("get", "GetItem by its full primary key")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--key", required=True, metavar="JSON", help='the key as JSON, e.g. {"pk": "A", "sk": "B"}'
    )
    p.add_argument("--project", metavar="ATTRS", help="attributes to return, comma-separated")
    p.add_argument("--consistent", action="store_true", help="strongly consistent read")
    placeholders(p)
    format_option(p)
    p.set_defaults(run=cmd_read)

    p = command("sql", "run a PartiQL SELECT (ExecuteStatement), page by page")
    p.add_argument("statement", metavar="STATEMENT")
    p.add_argument("--limit", type=positive_int, metavar="N", help="stop after N items in total")
    p.add_argument("--page-size", type=positive_int, metavar="N", help="DynamoDB's Limit per request")
    p.add_argument("--max-pages", type=positive_int, metavar="N", help="stop after N requests")
    start_key_option(p)
    p.add_argument("--consistent", action="store_true", help="strongly consistent read")
    format_option(p)
    p.add_argument(
        "--params",
        metavar="JSON",
        help='values of the ? placeholders, a JSON array: plain (["a", 5]) or DynamoDB JSON ([{"S": "a"}])',
    )
    p.set_defaults(run=cmd_read)


def cmd_read(args: argparse.Namespace) -> int:
    from ddbtui.core.requests import ReadRequest

    op = args.command
    req = ReadRequest(
        operation="sql" if op == "sql" else op,
        table=getattr(args, "table", "") or "",
        index=getattr(args, "index", None),
        key=getattr(args, "key", None),
        filter=getattr(args, "filter", None),
        projection=getattr(args, "project", None),
        limit=getattr(args, "limit", None),
        page_size=getattr(args, "page_size", None),
        max_pages=getattr(args, "max_pages", None),
        descending=bool(getattr(args, "desc", False)),
        consistent=bool(getattr(args, "consistent", False)),
        segments=getattr(args, "segments", 1) or 1,
        statement=getattr(args, "statement", None),
        names=json_arg(getattr(args, "names", None), "--names"),
        values=json_arg(getattr(args, "values", None), "--values"),
    )
    if op == "sql":
        from ddbtui.core.partiql import parse_parameters
        from ddbtui.core.requests import build

        if args.params is not None:
            req = req.with_(parameters=parse_parameters(args.params))

        build(req, None)  # refuse bad input before starting a backend
    start_key = getattr(args, "start_key", None)
    if start_key is not None:
        from ddbtui.core.resume import parse_resume

        # its shape now, before any request; its attributes against the table's key once it is described
        api = {"sql": "execute_statement"}.get(op, op)
        parse_resume(start_key, segments=req.segments if op == "scan" else 1, api=api)
    demo_tables = [req.table] if req.table else None
    with connect(args, demo_tables=demo_tables) as (client, conn):
        return _run_read(client, conn, req, output_format(args), start_key)


def _run_read(client: Any, conn: Any, req: Any, fmt: str, start_key: str | None = None) -> int:
    from ddbtui.aws.catalog import load_schema
    from ddbtui.aws.fastpath import plain_json_line, plain_json_lines
    from ddbtui.aws.runner import PageRunner
    from ddbtui.core.capacity import Ledger
    from ddbtui.core.formats import JsonDocumentWriter, rich_table, write_csv, write_item_line
    from ddbtui.core.requests import build

    schema = load_schema(client, req.table) if req.operation != "sql" else None
    if conn.demo:
        from ddbtui.aws.demo_data import sized_schema

        schema = sized_schema(schema)  # the emulator reports no sizes: the demo data's own, for estimates
    capped = fmt in ("csv", "table") and req.limit is None
    if capped:
        # csv needs every column before its first row and a table is laid out whole: both keep the items,
        # so without --limit they stop at MAX_KEPT_ROWS rather than grow without bound
        req = req.with_(limit=MAX_KEPT_ROWS)
    built = build(req, schema)
    for w in built.warnings:
        sys.stderr.write(f"note: {safe_text(w)}\n")  # may name attributes from the table
    estimate = conn.estimate_capacity
    # raw=True: Scan/Query pages skip botocore's response parsing (errors still go through it); the
    # output is byte-identical (tests/aws/test_fastpath.py) and ~3x faster
    segments = req.segments if built.api == "scan" else 1
    start = None
    if start_key is not None:
        from ddbtui.core.resume import parse_resume, resume_key_attributes

        start = parse_resume(
            start_key,
            segments=segments,
            api=built.api,
            key_attributes=resume_key_attributes(schema, req.index),
        )
    runner = PageRunner(client, built, schema, threading.Event(), start, raw=True)
    ledger = Ledger(region=client.meta.region_name)
    billing = schema.billing_mode if schema else "PAY_PER_REQUEST"
    keys = list(schema.key.attributes) if schema else []
    if schema and req.index:
        keys += [k for k in schema.index(req.index).key.attributes if k not in keys]
    total = None
    kept: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    streaming = fmt in ("jsonl", "ddb-json")
    doc = JsonDocumentWriter(sys.stdout, render=plain_json_line) if fmt == "json" else None
    # what is on stdout for sure: the runner counts a page when it hands it over, before it is written, so
    # a ^C or a broken pipe during a write must resume from the page before it, not after
    written = SimpleNamespace(items=0, scanned=0, pages=0, resume=dict(runner.state.resume))
    try:
        for page in runner.pages():
            cap = page.capacity(estimate)
            if cap is not None:
                ledger.record(built.api, req.table or "(partiql)", cap, billing_mode=billing)
                total = cap if total is None else total + cap
            pages.append(
                {
                    "count": page.count,
                    "scanned_count": page.scanned_count,
                    "consumed_capacity": cap.to_json() if cap else None,
                }
            )
            if fmt == "jsonl":
                write_bytes(plain_json_lines(page.items))
            elif streaming:
                for it in page.items:
                    write_item_line(sys.stdout, it, fmt)
                sys.stdout.flush()
            elif doc is not None:
                doc.items(page.items)
            else:
                kept.extend(page.items)
            written.items += len(page.items)
            written.scanned += page.scanned_count
            written.pages += 1
            written.resume = dict(runner.state.resume)
    except (Exception, KeyboardInterrupt):
        # stopped by an error or ^C after some pages: say where to go on, so nothing is read twice or missed
        if (streaming or doc is not None) and written.pages:
            sys.stderr.write(_summary(written, ledger, True) + "\n")
            _resume_note(written.resume, runner.state.resume_exact, segments, built.api, "stopped")
        raise
    # more to read: keys left (any segment), a NextToken, or items a --limit cut off
    more = not runner.state.exhausted
    # json's last_evaluated_key: one key (PartiQL: the NextToken), exact; N segments are in the --start-key note
    last_key = None
    if more and segments == 1 and built.api != "get_item" and runner.state.resume_exact:
        last_key = runner.state.resume.get(0)  # past a --limit cut, the key of the last item kept
    if doc is not None:
        doc.close(
            runner.state.items, runner.state.scanned, pages, total.to_json() if total else None, last_key
        )
    elif fmt == "csv":
        # lossless into a file or a pipe (the bytes export writes); escapes shown only on a terminal
        write_csv(sys.stdout, kept, keys, terminal_safe=sys.stdout.isatty())
    elif fmt == "table":
        from rich.console import Console

        Console().print(rich_table(kept, keys))
    sys.stderr.write(_summary(runner.state, ledger, more) + "\n")
    if more and not capped:
        _resume_note(runner.state.resume, runner.state.resume_exact, segments, built.api, "more")
    if capped and more and runner.state.items >= MAX_KEPT_ROWS:
        sys.stderr.write(
            f"note: {fmt} output stops at {MAX_KEPT_ROWS:,} items without --limit; "
            "use --limit N, --format jsonl, or ddbtui export for the whole table\n"
        )
    return EXIT_OK


def _resume_note(resume: dict[int, Any], exact: bool, segments: int, api: str, why: str) -> None:
    """On stderr: the --start-key that goes on from where this run stopped (or a plain note if none can)."""
    from ddbtui.core.resume import format_resume

    if not exact:
        what = "its rows carry no key" if api == "execute_statement" else "the items kept carry no key"
        sys.stderr.write(
            f"note: --limit stopped inside a page and {what} to go on from: no resume point "
            "(use --max-pages, or a projection that includes the key)\n"
        )
        return
    token = format_resume(resume, segments, api)
    if token is None:
        return
    import shlex

    lead = "stopped; to go on after the last page written" if why == "stopped" else "to read on"
    sys.stderr.write(f"note: {lead}, add --start-key {shlex.quote(token)}\n")


def _summary(state: Any, ledger: Any, more: bool) -> str:
    from ddbtui.core.capacity import format_cost, format_units

    pages = f"{state.pages} page" + ("" if state.pages == 1 else "s")
    tail = " · more available" if more else ""
    if ledger.requests:
        est = " (est.)" if ledger.estimated else ""
        cap = f"{format_units(ledger.read_units)} RCU{est} · {format_cost(ledger.cost)}"
    else:
        cap = "capacity not reported"
    return f"{state.items} items · scanned {state.scanned} · {pages} · {cap}{tail}"
