"""Compiler: placeholders for names and values, reserved-word escaping, user placeholders, limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import (
    Compare,
    Literal,
    Path,
    Placeholders,
    parse_condition,
    parse_projection,
    to_attribute_value,
    to_source,
)
from ddbtui.core.expr.compiler import count_operators


def compile_(text, names=None, values=None):
    ph = Placeholders(names, values)
    return (
        ph.compile(parse_condition(text), text),
        ph.expression_attribute_names,
        ph.expression_attribute_values,
    )


def test_design_example():
    text = "pk = 'USER#42' AND begins_with(sk, \"ORDER#\") AND total > 100 AND attribute_exists(shippedAt)"
    expr, names, values = compile_(text)
    assert expr == "pk = :v0 AND begins_with(sk, :v1) AND #total > :v2 AND attribute_exists(shippedAt)"
    assert names == {"#total": "total"}
    assert values == {":v0": {"S": "USER#42"}, ":v1": {"S": "ORDER#"}, ":v2": {"N": "100"}}


@pytest.mark.parametrize("word", ["status", "name", "data", "size", "Status", "TTL", "user", "value", "zone"])
def test_reserved_words_get_a_readable_placeholder(word):
    expr, names, _ = compile_(f"{word} = 1 OR attribute_exists({word}.x)")
    assert expr == f"#{word} = :v0 OR attribute_exists(#{word}.x)"
    assert names == {f"#{word}": word}


def test_plain_names_stay_literal():
    expr, names, _ = compile_("shippedAt = 1 AND a_b1 = 2 AND contains(tags, 'x') AND b64 = 3")
    assert expr == "shippedAt = :v0 AND a_b1 = :v1 AND contains(tags, :v2) AND b64 = :v3"
    assert names == {}


def test_odd_names_get_numbered_placeholders_reused_per_name():
    expr, names, _ = compile_(
        "`my-attr.x` = 1 AND `with space`.`my-attr.x` = 2 AND `my-attr.x` <> 3 AND _u = 4"
    )
    assert expr == "#n1 = :v0 AND #n2.#n1 = :v1 AND #n1 <> :v2 AND #_u = :v3"
    assert names == {"#n1": "my-attr.x", "#n2": "with space", "#_u": "_u"}


def test_keywords_in_backticks_are_escaped():
    expr, names, _ = compile_("`and` = 1 AND `true`.`in` = 2")
    assert expr == "#and = :v0 AND #true.#in = :v1"
    assert names == {"#and": "and", "#true": "true", "#in": "in"}


def test_every_literal_type_as_attribute_value():
    text = (
        "a IN ('s', 1.50, -2E+3, true, false, null, b64\"AAE=\", [1, 'x', [null]], {\"k\": {\"n\": 2}}, '')"
    )
    _, _, values = compile_(text)
    assert list(values.values()) == [
        {"S": "s"},
        {"N": "1.50"},
        {"N": "-2E+3"},
        {"BOOL": True},
        {"BOOL": False},
        {"NULL": True},
        {"B": b"\x00\x01"},
        {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"NULL": True}]}]},
        {"M": {"k": {"M": {"n": {"N": "2"}}}}},
        {"S": ""},
    ]


def test_equal_literals_share_a_placeholder_but_types_do_not_mix():
    expr, _, values = compile_("a = 1 OR b = 1 OR c = true OR d = '1' OR e = 1.0")
    assert expr == "a = :v0 OR b = :v0 OR c = :v1 OR d = :v2 OR e = :v0"
    assert values == {":v0": {"N": "1"}, ":v1": {"BOOL": True}, ":v2": {"S": "1"}}


def test_user_placeholders():
    names = {"#s": "status", "#d": "a.b"}
    values = {":open": "OPEN", ":n": Decimal("5"), ":l": [1, {"x": None}]}
    expr, out_names, out_values = compile_("#s = :open AND #d > :n AND contains(c, :l)", names, values)
    assert expr == "#s = :open AND #d > :n AND contains(c, :l)"
    assert out_names == names
    assert out_values == {
        ":open": {"S": "OPEN"},
        ":n": {"N": "5"},
        ":l": {"L": [{"N": "1"}, {"M": {"x": {"NULL": True}}}]},
    }


def test_generated_placeholders_avoid_the_users():
    ph = Placeholders(names={"#status": "state", "#n1": "x"}, values={":v0": 1, ":v1": 2})
    expr = ph.compile(parse_condition("status = 'a' AND #status = :v0 AND `a-b` = :v1 AND `c-d` = 'b'"))
    assert expr == "#status_2 = :v2 AND #status = :v0 AND #n2 = :v1 AND #n3 = :v3"
    assert ph.expression_attribute_names == {
        "#status_2": "status",
        "#status": "state",
        "#n2": "a-b",
        "#n3": "c-d",
    }
    with pytest.raises(UsageError, match="--names #n1 is not used"):
        ph.check_all_used()


def test_one_placeholders_serves_a_whole_request():
    ph = Placeholders(values={":p": "u1"})
    key = ph.compile(parse_condition("pk = :p AND name > 'a'"))
    flt = ph.compile(parse_condition("name <> 'a' AND status = 'OPEN' AND n = 1"))
    proj = ph.compile_projection(parse_projection("name, status, data.x[0]"))
    assert key == "pk = :p AND #name > :v0"
    assert flt == "#name <> :v0 AND #status = :v1 AND n = :v2"
    assert proj == "#name, #status, #data.x[0]"
    assert ph.expression_attribute_names == {"#name": "name", "#status": "status", "#data": "data"}
    assert ph.expression_attribute_values == {
        ":p": {"S": "u1"},
        ":v0": {"S": "a"},
        ":v1": {"S": "OPEN"},
        ":v2": {"N": "1"},
    }
    ph.check_all_used()


def test_compiling_is_deterministic():
    # odd name → #n1, reserved word → #status, a plain name in backticks stays literal, values numbered
    # in reading order; a second compile (a fresh Placeholders) gives exactly the same, no global counter
    text = "`x y` = 1 AND status IN ('a', 'b') AND size(`z`) > 2"
    expected = (
        "#n1 = :v0 AND #status IN (:v1, :v2) AND size(z) > :v3",
        {"#n1": "x y", "#status": "status"},
        {":v0": {"N": "1"}, ":v1": {"S": "a"}, ":v2": {"S": "b"}, ":v3": {"N": "2"}},
    )
    assert compile_(text) == expected
    assert compile_(text) == expected
    # NOT, parentheses, a reused odd name, a path with an index and BETWEEN
    text = "NOT (`a-b` = 1 OR `a-b` <> 2) AND `a-b`.status[3] BETWEEN 'x' AND 'y'"
    assert compile_(text) == (
        "NOT (#n1 = :v0 OR #n1 <> :v1) AND #n1.#status[3] BETWEEN :v2 AND :v3",
        {"#n1": "a-b", "#status": "status"},
        {":v0": {"N": "1"}, ":v1": {"N": "2"}, ":v2": {"S": "x"}, ":v3": {"S": "y"}},
    )


def test_nothing_to_substitute_gives_empty_maps():
    ph = Placeholders()
    assert ph.compile(parse_condition("attribute_exists(a)")) == "attribute_exists(a)"
    assert ph.expression_attribute_names == {} and ph.expression_attribute_values == {}


def test_check_all_used_names_what_was_not_used():
    ph = Placeholders(names={"#a": "a", "#b": "b"}, values={":x": 1, ":y": 2})
    ph.compile(parse_condition("#a = :x"))
    with pytest.raises(UsageError) as e:
        ph.check_all_used()
    assert (
        str(e.value)
        == "--names #b and --values :y are not used by any expression; DynamoDB rejects unused placeholders"
    )
    ph.compile_projection(parse_projection("#b"))
    with pytest.raises(UsageError, match="^--values :y is not used"):
        ph.check_all_used()


def test_undefined_user_placeholders_are_expr_errors_with_column():
    text = "a = 1 AND #nope = :v"
    with pytest.raises(ExprError) as e:
        Placeholders(values={":v": 1}).compile(parse_condition(text), text)
    assert e.value.column == 11 and "#nope is not defined: give it with --names" in e.value.message
    assert e.value.text == text
    with pytest.raises(ExprError) as e:
        Placeholders().compile(parse_condition(text.replace("#nope", "b")))
    assert e.value.column == 15 and ":v has no value: give it with --values" in e.value.message
    with pytest.raises(ExprError, match="#p is not defined"):
        Placeholders().compile_projection(parse_projection("a, #p"))


def test_user_values_are_checked_where_dynamodb_would_refuse_them():
    ph = Placeholders(values={":t": "bool", ":b": True, ":n": 1, ":s": "x"}, names={"#a": "a"})
    for text, message in [
        ("attribute_type(a, :t)", ":t must be one of S, SS, N, NS, B, BS, BOOL, NULL, L, M"),
        ("a < :b", "'<' needs a string or number or binary value, but :b is a boolean"),
        ("a BETWEEN :s AND :b", "BETWEEN needs a string or number or binary value, but :b is a boolean"),
        ("begins_with(a, :n)", "begins_with() needs a string or binary value, but :n is a number"),
        ("#a = a", "`#a = a` uses a twice"),
    ]:
        with pytest.raises(ExprError) as e:
            ph.compile(parse_condition(text))
        assert message in e.value.message, text
    with pytest.raises(ExprError, match=":s must be one of"):
        ph.compile(parse_condition("attribute_type(a, :s)"))
    assert (
        Placeholders(values={":t": "SS"}).compile(parse_condition("attribute_type(a, :t)"))
        == "attribute_type(a, :t)"
    )


def test_projection_overlap_is_checked_after_resolving_names():
    with pytest.raises(ExprError, match="overlaps"):
        Placeholders(names={"#x": "a"}).compile_projection(parse_projection("#x, a.b"))
    assert Placeholders(names={"#x": "a.b"}).compile_projection(parse_projection("#x, a.b")) == "#x, a.b"


def test_bad_user_maps_are_usage_errors():
    with pytest.raises(UsageError, match="--names key 'n' must be '#'"):
        Placeholders(names={"n": "x"})
    with pytest.raises(UsageError, match="--names #n must map to a non-empty attribute name"):
        Placeholders(names={"#n": ""})
    with pytest.raises(UsageError, match="--values key 'v' must be ':'"):
        Placeholders(values={"v": 1})
    with pytest.raises(UsageError, match="--values :v: number 1E\\+200 is out of DynamoDB's range"):
        Placeholders(values={":v": Decimal("1E+200")})
    with pytest.raises(UsageError, match="--values :v: set is not a JSON value"):
        Placeholders(values={":v": {1, 2}})
    with pytest.raises(UsageError, match="a map key cannot be empty"):
        Placeholders(values={":v": {"": 1}})


def test_to_attribute_value():
    assert to_attribute_value(3) == {"N": "3"}
    assert to_attribute_value(0.1) == {"N": "0.1"}
    assert to_attribute_value(Decimal("1.50")) == {"N": "1.50"}
    assert to_attribute_value(bytearray(b"x")) == {"B": b"x"}
    assert to_attribute_value((1, None)) == {"L": [{"N": "1"}, {"NULL": True}]}
    with pytest.raises(ValueError, match="not a finite number"):
        to_attribute_value(float("nan"))
    with pytest.raises(TypeError, match="map keys must be strings"):
        to_attribute_value({1: 2})


def test_operator_limit_of_300():
    ok = " OR ".join(["a = 1"] * 150)  # 150 comparisons + 149 ORs = 299
    assert count_operators(parse_condition(ok)) == 299
    Placeholders().compile(parse_condition(ok))
    too_many = " OR ".join(["size(a) = 1"] * 101)
    assert count_operators(parse_condition(too_many)) == 302
    with pytest.raises(ExprError, match="302 operators and functions; DynamoDB allows at most 300"):
        Placeholders().compile(parse_condition(too_many))
    assert (
        count_operators(parse_condition("NOT a BETWEEN 1 AND 2 AND b IN (1, 2, 3) AND contains(c, 1)")) == 6
    )


def test_expression_length_limit_of_4096_bytes():
    long_name = "a" * 2100
    ph = Placeholders()
    with pytest.raises(ExprError, match="bytes long; it allows at most 4096"):
        ph.compile(parse_condition(f"{long_name} = 1 AND {long_name}x = 2"))
    # The same names through placeholders fit easily.
    Placeholders().compile(parse_condition(f"`{long_name}-` = 1 AND `{long_name}x-` = 2"))


def test_hand_built_trees_compile():
    ph = Placeholders()
    node = Compare("=", Path.of("a", 0, "status"), Literal(5))
    assert ph.compile(node) == "a[0].#status = :v0"
    assert ph.expression_attribute_values == {":v0": {"N": "5"}}


def test_size_of_an_inline_value_is_sent_for_dynamodb_to_work_out():
    # DynamoDB takes size() of a value (measured on DynamoDB Local: size(:s) = :n with :s 'abc' is true;
    # its string sizes are its own, so ddbtui sends the value rather than counting itself)
    assert compile_("size('abc') = 3") == ("size(:v0) = :v1", {}, {":v0": {"S": "abc"}, ":v1": {"N": "3"}})
    assert compile_("size([1, 2]) > 1")[0] == "size(:v0) > :v1"
    assert to_source(parse_condition('size(b64"AAE=") = 2')) == 'size(b64"AAE=") = 2'
    assert count_operators(parse_condition("size('abc') = 3")) == 2
    for text, column in (("size(3) = 1", 6), ("size(true) = 1", 6), ("size(null) = 1", 6)):
        with pytest.raises(ExprError) as e:
            parse_condition(text)
        assert e.value.column == column and "string, binary, list, map or set" in e.value.message
