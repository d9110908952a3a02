"""`ddbtui metrics` and the report's "Usage and billing" section, as installed, against moto's server with
CloudWatch metrics put into it (PutMetricData, read back by GetMetricData); AccessDenied on CloudWatch
from a loopback proxy that answers it for CloudWatch only. Expected figures are worked out by hand."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from ddbtui.aws.embedded import MotoServer
from tests import faults

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"


def run(*args: str, endpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed ddbtui, with placeholder credentials and no endpoint from the environment."""
    env = dict(
        os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1"
    )
    env.pop("AWS_ENDPOINT_URL", None)
    argv = [DDBTUI, *args] + (["--endpoint-url", endpoint] if endpoint else [])
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=180)


READ_SUM, WRITE_SUM = 300.0, 240.0  # every minute: 5 RCU/s and 4 WCU/s on the table
GSI_SUM, GSI_HOT = 60.0, 150.0  # the GSI: 1 WCU/s, then 2.5 WCU/s (above its 2) for the last 5 minutes


@pytest.fixture(scope="module")
def seeded():
    """A provisioned table (10 RCU / 5 WCU, GSI ByX 5 / 2) and three hours of its metrics at one minute."""
    with MotoServer() as server:
        kw = {"endpoint_url": server.endpoint_url, "region_name": "us-east-1"}
        ddb, cw = boto3.client("dynamodb", **kw), boto3.client("cloudwatch", **kw)
        table = f"metrics-{uuid.uuid4().hex[:8]}"
        ddb.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "x")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "ByX",
                    "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2},
                }
            ],
        )
        t, g = [{"Name": "TableName", "Value": table}], {"Name": "GlobalSecondaryIndexName", "Value": "ByX"}
        minute = int(time.time()) // 60 * 60
        data = []
        for k in range(1, 170):  # minutes before now: k = 1 is the last whole minute
            ts = datetime.fromtimestamp(minute - 60 * k, UTC)
            hot = 2 <= k <= 6

            def put(name, dims, value, ts=ts):
                data.append({"MetricName": name, "Dimensions": dims, "Timestamp": ts, "Value": value})

            put("ConsumedReadCapacityUnits", t, READ_SUM)
            put("ConsumedWriteCapacityUnits", t, WRITE_SUM)
            put("ConsumedWriteCapacityUnits", [*t, g], GSI_HOT if hot else GSI_SUM)
            if hot:
                put("WriteThrottleEvents", [*t, g], 30.0)
                put("ThrottledRequests", [*t, {"Name": "Operation", "Value": "PutItem"}], 30.0)
        for i in range(0, len(data), 500):
            cw.put_metric_data(Namespace="AWS/DynamoDB", MetricData=data[i : i + 500])
        yield server, table


def test_metrics_json_gives_the_points_and_names_the_throttling(seeded):
    server, table = seeded
    r = run("metrics", table, "--format", "json", endpoint=server.endpoint_url)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["get_metric_data_calls"] == 1
    assert (doc["window"]["period"], doc["window"]["points"]) == (60, 180)  # 3h at one minute
    series = {(s["metric"], s["index"], s["operation"]): s for s in doc["series"]}
    reads = series[("ConsumedReadCapacityUnits", None, None)]
    assert reads["peak"] == 5.0  # 300 units / 60 s
    assert {p["per_second"] for p in reads["points"]} == {5.0}
    gsi = series[("ConsumedWriteCapacityUnits", "ByX", None)]
    assert gsi["peak"] == 2.5  # 150 / 60
    assert sum(p["value"] for p in series[("WriteThrottleEvents", "ByX", None)]["points"]) == 150  # 5 x 30
    found = {(d["id"], d["resource"]): d for d in doc["diagnosis"]}
    # 2.5 WCU/s against 2 provisioned, no autoscaling: 2.5 / 0.7 = 3.57 -> 4 WCU, its 5 RCU kept
    over = found[("over-provisioned", "ByX")]
    assert over["command"] == f"ddbtui alter {table} --gsi-provisioned ByX=5,4 --allow-writes"
    back = found[("gsi-backpressure", "ByX")]
    assert "150 write throttle events on ByX and 150 throttled write requests" in back["detail"]
    billing = doc["billing"]
    current = next(o for o in billing["options"] if o["name"] == "current")
    # (10 + 5) RCU x 0.00013 + (5 + 2) WCU x 0.00065 = 0.0065 an hour; x 730 = 4.745
    assert current["monthly_usd"] == pytest.approx(4.745, abs=0.006)
    assert billing["current"] == "current"


def test_metrics_text_has_sparklines_diagnosis_and_billing(seeded):
    server, table = seeded
    r = run("metrics", table, "--since", "1h", endpoint=server.endpoint_url)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "\x1b" not in out  # plain text: NO_COLOR or not, over SSH
    assert f"{table} · provisioned · last 1h (60 x 1m" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("write throttle events"))
    assert "█" in line and line.split()[-2] == "2.5"  # the average: 150 events / 60 periods
    assert "[critical] GSI ByX writes throttled: consumed reached the provisioned capacity" in out
    assert f"$ ddbtui alter {table} --gsi-provisioned ByX=5,4 --allow-writes" in out
    assert "Billing (monthly" in out and "/month" in out


def test_report_has_the_usage_and_billing_section(seeded):
    server, table = seeded
    r = run("report", table, "--sample", "0", "--format", "json", endpoint=server.endpoint_url)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    usage = doc["usage"]
    assert (usage["status"], usage["period"]) == ("read", 3600)  # two weeks at one hour
    rows = {x["resource"]: x for x in usage["resources"]}
    assert rows["ByX"]["write_throttle_events"] == 150
    assert rows["table"]["read_average_per_second"] == pytest.approx(169 * 300 / (336 * 3600))
    ids = [f["id"] for f in doc["findings"]]
    assert "metrics-gsi-backpressure-ByX" in ids


def _deny_cloudwatch(_n: int, target: str) -> faults.ProxyRule:
    """CloudWatch speaks JSON 1.0 here (X-Amz-Target GraniteServiceVersion20100801.GetMetricData): its
    calls get IAM's answer, DynamoDB's pass through."""
    if target == "GetMetricData":
        return faults.ProxyRule(
            "status", status=400, error_code="AccessDeniedException", message="not authorized"
        )
    return faults.ProxyRule("pass")


def test_access_denied_on_cloudwatch_is_one_line_and_the_rest_works(seeded):
    server, table = seeded
    with faults.FaultProxy(server.endpoint_url, _deny_cloudwatch) as proxy:
        r = run("metrics", table, endpoint=proxy.url)
        rep = run("report", table, "--sample", "0", endpoint=proxy.url)
    assert r.returncode == 3 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "ddbtui: metrics unavailable: not allowed to call cloudwatch:GetMetricData (AccessDeniedException); "
        "the rest of ddbtui works without it"
    ]
    assert rep.returncode == 0, rep.stderr
    assert "## Usage and billing" in rep.stdout
    assert (
        "Metrics are not readable: not allowed to call cloudwatch:GetMetricData (AccessDeniedException)"
        in rep.stdout
    )
    assert f"# Table report: {table}" in rep.stdout  # DynamoDB went through the proxy as it is
    assert [t for _n, t, kind in proxy.log if kind == "status"] == ["GetMetricData"] * 2  # once each


def test_contributor_insights_top_keys_by_traffic_and_throttles(seeded):
    server, table = seeded
    hostile = "hot[/x]\x1b[2J"
    plan, rules = faults.contributor_insights(table, hostile)
    with faults.FaultProxy(server.endpoint_url, plan) as proxy:
        r = run("metrics", table, "--format", "json", endpoint=proxy.url)
        text = run("metrics", table, endpoint=proxy.url)
        rep = run("report", table, "--sample", "0", endpoint=proxy.url)
    assert r.returncode == 0, r.stderr
    ci = json.loads(r.stdout)["contributor_insights"]
    assert ci["status"] == {"(table)": "ENABLED", "ByX": "DISABLED"}
    asked = [body for target, body in proxy.answered if target == "GetInsightRuleReport"]
    assert sorted(b["RuleName"] for b in asked) == sorted(rules * 3)  # one report per rule and run
    assert [b["Period"] for b in asked[:8]] == [3600] * 8  # metrics: the coarsest period inside 3 h
    assert {b["MaxContributorCount"] for b in asked} == {10} and {b["OrderBy"] for b in asked} == {"Sum"}
    kinds = [t["kind"] for t in ci["top_keys"]]
    assert kinds == ["PKT", "SKT", "PKC", "SKC"]  # throttles first
    throttled = ci["top_keys"][0]
    assert [(c["keys"], c["value"], c["share"]) for c in throttled["contributors"]] == [
        (["CUSTOMER#7"], 30.0, 30 / 32),
        (["CUSTOMER#9"], 2.0, 2 / 32),
    ]
    accessed = ci["top_keys"][2]
    assert [c["keys"][0] for c in accessed["contributors"]] == ["CUSTOMER#7", "CUSTOMER#9", hostile]
    assert accessed["contributors"][0]["share"] == 0.6 and accessed["unique_contributors"] == 42
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert "\x1b" not in out and "hot[/x]\\e[2J" in out  # the hostile key, escaped
    block = out[out.index("Contributor Insights") :]
    assert "GSI ByX: disabled" in block
    assert "most throttled partition keys (table), sum, ~2 distinct" in block
    row = next(x for x in block.splitlines() if "CUSTOMER#7" in x)  # the first: the throttled one
    assert row.split()[-2:] == ["30", "93.8%"]  # 30 of 32
    # the report: the same top keys, over the last 24 hours (one day's report period)
    assert rep.returncode == 0, rep.stderr
    md = rep.stdout[rep.stdout.index("## Contributor Insights (traffic, last 24 hours)") :]
    assert "Status: table: enabled, ByX: disabled." in md
    assert "### Most throttled partition keys (table)" in md
    assert "| CUSTOMER#7 | 30 | 93.8% |" in md and "| CUSTOMER#7 | 600 | 60.0% |" in md
    assert "\x1b" not in md
    assert [b["Period"] for b in asked[8:]] == [86400] * 4  # the report: one day


def test_contributor_insights_missing_on_the_backend_is_a_note():
    r = run("--demo", "metrics", "Music", "--format", "json")
    assert r.returncode == 0, r.stderr
    ci = json.loads(r.stdout)["contributor_insights"]
    assert ci["top_keys"] == [] and set(ci["status"].values()) == {None}
    assert ci["notes"] == ["the backend does not serve DescribeContributorInsights (HTTP 500)"]


def test_demo_metrics_tells_the_story():
    r = run("--demo", "metrics", "Shop")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert any(block in out for block in "▁▂▃▄▅▆▇█")
    assert "GSI GSI1 writes throttled: on-demand load rose past twice its previous peak" in out
    assert "writes to Shop are throttled by its GSI GSI1" in out
    assert "switch to provisioned, autoscaling at 70% target" in out and "/month" in out
