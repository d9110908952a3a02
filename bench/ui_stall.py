"""How long does the workbench's event loop stall while 100,000 items arrive, and while scrolling them?

The app runs headless at 120x40. A probe task sleeps 5 ms in a loop on the event loop and records how
late it wakes: that lateness is the stall a user would feel as a frozen screen. Pages of ~1 MB (5,000
items of ~200 B) are handed to the app from a thread exactly as the request worker does it (prepared off
the loop, then ``call_from_thread``), then the results are scrolled with keys.

    .venv/bin/python bench/ui_stall.py                # 100,000 synthetic items in 1 MB pages
    .venv/bin/python bench/ui_stall.py --moto 20000   # real pages: seed moto, then "fetch all" through the app

Target: the longest stall ≤ 50 ms in every phase.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

TARGET_MS = 50.0


class Probe:
    """Records how late a 5 ms sleep on the event loop wakes up, and the garbage collector's pauses."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.gc_pauses: list[float] = []
        self._task: asyncio.Task[None] | None = None
        self._gc_start = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.gc_pauses.append((time.perf_counter() - self._gc_start) * 1000)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            t = loop.time()
            await asyncio.sleep(0.005)
            self.lags.append((loop.time() - t - 0.005) * 1000)

    def start(self) -> None:
        self.lags = []
        self.gc_pauses = []
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> list[float]:
        if self._task:
            self._task.cancel()
        return self.lags


def synthetic_item(i: int) -> dict[str, Any]:
    return {
        "pk": {"S": f"CUSTOMER#{i % 5000:05d}"},
        "sk": {"S": f"ORDER#2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}#{i:08d}"},
        "status": {"S": ("OPEN", "PAID", "SHIPPED", "DELIVERED")[i % 4]},
        "total": {"N": f"{(i * 37) % 100000 / 100:.2f}"},
        "currency": {"S": "EUR"},
        "items": {"N": str(i % 9 + 1)},
        "email": {"S": f"user{i % 5000}@example.com"},
        "note": {"S": "leave at the door" if i % 7 == 0 else "n/a"},
    }


def feed_synthetic(app: Any, total: int, page_items: int, done: threading.Event) -> None:
    """What RequestsController._fetch does per page, with pages made up here instead of read from a server."""
    from ddbtui.aws.runner import Page
    from ddbtui.core.capacity import ConsumedCapacity
    from ddbtui.ui.results import prepare_page

    gen = app.requests.generation
    for number, start in enumerate(range(0, total, page_items), 1):
        items = [synthetic_item(i) for i in range(start, min(start + page_items, total))]
        cap = ConsumedCapacity(total=128.0, table=128.0, estimated=True)
        more = start + page_items < total
        page = Page(number, items, len(items), len(items), None, cap, {"pk": {"S": "x"}} if more else None)
        prepared = prepare_page(items, app.config.max_cell_width)
        app.call_from_thread(
            app.requests._page_arrived, gen, page, cap, prepared, {0: page.last_evaluated_key}
        )
    app.call_from_thread(app.requests._request_done, gen, {0: None}, True, False)
    done.set()


Row = tuple[str, float, float, float, int, float, str]


def summarize(name: str, probe: Probe, extra: str = "") -> Row:
    lags = probe.stop()
    gc_max = max(probe.gc_pauses, default=0.0)
    if not lags:
        return (name, 0.0, 0.0, 0.0, 0, gc_max, extra)
    ordered = sorted(lags)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (name, max(lags), p99, statistics.median(lags), len(lags), gc_max, extra)


async def run(args: argparse.Namespace) -> list[Row]:
    from ddbtui.aws.embedded import MotoServer
    from ddbtui.aws.session import Connection, make_client
    from ddbtui.core.requests import ReadRequest, build
    from ddbtui.ui.app import DdbtuiApp
    from ddbtui.ui.config import Config
    from ddbtui.ui.history import History

    rows: list[Row] = []
    with MotoServer() as server:
        conn = Connection(endpoint_url=server.endpoint_url, region="us-east-1")
        client = make_client(conn)
        table = "Bench"
        client.create_table(
            TableName=table,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        if args.moto:
            print(f"seeding {args.moto:,} items into moto…", file=sys.stderr)
            for start in range(0, args.moto, 25):
                batch = [
                    {"PutRequest": {"Item": synthetic_item(i)}}
                    for i in range(start, min(start + 25, args.moto))
                ]
                client.batch_write_item(RequestItems={table: batch})
        history = History(Path(os.environ.get("TMPDIR", "/tmp")) / "ddbtui-bench-history.json")
        app = DdbtuiApp(client, conn, config=Config(), history=history, connection_label="bench")
        probe = Probe()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            while any(not w.is_finished for w in app.workers):
                await pilot.pause(0.05)
            app.open_table(table)
            while app.schema is None or app._in_flight:
                await pilot.pause(0.05)
            app.results.focus()

            t0 = time.perf_counter()
            if args.moto:
                from dataclasses import replace

                built = build(ReadRequest("scan", table), app.schema)
                probe.start()
                app.requests.start(replace(built), app.schema, start=None, append=False, cap=1e12)
                while app._in_flight:
                    await asyncio.sleep(0.05)
                label = f"{len(app.results.rows):,} items from moto (fetch all)"
            else:
                built = build(ReadRequest("scan", table), app.schema)
                app.requests.start(built, app.schema, start=None, append=False, cap=1e12)
                # the real worker would read the empty table; cancel it and feed the pages ourselves
                while app._in_flight:
                    await asyncio.sleep(0.01)
                from ddbtui.ui.results import ResultSet

                app.requests.result = ResultSet(built, app.schema, app.requests.generation)
                app.results.reset(["pk", "sk"])
                done = threading.Event()
                probe.start()
                feeder = threading.Thread(
                    target=feed_synthetic, args=(app, args.items, args.page_items, done), daemon=True
                )
                feeder.start()
                while not done.is_set():
                    await asyncio.sleep(0.02)
                await pilot.pause(0.2)
                label = f"{len(app.results.rows):,} items in {args.items // args.page_items} pages"
            seconds = time.perf_counter() - t0
            rows.append(summarize("pages arriving", probe, f"{label}, {seconds:.1f} s"))

            app.results.focus()
            await pilot.pause()
            assert app.focused is app.results
            probe.start()
            for _ in range(args.scroll_keys):
                await pilot.press("pagedown")
            rows.append(summarize("scrolling: pagedown", probe, f"{args.scroll_keys} key presses"))

            probe.start()
            await pilot.press("end", "home", "end")
            for _ in range(20):
                await pilot.press("up")
            rows.append(summarize("scrolling: end/home/up", probe, "jumps across 100k rows"))

            probe.start()
            for _ in range(8):
                await pilot.press("right")
            for _ in range(8):
                await pilot.press("left")
            rows.append(summarize("scrolling: columns", probe, "cell cursor right/left"))

            probe.start()
            await pilot.press("enter")
            await pilot.pause(0.2)
            await pilot.press("escape")
            await pilot.pause(0.1)
            rows.append(summarize("item view open/close", probe, ""))

            probe.start()
            app.open_table(table)  # a new request: the 100k rows are let go
            while app._in_flight:
                await asyncio.sleep(0.01)
            await pilot.pause(0.3)
            rows.append(summarize("results reset", probe, "100k rows freed, table reopened"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--page-items", type=int, default=5_000, help="items per page (~200 B each: ~1 MB)")
    parser.add_argument("--scroll-keys", type=int, default=200)
    parser.add_argument(
        "--moto", type=int, default=0, metavar="N", help="seed N items into moto and fetch them all"
    )
    args = parser.parse_args()
    rows = asyncio.run(run(args))
    print(f"{'phase':<24} {'max ms':>8} {'p99 ms':>8} {'median':>8} {'samples':>8} {'gc max':>8}  notes")
    worst = 0.0
    for name, mx, p99, med, n, gc_max, extra in rows:
        worst = max(worst, mx)
        print(f"{name:<24} {mx:8.1f} {p99:8.1f} {med:8.1f} {n:8d} {gc_max:8.1f}  {extra}")
    verdict = "OK" if worst <= TARGET_MS else "OVER"
    print(f"longest stall {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
