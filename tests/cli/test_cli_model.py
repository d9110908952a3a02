"""`ddbtui model check|init|design` (#16) in a subprocess against DynamoDB Local: a table that serves every
pattern of README's example but one (a Scan), a draft of it read back and checked, the design's
CreateTable JSON created with `ddbtui create-table --from-json`; and the demo's own model against the
demo data (moto, the shared `demo_server`)."""

from __future__ import annotations

import json
import re
import uuid
from importlib import resources
from pathlib import Path

import pytest

from ddbtui.core.model import load_model
from tests.cli.test_cli_read import run
from tests.conftest import create_table

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "tests" / "model_fixtures" / "readme_example.toml"
SECONDS_PER_MONTH = 730 * 3600
READ_PRICE = 0.125 / 1e6  # us-east-1 on-demand, per read request unit (core/data/prices.json)


@pytest.fixture(scope="module")
def shop(ddblocal_client, ddblocal_server):
    name = f"model_{uuid.uuid4().hex[:8]}"
    create_table(ddblocal_client, name, gsis=[("GSI1", ("gsi1pk", "S"), ("gsi1sk", "S"), "ALL")])
    for c in range(1, 6):
        cid = f"{c:04d}"
        ddblocal_client.put_item(
            TableName=name,
            Item={
                "pk": {"S": f"CUSTOMER#{cid}"},
                "sk": {"S": "PROFILE"},
                "type": {"S": "customer"},
                "customer_id": {"S": cid},
                "name": {"S": f"Customer {c}"},
                "email": {"S": f"c{c}@example.com"},
                "gsi1pk": {"S": f"EMAIL#c{c}@example.com"},
                "gsi1sk": {"S": "PROFILE"},
            },
        )
        for o in range(4):
            day = f"2025-01-{o + 1:02d}"
            ddblocal_client.put_item(
                TableName=name,
                Item={
                    "pk": {"S": f"CUSTOMER#{cid}"},
                    "sk": {"S": f"ORDER#{day}#O-{c}{o}"},
                    "type": {"S": "order"},
                    "customer_id": {"S": cid},
                    "order_id": {"S": f"O-{c}{o}"},
                    "created_at": {"S": day},
                    "status": {"S": "OPEN" if o == 0 else "SHIPPED"},
                    "total": {"N": str(10 * o + c)},
                },
            )
    return ddblocal_server.endpoint_url, name


def test_the_readme_example_is_the_fixture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- model-example -->\n```toml\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "README has the model example between its markers"
    fixture = EXAMPLE.read_text(encoding="utf-8").split("\n", 1)[1]  # less its first comment line
    assert block.group(1) == fixture


def test_check_passes_three_patterns_and_fails_the_scan(shop):
    endpoint, name = shop
    r = run("model", "check", str(EXAMPLE), "--table", name, endpoint=endpoint)
    assert r.returncode == 4, r.stderr
    rows = {
        m.group(2): (m.group(1), m.group(3).split())
        for m in re.finditer(r"^  ([✓✗⚠])  (.+?)  +(\S.*)$", r.stdout, re.MULTILINE)
    }
    # mark, then operation, index, RCU/call, rate, RCU/s, $/month
    assert rows["a customer"] == ("✓", ["GetItem", "table", "0.5", "20/s", "10", "$3.28"])
    assert rows["customer by email"] == ("✓", ["Query", "GSI1", "0.5", "5/s", "2.5", "$0.82"])
    assert rows["orders of a customer, newest first"] == (
        "✓",
        ["Query", "table", "0.5", "50/s", "25", "$8.21"],
    )
    assert rows["an order by its id"][0] == "✗" and rows["an order by its id"][1][:2] == ["Scan", "table"]
    out = r.stdout
    assert "a Scan: it reads every item of table" in out
    # the advisor's word under the ✗: on 25 items it finds nothing better to do than the Scan
    assert "advisor: no-better-request" in out or "fix: " in out
    assert "1 of 4 patterns are not served by a key read (✗)" in out
    assert "customer: 5 of 25 sampled items" in out and "order: 20 of 25 sampled items" in out

    r = run("model", "check", str(EXAMPLE), "--table", name, "--format", "json", endpoint=endpoint)
    assert r.returncode == 4, r.stderr
    doc = json.loads(r.stdout)
    by = {p["name"]: p for p in doc["patterns"]}
    assert [p["status"] for p in doc["patterns"]] == ["ok", "ok", "ok", "fail"]
    assert doc["failed"] == 1
    get = by["a customer"]
    # one item under 4 KB, eventually consistent: 0.5 RCU; at 20/s, 10 RCU/s; a month of it on demand
    assert (get["operation"], get["rcu_per_call"], get["rcu_per_second"]) == ("GetItem", 0.5, 10.0)
    assert get["usd_per_month"] == pytest.approx(10.0 * SECONDS_PER_MONTH * READ_PRICE)
    # filled from a sampled profile (which one comes first is DynamoDB Local's hash order)
    assert re.fullmatch(r"CUSTOMER#000[1-5]", get["params"][":cust"])
    assert get["params_from"] == f"from the sampled item {get['params'][':cust']} / PROFILE"
    orders = by["orders of a customer, newest first"]
    # 4 orders of ~150 bytes each: one 4 KB block, 0.5 RCU
    assert (orders["items_returned"], orders["rcu_per_call"], orders["entity"]) == (4, 0.5, "order")
    scan = by["an order by its id"]
    assert (scan["operation"], scan["index"]) == ("Scan", "table")
    assert scan["advice"] is not None and scan["advice"]["reason"]
    assert doc["tables"][name]["templates"]["by_entity"] == {"customer": 5, "order": 20}


def test_init_drafts_a_model_that_checks_clean(shop, tmp_path):
    endpoint, name = shop
    out = tmp_path / "draft.toml"
    r = run("model", "init", name, "--out", str(out), endpoint=endpoint)
    assert r.returncode == 0, r.stderr
    m = load_model(out.read_text(encoding="utf-8"), str(out))
    assert {n: {a: t.text for a, t in e.templates.items()} for n, e in m.entities.items()} == {
        "order": {"pk": "CUSTOMER#{customer_id}", "sk": "ORDER#{created_at}#{order_id}"},
        "customer": {
            "pk": "CUSTOMER#{customer_id}",
            "sk": "PROFILE",
            "gsi1pk": "EMAIL#{email}",
            "gsi1sk": "PROFILE",
        },
    }
    assert [p.name for p in m.patterns] == [
        "the order items of a partition",
        "a customer by its key",
        "a partition of GSI1",
    ]
    again = run("model", "init", name, "--out", str(out), endpoint=endpoint)
    assert again.returncode == 2 and "does not overwrite" in again.stderr
    r = run("model", "check", str(out), "--format", "json", endpoint=endpoint)
    assert r.returncode == 0, r.stdout + r.stderr
    assert {p["status"] for p in json.loads(r.stdout)["patterns"]} == {"ok"}


def test_the_designs_create_table_json_creates_the_table(ddblocal_client, ddblocal_server, tmp_path):
    target = f"designed_{uuid.uuid4().hex[:8]}"
    ct = tmp_path / "ct.json"
    r = run("model", "design", str(EXAMPLE), "--out", str(ct), "--table-name", target)
    assert r.returncode == 0, r.stderr
    assert "every pattern (4) is served by a key read" in r.stdout
    assert "GSI1: gsi1pk / gsi1sk (overloaded; projection ALL)" in r.stdout
    r = run("create-table", "--from-json", str(ct), "--allow-writes", endpoint=ddblocal_server.endpoint_url)
    assert r.returncode == 0, r.stdout + r.stderr
    desc = ddblocal_client.describe_table(TableName=target)["Table"]
    assert [k["AttributeName"] for k in desc["KeySchema"]] == ["pk", "sk"]
    (gsi,) = desc["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "GSI1"
    assert [k["AttributeName"] for k in gsi["KeySchema"]] == ["gsi1pk", "gsi1sk"]


@pytest.mark.xdist_group("demo")  # the demo server is seeded once, on the worker of this group
def test_the_demo_model_checks_every_pattern_on_the_demo_data(demo_server, tmp_path):
    text = resources.files("ddbtui.core").joinpath("data/demo.model.toml").read_text(encoding="utf-8")
    # the shared demo server holds the demo tables under the prefix exp_
    text = text.replace('table = "Shop"', 'table = "exp_Shop"')
    text = re.sub(r'request = "(get|query) (Shop|Music) ', r'request = "\1 exp_\2 ', text)
    model = tmp_path / "demo.toml"
    model.write_text(text, encoding="utf-8")
    # a sample of 200 items is enough to fill every pattern's parameters (the others are in the file)
    r = run(
        "model", "check", str(model), "--sample", "200", "--format", "json", endpoint=demo_server.endpoint_url
    )
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    bad = [(p["name"], p["status"], p["why"]) for p in doc["patterns"] if p["status"] != "ok"]
    assert bad == [], bad
    assert all(p["rcu_per_call"] and p["usd_per_month"] is not None for p in doc["patterns"])
    assert len(doc["patterns"]) == 12


def test_init_takes_the_workbench_history_of_the_table_as_patterns(shop, tmp_path):
    # #16: "the session history's requests as patterns" — the workbench's history.json, as the app writes it
    endpoint, name = shop
    history = {
        name: [
            {"at": 3, "request": {"operation": "query", "table": name, "key": "pk = 'CUSTOMER#0002'",
                                  "filter": "status = 'OPEN'", "descending": True, "limit": 5}},
            {"at": 2, "request": {"operation": "get", "table": name,
                                  "key": '{"pk": "CUSTOMER#0003", "sk": "PROFILE"}'}},
            {"at": 1, "request": {"operation": "query", "table": name, "key": "#p = :v",
                                  "names": {"#p": "pk"}, "values": {":v": "CUSTOMER#0001"}}},
        ],
        "": [{"at": 0, "request": {"operation": "sql", "statement": f'SELECT * FROM "{name}"'}}],
    }  # fmt: skip
    (tmp_path / "history.json").write_text(json.dumps(history))
    out = tmp_path / "with_history.toml"
    r = run(
        "model", "init", name, "--out", str(out), endpoint=endpoint, env={"DDBTUI_DATA_DIR": str(tmp_path)}
    )
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    m = load_model(text, str(out))
    from_history = {p.name: p.text for p in m.patterns if p.name.startswith("from the history")}
    assert from_history == {
        "from the history: query 1": f"query {name} key \"pk = 'CUSTOMER#0002'\" filter \"status = 'OPEN'\" "
        "desc limit 5",
        "from the history: get 2": f"get {name} key \"pk = 'CUSTOMER#0003' AND sk = 'PROFILE'\"",
    }
    assert "# 1 request(s) of the history left out: PartiQL or their own placeholders" in text
    r = run("model", "check", str(out), "--format", "json", endpoint=endpoint)
    assert r.returncode == 0, r.stdout + r.stderr
    checked = {p["name"]: p for p in json.loads(r.stdout)["patterns"]}
    assert checked["from the history: get 2"]["operation"] == "GetItem"
    assert checked["from the history: query 1"]["operation"] == "Query"
