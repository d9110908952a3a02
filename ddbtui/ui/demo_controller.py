"""``ddbtui --demo``: the embedded backend started and the demo data loaded while the screen is already up."""

from __future__ import annotations

import time
from typing import Any

from ddbtui.ui.host import Host
from ddbtui.ui.requests_controller import RequestsController
from ddbtui.ui.tables_controller import TablesController


class DemoController:
    """Starts ``engine`` (None: an endpoint already running) and seeds it, in a thread worker."""

    def __init__(
        self, app: Host, engine: Any, tables: TablesController, requests: RequestsController
    ) -> None:
        self.app = app
        self.engine = engine
        self.tables = tables
        self.requests = requests

    def start(self) -> None:
        self.app.run_worker(
            self._start_demo,
            name="_start_demo",
            group="seed",
            exit_on_error=False,
            exclusive=True,
            thread=True,
        )

    def _start_demo(self) -> None:
        """Start the embedded engine and load the demo data while the screen is already up."""
        app = self.app
        initial = self.tables.initial_table
        try:
            if self.engine is not None:
                app.call_from_thread(app.status.set_activity, "starting the demo backend…", True)
                if self.engine.proc is None:
                    self.engine.spawn()
                self.engine.wait_ready()
            from ddbtui.aws import demo_data
            from ddbtui.aws.seed import create_tables, seed

            create_tables(app.client)
            names = demo_data.table_names()
            # the table asked for with --table is loaded first and opened once it is whole: opened while
            # still empty, its first page would say "no items" of a table that is about to have thousands
            first = [t for t in names if t == initial]
            app.call_from_thread(self._demo_tables_ready, not first)
            total = sum(demo_data.item_count(t) for t in names)
            before = 0
            last = 0.0

            def progress(done: int, _total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if now - last > 0.2 or before + done >= total:
                    last = now
                    app.call_from_thread(
                        app.status.set_activity,
                        f"seeding demo data {before + done:,}/{total:,} items",
                        before + done < total,
                    )

            for group in (first, [t for t in names if t not in first]):
                if group:
                    seed(app.client, tables=group, progress=progress)
                    before += sum(demo_data.item_count(t) for t in group)
                if group is first and first:
                    app.call_from_thread(self.tables.open_initial)
        except Exception as e:  # noqa: BLE001
            self.requests.report_from_thread(None, e)
            return
        app.call_from_thread(self._demo_seeded)

    def _demo_tables_ready(self, open_initial: bool) -> None:
        self.tables.load_tables()
        if open_initial:  # not a demo table: opening it says so at once
            self.tables.open_initial()

    def _demo_seeded(self) -> None:
        if not self.requests.in_flight:
            self.app.status.set_activity("demo data ready")
        self.tables.load_tables()
        self.tables.open_initial()
