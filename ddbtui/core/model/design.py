"""A key design from entities and access patterns alone (``ddbtui model design``): one table with generic
``pk``/``sk`` keys (single-table design), the GSIs the patterns need, their projections, a CreateTable
JSON, and for every pattern the key condition that serves it, or why nothing can without a Scan.

The algorithm, one explainable step at a time (each step records its one-line reason):

1. Each pattern is read as attributes fixed with ``=``, one range (or sort order), and an attribute
   whose presence it filters on (``logical``).
2. Patterns are taken in the file's order (the first is the most important). An entity's first pattern
   sets its base key: ``pk`` = the fixed attributes (``CUSTOMER#{customer_id}``), ``sk`` = the entity's
   tag, then the range attribute, then what identifies one item (``ORDER#{created_at}#{order_id}``).
   Entities whose pk is the same share a partition: one Query reads the item collection.
3. A pattern the base key does not serve goes to a GSI with generic keys (``gsi1pk``/``gsi1sk``): the
   first GSI where its entity has no layout yet, or one whose layout already serves it. Several entities
   in one GSI make it *overloaded*: one index, several patterns.
4. A pattern that filters on ``attribute_exists(x)`` gets a *sparse* GSI keyed on ``x`` itself: only items
   that carry ``x`` are written to it.
5. A GSI projects ALL when one of its patterns does not say what it needs, KEYS_ONLY when the keys are
   enough, else INCLUDE of what its patterns need.
6. A pattern that fixes no attribute with ``=`` (and no presence) cannot be served without a Scan.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.model.logical import Access, read_access
from ddbtui.core.model.spec import Entity, Model
from ddbtui.core.model.templates import field_tag

MAX_INCLUDE = 20  # more needed attributes than this: project ALL


@dataclass
class Layout:
    """An entity's key in one index: the fields of its partition key and of its sort key."""

    entity: str
    tag: str
    pk_fields: list[str]
    sk_fields: list[str]
    reason: str = ""

    def pk(self) -> str:
        if not self.pk_fields:
            return self.tag
        return "#".join(f"{field_tag(f)}#{{{f}}}" for f in self.pk_fields)

    def sk(self) -> str:
        return "#".join([self.tag, *(f"{{{f}}}" for f in self.sk_fields)])

    def serves(self, a: Access) -> int | None:
        """The number of sort-key fields ``a`` fixes when this layout serves it, else None."""
        eq = set(a.eq)
        if not self.pk_fields or not set(self.pk_fields) <= eq:
            return None
        rest = eq - set(self.pk_fields)
        k = len(rest)
        if set(self.sk_fields[:k]) != rest:
            return None
        if a.range is not None and (k >= len(self.sk_fields) or self.sk_fields[k] != a.range):
            return None
        return k


@dataclass
class Index:
    name: str  # None-like "table" for the base table
    pk_attr: str
    sk_attr: str | None
    layouts: dict[str, Layout] = field(default_factory=dict)
    sparse: str | None = None
    patterns: list[str] = field(default_factory=list)
    projection: str = "ALL"
    include: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)

    @property
    def overloaded(self) -> bool:
        return len(self.layouts) > 1


@dataclass
class Served:
    pattern: str
    index: str | None  # None: not served
    key_condition: str | None
    kind: str  # query | get | collection | sparse-scan | scan
    reason: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Design:
    table_name: str
    base: Index
    gsis: list[Index]
    served: list[Served]
    reasons: list[str]
    lsis: list[Index] = field(default_factory=list)

    @property
    def unserved(self) -> list[Served]:
        return [s for s in self.served if s.index is None]

    def gsi(self, name: str) -> Index:
        return next(g for g in self.gsis if g.name == name)

    def create_table(self) -> dict[str, Any]:
        attrs: dict[str, str] = {"pk": "S", "sk": "S"}
        out: dict[str, Any] = {
            "TableName": self.table_name,
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
        gsis = []
        for g in self.gsis:
            ks = [{"AttributeName": g.pk_attr, "KeyType": "HASH"}]
            attrs[g.pk_attr] = g.types.get(g.pk_attr, "S")
            if g.sk_attr:
                ks.append({"AttributeName": g.sk_attr, "KeyType": "RANGE"})
                attrs[g.sk_attr] = g.types.get(g.sk_attr, "S")
            proj: dict[str, Any] = {"ProjectionType": g.projection}
            if g.projection == "INCLUDE":
                proj["NonKeyAttributes"] = g.include
            gsis.append({"IndexName": g.name, "KeySchema": ks, "Projection": proj})
        lsis = []
        for x in self.lsis:
            attrs[x.sk_attr or ""] = "S"
            proj = {"ProjectionType": x.projection}
            if x.projection == "INCLUDE":
                proj["NonKeyAttributes"] = x.include
            lsis.append(
                {
                    "IndexName": x.name,
                    "KeySchema": [
                        {"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": x.sk_attr, "KeyType": "RANGE"},
                    ],
                    "Projection": proj,
                }
            )
        if lsis:
            out["LocalSecondaryIndexes"] = lsis
        out["AttributeDefinitions"] = [{"AttributeName": k, "AttributeType": v} for k, v in attrs.items()]
        if gsis:
            out["GlobalSecondaryIndexes"] = gsis
        return out

    def to_json(self) -> dict[str, Any]:
        def index(ix: Index) -> dict[str, Any]:
            return {
                "name": ix.name,
                "pk": ix.pk_attr,
                "sk": ix.sk_attr,
                "sparse": ix.sparse,
                "overloaded": ix.overloaded,
                "projection": ix.projection,
                "include": ix.include,
                "entities": {
                    n: {"pk": lay.pk(), "sk": lay.sk(), "reason": lay.reason} for n, lay in ix.layouts.items()
                },
                "reasons": ix.reasons,
            }

        return {
            "table": index(self.base),
            "lsis": [index(x) for x in self.lsis],
            "gsis": [index(g) for g in self.gsis],
            "patterns": [s.__dict__ for s in self.served],
            "unserved": [s.pattern for s in self.unserved],
            "reasons": self.reasons,
            "create_table": self.create_table(),
        }

    def to_text(self) -> str:
        out = [f"Design for {self.table_name} (single table, generic keys pk/sk, on-demand)", ""]
        out.append("Base table: pk (S) / sk (S)")
        for n, lay in self.base.layouts.items():
            out.append(f"  {n:<14} pk = {lay.pk():<32} sk = {lay.sk()}")
            out.append(f"  {'':<14} why: {lay.reason}")
        for g in [*self.lsis, *self.gsis]:
            kind = (
                "LSI"
                if g in self.lsis
                else "sparse"
                if g.sparse
                else "overloaded"
                if g.overloaded
                else "one entity"
            )
            proj = g.projection + (f" {', '.join(g.include)}" if g.include else "")
            out.append("")
            out.append(f"{g.name}: {g.pk_attr} / {g.sk_attr or '—'} ({kind}; projection {proj})")
            for n, lay in g.layouts.items():
                if g.sparse:
                    out.append(f"  {n:<14} {g.pk_attr} = the item's own {g.pk_attr}")
                else:
                    out.append(f"  {n:<14} {g.pk_attr} = {lay.pk():<28} {g.sk_attr} = {lay.sk()}")
                out.append(f"  {'':<14} why: {lay.reason}")
            for r in g.reasons:
                out.append(f"  why: {r}")
        out += ["", "Patterns:"]
        for s in self.served:
            mark = "✗" if s.index is None else "✓"
            where = f" on {s.index}" if s.index else ""
            out.append(f"  {mark} {s.pattern}: {s.kind}{where}")
            if s.key_condition:
                out.append(f"      key {s.key_condition}")
            out.append(f"      why: {s.reason}")
            for note in s.notes:
                out.append(f"      note: {note}")
        if self.reasons:
            out += ["", *[f"note: {r}" for r in self.reasons]]
        un = self.unserved
        out.append("")
        out.append(
            f"{len(un)} pattern{'s' if len(un) != 1 else ''} cannot be served without a Scan"
            if un
            else f"every pattern ({len(self.served)}) is served by a key read"
        )
        return "\n".join(out)


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _ids(e: Entity | None, skip: list[str]) -> list[str]:
    return [i for i in (e.ids() if e else ()) if i not in skip]


class _Designer:
    def __init__(self, model: Model, table_name: str) -> None:
        self.model = model
        self.base = Index("table", "pk", "sk")
        self.gsis: list[Index] = []
        self.lsis: list[Index] = []
        self.accesses: dict[str, Access] = {}
        self.order: list[str] = []
        self.served: list[Served] = []
        self.reasons: list[str] = []
        self.table_name = table_name

    def hierarchy(self, a: Access) -> list[str]:
        """Attributes the entity's later patterns fix on top of ``a``'s, each one more than the one before
        (country; country+state; country+state+city): the sort key's levels, left to right."""
        e = a.entity
        if e is None:
            return []
        later = [self.accesses[n] for n in self.order if self.accesses[n].entity is e and n != a.pattern.name]
        chain: list[str] = []
        fixed = set(a.eq)
        for b in sorted(later, key=lambda b: len(b.eq)):
            extra = [f for f in b.eq if f not in fixed]
            if set(b.eq) >= fixed and len(extra) == 1:
                chain.append(extra[0])
                fixed.add(extra[0])
        return chain

    def layout_for(self, e: Entity | None, a: Access, why: str) -> Layout:
        name = e.name if e else "item"
        tag = e.tag() if e else "ITEM"
        sk = [f for f in [a.range] if f] + _ids(e, [*a.eq, *([a.range] if a.range else [])])
        return Layout(name, tag, list(a.eq), sk, why)

    def key_text(self, ix: Index, lay: Layout, a: Access, k: int) -> str:
        pkv = lay.pk()
        cond = f"{ix.pk_attr} = '{_quote(pkv)}'"
        fixed = lay.sk_fields[:k]
        prefix = "#".join([lay.tag, *(f"{{{f}}}" for f in fixed)]) + "#"
        if a.range is not None and a.range_op not in (None, "sort"):
            rng = "#".join([lay.tag, *(f"{{{f}}}" for f in fixed), f"{{{a.range}}}"])
            op = a.range_op
            if op == "BETWEEN":
                low, high = (rng.replace(f"{{{a.range}}}", f"{{{w} {a.range}}}") for w in ("from", "to"))
                cond += f" AND {ix.sk_attr} BETWEEN '{_quote(low)}' AND '{_quote(high)}'"
            elif op == "begins_with":
                cond += f" AND begins_with({ix.sk_attr}, '{_quote(rng)}')"
            else:
                cond += f" AND {ix.sk_attr} {op} '{_quote(rng)}'"
        elif a.range is None and k == len(lay.sk_fields):
            cond += f" AND {ix.sk_attr} = '{_quote(lay.sk())}'"
        else:
            cond += f" AND begins_with({ix.sk_attr}, '{_quote(prefix)}')"
        return cond

    def serve(self, a: Access) -> None:
        p, e = a.pattern, a.entity
        notes = list(a.notes)
        if a.in_values:
            notes.append(f"{', '.join(a.in_values)} IN (...): one Query per value (DynamoDB has no IN key)")
            a.eq = [*a.eq, *[f for f in a.in_values if f not in a.eq]]
        if a.filters:
            notes.append(f"stays a filter (read, then dropped): {' AND '.join(a.filters)}")
        if a.range and e and e.types.get(a.range) == "N":
            notes.append(f"{a.range} is a number inside a string key: zero-pad it so it sorts as a number")
        if a.sparse:
            self.sparse(a, notes)
            return
        if not a.eq:
            self.served.append(
                Served(
                    p.name,
                    None,
                    None,
                    "scan",
                    "fixes no attribute with `=`: without a partition key value every partition must be read "
                    "(a Scan)",
                    notes,
                )
            )
            return
        name = e.name if e else "item"
        # the base table: the entity's first pattern sets its layout
        lay = self.base.layouts.get(name)
        if lay is None:
            lay = self.layout_for(e, a, f"its first pattern ({p.name}) sets its base key")
            if len(a.eq) > 1 and a.range is None and not a.sparse:
                lay.pk_fields, lay.sk_fields = a.eq[:1], [*a.eq[1:], *lay.sk_fields]
                lay.reason += f"; {a.eq[0]} is the partition, {', '.join(a.eq[1:])} the sort key (a Query on {a.eq[0]} alone reads the partition)"
            deeper = self.hierarchy(a)
            if deeper and a.range is None:
                lay.sk_fields = [*deeper, *[f for f in lay.sk_fields if f not in deeper]]
                lay.reason += (
                    f"; sk is a hierarchy ({', '.join(deeper)}) its other patterns narrow with begins_with"
                )
            self.base.layouts[name] = lay
            self.collection(lay)
        k = lay.serves(a)
        others = a.entities[1:]
        if k is not None:
            for o in others:
                if o.name not in self.base.layouts:
                    self.base.layouts[o.name] = Layout(
                        o.name,
                        o.tag(),
                        list(lay.pk_fields),
                        _ids(o, lay.pk_fields),
                        f"read with {name} by {p.name}: the same partition key, an item collection",
                    )
            shared = [o.name for o in others if self.base.layouts[o.name].pk_fields == lay.pk_fields]
            kind = "get" if k == len(lay.sk_fields) and a.range is None and not shared else "query"
            cond = self.key_text(self.base, lay, a, k)
            if shared:
                kind, cond = "collection", f"pk = '{_quote(lay.pk())}'"
            why = f"{name}'s base key: pk fixes {', '.join(lay.pk_fields)}"
            if a.range:
                why += f", sk {'sorts by' if a.range_op == 'sort' else 'ranges over'} {a.range}"
            if shared:
                why += f"; the partition also holds {', '.join(shared)} (one Query reads them all)"
            self.served.append(Served(p.name, "table", cond, kind, why, notes))
            return
        if set(a.eq) == set(lay.pk_fields) and a.range and a.range not in lay.sk_fields[:1]:
            self.lsi(name, e, a, lay, notes)
            return
        for g in self.gsis:
            if g.sparse:
                continue
            gl = g.layouts.get(name)
            if gl is not None and (k := gl.serves(a)) is not None:
                self.gsi_served(g, gl, a, k, notes, "its layout of " + name + " already serves it")
                return
        g = next((g for g in self.gsis if not g.sparse and name not in g.layouts), None)
        if g is None:
            n = len([x for x in self.gsis if not x.sparse]) + 1
            g = Index(f"GSI{n}", f"gsi{n}pk", f"gsi{n}sk")
            self.gsis.append(g)
        gl = self.layout_for(e, a, f"{p.name} fixes {', '.join(a.eq)}, which {name}'s base key does not")
        g.layouts[name] = gl
        self.gsi_served(g, gl, a, gl.serves(a) or 0, notes, "")

    def lsi(self, name: str, e: Entity | None, a: Access, lay: Layout, notes: list[str]) -> None:
        """The same partition, sorted another way: an LSI (its sort key on the range attribute)."""
        for ix in self.lsis:
            il = ix.layouts.get(name)
            if il is not None and (k := il.serves(a)) is not None:
                self.gsi_served(ix, il, a, k, notes, "its layout of " + name + " already serves it")
                return
        ix = next((x for x in self.lsis if name not in x.layouts), None)
        if ix is None:
            n = len(self.lsis) + 1
            ix = Index(f"LSI{n}", "pk", f"lsi{n}sk")
            ix.reasons.append(
                "an LSI: the base table's partitions, another sort order (created with the table)"
            )
            self.lsis.append(ix)
        il = Layout(
            name,
            lay.tag,
            list(lay.pk_fields),
            [a.range or "", *_ids(e, [*a.eq, a.range or ""])],
            f"{a.pattern.name} reads {name}'s base partition by {a.range}",
        )
        ix.layouts[name] = il
        self.gsi_served(ix, il, a, il.serves(a) or 0, notes, "")

    def gsi_served(self, g: Index, gl: Layout, a: Access, k: int, notes: list[str], extra: str) -> None:
        g.patterns.append(a.pattern.name)
        why = f"{g.name}: {g.pk_attr} fixes {', '.join(gl.pk_fields)}"
        if a.range:
            why += f", {g.sk_attr} {'sorts by' if a.range_op == 'sort' else 'ranges over'} {a.range}"
        if extra:
            why += f" ({extra})"
        self.served.append(Served(a.pattern.name, g.name, self.key_text(g, gl, a, k), "query", why, notes))

    def sparse(self, a: Access, notes: list[str]) -> None:
        x = a.sparse or ""
        e = a.entity
        name = f"{field_tag(x).title().replace('_', '')}Index"
        pk = a.eq[0] if len(a.eq) == 1 else x
        sk = x if pk != x else a.range
        g = next((g for g in self.gsis if g.name == name), None)
        if g is None:
            g = Index(name, pk, sk, sparse=x)
            g.reasons.append(f"sparse: only items that carry {x} are written to {name}, so it stays small")
            for attr in (pk, sk):
                if attr and e and attr in e.types:
                    g.types[attr] = e.types[attr]
            self.gsis.append(g)
        ename = e.name if e else "item"
        g.layouts.setdefault(
            ename,
            Layout(
                ename,
                e.tag() if e else "ITEM",
                [pk],
                [sk] if sk else [],
                f"{a.pattern.name} filters on attribute_exists({x})",
            ),
        )
        g.patterns.append(a.pattern.name)
        if pk == x:
            self.served.append(
                Served(
                    a.pattern.name,
                    name,
                    None,
                    "sparse-scan",
                    f"a Scan of {name}, which holds only the items that carry {x} (or a Query per value of {x})",
                    notes,
                )
            )
        else:
            cond = f"{pk} = :{pk}"
            self.served.append(
                Served(
                    a.pattern.name,
                    name,
                    cond,
                    "query",
                    f"{name}: {pk} fixed, only items with {x} are in it",
                    notes,
                )
            )

    def collection(self, lay: Layout) -> None:
        same = [
            n
            for n, other in self.base.layouts.items()
            if other is not lay and other.pk_fields == lay.pk_fields
        ]
        if same:
            self.reasons.append(
                f"{lay.entity} shares its partitions with {', '.join(same)} (pk {lay.pk()}): an item collection"
            )

    def projections(self) -> None:
        entity_keys = {"pk", "sk"}
        for g in [*self.lsis, *self.gsis]:
            pats = [p for p in self.model.patterns if p.name in g.patterns]
            if g.overloaded:
                g.reasons.insert(
                    0,
                    f"overloaded: {', '.join(g.layouts)} write their own values into "
                    f"{g.pk_attr}/{g.sk_attr}; one index serves {len(g.patterns)} patterns",
                )
            if any(not p.needs for p in pats):
                lazy = next(p.name for p in pats if not p.needs)
                g.projection = "ALL"
                g.reasons.append(
                    f"projection ALL: {lazy} does not say which attributes it needs (needs = [...])"
                )
                continue
            keys = entity_keys | {g.pk_attr, g.sk_attr or ""}
            need = sorted({n for p in pats for n in p.needs} - keys)
            if not need:
                g.projection = "KEYS_ONLY"
                g.reasons.append("projection KEYS_ONLY: its patterns need only the keys")
            elif len(need) > MAX_INCLUDE:
                g.projection = "ALL"
                g.reasons.append(f"projection ALL: its patterns need {len(need)} attributes")
            else:
                g.projection, g.include = "INCLUDE", need
                g.reasons.append(f"projection INCLUDE {', '.join(need)}: what its patterns need, no more")


def design(model: Model, table_name: str | None = None) -> Design:
    d = _Designer(model, table_name or model.table or "Model")
    d.accesses = {p.name: read_access(model, p) for p in model.patterns}
    d.order = [p.name for p in model.patterns]
    for name in d.order:
        d.serve(d.accesses[name])
    for e in model.entities.values():
        if e.name not in d.base.layouts:
            ids = list(e.ids())
            d.base.layouts[e.name] = Layout(e.name, e.tag(), ids[:1], [], "no pattern reads it: its identity")
    d.projections()
    return Design(d.table_name, d.base, d.gsis, d.served, d.reasons, d.lsis)
