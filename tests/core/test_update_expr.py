"""Update expressions: parsing, canonical source, compiling with shared placeholders, refusals with the
column, and the evaluator that derives the new image from the old one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import Path, Placeholders, parse_condition
from ddbtui.core.expr.ast import Literal
from ddbtui.core.expr.lexer import tokenize
from ddbtui.core.expr.update import (
    Action,
    Arithmetic,
    SetLiteral,
    UpdateFunction,
    apply_update,
    compile_update,
    parse_update,
    update_source,
)


def compiled(text: str, key=("pk", "sk"), names=None, values=None):
    ph = Placeholders(names, values)
    expr = compile_update(parse_update(text), ph, text, key)
    return expr, ph.expression_attribute_names, ph.expression_attribute_values


def test_parse_builds_actions_for_every_clause():
    u = parse_update("SET a = a + 1, b = if_not_exists(b, 0) REMOVE x, y[0] ADD n 5 DELETE s <<'v'>>")
    assert u.actions == (
        Action("SET", Path.of("a"), Arithmetic("+", Path.of("a"), Literal(Decimal(1)))),
        Action("SET", Path.of("b"), UpdateFunction("if_not_exists", (Path.of("b"), Literal(Decimal(0))))),
        Action("REMOVE", Path.of("x")),
        Action("REMOVE", Path.of("y", 0)),
        Action("ADD", Path.of("n"), Literal(Decimal(5))),
        Action("DELETE", Path.of("s"), SetLiteral("SS", ("v",))),
    )


def test_compile_uses_placeholders_for_values_and_reserved_names():
    expr, names, values = compiled("SET a = a + 1, c = list_append(c, [1]), `status` = 'OK' REMOVE x")
    assert expr == "SET a = a + :v0, c = list_append(c, :v1), #status = :v2 REMOVE x"
    assert names == {"#status": "status"}
    assert values == {":v0": {"N": "1"}, ":v1": {"L": [{"N": "1"}]}, ":v2": {"S": "OK"}}


def test_sets_compile_to_set_values():
    _, _, values = compiled("SET t = <<'b', 'a'>> ADD n <<1, 2.5>> DELETE bs <<b64\"AQ==\">>")
    assert values == {":v0": {"SS": ["b", "a"]}, ":v1": {"NS": ["1", "2.5"]}, ":v2": {"BS": [b"\x01"]}}


def test_update_and_condition_share_one_placeholders_object():
    ph = Placeholders(values={":inc": 2})
    update = compile_update(parse_update("SET n = n + :inc, s = 'x'"), ph)
    cond = ph.compile(parse_condition("s <> 'x' AND n < 10"))
    assert update == "SET n = n + :inc, s = :v0"
    assert cond == "s <> :v0 AND n < :v1"  # the literal 'x' got one placeholder for both
    ph.check_all_used()


@pytest.mark.parametrize(
    "text",
    [
        "SET a = a + 1, b = if_not_exists(b, 0), c = list_append(c, [1, 'x']) REMOVE x, y[0].z",
        "SET `set` = <<'x', 'y'>>, m.k = {\"k\": [true, null]}",
        'ADD n -5, s <<b64"AQI=">> DELETE t <<1, 2.5>>',
        "SET a = list_append(if_not_exists(a, []), [1])",
        "REMOVE `remove`, `add`.b",
    ],
)
def test_canonical_source_round_trips(text):
    u = parse_update(text)
    assert parse_update(update_source(u)) == u


def test_minus_after_an_operand_is_the_operator_and_elsewhere_a_sign():
    assert parse_update("SET a = b -1").actions[0].value == Arithmetic("-", Path.of("b"), Literal(Decimal(1)))
    assert parse_update("SET a = -1").actions[0].value == Literal(Decimal(-1))
    assert parse_update("SET a = b - -1").actions[0].value == Arithmetic(
        "-", Path.of("b"), Literal(Decimal(-1))
    )


def test_conditions_still_refuse_plus_and_minus():
    with pytest.raises(ExprError, match="unexpected character '\\+'"):
        tokenize("a + 1")
    with pytest.raises(ExprError, match="unexpected character '-'"):
        parse_condition("a - b = 1")


@pytest.mark.parametrize(
    ("text", "column", "needle"),
    [
        ("", 1, "SET, REMOVE, ADD or DELETE"),
        ("UPDATE a = 1", 1, "SET, REMOVE, ADD or DELETE"),
        ("SET a = 1 SET b = 2", 11, "SET can appear only once"),
        ("SET a = a - 1 - 2", 15, "one + or -"),
        ("SET a = b + 'x'", 13, "works on numbers, not a string"),
        ("SET a = size(b)", 9, "belongs in a condition"),
        ("SET a = nope(b)", 9, "unknown function nope()"),
        ("SET a = list_append(a, 1)", 24, "joins two lists"),
        ("SET a", 6, "'=' after a in SET"),
        ("SET a = 1,", 11, "attribute path after SET"),
        ("REMOVE a b", 10, "',', another clause"),
        ("REMOVE set", 8, "backticks"),
        ("ADD a 'x'", 7, "ADD takes a number or a set, not a string"),
        ("ADD a b", 7, "not an attribute path"),
        ("ADD s ['a']", 8, "a set is written <<'a', 'b'>>"),
        ("DELETE s 1", 10, "DELETE takes the set"),
        ("ADD s <<>>", 7, "cannot be empty"),
        ("ADD s <<1, 'a'>>", 7, "only strings, only numbers or only binary"),
        ("SET s = <<1, 1.0>>", 9, "repeats"),
        ("SET s = <<1, 2", 15, "'>>' to close the set opened at column 9"),
        ("SET a = 1e200", 9, "out of DynamoDB's range"),
    ],
)
def test_bad_updates_say_what_and_where(text, column, needle):
    with pytest.raises(ExprError) as e:
        compile_update(parse_update(text), Placeholders(), text)
    assert needle in e.value.message
    assert e.value.column == column


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("SET pk = 'x'", "pk is part of the table's key"),
        ("REMOVE sk", "sk is part of the table's key"),
        ("SET #k = 'x'", "pk is part of the table's key"),
        ("SET a = 1, a.b = 2", "overlaps a"),
        ("SET a[0] = 1 REMOVE a", "a overlaps a\\[0\\] written by SET"),
        ("SET #x = 1, a = 2", "overlaps"),
    ],
)
def test_key_attributes_and_overlapping_paths_are_refused(text, needle):
    names = {"#k": "pk"} if "#k" in text else {"#x": "a"} if "#x" in text else None
    with pytest.raises(ExprError, match=needle):
        compiled(text, names=names)


def test_value_placeholders_are_type_checked():
    with pytest.raises(
        ExprError, match="ADD needs a number or string set.*:v is a list.*write the set inline"
    ):
        compiled("ADD s :v", values={":v": ["a"]})
    with pytest.raises(ExprError, match="'\\+' needs a number, but :v is a string"):
        compiled("SET n = n + :v", values={":v": "x"})
    with pytest.raises(ExprError, match=":nope has no value"):
        compiled("SET n = :nope")


def test_too_many_operators_are_refused_before_sending():
    text = "SET " + ", ".join(f"a{i} = if_not_exists(a{i}, 0)" for i in range(301))
    with pytest.raises(ExprError, match="301 operators"):
        compiled(text)


# --- evaluation -------------------------------------------------------------------------------------------

OLD = {
    "pk": {"S": "A"},
    "n": {"N": "1.5"},
    "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]},
    "m": {"M": {"x": {"N": "1"}, "y": {"S": "keep"}}},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.50"]},
    "bs": {"BS": [b"\x01"]},
}


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("SET n = n + 1.5", {"n": {"N": "3"}}),
        ("SET n = n - 1.5", {"n": {"N": "0"}}),
        ("SET z = if_not_exists(z, n)", {"z": {"N": "1.5"}}),
        ("SET n = if_not_exists(n, 9)", {}),
        ("SET l = list_append(l, [4])", {"l": {"L": [{"N": str(i)} for i in range(5)]}}),
        ("SET l[1] = 'x'", {"l": {"L": [{"N": "0"}, {"S": "x"}, {"N": "2"}, {"N": "3"}]}}),
        ("SET l[99] = 'x'", {"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}, {"S": "x"}]}}),
        ("REMOVE l[0], l[2]", {"l": {"L": [{"N": "1"}, {"N": "3"}]}}),
        ("SET l[1] = 'x' REMOVE l[0]", {"l": {"L": [{"S": "x"}, {"N": "2"}, {"N": "3"}]}}),
        ("REMOVE l[9], nothing", {}),
        ("SET m.z = m.x + 1 REMOVE m.y", {"m": {"M": {"x": {"N": "1"}, "z": {"N": "2"}}}}),
        ("ADD n 1, fresh 2", {"n": {"N": "2.5"}, "fresh": {"N": "2"}}),
        (
            "ADD ss <<'b', 'c'>>, m.w <<1>>",
            {"ss": {"SS": ["a", "b", "c"]}, "m": {"M": {**OLD["m"]["M"], "w": {"NS": ["1"]}}}},
        ),
        ("DELETE ns <<2.5>>", {"ns": {"NS": ["1"]}}),
        ("DELETE ns <<1, 2.5>>, missing <<'q'>>", {"ns": None}),
        ('DELETE bs <<b64"AQ==">>', {"bs": None}),
        (
            "SET n = 12345678901234567890123456789012345678 - 1",
            {"n": {"N": "12345678901234567890123456789012345677"}},
        ),
    ],
)
def test_apply_update_computes_the_new_image(text, changed):
    new = apply_update(OLD, parse_update(text), Placeholders(), text)
    expected = {k: v for k, v in {**OLD, **changed}.items() if v is not None}
    assert new == expected
    assert OLD["l"]["L"][0] == {"N": "0"}  # the old image is left alone


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("SET q = nothere + 1", "nothere does not exist"),
        ("SET nope.x = 1", "invalid for this item"),
        ("SET ss = ss + 1", "needs two numbers"),
        ("ADD ss 1", "ADD of number to ss, which is string set"),
        ("DELETE ss <<1>>", "DELETE of a number set from ss"),
        ("SET n = 12345678901234567890123456789012345678 + 0.1", "more than 38 significant digits"),
    ],
)
def test_apply_update_refuses_what_dynamodb_refuses(text, needle):
    with pytest.raises(ExprError, match=needle):
        apply_update(OLD, parse_update(text), Placeholders(), text)


def test_apply_update_resolves_placeholders():
    ph = Placeholders({"#c": "count"}, {":one": 1})
    text = "SET #c = if_not_exists(#c, :one) + :one"
    compile_update(parse_update(text), ph, text)
    assert apply_update({"pk": {"S": "A"}}, parse_update(text), ph)["count"] == {"N": "2"}
