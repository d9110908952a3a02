"""The page runner: sends a built read request page by page, captures capacity, honours limits and cancel.

One request can be a single GetItem, a paginated Query/Scan/PartiQL statement, or a parallel Scan over N
segments (one thread per segment, pages merged as they arrive). Cancellation is checked between pages: a
thread cannot be interrupted mid-request, so a cancelled run drops whatever arrives after the cancel.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ddbtui.aws import fastpath
from ddbtui.core.capacity import ConsumedCapacity, item_size
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.estimate import estimate_read
from ddbtui.core.requests import MAX_PAGE_SIZE, BuiltRequest
from ddbtui.core.resume import resume_key_attributes
from ddbtui.core.schema import TableSchema


class Cancelled(DdbtuiError):
    """The user cancelled the request."""


@dataclass
class Page:
    number: int
    items: list[dict[str, Any]]
    count: int
    scanned_count: int
    reported: ConsumedCapacity | None
    estimated: ConsumedCapacity | None
    last_evaluated_key: dict[str, Any] | None = None
    next_token: str | None = None
    segment: int | None = None
    seconds: float = 0.0

    def capacity(self, prefer_estimate: bool) -> ConsumedCapacity | None:
        """The figure to show: ddbtui's own on emulators, DynamoDB's against AWS (falling back to either)."""
        if prefer_estimate:
            return self.estimated or self.reported
        return self.reported or self.estimated

    @property
    def has_more(self) -> bool:
        return bool(self.last_evaluated_key or self.next_token)


class _LazyEstimatePage(Page):
    """A page whose own capacity estimate is worked out when first read: sizing every item costs as much
    as parsing it, and against DynamoDB (which reports capacity) nobody reads the estimate."""

    _estimate: Any = None
    _estimated: ConsumedCapacity | None = None

    @property  # type: ignore[override]
    def estimated(self) -> ConsumedCapacity | None:
        if self._estimate is not None:
            self._estimated, self._estimate = self._estimate(), None
        return self._estimated

    @estimated.setter
    def estimated(self, value: ConsumedCapacity | None) -> None:
        self._estimated, self._estimate = value, None


@dataclass
class RunState:
    """Totals of one run so far, updated as pages arrive."""

    pages: int = 0
    items: int = 0
    scanned: int = 0
    sizes_seen: int = 0
    bytes_seen: int = 0
    done: bool = False
    exhausted: bool = False  # no more pages at the server
    resume: dict[int, Any] = field(default_factory=dict)  # segment -> LastEvaluatedKey / NextToken
    # False when --limit cut a page and the cut item's key could not be had (a projection without the
    # key): the resume map then points past items never shown, so it must not be offered
    resume_exact: bool = True
    cut: bool = False  # --limit dropped items of a page: there is more even where no key says so
    # pages the server answered that the consumer never got (a cancel, parallel segments past --limit, an
    # error in another segment): their capacity was consumed all the same, so a ledger counts it
    unshown: list[Any] = field(default_factory=list)


class PageRunner:
    """Iterate the pages of one built request."""

    def __init__(
        self,
        client: Any,
        built: BuiltRequest,
        schema: TableSchema | None = None,
        cancel: threading.Event | None = None,
        start: dict[int, Any] | None = None,
        *,
        raw: bool = False,
    ) -> None:
        """``start`` resumes a run: segment -> LastEvaluatedKey (or NextToken); a segment mapped to None
        had finished and is not read again; a segment not in it starts from the beginning. Pass the
        ``state.resume`` of the earlier run as it is.

        ``raw``: Scan/Query pages skip botocore's response parsing (see ``fastpath``); their items carry
        binary values as base64 text. For bulk readers that write items out (export), not for display."""
        self.client = client
        self.built = built
        self.schema = schema
        self.cancel = cancel or threading.Event()
        self._start = dict(start or {})
        # a segment this run never reaches (a cancel, --max-pages) keeps the position it was given
        self.state = RunState(resume=dict(self._start))
        self._lock = threading.Lock()
        self.raw = raw and built.api in ("scan", "query")
        if self.raw:
            fastpath.install(client)

    # --- one request --------------------------------------------------------------------------------

    def _call(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.raw:
            with fastpath.raw_responses():
                resp = getattr(self.client, self.built.api)(**params)
            if "LastEvaluatedKey" in resp:
                resp["LastEvaluatedKey"] = fastpath.key_from_raw(resp["LastEvaluatedKey"])
            return resp
        return getattr(self.client, self.built.api)(**params)

    def _page(self, number: int, params: dict[str, Any], segment: int | None) -> Page:
        t0 = time.perf_counter()
        resp = self._call(params)
        seconds = time.perf_counter() - t0
        if self.built.api == "get_item":
            items = [resp["Item"]] if "Item" in resp else []
            count = scanned = len(items)
        else:
            items = resp.get("Items", [])
            count = resp.get("Count", len(items))
            scanned = resp.get("ScannedCount", count)
        reported = next(iter(ConsumedCapacity.from_responses(resp.get("ConsumedCapacity"), "read")), None)
        page = _LazyEstimatePage(
            number,
            items,
            count,
            scanned,
            reported,
            None,
            last_evaluated_key=resp.get("LastEvaluatedKey"),
            next_token=resp.get("NextToken"),
            segment=segment,
            seconds=seconds,
        )
        page._estimate = lambda: estimate_read(self.built, items, scanned, self._average_item_size(items))
        return page

    def _average_item_size(self, items: list[dict[str, Any]]) -> float | None:
        """The size to count unseen (filtered out) items at: DescribeTable's average, else what we've seen."""
        with self._lock:
            for it in items:
                self.state.sizes_seen += 1
                self.state.bytes_seen += item_size(it)
            seen = self.state.bytes_seen / self.state.sizes_seen if self.state.sizes_seen else None
        if self.schema is not None and self.schema.average_item_size:
            return self.schema.average_item_size
        return seen

    # --- paging --------------------------------------------------------------------------------------

    def _remaining(self) -> int | None:
        limit = self.built.request.limit
        return None if limit is None else limit - self.state.items

    def _params_for(self, base: dict[str, Any], resume: Any) -> dict[str, Any]:
        params = dict(base)
        if resume is not None:
            if self.built.api == "execute_statement":
                params["NextToken"] = resume
            else:
                params["ExclusiveStartKey"] = resume
        remaining = self._remaining()
        # Without a filter, asking for exactly what is left saves reading a page we'd throw away.
        if remaining is not None and not self.built.has_filter and self.built.api in ("query", "scan"):
            # never past MAX_PAGE_SIZE: a --limit of 2**31 is not a Limit DynamoDB takes
            params["Limit"] = min(params.get("Limit", remaining), remaining, MAX_PAGE_SIZE)
        return params

    def _segment_pages(self, segment: int | None, total: int | None) -> Iterator[Page]:
        base = dict(self.built.params)
        if segment is not None and total is not None and total > 1:
            base["Segment"] = segment
            base["TotalSegments"] = total
        key = segment if segment is not None else 0
        if key in self._start and self._start[key] is None:
            return  # this segment finished in an earlier run
        resume = self._start.get(key)
        number = 0
        while True:
            if self.cancel.is_set():
                return
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                return
            max_pages = self.built.request.max_pages
            if max_pages is not None and self.state.pages >= max_pages:
                return
            number += 1
            page = self._page(number, self._params_for(base, resume), segment)
            resume = page.last_evaluated_key or page.next_token
            # state.resume moves on only when the consumer takes the page (in _account): a page read here
            # but dropped on an error or a cancel must be read again on resume, never skipped
            yield page
            if resume is None:
                return

    def pages(self) -> Iterator[Page]:
        """Yield pages until the end, --limit, --max-pages or cancel. Items past --limit are cut off."""
        segments = self.built.request.segments if self.built.api == "scan" else 1
        if segments <= 1:
            source: Iterator[Page] = self._segment_pages(None, None)
            yield from self._account(source)
        else:
            yield from self._account(self._parallel(segments))
        self.state.done = True
        unread = object()
        self.state.exhausted = (
            not self.cancel.is_set()
            and not self.state.cut
            and all(self.state.resume.get(s, unread) is None for s in range(max(segments, 1)))
        )

    def _account(self, source: Iterator[Page]) -> Iterator[Page]:
        for page in source:
            if self.cancel.is_set():
                self._unshown(page)
                return
            remaining = self._remaining()
            max_pages = self.built.request.max_pages
            if (remaining is not None and remaining <= 0) or (max_pages and self.state.pages >= max_pages):
                self._unshown(page)
                return  # parallel segments may overshoot; what they read past the end is dropped
            at = page.last_evaluated_key or page.next_token
            if remaining is not None and len(page.items) > remaining:
                page.items = page.items[:remaining]
                self.state.cut = True
                # the page's own LastEvaluatedKey lies past the items cut off: go on from the last one kept;
                # without its key (a projection, PartiQL) the page's end stays, marked as not exact
                kept = self._key_of(page.items[-1]) if page.items else None
                if kept is not None:
                    at = kept
                else:
                    self.state.resume_exact = False
            with self._lock:
                self.state.pages += 1
                self.state.items += len(page.items)
                self.state.scanned += page.scanned_count
                key = page.segment if page.segment is not None else 0
                self.state.resume[key] = at
            page.number = self.state.pages
            yield page

    def _unshown(self, page: Any) -> None:
        with self._lock:
            self.state.unshown.append(page)

    def take_unshown(self) -> list[Any]:
        """The pages read but never yielded since the last call (call it once the iteration has stopped)."""
        with self._lock:
            out, self.state.unshown = self.state.unshown, []
        return out

    def _key_of(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """The ExclusiveStartKey that goes on after ``item``; None when its key attributes are not all there."""
        if self.schema is None or self.built.api not in ("query", "scan"):
            return None
        names = resume_key_attributes(self.schema, self.built.request.index) or ()
        if not names or any(n not in item for n in names):
            return None
        key = {n: item[n] for n in names}
        return fastpath.key_from_raw(key) if self.raw else key

    def _parallel(self, total: int) -> Iterator[Page]:
        # Small: a parsed 1 MB page is ~25 MB of Python objects, and a consumer that falls behind (CPU-bound
        # writing) gains nothing from more pages waiting; each blocked worker still holds one page.
        out: queue.Queue[Any] = queue.Queue(maxsize=2)
        done = object()

        def worker(segment: int) -> None:
            try:
                for page in self._segment_pages(segment, total):
                    out.put(page)
            except BaseException as e:  # noqa: BLE001 - re-raised on the consuming thread
                out.put(e)
            finally:
                out.put(done)

        threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in range(total)]
        for t in threads:
            t.start()
        finished = 0
        try:
            while finished < total:
                got = out.get()
                if got is done:
                    finished += 1
                elif isinstance(got, BaseException):
                    self.cancel.set()
                    raise got
                else:
                    yield got
        finally:
            if finished < total:
                self.cancel.set()
            # drain so blocked workers can see the cancel and exit; what they read is kept as unshown
            while True:
                alive = any(t.is_alive() for t in threads)
                try:
                    got = out.get(timeout=0.05) if alive else out.get_nowait()
                except queue.Empty:
                    if alive:
                        continue
                    break
                if isinstance(got, Page):
                    self._unshown(got)
