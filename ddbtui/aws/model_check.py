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
TARGET_PAGES = 2  # of the filtered read for a pattern whose parameters the sample cannot fill
TARGET_PAGE_ITEMS = 500


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
    entity = model.entity(p.entity)
    values, how = fill(p, items, index, schema.key, entity, model.type_attribute)
    if values is None and sample is not None and not sample.complete:
        more = _targeted(client, p, schema, entity, model.type_attribute, estimate)
        if more:
            values, how = fill(p, more, index, schema.key, entity, model.type_attribute)
            if values is not None:
                how += f" (a filtered read of {len(more):,} items: the sample held none)"
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


def _targeted(
    client: Any, p: Any, schema: TableSchema, entity: Any, type_attribute: str, estimate: bool
) -> list[Any]:
    """Items to fill a pattern's parameters from when the sample held none: at most ``TARGET_PAGES``
    pages of a Scan of the index the pattern reads, filtered to its entity (by the type attribute) or to
    items that carry the attributes its parameters stand for."""
    from ddbtui.core.expr import name_source
    from ddbtui.core.model.match import bindings
    from ddbtui.core.requests import ReadRequest, build

    attrs = sorted(set(bindings(p).values()))
    if entity is not None and entity.type_value is not None:
        value = entity.type_value.replace("'", "''")
        cond = f"{name_source(type_attribute)} = '{value}'"
    elif attrs:
        cond = " AND ".join(f"attribute_exists({name_source(a)})" for a in attrs)
    else:
        return []
    req = ReadRequest(
        "scan",
        table=schema.name,
        index=p.request.index,
        filter=cond,
        page_size=TARGET_PAGE_ITEMS,
        max_pages=TARGET_PAGES,
    )
    try:
        built = build(req, schema)
    except Exception:  # an index the table lacks: the verdict says so
        return []
    out: list[Any] = []
    for page in PageRunner(client, built, schema, threading.Event()).pages():
        out.extend(page.items)
    return out


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
