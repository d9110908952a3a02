"""Render the workbench's screenshots from the app itself, on the demo data set.

Starts moto's server, seeds the demo tables, drives the app with Pilot and saves SVGs:

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--size 100x32]

main.svg   a Query of the hot customer's orders, newest first
item.svg   one order as JSON, with its size, capacity cost and TTL
help.svg   f1: every key
error.svg  an AWS error (a table that is not there), shown in the app
edit.svg   an edited order before it is written: the diff, old → new, with its write units
code.svg   f5: the Query of main.svg as boto3 code (AWS CLI, PartiQL and ddbtui in the other tabs)
patterns.svg  f7: the access patterns; an anti-pattern and its better way, run, with their read units
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("AWS_ACCESS_KEY_ID", "demo")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "demo")


async def wait_idle(pilot, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while any(not w.is_finished for w in pilot.app.workers) and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def shoot(out: Path, size: tuple[int, int]) -> None:
    from textual.widgets import Input, Select

    from ddbtui.aws.embedded import MotoServer
    from ddbtui.aws.seed import seed
    from ddbtui.aws.session import Connection, make_client
    from ddbtui.core.patterns import by_id
    from ddbtui.ui.app import DdbtuiApp
    from ddbtui.ui.config import Config
    from ddbtui.ui.history import History
    from ddbtui.ui.screens.edit_screen import item_text

    with MotoServer() as server, tempfile.TemporaryDirectory() as tmp:
        conn = Connection(endpoint_url=server.endpoint_url, region="us-east-1", demo=True)
        client = make_client(conn)
        print("seeding the demo data…", file=sys.stderr)
        seed(client)
        app = DdbtuiApp(
            client,
            conn,
            config=Config(),
            history=History(Path(tmp) / "history.json"),
            connection_label="demo · us-east-1",
            clock=lambda: 1_767_225_600.0,  # the demo data's frozen clock, 2026-01-01
        )
        async with app.run_test(size=size) as pilot:
            await wait_idle(pilot)
            await pilot.press(*"Shop", "enter")
            await wait_idle(pilot)
            b = app.builder
            b.query_one("#qb-op", Select).value = "query"
            await pilot.pause()
            b.query_one("#qb-pk", Input).value = "CUSTOMER#0042"
            b.query_one("#qb-sk-op", Select).value = "begins_with"
            b.query_one("#qb-sk", Input).value = "ORDER#2025-12"
            b.query_one("#qb-desc").value = True
            b.query_one("#qb-filter", Input).value = "total > 100"
            await pilot.pause()
            await pilot.press("ctrl+r")
            await wait_idle(pilot)
            app.results.focus()
            await pilot.press("n")
            await wait_idle(pilot)
            await pilot.press("down", "down")
            await pilot.pause(0.3)
            app.save_screenshot("main.svg", str(out))

            await pilot.press("enter")
            await pilot.pause(0.5)
            app.save_screenshot("item.svg", str(out))
            await pilot.press("escape")
            await pilot.pause()

            # edit.svg: writes on for this one screen (nothing is written: the diff is cancelled)
            from ddbtui.core.writes import WritePolicy

            app.writes.policy = WritePolicy(True)
            app.writes.show_badge()
            await pilot.press("e")  # the editor on a fresh read of the order, then its diff
            await wait_idle(pilot)
            editor = app.screen
            order = dict(editor.parsed)
            order["status"] = {"S": "DELIVERED"}
            address = dict(order["shippingAddress"]["M"])
            address["city"] = {"S": "Rotterdam"}
            order["shippingAddress"] = {"M": address}
            order["giftNote"] = {"S": "Happy birthday, Sam!"}
            order.pop("couponCode", None) or order.pop("discount", None)
            area = editor.text_area
            area.replace(item_text(order, ddb_json=True), area.document.start, area.document.end)
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause(0.5)
            app.save_screenshot("edit.svg", str(out))
            await pilot.press("escape")  # back to the editor: nothing written
            await pilot.pause()
            editor.dismiss(None)
            await pilot.pause()

            # select.svg: three rows selected, the checked-delete confirmation (cancelled: nothing written)
            app.results.focus()
            await pilot.press("home", "space", "space", "space")
            await pilot.pause()
            await pilot.press("D")
            await pilot.pause(0.5)
            app.save_screenshot("select.svg", str(out))
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("ctrl+u")  # clear the selection
            await pilot.pause()
            app.writes.policy = WritePolicy(False)
            app.writes.show_badge()

            await pilot.press("f1")
            await pilot.pause(0.5)
            app.save_screenshot("help.svg", str(out))
            await pilot.press("escape")
            await pilot.pause()

            await pilot.press("f5")  # the Query of main.svg as code
            await pilot.pause(0.5)
            app.save_screenshot("code.svg", str(out))
            await pilot.press("escape")
            await pilot.pause()

            # an anti-pattern and its better alternative, both run: their read units side by side
            anti = by_id("anti-scan-open-orders")
            app.advice.load_pattern(anti)
            await wait_idle(pilot)
            await pilot.press("ctrl+r")
            await wait_idle(pilot)
            app.advice.load_pattern(by_id(anti.better))
            await wait_idle(pilot)
            await pilot.press("ctrl+r")
            await wait_idle(pilot)
            await pilot.press("f7")
            await pilot.pause(0.3)
            patterns = app.screen
            patterns.query_one("#patterns-list").highlighted = patterns.patterns.index(anti)
            await pilot.pause(0.5)
            app.save_screenshot("patterns.svg", str(out))
            await pilot.press("escape")
            await pilot.pause()

            app.open_table("Orders")  # not in the demo data: DynamoDB answers ResourceNotFoundException
            await wait_idle(pilot)
            app.save_screenshot("error.svg", str(out))
    for name in ("main", "item", "edit", "select", "help", "code", "patterns", "error"):
        print(out / f"{name}.svg")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "screenshots"))
    parser.add_argument("--size", default="100x32", help="terminal size, COLSxROWS")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(out, (cols, rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
