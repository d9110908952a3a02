"""`ddbtui explain` reads a bounded sample of the table for its advice (``aws/advisor_sample.py``): the whole
table when it is small, else small reads of random segments; its capacity is counted and shown, and the
suggestions learned from it carry an estimate. Against DynamoDB Local (its capacity is DynamoDB's) and moto
(ddbtui's own figure, labelled est.)."""

from __future__ import annotations

import json

import pytest

from ddbtui.aws.advisor_sample import read_advisor_sample
from ddbtui.aws.catalog import load_schema
from tests.cli.test_cli_read import run
from tests.conftest import create_table, table_names

STATES = ["NORMAL", "WARNING1", "WARNING2"]


def _seed(client, name: str, devices: int = 6, logs: int = 30) -> None:
    create_table(client, name, pk=("DeviceID", "S"), sk=("State#Date", "S"))
    for d in range(devices):
        for i in range(logs):
            state = STATES[i % 3]
            date = f"2020-04-{i + 1:02d}"
            client.put_item(
                TableName=name,
                Item={
                    "DeviceID": {"S": f"d#{d}"},
                    "State#Date": {"S": f"{state}#{date}"},
                    "State": {"S": state},
                    "Date": {"S": date},
                    "Detail": {"S": "x" * 500},
                },
            )


@pytest.fixture(scope="module")
def logs(ddblocal_client, ddblocal_server):
    name = "explain_sample_logs"
    if name not in table_names(ddblocal_client):
        _seed(ddblocal_client, name)
    return ddblocal_server.endpoint_url, name


def test_explain_learns_the_composite_key_from_the_sample(logs):
    endpoint, name = logs
    args = ("explain", name, "--key", "DeviceID = 'd#1'", "--filter", "State = 'WARNING1'")
    r = run(*args, "--format", "json", endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    sample = doc["sample"]
    assert (sample["items"], sample["table_items"], sample["complete"], sample["method"]) == (
        180,
        180,
        True,
        "whole",
    )
    assert sample["consumed_rcu"] > 0 and sample["pages"] >= 1 and not sample["estimated"]
    top = doc["suggestions"][0]
    assert (top["kind"], top["key_condition"], top["filter"]) == (
        "use-query",
        "DeviceID = 'd#1' AND begins_with(`State#Date`, 'WARNING1#')",
        "State = 'WARNING1'",
    )
    # 10 of the partition's 30 items (each ~560 bytes, 5.6 KB: 2 blocks) against the whole partition
    assert top["estimated_rcu"] == 1.0
    assert doc["estimated_rcu"] == 2.5  # 30 x ~560 bytes = 16.8 KB: 5 blocks
    assert "from a sample of 180 items (the whole table)" in top["reason"]
    text = run(*args, endpoint=endpoint)
    assert text.returncode == 0, text.stderr
    line = text.stdout.splitlines()[1]
    assert line.startswith("  Sample   180 items (the whole table) in ") and line.endswith(
        ", read for this advice."
    )
    assert " RCU" in line


def test_explain_without_a_sample(logs):
    endpoint, name = logs
    r = run(
        "explain", name, "--key", "DeviceID = 'd#1'", "--filter", "State = 'WARNING1'", "--sample", "0",
        "--format", "json", endpoint=endpoint,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["sample"] is None
    assert not [s for s in doc["suggestions"] if s["kind"] == "use-query"]
    r = run("explain", name, "--sample", "lots", endpoint=endpoint)
    assert r.returncode == 2 and "not a number of items" in r.stderr


def test_a_large_table_is_sampled_in_small_reads_of_random_segments(ddblocal_client, logs):
    _endpoint, name = logs
    schema = load_schema(ddblocal_client, name)
    assert schema.item_count == 180
    s = read_advisor_sample(ddblocal_client, schema, items=50)
    # 8 segments of ~25 items (180 / 25); 6 item collections leave some empty, so more than 2 reads
    assert s is not None and not s.complete and s.method.endswith(" reads of 8 segments")
    reads = int(s.method.split()[0])
    assert 2 <= reads <= 8 and s.pages == reads
    assert 0 < s.size <= 50
    assert s.table_items == 180 and s.consumed_rcu is not None and s.consumed_rcu > 0
    assert s.label() == f"from a sample of {s.size} of ~180 items"
    again = read_advisor_sample(ddblocal_client, schema, items=50)
    assert [i["State#Date"] for i in again.items] == [i["State#Date"] for i in s.items]  # seeded by the name
    other = read_advisor_sample(ddblocal_client, schema, items=50, seed=7)
    assert other is not None and other.size <= 50
    assert read_advisor_sample(ddblocal_client, schema, items=0) is None


def test_the_capacity_cap_stops_the_sample(ddblocal_client, logs):
    _endpoint, name = logs
    schema = load_schema(ddblocal_client, name)
    s = read_advisor_sample(ddblocal_client, schema, items=1000, max_capacity=1.0)
    assert s is not None and s.capped and not s.complete and s.pages == 1
    assert s.read_text().endswith("; stopped at its capacity cap")


def test_on_moto_the_sample_capacity_is_ddbtuis_own(moto_client, moto_server):
    name = "explain_sample_moto"
    if name not in table_names(moto_client):
        _seed(moto_client, name, devices=2, logs=9)
    r = run(
        "explain",
        name,
        "--filter",
        "DeviceID = 'd#1' AND State = 'WARNING2'",
        endpoint=moto_server.endpoint_url,
    )
    assert r.returncode == 0, r.stderr
    line = r.stdout.splitlines()[1]
    assert line.startswith("  Sample   18 items (the whole table) in 1 Scan page, ") and "RCU (est.)" in line
    assert "DeviceID = 'd#1' AND begins_with(`State#Date`, 'WARNING2#')" in r.stdout
