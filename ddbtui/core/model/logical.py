"""A pattern read for design: which entities it reads, the attributes it fixes with ``=``, the one it
reads a range of (or is sorted by), the attribute whose presence it filters on, and what stays a filter.

A pattern may be written against the entities' own attributes (``customer_id = :c AND created_at >
:since``) or against physical keys the entity's templates explain (``pk = :c AND begins_with(sk,
'ORDER#')`` with ``pk = "CUSTOMER#{customer_id}"``, ``sk = "ORDER#{created_at}#{order_id}"``): a key
compared with ``=`` fixes every field of its template; ``begins_with`` with a literal fixes the fields the
prefix covers whole and reads a range of the field it cuts into; a range on a key reads a range of its
first free field; a key condition that only selects the entity (``begins_with(sk, 'ORDER#')``) orders the
results by that first field.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ddbtui.core.advisor.analysis import Resolver, key_shape, top
from ddbtui.core.expr import Function, In, Literal, Node, conjuncts, parse_condition
from ddbtui.core.model.spec import Entity, Model, Pattern

RANGE_OPS = ("<", "<=", ">", ">=", "BETWEEN", "begins_with")


@dataclass
class Access:
    pattern: Pattern
    entities: list[Entity] = field(default_factory=list)
    eq: list[str] = field(default_factory=list)
    in_values: list[str] = field(default_factory=list)  # fixed with IN: one Query per value
    range: str | None = None
    range_op: str | None = None
    sparse: str | None = None
    filters: list[str] = field(default_factory=list)  # conditions that stay filters, as text
    notes: list[str] = field(default_factory=list)

    @property
    def entity(self) -> Entity | None:
        return self.entities[0] if self.entities else None


PARAM = "\x00"  # a :parameter's stand-in value: known to be a value, not which


def _literal_str(values: tuple[Literal, ...]) -> str | None:
    if len(values) == 1 and isinstance(values[0].value, str) and not values[0].value.startswith(PARAM):
        return values[0].value
    return None


def _compatible(e: Entity, conds: list[Node]) -> bool:
    """No literal condition on one of the entity's templated attributes contradicts its template, and
    the entity has every attribute the conditions name (when it lists its attributes)."""
    for c in conds:
        s = key_shape(c)
        attr = s[0] if s else None
        if attr is None and isinstance(c, Function) and c.args:
            attr = top(c.args[0])
        if attr is None:
            continue
        t = e.templates.get(attr)
        if t is None:
            if e.attributes and attr not in e.attributes:
                return False
            continue
        if s is None:
            continue
        lit = _literal_str(s[2])
        if lit is None:
            continue
        if s[1] == "=" and t.match(lit) is None:
            return False
        if s[1] == "begins_with" and not t.could_start(lit):
            return False
    return True


def read_access(model: Model, p: Pattern) -> Access:
    """``p`` as the designer reads it (see the module's doc)."""
    req = p.request
    conds: list[Node] = []
    stand_in = Resolver(req.names, {name: PARAM + name for name in p.params})
    for text in (req.key, req.filter):
        if text:
            conds.extend(conjuncts(stand_in(parse_condition(text))))
    a = Access(p)
    if p.entity:
        a.entities = [model.entities[p.entity]]
    else:
        a.entities = [e for e in model.entities.values() if _compatible(e, conds)]
        if len(a.entities) > 1 and not any(
            (s := key_shape(c)) and s[0] in e.templates for c in conds for e in a.entities
        ):
            # written in plain attributes shared by several entities: the first that has them all
            a.entities = a.entities[:1]
    e = a.entity
    sort_field: str | None = None
    for c in conds:
        s = key_shape(c)
        if isinstance(c, Function) and c.name == "attribute_exists" and top(c.args[0]):
            a.sparse = a.sparse or top(c.args[0])
            continue
        if s is None or (s[1] == "<>"):
            a.filters.append(_src(c, req))
            continue
        attr, op, values = s
        t = e.templates.get(attr) if e is not None else None
        if t is None:
            if op == "=":
                a.eq.append(attr)
            elif op == "IN" or isinstance(c, In):
                a.in_values.append(attr)
            elif a.range is None:
                a.range, a.range_op = attr, op
            else:
                a.filters.append(_src(c, req))
                a.notes.append(f"a second range ({attr}) stays a filter: a key reads one range")
            continue
        if t.constant:
            continue  # selects the entity
        if op == "=":
            a.eq.extend(f for f in t.fields if f not in a.eq)
            continue
        lit = _literal_str(values) if op == "begins_with" else None
        if lit is not None:
            whole, cut = t.fixed_by_prefix(lit)
            a.eq.extend(f for f in whole if f not in a.eq)
            free = [f for f in t.fields if f not in a.eq]
            if cut is not None and cut not in a.eq:
                a.range, a.range_op = cut, "begins_with"
            elif free and sort_field is None:
                sort_field = free[0]
            continue
        free = [f for f in t.fields if f not in a.eq]
        if free and a.range is None:
            a.range, a.range_op = free[0], op
    if a.range is None and sort_field is None and e is not None and (req.descending or req.limit):
        # fixed a partition key only: the order is its sort key's, found by name (gsi1pk → gsi1sk)
        for c in conds:
            s = key_shape(c)
            if s and s[1] == "=" and s[0] in e.templates:
                for twin in (s[0].replace("pk", "sk"), s[0].replace("PK", "SK")):
                    t = e.templates.get(twin) if twin != s[0] else None
                    free = [f for f in t.fields if f not in a.eq] if t else []
                    if free:
                        sort_field = free[0]
                        break
    if p.sort and a.range is None:
        a.range, a.range_op = p.sort, "sort"
    elif a.range is None and sort_field is not None and (req.descending or req.limit):
        a.range, a.range_op = sort_field, "sort"
    if a.range in a.eq:
        a.range, a.range_op = None, None
    return a


def _src(node: Node, req: object) -> str:
    from ddbtui.core.expr import to_source

    try:
        return to_source(node)
    except Exception:  # a node the printer cannot write: say what it is
        return type(node).__name__
