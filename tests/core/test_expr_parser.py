"""Parser: the tree for each construct, precedence, projections, canonical source, and errors with columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import (
    And,
    Between,
    Compare,
    Function,
    In,
    Literal,
    NameRef,
    Not,
    Or,
    Path,
    Size,
    ValueRef,
    conjuncts,
    parse_condition,
    parse_operand,
    parse_projection,
    to_source,
)

P = Path.of


def cmp(path, value, op="="):
    return Compare(op, P(path), Literal(value))


def test_the_design_example():
    node = parse_condition(
        "pk = 'USER#42' AND begins_with(sk, \"ORDER#\") AND total > 100 AND attribute_exists(shippedAt)"
    )
    assert node == And(
        (
            cmp("pk", "USER#42"),
            Function("begins_with", (P("sk"), Literal("ORDER#"))),
            Compare(">", P("total"), Literal(Decimal(100))),
            Function("attribute_exists", (P("shippedAt"),)),
        )
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'x'", "x"),
        ('"x"', "x"),
        ("-1.5e3", Decimal("-1.5e3")),
        ("true", True),
        ("FALSE", False),
        ("Null", None),
        ('b64"AAE="', b"\x00\x01"),
        ('[1, "a", [true, null], {}]', [Decimal(1), "a", [True, None], {}]),
        ('{"k": 1, "n": {"m": [b64""]}}', {"k": Decimal(1), "n": {"m": [b""]}}),
        ('{"a":1,"b":"x"}', {"a": Decimal(1), "b": "x"}),
        ("[]", []),
    ],
)
def test_every_literal_type(text, value):
    node = parse_condition(f"a = {text}")
    assert node == Compare("=", P("a"), Literal(value))
    assert parse_condition(to_source(node)) == node


def test_literals_keep_their_dynamodb_type():
    # Python says True == 1; DynamoDB does not.
    assert Literal(True) != Literal(Decimal(1))
    assert Literal([True]) != Literal([Decimal(1)])
    assert Literal(Decimal("1.0")) == Literal(Decimal("1"))
    assert Literal({"a": 1}) == Literal({"a": Decimal(1)})
    assert {Literal("x"), Literal("x")} == {Literal("x")}
    assert Literal(b"x").type == "B" and Literal(None).type == "NULL" and Literal([]).type == "L"


def test_paths():
    assert parse_operand("a.b.c") == P("a", "b", "c")
    assert parse_operand("a[0].b[12][3]") == P("a", 0, "b", 12, 3)
    assert parse_operand("#n.x") == P(NameRef("#n"), "x")
    assert parse_operand("`my-attr.x`") == P("my-attr.x")  # one name with a dot in it
    assert parse_operand("`my-attr`.x") == P("my-attr", "x")
    assert parse_operand("a . b [ 1 ]") == P("a", "b", 1)
    assert parse_operand("a.`and`.in") == P("a", "and", "in")  # after '.', a keyword is a name
    assert parse_operand("size(a.b)") == Size(P("a", "b"))
    assert parse_operand(":v") == ValueRef(":v")
    assert parse_operand("size") == P("size")  # a name unless a '(' follows


def test_path_of_32_levels_is_the_limit():
    parse_operand("a" + ".b" * 31)
    parse_operand("a" + "[0]" * 31)
    with pytest.raises(ExprError, match="at most 32 levels"):
        parse_operand("a" + ".b" * 32)
    parse_operand("a[2147483647]")
    with pytest.raises(ExprError, match="too large") as e:
        parse_operand("a[2147483648]")
    assert e.value.column == 3
    with pytest.raises(ExprError, match="too large"):
        parse_operand("a[" + "9" * 5000 + "]")


def test_reserved_words_and_function_names_are_fine_as_attribute_names():
    node = parse_condition("status = 'x' AND name <> data AND size > 1 AND contains = 2 AND begins_with = 3")
    assert [c.left for c in conjuncts(node)] == [
        P("status"),
        P("name"),
        P("size"),
        P("contains"),
        P("begins_with"),
    ]


def test_keywords_are_case_insensitive_but_function_names_are_not():
    # Measured on DynamoDB Local: `a between :x and :y` is accepted, `BEGINS_WITH(...)` / `Size(a)` are a
    # ValidationException ("Invalid function name; function: BEGINS_WITH").
    assert parse_condition("a between 1 and 2 or not b in (1)") == parse_condition(
        "a BETWEEN 1 AND 2 OR NOT b IN (1)"
    )
    assert parse_condition("begins_with(a, 'x')") == Function("begins_with", (P("a"), Literal("x")))
    for text, column, name in (
        ("BEGINS_WITH(a, 'x')", 1, "begins_with"),
        ("Contains(a, 'x')", 1, "contains"),
        ("b = 1 AND Size(a) = 1", 11, "size"),
        ("attribute_EXISTS(a)", 1, "attribute_exists"),
    ):
        with pytest.raises(ExprError) as info:
            parse_condition(text)
        assert info.value.column == column
        assert f"write {name}()" in info.value.message


def test_redundant_parentheses_are_refused_like_dynamodb():
    # DynamoDB Local: "The expression has redundant parentheses" for a group that only wraps a group.
    for text, column in (("((a < b))", 1), ("NOT ((a < b))", 5), ("c = 1 AND ((a < b OR b < a))", 11)):
        with pytest.raises(ExprError) as info:
            parse_condition(text)
        assert info.value.column == column, text
        assert "redundant parentheses" in info.value.message
    # ...and accepts these (also measured): one pair, a group beside another term, a group inside an OR.
    for text in ("(a < b)", "(a < b) AND c = 1", "((a < b) AND c = 1)", "(a < b OR (c = 1))", "NOT (a < b)"):
        parse_condition(text)


def test_empty_expressions_are_refused():
    # DynamoDB: "Invalid FilterExpression: The expression can not be empty"; an empty shell variable must
    # not turn a filtered read into an unfiltered one.
    for fn in (parse_condition, parse_projection):
        for text in ("", "   "):
            with pytest.raises(ExprError, match="empty"):
                fn(text)


def test_precedence_comparison_over_not_over_and_over_or():
    a, b, c, d = (cmp(x, Decimal(1)) for x in "abcd")
    assert parse_condition("a = 1 OR b = 1 AND c = 1") == Or((a, And((b, c))))
    assert parse_condition("a = 1 AND b = 1 OR c = 1 AND d = 1") == Or((And((a, b)), And((c, d))))
    assert parse_condition("NOT a = 1 AND b = 1") == And((Not(a), b))
    assert parse_condition("NOT (a = 1 AND b = 1)") == Not(And((a, b)))
    assert parse_condition("NOT NOT a = 1") == Not(Not(a))
    assert parse_condition("(a = 1 OR b = 1) AND c = 1") == And((Or((a, b)), c))
    assert parse_condition("a = 1 AND (b = 1 AND c = 1)") == And((a, b, c))  # flattened: same meaning
    assert parse_condition("(a = 1)") == a
    assert parse_condition("a BETWEEN 1 AND 2 AND b = 1") == And((Between(P("a"), Literal(1), Literal(2)), b))


def test_comparisons_between_in_and_functions():
    assert parse_condition("a <> b") == Compare("<>", P("a"), P("b"))
    assert parse_condition("'x' < a") == Compare("<", Literal("x"), P("a"))
    assert parse_condition("size(a) >= :n") == Compare(">=", Size(P("a")), ValueRef(":n"))
    assert parse_condition("a IN ('x', b, :v)") == In(P("a"), (Literal("x"), P("b"), ValueRef(":v")))
    assert parse_condition('a IN ([1], {"k": 2})').options == (Literal([1]), Literal({"k": 2}))
    assert parse_condition("attribute_not_exists(a.b)") == Function("attribute_not_exists", (P("a", "b"),))
    assert parse_condition("attribute_type(a, 'NS')") == Function("attribute_type", (P("a"), Literal("NS")))
    assert parse_condition("attribute_type(a, :t)") == Function("attribute_type", (P("a"), ValueRef(":t")))
    assert parse_condition("contains(tags, b)") == Function("contains", (P("tags"), P("b")))
    assert parse_condition('begins_with(a, b64"AA==")').args[1] == Literal(b"\x00")
    assert len(parse_condition("a IN (" + ", ".join(["1"] * 100) + ")").options) == 100


def test_offsets_point_at_the_token_and_are_ignored_by_equality():
    node = parse_condition("  a  = 'x'")
    assert node.column == 6 and node.left.column == 3 and node.right.column == 8
    assert node == parse_condition("a='x'")
    assert Path.of("a").column is None


def test_conjuncts():
    node = parse_condition("a = 1 AND (b = 1 OR c = 1) AND NOT d = 1")
    assert [type(c) for c in conjuncts(node)] == [Compare, Or, Not]
    assert conjuncts(cmp("a", 1)) == [cmp("a", 1)]


def test_projection():
    assert parse_projection("a, b.c, d[0]") == [P("a"), P("b", "c"), P("d", 0)]
    assert parse_projection("status,#n,`x y`") == [P("status"), P(NameRef("#n")), P("x y")]
    assert parse_projection("a[0], a[1], a.b[0].c, a.b[1]") == [
        P("a", 0),
        P("a", 1),
        P("a", "b", 0, "c"),
        P("a", "b", 1),
    ]
    assert to_source(parse_projection("a ,b.`c-d`")) == "a, b.`c-d`"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("", 1, "the expression is empty"),
        ("a,", 3, "expected an attribute path after ',' but found end of input"),
        ("a b", 3, "expected ',' or the end of the projection but found 'b'"),
        ("a, 'x'", 4, "expected an attribute path after ','"),
        ("a, a", 4, "a overlaps a in the projection"),
        ("a.b, a", 6, "a overlaps a.b"),
        ("size(a)", 5, "expected ',' or the end of the projection"),
    ],
)
def test_projection_errors(text, column, message):
    with pytest.raises(ExprError) as e:
        parse_projection(text)
    assert message in e.value.message
    assert e.value.column == column


def test_to_source_is_canonical():
    text = "a=1 and (b='x' or not c between 1 and 2) and size(`d-e`) in (1,2)"
    assert to_source(parse_condition(text)) == (
        "a = 1 AND (b = 'x' OR NOT c BETWEEN 1 AND 2) AND size(`d-e`) IN (1, 2)"
    )
    # Names that would read as keywords or other tokens go in backticks; strings escape what they must.
    assert to_source(Compare("=", P("and", "in", "true", "x y", "a`b"), Literal("it's\n\x1b"))) == (
        "`and`.`in`.`true`.`x y`.`a\\`b` = 'it\\'s\\n\\u001b'"
    )
    assert (
        to_source(Literal({"k": [b"\x00", None, False, Decimal("1.50")]}))
        == '{"k": [b64"AA==", null, false, 1.50]}'
    )
    assert to_source(Not(Or((cmp("a", 1), cmp("b", 2))))) == "NOT (a = 1 OR b = 2)"
    assert to_source(And((cmp("a", 1), And((cmp("b", 2), cmp("c", 3)))))) == "a = 1 AND b = 2 AND c = 3"


ERRORS = [
    ("status=", 8, "expected a value after '=' but found end of input"),
    ("", 1, "the expression is empty"),
    ("a", 2, "expected a comparison (= <> < <= > >= BETWEEN IN) after a but found end of input; to test"),
    ("a AND b = 1", 3, "attribute_exists(a)"),
    ("(a = 1", 7, "expected ')' to close the '(' at column 1 but found end of input"),
    ("a = 1)", 6, "this ')' closes no '('"),
    ("()", 2, "expected a condition inside '( )'"),
    ("a = 1 b = 2", 7, "expected AND, OR or the end of the expression but found 'b'"),
    ("a = 1 AND", 10, "expected a condition but found end of input"),
    ("NOT", 4, "expected a condition after NOT"),
    ("and = 1", 1, "an attribute named and goes in backticks: `and`"),
    ("a = OR", 5, "expected a value after '='"),
    ("a = :", 5, "expected a value after '=' but found ':'"),
    ("a < true", 5, "'<' compares strings, numbers or binary, not a boolean (true)"),
    ("null >= a", 1, "'>=' compares strings, numbers or binary, not null"),
    ("a > [1]", 5, "not a list"),
    ("a BETWEEN {} AND 2", 11, "BETWEEN compares strings, numbers or binary, not a map"),
    ("a BETWEEN 5 AND 1", 11, "BETWEEN needs the lower bound first: 5 is greater than 1"),
    ("a BETWEEN 'b' AND 'a'", 11, "lower bound first"),
    ("a BETWEEN 1 AND 'x'", 17, "BETWEEN needs bounds of one type; found a number (1) and a string ('x')"),
    ("a BETWEEN 1 OR 2", 13, "expected AND between the bounds of BETWEEN"),
    ("a IN 1", 6, "expected '(' after IN"),
    ("a IN ()", 7, "IN needs at least one value"),
    ("a IN (1,)", 9, "expected a value after ',' in the IN list"),
    ("a IN (1 2)", 9, "expected ',' or ')' in the IN list"),
    ("a IN (" + ",".join(["1"] * 101) + ")", 6, "IN takes at most 100 values; this one has 101"),
    ("foo(a)", 1, "unknown function foo(); DynamoDB has attribute_exists()"),
    ("a = begins_with(b, 'x')", 5, "begins_with() is a condition, not a value"),
    ("begins_with(a, 1)", 16, "begins_with() needs a string or binary prefix, not a number (1)"),
    ("begins_with(a)", 14, "expected ',' and a second argument: begins_with(path, 'prefix')"),
    ("begins_with('x', a)", 13, "expected an attribute path as the first argument"),
    ("contains(a, size(b))", 13, "takes a path or a value as its second argument, not size()"),
    ("attribute_exists()", 18, "attribute_exists() needs an attribute path"),
    ("attribute_exists(a, b)", 19, "attribute_exists() takes 1 argument"),
    ("attribute_exists(:v)", 18, "an attribute path as the first argument"),
    (
        "attribute_type(a, 'bool')",
        19,
        "needs one of S, SS, N, NS, B, BS, BOOL, NULL, L, M; found string 'bool' (did you mean 'BOOL'?)",
    ),
    ("attribute_type(a, b)", 19, "expected a type name such as 'S'"),
    ("size(a, b) = 1", 7, "size() takes 1 argument"),
    ("size(:v) = 1", 6, "an attribute path as the first argument of size(path)"),
    ("a = size(b", 11, "expected ')' to close size("),
    ("a[-1] = 1", 3, "expected a list index (a whole number from 0) after '[' but found number -1"),
    ("a[1.5] = 1", 3, "expected a list index"),
    ("a[0 = 1", 5, "expected ']' after the list index"),
    ("a. = 1", 4, "expected an attribute name after '.'"),
    ("a = [1, b]", 9, "lists and maps hold literal values only"),
    ("a = [1, :v]", 9, "lists and maps hold literal values only"),
    ("a = [1", 7, "expected ',' or ']' in the list"),
    ("a = {k: 1}", 6, 'expected a quoted key in the map, as in {"key": 1}'),
    ('a = {"": 1}', 6, "a map key cannot be empty"),
    ('a = {"k": 1, "k": 2}', 14, 'the key "k" appears twice'),
    ('a = {"k" 1}', 10, "expected ':' after the key"),
    ("a = a", 5, "`a = a` uses a twice; DynamoDB refuses a condition whose first operand appears again"),
    ("a.b IN (c, a.b)", 12, "uses a.b twice"),
    ("contains(a, a)", 13, "uses a twice"),
    ("a BETWEEN b AND a", 17, "uses a twice"),
    ("(" * 65 + "a = 1" + ")" * 65, 65, "nests deeper than 64 levels"),
    ("NOT " * 65 + "a = 1", 257, "nests deeper than 64 levels"),
    ("a = " + "[" * 65 + "]" * 65, 69, "nests deeper than 64 levels"),
]


@pytest.mark.parametrize(("text", "column", "message"), ERRORS)
def test_errors_say_what_was_expected_and_where(text, column, message):
    with pytest.raises(ExprError) as e:
        parse_condition(text)
    assert message in e.value.message
    assert e.value.column == column
    assert e.value.text == text


def test_64_levels_of_nesting_are_fine():
    parse_condition("(b = 1 OR " * 64 + "a = 1" + ")" * 64)  # DynamoDB refuses "((" wrapping nothing else
    parse_condition("NOT " * 64 + "a = 1")
    parse_condition("a = " + "[" * 64 + "]" * 64)


def test_long_flat_chains_do_not_recurse():
    text = " AND ".join(f"a{i} = {i}" for i in range(5000))
    node = parse_condition(text)
    assert len(node.operands) == 5000
    assert to_source(node) == text.replace("AND", "AND")
    assert node == parse_condition(to_source(node))
