"""Every expression the compiler emits is accepted by a real engine (DynamoDB Local), and the key-condition
checker agrees with it about what a Query accepts."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import (
    RESERVED_WORDS,
    Between,
    Compare,
    Function,
    In,
    Literal,
    Not,
    Path,
    Placeholders,
    and_,
    check_filter,
    check_projection,
    or_,
    parse_condition,
    split_key_condition,
    to_source,
)
from ddbtui.core.schema import IndexSchema, KeySchema
from tests.conftest import create_table
from tests.core.test_expr_strategies import USER_NAMES, USER_VALUES, conditions, paths

pytestmark = pytest.mark.ddblocal

TYPES = {"pk": "S", "name": "S", "status": "S", "n": "N", "bin": "B"}
TABLE = IndexSchema(None, "table", KeySchema("pk", "name"))
BY_NUM = IndexSchema("byNum", "gsi", KeySchema("status", "n"))
BY_BIN = IndexSchema("byBin", "lsi", KeySchema("pk", "bin"))
INDEXES = [TABLE, BY_NUM, BY_BIN]

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def table(ddblocal_client):
    """pk S / name S (a reserved word), a GSI on status (reserved) / n N, an LSI on bin B; a few items."""
    name = f"expr{uuid.uuid4().hex[:10]}"
    create_table(
        ddblocal_client,
        name,
        pk=("pk", "S"),
        sk=("name", "S"),
        gsis=[("byNum", ("status", "S"), ("n", "N"), "ALL")],
        lsis=[("byBin", ("pk", "S"), ("bin", "B"), "ALL")],
    )
    items = [
        {
            "pk": {"S": "u1"},
            "name": {"S": "a"},
            "status": {"S": "OPEN"},
            "n": {"N": "1"},
            "bin": {"B": b"\x01"},
        },
        {
            "pk": {"S": "u1"},
            "name": {"S": "b"},
            "data": {"M": {"x": {"L": [{"N": "1"}]}}},
            "size": {"N": "3"},
        },
        {"pk": {"S": "u2"}, "name": {"S": "c"}, "my-attr.x": {"S": "odd"}, "a": {"M": {"b": {"S": "x"}}}},
    ]
    for item in items:
        ddblocal_client.put_item(TableName=name, Item=item)
    yield name
    ddblocal_client.delete_table(TableName=name)


def _params(ph: Placeholders) -> dict:
    out: dict = {}
    if ph.expression_attribute_names:
        out["ExpressionAttributeNames"] = ph.expression_attribute_names
    if ph.expression_attribute_values:
        out["ExpressionAttributeValues"] = ph.expression_attribute_values
    return out


def _scan(client, table, text: str, projection: list[Path] | None = None):
    ph = Placeholders(USER_NAMES, USER_VALUES)
    kwargs = {"TableName": table, "FilterExpression": ph.compile(parse_condition(text), text)}
    if projection:
        kwargs["ProjectionExpression"] = ph.compile_projection(projection)
    return client.scan(**kwargs, **_params(ph))


@settings(SETTINGS, max_examples=150)
@given(
    node=conditions,
    projection=st.none() | st.lists(paths(), min_size=1, max_size=3, unique_by=lambda p: p.top),
)
def test_every_compiled_filter_is_accepted_by_dynamodb_local(ddblocal_client, table, node, projection):
    # Through the text, so the parser's checks are part of what is tested.
    text = to_source(node)
    ph = Placeholders(USER_NAMES, USER_VALUES)
    try:
        check_filter(node, TYPES, None, ph)
        check_projection(projection or [], TYPES, ph)
        if projection:
            # overlapping paths (`pk`, `#k` -> pk) are refused by the compiler, as DynamoDB would
            Placeholders(USER_NAMES, USER_VALUES).compile_projection(projection)
    except ExprError:
        assume(False)  # refused before sending (key-attribute paths, overlaps): checked separately
    try:
        _scan(ddblocal_client, table, text, projection)
    except ClientError as e:  # pragma: no cover - the failure message is the point
        pytest.fail(f"DynamoDB Local rejected {text!r}: {e}")


def test_filters_select_the_right_items(ddblocal_client, table):
    def keys(text: str) -> list[str]:
        items = _scan(ddblocal_client, table, text)["Items"]
        return sorted(i["name"]["S"] for i in items)

    assert keys("status = 'OPEN' AND n BETWEEN 0 AND 1.5") == ["a"]
    assert keys("size = 3 OR `my-attr.x` = 'odd'") == ["b", "c"]
    assert keys("data.x[0] = 1") == ["b"]
    assert keys("a.b = 'x' AND NOT attribute_exists(status)") == ["c"]
    assert keys("#odd = 'x' OR begins_with(name, 'a')") == ["a"]  # #odd is the name "a.b", not a path
    assert keys("attribute_type(bin, 'B') AND bin = b64\"AQ==\"") == ["a"]
    assert keys("name IN ('a', 'c') AND pk <> 'u2'") == ["a"]
    assert keys("size(data) = 1 AND contains(data.x, 1)") == ["b"]


def test_every_reserved_word_is_accepted_once_escaped(ddblocal_client, table):
    words = sorted(RESERVED_WORDS)
    for start in range(0, len(words), 50):
        chunk = words[start : start + 50]
        text = " OR ".join(f"attribute_exists(`{w}`) OR attribute_exists({w.lower()}x)" for w in chunk)
        ph = Placeholders()
        compiled = ph.compile(parse_condition(text))
        assert set(ph.expression_attribute_names.values()) == set(chunk)
        ddblocal_client.scan(TableName=table, FilterExpression=compiled, Limit=1, **_params(ph))


def test_dynamodb_local_rejects_reserved_words_left_bare(ddblocal_client, table):
    # The list is the service's: a sample of it sent bare must fail (SIZE and CONVERT slip through Local).
    for word in ["STATUS", "NAME", "DATA", "TTL", "TOTAL", "COUNT", "USER", "VALUE", "ZONE", "ABORT"]:
        with pytest.raises(ClientError, match="reserved keyword"):
            ddblocal_client.scan(
                TableName=table, FilterExpression=f"attribute_exists({word.lower()})", Limit=1
            )


# -- key conditions ------------------------------------------------------------------------------------

KEY_VALUES = {
    "S": st.text(min_size=1, max_size=6),
    "N": st.integers(-(10**6), 10**6).map(Decimal),
    "B": st.binary(min_size=1, max_size=6),
}


@st.composite
def key_conditions(draw: st.DrawFn) -> tuple[IndexSchema, str]:
    index = draw(st.sampled_from(INDEXES))
    pk, sk = index.key.partition_key, index.key.sort_key
    assert sk is not None
    parts = [Compare("=", Path((pk,)), Literal(draw(KEY_VALUES[TYPES[pk]])))]
    if draw(st.booleans()):
        parts[0] = Compare("=", parts[0].right, parts[0].left)  # 'x' = pk is accepted too
    if draw(st.booleans()):
        values = KEY_VALUES[TYPES[sk]]
        ops = ["=", "<", "<=", ">", ">=", "BETWEEN"] + (["begins_with"] if TYPES[sk] in "SB" else [])
        op = draw(st.sampled_from(ops))
        if op == "BETWEEN":
            low, high = sorted([draw(values), draw(values)])
            parts.append(Between(Path((sk,)), Literal(low), Literal(high)))
        elif op == "begins_with":
            parts.append(Function("begins_with", (Path((sk,)), Literal(draw(values)))))
        else:
            parts.append(Compare(op, Path((sk,)), Literal(draw(values))))
    order = draw(st.permutations(parts))
    return index, to_source(and_(*order))


def _query(client, table, index: IndexSchema, key_text: str, filter_text: str | None = None):
    ph = Placeholders()
    kc = split_key_condition(parse_condition(key_text), index, TYPES, ph, key_text)
    kwargs = {"TableName": table, "KeyConditionExpression": ph.compile(kc.to_node())}
    if index.name:
        kwargs["IndexName"] = index.name
    if filter_text:
        kwargs["FilterExpression"] = ph.compile(parse_condition(filter_text))
    ph.check_all_used()
    return client.query(**kwargs, **_params(ph))


@settings(SETTINGS)
@given(case=key_conditions(), with_filter=st.booleans())
def test_every_valid_key_condition_runs_as_a_query(ddblocal_client, table, case, with_filter):
    index, text = case
    try:
        _query(ddblocal_client, table, index, text, "total > 1 AND data <> 'x'" if with_filter else None)
    except ClientError as e:  # pragma: no cover
        pytest.fail(f"DynamoDB Local rejected key condition {text!r} on {index.label}: {e}")


def test_key_condition_query_finds_items(ddblocal_client, table):
    assert len(_query(ddblocal_client, table, TABLE, "pk = 'u1'")["Items"]) == 2
    assert len(_query(ddblocal_client, table, TABLE, "pk = 'u1' AND name > 'a'")["Items"]) == 1
    assert len(_query(ddblocal_client, table, BY_NUM, "status = 'OPEN' AND n BETWEEN 1 AND 2")["Items"]) == 1
    assert (
        len(_query(ddblocal_client, table, BY_BIN, "pk = 'u1' AND begins_with(bin, b64\"AQ==\")")["Items"])
        == 1
    )


ANY_VALUE = st.sampled_from(["'x'", "'y'", "''", "1", "2", "true", 'b64"AQ=="', 'b64""'])


@st.composite
def key_ish_conditions(draw: st.DrawFn) -> tuple[IndexSchema, str]:
    """Conditions near the key-condition rules: some valid, most not."""
    index = draw(st.sampled_from(INDEXES))
    names = [*index.key.attributes, "pk", "name", "status", "other"]

    def part():
        attr = Path((draw(st.sampled_from(names)),))
        value = parse_condition(f"x = {draw(ANY_VALUE)}").right
        kind = draw(st.sampled_from(["cmp", "between", "begins", "in", "exists", "not"]))
        if kind == "cmp":
            return Compare(draw(st.sampled_from(["=", "<>", "<", ">="])), attr, value)
        if kind == "between":
            return Between(attr, value, value)
        if kind == "begins":
            return Function("begins_with", (attr, value))
        if kind == "in":
            return In(attr, (value,))
        if kind == "exists":
            return Function("attribute_exists", (attr,))
        return Not(Compare("=", attr, value))

    parts = [part() for _ in range(draw(st.integers(1, 3)))]
    node = or_(*parts) if len(parts) > 1 and draw(st.integers(0, 4)) == 0 else and_(*parts)
    return index, to_source(node)


@settings(SETTINGS, max_examples=200)
@given(case=key_ish_conditions())
def test_key_condition_checker_agrees_with_dynamodb_local(ddblocal_client, table, case):
    index, text = case
    try:
        node = parse_condition(text)
    except ExprError:
        return  # e.g. begins_with(pk, 1): refused before any key rule applies; DynamoDB refuses it too
    ph = Placeholders()
    try:
        split_key_condition(node, index, TYPES, ph, text)
        ours = None
    except ExprError as e:
        ours = e
    ph = Placeholders()
    compiled = ph.compile(node)
    try:
        extra = {"IndexName": index.name} if index.name else {}
        ddblocal_client.query(TableName=table, KeyConditionExpression=compiled, **extra, **_params(ph))
        theirs = None
    except ClientError as e:
        theirs = e
    assert (ours is None) == (theirs is None), f"{text!r}: ours={ours} dynamodb={theirs}"
