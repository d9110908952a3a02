"""``ddbtui export TABLE --s3 s3://BUCKET/PREFIX`` and ``ddbtui import --s3 s3://BUCKET/PREFIX --to NEW``.

DynamoDB's own export (ExportTableToPointInTime: no read capacity, any table size, needs PITR) and import
(ImportTable into a new table). Progress lines go to stderr while DescribeExport / DescribeImport is
polled; the result (the export's manifest and files, the downloaded and converted file) is one JSON object
on stdout. An export writes to S3, not to the table: no ``--allow-writes``. An import creates a table:
``--allow-writes`` (``--allow-writes=NEW``), as ``create-table``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ddbtui.commands.argtypes import positive_seconds

LOCAL_FORMATS = ("jsonl", "csv", "ddb-json", "parquet")


def add_export_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("DynamoDB's export to S3 (--s3)")
    g.add_argument(
        "--s3",
        metavar="s3://BUCKET/PREFIX",
        help="export with DynamoDB's ExportTableToPointInTime (no read capacity; needs PITR) to this "
        "place; --format ddb-json (default) or ion",
    )
    g.add_argument(
        "--download",
        metavar="DIR",
        help="then fetch the files into DIR/data/ and convert them to DIR/TABLE.FORMAT (--format jsonl "
        "(default), csv, ddb-json or parquet; --out FILE names it)",
    )
    g.add_argument("--incremental", action="store_true", help="export the changes between --from and --to")
    g.add_argument("--from", dest="from_time", metavar="T", help="incremental: from this time (ISO 8601)")
    g.add_argument("--to", dest="to_time", metavar="T", help="incremental: to this time (ISO 8601)")
    g.add_argument(
        "--poll",
        type=positive_seconds,
        metavar="SECONDS",
        help="DescribeExport every this many seconds (default 10; 0.2 on a local emulator)",
    )


def add_import_options(p: argparse.ArgumentParser, run_local: Any) -> None:
    """``import --s3 URL --to NEW --key pk:S[,sk:S]`` beside ``import TABLE --file FILE``."""
    for action in p._actions:  # TABLE and --file are needed only without --s3 (checked in run)
        if action.dest == "table":
            action.nargs, action.required, action.default = "?", False, None
        elif action.dest == "file":
            action.required = False
    g = p.add_argument_group("DynamoDB's import from S3 (--s3)")
    g.add_argument(
        "--s3", metavar="s3://BUCKET/PREFIX", help="ImportTable: DynamoDB JSON files into a new table"
    )
    g.add_argument("--to", dest="to_table", metavar="NEW", help="the table to create (it must not exist)")
    g.add_argument("--key", metavar="pk:S[,sk:S]", help="the new table's key (types S, N or B)")
    g.add_argument("--poll", type=positive_seconds, metavar="SECONDS", help="DescribeImport interval")

    def run(args: argparse.Namespace) -> int:
        from ddbtui.core.errors import UsageError

        if args.s3:
            if args.table or args.file:
                raise UsageError("import --s3 reads S3, not TABLE --file: give --s3 URL --to NEW --key pk:S")
            return run_import(args)
        if not args.table or not args.file:
            raise UsageError("import needs TABLE --file FILE (or --s3 URL --to NEW --key pk:S)")
        return int(run_local(args))

    p.set_defaults(run=run)


def _poll(args: argparse.Namespace, conn: Any) -> float:
    if args.poll is not None:
        return float(args.poll)
    return 0.2 if conn.is_emulator else 10.0


def _progress(label: str) -> Any:
    from ddbtui.core.s3_export import progress_line
    from ddbtui.core.values import safe_text

    last: list[str] = []

    def show(desc: dict[str, Any], elapsed: float) -> None:
        line = progress_line(desc, elapsed)
        same = line.rsplit(" · ", 1)[0]
        if not last or last[0] != same or sys.stderr.isatty():
            sys.stderr.write(f"{label}: {safe_text(line)}\n")
            sys.stderr.flush()
            last[:] = [same]

    return show


def _say(text: str) -> None:
    from ddbtui.core.values import safe_text

    sys.stderr.write("".join(safe_text(line) + "\n" for line in text.split("\n")))


def run_export(args: argparse.Namespace) -> int:
    from ddbtui.aws import s3_transfer
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.errors import UsageError
    from ddbtui.core.s3_export import parse_s3_url, parse_time

    url = parse_s3_url(args.s3)
    fmt = args.format
    if args.download:
        s3_fmt, out_fmt = "ddb-json", fmt or "jsonl"
        if out_fmt == "ion":
            raise UsageError("--download converts DynamoDB JSON exports: drop --format ion, or --download")
        if out_fmt not in LOCAL_FORMATS:
            raise UsageError(f"--download converts to {', '.join(LOCAL_FORMATS)}, not {out_fmt}")
        if out_fmt == "parquet":
            from ddbtui.aws.parquet_writer import require_pyarrow

            require_pyarrow()
    else:
        s3_fmt, out_fmt = fmt or "ddb-json", None
        if s3_fmt not in ("ddb-json", "ion"):
            raise UsageError(
                f"an export to S3 is ddb-json or ion; add --download DIR to convert it to {s3_fmt} here"
            )
        if args.out:
            raise UsageError("--out names the converted file of --download DIR")
    start = parse_time(args.from_time, "--from") if args.from_time else None
    end = parse_time(args.to_time, "--to") if args.to_time else None
    out: Path | None = None
    if args.download:
        ext = {"jsonl": "jsonl", "csv": "csv", "ddb-json": "ddb.jsonl", "parquet": "parquet"}[out_fmt]
        out = Path(args.out) if args.out else Path(args.download) / f"{args.table}.{ext}"
        from ddbtui.aws.export_target import check_target

        check_target(out, overwrite=args.overwrite, resume=False)  # before the export is started (and paid)
    with connect(args, demo_tables=[args.table]) as (client, conn):
        s3 = s3_transfer.s3_client(conn, client)
        first = s3_transfer.start_export(client, args.table, url, s3_fmt, args.incremental, start, end)
        arn = first["ExportArn"]
        _say(f"export of {args.table} to {url} started: {arn}")
        try:
            desc = s3_transfer.wait_export(client, first, _progress("export"), _poll(args, conn))
        except KeyboardInterrupt:
            _say(
                "stopped watching; the export goes on inside DynamoDB. See it with:\n"
                f"  aws dynamodb describe-export --export-arn {arn}"
            )
            raise
        files = s3_transfer.export_files(s3, desc)
        if files.note:
            _say(f"note: {files.note}")
        result: dict[str, Any] = {
            "export_arn": desc["ExportArn"],
            "status": desc["ExportStatus"],
            "format": desc.get("ExportFormat"),
            "type": desc.get("ExportType"),
            "item_count": desc.get("ItemCount"),
            "billed_size_bytes": desc.get("BilledSizeBytes"),
            "manifest": [f"s3://{url.bucket}/{k}" for k in files.manifest],
            "files": [{"url": f"s3://{url.bucket}/{k}", "size": n} for k, n in files.data],
        }
        for k, n in files.data:
            _say(f"  s3://{url.bucket}/{k} ({n:,} bytes)")
        if args.download:
            folder = Path(args.download)
            paths = s3_transfer.download(s3, url.bucket, [k for k, _ in files.data], folder)
            assert out is not None and out_fmt is not None
            from ddbtui.aws.catalog import load_schema

            keys = load_schema(client, args.table).key.attributes
            rows = s3_transfer.convert(paths, out_fmt, out, tuple(keys))
            result["download"] = {
                "files": [str(p) for p in paths],
                "out": str(out),
                "format": out_fmt,
                "items": rows,
            }
            _say(f"downloaded {len(paths)} file(s) to {folder / 'data'}; {rows:,} items written to {out}")
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from ddbtui.aws import s3_transfer
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.admin.specs import check_name, parse_key
    from ddbtui.core.errors import UsageError
    from ddbtui.core.s3_export import parse_s3_url
    from ddbtui.core.writes import WritePolicy

    url = parse_s3_url(args.s3)
    if not args.to_table or not args.key:
        raise UsageError("import --s3 needs --to NEW (a table to create) and --key pk:S[,sk:S]")
    table = check_name(args.to_table, "--to")
    key = parse_key(args.key)
    WritePolicy.from_flag(getattr(args, "allow_writes", None)).check(table)  # it creates a table
    with connect(args) as (client, conn):
        if table in _tables(client):
            raise UsageError(f"{table} exists: import --s3 creates a new table; choose another --to")
        s3 = s3_transfer.s3_client(conn, client)
        source, gz, note = s3_transfer.import_source(s3, url)
        if note:
            _say(f"note: {note}")
        first = s3_transfer.start_import(client, source, table, key, gz)
        _say(f"import of {source} into {table} started: {first['ImportArn']}")
        desc = s3_transfer.wait_import(client, first, _progress("import"), _poll(args, conn))
    sys.stdout.write(
        json.dumps(
            {
                "import_arn": desc["ImportArn"],
                "status": desc["ImportStatus"],
                "table": table,
                "source": str(source),
                "compression": "GZIP" if gz else "NONE",
                "imported": desc.get("ImportedItemCount"),
                "processed": desc.get("ProcessedItemCount"),
                "errors": desc.get("ErrorCount"),
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    return EXIT_OK


def _tables(client: Any) -> set[str]:
    names: set[str] = set()
    for page in client.get_paginator("list_tables").paginate():
        names.update(page.get("TableNames") or [])
    return names
