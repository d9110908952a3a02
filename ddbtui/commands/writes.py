"""``put``, ``update``, ``delete``, ``import`` and ``undo``: writes from the command line, refused without --allow-writes.

stdout gets one JSON document per write (``operation``, ``table``, ``key``, ``old``, ``new``,
``consumed_capacity``, ``journal_id``); stderr a one-line summary. A failed condition exits 3 with the
item as it is now (``{"conflict": true, "current": ...}`` on stdout, escaped text on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ddbtui.commands.common import EXIT_AWS, EXIT_OK, allow_writes_option

SHOWN = 20  # lines on stderr about the writes of one group (an import's undo may take back thousands)


def _write_options(p: argparse.ArgumentParser, *, ddb_json: bool = True) -> None:
    allow_writes_option(
        p, "enable writes (ddbtui is read-only by default); --allow-writes=Orders,Users allows only those"
    )
    if ddb_json:
        p.add_argument(
            "--ddb-json",
            action="store_true",
            help='read --item/--key as DynamoDB JSON ({"S": ...}, {"SS": [...]}, {"B": base64}) for sets and binary',
        )
    p.add_argument(
        "--format", choices=("json", "ddb-json"), default="json", help="how items are printed (default json)"
    )


def _placeholders(p: argparse.ArgumentParser) -> None:
    p.add_argument("--names", help='JSON of #name placeholders, e.g. {"#s": "status"}')
    p.add_argument("--values", help='JSON of :value placeholders, e.g. {":v": "OPEN"}')


def add_parser(command: Any) -> None:
    p = command("put", "PutItem: create an item (never replaces one unless --overwrite or --condition)")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--item", required=True, metavar="JSON", help='the item, e.g. {"pk": "A", "n": 1}')
    p.add_argument(
        "--condition", metavar="EXPR", help="write only if this holds (instead of the create-only check)"
    )
    p.add_argument("--overwrite", action="store_true", help="replace an existing item with the same key")
    _placeholders(p)
    _write_options(p)
    p.set_defaults(run=run_put)

    p = command("update", 'UpdateItem with an update expression, e.g. "SET a = a + 1 REMOVE b"')
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--key", required=True, metavar="JSON", help='the key, e.g. {"pk": "A", "sk": "B"}')
    p.add_argument("--update", required=True, metavar="EXPR", help="SET / REMOVE / ADD / DELETE actions")
    p.add_argument("--condition", metavar="EXPR", help="write only if this holds")
    p.add_argument("--upsert", action="store_true", help="create the item when it does not exist")
    _placeholders(p)
    _write_options(p)
    p.set_defaults(run=run_update)

    p = command("delete", "DeleteItem by key (the old image is kept in the journal for undo)")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--key", required=True, metavar="JSON", help='the key, e.g. {"pk": "A", "sk": "B"}')
    p.add_argument("--condition", metavar="EXPR", help="delete only if this holds")
    p.add_argument("--missing-ok", action="store_true", help="succeed when there is no such item")
    _placeholders(p)
    _write_options(p)
    p.set_defaults(run=run_delete)

    p = command(
        "import",
        "load a JSON Lines file of items: never replaces an existing item unless --overwrite; undoable",
    )
    p.description = (
        "Put every item of a JSON Lines file (every line is parsed and checked first). Each item is a "
        "conditional PutItem (attribute_not_exists), 8 at a time: an item whose key exists already is "
        "left as it is and its key reported (exit 3). --overwrite replaces such items, keeping their old "
        "images. The import is journaled as one group that `ddbtui undo` takes back. The journal stays "
        "bounded: per item about 400 bytes plus the key and a digest of the item written (never the item), "
        "plus the old image of each item --overwrite replaced."
    )
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--file",
        required=True,
        metavar="FILE",
        help="one item a line (plain JSON, or --ddb-json); - for stdin",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace existing items (their old images are journaled for undo)",
    )
    p.add_argument(
        "--skipped-keys",
        metavar="FILE",
        help="write the key of every item skipped (it exists) to this new file",
    )
    _write_options(p)
    p.set_defaults(run=run_import)
    from ddbtui.commands.s3_export import add_import_options

    add_import_options(p, run_import)  # --s3 s3://B/P --to NEW --key pk:S: ImportTable (s3_export.py)

    p = command("undo", "undo the last write in the journal (shows it without --allow-writes)")
    _write_options(p, ddb_json=False)
    p.set_defaults(run=run_undo)


# --- output ----------------------------------------------------------------------------------------


def _item_json(item: dict[str, Any] | None, fmt: str) -> str:
    from ddbtui.core.values import av_to_ddb_json, item_to_plain_json

    if item is None:
        return "null"
    if fmt == "ddb-json":
        return json.dumps({k: av_to_ddb_json(v) for k, v in item.items()}, ensure_ascii=False)
    return item_to_plain_json(item)


def _say(text: str) -> None:
    from ddbtui.core.values import safe_text

    sys.stderr.write(safe_text(text) + "\n")


def _capacity_text(cap: Any) -> str:
    from ddbtui.core.capacity import format_units

    text = f"{format_units(cap.total)} WCU"
    if cap.indexes:
        parts = [f"table {format_units(cap.table)}"] + [
            f"{n} {format_units(u)}" for n, u in cap.indexes.items()
        ]
        text += f" ({', '.join(parts)})"
    return text + (" (est.)" if cap.estimated else "")


def _what_happened(op: str, old: Any, new: Any) -> str:
    from ddbtui.core.writes import diff_items

    if new is None:
        return "deleted" if old is not None else "no item to delete"
    if old is None:
        return "created"
    changes = diff_items(old, new)
    if not changes:
        return "written, unchanged"
    names = ", ".join(c.name for c in changes[:6]) + (", …" if len(changes) > 6 else "")
    verb = "replaced" if op == "put" else "updated"
    return f"{verb}: {len(changes)} attribute{'s' if len(changes) != 1 else ''} changed ({names})"


def _print_result(result: Any, prefer_estimate: bool, fmt: str, say: bool = True) -> None:
    from ddbtui.core.writes import key_text

    req = result.request
    cap = result.capacity(prefer_estimate)
    rid = result.record.id if result.record else None
    sys.stdout.write(
        "{"
        f'"operation": {json.dumps(result.record.operation if result.record else req.operation)}, '
        f'"table": {json.dumps(req.table, ensure_ascii=False)}, '
        f'"key": {_item_json(req.key, fmt)}, '
        f'"old": {_item_json(result.old, fmt)}, '
        f'"new": {_item_json(result.new, fmt)}, '
        f'"consumed_capacity": {json.dumps(cap.to_json())}, '
        f'"journal_id": {json.dumps(rid)}'
        "}\n"
    )
    if not say:
        return
    for w in result.warnings:
        _say(f"note: {w}")
    undo = "undo: " if result.record is not None and result.record.undoes else ""
    _say(
        f"{undo}{req.operation} {req.table} {key_text(req.key)}: "
        f"{_what_happened(req.operation, result.old, result.new)} · {_capacity_text(cap)}"
    )


def _print_conflict(e: Any, fmt: str) -> None:
    sys.stdout.write(f'{{"conflict": true, "current": {_item_json(e.current, fmt)}}}\n')
    _say(f"ddbtui: {e.code}: {e}")
    if e.current is not None:
        _say(f"  the item now: {_item_json(e.current, 'json')}")


# --- commands -------------------------------------------------------------------------------------------


def _setup(args: argparse.Namespace, tables: list[str]) -> tuple[Any, Any, Any]:
    from ddbtui.commands.common import json_arg
    from ddbtui.core.writes import WritePolicy

    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    for t in tables:
        policy.check(t)  # before connecting: a refused write costs nothing
    names = json_arg(getattr(args, "names", None), "--names")
    values = json_arg(getattr(args, "values", None), "--values")
    return policy, names, values


def _run_one(args: argparse.Namespace, build: Any) -> int:
    from ddbtui.aws.catalog import load_schema
    from ddbtui.aws.writes import Journal, execute
    from ddbtui.commands.common import connect
    from ddbtui.core.capacity import Ledger
    from ddbtui.core.writes import WriteConflict

    policy, names, values = _setup(args, [args.table])
    journal = Journal()
    with connect(args, demo_tables=[args.table]) as (client, conn):
        schema = load_schema(client, args.table)
        request = build(schema, names, values)
        ledger = Ledger(region=client.meta.region_name)
        try:
            result = execute(
                client, request, schema, policy=policy, journal=journal, ledger=ledger,
                prefer_estimate=conn.estimate_capacity,
            )  # fmt: skip
        except WriteConflict as e:
            _print_conflict(e, args.format)
            return EXIT_AWS
    _print_result(result, conn.estimate_capacity, args.format)
    return EXIT_OK


def run_put(args: argparse.Namespace) -> int:
    from ddbtui.core.writes import parse_item, put_request

    item = parse_item(args.item, ddb_json=args.ddb_json)
    return _run_one(
        args,
        lambda schema, names, values: put_request(
            schema, item, condition=args.condition, overwrite=args.overwrite, names=names, values=values
        ),
    )


def run_update(args: argparse.Namespace) -> int:
    from ddbtui.core.errors import ExprError
    from ddbtui.core.expr.update import parse_update
    from ddbtui.core.writes import parse_key, update_request

    try:
        parse_update(args.update)  # a bad expression is refused before connecting
    except ExprError as e:
        e.message, e.text = f"update: {e.message}", args.update
        raise
    return _run_one(
        args,
        lambda schema, names, values: update_request(
            schema,
            parse_key(args.key, schema, ddb_json=args.ddb_json),
            args.update,
            condition=args.condition,
            upsert=args.upsert,
            names=names,
            values=values,
        ),
    )


def run_delete(args: argparse.Namespace) -> int:
    from ddbtui.core.writes import delete_request, parse_key

    return _run_one(
        args,
        lambda schema, names, values: delete_request(
            schema,
            parse_key(args.key, schema, ddb_json=args.ddb_json),
            condition=args.condition,
            missing_ok=args.missing_ok,
            names=names,
            values=values,
        ),
    )


def run_undo(args: argparse.Namespace) -> int:
    from ddbtui.aws.writes import Journal, undo_last
    from ddbtui.commands.admin_run import admin_change_is_newer, run_admin_undo
    from ddbtui.commands.common import connect
    from ddbtui.core.capacity import Ledger
    from ddbtui.core.errors import UsageError
    from ddbtui.core.writes import WritePolicy, key_text

    if admin_change_is_newer():  # the latest change not undone is a table change: take that back first
        return run_admin_undo(args)
    journal = Journal()
    records = journal.pending_undo()
    if not records:
        raise UsageError(f"nothing to undo: the journal ({journal.path}) has no write left to undo")
    for r in records[:SHOWN]:
        _say(f"last write: {r.operation} {r.table} {key_text(r.key)} at {r.time} ({r.endpoint}, {r.region})")
    if len(records) > SHOWN:
        _say(f"… and {len(records) - SHOWN:,} more writes of the same group (one import or batch)")
    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    if not policy.enabled:
        raise UsageError("undo writes to the table: re-run with --allow-writes to undo the write above")
    for r in records:
        policy.check(r.table)
    with connect(args) as (client, conn):
        ledger = Ledger(region=client.meta.region_name)
        result = undo_last(
            client, journal, policy=policy, ledger=ledger, prefer_estimate=conn.estimate_capacity
        )
    for r in result.unchanged[:SHOWN]:
        _say(f"{r.operation} {r.table} {key_text(r.key)} changed nothing; marked undone")
    for n, res in enumerate(result.results):
        _print_result(res, conn.estimate_capacity, args.format, say=n < SHOWN)
    if len(result.results) > SHOWN:
        _say(f"undone: {len(result.results):,} writes (one JSON line each on stdout)")
    for _record, conflict in result.conflicts:
        _print_conflict(conflict, args.format)
    return EXIT_OK if result.ok else EXIT_AWS


def run_import(args: argparse.Namespace) -> int:
    """Every line is parsed and checked before the first write; then conditional puts (see the command's
    description). Exit 0 when every item was written, 3 when any was skipped or failed."""
    from ddbtui.aws.catalog import load_schema
    from ddbtui.aws.writes import BatchWriteError, Journal, import_items, load_jsonl
    from ddbtui.aws.writes.importer import read_lines
    from ddbtui.commands.common import connect
    from ddbtui.core.capacity import Ledger
    from ddbtui.core.errors import UsageError

    policy, _names, _values = _setup(args, [args.table])
    if args.skipped_keys and os.path.lexists(args.skipped_keys):
        raise UsageError(f"--skipped-keys {args.skipped_keys} exists already: name a new file")
    lines = read_lines(args.file)  # before connecting: a file that cannot be read costs nothing
    journal = Journal()
    stopped = None
    with connect(args, demo_tables=[args.table]) as (client, conn):
        schema = load_schema(client, args.table)
        items = load_jsonl(lines, schema, ddb_json=args.ddb_json)
        ledger = Ledger(region=client.meta.region_name)
        progress = None
        if sys.stderr.isatty():

            def progress(done: int, total: int) -> None:
                sys.stderr.write(f"\rimporting: {done:,}/{total:,} items")
                sys.stderr.flush()

        try:
            result = import_items(client, schema, items, policy=policy, overwrite=args.overwrite, journal=journal,
                                  ledger=ledger, prefer_estimate=conn.estimate_capacity, progress=progress)  # fmt: skip
        except BatchWriteError as e:
            result, stopped = e.result, str(e)
    if progress is not None:
        sys.stderr.write("\r\x1b[K")
    _import_report(args, result, conn.estimate_capacity, stopped)
    return EXIT_OK if result.ok and stopped is None else EXIT_AWS


def _import_report(args: argparse.Namespace, result: Any, prefer_estimate: bool, stopped: str | None) -> None:
    from ddbtui.core.writes import key_text

    cap = result.capacity(prefer_estimate)
    doc = {"table": args.table, "total": result.total, "written": result.written, "replaced": result.replaced,
           "skipped": len(result.skipped), "failed": len(result.failed), "requests": result.requests,
           "consumed_capacity": cap.to_json() if cap else None,
           "journal_group": result.group if result.written else None}  # fmt: skip
    sys.stdout.write(json.dumps(doc) + "\n")
    if args.skipped_keys and result.skipped:
        with open(args.skipped_keys, "x", encoding="utf-8") as f:
            f.writelines(_item_json(k, args.format) + "\n" for k in result.skipped)
    for failure in result.failed[:20]:
        _say(f"failed: {failure.operation} {key_text(failure.key)}: {failure.reason}")
    if result.skipped:
        n = len(result.skipped)
        shown = ", ".join(key_text(k) for k in result.skipped[:5]) + (", …" if n > 5 else "")
        where = (
            f" (all in {args.skipped_keys})" if args.skipped_keys else " (--skipped-keys FILE lists them all)"
        )
        _say(f"skipped {n:,} item{'s' if n != 1 else ''} whose key exists already: {shown}{where}; "
             "they were left as they are (--overwrite replaces them)")  # fmt: skip
    if stopped:
        _say(f"ddbtui: import stopped: {stopped}")
    _say(
        f"imported {result.written:,} of {result.total:,} items into {args.table} in {result.requests:,} request{'s' if result.requests != 1 else ''}"
        + (f" ({result.replaced:,} replaced)" if result.replaced else "")
        + (f" · {_capacity_text(cap)}" if cap else "")
        + (f" · {len(result.failed):,} FAILED" if result.failed else "")
        + (" · `ddbtui undo --allow-writes` takes it back" if result.written else "")
    )
