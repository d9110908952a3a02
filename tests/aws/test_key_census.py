"""The report's key census on DynamoDB Local: exact counts, the capacity budget, and the hot key named.

The table: 448 users of 5 items and 4 medium keys of 90 items (2,600 items), then per trial one hot key
of 460 items (15.0% of 3,060). With the default sample (2,000 items from the start of 8 segments) the
sample alone names the hot key in 9 of these 20 trials (measured with ``bench/hot_key_trials.py``): it
holds whole collections of whatever hashes first in each segment, and the medium keys often win.
"""

from __future__ import annotations

import random

import pytest

from ddbtui.aws.key_census import census_segments, read_key_census
from ddbtui.aws.report import gather
from ddbtui.aws.session import Connection
from ddbtui.core.report import findings
from ddbtui.core.schema import TableSchema
from tests.conftest import create_table

USERS, PER_USER, MEDIUM, PER_MEDIUM, HOT_ITEMS = 448, 5, 4, 90, 460
BASE = USERS * PER_USER + MEDIUM * PER_MEDIUM  # 2,600


def item(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}, "v": {"S": "x" * 40}}


def write(client, table: str, requests: list[dict]) -> None:
    for i in range(0, len(requests), 25):
        left = {table: requests[i : i + 25]}
        while left:  # DynamoDB Local does not throttle, but the contract says retry what is unprocessed
            left = client.batch_write_item(RequestItems=left).get("UnprocessedItems") or None


@pytest.fixture(scope="module")
def skewed(ddblocal_server, ddblocal_client):
    name = "census_skewed"
    create_table(ddblocal_client, name)
    base = [item(f"USER#{k:04d}", str(j)) for k in range(USERS) for j in range(PER_USER)]
    base += [item(f"MED#{k}", f"{j:03d}") for k in range(MEDIUM) for j in range(PER_MEDIUM)]
    write(ddblocal_client, name, [{"PutRequest": {"Item": it}} for it in base])
    conn = Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1")
    schema = TableSchema.from_describe(ddblocal_client.describe_table(TableName=name)["Table"])
    return ddblocal_client, conn, name, schema


def test_a_census_in_budget_counts_every_key_exactly(skewed):
    client, _, _, schema = skewed
    pages: list[tuple[int, float]] = []
    c = read_key_census(
        client,
        schema,
        budget=400,
        mean_item_size=60,
        table_items=BASE,
        count_first=[{"S": "MED#2"}, {"S": "NOT-IN-TABLE"}],
        on_page=lambda n, u: pages.append((n, u)),
    )
    assert c.complete and not c.stopped_by_cap and not c.estimated
    assert [(k.key, k.items, k.at_least) for k in c.queried] == [
        ("MED#2", 90, False),
        ("NOT-IN-TABLE", 0, False),
    ]
    assert all(not k.at_least for k in c.top)
    assert (c.items, c.keys) == (BASE, USERS + MEDIUM)
    assert [(k.key, k.items) for k in c.top[:4]] == [(f"MED#{k}", PER_MEDIUM) for k in range(4)]
    assert c.top[0].share == PER_MEDIUM / BASE
    assert c.median_items_per_key == PER_USER
    assert c.segments_total == 4  # the budget covers the table: 4 parallel segments
    assert pages and pages[-1][0] == BASE and pages[-1][1] == c.capacity
    assert c.capacity > 0  # DynamoDB Local's own figures, summed


def test_the_census_stops_inside_its_budget_and_says_how_much_it_covered(skewed):
    client, _, _, schema = skewed
    budget = 3.0
    c = read_key_census(
        client, schema, budget=budget, mean_item_size=60, table_items=BASE, seed=7, segments=64
    )
    assert c.stopped_by_cap and not c.complete
    assert c.capacity <= budget
    assert 0 < c.segments_read < 64 and c.items < BASE
    assert c.estimated_table_items == BASE  # ItemCount is the denominator of a partial census
    assert "of 64 segments chosen at random" in c.describe()


def test_the_segment_count_fits_the_budget():
    assert census_segments(1_000, 2_000, 100) == 4  # the budget covers 1.5x the table: 4, in parallel
    # 100k items, budget for 10k: 32 segments' worth of the table is ceil(32 * 100k / 10k) = 320
    assert census_segments(100_000, 10_000, 500) == 320
    assert census_segments(100_000, 10_000, 200) == 200  # no more segments than the budget's RCU
    assert census_segments(10**9, 1_000, 10**6) == 4096  # at most 4,096
    assert census_segments(0, 1_000, 100) == 64  # ItemCount 0 (not updated yet): assume nothing


def test_the_report_names_the_hot_key_with_the_default_sample_in_20_seeded_trials(skewed):
    client, conn, name, _ = skewed
    missed = []
    for trial in range(20):
        hot = f"HOT#{random.Random(trial).randrange(10**9):09d}"
        hot_items = [item(hot, f"{j:04d}") for j in range(HOT_ITEMS)]
        write(client, name, [{"PutRequest": {"Item": it}} for it in hot_items])
        try:
            facts = gather(client, conn, name, metrics_since=None)
        finally:
            write(
                client,
                name,
                [{"DeleteRequest": {"Key": {"pk": it["pk"], "sk": it["sk"]}}} for it in hot_items],
            )
        assert not facts.sample.complete  # 3,060 items: the default sample of 2,000 is not the table
        # the sample stops inside some keys (the last read in each unfinished segment); they are counted
        assert facts.sample.open_keys and {k.key for k in facts.sample.census.queried} == {
            av["S"] for av in facts.sample.open_keys
        }
        hot_finding = next((f for f in findings(facts) if f.id == "hot-partition"), None)
        title = hot_finding.title if hot_finding else "no hot-partition finding"
        if f"pk = {hot!r} holds 15.0% of the table's items" not in title:
            missed.append(f"trial {trial}: {hot}: {title}")
    assert not missed, "\n".join(missed)
