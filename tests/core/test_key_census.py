"""The report's key census (core/report/census.py) and the hot-partition rule that reads it.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import dataclasses
import json

from ddbtui.core.report import findings, render_markdown, report_json
from ddbtui.core.report.census import CensusBuilder, KeyCensus
from tests.core.test_report_rules import by_id, desc, facts_for, ids, item


def s(v: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": v}}


def two_of_four() -> CensusBuilder:
    """Segments 0 and 1 of 4 read to their end: A×3 and B×1, then C×2."""
    b = CensusBuilder("pk", 4)
    b.add(0, [s("A"), s("B"), s("A")])
    b.add(0, [s("A")])
    b.segment_done(0)
    b.add(1, [s("C"), s("C")])
    b.segment_done(1)
    return b


def test_a_partial_census_scales_by_the_share_of_segments_read():
    c = two_of_four().result(capacity=3.0, estimated=False, stopped_by_cap=True)
    assert (c.items, c.keys, c.segments_read, c.segments_partial) == (6, 3, 2, 0)
    assert not c.complete
    assert c.coverage == 0.5  # 2 of 4 segments
    assert c.estimated_table_items == 12  # 6 items / 0.5
    assert [(k.key, k.items) for k in c.top] == [("A", 3), ("C", 2), ("B", 1)]
    assert [round(k.share, 4) for k in c.top] == [0.25, 0.1667, 0.0833]  # 3/12, 2/12, 1/12
    assert c.median_items_per_key == 2.0  # median of 1, 2, 3
    # Gini of 1, 2, 3: 2·(1·1 + 2·2 + 3·3)/(3·6) − 4/3 = 28/18 − 24/18 = 4/18
    assert abs(c.gini - 4 / 18) < 1e-12
    text = c.describe()
    assert "keys of 6 items counted, ~50% of the table" in text
    assert "2 of 4 segments chosen at random, read whole" in text
    assert "3.0 RCU;" in text and "a key in neither those segments nor the sample is not seen" in text


def test_item_count_is_the_denominator_of_a_partial_census_when_it_is_not_below_the_count():
    b = two_of_four()
    b.table_items = 100
    c = b.result(capacity=3.0, estimated=True, stopped_by_cap=True)
    assert c.estimated_table_items == 100
    assert c.top[0].share == 0.03  # 3 of 100
    assert "~6% of the table" in c.describe() and "RCU est." in c.describe()
    b.table_items = 5  # stale ItemCount, below what was counted: scale by coverage instead
    assert b.result(capacity=3.0, estimated=False, stopped_by_cap=True).estimated_table_items == 12


def test_a_complete_census_gives_exact_shares_whatever_item_count_says():
    b = two_of_four()
    b.table_items = 1000
    b.segment_done(2)  # empty segments
    b.segment_done(3)
    c = b.result(capacity=2.5, estimated=False, stopped_by_cap=False)
    assert c.complete and c.coverage == 1.0
    assert c.estimated_table_items == 6
    assert [k.share for k in c.top] == [0.5, 2 / 6, 1 / 6]
    assert c.describe() == "keys of all 6 items counted (4 segments, 2.5 RCU)"


def test_a_started_segment_is_partial_and_not_coverage():
    b = two_of_four()
    b.add(3, [s("E"), s("E"), s("D")])  # the cap came before segment 3's end, inside D
    c = b.result(capacity=4.0, estimated=False, stopped_by_cap=True)
    assert (c.segments_read, c.segments_partial, c.items) == (2, 1, 9)
    assert not c.complete and c.coverage == 0.5
    # segment 3 was cut inside D: its count is a lower bound; E was read past (a Scan returns a key's
    # items together), and A, B, C were read to their segments' ends
    assert {k.key: k.at_least for k in c.top} == {"A": False, "C": False, "E": False, "B": False, "D": True}


def test_ties_rank_by_type_then_text_binary_keys_are_base64_and_items_without_the_key_are_skipped():
    b = CensusBuilder("pk", 1)
    b.add(0, [{"pk": {"S": "b"}}, {"pk": {"N": "7"}}, {"pk": {"S": "a"}}, {"pk": {"B": b"\x01\x02"}}, {}])
    b.segment_done(0)
    c = b.result(capacity=0.5, estimated=False, stopped_by_cap=False)
    assert c.items == 4  # the item without pk is not counted
    assert [(k.key_type, k.key) for k in c.top] == [("B", "AQI="), ("N", "7"), ("S", "a"), ("S", "b")]
    assert c.gini == 0.0


def census_with(hot: str, hot_items: int, others: int, per_other: int, *, complete: bool) -> KeyCensus:
    b = CensusBuilder("pk", 2, table_items=None)
    b.add(0, [s(hot)] * hot_items)
    b.add(0, [s(f"K{i}") for i in range(others) for _ in range(per_other)])
    b.segment_done(0)
    if complete:
        b.segment_done(1)
    return b.result(capacity=9.5, estimated=False, stopped_by_cap=not complete)


def partial_sample_facts():
    """A partial sample in which COLD#1 looks hot (it came first); the table's hot key is HOT."""
    items = [item("COLD#1", f"{i:04d}") for i in range(200)]
    items += [item(f"K{i}", "1") for i in range(50)]
    f = facts_for(desc(), items)
    f.sample = dataclasses.replace(f.sample, complete=False)
    return f


def test_the_census_not_the_sample_names_the_hot_key():
    f = partial_sample_facts()
    assert "COLD#1" in by_id(findings(f), "hot-partition").title  # the sample alone is fooled
    # census: HOT 150 items, 170 keys of 5 items = 850; complete: 1,000 items, HOT holds 15.0%
    f.sample = dataclasses.replace(f.sample, census=census_with("HOT", 150, 170, 5, complete=True))
    hot = by_id(findings(f), "hot-partition")
    assert hot.title == "Hot partition risk: pk = 'HOT' holds 15.0% of the table's items"
    assert "COLD#1" not in hot.title + hot.detail
    assert "the median partition key holds 5 items" in hot.detail
    assert "keys of all 1,000 items counted (2 segments, 9.5 RCU)" in hot.detail


def test_a_partial_census_says_its_shares_are_estimates():
    f = facts_for(desc(), [item(f"K{i}", str(j)) for i in range(50) for j in range(5)])  # an even sample
    f.sample = dataclasses.replace(f.sample, complete=False)
    # 1 of 2 segments: 1,000 items counted, ~2,000 in the table: HOT ~7.5%
    f.sample = dataclasses.replace(f.sample, census=census_with("HOT", 150, 170, 5, complete=False))
    hot = by_id(findings(f), "hot-partition")
    assert hot.title == "Hot partition risk: pk = 'HOT' holds ~7.5% of the table's items"
    assert "1 of 2 segments chosen at random" in hot.detail


def test_an_even_census_clears_a_sample_that_looked_skewed():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, census=census_with("K999", 5, 200, 5, complete=True))
    assert "hot-partition" not in ids(findings(f))


def test_the_census_is_in_the_markdown_and_the_json_report():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, census=census_with("HOT", 150, 170, 5, complete=True))
    found = findings(f)
    text = render_markdown(f, found)
    assert "### Key census" in text
    assert "| HOT | 150 | 15.0% |" in text
    census = json.loads(json.dumps(report_json(f, found), default=str))["sample"]["key_census"]
    assert census["items"] == 1000 and census["keys"] == 171 and census["complete"] is True
    assert census["top_keys"][0] == {
        "key": "HOT",
        "type": "S",
        "items": 150,
        "share": 0.15,
        "at_least": False,
    }
    assert census["queried_keys"] == []
    assert census["segments"] == {"total": 2, "read": 2, "partial": 0}


def test_a_census_not_taken_says_why():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, census_note="the sample spent the capacity cap (25 RCU)")
    text = render_markdown(f, findings(f))
    assert "Key census: not taken (the sample spent the capacity cap (25 RCU))." in text
    census = report_json(f, findings(f))["sample"]["key_census"]
    assert census == {"status": "not taken", "reason": "the sample spent the capacity cap (25 RCU)"}


def census_without_cold(*, complete: bool, cold: tuple[int, bool] | None = None) -> KeyCensus:
    """1 (or 2) of 2 segments: 200 keys of 5 items = 1,000 items, not COLD#1; ``cold``: a Query's count
    of COLD#1 (items, read to the end)."""
    b = CensusBuilder("pk", 2)
    b.add(0, [s(f"K{i}") for i in range(200) for _ in range(5)])
    b.segment_done(0)
    if complete:
        b.segment_done(1)
    if cold:
        b.add_count({"S": "COLD#1"}, cold[0], finished=cold[1])
    return b.result(capacity=9.5, estimated=False, stopped_by_cap=not complete)


def test_a_partial_census_keeps_the_samples_counts_of_keys_it_did_not_reach():
    # the sample read COLD#1 whole (200 items); the census did not reach its segment: ~2,000 items in
    # the table (1,000 counted in 1 of 2 segments), so COLD#1 holds 200 / 2,000 = ~10.0%
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, census=census_without_cold(complete=False))
    hot = by_id(findings(f), "hot-partition")
    assert hot.title == "Hot partition risk: pk = 'COLD#1' holds ~10.0% of the table's items"
    assert "a lower bound" not in hot.detail
    # the sample stopped inside COLD#1 and the census had no budget to count it: a lower bound
    f.sample = dataclasses.replace(f.sample, open_keys=({"S": "COLD#1"},))
    hot = by_id(findings(f), "hot-partition")
    assert hot.title == "Hot partition risk: pk = 'COLD#1' holds at least 10.0% of the table's items"
    assert "cut short by the capacity cap: a lower bound" in hot.detail


def test_the_key_the_sample_stopped_inside_is_counted_by_query():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, open_keys=({"S": "COLD#1"},))
    # Query counted 600 items of COLD#1: 600 / ~2,000 = ~30.0%
    f.sample = dataclasses.replace(f.sample, census=census_without_cold(complete=False, cold=(600, True)))
    hot = by_id(findings(f), "hot-partition")
    assert hot.title == "Hot partition risk: pk = 'COLD#1' holds ~30.0% of the table's items"
    assert "the 1 key the sample stopped inside counted with Query" in hot.detail
    # the cap stopped the Query at 450 items: at least 450 / 2,000 = 22.5%
    f.sample = dataclasses.replace(f.sample, census=census_without_cold(complete=False, cold=(450, False)))
    assert by_id(findings(f), "hot-partition").title.endswith("holds at least 22.5% of the table's items")


def test_a_complete_census_is_exact_and_needs_no_sample_counts():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, open_keys=({"S": "COLD#1"},))
    # every segment read and COLD#1 not in them: it is not in the table (the sample was older)
    f.sample = dataclasses.replace(f.sample, census=census_without_cold(complete=True))
    assert "hot-partition" not in ids(findings(f))


def test_the_census_table_ranks_every_count_and_marks_lower_bounds():
    f = partial_sample_facts()
    f.sample = dataclasses.replace(f.sample, open_keys=({"S": "COLD#1"},))
    # the Query of COLD#1 was cut at 450 items: at least 450 / ~2,000 = 22.5%, first in the table,
    # above the census's own keys (5 items each: 0.25%)
    f.sample = dataclasses.replace(f.sample, census=census_without_cold(complete=False, cold=(450, False)))
    text = render_markdown(f, findings(f))
    table = text[text.index("### Key census") :].split("\n\n")[2].splitlines()
    assert table[2] == "| COLD#1 | 450 | ≥ 22.5% |"
    assert table[3] == "| K0 | 5 | 0.2% |"  # 5 / 2,000 = 0.25%, shown to one decimal
