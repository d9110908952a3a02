"""The shapes of the advisor model corpus: a table, its seeded items, and its documented access patterns.

Every model module (``m_*.py``) exports ``MODEL``. Its items are plain Python values (str, int, Decimal,
bool, lists, dicts, sets), generated from a fixed seed so every run sees the same data and the same skew.
Requests are written in ddbtui's expression language with inline literals, exactly what a user would pass to
``ddbtui explain --key/--filter/--project``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Attr = tuple[str, str]  # (name, "S" | "N" | "B")
IndexSpec = tuple[
    str, Attr, Attr | None, Any
]  # (name, pk, sk, "ALL" | "KEYS_ONLY" | {"ProjectionType": ...})


@dataclass(frozen=True)
class Req:
    """One read as a user writes it. ``op``: scan | query | get | queries (one Query per key, merged)."""

    op: str
    key: str | None = None
    keys: tuple[str, ...] = ()
    index: str | None = None
    filter: str | None = None
    project: str | None = None
    select: str | None = None  # e.g. ALL_ATTRIBUTES (an LSI query that fetches from the table)
    desc: bool = False

    def describe(self) -> str:
        where = f" {self.index}" if self.index else ""
        parts = [f"{self.op}{where}"]
        if self.key:
            parts.append(f"key[{self.key}]")
        if self.keys:
            parts.append(f"{len(self.keys)} keys, e.g. [{self.keys[0]}]")
        if self.filter:
            parts.append(f"filter[{self.filter}]")
        if self.project:
            parts.append(f"project[{self.project}]")
        if self.select:
            parts.append(f"select {self.select}")
        if self.desc:
            parts.append("desc")
        return " ".join(parts)


def scan(filter: str, *, index: str | None = None, project: str | None = None) -> Req:
    return Req("scan", index=index, filter=filter, project=project)


def query(
    key: str,
    filter: str | None = None,
    *,
    index: str | None = None,
    project: str | None = None,
    select: str | None = None,
    desc: bool = False,
) -> Req:
    return Req("query", key=key, index=index, filter=filter, project=project, select=select, desc=desc)


def get(key: str, *, project: str | None = None) -> Req:
    """GetItem; ``key`` fixes the full primary key with ``=`` conjuncts."""
    return Req("get", key=key, project=project)


def queries(
    keys: list[str] | tuple[str, ...],
    filter: str | None = None,
    *,
    index: str | None = None,
    project: str | None = None,
) -> Req:
    """One Query per key condition (e.g. one per write shard), results merged."""
    return Req("queries", keys=tuple(keys), index=index, filter=filter, project=project)


@dataclass(frozen=True)
class Pattern:
    """A documented access pattern: what a newcomer writes, and the request the design documents.

    ``tags`` name the technique the documented request relies on (composite-sort-key, entity-prefix,
    gsi, overloaded-gsi, sparse-index, lsi, lsi-fetch, write-sharding, gsi-sharding, get-item, ...).
    ``source`` is the citation key of the model (or a URL) the pattern comes from; ``note`` says what was
    derived rather than copied (values, or a variant of a documented pattern).
    """

    id: str
    title: str
    naive: Req
    best: Req
    tags: tuple[str, ...] = ()
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Table:
    pk: Attr
    sk: Attr | None = None
    gsis: tuple[IndexSpec, ...] = ()
    lsis: tuple[IndexSpec, ...] = ()


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    url: str
    detail: str = ""  # file, commit or section


@dataclass(frozen=True)
class Model:
    name: str  # short, used in test ids and table names
    title: str
    citations: tuple[Citation, ...]
    table: Table
    make_items: Callable[[random.Random], list[dict[str, Any]]]
    patterns: tuple[Pattern, ...]
    seed: int = 20
    notes: str = ""
    _cache: dict[str, list[dict[str, Any]]] = field(default_factory=dict, compare=False, repr=False)

    def items(self) -> list[dict[str, Any]]:
        """The seeded items (generated once, deterministic)."""
        if "items" not in self._cache:
            items = self.make_items(random.Random(self.seed))
            keys = [self.table.pk[0]] + ([self.table.sk[0]] if self.table.sk else [])
            seen = set()
            for it in items:
                k = tuple(it[a] for a in keys)
                if k in seen:
                    raise ValueError(f"{self.name}: duplicate primary key {k}")
                seen.add(k)
            self._cache["items"] = items
        return self._cache["items"]


# ---- helpers the model modules share ----------------------------------------------------------------

_WORDS = (
    "alpha beta gamma delta service request latency region cluster bucket object lambda stream table index "
    "partition throughput capacity replica backup restore export import metric alarm dashboard network "
    "subnet gateway endpoint policy role user group token session cache queue topic event rule schedule "
    "deploy release version rollback canary health check timeout retry error warning notice order invoice "
    "payment shipment product warehouse customer account report summary detail note comment review"
)
WORDS = tuple(_WORDS.split())


def text(rng: random.Random, size: int) -> str:
    """About ``size`` characters of words (deterministic from ``rng``)."""
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)[:size]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def money(rng: random.Random, lo: float, hi: float) -> Decimal:
    return Decimal(f"{rng.uniform(lo, hi):.2f}")
