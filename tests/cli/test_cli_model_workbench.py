"""`ddbtui model import-workbench` (#16) in a subprocess against DynamoDB Local: the fixture export
(tests/model_fixtures/workbench_shop.json, its tables renamed so that each run has its own) imported with
--create, its tables and items read back with boto3, and `ddbtui model check` run on the model file it
wrote. Refused without --allow-writes, before anything is written."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.cli.test_cli_read import run

FIXTURE = Path(__file__).resolve().parent.parent / "model_fixtures" / "workbench_shop.json"


def test_import_create_then_check(ddblocal_server, ddblocal_client, tmp_path):
    tag = uuid.uuid4().hex[:8]
    shop, songs = f"WbShop_{tag}", f"WbSongs_{tag}"
    export = tmp_path / "export.json"
    export.write_text(
        FIXTURE.read_text(encoding="utf-8")
        .replace('"WbShop"', f'"{shop}"')
        .replace('"WbSongs"', f'"{songs}"'),
        encoding="utf-8",
    )
    model = tmp_path / "model.toml"
    env = {"DDBTUI_DATA_DIR": str(tmp_path / "data"), "DDBTUI_CONFIG_DIR": str(tmp_path / "cfg")}

    refused = run("model", "import-workbench", str(export), "--out", str(model), "--create",
                  endpoint=ddblocal_server.endpoint_url, env=env)  # fmt: skip
    assert refused.returncode == 2, refused.stderr
    assert "--allow-writes" in refused.stderr and not model.exists()

    r = run("model", "import-workbench", str(export), "--out", str(model), "--create", "--allow-writes",
            endpoint=ddblocal_server.endpoint_url, env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"created {shop}: 5 of 5 items put" in r.stderr
    assert f"created {songs}: 4 of 4 items put" in r.stderr

    desc = ddblocal_client.describe_table(TableName=shop)["Table"]
    assert [k["AttributeName"] for k in desc["KeySchema"]] == ["PK", "SK"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    (gsi,) = desc["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "GSI1" and gsi["Projection"]["ProjectionType"] == "INCLUDE"
    item = ddblocal_client.get_item(TableName=shop, Key={"PK": {"S": "USER#u1"}, "SK": {"S": "ORDER#o1"}})
    assert item["Item"]["total"] == {"N": "42.5"} and item["Item"]["GSI1PK"] == {"S": "STATUS#SHIPPED"}
    assert ddblocal_client.scan(TableName=songs, Select="COUNT")["Count"] == 4

    c = run("model", "check", str(model), "--format", "json", endpoint=ddblocal_server.endpoint_url, env=env)
    doc = json.loads(c.stdout)
    status = {p["name"]: (p["status"], p["operation"], p["index"]) for p in doc["patterns"]}
    assert status["User by its key"] == ("ok", "GetItem", "table")
    assert status["the Order items of a partition"] == ("ok", "Query", "table")
    assert status["Order by GSI1"] == ("ok", "Query", "GSI1")
    assert status["SongDetails by its key"] == ("ok", "GetItem", "table")
    assert status["the Downloads items of a partition"] == ("ok", "Query", "table")
    assert c.returncode == 0, c.stdout + c.stderr
    by = {p["name"]: p for p in doc["patterns"]}
    assert by["the Order items of a partition"]["items_returned"] in (1, 2)  # u1 has two orders, u2 one
    assert doc["tables"][shop]["templates"]
