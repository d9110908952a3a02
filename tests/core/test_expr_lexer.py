"""Tokens: every literal form, placeholders, operators, and lexical errors with their columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ddbtui.core.errors import ExprError
from ddbtui.core.expr import RESERVED_WORDS, is_reserved, parse_condition
from ddbtui.core.expr.lexer import (
    BINARY,
    EOF,
    NAME,
    NAMEREF,
    NUMBER,
    OP,
    PUNCT,
    QNAME,
    STRING,
    VALUEREF,
    tokenize,
)


def kinds(text):
    return [(t.kind, t.value) for t in tokenize(text)[:-1]]


def test_reserved_words_are_the_full_aws_list():
    assert len(RESERVED_WORDS) == 573
    assert {
        "STATUS",
        "NAME",
        "DATA",
        "SIZE",
        "TTL",
        "ABORT",
        "ZONE",
        "FLATTERN",
        "INNTER",
        "LOGED",
    } <= RESERVED_WORDS
    assert is_reserved("status") and is_reserved("Status") and not is_reserved("shippedAt")


def test_strings_in_both_quotes_with_escapes():
    assert kinds(r"""'a\'b' "c\"d" 'e\\f\n\t\r\b\f\/' "\u00e9\ud83d\ude00" '' 'mixed "q"'""") == [
        (STRING, "a'b"),
        (STRING, 'c"d'),
        (STRING, "e\\f\n\t\r\b\f/"),
        (STRING, "é😀"),
        (STRING, ""),
        (STRING, 'mixed "q"'),
    ]


def test_numbers_are_exact_decimals():
    toks = kinds("0 -7 1.50 6.02e23 1E-5 -2.5E+3 007 12345678901234567890123456789012345678")
    assert toks == [
        (NUMBER, Decimal("0")),
        (NUMBER, Decimal("-7")),
        (NUMBER, Decimal("1.50")),
        (NUMBER, Decimal("6.02e23")),
        (NUMBER, Decimal("1E-5")),
        (NUMBER, Decimal("-2.5E+3")),
        (NUMBER, Decimal("7")),
        (NUMBER, Decimal("12345678901234567890123456789012345678")),
    ]
    assert str(tokenize("1.50")[0].value) == "1.50"


@pytest.mark.parametrize(
    "text",
    [
        "1" + "0" * 60,
        "0." + "0" * 100 + "1",
        "9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "0E+999",
    ],
)
def test_numbers_dynamodb_can_store(text):
    parse_condition(f"a = {text}")
    parse_condition(f"a IN (1, [{text}])")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("123456789012345678901234567890123456789", "39 significant digits; DynamoDB keeps at most 38"),
        ("1E+126", "out of DynamoDB's range"),
        ("-1E-131", "out of DynamoDB's range"),
        ("[1, 1e999]", "out of DynamoDB's range"),
    ],
)
def test_numbers_dynamodb_cannot_store(text, message):
    with pytest.raises(ExprError) as e:
        parse_condition(f"a = {text}")
    assert message in e.value.message
    assert e.value.column == 5 + (text.index("1e999") if "1e999" in text else 0)


def test_binary_literal():
    assert kinds('b64"AAEC" B64\'\' b64"/w=="') == [
        (BINARY, b"\x00\x01\x02"),
        (BINARY, b""),
        (BINARY, b"\xff"),
    ]
    # b64 not followed by a quote is a plain name.
    assert kinds("b64 = 1")[0] == (NAME, "b64")


def test_names_placeholders_and_backticks():
    assert kinds(r"status #n :v `my-attr.x` `a\`b` x_1 _y") == [
        (NAME, "status"),
        (NAMEREF, "#n"),
        (VALUEREF, ":v"),
        (QNAME, "my-attr.x"),
        (QNAME, "a`b"),
        (NAME, "x_1"),
        (NAME, "_y"),
    ]


def test_operators_and_punctuation():
    assert [t.text for t in tokenize("= <> < <= > >= ( ) [ ] { } , .")[:-1]] == [
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        *"()[]{},.",
    ]
    assert tokenize("a<=b")[1].kind == OP and tokenize("(")[0].kind == PUNCT


def test_colon_inside_a_map_is_punctuation_not_a_placeholder():
    toks = tokenize('{"k":1, "v":v2}')
    assert [t.text for t in toks[:4]] == ["{", '"k"', ":", "1"]
    assert [t.text for t in toks[5:8]] == ['"v"', ":", "v2"]
    assert tokenize("a = :v1")[2].kind == VALUEREF


def test_offsets_are_character_positions():
    toks = tokenize("  ab = 'é'  AND")
    assert [t.offset for t in toks] == [2, 5, 7, 12, 15]
    assert toks[-1].kind == EOF


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("a = 'abc", 5, "unterminated string"),
        ('a = "abc', 5, "unterminated string"),
        ("`abc", 1, "unterminated name"),
        ("a = 'x\\", 5, "unterminated string"),
        ("a = 'a\\qb'", 7, "unknown escape \\q in a string"),
        ("a = '\\u12'", 6, "four hex digits"),
        ("a = '\\ud800'", 6, "lone surrogate"),
        ("a = '\\udc00\\u0041'", 6, "lone surrogate"),
        ("a == 1", 3, "'==' is not an operator; DynamoDB writes equality as '='"),
        ("a != 1", 3, "DynamoDB writes not-equal as '<>'"),
        ("a = 1 && b = 2", 7, "write AND"),
        ("a = 1 || b = 2", 7, "write OR"),
        ("!a", 1, "write NOT"),
        ("a = 1e", 5, "exponent needs digits"),
        ("a = 12abc", 5, "malformed number '12abc'"),
        ("a = 1.2.3", 5, "malformed number"),
        ("a = .5", 5, "0.5"),
        ("prénom = 1", 1, "write it in backticks: `prénom`"),
        ("a = ²", 5, "unexpected character '²'"),
        ("a = 1 ; b", 7, "unexpected character ';'"),
        ("# = 1", 1, "#name placeholder needs"),
        ("a = b64'!!'", 5, "standard base64"),
        ("a = b64'AAE'", 5, "standard base64"),
        ("`` = 1", 1, "cannot be empty"),
        ("a = 1 \x00", 7, "unexpected character '\\x00'"),
    ],
)
def test_lexical_errors_carry_the_column(text, column, message):
    with pytest.raises(ExprError) as e:
        tokenize(text)
    assert message in e.value.message
    assert e.value.column == column
    assert e.value.text == text
    assert f"column {column}: " in str(e.value) and "^" in str(e.value)
