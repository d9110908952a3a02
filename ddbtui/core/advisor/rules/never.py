"""Rules on conditions that can match nothing: a key attribute compared with a value of another type."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ddbtui.core.advisor.analysis import Analysis, clip, key_shape
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.model import Suggestion
from ddbtui.core.advisor.rules.common import searches
from ddbtui.core.expr import Node, to_source, type_name


def invalid_condition(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A top-level condition on a key attribute whose value has the wrong type: the request returns nothing.

    Anti-pattern: query Readings --key "device = '7'"            (device holds numbers)
    Best:         query Readings --key "device = 7"
    """
    if not searches(a):
        return
    for c in a.conjuncts:
        why = never_matches(c, ctx.schema.attribute_types)
        if why:
            yield Suggestion("invalid-condition", why + ". The request can return nothing.", severity="error")


def never_matches(conj: Node, types: Mapping[str, str]) -> str | None:
    """Why a top-level conjunct on a key attribute can match no item (its values have the wrong type)."""
    s = key_shape(conj)
    if s is None:
        return None
    attr, op, values = s
    kind = types.get(attr)
    if kind is None or op == "<>":
        return None
    if op == "begins_with" and kind == "N":
        return (
            f"begins_with() never matches {attr}: it is a key attribute holding numbers, and begins_with "
            "works on strings and binary; use BETWEEN or < > for a range of numbers"
        )
    wrong = [v for v in values if v.type != kind]
    if wrong and (op != "IN" or len(wrong) == len(values)):
        return (
            f"`{clip(to_source(conj))}` never matches: {attr} is a key attribute holding "
            f"{type_name(kind)}s, and {to_source(wrong[0])} is a {type_name(wrong[0].type)}"
        )
    return None
