"""Key conditions: what DynamoDB accepts in a KeyConditionExpression, and why the rest is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import (
    Literal,
    NameRef,
    Path,
    Placeholders,
    ValueRef,
    check_filter,
    check_projection,
    parse_condition,
    parse_projection,
    split_key_condition,
    to_source,
)
from ddbtui.core.schema import IndexSchema, KeySchema

TABLE = IndexSchema(None, "table", KeySchema("pk", "sk"))
BY_NUM = IndexSchema("byNum", "gsi", KeySchema("status", "n"))
BY_BIN = IndexSchema("byBin", "lsi", KeySchema("pk", "bin"))
HASH_ONLY = IndexSchema("byEmail", "gsi", KeySchema("email"))
TYPES = {"pk": "S", "sk": "S", "status": "S", "n": "N", "bin": "B", "email": "S"}


def split(text, index=TABLE, ph=None):
    return split_key_condition(parse_condition(text), index, TYPES, ph, text)


def test_partition_key_only():
    kc = split("pk = 'u1'")
    assert kc.partition == ("pk", Literal("u1"))
    assert kc.sort is None
    assert kc.partition_key == "pk" and kc.sort_key == "sk"
    assert to_source(kc.to_node()) == "pk = 'u1'"


@pytest.mark.parametrize(
    ("text", "op", "values", "source"),
    [
        ("pk = 'u' AND sk = 'a'", "=", ["a"], "pk = 'u' AND sk = 'a'"),
        ("pk = 'u' AND sk < 'a'", "<", ["a"], "pk = 'u' AND sk < 'a'"),
        ("pk = 'u' AND sk <= 'a'", "<=", ["a"], "pk = 'u' AND sk <= 'a'"),
        ("pk = 'u' AND sk > 'a'", ">", ["a"], "pk = 'u' AND sk > 'a'"),
        ("pk = 'u' AND sk >= 'a'", ">=", ["a"], "pk = 'u' AND sk >= 'a'"),
        ("pk = 'u' AND sk BETWEEN 'a' AND 'b'", "BETWEEN", ["a", "b"], "pk = 'u' AND sk BETWEEN 'a' AND 'b'"),
        ("pk = 'u' AND begins_with(sk, 'OR')", "begins_with", ["OR"], "pk = 'u' AND begins_with(sk, 'OR')"),
        # The sort key first, the value first, parentheses: all normalised.
        ("sk > 'a' AND pk = 'u'", ">", ["a"], "pk = 'u' AND sk > 'a'"),
        ("'u' = pk AND 'a' < sk", ">", ["a"], "pk = 'u' AND sk > 'a'"),
        ("(pk = 'u') AND (sk <= 'a')", "<=", ["a"], "pk = 'u' AND sk <= 'a'"),
    ],
)
def test_every_sort_key_form(text, op, values, source):
    kc = split(text)
    assert kc.sort == (op, tuple(Literal(v) for v in values))
    assert to_source(kc.to_node()) == source


def test_gsi_lsi_and_types():
    kc = split("status = 'OPEN' AND n BETWEEN 1 AND 10", BY_NUM)
    assert kc.partition == ("status", Literal("OPEN"))
    assert kc.sort == ("BETWEEN", (Literal(Decimal(1)), Literal(Decimal(10))))
    kc = split("pk = 'u' AND begins_with(bin, b64\"AQ==\")", BY_BIN)
    assert kc.sort == ("begins_with", (Literal(b"\x01"),))
    assert split("email = 'a@b'", HASH_ONLY).sort is None


def test_user_placeholders_are_resolved_and_kept():
    ph = Placeholders(names={"#k": "pk", "#s": "sk"}, values={":p": "u1", ":from": "a", ":to": "b"})
    text = "#k = :p AND #s BETWEEN :from AND :to"
    kc = split_key_condition(parse_condition(text), TABLE, TYPES, ph, text)
    assert kc.partition == ("pk", ValueRef(":p"))
    assert kc.sort == ("BETWEEN", (ValueRef(":from"), ValueRef(":to")))
    assert kc.partition_path == Path.of(NameRef("#k"))
    # Compiling uses the user's own placeholders, so check_all_used() is satisfied.
    assert ph.compile(kc.to_node()) == "#k = :p AND #s BETWEEN :from AND :to"
    ph.check_all_used()


def test_reserved_key_names_compile_with_placeholders():
    ph = Placeholders()
    kc = split("status = 'OPEN' AND n > 3", BY_NUM)
    assert ph.compile(kc.to_node()) == "#status = :v0 AND n > :v1"


REFUSED = [
    # (text, index, column, message)
    ("sk = 'a'", TABLE, None, "a Query needs `pk = value` on the partition key 'pk' of the table"),
    ("n = 1", BY_NUM, None, "a Query needs `status = value` on the partition key 'status' of index byNum"),
    ("pk > 'a'", TABLE, 4, "'>' cannot be used on the partition key 'pk': a Query needs `pk = value`"),
    ("pk BETWEEN 'a' AND 'b'", TABLE, 4, "BETWEEN cannot be used on the partition key"),
    ("begins_with(pk, 'a')", TABLE, 1, "begins_with() cannot be used on the partition key"),
    ("pk = 'a' AND pk = 'b'", TABLE, 17, "the partition key 'pk' has two conditions"),
    ("pk = 'a' OR pk = 'b'", TABLE, 10, "OR cannot be used in a key condition"),
    ("pk = 'a' AND (sk = 'x' OR sk = 'y')", TABLE, 24, "OR cannot be used in a key condition"),
    (
        "pk = 'a' AND NOT sk = 'x'",
        TABLE,
        14,
        "NOT cannot be used in a key condition; move `NOT sk = 'x'` to --filter",
    ),
    (
        "pk IN ('a', 'b')",
        TABLE,
        4,
        "IN cannot be used in a key condition (a Query takes `=` on the partition key",
    ),
    ("pk = 'a' AND sk IN ('x')", TABLE, 17, "IN cannot be used in a key condition"),
    (
        "pk = 'a' AND sk <> 'x'",
        TABLE,
        17,
        "'<>' cannot be used in a key condition (the sort key takes = < <= > >= BETWEEN",
    ),
    (
        "pk = 'a' AND attribute_exists(sk)",
        TABLE,
        14,
        "only begins_with() is allowed there; move it to --filter",
    ),
    ("pk = 'a' AND contains(sk, 'x')", TABLE, 14, "only begins_with() is allowed there"),
    ("pk = 'a' AND size(sk) > 1", TABLE, 23, "size() is not allowed there; move it to --filter"),
    (
        "pk = 'a' AND sk > 'a' AND sk < 'z'",
        TABLE,
        30,
        "the sort key 'sk' has two conditions; DynamoDB allows one (use BETWEEN",
    ),
    (
        "pk = 'a' AND status = 'OPEN'",
        TABLE,
        21,
        "`status = 'OPEN'` is not on a key of the table (its keys: pk, sk); move it to --filter",
    ),
    ("pk = 'a' AND sk = 'x'", HASH_ONLY, 4, "`pk = 'a'` is not on a key of index byEmail (its keys: email)"),
    (
        "pk = 'a' AND sk = pk",
        TABLE,
        17,
        "compares two attributes; a key condition compares a key with a value",
    ),
    ("pk = size(sk)", TABLE, 4, "size() is not allowed there"),
    (
        "pk = 'a' AND sk.x = 'b'",
        TABLE,
        14,
        "sk.x is a nested path; a key condition uses top-level key attributes only",
    ),
    ("'a' = 'b'", TABLE, 5, "compares no key attribute"),
    ("pk = 'a' AND begins_with(n, 1)", BY_NUM, 14, "(refused by the parser already)"),
    (
        "status = 'a' AND begins_with(n, '1')",
        BY_NUM,
        18,
        "begins_with() needs a string or binary sort key, but 'n' is a number",
    ),
    ("status = 'a' AND n = '1'", BY_NUM, 22, "key attribute 'n' is N (number) but '1' is S (string)"),
    ("pk = 1", TABLE, 6, "key attribute 'pk' is S (string) but 1 is N (number)"),
    ("pk = true", TABLE, 6, "key attribute 'pk' holds strings, numbers or binary; true is a boolean"),
    ("pk = ''", TABLE, 6, "the value for key attribute 'pk' cannot be empty"),
    ("pk = 'a' AND begins_with(sk, '')", TABLE, 30, "cannot be empty"),
    ("pk = 'a' AND begins_with(bin, b64\"\")", BY_BIN, 31, "cannot be empty"),
    ("status = 'a' AND n BETWEEN 1 AND 'x'", BY_NUM, 34, "BETWEEN needs bounds of one type"),
]


@pytest.mark.parametrize(("text", "index", "column", "message"), REFUSED)
def test_refused_key_conditions_say_why(text, index, column, message):
    try:
        node = parse_condition(text)
    except ExprError as e:  # some are refused by the parser already (literal types), which is fine too
        assert e.column is not None
        return
    with pytest.raises(ExprError) as e:
        split_key_condition(node, index, TYPES, None, text)
    assert message in e.value.message
    assert e.value.column == column
    assert e.value.text == text


def test_placeholder_values_are_type_checked():
    ph = Placeholders(values={":n": "not a number", ":e": "", ":lo": 5, ":hi": 1})
    with pytest.raises(ExprError, match="key attribute 'n' is N \\(number\\) but :n is S"):
        split("status = 'a' AND n = :n", BY_NUM, ph)
    with pytest.raises(ExprError, match="cannot be empty"):
        split("pk = :e", TABLE, ph)
    with pytest.raises(ExprError, match="BETWEEN needs the lower bound first: :lo is greater than :hi"):
        split("status = 'a' AND n BETWEEN :lo AND :hi", BY_NUM, ph)
    with pytest.raises(ExprError, match=":zz has no value"):
        split("pk = :zz", TABLE, ph)
    with pytest.raises(ExprError, match="#k is not defined") as e:
        split("#k = 'a'", TABLE, ph)
    assert e.value.column == 1


def test_unknown_key_types_are_not_checked():
    kc = split_key_condition(parse_condition("pk = 1 AND begins_with(sk, 'x')"), TABLE, {})
    assert kc.partition == ("pk", Literal(Decimal(1)))


def test_check_filter_refuses_paths_into_keys_and_query_keys():
    check_filter(parse_condition("status = 'x' AND a.b = 1"), TYPES)
    check_filter(
        parse_condition("sk > 'a' AND attribute_exists(x.pk)"), TYPES, BY_NUM
    )  # sk is not byNum's key
    with pytest.raises(
        ExprError, match="'pk' is a key attribute and holds a string, so pk.a reaches into nothing"
    ) as e:
        check_filter(parse_condition("x = 1 OR pk.a = 1"), TYPES, None, None, "x = 1 OR pk.a = 1")
    assert e.value.column == 10
    with pytest.raises(ExprError, match="'n' is a key attribute and holds a number"):
        check_filter(parse_condition("size(n[0]) > 1"), TYPES)
    with pytest.raises(
        ExprError, match="'sk' is a key of the table, and a Query's filter cannot use the keys"
    ):
        check_filter(parse_condition("a = 1 AND sk > 'x'"), TYPES, TABLE)
    with pytest.raises(ExprError, match="'status' is a key of index byNum"):
        check_filter(parse_condition("#s = 'x'"), TYPES, BY_NUM, Placeholders(names={"#s": "status"}))
    check_projection(parse_projection("a.b, pk, status, x.n"), TYPES)
    with pytest.raises(ExprError, match="'bin' is a key attribute"):
        check_projection(parse_projection("a, bin[0]"), TYPES)
