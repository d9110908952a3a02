"""CreateTable: from the command line's specs, from a CreateTable JSON (``--from-json``, the shape of
``aws dynamodb create-table --cli-input-json``), and back from a DescribeTable (``describe --as-create``).

``validate_create`` refuses what DynamoDB would refuse, with the reason, before anything is sent.
Pure: stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.admin.autoscale import autoscaling_steps
from ddbtui.core.admin.cost import on_demand_text, provisioned_cost_text
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.admin.specs import (
    KEY_TYPES,
    MAX_GSIS,
    MAX_LSIS,
    PROJECTIONS,
    STREAM_VIEWS,
    TABLE_CLASSES,
    Autoscaling,
    IndexSpec,
    KeyAttr,
    check_name,
    key_schema,
)
from ddbtui.core.errors import UsageError

CREATE_TABLE_MEMBERS = frozenset(
    {"AttributeDefinitions", "TableName", "KeySchema", "LocalSecondaryIndexes", "GlobalSecondaryIndexes",
     "BillingMode", "ProvisionedThroughput", "StreamSpecification", "SSESpecification", "Tags", "TableClass",
     "DeletionProtectionEnabled", "ResourcePolicy", "OnDemandThroughput", "WarmThroughput"}
)  # fmt: skip


@dataclass
class TableDesign:
    """A new table as the command line describes it."""

    name: str
    key: tuple[KeyAttr, ...]
    gsis: list[IndexSpec] = field(default_factory=list)
    lsis: list[IndexSpec] = field(default_factory=list)
    provisioned: tuple[int, int] | None = None  # None: on-demand
    stream: str | None = None
    deletion_protection: bool = False
    table_class: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)

    def params(self) -> dict[str, Any]:
        """CreateTable's parameters (checked by ``validate_create``)."""
        defs: dict[str, str] = {}
        for a in (*self.key, *(k for ix in (*self.lsis, *self.gsis) for k in ix.key)):
            if defs.setdefault(a.name, a.type) != a.type:
                raise UsageError(f"attribute {a.name} is given as both {defs[a.name]} and {a.type}")
        p: dict[str, Any] = {
            "TableName": check_name(self.name, "table"),
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in defs.items()],
            "KeySchema": key_schema(self.key),
            "BillingMode": "PROVISIONED" if self.provisioned else "PAY_PER_REQUEST",
        }
        if self.provisioned:
            p["ProvisionedThroughput"] = _throughput(self.provisioned)
        if self.gsis:
            p["GlobalSecondaryIndexes"] = [
                {"IndexName": g.name, "KeySchema": g.key_schema(), "Projection": g.projection_params()}
                | (
                    {"ProvisionedThroughput": _throughput(g.throughput or self.provisioned)}
                    if self.provisioned
                    else {}
                )
                for g in self.gsis
            ]
        if self.lsis:
            p["LocalSecondaryIndexes"] = [
                {"IndexName": x.name, "KeySchema": x.key_schema(), "Projection": x.projection_params()}
                for x in self.lsis
            ]
        if self.stream:
            p["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": self.stream}
        if self.deletion_protection:
            p["DeletionProtectionEnabled"] = True
        if self.table_class:
            p["TableClass"] = self.table_class
        if self.tags:
            p["Tags"] = list(self.tags)
        return validate_create(p)


def _throughput(rw: tuple[int, int] | None) -> dict[str, int]:
    assert rw is not None
    return {"ReadCapacityUnits": rw[0], "WriteCapacityUnits": rw[1]}


def _keys(raw: Any, where: str) -> list[tuple[str, str]]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= 2:
        raise UsageError(f"{where}: KeySchema must list a HASH key and an optional RANGE key")
    out = []
    for i, k in enumerate(raw):
        if (
            not isinstance(k, Mapping)
            or not k.get("AttributeName")
            or k.get("KeyType") not in ("HASH", "RANGE")
        ):
            raise UsageError(f"{where}: each KeySchema entry needs AttributeName and KeyType HASH or RANGE")
        if k["KeyType"] != ("HASH" if i == 0 else "RANGE"):
            raise UsageError(f"{where}: KeySchema must be the HASH key first, then the RANGE key")
        out.append((k["AttributeName"], k["KeyType"]))
    if len(out) == 2 and out[0][0] == out[1][0]:
        raise UsageError(f"{where}: the HASH and RANGE keys must be different attributes")
    return out


def _check_throughput(raw: Any, where: str) -> None:
    if not isinstance(raw, Mapping):
        raise UsageError(
            f"{where}: a PROVISIONED table needs ProvisionedThroughput (ReadCapacityUnits, WriteCapacityUnits)"
        )
    for k in ("ReadCapacityUnits", "WriteCapacityUnits"):
        v = raw.get(k)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise UsageError(f"{where}: ProvisionedThroughput.{k} must be a whole number of at least 1")


def _check_projection(raw: Any, where: str) -> None:
    if not isinstance(raw, Mapping) or raw.get("ProjectionType", "ALL") not in PROJECTIONS:
        raise UsageError(f"{where}: Projection.ProjectionType must be one of {', '.join(PROJECTIONS)}")
    nka = raw.get("NonKeyAttributes")
    if raw.get("ProjectionType") == "INCLUDE":
        if not isinstance(nka, list) or not nka:
            raise UsageError(f"{where}: an INCLUDE projection needs NonKeyAttributes")
    elif nka:
        raise UsageError(f"{where}: NonKeyAttributes are only allowed with ProjectionType INCLUDE")


def validate_create(params: Mapping[str, Any]) -> dict[str, Any]:
    """Check a CreateTable request the way DynamoDB does; return it (a copy) or raise UsageError.

    Checked: names, key schemas, that AttributeDefinitions define exactly the key attributes of the table
    and its indexes (S, N or B), billing mode against throughput, index counts and names, LSIs sharing the
    table's partition key, projections, stream view type, table class.
    """
    if not isinstance(params, Mapping):
        raise UsageError("a CreateTable JSON must be an object")
    unknown = sorted(set(params) - CREATE_TABLE_MEMBERS)
    if unknown:
        raise UsageError(
            f"CreateTable has no parameter {', '.join(unknown)} (the AWS CLI refuses it too); "
            "for a DescribeTable output use ddbtui describe TABLE --as-create --format json"
        )
    p = dict(params)
    name = check_name(str(p.get("TableName") or ""), "table")
    table_keys = _keys(p.get("KeySchema"), "KeySchema")
    billing = p.get("BillingMode", "PROVISIONED")  # DynamoDB's default when left out
    if billing not in ("PROVISIONED", "PAY_PER_REQUEST"):
        raise UsageError("BillingMode must be PROVISIONED or PAY_PER_REQUEST")
    provisioned = billing == "PROVISIONED"
    if provisioned:
        _check_throughput(p.get("ProvisionedThroughput"), "table")
    elif p.get("ProvisionedThroughput"):
        raise UsageError("a PAY_PER_REQUEST (on-demand) table takes no ProvisionedThroughput: remove it")
    used: dict[str, str] = {a: "table" for a, _ in table_keys}
    names: set[str] = set()
    gsis, lsis = p.get("GlobalSecondaryIndexes") or [], p.get("LocalSecondaryIndexes") or []
    if len(gsis) > MAX_GSIS or len(lsis) > MAX_LSIS:
        raise UsageError(f"a table has at most {MAX_GSIS} GSIs and {MAX_LSIS} LSIs")
    for kind, indexes in (("GSI", gsis), ("LSI", lsis)):
        for ix in indexes:
            iname = check_name(str(ix.get("IndexName") or ""), f"{kind}")
            if iname in names:
                raise UsageError(f"two indexes are named {iname}: index names must be unique in a table")
            names.add(iname)
            where = f"{kind} {iname}"
            keys = _keys(ix.get("KeySchema"), where)
            _check_projection(ix.get("Projection"), where)
            if kind == "LSI":
                if len(table_keys) < 2:
                    raise UsageError(f"{where}: local secondary indexes need a table with a sort key")
                if keys[0][0] != table_keys[0][0] or len(keys) != 2:
                    raise UsageError(
                        f"{where}: an LSI has the table's partition key ({table_keys[0][0]}) and a sort key"
                    )
            elif provisioned:
                _check_throughput(ix.get("ProvisionedThroughput"), where)
            elif ix.get("ProvisionedThroughput"):
                raise UsageError(
                    f"{where}: an on-demand table's GSIs take no ProvisionedThroughput: remove it"
                )
            for a, _ in keys:
                used.setdefault(a, where)
    defs = p.get("AttributeDefinitions")
    if not isinstance(defs, list) or not defs:
        raise UsageError("AttributeDefinitions must define the key attributes (AttributeName, AttributeType)")
    defined: dict[str, str] = {}
    for d in defs:
        a, t = (d or {}).get("AttributeName"), (d or {}).get("AttributeType")
        if not a or t not in KEY_TYPES:
            raise UsageError(
                f"AttributeDefinitions: {a or '?'} has type {t!r}; key types are S (string), N (number) or B (binary)"
            )
        if a in defined:
            raise UsageError(f"AttributeDefinitions defines {a} twice")
        defined[a] = t
    missing = [a for a in used if a not in defined]
    extra = [a for a in defined if a not in used]
    if missing:
        raise UsageError(
            f"AttributeDefinitions lacks {', '.join(missing)}, a key attribute of {used[missing[0]]}"
        )
    if extra:
        raise UsageError(
            f"AttributeDefinitions defines {', '.join(extra)}, which no key uses; DynamoDB refuses attributes "
            "that are not keys of the table or an index"
        )
    stream = p.get("StreamSpecification")
    if stream and stream.get("StreamEnabled") and stream.get("StreamViewType") not in STREAM_VIEWS:
        raise UsageError(f"StreamSpecification.StreamViewType must be one of {', '.join(STREAM_VIEWS)}")
    if "TableClass" in p and p["TableClass"] not in set(TABLE_CLASSES.values()):
        raise UsageError("TableClass must be STANDARD or STANDARD_INFREQUENT_ACCESS")
    p["TableName"] = name
    return p


def from_json(doc: Any, name: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """A ``--from-json`` document as CreateTable parameters, and notes. A DescribeTable output (the
    ``aws dynamodb describe-table`` shape, or ``ddbtui describe --format json``) is converted as
    ``as_create`` does. ``name`` (the command's NAME) replaces TableName: copy a design to a new table."""
    notes: list[str] = []
    if isinstance(doc, Mapping) and isinstance(doc.get("Table"), Mapping):
        doc = doc["Table"]
    if isinstance(doc, Mapping) and ("TableStatus" in doc or "TableArn" in doc):
        doc, extra = as_create(doc)
        notes.append("converted from a DescribeTable output (as ddbtui describe --as-create does)")
        notes += extra
    if not isinstance(doc, Mapping):
        raise UsageError("--from-json: the file must hold a JSON object (CreateTable's parameters)")
    doc = dict(doc)
    if name:
        doc["TableName"] = name
    return validate_create(doc), notes


def as_create(
    desc: Mapping[str, Any], tags: list[dict[str, str]] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """DescribeTable's ``Table`` → CreateTable parameters that make a table of the same design, and notes
    on what CreateTable cannot carry (TTL, PITR, autoscaling are set after; KMS keys are per account)."""
    notes: list[str] = []
    billing = (desc.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    provisioned = billing == "PROVISIONED"

    def throughput(raw: Mapping[str, Any] | None) -> dict[str, int]:
        raw = raw or {}
        return {k: max(1, int(raw.get(k) or 0)) for k in ("ReadCapacityUnits", "WriteCapacityUnits")}

    def index(raw: Mapping[str, Any], gsi: bool) -> dict[str, Any]:
        proj = dict(raw.get("Projection") or {"ProjectionType": "ALL"})
        if proj.get("ProjectionType") != "INCLUDE":
            proj.pop("NonKeyAttributes", None)
        out = {"IndexName": raw["IndexName"], "KeySchema": list(raw["KeySchema"]), "Projection": proj}
        if gsi and provisioned:
            out["ProvisionedThroughput"] = throughput(raw.get("ProvisionedThroughput"))
        return out

    gsis = [index(g, True) for g in desc.get("GlobalSecondaryIndexes") or []]
    lsis = [index(x, False) for x in desc.get("LocalSecondaryIndexes") or []]
    used = {k["AttributeName"] for k in desc["KeySchema"]}
    used |= {k["AttributeName"] for ix in (*gsis, *lsis) for k in ix["KeySchema"]}
    out: dict[str, Any] = {
        "TableName": desc["TableName"],
        "AttributeDefinitions": [
            d for d in desc.get("AttributeDefinitions", []) if d["AttributeName"] in used
        ],
        "KeySchema": list(desc["KeySchema"]),
        "BillingMode": billing,
    }
    if provisioned:
        out["ProvisionedThroughput"] = throughput(desc.get("ProvisionedThroughput"))
    if gsis:
        out["GlobalSecondaryIndexes"] = gsis
    if lsis:
        out["LocalSecondaryIndexes"] = lsis
    stream = desc.get("StreamSpecification") or {}
    if stream.get("StreamEnabled"):
        out["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    table_class = (desc.get("TableClassSummary") or {}).get("TableClass")
    if table_class and table_class != "STANDARD":
        out["TableClass"] = table_class
    if desc.get("DeletionProtectionEnabled"):
        out["DeletionProtectionEnabled"] = True
    sse = desc.get("SSEDescription") or {}
    if sse.get("SSEType") == "KMS":
        out["SSESpecification"] = {
            "Enabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": sse.get("KMSMasterKeyArn"),
        }
        notes.append("SSESpecification names a KMS key of the source account: change it for another account")
    if tags:
        out["Tags"] = list(tags)
    defined = {d["AttributeName"] for d in out["AttributeDefinitions"]}
    if used - defined:
        notes.append(
            f"the description lacks the type of {', '.join(sorted(used - defined))}: add it to AttributeDefinitions"
        )
    notes.append("CreateTable does not carry TTL, point-in-time recovery or autoscaling: create-table sets them "
                 "with --ttl ATTR, --pitr and --autoscaling")  # fmt: skip
    return out, notes


def plan_create(
    params: Mapping[str, Any],
    *,
    ttl: str | None = None,
    pitr: bool = False,
    autoscaling: Autoscaling | None = None,
    region: str | None = None,
) -> Plan:
    """CreateTable (waiting for the table and its indexes to be ACTIVE), then TTL, PITR, autoscaling."""
    p = validate_create(params)
    name = p["TableName"]
    plan = Plan(f"create table {name}", name)
    gsis = [g["IndexName"] for g in p.get("GlobalSecondaryIndexes") or []]
    keys = ", ".join(f"{k['AttributeName']} ({k['KeyType']})" for k in p["KeySchema"])
    mode = p.get("BillingMode", "PROVISIONED")
    summary = f"table {name}, key {keys}, {'on-demand' if mode == 'PAY_PER_REQUEST' else 'provisioned'}"
    if gsis or p.get("LocalSecondaryIndexes"):
        summary += (
            f", indexes {', '.join(gsis + [x['IndexName'] for x in p.get('LocalSecondaryIndexes') or []])}"
        )
    plan.steps.append(
        Step(
            "CreateTable",
            p,
            summary,
            kind="table-create",
            table=name,
            wait=Wait("table-active", name),
            undo=None,
            irreversible=f"ddbtui undo does not delete tables: remove it with "
            f"ddbtui drop-table {name} --confirm {name}",
        )  # fmt: skip
    )
    if ttl:
        plan.steps.append(_ttl_step(name, ttl, True))
    if pitr:
        plan.steps.append(_pitr_step(name, True))
    if mode == "PROVISIONED":
        pt = p["ProvisionedThroughput"]
        plan.costs.append(
            provisioned_cost_text("table", pt["ReadCapacityUnits"], pt["WriteCapacityUnits"], region)
        )
        for g in p.get("GlobalSecondaryIndexes") or []:
            gt = g["ProvisionedThroughput"]
            plan.costs.append(
                provisioned_cost_text(
                    f"GSI {g['IndexName']}", gt["ReadCapacityUnits"], gt["WriteCapacityUnits"], region
                )
            )
        if autoscaling:
            plan.steps.extend(autoscaling_steps(name, [None, *gsis], autoscaling))
    elif autoscaling:
        raise UsageError("--autoscaling scales provisioned capacity: add --provisioned RCU,WCU")
    else:
        plan.costs.append(on_demand_text(region))
    if gsis:
        plan.costs.append(
            "every write of an item with a GSI's key attributes also writes that index (1 WCU per KB of the entry)"
        )
    if pitr:
        plan.costs.append("point-in-time recovery is billed per GB-month of the table's size")
    if p.get("LocalSecondaryIndexes"):
        plan.notes.append("LSIs exist only from creation (they cannot be added or dropped later) and limit "
                          "each partition key's items to 10 GB")  # fmt: skip
    return plan


def _ttl_step(table: str, attr: str, enabled: bool) -> Step:
    """UpdateTimeToLive; its undo is the opposite call (DynamoDB takes up to an hour between changes)."""
    spec = {"Enabled": enabled, "AttributeName": attr}
    inverse = Step("UpdateTimeToLive", {"TableName": table, "TimeToLiveSpecification": {**spec, "Enabled": not enabled}},
                   f"TTL {'off' if enabled else 'on ' + attr}", kind="ttl", table=table)  # fmt: skip
    return Step(
        "UpdateTimeToLive",
        {"TableName": table, "TimeToLiveSpecification": spec},
        f"TTL {'on, attribute ' + attr if enabled else 'off (was ' + attr + ')'}",
        kind="ttl",
        table=table,
        undo=(inverse,),
    )


def _pitr_step(table: str, enabled: bool) -> Step:
    spec = {"PointInTimeRecoveryEnabled": enabled}
    inverse = Step("UpdateContinuousBackups", {"TableName": table, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": not enabled}},
                   f"point-in-time recovery {'off' if enabled else 'on'}", kind="pitr", table=table)  # fmt: skip
    return Step(
        "UpdateContinuousBackups",
        {"TableName": table, "PointInTimeRecoverySpecification": spec},
        f"point-in-time recovery {'on' if enabled else 'off'}",
        kind="pitr",
        table=table,
        undo=(inverse,),
    )
