"""``ddbtui tables`` and ``ddbtui describe``: the tables of an account and one table's design."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ddbtui.commands.common import EXIT_OK, connect, format_option, output_format, print_records


def add_parser(command: Any) -> None:
    p = command("tables", "list the tables with billing mode, item count and indexes")
    format_option(p)
    p.set_defaults(run=cmd_tables)

    p = command("describe", "describe a table: keys, indexes, billing, TTL, stream")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--as-create",
        action="store_true",
        help="print the table's design as CreateTable JSON (what create-table --from-json takes)",
    )
    format_option(p)
    p.set_defaults(run=cmd_describe)


def cmd_tables(args: argparse.Namespace) -> int:
    from ddbtui.aws.catalog import table_summaries

    # --demo: the tables are created but not loaded (seconds saved); the demo data's own counts and sizes
    # are what a loaded table would report
    with connect(args, demo_tables=[]) as (client, conn):
        schemas = table_summaries(client)
    if conn.demo:
        from ddbtui.aws.demo_data import sized_schema

        schemas = [sized_schema(s) for s in schemas]
    fmt = output_format(args)
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
    print_records(
        rows, fmt, ["name", "billing_mode", "item_count", "partition_key", "sort_key", "gsis", "lsis"]
    )
    return EXIT_OK


def cmd_describe(args: argparse.Namespace) -> int:
    if getattr(args, "as_create", False):
        from ddbtui.commands.admin_run import run_as_create

        return run_as_create(args)
    from ddbtui.aws.catalog import describe, ttl_attribute
    from ddbtui.core.schema import TableSchema

    with connect(args, demo_tables=[args.table]) as (client, _conn):
        desc = describe(client, args.table)
        ttl = ttl_attribute(client, args.table)
    fmt = output_format(args)
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
    print_records(rows, fmt, list(rows[0]))
    return EXIT_OK
