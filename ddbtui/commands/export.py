"""``ddbtui export``: a table to JSON Lines, CSV, DynamoDB JSON or Parquet, by a (parallel) Scan, resumable.

``--s3 s3://BUCKET/PREFIX`` runs DynamoDB's own export to S3 instead (``commands/s3_export.py``).

A progress bar (items, pages, capacity, rate, ETA from ItemCount) goes to stderr when it is a terminal;
a one-line summary always. ``--max-capacity`` stops cleanly at a read budget, Ctrl-C stops at once: both
leave ``FILE.ddbtui-state.json`` beside the output, and ``--resume`` continues with no duplicate and no gap.
The pages go to ``FILE.ddbtui-partial``, renamed over FILE when the export is complete; an existing FILE
is refused unless ``--overwrite``. Exit status: 0 done, 2 bad usage or a file problem (one line), 3 an AWS
error, 4 stopped at ``--max-capacity`` (resume later), 130 interrupted.
``--segments N`` (N ≥ 2) reads and formats the segments in worker processes (``--processes``, default
min(N, CPU cores)); this process still writes, commits and resumes every page as with threads.
"""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.commands.argtypes import count, positive_float, positive_int

EXIT_CAPACITY_CAP = 4  # stopped at --max-capacity: "not done yet, resume later", unlike 0


def add_parser(command: Any) -> None:
    p = command(
        "export", "export a table to a file (JSON Lines, CSV, DynamoDB JSON, Parquet; resumable) or to S3"
    )
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="output file: a new path, or an existing regular file with --overwrite (written with mode "
        "0600); required but with --s3",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing FILE (it is kept whole until the new export is complete)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "csv", "ddb-json", "parquet", "ion"),
        help="jsonl: plain JSON per line (default); csv: every attribute a column; ddb-json: typed; "
        "parquet: typed columns (needs ddbtui[parquet]); ion: --s3 only",
    )
    p.add_argument("--filter", metavar="EXPR", help="export only items matching (all items are still read)")
    p.add_argument("--names", help='JSON of #name placeholders, e.g. {"#s": "status"}')
    p.add_argument("--values", help='JSON of :value placeholders, e.g. {":v": "OPEN"}')
    p.add_argument("--segments", type=positive_int, default=1, metavar="N", help="parallel scan segments")
    p.add_argument(
        "--processes",
        type=count,
        metavar="N",
        help="worker processes that read and format the segments (default with --segments N ≥ 2: "
        "min(N, CPU cores)); 0 or 1: every segment a thread of this one process. One process formats "
        "about 20k items/s, so at real network latency more segments only go faster in more processes",
    )
    p.add_argument("--page-size", type=positive_int, metavar="N", help="DynamoDB's Limit per request")
    p.add_argument(
        "--max-capacity",
        type=positive_float,
        metavar="RCU",
        help="stop cleanly after this many read units in this run (continue later with --resume)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted export from FILE.ddbtui-state.json (same options)",
    )
    from ddbtui.commands.s3_export import add_export_options

    add_export_options(p)  # --s3 (DynamoDB's export to S3), --download DIR
    p.set_defaults(run=run)


class _Bar:
    """A Rich progress bar on stderr, or nothing when stderr is not a terminal."""

    def __init__(self, table: str, enabled: bool) -> None:
        self.table = table
        self.enabled = enabled
        self.progress: Any = None
        self.task: Any = None
        self.last: Any = None

    def __enter__(self) -> _Bar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

            from ddbtui.core.values import safe_text

            self.progress = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(bar_width=16),
                TaskProgressColumn(),
                TextColumn("{task.fields[info]}", markup=False),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            name = safe_text(self.table)
            name = name if len(name) <= 18 else name[:17] + "…"
            self.task = self.progress.add_task(name, total=None, info="starting")
        return self

    def __call__(self, p: Any) -> None:
        self.last = p
        if self.progress is None:
            return
        from ddbtui.core.capacity import format_units

        # fits 80 columns with the bar; "(est.)" is in the summary line
        info = f"{p.items:,} items · {p.pages:,} pg · {format_units(round(p.capacity))} RCU · {p.rate:,.0f}/s"
        total = max(p.expected, p.scanned) if p.expected else None
        self.progress.update(self.task, total=total, completed=p.scanned, info=info)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _resume_command() -> str:
    import shlex
    import sys

    argv = ["ddbtui", *sys.argv[1:]]
    if "--resume" not in argv:
        argv.append("--resume")
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    import sys

    from ddbtui.aws.export import ExportSpec, run_export
    from ddbtui.commands.common import EXIT_OK, connect, json_arg
    from ddbtui.core.capacity import format_cost, format_units
    from ddbtui.core.errors import UsageError
    from ddbtui.core.values import safe_text

    if args.s3:
        from ddbtui.commands.s3_export import run_export as run_s3_export

        return run_s3_export(args)
    for flag, given in (("--download", args.download), ("--incremental", args.incremental)):
        if given:
            raise UsageError(f"{flag} goes with --s3 s3://BUCKET/PREFIX")
    if not args.out:
        raise UsageError("export needs --out FILE (or --s3 s3://BUCKET/PREFIX)")
    if args.format == "ion":
        raise UsageError("ion is a format of DynamoDB's export to S3: add --s3 s3://BUCKET/PREFIX")
    spec = ExportSpec(
        table=args.table,
        out=args.out,
        fmt=args.format or "jsonl",
        filter=args.filter,
        names=json_arg(args.names, "--names"),
        values=json_arg(args.values, "--values"),
        segments=args.segments,
        page_size=args.page_size,
        max_capacity=args.max_capacity,
        overwrite=args.overwrite,
    )

    def note(message: str) -> None:
        sys.stderr.write(f"note: {safe_text(message).replace(chr(92) + 'n', chr(10))}\n")

    from ddbtui.aws.procsource import default_processes

    processes = args.processes
    if processes is None:
        processes = default_processes(spec.segments) if spec.segments >= 2 else 0
    with (
        connect(args, demo_tables=[args.table]) as (client, conn),
        _Bar(args.table, sys.stderr.isatty()) as bar,
    ):
        try:
            result = run_export(
                client,
                spec,
                resume=args.resume,
                estimate_capacity=conn.estimate_capacity,
                on_progress=bar,
                on_notice=note,
                connection=conn,
                processes=processes,
            )
        except KeyboardInterrupt:
            bar.__exit__()
            done = f" after {bar.last.items:,} items" if bar.last else ""
            sys.stderr.write(f"ddbtui: export stopped{done}; continue with:\n  {_resume_command()}\n")
            raise
        except Exception as e:
            # an AWS or connection error, or a full disk: main() prints it; say first that the committed
            # part is kept. A refused target or state (a UsageError) is not resumable as it is: no advice
            resumable = not isinstance(e, UsageError) or getattr(e, "resumable", False)
            if resumable and spec.state_path.exists():
                bar.__exit__()
                done = f" after {bar.last.items:,} items" if bar.last else ""
                sys.stderr.write(
                    f"ddbtui: export stopped{done}; once the cause is fixed, continue with:\n"
                    f"  {_resume_command()}\n"
                )
            raise
    p = result.progress
    est = " (est.)" if p.estimated else ""
    state = "exported" if result.complete else "partly exported"
    sys.stderr.write(
        f"{state} {p.items:,} items to {safe_text(str(result.out))} · scanned {p.scanned:,} · {p.pages:,} pages · "
        f"{format_units(round(p.capacity, 2))} RCU{est} · {format_cost(result.cost)} · "
        f"{p.rate:,.0f} items/s this run\n"
    )
    for n in result.notes:
        sys.stderr.write(f"ddbtui: {n}:\n  {_resume_command()}\n")
    return EXIT_CAPACITY_CAP if result.status == "capacity-cap" else EXIT_OK
