"""Report rules and the sample distribution, from hand-made facts (no backend)."""

from __future__ import annotations

import json

import pytest

from ddbtui.core.distribution import SIZE_BUCKETS, DistributionBuilder, bucket_for, distribution, gini
from ddbtui.core.report import (
    Finding,
    SampleAccumulator,
    TableFacts,
    Unknown,
    findings,
    md,
    render_markdown,
    report_json,
)
from ddbtui.core.schema import KeySchema, TableSchema

NOW = 1_767_225_600  # 2026-01-01


def _ks(pk, sk=None):
    out = [{"AttributeName": pk, "KeyType": "HASH"}]
    if sk:
        out.append({"AttributeName": sk, "KeyType": "RANGE"})
    return out


def desc(
    name="Orders",
    billing="PAY_PER_REQUEST",
    rcu=0,
    wcu=0,
    gsis=(),
    lsis=(),
    deletion_protection=False,
    **extra,
):
    d = {
        "TableName": name,
        "TableArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}",
        "TableStatus": "ACTIVE",
        "KeySchema": _ks("pk", "sk"),
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "BillingModeSummary": {"BillingMode": billing},
        "ProvisionedThroughput": {"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu},
        "ItemCount": 1000,
        "TableSizeBytes": 100_000,
        "DeletionProtectionEnabled": deletion_protection,
    }
    if gsis:
        d["GlobalSecondaryIndexes"] = list(gsis)
    if lsis:
        d["LocalSecondaryIndexes"] = list(lsis)
    d.update(extra)
    return d


def gsi(name, pk, sk=None, projection="ALL", wcu=None):
    g = {"IndexName": name, "KeySchema": _ks(pk, sk), "Projection": {"ProjectionType": projection}}
    if wcu is not None:
        g["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": wcu}
    return g


def item(pk, sk, **attrs):
    out = {"pk": {"S": pk}, "sk": {"S": sk}}
    for k, v in attrs.items():
        out[k] = v
    return out


def sampled(d, items, ttl_attr=None, requested=None, **kw):
    schema = TableSchema.from_describe(d, ttl_attr)
    acc = SampleAccumulator(schema, ttl_attr, now=NOW)
    for it in items:
        acc.add(it)
    return acc.result(requested or len(items), **kw)


def facts_for(d, items=(), ttl_attr=None, **kw):
    ttl = (
        {"TimeToLiveStatus": "ENABLED", "AttributeName": ttl_attr}
        if ttl_attr
        else {"TimeToLiveStatus": "DISABLED"}
    )
    f = TableFacts(
        table=d,
        ttl=ttl,
        backups={"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}},
        tags=[{"Key": "team", "Value": "shop"}],
        autoscaling=None,
        contributor_insights={"ContributorInsightsStatus": "DISABLED"},
        sample=sampled(d, list(items), ttl_attr) if items else None,
        region="eu-west-1",
        generated_at=NOW,
    )
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def ids(found: list[Finding]) -> list[str]:
    return [x.id for x in found]


def by_id(found: list[Finding], id_: str) -> Finding:
    return next(x for x in found if x.id == id_)


# --------------------------------------------------------------------------------------------- distribution


def test_gini_is_zero_for_an_even_spread_and_near_one_for_one_hot_key():
    assert gini([5, 5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 100]) == 0.0  # only one key with items: nothing to compare
    assert gini([1] * 99 + [10_000]) > 0.95
    assert gini([]) == 0.0
    assert 0.0 < gini([1, 2, 3, 4]) < 0.5


def test_size_buckets_cover_up_to_the_item_limit():
    assert bucket_for(0) == 0
    assert bucket_for(1023) == 0
    assert bucket_for(1024) == 1
    assert bucket_for(400 * 1024) == len(SIZE_BUCKETS) - 1
    assert bucket_for(10**9) == len(SIZE_BUCKETS) - 1


def test_distribution_counts_partitions_sizes_and_largest_items():
    items = [item("HOT", f"{i:04d}", n={"N": "1"}) for i in range(50)]
    items += [item(f"K{i}", "A") for i in range(10)]
    items.append(item("BIG", "DOC", body={"S": "x" * 200_000}))
    d = distribution(items, KeySchema("pk", "sk"))
    assert d.items == 61 and d.partitions == 12
    assert d.top_by_items[0].key == "HOT" and d.top_by_items[0].items == 50
    assert d.top_by_bytes[0].key == "BIG"
    assert d.largest_items[0].partition_key == "BIG" and d.largest_items[0].sort_key == "DOC"
    assert d.largest_items[0].largest_attribute == "body"
    assert d.largest_items[0].size > 200_000
    assert d.median_items_per_partition == 1
    assert sum(b.items for b in d.histogram) == 61
    assert d.histogram[4].items == 1  # 64-256 KB
    assert d.gini > 0.7


def test_item_collections_include_lsi_entries():
    d = desc(
        lsis=[gsi("ByTotal", "pk", "total", "KEYS_ONLY")],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "total", "AttributeType": "N"},
        ],
    )
    schema = TableSchema.from_describe(d)
    b = DistributionBuilder(schema.key, schema.lsis)
    with_total = item("A", "1", total={"N": "5"})
    without = item("A", "2")
    b.add(with_total)
    b.add(without)
    r = b.result()
    assert r.collections[0].key == "A"
    # items (2) plus one KEYS_ONLY LSI entry: pk + sk + total
    from ddbtui.core.capacity import item_size

    assert r.collections[0].bytes == item_size(with_total) + item_size(without) + item_size(with_total)


def test_binary_partition_keys_are_shown_as_base64():
    d = distribution([{"pk": {"B": b"\x00\xff"}, "sk": {"S": "x"}}], KeySchema("pk", "sk"))
    assert d.top_by_items[0].key == "AP8=" and d.top_by_items[0].key_type == "B"


# --------------------------------------------------------------------------------------------- sample


def test_sample_classifies_ttl_values():
    d = desc()
    items = [
        item("a", "1", exp={"N": str(NOW - 10)}),  # expired
        item("a", "2", exp={"N": str(NOW - 6 * 365 * 86400)}),  # expired > 5 years ago
        item("a", "3", exp={"N": str(NOW + 10)}),  # live
        item("a", "4"),  # no TTL
        item("a", "5", exp={"S": "tomorrow"}),  # not a number
        item("a", "6", exp={"N": str(NOW * 1000)}),  # milliseconds
    ]
    s = sampled(d, items, "exp")
    t = s.ttl
    assert (t.expired, t.too_old, t.live, t.missing, t.not_number, t.millis) == (2, 1, 1, 1, 1, 1)


def test_sample_counts_index_presence():
    d = desc(gsis=[gsi("Sparse", "flag")])
    items = [item("a", str(i)) for i in range(9)] + [item("b", "1", flag={"S": "X"})]
    s = sampled(d, items)
    assert s.index_presence == {"Sparse": 1}


# --------------------------------------------------------------------------------------------- rules


def test_hot_partition_is_found_with_its_key_and_share():
    items = [item("CUSTOMER#0042", f"ORDER#{i:05d}") for i in range(300)]
    items += [item(f"CUSTOMER#{i:04d}", f"ORDER#{j}") for i in range(1000, 1200) for j in range(2)]
    found = findings(facts_for(desc(), items))
    hot = by_id(found, "hot-partition")
    assert hot.severity == "warning"
    assert "CUSTOMER#0042" in hot.title and "42.9%" in hot.title
    assert "update-contributor-insights" in hot.fix
    assert "--region eu-west-1" in hot.fix


def test_an_even_spread_has_no_hot_partition():
    items = [item(f"K{i}", f"{j}") for i in range(100) for j in range(5)]
    assert "hot-partition" not in ids(findings(facts_for(desc(), items)))


def test_hot_partition_does_not_repeat_contributor_insights_when_it_is_on():
    items = [item("HOT", f"{i}") for i in range(300)] + [item(f"K{i}", "1") for i in range(100)]
    f = facts_for(desc(), items, contributor_insights={"ContributorInsightsStatus": "ENABLED"})
    assert "update-contributor-insights" not in by_id(findings(f), "hot-partition").fix


def test_items_near_the_limit_are_critical_with_the_attribute_and_a_fix():
    items = [item("P#7", "MEDIA", content={"B": b"\x00" * 320_000})] + [item("a", str(i)) for i in range(10)]
    found = findings(facts_for(desc(), items))
    f = by_id(found, "large-items")
    assert f.severity == "critical"
    assert "'content'" in f.detail and "P#7 / MEDIA" in f.detail
    assert '"pk":{"S":"P#7"}' in f.fix and '"#big":"content"' in f.fix
    assert found[0].id == "large-items"  # critical first


def test_large_items_below_the_danger_zone_are_a_warning():
    items = [item("a", "1", doc={"S": "y" * 150_000}), item("a", "2")]
    assert by_id(findings(facts_for(desc(), items)), "large-items").severity == "warning"


def test_small_items_raise_nothing():
    assert "large-items" not in ids(findings(facts_for(desc(), [item("a", "1")])))


def test_expired_ttl_items_are_reported_with_a_filter_to_skip_them():
    items = [item("s", str(i), expiresAt={"N": str(NOW - 100)}) for i in range(5)]
    items += [item("o", str(i)) for i in range(95)]
    f = by_id(findings(facts_for(desc(), items, "expiresAt")), "ttl-expired-present")
    assert f.severity == "info"
    assert "5 sampled items" in f.title
    assert f"expiresAt > {NOW}" in f.fix and "attribute_not_exists(expiresAt)" in f.fix


def test_many_expired_items_are_a_warning():
    items = [item("s", str(i), expiresAt={"N": str(NOW - 100)}) for i in range(30)]
    items += [item("o", str(i)) for i in range(70)]
    assert by_id(findings(facts_for(desc(), items, "expiresAt")), "ttl-expired-present").severity == "warning"


def test_ttl_in_milliseconds_is_critical():
    items = [item("s", "1", ttl={"N": str(NOW * 1000)})]
    f = by_id(findings(facts_for(desc(), items, "ttl")), "ttl-milliseconds")
    assert f.severity == "critical" and "ttl >= 100000000000" in f.fix


def test_ttl_off_with_an_expiry_attribute_suggests_turning_it_on():
    items = [item("s", str(i), expiresAt={"N": str(NOW + 100)}) for i in range(10)]
    f = by_id(findings(facts_for(desc(), items)), "ttl-off-candidate")
    assert "update-time-to-live" in f.fix and "AttributeName=expiresAt" in f.fix


def test_sparse_and_empty_gsis():
    d = desc(gsis=[gsi("Flagged", "flag", projection="KEYS_ONLY"), gsi("Nobody", "nothing")])
    items = [item("a", str(i)) for i in range(190)] + [item("b", str(i), flag={"S": "F"}) for i in range(10)]
    found = findings(facts_for(d, items))
    sparse = by_id(found, "sparse-gsi:Flagged")
    assert "5.0%" in sparse.title and "--index Flagged" in sparse.fix
    empty = by_id(found, "gsi-empty:Nobody")
    assert '"Delete":{"IndexName":"Nobody"}' in empty.fix


def test_gsi_with_projection_all_over_most_items_mentions_write_cost():
    d = desc(gsis=[gsi("GSI1", "g")])
    items = [item("a", str(i), g={"S": "x"}) for i in range(10)]
    assert "gsi-projects-all:GSI1" in ids(findings(facts_for(d, items)))


def test_pitr_off_is_a_warning_with_the_command():
    f = facts_for(
        desc(), backups={"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    )
    pitr = by_id(findings(f), "pitr-off")
    assert pitr.severity == "warning"
    assert "update-continuous-backups --table-name Orders" in pitr.fix


def test_unknown_facts_become_info_with_the_reason():
    f = facts_for(
        desc(),
        backups=Unknown("the backend does not implement DescribeContinuousBackups"),
        contributor_insights=Unknown("DescribeContributorInsights answered HTTP 500"),
        ttl=Unknown("no permission"),
    )
    found = findings(f)
    assert "does not implement" in by_id(found, "pitr-unknown").detail
    assert "HTTP 500" in by_id(found, "contributor-insights-unknown").detail
    assert by_id(found, "ttl-unknown").severity == "info"
    cfg = report_json(f)["configuration"]
    assert cfg["point_in_time_recovery"] == {
        "status": "unknown",
        "reason": "the backend does not implement DescribeContinuousBackups",
    }


def test_deletion_protection_off_is_a_warning():
    assert by_id(findings(facts_for(desc())), "deletion-protection-off").severity == "warning"
    assert "deletion-protection-off" not in ids(findings(facts_for(desc(deletion_protection=True))))


def test_provisioned_without_autoscaling_gets_the_register_commands():
    f = facts_for(desc(billing="PROVISIONED", rcu=10, wcu=5), autoscaling=[])
    a = by_id(findings(f), "autoscaling-off")
    assert a.severity == "warning"
    assert "register-scalable-target" in a.fix and "dynamodb:table:ReadCapacityUnits" in a.fix
    assert "put-scaling-policy" in a.fix and "DynamoDBWriteCapacityUtilization" in a.fix


def test_provisioned_with_autoscaling_is_fine():
    targets = [
        {"ResourceId": "table/Orders", "ScalableDimension": f"dynamodb:table:{k}CapacityUnits", "MinCapacity": 5,
         "MaxCapacity": 50, "TargetValue": 70.0}
        for k in ("Read", "Write")
    ]  # fmt: skip
    found = findings(facts_for(desc(billing="PROVISIONED", rcu=10, wcu=5), autoscaling=targets))
    assert "autoscaling-off" not in ids(found)
    assert "70%" in by_id(found, "autoscaling-on").detail


def test_autoscaling_unknown_on_a_backend_without_it():
    f = facts_for(desc(billing="PROVISIONED", rcu=10, wcu=5), autoscaling=Unknown("InvalidAction"))
    assert by_id(findings(f), "autoscaling-unknown").severity == "info"
    assert report_json(f)["configuration"]["autoscaling"]["status"] == "unknown"


def test_gsi_with_less_write_capacity_than_the_table_is_a_warning():
    d = desc(billing="PROVISIONED", rcu=10, wcu=20, gsis=[gsi("G", "g", wcu=5)])
    f = by_id(findings(facts_for(d, autoscaling=[])), "gsi-write-capacity")
    assert '"WriteCapacityUnits":20' in f.fix


def test_untagged_table_suggests_tags():
    f = facts_for(desc(), tags=[])
    assert "tag-resource" in by_id(findings(f), "no-tags").fix


def test_findings_are_sorted_by_severity():
    items = [item("P", "M", content={"B": b"\x00" * 330_000})]
    f = facts_for(desc(), items, tags=[])
    order = [x.severity for x in findings(f)]
    assert order == sorted(order, key=["critical", "warning", "info"].index)


def test_fix_commands_carry_the_endpoint_off_aws():
    f = facts_for(desc(), endpoint_url="http://127.0.0.1:4566")
    assert "--endpoint-url http://127.0.0.1:4566" in by_id(findings(f), "deletion-protection-off").fix


# --------------------------------------------------------------------------------------------- rendering


HOSTILE = "[bold]x[/] | `rm` \x1b[2J\u202e <script>"


def test_markdown_escapes_hostile_table_data():
    items = [item(HOSTILE, f"{i}") for i in range(300)] + [item(f"K{i}", "1") for i in range(100)]
    text = render_markdown(facts_for(desc(), items))
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\e[2J" in text and "\\u202e" in text
    assert "\\|" in text and "\\`rm\\`" in text and "\\<script\\>" in text
    # the rows holding the key keep their column count: the pipe in the data is escaped
    import re

    rows = [line for line in text.splitlines() if line.startswith("| ") and "rm" in line]
    assert rows
    for line in rows:
        assert len(re.split(r"(?<!\\)\|", line)) == 6  # 4 cells between 5 unescaped pipes


def test_md_escapes_a_leading_heading_marker():
    assert md("# not a heading") == "\\# not a heading"
    assert md("a#b") == "a#b"


def test_report_json_is_serialisable_and_complete():
    items = [item("a", str(i), expiresAt={"N": str(NOW - 1)}) for i in range(3)]
    doc = report_json(facts_for(desc(gsis=[gsi("G", "g")]), items, "expiresAt"))
    json.dumps(doc)
    assert doc["table"] == "Orders"
    assert doc["sample"]["ttl"]["expired"] == 3
    assert doc["indexes"][0]["name"] == "G" and doc["indexes"][0]["copies"] == "all attributes"
    assert {"id", "severity", "title", "detail", "recommendation", "fix"} <= set(doc["findings"][0])


@pytest.mark.parametrize("sample", [None, Unknown("AccessDeniedException")])
def test_report_renders_without_a_sample(sample):
    f = facts_for(desc(), sample=sample)
    text = render_markdown(f)
    assert text.startswith("# Table report: Orders")
    if sample is not None:
        assert "AccessDeniedException" in text
