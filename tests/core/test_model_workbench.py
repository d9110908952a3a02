"""The NoSQL Workbench export read as CreateTable requests, items and a model file (#16). Expected values
worked out by hand from tests/model_fixtures/workbench_shop.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.model import load_model
from ddbtui.core.model.workbench import alias_template, model_text, read_workbench

FIXTURE = Path(__file__).resolve().parent.parent / "model_fixtures" / "workbench_shop.json"


@pytest.fixture(scope="module")
def wb():
    return read_workbench(json.loads(FIXTURE.read_text(encoding="utf-8")))


def test_create_table_params(wb):
    shop, songs = wb.tables
    assert shop.params["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert {d["AttributeName"] for d in shop.params["AttributeDefinitions"]} == {
        "PK",
        "SK",
        "GSI1PK",
        "GSI1SK",
    }
    assert shop.params["BillingMode"] == "PROVISIONED"
    assert shop.params["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    (gsi,) = shop.params["GlobalSecondaryIndexes"]
    assert gsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["type", "total", "userId"]}
    assert gsi["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    assert songs.params["BillingMode"] == "PAY_PER_REQUEST" and "ProvisionedThroughput" not in songs.params
    assert len(shop.items) == 5 and len(songs.items) == 4  # songs: the two facets' own TableData
    assert shop.items[2]["total"] == {"N": "42.5"}


def test_aliases():
    assert alias_template("USER#<userId>") == "USER#{userId}"
    assert alias_template("USER#{userId}") == "USER#{userId}"
    assert alias_template("ENTITY1#name") == "ENTITY1#{name}"
    assert alias_template("PROFILE") == "PROFILE"
    assert alias_template("SongId") == "{SongId}"
    assert alias_template("") is None


def test_model_file(wb):
    text = model_text(wb, "workbench_shop.json")
    m = load_model(text, "imported.toml")
    assert m.table == "WbShop" and m.type_attribute == "type"
    ents = {n: {a: t.text for a, t in e.templates.items()} for n, e in m.entities.items()}
    assert ents["User"] == {"PK": "USER#{userId}", "SK": "PROFILE"}
    assert ents["Order"] == {
        "PK": "USER#{userId}",
        "SK": "ORDER#{orderId}",
        "GSI1PK": "STATUS#{status}",
        "GSI1SK": "ORDER#{orderId}",
    }
    assert ents["SongDetails"] == {"Id": "{SongId}", "Metadata": "Details"}  # every sample item: "Details"
    assert ents["Downloads"] == {"Id": "{SongId}", "Metadata": "DOWNLOAD#{download_id}"}
    assert m.entities["User"].type_value == "USER"
    by = {p.name: p for p in m.patterns}
    assert by["User by its key"].request.operation == "get"
    assert by["User by its key"].needs == ("type", "name", "email", "userId")
    order = by["the Order items of a partition"].request
    assert (order.operation, order.key) == ("query", "PK = :PK AND begins_with(SK, 'ORDER#')")
    gsi = by["Order by GSI1"].request
    assert (gsi.index, gsi.key) == ("GSI1", "GSI1PK = :GSI1PK AND begins_with(GSI1SK, 'ORDER#')")
    assert by["SongDetails by its key"].request.table == "WbSongs"
    assert len(m.patterns) == 5


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, "DataModel: no tables"),
        ({"DataModel": [{"TableName": "T"}]}, "DataModel[0].KeyAttributes: must be a JSON object"),
        (
            {
                "DataModel": [
                    {
                        "TableName": "T",
                        "KeyAttributes": {"PartitionKey": {"AttributeName": "pk", "AttributeType": "BOOL"}},
                    }
                ]
            },
            "AttributeType of a key is S, N or B",
        ),
        (
            {
                "DataModel": [
                    {
                        "TableName": "T",
                        "KeyAttributes": {"PartitionKey": {"AttributeName": "pk"}},
                        "TableData": [{"pk": "x"}],
                    }
                ]
            },
            "DataModel[0].TableData[0]: an item is DynamoDB JSON",
        ),
    ],
)
def test_mistakes_are_named(doc, message):
    with pytest.raises(UsageError) as e:
        read_workbench(doc)
    assert message in str(e.value)
