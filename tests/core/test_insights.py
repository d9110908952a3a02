"""Contributor Insights, pure: rule names, reports, the text block. Figures worked out by hand."""

from __future__ import annotations

from ddbtui.core.metrics.insights import (
    Insights,
    enabled_rules,
    insights_json,
    insights_lines,
    rule_kind,
    top_keys,
)

PKC = "DynamoDBContributorInsights-PKC-Orders-1767225600000"
SKT = "DynamoDBContributorInsights-SKT-Orders/index/ByStatus-1767225600000"


def test_rule_kinds_are_read_from_the_names_dynamodb_gives_its_rules():
    assert rule_kind(PKC) == "PKC"
    assert rule_kind(SKT) == "SKT"
    assert rule_kind("MyOwnRule-PKC-Orders") is None
    assert rule_kind("DynamoDBContributorInsights-XYZ-Orders-1") is None


def test_enabled_rules_only_when_enabled():
    d = {"ContributorInsightsStatus": "ENABLED", "ContributorInsightsRuleList": [PKC, "Other"]}
    assert list(enabled_rules(d)) == [PKC]
    assert list(enabled_rules({**d, "ContributorInsightsStatus": "ENABLING"})) == []


def test_a_report_becomes_sorted_contributors_with_their_share():
    report = {
        "KeyLabels": ["pk", "sk"],
        "AggregationStatistic": "Sum",
        "AggregateValue": 200.0,
        "ApproximateUniqueCount": 17,
        "Contributors": [
            {"Keys": ["A", "1"], "ApproximateAggregateValue": 50},
            {"Keys": ["B", "2"], "ApproximateAggregateValue": 120.0},
            {"Keys": ["C", "3"]},  # no value: left out
        ],
    }
    t = top_keys("ByStatus", SKT, report, top=5)
    assert (t.kind, t.index, t.labels, t.unique) == ("SKT", "ByStatus", ("pk", "sk"), 17)
    assert [(c.keys, c.value, c.share) for c in t.contributors] == [
        (("B", "2"), 120.0, 0.6),
        (("A", "1"), 50.0, 0.25),
    ]
    assert t.title == "most throttled items (partition + sort key) (GSI ByStatus)"
    assert top_keys(None, "Another", report) is None
    one = top_keys(None, PKC, report, top=1)
    assert len(one.contributors) == 1 and one.contributors[0].keys == ("B", "2")
    assert (
        top_keys(None, PKC, {"Contributors": [{"Keys": ["x"], "ApproximateAggregateValue": 3}]})
        .contributors[0]
        .share
        is None
    )  # no aggregate: no share


def test_the_text_block_puts_throttles_first_and_escapes_keys():
    pkc = top_keys(
        None,
        PKC,
        {"AggregateValue": 10, "Contributors": [{"Keys": ["a\x1b[2Jb"], "ApproximateAggregateValue": 10}]},
    )
    skt = top_keys(None, SKT.replace("/index/ByStatus", ""), {"AggregateValue": 4, "Contributors": []})
    ins = Insights(status={None: "ENABLED", "ByStatus": "DISABLED"}, tops=[pkc, skt])
    lines = insights_lines(ins, "Orders")
    assert lines[1] == "  GSI ByStatus: disabled"
    assert lines.index("  most throttled items (partition + sort key) (table)") < lines.index(
        "  most accessed partition keys (table)"
    )
    assert "    (no contributors in the window)" in lines
    row = next(x for x in lines if "a\\e[2Jb" in x)
    assert "\x1b" not in row and row.split()[-2:] == ["10", "100.0%"]
    doc = insights_json(ins)
    assert doc["status"] == {"(table)": "ENABLED", "ByStatus": "DISABLED"}
    assert [t["kind"] for t in doc["top_keys"]] == ["SKT", "PKC"]


def test_off_or_unknown_says_what_to_do_instead():
    off = insights_lines(Insights(status={None: "DISABLED"}), "Orders", width=200)
    assert off[1] == "  table: disabled"
    assert "ddbtui alter Orders --contributor-insights on --allow-writes" in off[2]
    unknown = insights_lines(
        Insights(status={None: None, "G": None}, notes=["the backend does not serve X"]), "T"
    )
    assert unknown[1] == "  unknown: the backend does not serve X"
    assert "key census" in " ".join(x.strip() for x in unknown[2:])  # wrapped at 80 columns
