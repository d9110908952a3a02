"""--start-key tokens: what a stopped read prints parses back to the same resume map, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ddbtui.core.errors import UsageError
from ddbtui.core.resume import format_resume, parse_resume

scalar = st.one_of(
    st.builds(lambda s: {"S": s}, st.text(min_size=1)),
    st.builds(lambda n: {"N": str(n)}, st.integers(-(10**38) + 1, 10**38 - 1)),
    st.builds(lambda b: {"B": b}, st.binary(min_size=1)),
)
keys = st.fixed_dictionaries({"pk": scalar, "sk": scalar})


@settings(max_examples=300)
@given(keys)
def test_one_segment_round_trip(key):
    token = format_resume({0: key}, 1, "scan")
    assert parse_resume(token, segments=1, api="scan", key_attributes=("pk", "sk")) == {0: key}


@settings(max_examples=100)
@given(st.dictionaries(st.integers(0, 7), st.one_of(st.none(), keys), min_size=1))
def test_segments_round_trip(resume):
    token = format_resume(resume, 8, "scan")
    if all(resume.get(s, 0) is None for s in range(8)):
        assert token is None  # every segment finished: nothing to go on with
        return
    assert parse_resume(token, segments=8, api="scan") == resume


def test_nothing_left_is_no_token():
    assert format_resume({0: None}, 1, "query") is None
    assert format_resume({}, 1, "query") is None


def test_partiql_token_is_a_json_string():
    token = format_resume({0: "abc/+=="}, 1, "execute_statement")
    assert token == '"abc/+=="'
    assert parse_resume(token, segments=1, api="execute_statement") == {0: "abc/+=="}


def test_numbers_keep_every_digit():
    key = {"pk": {"N": "12345678901234567890123456789012345678"}, "sk": {"N": "-0.000000000000000000001"}}
    token = format_resume({0: key}, 1, "query")
    assert parse_resume(token, segments=1, api="query") == {0: key}


@pytest.mark.parametrize(
    "text, segments, message",
    [
        ("{", 1, "bad --start-key JSON"),
        ("[1]", 1, "DynamoDB JSON"),
        ("{}", 1, "DynamoDB JSON"),
        ('{"pk": "x"}', 1, "DynamoDB JSON"),
        ('{"pk": {"Q": "x"}}', 1, "DynamoDB JSON"),
        ('{"total_segments": 4, "segments": {}}', 3, "--segments 4"),
        ('{"total_segments": 3, "segments": {"3": null}}', 3, "not a segment"),
        ('{"total_segments": 3, "segments": {"-1": null}}', 3, "not a segment"),
        ('{"total_segments": 3, "segments": []}', 3, "segments must be"),
        ('{"pk": {"S": "x"}}', 3, "for one segment"),
    ],
)
def test_bad_tokens_are_usage_errors(text, segments, message):
    with pytest.raises(UsageError, match=message):
        parse_resume(text, segments=segments, api="scan")


def test_key_attributes_are_checked():
    with pytest.raises(UsageError, match="exactly pk, sk"):
        parse_resume('{"pk": {"S": "x"}}', segments=1, api="scan", key_attributes=("pk", "sk"))


def test_sql_token_must_be_a_string():
    with pytest.raises(UsageError, match="NextToken"):
        parse_resume('{"pk": {"S": "x"}}', segments=1, api="execute_statement")


@settings(max_examples=500)
@given(st.text())
def test_junk_is_only_ever_a_usage_error(text):
    for api, segments in (("scan", 1), ("scan", 4), ("execute_statement", 1)):
        try:
            got = parse_resume(text, segments=segments, api=api)
        except UsageError as e:
            assert "--start-key" in str(e) or "--segments" in str(e)
        else:
            assert isinstance(got, dict) and set(got) <= set(range(segments))
