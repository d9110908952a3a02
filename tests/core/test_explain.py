"""explain: the plan in words and in JSON, for each kind of request."""

from __future__ import annotations

import json

import pytest

from ddbtui.core.advisor import RunStats
from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.explain import explain
from ddbtui.core.requests import ReadRequest
from tests.core.test_advisor import MOTO_LIKE, ORDERS, SHOP


def test_scan_plan_text_reads_filter_cost_and_suggestions():
    plan = explain(ReadRequest("scan", "Orders", filter="status = 'OPEN' AND total > 5"), ORDERS)
    text = plan.to_text()
    assert text.splitlines()[0] == "Scan of table Orders"
    assert "every item of the table, in one segment" in text
    assert "10,000 items" in text and "~5 pages of 1 MB" in text
    assert "status = 'OPEN' AND total > 5" in text and "charges for all of them" in text
    assert "128 RCU" in text and "~610 RCU" in text and "on-demand in us-east-1" in text
    assert "1. use-query on ByStatus" in text
    assert "ddbtui query Orders --index ByStatus --key \"status = 'OPEN'\" --filter 'total > 5'" in text
    assert plan.estimated_rcu == 610.5 and plan.page_rcu == 128.0


def test_json_has_the_design_keys():
    plan = explain(ReadRequest("scan", "Orders", filter="status = 'OPEN'"), ORDERS)
    doc = json.loads(json.dumps(plan.to_json()))
    assert {"operation", "table", "index", "suggestions"} <= set(doc)
    assert doc["operation"] == "scan" and doc["table"] == "Orders" and doc["index"] is None
    top = doc["suggestions"][0]
    assert set(top) == {"kind", "index", "key_condition", "filter", "reason", "estimated_rcu"}
    assert (top["kind"], top["index"], top["key_condition"]) == ("use-query", "ByStatus", "status = 'OPEN'")
    assert doc["estimated_rcu"] == 610.5 and doc["plan"]["filter"] == "status = 'OPEN'"


def test_query_plan_says_what_the_key_selects():
    req = ReadRequest("query", "Orders", key="pk = 'C#1' AND begins_with(sk, 'ORDER#')", descending=True)
    plan = explain(req, ORDERS)
    assert plan.runs_as == "query"
    assert plan.reads == "one partition of the table: pk = 'C#1'."
    assert "whose sk begins with 'ORDER#', in descending sk order" in plan.selects
    assert plan.filter is None and plan.estimated_rcu is None
    assert "known only once it runs" in plan.cost
    assert plan.suggestions == []
    assert "Suggestions: none" in plan.to_text()


def test_query_plan_with_stats_uses_the_run():
    req = ReadRequest("query", "Orders", key="pk = 'C#1'", filter="status = 'OPEN'")
    stats = RunStats(count=3, scanned_count=120, pages=1, consumed_rcu=7.5, estimated=True, exhausted=True)
    plan = explain(req, ORDERS, stats)
    assert plan.estimated_rcu == 7.5
    assert "discarded 117 of 120 items read" in plan.discards
    assert plan.last_run == "3 items returned of 120 read in 1 page, 7.5 RCU (est.)."


def test_gsi_query_is_eventually_consistent_and_returns_projection():
    plan = explain(ReadRequest("query", "Orders", index="ByCustomer", key="customerId = 'C1'"), ORDERS)
    assert "GSI ByCustomer" in plan.reads
    assert "eventually consistent as GSIs always are" in plan.cost
    assert plan.returns == "what GSI ByCustomer projects: only the keys pk, sk, customerId."


def test_lsi_query_without_projection_returns_the_projection_and_says_it_fetches_nothing():
    # #20 item 1: ddbtui sends no Select, so DynamoDB's default on an index (ALL_PROJECTED_ATTRIBUTES)
    # applies: the plan must not claim a fetch the request does not make.
    plan = explain(ReadRequest("query", "Orders", index="ByTotal", key="pk = 'C#1' AND total > 5"), ORDERS)
    assert plan.returns.startswith("what LSI ByTotal projects: only the keys pk, sk, total.")
    assert "this one does neither" in plan.returns
    assert "fetches the rest" not in plan.returns


def test_lsi_fetch_is_explained_when_the_projection_names_unprojected_attributes():
    req = ReadRequest(
        "query", "Orders", index="ByTotal", key="pk = 'C#1' AND total > 5", projection="total, status"
    )
    plan = explain(req, ORDERS)
    assert "DynamoDB fetches status from the table for each item, one extra read per item." in plan.returns
    assert "is greater than 5" in plan.selects


def test_get_plan_costs_one_item():
    req = ReadRequest("get", "Orders", key='{"pk": "C#1", "sk": "PROFILE"}', consistent=True)
    plan = explain(req, ORDERS)
    assert plan.runs_as == "get_item" and plan.estimated_rcu == 1.0
    assert "one item by its full primary key (pk = 'C#1', sk = 'PROFILE')" in plan.reads
    assert plan.suggestions[0].kind == "consistent-read-cost"


def test_partiql_full_scan_and_query():
    plan = explain(ReadRequest("sql", statement="SELECT * FROM \"Shop\" WHERE status = 'OPEN'"), SHOP)
    assert plan.runs_as == "scan" and plan.table == "Shop"
    assert plan.to_text().splitlines()[0] == "PartiQL SELECT of table Shop — runs as a Scan"
    assert "partiql-full-scan" in [s.kind for s in plan.suggestions]
    plan = explain(
        ReadRequest("sql", statement="SELECT * FROM \"Shop\" WHERE pk = 'CUSTOMER#0042' AND total > 9"), SHOP
    )
    assert plan.runs_as == "query" and plan.key_condition == "pk = 'CUSTOMER#0042'"
    assert plan.filter == "total > 9"
    plan = explain(ReadRequest("sql", statement="SELECT * FROM \"Shop\" WHERE pk IN ['A', 'B']"), SHOP)
    assert plan.runs_as == "queries" and plan.reads.startswith("2 partitions")


def test_partiql_it_cannot_read():
    plan = explain(ReadRequest("sql", statement='SELECT * FROM "Shop" WHERE pk = ?'), SHOP)
    assert plan.runs_as == "unknown" and "cannot tell" in plan.reads
    assert any("? parameters" in p for p in plan.problems)


def test_rejected_request_is_still_explained():
    req = ReadRequest("query", "Orders", key="pk = 'C#1'", filter="begins_with(sk, 'A')")
    plan = explain(req, ORDERS)
    assert plan.problems and "DynamoDB would reject this request" in plan.problems[0]
    # the column points at `sk` inside the filter's own text
    assert plan.problems[0].endswith("(column 13 of `begins_with(sk, 'A')`)")
    assert plan.suggestions[0].kind == "filter-on-key"
    assert "\n" not in plan.problems[0]


def test_syntax_errors_and_unknown_index_raise():
    with pytest.raises(ExprError):
        explain(ReadRequest("scan", "Orders", filter="a = = 1"), ORDERS)
    with pytest.raises(UsageError):
        explain(ReadRequest("scan", "Orders", index="Nope"), ORDERS)


def test_emulator_size_unknown_is_said():
    plan = explain(ReadRequest("scan", "Moto"), MOTO_LIKE)
    assert plan.estimated_rcu is None
    assert "reports no size" in plan.cost


def test_limits_and_segments_are_listed():
    req = ReadRequest("scan", "Orders", filter="total > 1", page_size=25, limit=100, max_pages=3, segments=4)
    plan = explain(req, ORDERS)
    assert "in 4 parallel segments" in plan.reads
    assert plan.limits == [
        "Limit 25: each request reads at most 25 items before the filter.",
        "ddbtui stops after 100 items returned.",
        "ddbtui stops after 3 requests.",
    ]


def test_create_gsi_plan_shows_the_update_table_command():
    text = explain(ReadRequest("scan", "Orders", filter="region = 'EU'"), ORDERS).to_text()
    assert "aws dynamodb update-table" in text and "--global-secondary-index-updates" in text
    assert "# once it is ACTIVE: ddbtui query Orders --index region-index --key \"region = 'EU'\"" in text


def test_no_suggestion_is_not_called_reading_only_what_it_needs_when_a_filter_discards():
    # #20 item 6: without a sample ddbtui cannot know the discard, so it must not claim there is none.
    req = ReadRequest("query", "Orders", key="pk = 'C#1'", filter="contains(note, 'x')")
    plan = explain(req, ORDERS)
    assert plan.suggestions == []
    text = " ".join(plan.to_text().split())
    assert "Suggestions: none known. The filter is applied after the read and is paid for" in text
    assert "already reads only what it needs" not in text


def test_no_suggestion_for_a_plain_key_read_says_what_it_reads():
    plan = explain(ReadRequest("query", "Orders", key="pk = 'C#1'"), ORDERS)
    assert plan.suggestions == []
    assert (
        plan.to_text().splitlines()[-1]
        == "Suggestions: none — the key condition reads only the items it returns."
    )
