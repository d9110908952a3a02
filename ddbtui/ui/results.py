"""What the results pane holds: the pages of one request as they arrive, and what it takes to show them.

The per-page preparation (attribute names in order of appearance, column widths from a sample) runs in
the worker thread that fetched the page, so the event loop only appends lists.
"""

from __future__ import annotations

import bisect
import contextlib
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len

from ddbtui.core.capacity import ConsumedCapacity, format_units
from ddbtui.core.compact import pack
from ddbtui.core.requests import BuiltRequest
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import display_av, safe_text

Item = dict[str, Any]
SAMPLE_ROWS = 200  # rows per page whose widths decide the column widths


@dataclass
class PageInfo:
    """One fetched page: where its rows start in the result set, and what it cost."""

    number: int
    first_row: int
    items: int
    count: int
    scanned: int
    capacity: ConsumedCapacity | None
    seconds: float
    has_more: bool


@dataclass
class PreparedPage:
    """A page made ready for the screen off the event loop."""

    items: list[Item]
    attributes: list[str]  # names in order of first appearance
    widths: dict[str, int]  # cell widths of a sample of this page's values (and names)
    packed: list[dict[str, Any]] = field(default_factory=list)  # the items as the results pane keeps them


def prepare_page(items: list[Item], max_width: int) -> PreparedPage:
    """Attribute names and sampled column widths of ``items`` (runs in the worker thread)."""
    seen: dict[str, None] = {}
    for item in items:
        for name in item:
            if name not in seen:
                seen[name] = None
    step = max(1, len(items) // SAMPLE_ROWS)
    widths: dict[str, int] = {name: min(cell_len(safe_text(name)), max_width) for name in seen}
    for item in items[::step]:
        for name, av in item.items():
            w = cell_len(display_av(av, max_width))
            if w > widths[name]:
                widths[name] = min(w, max_width)
    return PreparedPage(items, list(seen), widths, [pack(it) for it in items])


def key_columns(schema: TableSchema | None, index: str | None) -> list[str]:
    """The table's key attributes, then the index's: the columns that come first."""
    if schema is None:
        return []
    cols = list(schema.key.attributes)
    if index:
        with contextlib.suppress(KeyError):  # an index the table no longer has: its keys are not special
            cols += [a for a in schema.index(index).key.attributes if a not in cols]
    return cols


def capacity_text(cap: ConsumedCapacity | None) -> str:
    """``0.5 RCU est.`` with the per-index breakdown when an index was read: ``2 RCU (table 0 · GSI1 2)``."""
    if cap is None:
        return "capacity n/a"
    unit = "WCU" if cap.kind == "write" else "RCU"
    text = f"{format_units(cap.total)} {unit}"
    if cap.indexes:
        parts = [f"table {format_units(cap.table)}"] + [
            f"{n} {format_units(u)}" for n, u in cap.indexes.items()
        ]
        text += f" ({' · '.join(parts)})"
    return text + (" est." if cap.estimated else "")


@dataclass
class ResultSet:
    """The pages of one request, kept: going back through them costs no request."""

    built: BuiltRequest
    schema: TableSchema | None
    generation: int
    pages: list[PageInfo] = field(default_factory=list)
    resume: dict[int, Any] = field(default_factory=dict)  # segment -> LastEvaluatedKey / NextToken
    exhausted: bool = False
    items: int = 0
    scanned: int = 0
    capacity: ConsumedCapacity | None = None

    @property
    def has_more(self) -> bool:
        """More to read: some segment has a resume point, or was never started. A parallel scan's resume
        map holds only the segments read so far; one that is absent is unread, not finished."""
        if self.exhausted or self.built.api == "get_item":
            return False
        segments = self.built.request.segments if self.built.api == "scan" else 1
        unread = object()
        return any(self.resume.get(s, unread) is not None for s in range(max(segments, 1)))

    def add_page(self, info: PageInfo) -> None:
        self.pages.append(info)
        self.items += info.items
        self.scanned += info.scanned
        if info.capacity is not None:
            self.capacity = info.capacity if self.capacity is None else self.capacity + info.capacity

    def page_of_row(self, row: int) -> PageInfo | None:
        """The page holding ``row`` (by its first row)."""
        if not self.pages:
            return None
        starts = [p.first_row for p in self.pages]
        return self.pages[max(0, bisect.bisect_right(starts, row) - 1)]
