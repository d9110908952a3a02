"""What every headless command shares: exit codes, the connection options and the connection itself (or
the embedded demo backend), JSON arguments, output formats, plain records, one-line errors.

Nothing here imports ``ddbtui.cli`` (the entry point imports the commands, never the other way round).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ddbtui.commands.argtypes import positive_int, positive_seconds
from ddbtui.core.errors import UsageError

EXIT_OK, EXIT_USAGE, EXIT_AWS, EXIT_INTERRUPTED = 0, 2, 3, 130
EXIT_OUTPUT = 1  # the output could not be written (a full disk, a closed pipe end other than EPIPE)
FORMATS = ("jsonl", "json", "table", "csv", "ddb-json")
MAX_KEPT_ROWS = 10_000  # items csv/table output keeps in memory when --limit is not given


# --- options -------------------------------------------------------------------------------------------


def connection_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
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


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, help="output format (default: table on a terminal, else jsonl)"
    )


def placeholders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--names", help='JSON of #name placeholders, e.g. {"#s": "status"}')
    parser.add_argument("--values", help='JSON of :value placeholders, e.g. {":v": "OPEN"}')


def allow_writes_option(p: argparse.ArgumentParser, help_: str) -> None:
    """``--allow-writes[=TABLES]`` on a subcommand; given before the subcommand, the top-level value stands."""
    p.add_argument(
        "--allow-writes",
        nargs="?",
        const="*",
        default=argparse.SUPPRESS,
        metavar="TABLES",
        help=help_,
    )


def start_key_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--start-key",
        metavar="JSON",
        help="go on from where an earlier run stopped: the value it printed (a key in DynamoDB JSON, "
        "as --exclusive-start-key takes it; a NextToken for sql)",
    )


# --- the connection and the embedded backend -----------------------------------------------------------


def opt(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    value = getattr(args, name, None)
    return default if value is None else value


@contextmanager
def connect(args: argparse.Namespace, demo_tables: list[str] | None = None) -> Iterator[tuple[Any, Any]]:
    """Yield (client, Connection). With --demo, an embedded engine is started, seeded and stopped."""
    from ddbtui.aws.session import Connection, demo_connection, make_client, retry_settings

    demo = bool(getattr(args, "demo", False))
    conn = Connection(
        profile=opt(args, "profile"),
        region=opt(args, "region"),
        endpoint_url=opt(args, "endpoint_url"),
        capacity_mode=opt(args, "capacity", "auto"),
        demo=demo,
        **retry_settings(args),
    )
    if not demo:
        if opt(args, "engine"):
            raise UsageError("--engine selects the embedded backend of --demo")
        yield _watched(make_client(conn)), conn
        return

    from ddbtui.aws import demo_data
    from ddbtui.aws.embedded import DynamoDBLocal, MotoServer
    from ddbtui.aws.seed import create_tables, seed

    engine = DynamoDBLocal() if opt(args, "engine") == "dynamodb-local" else MotoServer()
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


# --- input and output ----------------------------------------------------------------------------------


def output_format(args: argparse.Namespace) -> str:
    return args.format or ("table" if sys.stdout.isatty() else "jsonl")


def json_arg(text: str | None, what: str) -> dict[str, Any] | None:
    if text is None:
        return None
    from ddbtui.core.values import parse_plain_json

    value = parse_plain_json(text, what)
    if not isinstance(value, dict):
        raise UsageError(f"{what} must be a JSON object")
    return value


def print_records(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
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


def write_bytes(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def error_line(message: str, *, own: bool = True) -> None:
    """``ddbtui: message`` on stderr, terminal-safe. ``own``: a message ddbtui wrote, whose line breaks are
    kept; a server's text (``own=False``) stays on one line, its line breaks shown as ``\\n``."""
    from ddbtui.core.values import safe_text

    text = safe_text(message)
    if own:
        text = text.replace("\\n", "\n")
    sys.stderr.write(f"ddbtui: {text}\n")
