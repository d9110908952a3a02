"""Junk in, ExprError out: no input makes the expression code raise anything else."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import (
    Placeholders,
    check_filter,
    parse_condition,
    parse_projection,
    split_key_condition,
    to_source,
)
from ddbtui.core.schema import IndexSchema, KeySchema

TOKENS = [
    "a",
    "pk",
    "sk",
    "status",
    "b.c",
    "x[0]",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    ".",
    ":",
    "AND",
    "or",
    "NOT",
    "BETWEEN",
    "in",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!",
    "'s'",
    '"d"',
    "''",
    "'",
    '"',
    "`",
    "`q w`",
    "1",
    "-2.5e3",
    "1e999",
    "0.",
    ".5",
    "true",
    "null",
    ":v",
    ":",
    "#n",
    "#",
    "size",
    "size(",
    "begins_with(",
    "attribute_exists(",
    "attribute_type(",
    "contains(",
    "'S'",
    "b64",
    'b64"AA=="',
    "\\",
    "\\u",
    "é",
    "\x00",
    " ",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=25).map(lambda ts: "".join(ts))
spaced_soup = st.lists(st.sampled_from(TOKENS), max_size=25).map(lambda ts: " ".join(ts))
TABLE = IndexSchema(None, "table", KeySchema("pk", "sk"))


def exercise(text: str) -> None:
    """Everything the lead's code does with user text; only ExprError/UsageError may come out."""
    try:
        node = parse_condition(text)
    except ExprError as e:
        assert e.column is None or 1 <= e.column <= len(text) + 1
        assert e.text == text
    else:
        assert parse_condition(to_source(node)) == node
        ph = Placeholders(names={"#n": "n"}, values={":v": 1})
        with contextlib.suppress(ExprError):
            ph.compile(node, text)
        with contextlib.suppress(ExprError):
            check_filter(node, {"pk": "S", "sk": "S"}, TABLE, ph, text)
        with contextlib.suppress(ExprError):
            split_key_condition(node, TABLE, {"pk": "S", "sk": "S"}, ph, text)
        with contextlib.suppress(UsageError):
            ph.check_all_used()
    try:
        paths = parse_projection(text)
    except ExprError as e:
        assert e.column is None or 1 <= e.column <= len(text) + 1
    else:
        assert parse_projection(to_source(paths)) == paths
        with contextlib.suppress(ExprError):
            Placeholders(names={"#n": "n"}).compile_projection(paths)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_random_text_raises_only_expr_error(text):
    exercise(text)


@settings(max_examples=500, deadline=None)
@given(token_soup | spaced_soup)
def test_token_soup_raises_only_expr_error(text):
    exercise(text)


def test_pathological_inputs():
    for text in [
        "(" * 5_000,
        "NOT " * 5_000,
        "a = " + "[" * 5_000,
        "a = " + '{"k": ' * 5_000,
        "a" + ".b" * 10_000 + " = 1",
        "a" + "[0]" * 10_000 + " = 1",
        "a = '" + "\\" * 10_001,
        "a = 1" + " AND a = 1" * 3_000,
        "a IN (" + "1," * 5_000 + "1)",
        "a = " + "9" * 100_000,
        "a[" + "9" * 100_000 + "] = 1",
        "a = 1e" + "9" * 100_000,
        "\udcff = 1",
        "a = '\udcff'",
    ]:
        exercise(text)
