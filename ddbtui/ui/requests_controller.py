"""Running the builder's request: its first page (ctrl+r), the next one (n), every page up to a capacity cap
(ctrl+f), and cancelling (escape).

Every request runs in a thread worker; its pages come back through ``call_from_thread`` tagged with the
request generation they belong to, and anything from a superseded generation is dropped. The event loop
only ever appends prepared pages, so the screen keeps answering keys while a slow request runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.worker import get_current_worker

from ddbtui.aws.runner import PageRunner
from ddbtui.core.capacity import ConsumedCapacity, format_cost, format_units
from ddbtui.core.requests import BuiltRequest
from ddbtui.core.schema import TableSchema
from ddbtui.ui.errors import describe_error
from ddbtui.ui.host import Host
from ddbtui.ui.results import PageInfo, PreparedPage, ResultSet, capacity_text, key_columns, prepare_page
from ddbtui.ui.screens.dialogs import FetchAllScreen
from ddbtui.ui.status import StatusLines


class RequestsController:
    """The request in flight and the results it fills. ``after_run`` is told of each run that ends."""

    def __init__(
        self,
        app: Host,
        lines: StatusLines,
        after_run: Callable[[ResultSet, Any], None],
    ) -> None:
        self.app = app
        self.lines = lines
        self.after_run = after_run
        self.result: ResultSet | None = None
        self.generation = 0
        self.cancel_event = threading.Event()
        self.in_flight = False
        self.fetching_all = False

    def new_generation(self) -> int:
        """Supersede whatever is in flight: its pages will be dropped when they arrive."""
        self.cancel_event.set()
        self.cancel_event = threading.Event()
        self.generation += 1
        self.fetching_all = False
        return self.generation

    # --- starting -----------------------------------------------------------------------------------

    def run(self) -> None:
        """Run the request in the builder: its first page (``n`` fetches more)."""
        app = self.app
        builder = app.builder
        if builder.built is None:
            app.show_error(builder.error or "nothing to run: open a table first", in_results=False)
            return
        built = builder.built
        app.history.add(built.request)
        self.start(self._one_page(built), builder.schema, start=None, append=False)

    @staticmethod
    def _one_page(built: BuiltRequest, limit: int | None = None) -> BuiltRequest:
        req = built.request.with_(max_pages=1, limit=limit if limit is not None else built.request.limit)
        return dataclasses.replace(built, request=req)

    def start(
        self,
        built: BuiltRequest,
        schema: TableSchema | None,
        *,
        start: dict[int, Any] | None,
        append: bool,
        cap: float | None = None,
    ) -> None:
        """Send ``built`` from a worker: new results, or (``append``) more pages of the shown ones."""
        app = self.app
        fetching_all = cap is not None
        gen = self.new_generation()
        self.fetching_all = fetching_all
        if not append or self.result is None:
            self.result = ResultSet(built, schema, gen)
            app.results.reset(key_columns(schema, built.request.index), message="")
            self.lines.clear_page_info()
        self.result.generation = gen
        self.in_flight = True
        label = {"query": "Query", "scan": "Scan", "get_item": "GetItem", "execute_statement": "PartiQL"}
        what = label.get(built.api, built.api)
        app.status.set_activity(
            f"{'fetching all' if fetching_all else 'running ' + what}… escape cancels", busy=True
        )
        if not app.results.rows:
            self.set_loading(True)
        room = app.config.max_rows - len(app.results.rows)
        job = partial(
            self._fetch, gen, built, schema, start, self.cancel_event, cap, app.config.max_cell_width, room
        )
        app.run_worker(job, name="_fetch", group="request", exit_on_error=False, exclusive=True, thread=True)

    def _fetch(
        self,
        gen: int,
        built: BuiltRequest,
        schema: TableSchema | None,
        start: dict[int, Any] | None,
        cancel: threading.Event,
        cap: float | None,
        max_width: int,
        room: int | None = None,
    ) -> None:
        """Pages of one request, prepared here (off the event loop) and handed to the UI one by one.

        Stops at the capacity ``cap`` (fetch all) or once ``room`` more items are kept (the results
        pane's row limit, so a fetch-all of a huge table can't exhaust memory): a page is kept whole, so
        the resume point stays exact."""
        app = self.app
        worker = get_current_worker()
        runner = PageRunner(app.client, built, schema, cancel, start)
        table = built.request.table or "(partiql)"
        billing = schema.billing_mode if schema else None
        used = 0.0
        kept = 0
        capped = ""  # why reading stopped early: "capacity" or "rows"
        pages = runner.pages()
        try:
            for page in pages:
                capacity = page.capacity(app.estimate)
                if capacity is not None:
                    # recorded even when the page is dropped: the capacity was consumed all the same
                    app.ledger.record(built.api, table, capacity, billing_mode=billing)
                    used += capacity.total
                if worker.is_cancelled or cancel.is_set():
                    return
                prepared = prepare_page(page.items, max_width)
                app.call_from_thread(
                    self._page_arrived, gen, page, capacity, prepared, dict(runner.state.resume)
                )
                kept += len(page.items)
                if cap is not None and used >= cap:
                    capped = "capacity"
                    break
                if room is not None and kept >= room:
                    capped = "rows"
                    break
        except Exception as e:  # noqa: BLE001 - AWS errors are shown, the app keeps running
            self.report_from_thread(gen, e)
            return
        finally:
            pages.close()  # stops the segment threads; what they had read is left in take_unshown()
            counted = False
            for dropped in runner.take_unshown():  # read by the server, never shown: consumed all the same
                if (capacity := dropped.capacity(app.estimate)) is not None:
                    app.ledger.record(built.api, table, capacity, billing_mode=billing)
                    counted = True
            if counted:
                with contextlib.suppress(RuntimeError):  # the app is gone
                    app.call_from_thread(app.status.render_status)
        resume = dict(runner.state.resume)
        if capped:  # stopped early: the end only if every segment (started or not) is finished
            segments = built.request.segments if built.api == "scan" else 1
            unread = object()
            exhausted = all(resume.get(s, unread) is None for s in range(max(segments, 1)))
        else:
            exhausted = runner.state.exhausted
        app.call_from_thread(self._request_done, gen, resume, exhausted, capped)

    # --- pages arriving -----------------------------------------------------------------------------

    def set_loading(self, loading: bool) -> None:
        """The results' spinner. The footer drops a loading widget's keys and does not notice their
        return by itself, so the bindings are refreshed too."""
        results = self.app.results
        if results.loading != loading:
            results.loading = loading
            self.app.refresh_bindings()

    def report_from_thread(self, gen: int | None, error: BaseException) -> None:
        """From a worker: ``error`` of the request ``gen`` (None: of no request, e.g. ListTables)."""
        with contextlib.suppress(RuntimeError):  # the app is gone
            self.app.call_from_thread(self._request_failed, gen, error)

    def _page_arrived(
        self,
        gen: int,
        page: Any,
        capacity: ConsumedCapacity | None,
        prepared: PreparedPage,
        resume: dict[int, Any],
    ) -> None:
        if gen != self.generation or self.result is None:
            return  # a superseded request: drop it
        app = self.app
        result = self.result
        first_row = len(app.results.rows)
        result.add_page(
            PageInfo(
                len(result.pages) + 1,
                first_row,
                len(prepared.items),
                page.count,
                page.scanned_count,
                capacity,
                page.seconds,
                page.has_more,
            )
        )
        result.resume = resume
        self.set_loading(False)
        app.results.append(prepared)
        if len(result.pages) > 1 and not self.fetching_all:
            app.results.move_to(first_row)
        if self.fetching_all:
            app.status.set_activity(
                f"fetching all: {result.items:,} items · {len(result.pages)} pages · "
                f"{capacity_text(result.capacity)} · {format_cost(self._cost_of(result.capacity))} — escape cancels",
                busy=True,
            )
        app.status.render_status()
        self.lines.show_page_info()

    def _cost_of(self, capacity: ConsumedCapacity | None) -> float:
        if capacity is None:
            return 0.0
        from ddbtui.core import prices

        schema = self.app.schema
        billing = schema.billing_mode if schema else None
        return prices.price_for(self.app.ledger.region, billing).cost(capacity.total, 0.0)

    def _request_done(self, gen: int, resume: dict[int, Any], exhausted: bool, capped: str) -> None:
        if gen != self.generation or self.result is None:
            return
        app = self.app
        self.in_flight = False
        self.fetching_all = False
        self.set_loading(False)
        self.result.resume = resume
        self.result.exhausted = exhausted
        if not app.results.rows:
            scanned = self.result.scanned
            app.results.set_message(
                f"no items (scanned {scanned:,})" + (" · more pages: n" if self.result.has_more else "")
            )
        if capped == "rows" and not exhausted:
            text = self._row_limit_text()
            app.status.set_activity(text)
            app.notify(text, title="row limit", severity="warning", timeout=8, markup=False)
        elif capped == "capacity":
            app.status.set_activity(f"stopped at the capacity cap ({capacity_text(self.result.capacity)})")
            app.notify("fetch all stopped at the capacity cap", markup=False)
        else:
            app.status.set_activity("")
        self.lines.show_page_info()
        self.after_run(self.result, app.results.rows)

    def _request_failed(self, gen: int | None, error: BaseException) -> None:
        if gen is not None and gen != self.generation:
            return
        if gen is not None:
            self.in_flight = False
            self.fetching_all = False
            self.set_loading(False)
        self.app.show_error(describe_error(error))
        self.app.status.render_status()

    # --- more pages, all pages, cancel ----------------------------------------------------------------

    def next_page(self) -> None:
        """``n``: one more page of the current request, appended (earlier pages stay)."""
        app = self.app
        result = self.result
        if result is None:
            app.show_error("nothing to page: run a request first (ctrl+r)", in_results=False)
            return
        if self.in_flight:
            app.notify("a request is running (escape cancels it)", markup=False)
            return
        if not result.has_more:
            if result.built.api == "get_item":
                app.notify("a GetItem reads one item: there are no pages to fetch", markup=False)
            else:
                app.notify("no more pages: that was the end of the results", markup=False)
            return
        if len(app.results.rows) >= app.config.max_rows:
            app.notify(self._row_limit_text(), title="row limit", severity="warning", markup=False)
            return
        limit = result.built.request.limit
        if limit is not None:
            limit -= result.items
            if limit <= 0:
                app.notify("the limit is reached (clear limit in the builder for more)", markup=False)
                return
        start = dict(result.resume)  # finished segments (None) are not read again
        self.start(self._one_page(result.built, limit), result.schema, start=start, append=True)

    def _row_limit_text(self) -> str:
        app = self.app
        return (
            f"stopped at {len(app.results.rows):,} items: the results pane keeps at most "
            f"{app.config.max_rows:,} (max_rows in config.json). For the whole table, export it "
            "(command palette: Export), or narrow the request with a key or filter"
        )

    def fetch_all(self) -> None:
        """Read every remaining page, up to a capacity cap asked for first."""
        app = self.app
        if self.in_flight:
            app.notify("a request is running (escape cancels it)", markup=False)
            return
        builder = app.builder
        continuing = self.result is not None and self.result.has_more
        built = self.result.built if continuing and self.result else builder.built
        if built is None:
            app.show_error(builder.error or "nothing to fetch: open a table first", in_results=False)
            return

        def start(cap: float | None) -> None:
            if cap is None:
                return
            app.config.fetch_all_cap = cap
            req = built.request.with_(max_pages=None)
            full = dataclasses.replace(built, request=req)
            if continuing and self.result is not None:
                start_keys = dict(self.result.resume)
                limit = req.limit - self.result.items if req.limit is not None else None
                full = dataclasses.replace(built, request=req.with_(limit=limit))
                self.start(full, self.result.schema, start=start_keys, append=True, cap=cap)
            else:
                app.history.add(built.request)
                self.start(full, builder.schema, start=None, append=False, cap=cap)

        app.push_screen(FetchAllScreen(app.config.fetch_all_cap, self._fetch_all_estimate(built)), start)

    def _fetch_all_estimate(self, built: BuiltRequest) -> str:
        schema = self.app.schema
        rows = self.app.results.rows
        what = "the rest of this request" if self.result is not None and self.result.has_more else "all pages"
        if schema is None or built.api != "scan":
            return f"Reads {what}. Its cost depends on how many items the key condition matches."
        size = schema.size_bytes or 0
        if not size and schema.item_count and rows:
            from ddbtui.core.capacity import item_size

            sample = rows[:200]
            size = int(sum(item_size(i) for i in sample) / len(sample) * schema.item_count)
        if not size:
            return f"Reads {what} of {schema.name}; its size is unknown."
        per = 1.0 if built.consistent else 0.5
        rcu = -(-size // 4096) * per
        items = f"{schema.item_count:,} items, " if schema.item_count else ""
        return f"A full Scan of {schema.name} ({items}~{size / 1e6:,.1f} MB) costs about {format_units(rcu)} RCU."

    def cancel(self) -> None:
        """``escape``: cancel the request in flight (its late pages are dropped)."""
        if not self.in_flight:
            return
        app = self.app
        self.new_generation()
        app.workers.cancel_group(app, "request")
        self.in_flight = False
        self.set_loading(False)
        if not app.results.rows:
            app.results.set_message("cancelled")
        app.status.set_activity("cancelled")
        self.lines.show_page_info()
