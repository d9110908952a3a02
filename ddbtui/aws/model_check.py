"""``ddbtui model check``'s I/O: each table's schema and a bounded sample of its items, then every pattern
run once (a Query or GetItem, at most ``MAX_PAGES`` pages) for the capacity it consumes. A Scan is not
run: the advisor prices it from the table's size. The verdicts themselves are worked out in
``ddbtui.core.model.check`` (pure)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ddbtui.aws.advisor_sample import read_advisor_sample
from ddbtui.aws.catalog import load_schema
from ddbtui.aws.runner import PageRunner
from ddbtui.core.advisor.sample import TableSample
from ddbtui.core.model.check import Measured, Verdict, finish, prepare
from ddbtui.core.model.match import Fit, fill, fit, get_key_json
from ddbtui.core.model.spec import Model
from ddbtui.core.schema import TableSchema

MAX_PAGES = 10  # of one pattern's run: a pattern that reads more is reported as a lower bound
KEPT_ITEMS = 200  # items of a run kept to tell which entity they are
SAMPLE_ITEMS = 1000


@dataclass
class CheckResult:
    model: Model
    verdicts: list[Verdict]
    schemas: dict[str, TableSchema] = field(default_factory=dict)
    samples: dict[str, TableSample | None] = field(default_factory=dict)
    fits: dict[str, Fit] = field(default_factory=dict)
    region: str | None = None
    model_tables: dict[str, str] = field(default_factory=dict)  # table read -> the name the model gives it


def check_model(
    client: Any,
    model: Model,
    *,
    table: str | None = None,
    estimate_capacity: bool = False,
    sample_items: int = SAMPLE_ITEMS,
    sized: Any = None,
) -> CheckResult:
    """Every pattern of ``model`` against the live tables. ``table`` replaces the model's table (the
    patterns that name it, or that name none). ``sized``: a function that completes a schema's sizes
    (the demo's, whose emulator reports none)."""
    region = client.meta.region_name
    out = CheckResult(model, [], region=region)

    def target(name: str) -> str:
        return table if table and (name == model.table or model.table is None) else name

    for p in model.patterns:
        name = target(p.request.table)
        if name not in out.schemas:
            schema = load_schema(client, name)
            if sized is not None:
                schema = sized(schema)
            out.schemas[name] = schema
            out.model_tables[name] = p.request.table
            sample = read_advisor_sample(
                client, schema, items=sample_items, estimate_capacity=estimate_capacity
            )
            out.samples[name] = sample
            out.fits[name] = fit(model, sample.items if sample else (), schema.key.attributes)
        out.verdicts.append(
            _one(client, model, p, out.schemas[name], out.samples[name], region, estimate_capacity, name)
        )
    return out


def _one(
    client: Any,
    model: Model,
    p: Any,
    schema: TableSchema,
    sample: TableSample | None,
    region: str | None,
    estimate: bool,
    table: str,
) -> Verdict:
    v = Verdict(p)
    req = p.request.with_(table=table)
    items = sample.items if sample else ()
    try:
        index = schema.index(req.index)
    except KeyError:
        index = schema.table_index
    values, how = fill(p, items, index, schema.key, model.entity(p.entity), model.type_attribute)
    v.params_from = how
    runnable = values is not None
    if values is None:
        v.warn(f"not run: {how}")
        values = {name: p.given.get(name, "?") for name in p.params}
    v.params = values
    if req.operation == "get" and req.key:
        try:
            req = req.with_(key=get_key_json(req.key, values))
        except ValueError as e:
            v.operation = "—"
            v.fail(str(e))
            return v
    else:
        req = req.with_(values=values or None)
    prepare(v, schema, req.with_(max_pages=MAX_PAGES), sample, region)
    measured = None
    if v.built is not None and runnable:
        measured = _run(client, v.built, schema, estimate)
    finish(v, schema, req, sample, region, measured, model)
    return v


def _run(client: Any, built: Any, schema: TableSchema, estimate: bool) -> Measured:
    runner = PageRunner(client, built, schema, threading.Event())
    total, estimated, kept = 0.0, False, []
    reported = False
    for page in runner.pages():
        cap = page.capacity(estimate)
        if cap is not None:
            reported = True
            total += cap.total
            estimated = estimated or cap.estimated
        kept.extend(page.items[: max(0, KEPT_ITEMS - len(kept))])
    st = runner.state
    return Measured(
        total if reported else None,
        estimated,
        st.items,
        st.scanned,
        st.pages,
        not st.exhausted and (built.request.limit is None or st.items < built.request.limit),
        tuple(kept),
    )
