import json
from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from ddbtui.core.errors import UsageError
from ddbtui.core.values import (
    ddb_json_to_av,
    display_av,
    from_av,
    from_item,
    item_to_ddb_json,
    item_to_plain_json,
    number_text,
    parse_plain_json,
    safe_json,
    safe_text,
    to_av,
    to_item,
)

numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d == 0 or (-120 < d.adjusted() < 120 and len(d.as_tuple().digits) <= 38)
)
scalars = st.one_of(
    st.text(max_size=20),
    numbers,
    st.booleans(),
    st.none(),
    st.binary(max_size=20),
)
values = st.recursive(
    st.one_of(
        scalars,
        st.sets(st.text(max_size=5), min_size=1, max_size=4),
        st.sets(numbers, min_size=1, max_size=4),
        st.sets(st.binary(max_size=5), min_size=1, max_size=4),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
items = st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=1, max_size=6)


def _norm(v):
    """Compare numerically: DynamoDB and boto3 may differ in the text of equal numbers (1.50 vs 1.5)."""
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, set | frozenset):
        return frozenset(_norm(x) for x in v)
    if isinstance(v, Decimal):
        return v.normalize() if v else Decimal(0)
    if hasattr(v, "value") and isinstance(v.value, bytes):
        return v.value
    return v


@settings(max_examples=200)
@given(items)
def test_round_trip_python_av_python_keeps_every_value(item):
    assert _norm(from_item(to_item(item))) == _norm(item)


@settings(max_examples=200)
@given(items)
def test_agrees_with_boto3_type_serializer_and_deserializer(item):
    ours = to_item(item)
    theirs = {k: TypeSerializer().serialize(v) for k, v in item.items()}
    de = TypeDeserializer()
    assert _norm({k: de.deserialize(v) for k, v in ours.items()}) == _norm(item)
    assert _norm(from_item(theirs)) == _norm(item)


@settings(max_examples=200)
@given(items)
def test_plain_json_is_valid_json_with_exact_numbers(item):
    parsed = json.loads(item_to_plain_json(to_item(item)), parse_float=Decimal, parse_int=Decimal)
    assert set(parsed) == set(item)


@settings(max_examples=200)
@given(items)
def test_ddb_json_round_trips(item):
    av = to_item(item)
    back = {k: ddb_json_to_av(v) for k, v in json.loads(item_to_ddb_json(av)).items()}
    assert _norm(from_item(back)) == _norm(item)


def test_numbers_keep_all_38_digits():
    n = "1.2345678901234567890123456789012345678"
    assert item_to_plain_json({"n": {"N": n}}) == '{"n": ' + n + "}"
    assert number_text(Decimal("9" * 38)) == "9" * 38
    with pytest.raises(UsageError, match="38 significant digits"):
        number_text(Decimal("1" * 39))


def test_float_uses_shortest_text():
    assert number_text(0.1) == "0.1"


def test_parse_plain_json_keeps_decimals_and_reports_column():
    assert parse_plain_json('{"a": 0.1}') == {"a": Decimal("0.1")}
    with pytest.raises(UsageError, match="column 7"):
        parse_plain_json('{"a": }')


def test_empty_set_is_refused():
    with pytest.raises(UsageError):
        to_av(set())


HOSTILE = [
    "\x1b[2J",
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",
    "a\u202eb",
    "zero\u200bwidth",
    "del\x7f",
    "nul\x00",
    "cr\rlf\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_text_leaves_no_control_or_bidi_character(text):
    out = safe_text(text)
    assert all(0x20 <= ord(c) < 0x7F or ord(c) >= 0xA0 for c in out), repr(out)
    assert "\u202e" not in out and "\u200b" not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_display_and_item_view_are_safe(text):
    item = {text: {"S": text}, "m": {"M": {text: {"L": [{"S": text}]}}}}
    for out in (display_av(item[text]), display_av(item["m"], 500), safe_json(item), safe_json(item, True)):
        bad = [c for c in out if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0)]
        assert not bad, repr(out)


def test_safe_text_is_identity_on_plain_text():
    s = "Grüße, 東京 — [bold]x[/bold]"
    assert safe_text(s) is s


def test_display_truncates_large_values():
    out = display_av({"S": "x" * 400_000}, 40)
    assert len(out) == 40 and out.endswith("…")


def test_binary_displays_length_and_base64():
    assert display_av({"B": b"\x00\x01\x02"}).startswith("<3 B> AAEC")


def test_from_av_rejects_unknown_type():
    with pytest.raises(ValueError):
        from_av({"X": 1})
