"""Hypothesis strategies for expression trees, and the round-trip property parse(to_source(n)) == n.

The trees stay inside what DynamoDB accepts (ordered comparisons on strings, numbers and binary; BETWEEN
bounds of one type in order; valid attribute_type names), so test_expr_ddblocal can send them for real.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ddbtui.core.expr import (
    ATTRIBUTE_TYPES,
    Between,
    Compare,
    Function,
    In,
    Literal,
    NameRef,
    Not,
    Path,
    Size,
    ValueRef,
    and_,
    or_,
    parse_condition,
    parse_projection,
    to_source,
)
from ddbtui.core.expr.parser import repeated_first_operand

# Reserved words, keywords, function names, and names only a placeholder can carry.
ODD_NAMES = [
    "a",
    "pk",
    "sk",
    "status",
    "name",
    "data",
    "size",
    "total",
    "contains",
    "b64",
    "IN",
    "and",
    "true",
    "x1",
    "_under",
    "my-attr.x",
    "with space",
    "Ünïcode",
    "#hash",
    ":colon",
    "`tick`",
    "q'uote",
    "back\\slash",
    "tab\there",
]
USER_NAMES = {"#st": "status", "#odd": "a.b", "#k": "pk"}
USER_VALUES = {":s": "OPEN", ":n": Decimal("42"), ":l": [1, "x"], ":nul": None}
ORDERED_REFS = [":s", ":n"]

attribute_names = st.sampled_from(ODD_NAMES) | st.text(min_size=1, max_size=6)
name_refs = st.sampled_from(sorted(USER_NAMES)).map(NameRef)
path_names = attribute_names | name_refs
list_indexes = st.integers(0, 5) | st.just(2**31 - 1)


@st.composite
def paths(draw: st.DrawFn) -> Path:
    elements: list[str | int | NameRef] = [draw(path_names)]
    for _ in range(draw(st.integers(0, 3))):
        elements.append(draw(path_names | list_indexes))
    return Path(tuple(elements))


numbers = st.builds(
    lambda mantissa, exponent: Decimal(f"{mantissa}E{exponent}"),
    st.integers(-(10**20), 10**20),
    st.integers(-60, 60),
) | st.integers(-1000, 1000).map(Decimal)
strings = st.text(max_size=10)
binaries = st.binary(max_size=8)
scalar_values = strings | numbers | binaries | st.booleans() | st.none()
plain_values = st.recursive(
    scalar_values,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
literals = plain_values.map(Literal)
ordered_literals = (strings | numbers | binaries).map(Literal)
value_refs = st.sampled_from(sorted(USER_VALUES)).map(ValueRef)
ordered_refs = st.sampled_from(ORDERED_REFS).map(ValueRef)
sizes = paths().map(Size)

any_operands = paths() | literals | value_refs | sizes
ordered_operands = paths() | ordered_literals | ordered_refs | sizes


@st.composite
def same_type_bounds(draw: st.DrawFn) -> tuple[Literal, Literal]:
    values = draw(st.sampled_from([strings, numbers, binaries]))
    low, high = sorted([draw(values), draw(values)])
    return Literal(low), Literal(high)


@st.composite
def betweens(draw: st.DrawFn) -> Between:
    operand = draw(paths() | sizes)
    if draw(st.booleans()):
        low, high = draw(same_type_bounds())
    else:
        low, high = draw(ordered_operands), draw(paths())
    return Between(operand, low, high)


comparisons = st.builds(Compare, st.sampled_from(["=", "<>"]), any_operands, any_operands) | st.builds(
    Compare, st.sampled_from(["<", "<=", ">", ">="]), ordered_operands, ordered_operands
)
ins = st.builds(In, any_operands, st.lists(any_operands, min_size=1, max_size=4).map(tuple))
functions = (
    paths().map(lambda p: Function("attribute_exists", (p,)))
    | paths().map(lambda p: Function("attribute_not_exists", (p,)))
    | st.builds(
        lambda p, t: Function("attribute_type", (p, Literal(t))), paths(), st.sampled_from(ATTRIBUTE_TYPES)
    )
    | st.builds(
        lambda p, v: Function("begins_with", (p, v)),
        paths(),
        (strings | binaries).map(Literal) | paths() | st.just(ValueRef(":s")),
    )
    | st.builds(lambda p, v: Function("contains", (p, v)), paths(), literals | paths() | value_refs)
)


def _resolved(path: Path) -> list:
    return [USER_NAMES[e.name] if isinstance(e, NameRef) else e for e in path.elements]


def _no_repeated_path(node) -> bool:
    # DynamoDB refuses `a = a`, `a IN (b, a)`, `contains(a, a)`: the first operand may not come back.
    return repeated_first_operand(node, lambda p, q: _resolved(p) == _resolved(q)) is None


atoms = (comparisons | betweens() | ins | functions).filter(_no_repeated_path)
conditions = st.recursive(
    atoms,
    lambda inner: (
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: and_(*xs))
        | st.lists(inner, min_size=2, max_size=3).map(lambda xs: or_(*xs))
        | inner.map(Not)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(conditions)
def test_parse_of_to_source_round_trips(node):
    text = to_source(node)
    again = parse_condition(text)
    assert again == node, text
    assert to_source(again) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(paths(), min_size=1, max_size=4, unique_by=lambda p: p.elements[:1]))
def test_projection_round_trips(path_list):
    assert parse_projection(to_source(path_list)) == path_list
