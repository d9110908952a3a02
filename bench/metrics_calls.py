"""How many CloudWatch calls one metrics refresh makes: a table with 0, 1, 5 and 20 GSIs on moto's server.

Counts every call the CloudWatch client sends (a botocore ``before-call`` hook, no mock) while
``ddbtui.aws.metrics.read_metrics`` refreshes the table once, with a few minutes of metrics put first.
The query count on AWS (with p99 latency, which moto cannot compute) comes from the same core.

    .venv/bin/python bench/metrics_calls.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    from ddbtui.aws.embedded import MotoServer
    from ddbtui.aws.metrics import cloudwatch_client, read_metrics
    from ddbtui.aws.session import demo_connection, make_client
    from ddbtui.core.metrics import batches, build_queries

    rows = []
    with MotoServer() as server:
        conn = demo_connection(server.endpoint_url)
        ddb = make_client(conn)
        cw = cloudwatch_client(conn)
        calls: Counter[str] = Counter()
        cw.meta.events.register("before-call.cloudwatch", lambda model, **_: calls.update([model.name]))
        for n in (0, 1, 5, 20):
            table = f"bench-{n}"
            attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
            gsis = []
            for i in range(n):
                attrs.append({"AttributeName": f"g{i}", "AttributeType": "S"})
                gsis.append(
                    {
                        "IndexName": f"GSI{i}",
                        "KeySchema": [{"AttributeName": f"g{i}", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                )
            ddb.create_table(
                TableName=table,
                AttributeDefinitions=attrs,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
                **({"GlobalSecondaryIndexes": gsis} if gsis else {}),
            )
            minute = int(time.time()) // 60 * 60
            cw.put_metric_data(
                Namespace="AWS/DynamoDB",
                MetricData=[
                    {
                        "MetricName": "ConsumedReadCapacityUnits",
                        "Dimensions": [{"Name": "TableName", "Value": table}],
                        "Timestamp": datetime.fromtimestamp(minute - 60 * k, UTC),
                        "Value": 60.0,
                    }
                    for k in range(1, 11)
                ],
            )
            calls.clear()
            started = time.perf_counter()
            reading = read_metrics(ddb, conn, table, cw=cw)
            seconds = time.perf_counter() - started
            on_aws = build_queries(table, [f"GSI{i}" for i in range(n)], percentiles=True)
            rows.append(
                (n, len(reading.queries), len(on_aws), len(batches(on_aws)), calls["GetMetricData"], seconds)
            )
    print(
        "| GSIs | queries (moto) | queries (AWS, with p99) | GetMetricData calls (AWS) | GetMetricData calls measured | refresh s |"
    )
    print("|---|---|---|---|---|---|")
    for n, q, qa, ca, measured, s in rows:
        print(f"| {n} | {q} | {qa} | {ca} | {measured} | {s:.2f} |")
    return 0 if all(r[4] == 1 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
