"""The bounded sample, item by item: the key distribution, index membership and TTL values it shows."""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.distribution import DistributionBuilder
from ddbtui.core.report.model import (
    TTL_MILLIS,
    TTL_NAME_HINTS,
    TTL_TOO_OLD,
    SampleFacts,
    TtlStats,
)
from ddbtui.core.schema import IndexSchema, TableSchema


def _number(av: Mapping[str, Any]) -> Decimal | None:
    if "N" not in av:
        return None
    try:
        return Decimal(av["N"])
    except (InvalidOperation, TypeError):
        return None


class SampleAccumulator:
    """Add sampled items one by one; ``result()`` gives the ``SampleFacts`` (memory: per partition key)."""

    def __init__(self, schema: TableSchema, ttl_attribute: str | None, now: int | None = None) -> None:
        self.schema = schema
        self.ttl_attribute = ttl_attribute
        self.now = int(time.time()) if now is None else now
        self.builder = DistributionBuilder(schema.key, schema.lsis)
        self._indexes: tuple[IndexSchema, ...] = (*schema.lsis, *schema.gsis)
        self.presence = {ix.label: 0 for ix in self._indexes}
        self._ttl = dict.fromkeys(("expired", "too_old", "live", "missing", "not_number", "millis"), 0)
        self.candidates: dict[str, int] = {}

    def add(self, item: Mapping[str, Mapping[str, Any]]) -> None:
        self.builder.add(item)
        for ix in self._indexes:
            if all(a in item for a in ix.key.attributes):
                self.presence[ix.label] += 1
        if self.ttl_attribute:
            self._count_ttl(item.get(self.ttl_attribute))
        else:
            for name, av in item.items():
                lowered = name.lower()
                if any(h in lowered for h in TTL_NAME_HINTS):
                    n = _number(av)
                    if n is not None and 10**9 <= n < 10**10:
                        self.candidates[name] = self.candidates.get(name, 0) + 1

    def _count_ttl(self, av: Mapping[str, Any] | None) -> None:
        t = self._ttl
        if av is None:
            t["missing"] += 1
            return
        n = _number(av)
        if n is None:
            t["not_number"] += 1
        elif n >= TTL_MILLIS:
            t["millis"] += 1
        elif n <= self.now:
            t["expired"] += 1
            if n < self.now - TTL_TOO_OLD:
                t["too_old"] += 1
        else:
            t["live"] += 1

    def result(
        self,
        requested: int,
        *,
        capacity: float = 0.0,
        estimated: bool = True,
        segments: int = 1,
        complete: bool = False,
        stopped_by_cap: bool = False,
        max_capacity: float | None = None,
    ) -> SampleFacts:
        ttl = TtlStats(self.ttl_attribute, **self._ttl) if self.ttl_attribute else None
        return SampleFacts(
            requested=requested,
            distribution=self.builder.result(),
            index_presence=dict(self.presence),
            ttl=ttl,
            ttl_candidates=dict(self.candidates),
            capacity=capacity,
            estimated=estimated,
            segments=segments,
            complete=complete,
            stopped_by_cap=stopped_by_cap,
            max_capacity=max_capacity,
            now=self.now,
        )
