"""``alter``: several changes to one table, split into the calls DynamoDB accepts, in an order that works.

DynamoDB takes one index creation or deletion per UpdateTable and refuses a new UpdateTable until the
table is ACTIVE again, so each index change is its own call, waited for. The order: deletion protection
on first (safety early), billing and throughput (a switch to provisioned names every GSI's throughput),
stream, table class, index drops (freeing room under the 20-GSI limit), index creations (each waits for
its backfill), then TTL, PITR, Contributor Insights, autoscaling, deletion protection off last. Every step
carries its undo from the state before (``TableState``) or says why it has none. Pure: stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ddbtui.core.admin.autoscale import Targets, autoscaling_steps
from ddbtui.core.admin.cost import backfill_estimate, provisioned_cost_text
from ddbtui.core.admin.create import _pitr_step, _ttl_step
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.admin.specs import MAX_GSIS, Autoscaling, IndexSpec
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import IndexSchema, KeySchema, TableSchema


@dataclass
class TableState:
    """What a table is now: its description and the settings other APIs hold (None: unknown)."""

    schema: TableSchema
    ttl_attribute: str | None = None
    ttl_status: str | None = None  # ENABLED | DISABLED | ENABLING | DISABLING | None (unknown)
    pitr: bool | None = None
    contributor_insights: str | None = None  # ENABLED | DISABLED | None
    scalable_targets: Targets | None = None

    @property
    def name(self) -> str:
        return self.schema.name


@dataclass
class AlterRequest:
    """The changes asked for. None leaves a setting as it is; for ``ttl`` and ``stream`` False means off."""

    add_gsis: list[IndexSpec] = field(default_factory=list)
    drop_gsis: list[str] = field(default_factory=list)
    ttl: str | bool | None = None
    pitr: bool | None = None
    deletion_protection: bool | None = None
    on_demand: bool = False
    provisioned: tuple[int, int] | None = None
    gsi_throughput: dict[str, tuple[int, int]] = field(default_factory=dict)
    autoscaling: Autoscaling | None = None
    stream: str | bool | None = None
    contributor_insights: bool | None = None
    table_class: str | None = None


def _rw(r: int | None, w: int | None) -> dict[str, int]:
    return {"ReadCapacityUnits": int(r or 1), "WriteCapacityUnits": int(w or 1)}


def _update(table: str, params: dict[str, Any], summary: str, kind: str, undo: tuple[Step, ...] | None,
            wait: Wait | None = None, irreversible: str | None = None) -> Step:  # fmt: skip
    return Step("UpdateTable", {"TableName": table, **params}, summary, kind=kind, table=table,
                wait=wait or Wait("table-active", table), undo=undo, irreversible=irreversible)  # fmt: skip


def _gsi_throughput(raw: Mapping[str, Any], name: str) -> tuple[int | None, int | None]:
    for g in raw.get("GlobalSecondaryIndexes") or []:
        if g.get("IndexName") == name:
            pt = g.get("ProvisionedThroughput") or {}
            return pt.get("ReadCapacityUnits"), pt.get("WriteCapacityUnits")
    return None, None


def _deletion_protection(state: TableState, on: bool) -> Step | None:
    if bool(state.schema.deletion_protection) == on:
        return None
    t = state.name
    inverse = _update(t, {"DeletionProtectionEnabled": not on}, f"deletion protection {'off' if on else 'on'}",
                      "deletion-protection", (), wait=Wait("table-active", t))  # fmt: skip
    return _update(t, {"DeletionProtectionEnabled": on}, f"deletion protection {'on' if on else 'off'}",
                   "deletion-protection", (inverse,))  # fmt: skip


def _billing(
    state: TableState, req: AlterRequest, plan: Plan, now: datetime | None, region: str | None
) -> Step | None:
    s, t = state.schema, state.name
    raw = s.raw
    gsis = [g.name for g in s.gsis if g.name]
    unknown = [n for n in req.gsi_throughput if n not in gsis and n not in {g.name for g in req.add_gsis}]
    if unknown:
        raise UsageError(
            f"--gsi-provisioned names {', '.join(unknown)}, not an index of {t} (GSIs: {', '.join(gsis) or 'none'})"
        )
    provisioned_now = s.billing_mode == "PROVISIONED"
    old_updates = [
        {"Update": {"IndexName": n, "ProvisionedThroughput": _rw(*_gsi_throughput(raw, n))}} for n in gsis
    ]
    old_provisioned = {
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": _rw(s.read_capacity, s.write_capacity),
    }
    if old_updates:
        old_provisioned["GlobalSecondaryIndexUpdates"] = old_updates
    if req.on_demand:
        if not provisioned_now:
            return None
        plan.risks.append(
            "switching to on-demand is limited: up to four times in a rolling 24 h (DynamoDB's quota; it used "
            "to be once per 24 h); autoscaling targets stay registered but do nothing while on-demand"
        )
        undo = _update(
            t,
            old_provisioned,
            f"back to provisioned {s.read_capacity} RCU / {s.write_capacity} WCU",
            "billing",
            (),
        )
        return _update(
            t,
            {"BillingMode": "PAY_PER_REQUEST"},
            "billing mode to on-demand (PAY_PER_REQUEST)",
            "billing",
            (undo,),
        )
    if req.provisioned is None and not req.gsi_throughput:
        return None
    table_rw = req.provisioned or (s.read_capacity or 1, s.write_capacity or 1)
    if not provisioned_now and req.provisioned is None:
        raise UsageError(f"{t} is on-demand: --gsi-provisioned needs --provisioned RCU,WCU for the table too")
    params: dict[str, Any] = {}
    if not provisioned_now:
        params["BillingMode"] = "PROVISIONED"
    if not provisioned_now or (table_rw[0], table_rw[1]) != (s.read_capacity, s.write_capacity):
        params["ProvisionedThroughput"] = _rw(*table_rw)
    updates = []
    for n in gsis:
        want = req.gsi_throughput.get(n) or (table_rw if not provisioned_now else None)
        if want is not None and (not provisioned_now or tuple(want) != _gsi_throughput(raw, n)):
            updates.append({"Update": {"IndexName": n, "ProvisionedThroughput": _rw(*want)}})
    if updates:
        params["GlobalSecondaryIndexUpdates"] = updates
    if not params:
        return None
    plan.costs.append(provisioned_cost_text("table", table_rw[0], table_rw[1], region))
    for u in updates:
        pt = u["Update"]["ProvisionedThroughput"]
        plan.costs.append(
            provisioned_cost_text(
                f"GSI {u['Update']['IndexName']}", pt["ReadCapacityUnits"], pt["WriteCapacityUnits"], region
            )
        )
    if provisioned_now:
        decreases = (raw.get("ProvisionedThroughput") or {}).get("NumberOfDecreasesToday")
        if table_rw[0] < (s.read_capacity or 0) or table_rw[1] < (s.write_capacity or 0):
            plan.risks.append(
                f"a decrease: DynamoDB allows a limited number per day (decreases today so far: {decreases if decreases is not None else 'unknown'})"
            )
        back = {"ProvisionedThroughput": _rw(s.read_capacity, s.write_capacity)}
        olds = [
            o
            for o in old_updates
            if any(o["Update"]["IndexName"] == u["Update"]["IndexName"] for u in updates)
        ]
        if olds:
            back["GlobalSecondaryIndexUpdates"] = olds
        undo = _update(
            t, back, f"throughput back to {s.read_capacity} RCU / {s.write_capacity} WCU", "throughput", ()
        )
        return _update(t, params, f"throughput to {table_rw[0]} RCU / {table_rw[1]} WCU"
                       + (f", {len(updates)} GSI(s) updated" if updates else ""), "throughput", (undo,))  # fmt: skip
    last = (raw.get("BillingModeSummary") or {}).get("LastUpdateToPayPerRequestDateTime")
    when = _parse_time(last)
    risk = (
        "undoing this (back to on-demand) counts against the limit on switches to on-demand in a rolling 24 h"
    )
    if when is not None and now is not None and now - when < timedelta(hours=24):
        risk += f"; the table last switched to on-demand at {when.isoformat()}, within the last 24 h"
    plan.risks.append(risk)
    undo = _update(t, {"BillingMode": "PAY_PER_REQUEST"}, "billing mode back to on-demand", "billing", ())
    return _update(t, params, f"billing mode to provisioned, {table_rw[0]} RCU / {table_rw[1]} WCU"
                   + (f" (and {len(updates)} GSI(s))" if updates else ""), "billing", (undo,))  # fmt: skip


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _stream(state: TableState, want: str | bool, plan: Plan) -> list[Step]:
    t, now = state.name, state.schema.stream_view_type
    target = None if want is False else str(want)
    if target == now:
        return []
    steps: list[Step] = []

    def on(view: str) -> dict[str, Any]:
        return {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": view}}

    off = {"StreamSpecification": {"StreamEnabled": False}}
    if now is not None:
        undo = _update(t, on(now), f"stream on again ({now}): a new stream, a new ARN", "stream", ())
        steps.append(_update(t, off, f"stream off (was {now})", "stream", (undo,)))
        plan.risks.append("turning the stream off ends it: its records stay readable for 24 h, then are gone; "
                          "a stream turned on again is a new stream with a new ARN, consumers must move to it")  # fmt: skip
    if target is not None:
        undo = _update(t, off, "stream off", "stream", ())
        steps.append(_update(t, on(target), f"stream on ({target})", "stream", (undo,)))
    return steps


def _drop_gsi(state: TableState, name: str, plan: Plan, uses: Sequence[str]) -> Step:
    t = state.name
    if name not in {g.name for g in state.schema.gsis}:
        if name in {x.name for x in state.schema.lsis}:
            raise UsageError(
                f"{name} is a local secondary index: LSIs cannot be dropped (only with the table)"
            )
        raise UsageError(
            f"{t} has no GSI {name} (GSIs: {', '.join(g.name or '' for g in state.schema.gsis) or 'none'})"
        )
    why = (f"dropping {name} deletes the index; re-creating it means a full backfill, and the queries that use it "
           "fail until then")  # fmt: skip
    plan.risks.append(why)
    if uses:
        plan.risks.append(f"{name} is used by: {'; '.join(uses)}")
    else:
        plan.notes.append(
            f"no saved access pattern or history entry of ddbtui uses {name} (other applications may)"
        )
    return _update(t, {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": name}}]}, f"drop GSI {name}",
                   "gsi-drop", None, wait=Wait("index-gone", t, name), irreversible=why)  # fmt: skip


def _add_gsi(state: TableState, spec: IndexSpec, req: AlterRequest, plan: Plan, sample: Sequence[Mapping[str, Any]] | None,
             region: str | None, will_be_provisioned: bool) -> Step:  # fmt: skip
    s, t = state.schema, state.name
    existing = {g.name for g in s.gsis if g.name not in req.drop_gsis} | {x.name for x in s.lsis}
    if spec.name in existing:
        raise UsageError(
            f"{t} already has an index {spec.name}: choose another name, or drop it first (--drop-gsi)"
        )
    defs = dict(s.attribute_types)
    for k in spec.key:
        if defs.setdefault(k.name, k.type) != k.type:
            raise UsageError(
                f"attribute {k.name} is a key of {t} as type {defs[k.name]}, not {k.type}: an attribute has one type in every key"
            )
    params: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": v} for n, v in sorted(defs.items())],
    }
    create: dict[str, Any] = {
        "IndexName": spec.name,
        "KeySchema": spec.key_schema(),
        "Projection": spec.projection_params(),
    }
    rw = (
        spec.throughput
        or req.gsi_throughput.get(spec.name)
        or req.provisioned
        or (s.read_capacity, s.write_capacity)
    )
    if will_be_provisioned:
        create["ProvisionedThroughput"] = _rw(*rw)
    params["GlobalSecondaryIndexUpdates"] = [{"Create": create}]
    index = IndexSchema(spec.name, "gsi", KeySchema(spec.key[0].name, spec.key[1].name if len(spec.key) > 1 else None),
                        spec.projection, spec.non_key_attributes)  # fmt: skip
    est = backfill_estimate(
        s,
        index,
        sample=sample,
        region=region,
        index_wcu=int(rw[1] or 1) if will_be_provisioned else None,
        billing_mode="PROVISIONED" if will_be_provisioned else "PAY_PER_REQUEST",
    )
    plan.costs.append(est.describe(spec.name))
    keys = " and ".join(index.key.attributes)
    plan.costs.append(f"from now on every write of an item with {keys} also writes {spec.name} "
                      f"(1 WCU per KB of its {spec.projection} entry; twice when its key changes)")  # fmt: skip
    plan.notes.append(f"{spec.name} cannot be queried until its backfill is done (IndexStatus ACTIVE)")
    undo = _update(t, {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": spec.name}}]},
                   f"drop GSI {spec.name} (ddbtui created it)", "gsi-drop", (), wait=Wait("index-gone", t, spec.name))  # fmt: skip
    return _update(
        t,
        params,
        f"add GSI {spec.describe()}",
        "gsi-create",
        (undo,),
        wait=Wait("index-active", t, spec.name),
    )


def _ttl(state: TableState, want: str | bool) -> Step | None:
    t, attr, status = state.name, state.ttl_attribute, state.ttl_status
    if status in ("ENABLING", "DISABLING"):
        raise UsageError(
            f"a TTL change of {t} is in progress ({status}): DynamoDB takes up to an hour; try again later"
        )
    enabled = status == "ENABLED" or (status is None and attr is not None)
    if want is False:
        return _ttl_step(t, attr, False) if enabled and attr else None
    assert isinstance(want, str)
    if enabled and attr == want:
        return None
    if enabled:
        raise UsageError(
            f"TTL of {t} is on attribute {attr}: turn it off first (alter {t} --ttl off) and set {want} after "
            "DynamoDB has applied that (up to an hour; it takes one TTL change at a time)"
        )
    return _ttl_step(t, want, True)


def _contributor_insights(state: TableState, on: bool) -> Step | None:
    if state.contributor_insights is not None and (state.contributor_insights == "ENABLED") == on:
        return None
    t = state.name

    def step(enable: bool, undo: tuple[Step, ...]) -> Step:
        return Step("UpdateContributorInsights", {"TableName": t, "ContributorInsightsAction": "ENABLE" if enable else "DISABLE"},
                    f"Contributor Insights {'on' if enable else 'off'}", kind="contributor-insights", table=t, undo=undo)  # fmt: skip

    return step(on, (step(not on, ()),))


def plan_alter(
    state: TableState,
    req: AlterRequest,
    *,
    region: str | None = None,
    sample: Sequence[Mapping[str, Any]] | None = None,
    index_uses: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
) -> Plan:
    """The plan of ``req`` on the table in ``state``. ``sample``: items for the backfill estimate;
    ``index_uses``: per index, the access patterns and history entries that query it (named when it is
    dropped); ``now``: for the 24-hour billing rule."""
    s, t = state.schema, state.name
    if req.on_demand and (req.provisioned or req.gsi_throughput):
        raise UsageError("--on-demand and --provisioned exclude each other")
    if len(set(req.drop_gsis)) != len(req.drop_gsis) or len({g.name for g in req.add_gsis}) != len(
        req.add_gsis
    ):
        raise UsageError("an index is named twice")
    remaining = len(s.gsis) - len(set(req.drop_gsis)) + len(req.add_gsis)
    if remaining > MAX_GSIS:
        raise UsageError(f"{t} would have {remaining} GSIs; a table has at most {MAX_GSIS}")
    plan = Plan(f"alter table {t}", t)
    if req.deletion_protection is True and (step := _deletion_protection(state, True)):
        plan.steps.append(step)
    if step := _billing(state, req, plan, now, region):
        plan.steps.append(step)
    if req.stream is not None:
        plan.steps.extend(_stream(state, req.stream, plan))
    if req.table_class and req.table_class != (s.table_class or "STANDARD"):
        was = s.table_class or "STANDARD"
        undo = _update(t, {"TableClass": was}, f"table class back to {was}", "table-class", ())
        plan.steps.append(
            _update(
                t,
                {"TableClass": req.table_class},
                f"table class to {req.table_class}",
                "table-class",
                (undo,),
            )
        )
        plan.risks.append(
            "a table's class can be changed at most twice in 30 days (undoing this is the second)"
        )
    for name in req.drop_gsis:
        plan.steps.append(_drop_gsi(state, name, plan, (index_uses or {}).get(name, ())))
    will_be_provisioned = not req.on_demand and (
        s.billing_mode == "PROVISIONED" or req.provisioned is not None
    )
    for spec in req.add_gsis:
        plan.steps.append(_add_gsi(state, spec, req, plan, sample, region, will_be_provisioned))
    if req.ttl is not None and (step := _ttl(state, req.ttl)):
        plan.steps.append(step)
        if step.params["TimeToLiveSpecification"]["Enabled"]:
            plan.risks.append(
                f"items whose {req.ttl} holds an epoch time in the past are deleted by DynamoDB within days; "
                "undoing TTL does not bring deleted items back"
            )
        plan.notes.append(
            "DynamoDB takes up to an hour to apply a TTL change and accepts no other TTL change meanwhile"
        )
    if req.pitr is not None and state.pitr is not req.pitr:
        plan.steps.append(_pitr_step(t, req.pitr))
        if req.pitr:
            plan.costs.append("point-in-time recovery is billed per GB-month of the table's size")
        else:
            plan.risks.append("turning point-in-time recovery off discards the restore window (up to 35 days); "
                              "turning it on again starts a new window from then")  # fmt: skip
    if req.contributor_insights is not None and (
        step := _contributor_insights(state, req.contributor_insights)
    ):
        plan.steps.append(step)
        if req.contributor_insights:
            plan.costs.append("Contributor Insights is billed per rule and per million events it processes")
    if req.autoscaling is not None:
        if not will_be_provisioned:
            raise UsageError(
                f"--autoscaling scales provisioned capacity and {t} is (or becomes) on-demand: add --provisioned RCU,WCU"
            )
        names = [g.name for g in s.gsis if g.name not in req.drop_gsis] + [g.name for g in req.add_gsis]
        plan.steps.extend(autoscaling_steps(t, [None, *names], req.autoscaling, state.scalable_targets))
    if req.deletion_protection is False and (step := _deletion_protection(state, False)):
        plan.steps.append(step)
        plan.risks.append(
            f"without deletion protection, {t} can be deleted by anyone allowed to call DeleteTable"
        )
    return plan
