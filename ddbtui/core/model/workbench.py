"""A NoSQL Workbench data model (its JSON export) read as CreateTable requests, items and a model file.

The export's shape (the Workbench's "Export data model" JSON, format version 3.0)::

    {"ModelName": "...", "ModelMetadata": {...},
     "DataModel": [{"TableName": "T",
                    "KeyAttributes": {"PartitionKey": {"AttributeName": "PK", "AttributeType": "S"},
                                      "SortKey": {...}},                    # SortKey optional
                    "NonKeyAttributes": [{"AttributeName": "name", "AttributeType": "S"}, ...],
                    "TableFacets": [{"FacetName": "User",
                                     "KeyAttributeAlias": {"PartitionKeyAlias": "USER#<id>",
                                                           "SortKeyAlias": "PROFILE"},
                                     "TableData": [...], "NonKeyAttributes": ["name", ...]}],
                    "GlobalSecondaryIndexes": [{"IndexName": "GSI1", "KeyAttributes": {...},
                                                "Projection": {"ProjectionType": "ALL"}}],
                    "TableData": [{"PK": {"S": "USER#1"}, ...}],        # items, DynamoDB JSON
                    "BillingMode": "PROVISIONED" | "PAY_PER_REQUEST",
                    "ProvisionedCapacitySettings": {"ProvisionedThroughput": {...}, ...}}]}

Each facet becomes an entity: its key templates from the facet's aliases (``USER#<id>``, ``USER#{id}``
and ``USER#id`` all read as ``USER#{id}``; a capitalised word alone, ``PROFILE``, is literal text; a bare
name, ``SongId``, says only that the key holds a value) checked against the facet's sample items — when
the alias does not fit them, or says nothing, the template is drafted from the items as ``model init``
does. A facet's items are its own ``TableData``, else the table's items its alias templates match, else
those whose type attribute names the facet. Patterns: one per facet (a GetItem when its sort key is
constant, else a Query of its partition), needing the facet's ``NonKeyAttributes``, and one per GSI and
entity that carries the GSI's partition key.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.model.draft import _key_name, _q, _template
from ddbtui.core.model.templates import Template, TemplateError
from ddbtui.core.values import ddb_json_to_av

Item = dict[str, Any]
TYPE_ATTRIBUTES = ("type", "Type", "entityType", "EntityType", "entity_type", "_type", "__typename")
_CAPS = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIELD = re.compile(r"^[<{]?([A-Za-z_][A-Za-z0-9_.-]*)[>}]?$")


@dataclass
class Facet:
    name: str
    pk_alias: str | None
    sk_alias: str | None
    needs: tuple[str, ...]
    items: list[Item]


@dataclass
class WbTable:
    name: str
    params: dict[str, Any]  # CreateTable's
    key: tuple[str, str | None]
    gsis: list[tuple[str, str, str | None]]  # (name, pk, sk)
    items: list[Item]
    facets: list[Facet]
    notes: list[str] = field(default_factory=list)


@dataclass
class Workbench:
    name: str
    tables: list[WbTable]


def _err(where: str, msg: str) -> UsageError:
    return UsageError(f"the NoSQL Workbench model: {where}: {msg}")


def _obj(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise _err(where, "must be a JSON object")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _err(where, "must be a JSON array")
    return raw


def _key(raw: Any, where: str, required: bool = True) -> tuple[str, str] | None:
    if raw is None and not required:
        return None
    k = _obj(raw, where)
    name, typ = k.get("AttributeName"), k.get("AttributeType", "S")
    if not isinstance(name, str) or not name:
        raise _err(where, "AttributeName must be a non-empty string")
    if typ not in ("S", "N", "B"):
        raise _err(where, f"AttributeType of a key is S, N or B, not {typ!r}")
    return name, typ


def _items(raw: Any, where: str) -> list[Item]:
    out = []
    for n, it in enumerate(_list(raw, where)):
        obj = _obj(it, f"{where}[{n}]")
        try:
            out.append({k: ddb_json_to_av(_numbers(v)) for k, v in obj.items()})
        except (ValueError, AttributeError, TypeError):
            raise _err(f"{where}[{n}]", 'an item is DynamoDB JSON, e.g. {"PK": {"S": "USER#1"}}') from None
    return out


def _numbers(av: Any) -> Any:
    """``{"N": 5}`` as ``{"N": "5"}`` (the Workbench writes strings; hand-edited files may not)."""
    if not isinstance(av, Mapping) or len(av) != 1:
        raise ValueError("not an AttributeValue")
    ((tag, v),) = av.items()
    if tag == "N" and isinstance(v, int | float) and not isinstance(v, bool):
        return {"N": str(v)}
    if tag == "M":
        return {"M": {k: _numbers(x) for k, x in _obj(v, "M").items()}}
    if tag == "L":
        return {"L": [_numbers(x) for x in v]}
    return {tag: v}


def read_workbench(doc: Any) -> Workbench:
    """The export ``doc`` (parsed JSON). UsageError names the place of the first mistake."""
    top = _obj(doc, "the file")
    model = _list(top.get("DataModel"), "DataModel")
    if not model:
        raise _err("DataModel", "no tables (is this a NoSQL Workbench data model export?)")
    tables = [_table(_obj(t, f"DataModel[{i}]"), f"DataModel[{i}]") for i, t in enumerate(model)]
    return Workbench(str(top.get("ModelName") or "NoSQL Workbench model"), tables)


def _table(t: Mapping[str, Any], where: str) -> WbTable:
    name = t.get("TableName")
    if not isinstance(name, str) or not name:
        raise _err(where, "TableName must be a non-empty string")
    keys = _obj(t.get("KeyAttributes"), f"{where}.KeyAttributes")
    pk = _key(keys.get("PartitionKey"), f"{where}.KeyAttributes.PartitionKey")
    sk = _key(keys.get("SortKey"), f"{where}.KeyAttributes.SortKey", required=False)
    assert pk is not None
    types = {pk[0]: pk[1]}
    schema = [{"AttributeName": pk[0], "KeyType": "HASH"}]
    if sk:
        types[sk[0]] = sk[1]
        schema.append({"AttributeName": sk[0], "KeyType": "RANGE"})
    billing = t.get("BillingMode") or "PROVISIONED"
    if billing not in ("PROVISIONED", "PAY_PER_REQUEST"):
        raise _err(f"{where}.BillingMode", f"PROVISIONED or PAY_PER_REQUEST, not {billing!r}")
    settings = t.get("ProvisionedCapacitySettings") or {}
    pt = (settings.get("ProvisionedThroughput") if isinstance(settings, Mapping) else None) or {}
    throughput = {k: max(1, int(pt.get(k) or 5)) for k in ("ReadCapacityUnits", "WriteCapacityUnits")}
    gsis, gsi_params = [], []
    for i, g in enumerate(_list(t.get("GlobalSecondaryIndexes"), f"{where}.GlobalSecondaryIndexes")):
        gw = f"{where}.GlobalSecondaryIndexes[{i}]"
        g = _obj(g, gw)
        gname = g.get("IndexName")
        if not isinstance(gname, str) or not gname:
            raise _err(gw, "IndexName must be a non-empty string")
        gk = _obj(g.get("KeyAttributes"), f"{gw}.KeyAttributes")
        gpk = _key(gk.get("PartitionKey"), f"{gw}.KeyAttributes.PartitionKey")
        gsk = _key(gk.get("SortKey"), f"{gw}.KeyAttributes.SortKey", required=False)
        assert gpk is not None
        ks = [{"AttributeName": gpk[0], "KeyType": "HASH"}]
        for a, typ in (gpk, gsk) if gsk else (gpk,):
            if types.setdefault(a, typ) != typ:
                raise _err(gw, f"{a} is {typ} here but {types[a]} elsewhere in the table")
        if gsk:
            ks.append({"AttributeName": gsk[0], "KeyType": "RANGE"})
        proj = dict(_obj(g.get("Projection") or {"ProjectionType": "ALL"}, f"{gw}.Projection"))
        if proj.get("ProjectionType") != "INCLUDE":
            proj.pop("NonKeyAttributes", None)
        p: dict[str, Any] = {"IndexName": gname, "KeySchema": ks, "Projection": proj}
        if billing == "PROVISIONED":
            p["ProvisionedThroughput"] = dict(throughput)
        gsi_params.append(p)
        gsis.append((gname, gpk[0], gsk[0] if gsk else None))
    params: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": typ} for a, typ in types.items()],
        "KeySchema": schema,
        "BillingMode": billing,
    }
    if billing == "PROVISIONED":
        params["ProvisionedThroughput"] = throughput
    if gsi_params:
        params["GlobalSecondaryIndexes"] = gsi_params
    items = _items(t.get("TableData"), f"{where}.TableData")
    facets = []
    for i, f in enumerate(_list(t.get("TableFacets"), f"{where}.TableFacets")):
        fw = f"{where}.TableFacets[{i}]"
        f = _obj(f, fw)
        fname = f.get("FacetName")
        if not isinstance(fname, str) or not fname:
            raise _err(fw, "FacetName must be a non-empty string")
        alias = f.get("KeyAttributeAlias") if isinstance(f.get("KeyAttributeAlias"), Mapping) else f
        needs = tuple(
            a for a in _list(f.get("NonKeyAttributes"), f"{fw}.NonKeyAttributes") if isinstance(a, str)
        )
        pk_alias, sk_alias = alias.get("PartitionKeyAlias"), alias.get("SortKeyAlias")
        facets.append(
            Facet(
                fname,
                pk_alias if isinstance(pk_alias, str) else None,
                sk_alias if isinstance(sk_alias, str) else None,
                needs,
                _items(f.get("TableData"), f"{fw}.TableData"),
            )  # fmt: skip
        )
    out = WbTable(name, params, (pk[0], sk[0] if sk else None), gsis, [], facets)
    out.items = _merge(out, [items, *(f.items for f in facets)])
    return out


def _merge(t: WbTable, groups: Sequence[list[Item]]) -> list[Item]:
    """The table's items and its facets' (older exports keep the sample data per facet), each key once:
    the first wins, and a second item of the same key with other attributes is noted."""
    seen: dict[tuple[Any, ...], Item] = {}
    out = []
    key = [a for a in t.key if a]
    for n, it in enumerate(i for g in groups for i in g):
        missing = [a for a in key if a not in it]
        if missing:
            t.notes.append(f"item {n + 1} of {t.name} lacks its key ({', '.join(missing)}): left out")
            continue
        ident = tuple(repr(it[a]) for a in key)
        if ident in seen:
            if seen[ident] != it:
                t.notes.append(f"two sample items of {t.name} share the key {ident}: the first is kept")
            continue
        seen[ident] = it
        out.append(it)
    return out


# --- the model file ----------------------------------------------------------------------------------


def alias_template(alias: str | None) -> str | None:
    """A facet alias as a key template: ``USER#<id>`` / ``USER#{id}`` / ``USER#id`` → ``USER#{id}``,
    ``PROFILE`` → ``PROFILE``, ``SongId`` → ``{SongId}``; None for an alias with nothing usable."""
    if not alias or not alias.strip():
        return None
    out = []
    for seg in alias.strip().split("#"):
        if seg == "" or _CAPS.match(seg):
            out.append(seg)
        elif m := _FIELD.match(seg):
            out.append("{" + m.group(1) + "}")
        else:
            return None
    text = "#".join(out)
    try:
        Template.parse(text)
    except TemplateError:
        return None
    return text


def _s(av: Any) -> str | None:
    if isinstance(av, Mapping) and len(av) == 1:
        ((k, v),) = av.items()
        if k in ("S", "N"):
            return str(v)
    return None


def _fits(template: str, items: Sequence[Item], attr: str) -> bool:
    t = Template.parse(template)
    values = [_s(it.get(attr)) for it in items if attr in it]
    return all(v is not None and t.match(v) is not None for v in values)


def _type_attribute(tables: Sequence[WbTable]) -> str | None:
    items = [it for t in tables for it in t.items]
    for a in TYPE_ATTRIBUTES:
        if items and sum(1 for it in items if _s(it.get(a)) is not None) * 2 >= len(items):
            return a
    return None


def _facet_items(t: WbTable, f: Facet, type_attr: str | None) -> tuple[list[Item], str]:
    if f.items:
        return f.items, "its own sample data"
    pk, sk = t.key
    templates = [(pk, alias_template(f.pk_alias)), (sk, alias_template(f.sk_alias))]
    informative = [(a, x) for a, x in templates if a and x and Template.parse(x).prefix]
    if informative:
        hits = [
            it for it in t.items
            if all(_s(it.get(a)) is not None and Template.parse(x).match(_s(it.get(a)) or "") is not None
                   for a, x in informative)
        ]  # fmt: skip
        if hits:
            return hits, "the table's items its aliases match"
    if type_attr:
        want = f.name.lower()
        hits = [it for it in t.items if (_s(it.get(type_attr)) or "").lower() == want]
        if hits:
            return hits, f"the table's items whose {type_attr} is {f.name}"
    return [], "no sample data"


def _entity_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_") or "facet"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def model_text(wb: Workbench, source: str = "the export") -> str:
    """The model file (TOML, README: "Model your access patterns") for ``wb``'s facets."""
    type_attr = _type_attribute(wb.tables)
    lines = [
        f"# The access patterns of the NoSQL Workbench model {_q(wb.name)[1:-1]}, imported by",
        f"# `ddbtui model import-workbench` from {_q(source)[1:-1]}: one entity and one pattern per facet,",
        "# one pattern per GSI. Set each pattern's rate (requests/s), then: ddbtui model check FILE",
        "",
        f"table = {_q(wb.tables[0].name)}",
    ]
    if type_attr:
        lines.append(f"type_attribute = {_q(type_attr)}")
    lines.append("")
    patterns: list[str] = []
    taken: set[str] = set()
    for t in wb.tables:
        pk, sk = t.key
        if not t.facets:
            lines.append(f"# {t.name} has no facets: no entities or patterns for it")
            lines.append("")
        for f in t.facets:
            name = _entity_name(f.name, taken)
            items, whence = _facet_items(t, f, type_attr)
            lines.append(f"[entities.{_key_name(name)}]")
            lines.append(
                f"# facet {_q(f.name)[1:-1]} of {_q(t.name)[1:-1]}; {len(items):,} sample items ({whence})"
            )
            types = {_s(it.get(type_attr)) for it in items} if type_attr else set()
            if type_attr and len(types) == 1 and None not in types:
                lines.append(f"type = {_q(next(iter(types)) or '')}")
            chosen: dict[str, str] = {}
            for attr, alias in ((pk, f.pk_alias), (sk, f.sk_alias)):
                if attr is None:
                    continue
                tmpl = alias_template(alias)
                if tmpl is not None and tmpl.lower() == "{" + attr.lower() + "}":
                    tmpl = None  # the alias is the attribute's own name: it says nothing
                rows = [(v, it) for it in items if (v := _s(it.get(attr))) is not None]
                if tmpl is not None and rows and not _fits(tmpl, items, attr):
                    lines.append(
                        f"# the alias {_q(alias or '')[1:-1]} does not fit the sample's {attr}: drafted from the items"
                    )
                    tmpl = None
                if rows and (tmpl is None or tmpl.startswith("{")):
                    values = {v for v, _ in rows}
                    one = next(iter(values))
                    drafted = _template(attr, rows, own_key=True)
                    if tmpl is None and len(rows) > 1 and len(values) == 1 and not {"{", "}"} & set(one):
                        tmpl = one  # every sample item has the same value: literal text
                    elif drafted is not None and (tmpl is None or not drafted.startswith("{")):
                        tmpl = drafted
                chosen[attr] = tmpl or "{" + attr + "}"
            for _g, gpk, gsk in t.gsis:
                for attr in (gpk, gsk):
                    if attr is None or attr in chosen:
                        continue
                    rows = [(v, it) for it in items if (v := _s(it.get(attr))) is not None]
                    tm = _template(attr, rows) if rows else None
                    if tm is not None and _fits(tm, items, attr):
                        chosen[attr] = tm
            for attr, tm in chosen.items():
                lines.append(f"{_key_name(attr)} = {_q(tm)}")
            lines.append("")
            patterns.append(_facet_pattern(t, f, name, chosen))
            for g, gpk, gsk in t.gsis:
                if any(gpk in it for it in items) or gpk in chosen:
                    patterns.append(_gsi_pattern(t, g, gpk, gsk, name, chosen))
    lines.extend(patterns)
    return "\n".join(lines).rstrip() + "\n"


def _param(attr: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", attr)


def _lit(text: str) -> str:
    return text.replace("'", "''")


def _path(attr: str) -> str:
    from ddbtui.core.expr import name_source

    return name_source(attr)


def _block(name: str, request: str, entity: str, needs: Sequence[str] = ()) -> str:
    out = ["[[patterns]]", f"name = {_q(name)}", f"request = {_q(request)}", f"entity = {_q(entity)}"]
    if needs:
        out.append("needs = [" + ", ".join(_q(a) for a in needs) + "]")
    out.append("# rate = 1         # requests per second")
    return "\n".join(out) + "\n"


def _facet_pattern(t: WbTable, f: Facet, entity: str, chosen: Mapping[str, str]) -> str:
    pk, sk = t.key
    needs = [a for a in f.needs if a not in t.key]
    cond = f"{_path(pk)} = :{_param(pk)}"
    table = t.name if re.match(r"^[A-Za-z0-9_.-]+$", t.name) else _q(t.name)
    if sk is None:
        return _block(f"{f.name} by its key", f'get {table} key "{cond}"', entity, needs)
    tm = Template.parse(chosen.get(sk, "{" + sk + "}"))
    if tm.constant:
        req = f"get {table} key \"{cond} AND {_path(sk)} = '{_lit(tm.text)}'\""
        return _block(f"{f.name} by its key", req, entity, needs)
    if tm.prefix:
        cond += f" AND begins_with({_path(sk)}, '{_lit(tm.prefix)}')"
    return _block(f"the {f.name} items of a partition", f'query {table} key "{cond}" limit 25', entity, needs)


def _gsi_pattern(
    t: WbTable, g: str, gpk: str, gsk: str | None, entity: str, chosen: Mapping[str, str]
) -> str:
    cond = f"{_path(gpk)} = :{_param(gpk)}"
    if gsk and gsk in chosen and Template.parse(chosen[gsk]).prefix:
        cond += f" AND begins_with({_path(gsk)}, '{_lit(Template.parse(chosen[gsk]).prefix)}')"
    table = t.name if re.match(r"^[A-Za-z0-9_.-]+$", t.name) else _q(t.name)
    return _block(f"{entity} by {g}", f'query {table} index {g} key "{cond}" limit 25', entity)
