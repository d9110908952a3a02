"""``ddbtui report``: the table's health and design report, in Markdown (default) or JSON.

Settings from every API that has them (an API the backend lacks shows as "unknown" with the reason), each
index with what it copies, and a bounded sample (``--sample N`` items under a capacity cap) for item
sizes, partition skew, item collections, TTL and index sparseness. Findings carry a severity, a
recommendation and the command that fixes them.
"""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.commands.argtypes import count, non_negative_float, positive_float, positive_int
from ddbtui.commands.common import allow_writes_option

MAX_SEGMENTS = 1_000_000  # DynamoDB's limit on a Scan's TotalSegments


def add_parser(command: Any) -> None:
    p = command("report", "table health and design report: settings, indexes, a bounded sample, findings")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--sample",
        type=count,
        default=2000,
        metavar="N",
        help="items to sample (default 2000; 0: settings only)",
    )
    p.add_argument(
        "--max-capacity",
        type=positive_float,
        metavar="RCU",
        help="read units for the sample and the key census together (default: N/4, at least 50)",
    )
    p.add_argument(
        "--no-census",
        dest="census",
        action="store_false",
        help="skip the key census (partition keys counted over whole segments after the sample)",
    )
    p.add_argument(
        "--segments",
        type=positive_int,
        metavar="N",
        help="parallel segments of the sample (default: one per 250 items, up to 8)",
    )
    p.add_argument(
        "--max-rate",
        type=non_negative_float,
        metavar="RCU_PER_S",
        help="read the sample at most this fast (default: a quarter of the provisioned read capacity of a "
        "provisioned table, unpaced on demand; 0: unpaced)",
    )
    p.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    p.add_argument(
        "--fix",
        metavar="ID",
        help="apply the fix of the finding with this ID (printed by the report): its plan is printed, "
        "and sent only with --allow-writes; journaled, so `ddbtui undo` reverses it",
    )
    allow_writes_option(p, "with --fix: send the change (ddbtui is read-only by default)")
    p.add_argument("--dry-run", action="store_true", help="with --fix: print the plan and send no change")
    p.add_argument(
        "--wait-timeout",
        type=positive_float,
        metavar="SECONDS",
        help="with --fix: give up waiting for a step after this long (DynamoDB goes on)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from ddbtui.aws.report import gather
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.capacity import format_units
    from ddbtui.core.errors import UsageError
    from ddbtui.core.report import findings, render_markdown, report_json

    if args.segments is not None and args.segments > MAX_SEGMENTS:
        raise UsageError(f"--segments is at most {MAX_SEGMENTS:,} (DynamoDB's limit on TotalSegments)")
    if args.segments is not None and args.segments > max(args.sample, 1):
        raise UsageError(f"--segments {args.segments:,} is more than the --sample of {args.sample:,} items")
    tty = sys.stderr.isatty()

    def progress(p: Any) -> None:
        if tty:
            units = format_units(round(p.capacity, 1))
            sys.stderr.write(
                f"\rcounting partition keys: {p.census_items:,} items · {units} RCU\033[K"
                if p.phase == "census"
                else f"\rsampling: {p.items:,}/{p.requested:,} items · {units} RCU"
            )
            sys.stderr.flush()

    if args.fix is not None:
        from ddbtui.commands.report_fix import run_fix

        return run_fix(args, progress)
    with connect(args, demo_tables=[args.table]) as (client, conn):
        facts = gather(
            client,
            conn,
            args.table,
            sample=args.sample,
            max_capacity=args.max_capacity,
            segments=args.segments,
            on_progress=progress,
            max_rate=args.max_rate,
            census=args.census,
        )
    if tty and args.sample:
        sys.stderr.write("\r\x1b[K")
    found = findings(facts)
    if args.format == "json":
        # ASCII on a terminal: table data may hold C1 controls that JSON leaves as they are
        sys.stdout.write(
            json.dumps(report_json(facts, found), indent=2, ensure_ascii=sys.stdout.isatty(), default=str)
            + "\n"
        )
    else:
        sys.stdout.write(render_markdown(facts, found))
    counts = {s: sum(1 for f in found if f.severity == s) for s in ("critical", "warning", "info")}
    sys.stderr.write(
        f"{len(found)} findings: {counts['critical']} critical, {counts['warning']} warning, {counts['info']} info\n"
    )
    return EXIT_OK
