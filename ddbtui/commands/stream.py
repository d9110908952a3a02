"""``ddbtui stream``: tail a table's stream — inserts, updates (what changed) and deletes, live.

On a terminal each record is one readable line, every value made terminal-safe; otherwise (or with
``--format jsonl``) one JSON object per record. Stops on Ctrl-C (exit 130), ``--max-records`` or
``--idle-timeout``. A table without a stream exits 2 with the command that turns it on.
"""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.commands.argtypes import positive_int, positive_seconds
from ddbtui.core.stream_lines import EVENT_STYLES, jsonl_line, text_line  # noqa: F401 - the lines live in core


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


def _stop_on_interrupt(tail: Any) -> None:
    """Ctrl-C (SIGINT) and SIGTERM end the tail even when the signal reaches the process while a read is
    in flight: the handler marks the tail cancelled (its loop checks before every read and wait) and then
    interrupts, so whichever comes first stops it. ``DDBTUI_DUMP_STACKS=1`` makes SIGUSR1 print every
    thread's stack to stderr (how a stuck tail is diagnosed)."""
    import os
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: Any) -> None:
        tail.cancel.set()
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job keeps ignoring it
        signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if os.environ.get("DDBTUI_DUMP_STACKS") == "1":
        import faulthandler

        faulthandler.register(signal.SIGUSR1, all_threads=True)


def run(args: argparse.Namespace) -> int:
    import sys

    from ddbtui.aws.stream import StreamTail, stream_arn_of, streams_client
    from ddbtui.commands.common import EXIT_OK, connect
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
        _stop_on_interrupt(tail)
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
