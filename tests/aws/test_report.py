"""The table report gathered from real backends: the demo data's known problems, and missing APIs."""

from __future__ import annotations

import re

import pytest

from ddbtui.aws import demo_data
from ddbtui.aws.report import gather, read_sample, unknown_from
from ddbtui.aws.session import Connection
from ddbtui.core.report import SampleFacts, Unknown, findings, render_markdown, report_json
from ddbtui.core.schema import TableSchema
from tests.aws.test_export import PREFIX, seed_demo
from tests.conftest import create_table

# the demo server (seeded with 12k items) lives on one xdist worker: see pyproject's --dist loadgroup
pytestmark = pytest.mark.xdist_group("demo")

SHOP = PREFIX + "Shop"


@pytest.fixture(scope="module")
def moto_conn(demo_server, demo_client):
    seed_demo(demo_client)
    return Connection(endpoint_url=demo_server.endpoint_url, region="us-east-1")


@pytest.fixture(scope="module")
def full_report(ddblocal_demo, ddblocal_client):
    """The whole Shop table as the sample: every known problem of the demo data is in it. Read from
    DynamoDB Local (the same seeded data): its Scan of 11k items takes a second, moto's server ~20 s."""
    conn = Connection(endpoint_url=ddblocal_demo, region="us-east-1")
    facts = gather(
        ddblocal_client, conn, "demo_Shop", sample=20_000, max_capacity=100_000, now=demo_data.NOW_EPOCH
    )
    return facts, findings(facts)


def by_id(found, id_):
    return next((f for f in found if f.id == id_), None)


def test_full_sample_reads_the_whole_table(full_report):
    facts, _ = full_report
    assert isinstance(facts.sample, SampleFacts)
    assert facts.sample.items == demo_data.ITEM_COUNTS["Shop"]
    assert facts.sample.complete and not facts.sample.stopped_by_cap


def test_report_finds_the_hot_partition(full_report):
    _, found = full_report
    hot = by_id(found, "hot-partition")
    assert hot is not None and "CUSTOMER#0042" in hot.title


def test_report_finds_the_large_items(full_report):
    facts, found = full_report
    large = by_id(found, "large-items")
    assert large is not None and large.severity == "critical"
    assert "MEDIA#MANUAL" in large.detail and "'content'" in large.detail
    biggest = facts.sample.distribution.largest_items[0]
    assert biggest.size > 300 * 1024


def test_report_finds_expired_ttl_items(full_report):
    facts, found = full_report
    ttl = by_id(found, "ttl-expired-present")
    assert ttl is not None
    # abandoned carts and short sessions expired before the demo's clock
    assert facts.sample.ttl.expired > 100 and facts.sample.ttl.live > 0
    assert "Emulators never delete" in ttl.detail


def test_report_finds_the_sparse_gsi(full_report):
    facts, found = full_report
    sparse = by_id(found, "sparse-gsi:FlaggedIndex")
    assert sparse is not None
    assert facts.sample.index_presence["FlaggedIndex"] < 0.05 * facts.sample.items
    assert by_id(found, "sparse-gsi:GSI1") is None  # most items are in the overloaded GSI


def test_report_measures_item_collections_of_the_lsi_table(full_report):
    facts, found = full_report
    assert facts.sample.distribution.collections[0].key == "CUSTOMER#0042"
    assert by_id(found, "item-collection-size").severity == "info"


def test_moto_gaps_are_unknown_with_a_reason_not_an_error(moto_conn, demo_client):
    facts = gather(demo_client, moto_conn, SHOP, sample=100, now=demo_data.NOW_EPOCH)
    found = findings(facts)
    assert isinstance(facts.contributor_insights, Unknown)
    assert "does not implement" in facts.contributor_insights.reason
    assert isinstance(facts.backups, dict)  # moto has PITR
    assert by_id(found, "pitr-off") is not None
    assert facts.autoscaling is None  # on-demand: not asked
    doc = report_json(facts, found)
    assert doc["configuration"]["contributor_insights"]["status"] == "unknown"
    assert doc["configuration"]["ttl"] == {"status": "enabled", "attribute": "expiresAt"}


def test_default_sample_is_bounded_and_still_sees_the_hot_partition(ddblocal_demo, ddblocal_client):
    """On DynamoDB Local (its own capacity figures): the sample and the key census stay inside the
    default cap, and the hot key's share is its exact share of the table."""
    conn = Connection(endpoint_url=ddblocal_demo, region="us-east-1")
    facts = gather(ddblocal_client, conn, "demo_Shop", now=demo_data.NOW_EPOCH)
    s = facts.sample
    assert s.items <= 2000 and not s.complete
    assert s.census is not None and s.max_capacity == 500
    # the cap is checked before each page; a page in flight can pass it by what it costs beyond its
    # estimate (Limit counts items, not bytes: the Shop's 300 KB manuals)
    assert s.capacity + s.census.capacity <= 1.1 * s.max_capacity
    hot = f"CUSTOMER#{demo_data.HOT_CUSTOMER}"
    n, kw = 0, {}
    while True:  # the hot key's items, counted by DynamoDB Local itself
        page = ddblocal_client.query(
            TableName="demo_Shop",
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": hot}},
            Select="COUNT",
            **kw,
        )
        n += page["Count"]
        if "LastEvaluatedKey" not in page:
            break
        kw = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    total = ddblocal_client.describe_table(TableName="demo_Shop")["Table"]["ItemCount"]
    finding = by_id(findings(facts), "hot-partition")
    assert finding is not None and f"pk = {hot!r} holds" in finding.title
    m = re.search(r"holds (at least |~)?([0-9.]+)% of the table's items$", finding.title)
    assert m, finding.title
    if m.group(1) == "at least ":  # the cap stopped the census inside the hot key: a true lower bound
        assert float(m.group(2)) <= round(100 * n / total, 1), (finding.title, n, total)
    else:  # counted whole: its exact share
        assert float(m.group(2)) == round(100 * n / total, 1), (finding.title, n, total)
    assert by_id(findings(facts), "sparse-gsi:FlaggedIndex") is not None


def test_sample_stops_at_its_capacity_cap(moto_conn, demo_client):
    schema = TableSchema.from_describe(demo_client.describe_table(TableName=SHOP)["Table"])
    s = read_sample(
        demo_client, schema, None, sample=2000, max_capacity=1, segments=8, estimate_capacity=True
    )
    assert s.stopped_by_cap and s.items < 2000 and not s.complete
    assert s.capacity >= 1 and s.max_capacity == 1


def test_markdown_report_of_the_demo_shop(full_report):
    facts, found = full_report
    text = render_markdown(facts, found)
    assert "## Findings" in text and "## Configuration" in text and "## Indexes" in text
    assert "FlaggedIndex" in text and "keys + status, total, customerId" in text
    assert "\x1b" not in text and "\u202e" not in text  # the hostile review is escaped


def test_autoscaling_on_moto_is_read_for_provisioned_tables(moto_conn, demo_client, table_name):
    demo_client.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
    )
    off = gather(demo_client, moto_conn, table_name, sample=0)
    assert off.autoscaling == []
    assert by_id(findings(off), "autoscaling-off").severity == "warning"

    from ddbtui.aws.stream import service_client

    aas = service_client(moto_conn, "application-autoscaling")
    for kind in ("Read", "Write"):
        aas.register_scalable_target(
            ServiceNamespace="dynamodb",
            ResourceId=f"table/{table_name}",
            ScalableDimension=f"dynamodb:table:{kind}CapacityUnits",
            MinCapacity=5,
            MaxCapacity=50,
        )
    on = gather(demo_client, moto_conn, table_name, sample=0)
    assert len(on.autoscaling) == 2
    assert by_id(findings(on), "autoscaling-off") is None


def test_pitr_on_removes_the_warning(moto_conn, demo_client, table_name):
    create_table(demo_client, table_name)
    demo_client.update_continuous_backups(
        TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    facts = gather(demo_client, moto_conn, table_name, sample=10)
    assert by_id(findings(facts), "pitr-off") is None
    assert facts.sample.items == 0
    assert "The table is empty." in render_markdown(facts)


def test_dynamodb_local_lacks_backups_tags_insights_and_autoscaling(
    ddblocal_server, ddblocal_client, table_name
):
    conn = Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1")
    ddblocal_client.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
    )
    for i in range(20):
        ddblocal_client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}, "ttl": {"N": "1"}})
    facts = gather(ddblocal_client, conn, table_name, sample=100)
    for fact in (facts.backups, facts.tags, facts.contributor_insights, facts.autoscaling):
        assert isinstance(fact, Unknown) and "does not implement" in fact.reason
    assert facts.sample.items == 20 and facts.sample.complete
    found = findings(facts)
    assert by_id(found, "pitr-unknown") and by_id(found, "autoscaling-unknown")
    assert by_id(found, "ttl-off-candidate") is None  # "ttl" = 1 is not an epoch time
    text = render_markdown(facts, found)
    assert "unknown (the backend does not implement DescribeContinuousBackups" in text


def test_unknown_from_hides_html_error_bodies():
    class E(Exception):
        response = {
            "Error": {"Code": "500", "Message": "<!doctype html><title>500</title>"},
            "ResponseMetadata": {"HTTPStatusCode": 500},
        }

    reason = unknown_from(E(), "DescribeContributorInsights").reason
    assert "<" not in reason and "HTTP 500" in reason
