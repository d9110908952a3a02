"""core.admin specs and CreateTable: the short forms of the command line, validation, --as-create."""

from __future__ import annotations

import pytest

from ddbtui.core.admin import (
    TableDesign,
    as_create,
    from_json,
    parse_autoscaling,
    parse_gsi,
    parse_key,
    parse_lsi,
    parse_stream,
    parse_switch,
    parse_throughput,
    validate_create,
)
from ddbtui.core.admin.plan import Step
from ddbtui.core.admin.specs import KeyAttr
from ddbtui.core.errors import UsageError


def test_key_specs():
    assert parse_key("pk:S") == (KeyAttr("pk", "S"),)
    assert parse_key("pk:s,sk:N") == (KeyAttr("pk", "S"), KeyAttr("sk", "N"))
    assert parse_key("pk") == (KeyAttr("pk", "S"),)  # the type defaults to S
    for bad, words in [("pk:X", "key types are S"), ("pk:S,pk:N", "different"), ("a,b,c", "optional sort key"),
                       ("", "expected"), (":S", "no name")]:  # fmt: skip
        with pytest.raises(UsageError, match=words):
            parse_key(bad)


def test_gsi_specs_with_projections():
    g = parse_gsi("byEmail=email:S")
    assert (g.name, g.key, g.projection) == ("byEmail", (KeyAttr("email", "S"),), "ALL")
    g = parse_gsi("byStatus=status:S,total:N:KEYS_ONLY")
    assert g.key == (KeyAttr("status", "S"), KeyAttr("total", "N")) and g.projection == "KEYS_ONLY"
    g = parse_gsi("GSI1=gpk:S,gsk:S:include=name+total")
    assert g.projection == "INCLUDE" and g.non_key_attributes == ("name", "total")
    assert g.projection_params() == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["name", "total"]}
    assert g.describe() == "GSI1 (gpk S, gsk S) INCLUDE name+total"
    for bad, words in [("G1=pk:S", "not a valid name"), ("byX", "NAME=KEYS"), ("byX=a:S:INCLUDE=", "INCLUDE needs"),
                       ("byX=a:Q", "key types")]:  # fmt: skip
        with pytest.raises(UsageError, match=words):
            parse_gsi(bad)


def test_lsi_specs_share_the_table_partition_key():
    table = parse_key("pk:S,sk:S")
    x = parse_lsi("byDate=created:N", table)
    assert x.key == (KeyAttr("pk", "S"), KeyAttr("created", "N")) and x.kind == "lsi"
    assert parse_lsi("byDate=pk:S,created:N:KEYS_ONLY", table).projection == "KEYS_ONLY"
    with pytest.raises(UsageError, match="need a table with a sort key"):
        parse_lsi("byDate=created:N", parse_key("pk:S"))
    with pytest.raises(UsageError, match="shares the table's partition key"):
        parse_lsi("byDate=other:S,created:N", table)


def test_numbers_and_switches():
    assert parse_throughput("5,10") == (5, 10)
    with pytest.raises(UsageError, match="RCU,WCU"):
        parse_throughput("5")
    with pytest.raises(UsageError, match="at least 1"):
        parse_throughput("0,5")
    a = parse_autoscaling("5,100,70")
    assert (a.minimum, a.maximum, a.target) == (5, 100, 70)
    with pytest.raises(UsageError, match="20 to 90"):
        parse_autoscaling("5,100,95")
    with pytest.raises(UsageError, match="MAX at least MIN"):
        parse_autoscaling("10,5,70")
    assert parse_switch("ON", "--pitr") is True and parse_switch("off", "--pitr") is False
    with pytest.raises(UsageError, match="on or off"):
        parse_switch("maybe", "--pitr")
    assert parse_stream("new-and-old-images") == "NEW_AND_OLD_IMAGES" and parse_stream("off") is None


def test_design_params_define_every_key_attribute_once():
    key = parse_key("pk:S,sk:N")
    d = TableDesign("Orders", key, gsis=[parse_gsi("byEmail=email:S")], lsis=[parse_lsi("byDate=day:S", key)],
                    provisioned=(5, 5), stream="NEW_IMAGE", deletion_protection=True, table_class="STANDARD_INFREQUENT_ACCESS")  # fmt: skip
    p = d.params()
    assert p["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "day", "AttributeType": "S"},
        {"AttributeName": "email", "AttributeType": "S"},
    ]
    assert p["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 5,
        "WriteCapacityUnits": 5,
    }
    assert "ProvisionedThroughput" not in p["LocalSecondaryIndexes"][0]
    assert p["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert p["DeletionProtectionEnabled"] is True and p["BillingMode"] == "PROVISIONED"
    clash = TableDesign("Orders", key, gsis=[parse_gsi("byX=sk:S")])
    with pytest.raises(UsageError, match="both N and S"):
        clash.params()


BASE = {
    "TableName": "Orders",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "X"}]}, "key types are S"),
        ({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "zz", "AttributeType": "S"}]},
         "which no key uses"),
        ({"AttributeDefinitions": []}, "must define the key attributes"),
        ({"BillingMode": "PROVISIONED"}, "needs ProvisionedThroughput"),
        ({"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}, "takes no ProvisionedThroughput"),
        ({"TableName": "ab"}, "not a valid name"),
        ({"Bogus": 1}, "has no parameter Bogus"),
        ({"KeySchema": [{"AttributeName": "pk", "KeyType": "RANGE"}]}, "HASH key first"),
        ({"LocalSecondaryIndexes": [{"IndexName": "lsi1", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]}, "need a table with a sort key"),
        ({"GlobalSecondaryIndexes": [{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "INCLUDE"}}]}, "needs NonKeyAttributes"),
        ({"GlobalSecondaryIndexes": [{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]}, "lacks g"),
    ],
)  # fmt: skip
def test_validate_create_refuses_what_dynamodb_refuses(change, words):
    with pytest.raises(UsageError, match=words):
        validate_create({**BASE, **change})


def test_validate_create_defaults_to_provisioned_like_the_api():
    with pytest.raises(UsageError, match="needs ProvisionedThroughput"):
        validate_create({k: v for k, v in BASE.items() if k != "BillingMode"})
    assert validate_create(BASE) == BASE


DESCRIBED = {
    "TableName": "Shop",
    "TableStatus": "ACTIVE",
    "TableArn": "arn:aws:dynamodb:us-east-1:1:table/Shop",
    "ItemCount": 5,
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
        {"AttributeName": "g", "AttributeType": "S"},
        {"AttributeName": "d", "AttributeType": "N"},
    ],
    "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}, "IndexStatus": "ACTIVE", "ItemCount": 3,
                                "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}],
    "LocalSecondaryIndexes": [{"IndexName": "byD", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                               {"AttributeName": "d", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}],
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    "DeletionProtectionEnabled": True,
    "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"},
}  # fmt: skip


def test_as_create_turns_a_description_into_a_create_request():
    params, notes = as_create(DESCRIBED, tags=[{"Key": "team", "Value": "a"}])
    assert params == {
        "TableName": "Shop",
        "AttributeDefinitions": DESCRIBED["AttributeDefinitions"],
        "KeySchema": DESCRIBED["KeySchema"],
        "BillingMode": "PAY_PER_REQUEST",  # the 0/0 throughput of an on-demand table is left out
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        "LocalSecondaryIndexes": [{"IndexName": "byD", "KeySchema": DESCRIBED["LocalSecondaryIndexes"][0]["KeySchema"],
                                   "Projection": {"ProjectionType": "ALL"}}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
        "TableClass": "STANDARD_INFREQUENT_ACCESS",
        "DeletionProtectionEnabled": True,
        "Tags": [{"Key": "team", "Value": "a"}],
    }  # fmt: skip
    assert validate_create(params) == params
    assert any("TTL" in n for n in notes)
    # --from-json takes the DescribeTable output too (either shape), and NAME renames the copy
    copied, notes = from_json({"Table": DESCRIBED}, "ShopCopy")
    assert copied["TableName"] == "ShopCopy" and any("converted" in n for n in notes)


def test_as_create_of_a_provisioned_table_keeps_the_throughput():
    desc = dict(
        DESCRIBED,
        BillingModeSummary={},
        ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
    )
    desc["GlobalSecondaryIndexes"] = [
        dict(
            DESCRIBED["GlobalSecondaryIndexes"][0],
            ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 1},
        )
    ]
    params, _ = as_create(desc)
    assert params["BillingMode"] == "PROVISIONED"
    assert params["ProvisionedThroughput"] == {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3}
    assert params["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 2,
        "WriteCapacityUnits": 1,
    }


def test_aws_cli_lines_are_exact():
    s = Step("UpdateTable", {"TableName": "My Table", "DeletionProtectionEnabled": False,
                             "SSESpecification": {"Enabled": True}}, "x")  # fmt: skip
    assert s.aws_cli() == (
        "aws dynamodb update-table --table-name 'My Table' --no-deletion-protection-enabled "
        """--sse-specification '{"Enabled":true}'"""
    )
    assert s.method == "update_table"
    r = Step(
        "RestoreTableToPointInTime",
        {"SourceTableName": "A", "TargetTableName": "B", "UseLatestRestorableTime": True},
        "x",
    )
    assert (
        r.aws_cli()
        == "aws dynamodb restore-table-to-point-in-time --source-table-name A --target-table-name B --use-latest-restorable-time"
    )
    assert r.method == "restore_table_to_point_in_time"
    assert Step.from_json(r.to_json()) == r
