"""Items against a model: which entity an item is (by its key templates and type attribute), how well a
sample of items fits the templates, and a pattern's ``:parameters`` filled from a sampled item.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ddbtui.core.advisor.analysis import Resolver
from ddbtui.core.advisor.sample import evaluate
from ddbtui.core.capacity import in_index
from ddbtui.core.expr import Between, Compare, Function, In, Node, Path, ValueRef, parse_condition, walk
from ddbtui.core.model.spec import Entity, Model, Pattern
from ddbtui.core.schema import IndexSchema
from ddbtui.core.values import from_av

Item = Mapping[str, Any]


def _scalar(av: Any) -> Any:
    if not isinstance(av, Mapping) or len(av) != 1:
        return None
    ((kind, v),) = av.items()
    if kind == "S":
        return v
    if kind == "N":
        return v
    return None


def entity_fit(entity: Entity, item: Item, type_attribute: str) -> int | None:
    """How specifically ``item`` fits ``entity`` (literal characters its templates matched), None when it
    does not: a template of an attribute the item carries does not match, the type attribute differs,
    the item carries none of the templated attributes, or a field disagrees with the item's attribute of
    the same name."""
    if (
        entity.type_value is not None
        and type_attribute in item
        and _scalar(item[type_attribute]) != entity.type_value
    ):
        return None
    score, seen = 0, 0
    fields: dict[str, str] = {}
    for attr, t in entity.templates.items():
        if attr not in item:
            continue
        got = t.match(_scalar(item[attr]))
        if got is None:
            return None
        for k, v in got.items():
            if fields.setdefault(k, v) != v:
                return None
        seen += 1
        score += len(t.text) - sum(len(f) + 2 for f in t.fields)
    if not seen:
        return None if entity.templates or entity.type_value is None else 1
    return score + (100 if entity.type_value is not None else 0)


def entity_of(model: Model, item: Item) -> Entity | None:
    """The entity ``item`` fits best (ties: the first in the file), None when it fits none."""
    best, best_score = None, -1
    for e in model.entities.values():
        s = entity_fit(e, item, model.type_attribute)
        if s is not None and s > best_score:
            best, best_score = e, s
    return best


def field_conflicts(entity: Entity, item: Item) -> list[str]:
    """Fields whose value in a key differs from the item's own attribute of that name (``pk`` says
    ``CUSTOMER#0001`` but ``customer_id`` is ``0002``)."""
    out = []
    for attr, t in entity.templates.items():
        got = t.match(_scalar(item.get(attr))) if attr in item else None
        for k, v in (got or {}).items():
            own = _scalar(item.get(k)) if k != attr else None
            if own is not None and str(own) != v:
                out.append(f"{attr} has {k}={v!r} but the item's {k} is {own!r}")
    return out


@dataclass
class Fit:
    """How a sample fits the model's entities."""

    items: int = 0
    by_entity: Counter[str] = field(default_factory=Counter)
    unmatched: int = 0
    unmatched_keys: list[str] = field(default_factory=list)
    conflicts: Counter[str] = field(default_factory=Counter)
    conflict_examples: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "by_entity": dict(self.by_entity),
            "unmatched": self.unmatched,
            "unmatched_examples": self.unmatched_keys,
            "conflicts": dict(self.conflicts),
        }


def fit(model: Model, items: Sequence[Item], key_attributes: Sequence[str]) -> Fit:
    out = Fit(items=len(items))
    for it in items:
        e = entity_of(model, it)
        if e is None:
            out.unmatched += 1
            if len(out.unmatched_keys) < 3:
                out.unmatched_keys.append(
                    " / ".join(str(_scalar(it.get(k))) for k in key_attributes if k in it)
                )
            continue
        out.by_entity[e.name] += 1
        bad = field_conflicts(e, it)
        if bad:
            out.conflicts[e.name] += 1
            out.conflict_examples.setdefault(e.name, bad[0])
    return out


# ===================================================================================== parameters from items


def bindings(pattern: Pattern) -> dict[str, str]:
    """``:param`` → the attribute it is compared with in the key condition or filter."""
    out: dict[str, str] = {}
    for text in (pattern.request.key, pattern.request.filter):
        if not text:
            continue
        for n in walk(parse_condition(text)):
            pairs: list[tuple[Node, Node]] = []
            if isinstance(n, Compare):
                pairs = [(n.left, n.right), (n.right, n.left)]
            elif isinstance(n, Between):
                pairs = [(n.operand, n.low), (n.operand, n.high)]
            elif isinstance(n, Function) and n.name in ("begins_with", "contains") and len(n.args) == 2:
                pairs = [(n.args[0], n.args[1])]
            elif isinstance(n, In):
                pairs = [(n.operand, o) for o in n.options]
            for path, ref in pairs:
                if isinstance(path, Path) and isinstance(ref, ValueRef) and len(path.elements) == 1:
                    out.setdefault(ref.name, str(path.elements[0]))
    return out


def _plain(av: Any) -> Any:
    v = from_av(av)
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2**53 else float(v)
    return v


def fill(
    pattern: Pattern,
    items: Sequence[Item],
    index: IndexSchema,
    table_key: Any,
    prefer: Entity | None = None,
    type_attribute: str = "type",
) -> tuple[dict[str, Any] | None, str]:
    """Values for the pattern's parameters: those the file gives, the rest from the first sampled item
    (of the index read, of the pattern's entity first) that the filled key condition and filter keep.
    Returns (values, how), or (None, why not)."""
    want = [p for p in pattern.params if p not in pattern.given]
    if not want:
        return dict(pattern.given), "from the model file" if pattern.given else "no parameters"
    bound = bindings(pattern)
    loose = [p for p in want if p not in bound]
    if loose:
        return None, f"cannot tell which attribute {', '.join(loose)} stands for: give it in params"
    conds = [parse_condition(t) for t in (pattern.request.key, pattern.request.filter) if t]
    pool = [it for it in items if in_index(it, index)] if index.kind != "table" else list(items)
    if prefer is not None:
        mine = [it for it in pool if entity_fit(prefer, it, type_attribute) is not None]
        pool = mine + [it for it in pool if entity_fit(prefer, it, type_attribute) is None]
    for it in pool:
        if not all(bound[p] in it for p in want):
            continue
        values = dict(pattern.given)
        for p in want:
            values[p] = _plain(it[bound[p]])
        try:
            resolve = Resolver(None, values)
            if all(evaluate(resolve(c), it) is True for c in conds):
                key = " / ".join(str(_scalar(it.get(k))) for k in table_key.attributes)
                return values, f"from the sampled item {key}"
        except Exception:  # a value the expression language cannot take (binary, a set): next item
            continue
    return None, f"no sampled item of {index.label} fits the request: give the parameters in params"


def get_key_json(key_text: str, values: dict[str, Any]) -> str:
    """A get pattern's key condition (``pk = :a AND sk = 'X'``) as the JSON key GetItem takes."""
    from ddbtui.core.expr import Literal, conjuncts

    node = Resolver(None, values)(parse_condition(key_text))
    out: dict[str, Any] = {}
    for c in conjuncts(node):
        if not (isinstance(c, Compare) and c.op == "="):
            raise ValueError("a get's key is `attr = value` joined by AND")
        path, lit = (c.left, c.right) if isinstance(c.left, Path) else (c.right, c.left)
        if not isinstance(path, Path) or not isinstance(lit, Literal):
            raise ValueError("a get's key compares an attribute with a value")
        v = lit.value
        out[str(path.elements[0])] = (
            float(v) if isinstance(v, Decimal) and v != int(v) else (int(v) if isinstance(v, Decimal) else v)
        )
    return json.dumps(out)
