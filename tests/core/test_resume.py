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


# ------------------------------------------------------------------- the exact text, written by hand


@pytest.mark.parametrize(
    "resume, segments, api, token",
    [
        # one segment: the key in DynamoDB JSON, attribute order kept, number text kept as given
        ({0: {"pk": {"S": "A"}, "sk": {"N": "10"}}}, 1, "scan", '{"pk": {"S": "A"}, "sk": {"N": "10"}}'),
        ({0: {"pk": {"N": "0.10E2"}}}, 1, "query", '{"pk": {"N": "0.10E2"}}'),
        # binary as base64 (00 ff → "AP8="); non-ASCII, newline and quote as JSON escapes (ensure_ascii)
        (
            {0: {"pk": {"S": 'é😀\n"'}, "b": {"B": b"\x00\xff"}}},
            1,
            "query",
            '{"pk": {"S": "\\u00e9\\ud83d\\ude00\\n\\""}, "b": {"B": "AP8="}}',
        ),
        # PartiQL: the NextToken as a JSON string
        ({0: "tokén/+=="}, 1, "execute_statement", '"tok\\u00e9n/+=="'),
        # N segments: sorted by segment number whatever the map's order; finished segments are null
        (
            {2: {"pk": {"S": "x"}}, 0: None},
            4,
            "scan",
            '{"total_segments": 4, "segments": {"0": null, "2": {"pk": {"S": "x"}}}}',
        ),
        # segments not yet started are left out (they start from the beginning), so this is not the end
        ({0: None, 1: None}, 3, "scan", '{"total_segments": 3, "segments": {"0": null, "1": null}}'),
        # nothing left to read at all
        ({0: None, 1: None, 2: None}, 3, "scan", None),
        ({0: None}, 1, "scan", None),
    ],
)
def test_format_resume_exact_text(resume, segments, api, token):
    assert format_resume(resume, segments, api) == token


@pytest.mark.parametrize(
    "text, segments, api, resume",
    [
        ('{"pk": {"B": "AP8="}}', 1, "scan", {0: {"pk": {"B": b"\x00\xff"}}}),
        # whitespace anywhere, \u escapes, number text kept exactly as typed
        (
            ' { "pk":{"N":"0.10E2"} ,"sk": {"S":"\\u00e9"} } ',
            1,
            "query",
            {0: {"pk": {"N": "0.10E2"}, "sk": {"S": "é"}}},
        ),
        (
            '{"total_segments": 3, "segments": {"2": {"pk": {"S": "x"}}, "0": null}}',
            3,
            "scan",
            {2: {"pk": {"S": "x"}}, 0: None},
        ),
        ('{"total_segments": 2, "segments": {}}', 2, "scan", {}),
        ('"abc/+=="', 1, "execute_statement", {0: "abc/+=="}),
    ],
)
def test_parse_resume_of_hand_written_tokens(text, segments, api, resume):
    assert parse_resume(text, segments=segments, api=api) == resume


@pytest.mark.parametrize(
    "text, segments, api, message",
    [
        ("", 1, "scan", "bad --start-key JSON at column 1: Expecting value"),
        ('{"pk": {"S": "x"}} trailing', 1, "scan", "bad --start-key JSON at column 20: Extra data"),
        ("[" * 100_000, 1, "scan", "bad --start-key JSON: nested too deeply"),
        ("null", 1, "scan", '--start-key must be a key in DynamoDB JSON, e.g. {"pk": {"S": "A"}}'),
        ('{"pk": {"S": 5}}', 1, "scan", r"--start-key: pk is not DynamoDB JSON .*\(S takes a string\)"),
        ('{"pk": {"B": "not base64!"}}', 1, "scan", "--start-key: pk is not DynamoDB JSON"),
        (
            '{"total_segments": 4, "segments": {"1": 5}}',
            4,
            "scan",
            "--start-key must be a key in DynamoDB JSON",
        ),
        (
            '{"total_segments": 4, "segments": {"1x": null}}',
            4,
            "scan",
            "--start-key: '1x' is not a segment of 4",
        ),
        ('{"total_segments": 4, "segments": {}}', 2, "scan", "for --segments 4; run with --segments 4"),
        (
            '""',
            1,
            "execute_statement",
            "--start-key for a PartiQL statement is the NextToken as a JSON string",
        ),
        ('"x"', 1, "get", "--start-key is for query, scan and sql"),
    ],
)
def test_malformed_tokens_give_one_clear_message(text, segments, api, message):
    with pytest.raises(UsageError, match=message):
        parse_resume(text, segments=segments, api=api)


def test_bad_number_in_a_token_names_the_flag():
    with pytest.raises(UsageError, match="--start-key"):
        parse_resume('{"pk": {"N": "abc"}}', segments=1, api="scan")


def test_a_string_segment_count_is_not_told_to_use_the_same_count():
    with pytest.raises(UsageError) as e:
        parse_resume('{"total_segments": "4", "segments": {}}', segments=4, api="scan")
    assert "run with --segments 4" not in str(e.value)


def test_a_segment_named_twice_is_refused():
    with pytest.raises(UsageError, match="--start-key"):
        parse_resume(
            '{"total_segments": 2, "segments": {"1": {"pk": {"S": "x"}}, "01": null}}', segments=2, api="scan"
        )


def test_duplicate_key_attributes_are_refused():
    with pytest.raises(UsageError, match="--start-key"):
        parse_resume('{"pk": {"S": "x"}, "pk": {"S": "y"}}', segments=1, api="scan")
