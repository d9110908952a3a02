"""A pattern's verdict against a live table: the operation it really is, the index it reads, whether that
index projects what the caller needs, how the sampled items fit the entity's templates, what one call
consumed (measured by the caller), at the pattern's rate per second and per month, and the advisor's
suggestion when the pattern is a Scan or a wasteful Query.

Status: ``ok`` (✓), ``warn`` (⚠: a wasteful Query, templates that do not fit the data, a cost unknown) and
``fail`` (✗: a Scan, an index that does not exist, a request the table cannot serve, needed attributes
the index does not project). ``failed`` lists the ✗ patterns; ``ddbtui model check`` exits 4 for them.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.advisor import Suggestion, advise
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.model.match import Fit
from ddbtui.core.model.spec import Model, Pattern
from ddbtui.core.prices import price_for
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text

SECONDS_PER_MONTH = 730 * 3600  # AWS prices a month as 730 hours
MARK = {"ok": "✓", "warn": "⚠", "fail": "✗"}
WASTE_RATIO = 4  # a Query that reads 4x the items it returns (a filter drops 3 of 4) is wasteful
WASTE_MIN = 20  # ...when it reads at least this many


@dataclass
class Measured:
    """One run of the pattern: capacity consumed (``estimated``: ddbtui's own figure), items returned and
    read, pages, whether more were left (the run was capped)."""

    rcu: float | None
    estimated: bool = False
    count: int = 0
    scanned: int = 0
    pages: int = 0
    more: bool = False
    items: tuple[Any, ...] = ()


@dataclass
class Verdict:
    pattern: Pattern
    status: str = "ok"
    operation: str = ""  # GetItem | Query | Scan | —
    index: str = "table"
    why: str = ""
    notes: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    params_from: str = ""
    missing: list[str] = field(default_factory=list)
    entity: str | None = None
    measured: Measured | None = None
    rcu: float | None = None
    rcu_estimated: bool = False
    rcu_per_s: float | None = None
    usd_month: float | None = None
    advice: Suggestion | None = None
    built: Any = None  # the BuiltRequest the caller runs (None: not to run)

    def fail(self, why: str) -> None:
        self.status, self.why = "fail", why

    def warn(self, why: str) -> None:
        if self.status == "ok":
            self.status, self.why = "warn", why
        else:
            self.notes.append(why)

    def to_json(self) -> dict[str, Any]:
        m = self.measured
        return {
            "name": self.pattern.name,
            "status": self.status,
            "operation": self.operation,
            "index": self.index,
            "why": self.why,
            "notes": self.notes,
            "entity": self.entity,
            "params": {
                k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in self.params.items()
            },
            "params_from": self.params_from,
            "missing_attributes": self.missing,
            "rcu_per_call": self.rcu,
            "rcu_estimated": self.rcu_estimated,
            "items_returned": m.count if m else None,
            "items_read": m.scanned if m else None,
            "rate": self.pattern.rate,
            "rcu_per_second": self.rcu_per_s,
            "usd_per_month": self.usd_month,
            "advice": self.advice.to_json() if self.advice else None,
        }


def operation_name(api: str) -> str:
    return {"get_item": "GetItem", "query": "Query", "scan": "Scan"}.get(api, api)


def first_fix(
    req: ReadRequest, schema: TableSchema, sample: TableSample | None, region: str | None, stats: Any = None
) -> Suggestion | None:
    """The advisor's best rewrite of ``req`` (a proposed index included); without one, its first
    warning (why nothing better exists); None when it says nothing."""
    said = advise(req, schema, stats, region=region, sample=sample)
    return next((s for s in said if s.actionable), said[0] if said else None)


def prepare(
    v: Verdict, schema: TableSchema, req: ReadRequest, sample: TableSample | None, region: str | None
) -> None:
    """The verdict before the run: the index, the operation, projection coverage; ``v.built`` is set
    when the request is to be run once for its capacity (a Scan is not run: the advisor prices it)."""
    from ddbtui.core.errors import UsageError
    from ddbtui.core.requests import build

    p = v.pattern
    v.index = req.index or "table"
    if req.index:
        try:
            schema.index(req.index)
        except KeyError:
            known = ", ".join(i.name for i in (*schema.lsis, *schema.gsis) if i.name) or "none"
            v.operation = "—"
            v.fail(f"index {req.index} does not exist on {schema.name} (indexes: {known})")
            fallback = ReadRequest(
                "scan",
                table=req.table,
                filter=_and(req.key, req.filter),
                projection=req.projection,
                values=req.values,
            )
            v.advice = first_fix(fallback, schema, sample, region)
            return
    try:
        built = build(req, schema)
    except UsageError as e:
        v.operation = "—"
        v.fail(f"the table cannot serve it as written: {safe_text(str(e)).splitlines()[0]}")
        if req.operation == "query":
            fallback = ReadRequest(
                "scan",
                table=req.table,
                index=req.index,
                filter=_and(req.key, req.filter),
                projection=req.projection,
                values=req.values,
            )
            v.advice = first_fix(fallback, schema, sample, region)
        return
    v.operation = operation_name(built.api)
    index = schema.index(req.index)
    v.missing = [a for a in p.needs if not index.projects(a, schema.key)]
    if req.projection:
        proj = {s.strip().split(".")[0].split("[")[0] for s in req.projection.split(",")}
        v.missing += [a for a in p.needs if a not in proj and a not in v.missing]
    if built.api == "scan":
        v.fail(f"a Scan: it reads every item of {index.label}")
        v.advice = first_fix(req, schema, sample, region)
        return
    if v.missing:
        v.fail(f"{index.label} does not project {', '.join(v.missing)} (projection {index.projection})")
    v.built = built


def _and(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"({a}) AND ({b})"
    return a or b


def finish(
    v: Verdict,
    schema: TableSchema,
    req: ReadRequest,
    sample: TableSample | None,
    region: str | None,
    measured: Measured | None,
    model: Model,
) -> None:
    """The verdict after the run: capacity, rate, cost, waste, the templates' fit."""
    from ddbtui.core.advisor import Advisor, CannotAdvise, RunStats
    from ddbtui.core.model.match import entity_of

    p = v.pattern
    v.measured = measured
    if measured is not None:
        v.rcu, v.rcu_estimated = measured.rcu, measured.estimated
        if measured.more:
            v.notes.append(f"the run stopped after {measured.pages} pages: the figure is a lower bound")
        found = [entity_of(model, it) for it in measured.items]
        names = [e.name for e in found if e is not None]
        if p.entity and measured.items and p.entity not in names:
            v.warn(f"none of the {len(measured.items)} items returned fits entity {p.entity}'s templates")
        v.entity = p.entity or (max(set(names), key=names.count) if names else None)
        if (
            req.operation == "query"
            and measured.scanned >= WASTE_MIN
            and measured.scanned >= WASTE_RATIO * max(1, measured.count)
        ):
            stats = RunStats(
                measured.count,
                measured.scanned,
                measured.pages,
                measured.rcu,
                measured.estimated,
                not measured.more,
                measured.items,
            )
            v.advice = first_fix(req, schema, sample, region, stats)
            v.warn(f"wasteful: reads {measured.scanned:,} items to return {measured.count:,}")
    elif v.operation == "Scan":
        try:
            v.rcu = Advisor(req, schema, None, region, sample).current_rcu()
            v.rcu_estimated = True
        except CannotAdvise:
            v.rcu = None
    if v.rcu is not None and p.rate:
        v.rcu_per_s = v.rcu * p.rate
        v.usd_month = price_for(region, schema.billing_mode).cost(v.rcu_per_s * SECONDS_PER_MONTH, 0.0)
    if v.status == "ok":
        v.why = _ok_why(v)


def _ok_why(v: Verdict) -> str:
    where = "the table" if v.index == "table" else v.index
    m = v.measured
    if v.operation == "GetItem":
        return "one item by its full key"
    n = f"{m.count:,} item{'s' if m and m.count != 1 else ''}" if m else "items"
    return f"a Query of one partition of {where} ({n} returned)"


def templates_note(model: Model, fit_: Fit | None, table: str | None = None) -> list[str]:
    """Lines on how the sample of ``table`` fits the entities (for the head of the output): every entity
    some sampled item fits, and those the patterns of ``table`` read that none fits."""
    if fit_ is None or not fit_.items:
        return ["templates: no sample read, not checked"]
    out = []
    named = {p.entity for p in model.patterns if p.entity and (table is None or p.request.table == table)}
    for name in model.entities:
        n = fit_.by_entity.get(name, 0)
        if n == 0 and name not in named:
            continue
        line = f"{name}: {n:,} of {fit_.items:,} sampled items"
        if name in fit_.conflicts:
            line += f", {fit_.conflicts[name]:,} disagree ({fit_.conflict_examples[name]})"
        if n == 0:
            line += " — no item fits its templates"
        out.append(line)
    if fit_.unmatched:
        out.append(f"{fit_.unmatched:,} items fit no entity, e.g. {', '.join(fit_.unmatched_keys)}")
    return out
