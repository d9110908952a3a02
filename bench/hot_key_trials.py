"""How often the report names the hot partition key: the item sample alone against the key census.

    .venv/bin/python bench/hot_key_trials.py [--trials 20]

On DynamoDB Local (started here): 448 users of 5 items and 4 medium keys of 90 items, then per trial one
hot key of 460 items (15.0% of 3,060) under a seeded random name; the report runs with its default
sample, once with the key census and once without. Prints one table: trials named, capacity and time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ddbtui.aws.embedded import DynamoDBLocal  # noqa: E402
from ddbtui.aws.report import gather  # noqa: E402
from ddbtui.aws.session import Connection, make_client  # noqa: E402
from ddbtui.core.report import findings  # noqa: E402

TABLE = "HotKeyTrials"


def item(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}, "v": {"S": "x" * 40}}


def write(client, requests: list[dict]) -> None:
    for i in range(0, len(requests), 25):
        left = {TABLE: requests[i : i + 25]}
        while left:
            left = client.batch_write_item(RequestItems=left).get("UnprocessedItems") or None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    args = ap.parse_args()
    with DynamoDBLocal() as server:
        conn = Connection(endpoint_url=server.endpoint_url, region="us-east-1")
        client = make_client(conn)
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        base = [item(f"USER#{k:04d}", str(j)) for k in range(448) for j in range(5)]
        base += [item(f"MED#{k}", f"{j:03d}") for k in range(4) for j in range(90)]
        write(client, [{"PutRequest": {"Item": it}} for it in base])
        stats = {True: [0, 0.0, 0.0], False: [0, 0.0, 0.0]}  # named, RCU, seconds
        for trial in range(args.trials):
            hot = f"HOT#{random.Random(trial).randrange(10**9):09d}"
            hot_items = [item(hot, f"{j:04d}") for j in range(460)]
            write(client, [{"PutRequest": {"Item": it}} for it in hot_items])
            for census in (True, False):
                started = time.monotonic()
                facts = gather(client, conn, TABLE, census=census, metrics_since=None)
                seconds = time.monotonic() - started
                found = next((f for f in findings(facts) if f.id == "hot-partition"), None)
                s = facts.sample
                stats[census][0] += bool(found and f"pk = {hot!r}" in found.title)
                stats[census][1] += s.capacity + (s.census.capacity if s.census else 0.0)
                stats[census][2] += seconds
            write(client, [{"DeleteRequest": {"Key": {"pk": it["pk"], "sk": it["sk"]}}} for it in hot_items])
    n = args.trials
    print(f"{'report':<28} {'hot key named':>14} {'RCU / report':>13} {'s / report':>11}")
    for census, label in ((False, "default sample only"), (True, "sample + key census")):
        named, rcu, secs = stats[census]
        print(f"{label:<28} {f'{named}/{n}':>14} {rcu / n:>13.1f} {secs / n:>11.2f}")


if __name__ == "__main__":
    main()
