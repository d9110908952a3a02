"""``ddbtui run NAME [--param k=v]...`` runs a saved query headless (as ``query``/``scan``/``get``/``sql``
would); ``ddbtui saved list|show NAME|delete NAME`` manages the file (``queries.toml`` in the config dir)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ddbtui.commands.common import EXIT_OK, format_option, output_format, start_key_option


def add_parser(command: Any) -> None:
    p = command("run", "run a saved query (ddbtui saved list shows them), page by page")
    p.add_argument("name", metavar="NAME")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="a value for the query's :K placeholder (repeat for several); typed by the file's params",
    )
    start_key_option(p)
    format_option(p)
    p.set_defaults(run=run_saved)

    p = command("saved", "list, show or delete saved queries (queries.toml in the config dir)")
    p.add_argument("action", choices=("list", "show", "delete"))
    p.add_argument("name", nargs="?", metavar="NAME", help="the query (show, delete)")
    p.add_argument("--for-table", metavar="TABLE", help="list: only this table's queries")
    p.add_argument("--json", action="store_true", help="list/show as JSON")
    p.set_defaults(run=run_manage)


def run_saved(args: argparse.Namespace) -> int:
    from ddbtui.aws.saved_store import SavedStore
    from ddbtui.commands.common import connect
    from ddbtui.commands.read import _run_read
    from ddbtui.core.requests import build
    from ddbtui.core.saved import bind, parse_param_args

    query = SavedStore().get(args.name)
    req = bind(query, parse_param_args(args.param))
    if req.operation == "sql":
        build(req, None)  # refuse bad input before connecting
    with connect(args, demo_tables=[req.table] if req.operation != "sql" else None) as (client, conn):
        return _run_read(client, conn, req, output_format(args), args.start_key)


def run_manage(args: argparse.Namespace) -> int:
    from ddbtui.aws.saved_store import SavedStore
    from ddbtui.core.errors import UsageError
    from ddbtui.core.saved import describe, format_query, to_json
    from ddbtui.core.values import safe_text

    store = SavedStore()
    if args.action == "list":
        queries = [q for q in store.load().values() if args.for_table in (None, q.table)]
        for q in queries:
            if args.json:
                sys.stdout.write(json.dumps(to_json(q), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(f"{safe_text(q.name)}\t{safe_text(describe(q))}\n")
        if not queries and not args.json:
            sys.stderr.write(f"no saved queries in {store.path}\n")
        return EXIT_OK
    if not args.name:
        raise UsageError(f"saved {args.action} needs the query's NAME")
    query = store.get(args.name)
    if args.action == "show":
        if args.json:
            sys.stdout.write(json.dumps(to_json(query), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write("".join(safe_text(line) + "\n" for line in format_query(query).splitlines()))
        return EXIT_OK
    store.delete(args.name)
    sys.stderr.write(f"deleted saved query {safe_text(args.name)} from {store.path}\n")
    return EXIT_OK
