"""``ddbtui metrics TABLE``: a table's CloudWatch metrics over a window, what throttles it and why, and
what its billing mode should be.

One GetMetricData call per run (``--since 15m|6h|3d|2w``, default 3h; the period fits the window or is
given). ``text`` (default): a compact table with a sparkline, the peak, the average and the peak's time
per series, then the throttling diagnosis and the billing advice; ``json`` and ``csv`` give the points.
With ``--demo`` the embedded backend's CloudWatch holds two weeks of synthetic metrics.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(command: Any) -> None:
    p = command("metrics", "CloudWatch metrics of a table and its GSIs, throttling diagnosis, billing advice")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--since", default="3h", metavar="W", help="the window: 15m, 6h, 3d, 2w... (default 3h)")
    p.add_argument(
        "--period",
        metavar="P",
        help="seconds per point, a multiple of 60 (5m, 1h also work; default: fits the window)",
    )
    p.add_argument("--index", metavar="NAME", help="only this GSI")
    p.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="text (default), json or csv points"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import csv
    import json
    import sys

    from ddbtui.aws.insights import read_insights
    from ddbtui.aws.metrics import read_metrics, seed_demo_metrics
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.errors import UsageError
    from ddbtui.core.metrics import WindowError, advise, diagnose, make_window
    from ddbtui.core.metrics.render import CSV_COLUMNS, csv_rows, metrics_json, render_text

    try:
        make_window(0, args.since, args.period)  # a window CloudWatch refuses: before connecting
    except WindowError as e:
        raise UsageError(str(e)) from None
    with connect(args, demo_tables=[]) as (client, conn):
        if conn.demo:
            seed_demo_metrics(client, conn, (args.table,))
        reading = read_metrics(
            client, conn, args.table, since=args.since, period=args.period, index=args.index
        )
        indexes = [args.index] if args.index else list(reading.settings.gsi_names)
        insights = read_insights(conn, args.table, indexes, reading.window)
    found = diagnose(reading.metrics, reading.settings)
    advice = advise(reading.metrics, reading.settings, reading.window) if args.index is None else None
    notes = list(reading.notes)
    if conn.demo:
        notes.insert(0, "demo: synthetic CloudWatch metrics (two weeks, seeded into the embedded backend)")
    if args.format == "json":
        doc = metrics_json(
            reading.settings, reading.window, reading.metrics, found, advice, reading.calls, notes, insights
        )
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=sys.stdout.isatty()) + "\n")
    elif args.format == "csv":
        w = csv.writer(sys.stdout, lineterminator="\r\n")
        w.writerow(CSV_COLUMNS)
        w.writerows(csv_rows(reading.metrics))
    else:
        sys.stdout.write(
            render_text(
                reading.settings, reading.window, reading.metrics, found, advice, notes, insights=insights
            )
        )
    return EXIT_OK
