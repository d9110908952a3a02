"""The session's capacity ledger (every request, its units and cost) and the formatting of units and
dollars."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from ddbtui.core import prices as _prices
from ddbtui.core.consumed import ConsumedCapacity


@dataclass(frozen=True)
class LedgerEntry:
    """One request in the session ledger."""

    at: float  # time.time()
    operation: str
    table: str
    capacity: ConsumedCapacity
    cost: float


@dataclass
class TableTotals:
    """Running totals of one table (or of the whole session)."""

    requests: int = 0
    read_units: float = 0.0
    write_units: float = 0.0
    cost: float = 0.0
    estimated: bool = False

    def add(self, capacity: ConsumedCapacity, cost: float) -> None:
        self.requests += 1
        if capacity.kind == "write":
            self.write_units += capacity.total
        else:
            self.read_units += capacity.total
        self.cost += cost
        self.estimated = self.estimated or capacity.estimated


def format_units(units: float) -> str:
    """``37.5`` → "37.5", ``2.0`` → "2", ``12345.0`` → "12,345"."""
    if units == int(units):
        return f"{int(units):,}"
    return f"{units:,.2f}".rstrip("0").rstrip(".")


def format_cost(usd: float) -> str:
    """Dollars for a status line: two significant digits below a cent (``$0.0000047``), cents above."""
    if usd <= 0:
        return "$0"
    if usd >= 0.01:
        return f"${usd:,.2f}"
    # Round to two significant digits, then print in fixed notation (never "4.7e-06").
    return f"${Decimal(f'{usd:.2g}'):f}"


class Ledger:
    """The session's capacity ledger: every request with what it consumed and cost. Thread-safe (workers
    record from their threads while the UI reads)."""

    def __init__(self, region: str | None = None, *, keep: int = 10_000) -> None:
        self.region = region or _prices.DEFAULT_REGION
        self._lock = threading.Lock()
        self._entries: deque[LedgerEntry] = deque(maxlen=keep)
        self._totals = TableTotals()
        self._tables: dict[str, TableTotals] = {}

    def record(
        self,
        operation: str,
        table: str,
        capacity: ConsumedCapacity,
        *,
        billing_mode: str | None = None,
    ) -> LedgerEntry:
        """Add one request. ``billing_mode`` (DescribeTable's, default on-demand) picks the price."""
        price = _prices.price_for(self.region, billing_mode)
        if capacity.kind == "write":
            cost = price.cost(0.0, capacity.total)
        else:
            cost = price.cost(capacity.total, 0.0)
        entry = LedgerEntry(time.time(), operation, table, capacity, cost)
        with self._lock:
            self._entries.append(entry)
            self._totals.add(capacity, cost)
            self._tables.setdefault(table, TableTotals()).add(capacity, cost)
        return entry

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._totals = TableTotals()
            self._tables.clear()

    @property
    def requests(self) -> int:
        with self._lock:
            return self._totals.requests

    @property
    def read_units(self) -> float:
        with self._lock:
            return self._totals.read_units

    @property
    def write_units(self) -> float:
        with self._lock:
            return self._totals.write_units

    @property
    def cost(self) -> float:
        """Estimated dollars for the session (see ``ddbtui.core.prices`` for how provisioned is priced)."""
        with self._lock:
            return self._totals.cost

    @property
    def estimated(self) -> bool:
        """True when any figure in the totals is ddbtui's estimate rather than DynamoDB's."""
        with self._lock:
            return self._totals.estimated

    def totals(self) -> TableTotals:
        with self._lock:
            t = self._totals
            return TableTotals(t.requests, t.read_units, t.write_units, t.cost, t.estimated)

    def per_table(self) -> dict[str, TableTotals]:
        """A copy of the totals per table name."""
        with self._lock:
            return {
                name: TableTotals(t.requests, t.read_units, t.write_units, t.cost, t.estimated)
                for name, t in self._tables.items()
            }

    def entries(self) -> list[LedgerEntry]:
        """A copy of the most recent entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def summary(self) -> str:
        """One line: ``14 requests · 37.5 RCU · 2 WCU · $0.0000047``, with `` (est.)`` appended when any
        figure is ddbtui's estimate."""
        t = self.totals()
        noun = "request" if t.requests == 1 else "requests"
        text = (
            f"{t.requests:,} {noun} · {format_units(t.read_units)} RCU · "
            f"{format_units(t.write_units)} WCU · {format_cost(t.cost)}"
        )
        return text + " (est.)" if t.estimated else text
