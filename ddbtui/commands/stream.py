"""``ddbtui stream``: tail a table's stream — inserts, updates (what changed) and deletes, live.

On a terminal each record is one readable line, every value made terminal-safe; otherwise (or with
``--format jsonl``) one JSON object per record. Stops on Ctrl-C (exit 130), ``--max-records`` or
``--idle-timeout``. A table without a stream exits 2 with the command that turns it on.
"""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.commands.argtypes import positive_int, positive_seconds

EVENT_STYLES = {"INSERT": "green", "MODIFY": "yellow", "REMOVE": "red"}


def add_parser(command: Any) -> None:
    p = command("stream", "tail the table's stream: inserts, updates and deletes as they happen")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--from-start",
        action="store_true",
        help="start at the oldest record the stream keeps (24 hours) instead of now",
    )
    p.add_argument(
        "--format",
        choices=("text", "jsonl"),
        help="text: one line per record (default on a terminal); jsonl: one JSON object per record",
    )
    p.add_argument("--max-records", type=positive_int, metavar="N", help="stop after N records")
    p.add_argument(
        "--idle-timeout", type=positive_seconds, metavar="S", help="stop after S seconds without a record"
    )
    p.add_argument(
        "--poll", type=positive_seconds, default=1.0, metavar="S", help="seconds between polls when idle (1)"
    )
    p.set_defaults(run=run)


# --------------------------------------------------------------------------------------------- output


def _iso(when: Any) -> str | None:
    if when is None:
        return None
    from datetime import UTC

    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def jsonl_line(ev: Any) -> str:
    """One record as a JSON object; items in plain JSON with exact numbers (as ``scan --format jsonl``)."""
    import json

    from ddbtui.core.values import item_to_plain_json

    d = ev.diff
    parts = [
        f'"event": {json.dumps(ev.event_name)}',
        f'"time": {json.dumps(_iso(ev.approximate_time))}',
        f'"keys": {item_to_plain_json(ev.keys)}',
        f'"added": {json.dumps(list(d.added), ensure_ascii=False)}',
        f'"removed": {json.dumps(list(d.removed), ensure_ascii=False)}',
        f'"changed": {json.dumps(list(d.changed), ensure_ascii=False)}',
        f'"old": {item_to_plain_json(ev.old) if ev.old is not None else "null"}',
        f'"new": {item_to_plain_json(ev.new) if ev.new is not None else "null"}',
        f'"ttl": {"true" if ev.by_ttl else "false"}',
        f'"sequence": {json.dumps(ev.sequence_number)}',
        f'"shard": {json.dumps(ev.shard_id)}',
    ]
    return "{" + ", ".join(parts) + "}"


def text_line(ev: Any, width: int = 24) -> Any:
    """One record as a Rich ``Text``: time, event, key, then what changed. Every value is escaped."""
    from rich.text import Text

    from ddbtui.core.values import display_av, safe_text

    t = Text(no_wrap=True, overflow="ellipsis")
    when = ev.approximate_time.astimezone().strftime("%H:%M:%S") if ev.approximate_time else "--:--:--"
    t.append(when, style="dim")
    t.append("  ")
    t.append(f"{ev.event_name:<6}", style=EVENT_STYLES.get(ev.event_name, "bold"))
    t.append("  ")
    t.append(" ".join(f"{safe_text(k)}={display_av(v, 40)}" for k, v in ev.keys.items()), style="bold")
    d = ev.diff
    if ev.old is None and ev.new is None:
        t.append("  (keys only)", style="dim")
    elif ev.event_name == "INSERT":
        names = [n for n in d.added if n not in ev.keys]
        shown = ", ".join(safe_text(n) for n in names[:6]) + (", …" if len(names) > 6 else "")
        t.append(f"  +{len(names)} attributes: {shown}" if names else "", style="green")
    elif ev.event_name == "REMOVE":
        if ev.by_ttl:
            t.append("  (expired: deleted by TTL)", style="dim")
    else:
        for name in d.changed:
            t.append("  ~", style="yellow")
            t.append(f"{safe_text(name)}: ")
            t.append(display_av(ev.old[name], width) if ev.old else "?")
            t.append(" → ", style="dim")
            t.append(display_av(ev.new[name], width) if ev.new else "?")
        for name in d.added:
            t.append(f"  +{safe_text(name)}", style="green")
            t.append(f"={display_av(ev.new[name], width)}" if ev.new else "")
        for name in d.removed:
            t.append(f"  -{safe_text(name)}", style="red")
        if not (d.changed or d.added or d.removed):
            t.append("  (no attribute changed)", style="dim")
    return t


def run(args: argparse.Namespace) -> int:
    import sys

    from ddbtui.aws.stream import StreamTail, stream_arn_of, streams_client
    from ddbtui.cli import EXIT_OK, connect
    from ddbtui.core.values import safe_text

    fmt = args.format or ("text" if sys.stdout.isatty() else "jsonl")
    console = None
    if fmt == "text":
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=False)
    count = 0
    with connect(args, demo_tables=[args.table]) as (client, conn):
        arn, view = stream_arn_of(client, args.table)
        tail = StreamTail(streams_client(conn), arn, from_start=args.from_start, poll_interval=args.poll)
        tail.start()
        shards = tail.shard_count
        sys.stderr.write(
            f"tailing {safe_text(args.table)} ({view}, {shards} shard{'s' if shards != 1 else ''}) "
            f"from {'the oldest record kept' if args.from_start else 'now'}; Ctrl-C stops\n"
        )
        sys.stderr.flush()
        for ev in tail.events(max_records=args.max_records, idle_timeout=args.idle_timeout):
            count += 1
            if console is not None:
                console.print(text_line(ev), crop=True)
            else:
                sys.stdout.write(jsonl_line(ev) + "\n")
                sys.stdout.flush()
    why = "idle" if args.max_records is None or count < args.max_records else "limit reached"
    sys.stderr.write(f"{count:,} record{'s' if count != 1 else ''} ({why})\n")
    return EXIT_OK
