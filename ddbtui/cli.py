"""The command line: parse, set up the connection (or the embedded demo backend), run a command or the app.

Imports of boto3, moto and textual happen inside the commands, so `ddbtui --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from ddbtui import __version__
from ddbtui.commands.argtypes import positive_int, positive_seconds
from ddbtui.core.errors import DdbtuiError, ExprError, UsageError

EXIT_OK, EXIT_USAGE, EXIT_AWS, EXIT_INTERRUPTED = 0, 2, 3, 130
FORMATS = ("jsonl", "json", "table", "csv", "ddb-json")
MAX_KEPT_ROWS = 10_000  # items csv/table output keeps in memory when --limit is not given


# --- argument parsing ----------------------------------------------------------------------------------


def _connection_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    g = parser.add_argument_group("connection")
    g.add_argument("--profile", default=d, help="AWS profile (default: AWS_PROFILE or the default chain)")
    g.add_argument("--region", default=d, help="AWS region (default: AWS_REGION or the profile's)")
    g.add_argument("--endpoint-url", default=d, help="DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB)")
    g.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="start an embedded local backend seeded with the demo data and use it",
    )
    g.add_argument(
        "--engine",
        choices=("moto", "dynamodb-local"),
        default=d,
        help="the embedded backend for --demo (default moto; dynamodb-local needs java and the npm package)",
    )
    g.add_argument(
        "--timeout",
        type=positive_seconds,
        default=d,
        metavar="SECONDS",
        help="give up on one request after this long without an answer, then retry (default 30)",
    )
    g.add_argument(
        "--max-attempts",
        type=positive_int,
        default=d,
        metavar="N",
        help="tries per request, the first included, before an error is shown (default 5; 1: no retries)",
    )
    g.add_argument(
        "--capacity",
        choices=("auto", "reported", "estimate"),
        default=d,
        help="capacity figures: the server's (reported), ddbtui's own (estimate), or auto: own on emulators",
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, help="output format (default: table on a terminal, else jsonl)"
    )


def _placeholders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--names", help='JSON of #name placeholders, e.g. {"#s": "status"}')
    parser.add_argument("--values", help='JSON of :value placeholders, e.g. {":v": "OPEN"}')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ddbtui",
        description="A terminal workbench for Amazon DynamoDB. Without a command, opens the workbench.",
        epilog="Try: ddbtui --demo query Shop --key \"pk = 'CUSTOMER#0001'\"",
    )
    parser.add_argument("--version", action="version", version=f"ddbtui {__version__}")
    parser.add_argument("--table", help="open this table at start")
    parser.add_argument(
        "--allow-writes",
        nargs="?",
        const="*",
        default=None,
        metavar="TABLES",
        help="the workbench may write (read-only by default; ctrl+w in the app asks); =A,B: only those tables",
    )
    _connection_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _connection_options(p, suppress=True)
        return p

    p = command("tables", "list the tables with billing mode, item count and indexes")
    _format_option(p)

    p = command("describe", "describe a table: keys, indexes, billing, TTL, stream")
    p.add_argument("table", metavar="TABLE")
    _format_option(p)

    def reads(p: argparse.ArgumentParser) -> None:
        p.add_argument("--project", metavar="ATTRS", help="projection: attributes to return, comma-separated")
        p.add_argument("--limit", type=positive_int, metavar="N", help="stop after N items in total")
        p.add_argument("--page-size", type=positive_int, metavar="N", help="DynamoDB's Limit per request")
        p.add_argument("--max-pages", type=positive_int, metavar="N", help="stop after N requests")
        _start_key_option(p)
        _placeholders(p)
        _format_option(p)

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
    _placeholders(p)
    _format_option(p)

    p = command("sql", "run a PartiQL SELECT (ExecuteStatement), page by page")
    p.add_argument("statement", metavar="STATEMENT")
    p.add_argument("--limit", type=positive_int, metavar="N", help="stop after N items in total")
    p.add_argument("--page-size", type=positive_int, metavar="N", help="DynamoDB's Limit per request")
    p.add_argument("--max-pages", type=positive_int, metavar="N", help="stop after N requests")
    _start_key_option(p)
    p.add_argument("--consistent", action="store_true", help="strongly consistent read")
    _format_option(p)

    import importlib

    from ddbtui.commands import MODULES

    for module_name in MODULES:
        importlib.import_module(module_name).add_parser(command)
    return parser


# --- runtime: connection and the embedded backend -------------------------------------------------------


def _opt(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    value = getattr(args, name, None)
    return default if value is None else value


@contextmanager
def connect(args: argparse.Namespace, demo_tables: list[str] | None = None) -> Iterator[tuple[Any, Any]]:
    """Yield (client, Connection). With --demo, an embedded engine is started, seeded and stopped."""
    from ddbtui.aws.session import Connection, demo_connection, make_client, retry_settings

    demo = bool(getattr(args, "demo", False))
    conn = Connection(
        profile=_opt(args, "profile"),
        region=_opt(args, "region"),
        endpoint_url=_opt(args, "endpoint_url"),
        capacity_mode=_opt(args, "capacity", "auto"),
        demo=demo,
        **retry_settings(args),
    )
    if not demo:
        if _opt(args, "engine"):
            raise UsageError("--engine selects the embedded backend of --demo")
        yield _watched(make_client(conn)), conn
        return

    from ddbtui.aws import demo_data
    from ddbtui.aws.embedded import DynamoDBLocal, MotoServer
    from ddbtui.aws.seed import create_tables, seed

    engine = DynamoDBLocal() if _opt(args, "engine") == "dynamodb-local" else MotoServer()
    with engine:
        conn = demo_connection(engine.endpoint_url, conn.capacity_mode, **retry_settings(args))
        client = make_client(conn)
        # every demo table exists; only those the command reads are loaded (the whole set takes seconds)
        create_tables(client)
        known = demo_data.table_names()
        load = known if demo_tables is None else [t for t in demo_tables if t in known]
        if load:
            seed(client, tables=load, progress=_seed_progress())
        yield _watched(client), conn


def _watched(client: Any) -> Any:
    """The client, with each of botocore's retries noted on stderr as it happens (a throttled or flaky
    read is otherwise a silent pause)."""
    from ddbtui.aws.retries import watch_retries
    from ddbtui.core.values import safe_text

    def note(event: Any) -> None:
        sys.stderr.write(f"note: {safe_text(event.describe())}\n")
        sys.stderr.flush()

    watch_retries(client, note)
    return client


def _seed_progress() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\rseeding demo data: {done:,}/{total:,} items")
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return report


# --- commands ---------------------------------------------------------------------------------------


def _fmt(args: argparse.Namespace) -> str:
    return args.format or ("table" if sys.stdout.isatty() else "jsonl")


def _start_key_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--start-key",
        metavar="JSON",
        help="go on from where an earlier run stopped: the value it printed (a key in DynamoDB JSON, "
        "as --exclusive-start-key takes it; a NextToken for sql)",
    )


def _json_arg(text: str | None, what: str) -> dict[str, Any] | None:
    if text is None:
        return None
    from ddbtui.core.values import parse_plain_json

    value = parse_plain_json(text, what)
    if not isinstance(value, dict):
        raise UsageError(f"{what} must be a JSON object")
    return value


def cmd_tables(args: argparse.Namespace) -> int:
    from ddbtui.aws.catalog import table_summaries

    # --demo: the tables are created but not loaded (seconds saved); the demo data's own counts and sizes
    # are what a loaded table would report
    with connect(args, demo_tables=[]) as (client, conn):
        schemas = table_summaries(client)
    if conn.demo:
        from ddbtui.aws.demo_data import sized_schema

        schemas = [sized_schema(s) for s in schemas]
    fmt = _fmt(args)
    rows = [
        {
            "name": s.name,
            "status": s.status,
            "billing_mode": s.billing_mode,
            "item_count": s.item_count,
            "size_bytes": s.size_bytes,
            "partition_key": s.key.partition_key,
            "sort_key": s.key.sort_key,
            "gsis": [g.name for g in s.gsis],
            "lsis": [x.name for x in s.lsis],
        }
        for s in schemas
    ]
    _print_records(
        rows, fmt, ["name", "billing_mode", "item_count", "partition_key", "sort_key", "gsis", "lsis"]
    )
    return EXIT_OK


def cmd_describe(args: argparse.Namespace) -> int:
    from ddbtui.aws.catalog import describe, ttl_attribute
    from ddbtui.core.schema import TableSchema

    with connect(args, demo_tables=[args.table]) as (client, _conn):
        desc = describe(client, args.table)
        ttl = ttl_attribute(client, args.table)
    fmt = _fmt(args)
    if fmt in ("json", "jsonl", "ddb-json"):
        import json

        desc = dict(desc, TimeToLiveAttribute=ttl)
        sys.stdout.write(json.dumps(desc, default=str, indent=2 if fmt == "json" else None) + "\n")
        return EXIT_OK
    schema = TableSchema.from_describe(desc, ttl)
    rows = [
        {
            "index": idx.label,
            "kind": idx.kind,
            "partition_key": f"{idx.key.partition_key} ({schema.attribute_types.get(idx.key.partition_key, '?')})",
            "sort_key": f"{idx.key.sort_key} ({schema.attribute_types.get(idx.key.sort_key, '?')})"
            if idx.key.sort_key
            else "",
            "projection": idx.projection
            + (f" {', '.join(idx.non_key_attributes)}" if idx.non_key_attributes else ""),
            "item_count": idx.item_count,
        }
        for idx in schema.indexes
    ]
    if fmt == "table":
        from rich.console import Console
        from rich.text import Text

        from ddbtui.core.values import safe_text

        Console(stderr=False).print(
            Text(
                safe_text(
                    f"{schema.name}: {schema.status}, {schema.billing_mode}, {schema.item_count} items, "
                    f"{schema.size_bytes} bytes, TTL {schema.ttl_attribute or 'off'}, "
                    f"stream {schema.stream_view_type or 'off'}"
                )
            )
        )
    _print_records(rows, fmt, list(rows[0]))
    return EXIT_OK


def _print_records(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    """Plain records (not items) in any output format; data is escaped for the terminal in `table`."""
    import json

    if fmt == "table":
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from ddbtui.core.values import safe_text

        table = Table(header_style="bold")
        for c in columns:
            table.add_column(c)
        for r in rows:
            cells = [r.get(c) for c in columns]
            table.add_row(
                *[
                    Text(safe_text(", ".join(v) if isinstance(v, list) else "" if v is None else str(v)))
                    for v in cells
                ]
            )
        Console().print(table)
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout, lineterminator="\r\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([json.dumps(r.get(c)) if isinstance(r.get(c), list) else r.get(c) for c in columns])
    elif fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        for r in rows:
            sys.stdout.write(json.dumps(r) + "\n")


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
        names=_json_arg(getattr(args, "names", None), "--names"),
        values=_json_arg(getattr(args, "values", None), "--values"),
    )
    if op == "sql":
        from ddbtui.core.requests import build

        build(req, None)  # refuse bad input before starting a backend
    start_key = getattr(args, "start_key", None)
    if start_key is not None:
        from ddbtui.core.resume import parse_resume

        # its shape now, before any request; its attributes against the table's key once it is described
        api = {"sql": "execute_statement"}.get(op, op)
        parse_resume(start_key, segments=req.segments if op == "scan" else 1, api=api)
    demo_tables = [req.table] if req.table else None
    with connect(args, demo_tables=demo_tables) as (client, conn):
        return _run_read(client, conn, req, _fmt(args), start_key)


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
        sys.stderr.write(f"note: {w}\n")
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
                _write_bytes(plain_json_lines(page.items))
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
    last_key = None  # json's last_evaluated_key: one key, exact; N segments are in the --start-key note
    if more and segments == 1 and built.api in ("query", "scan") and runner.state.resume_exact:
        last_key = runner.state.resume.get(0)  # past a --limit cut, the key of the last item kept
    if doc is not None:
        doc.close(
            runner.state.items, runner.state.scanned, pages, total.to_json() if total else None, last_key
        )
    elif fmt == "csv":
        write_csv(sys.stdout, kept, keys, terminal_safe=True)
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


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "tables": cmd_tables,
    "describe": cmd_describe,
    "query": cmd_read,
    "scan": cmd_read,
    "get": cmd_read,
    "sql": cmd_read,
}


def run_app(args: argparse.Namespace) -> int:
    try:
        from ddbtui.ui.app import run  # noqa: PLC0415
    except ImportError:
        sys.stderr.write("ddbtui: the workbench is not built yet; use a command, e.g. ddbtui --demo tables\n")
        return EXIT_USAGE
    return run(args)


# --- main ---------------------------------------------------------------------------------------------


def _error(message: str) -> None:
    from ddbtui.core.values import safe_text

    text = safe_text(message).replace("\\n", "\n")  # our own multi-line messages keep their layout
    sys.stderr.write(f"ddbtui: {text}\n")


def _terminate(signum: int, frame: Any) -> None:
    # SIGTERM would end Python without unwinding: turn it into an interrupt so the embedded engine stops
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    raw = list(sys.argv[1:] if argv is None else argv)
    # A bare --allow-writes means every table; spelled out, it can never swallow the word after it
    # (`ddbtui --allow-writes put T` must not read "put" as a table list).
    raw = ["--allow-writes=*" if a == "--allow-writes" else a for a in raw]
    try:
        args = parser.parse_args(raw)
    except SystemExit as e:  # argparse's refusal (2) or --help/--version (0): a code, like every command
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command is None:
            return run_app(args)
        # commands from ddbtui.commands set their own runner with p.set_defaults(run=...)
        return (getattr(args, "run", None) or COMMANDS[args.command])(args)
    except KeyboardInterrupt:
        sys.stderr.write("ddbtui: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except ExprError as e:
        _error(f"error: {e}")
        return EXIT_USAGE
    except UsageError as e:
        _error(f"error: {e}")
        return EXIT_USAGE
    except DdbtuiError as e:
        from ddbtui.aws.session import ConnectionSetupError

        _error(str(e))
        return EXIT_USAGE if isinstance(e, ConnectionSetupError) else EXIT_AWS
    except Exception as e:  # noqa: BLE001 - AWS/botocore errors: one line, exit 3
        from ddbtui.aws.errors import describe_aws_error

        message = describe_aws_error(e)
        if message is None:
            raise
        _error(message)
        return EXIT_AWS
