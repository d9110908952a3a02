"""Write sharding: partition keys <date>.<N> with a calculated suffix, so a day's items are spread over N
partitions (AWS DynamoDB Developer Guide 'Using write sharding to distribute workloads evenly';
aws-samples/aws-dynamodb-examples schema_design/BuildingBlocks/WriteSharding)."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, money, queries, scan, text

GUIDE = Citation(
    "bp-partition-key-sharding",
    "AWS DynamoDB Developer Guide — Using write sharding to distribute workloads evenly",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html",
    "random and calculated suffixes (2014-07-09.1 … .N); reading a day queries every suffix",
)
SAMPLE = Citation(
    "aws-samples-write-sharding",
    "aws-samples/aws-dynamodb-examples — Write Sharding in DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/BuildingBlocks/WriteSharding",
    "README.md, python/WriteShardingExample.py (commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)

SHARDS = 10
DAYS = [f"2014-07-{d:02d}" for d in range(1, 11)]


def suffix(order_id: str) -> int:
    """The guide's calculation: product of the UTF-8 code points of the order id, modulo N, + 1."""
    prod = 1
    for b in order_id.encode():
        prod = prod * b % 1_000_003
    return prod % SHARDS + 1


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    n = 0
    for day in DAYS:
        for _ in range(rng.randint(110, 190) if day != "2014-07-09" else 240):
            n += 1
            oid = "O-1234567" if n == 1000 else f"O-{1000000 + n * 7919 % 9000000}"
            items.append(
                {
                    "pk": f"{day}.{suffix(oid)}",
                    "sk": oid,
                    "OrderId": oid,
                    "OrderDate": day,
                    "Amount": money(rng, 5, 900),
                    "CustomerId": f"C{rng.randint(1, 500)}",
                    "Lines": [
                        {"sku": f"S{rng.randint(1, 99)}", "qty": rng.randint(1, 4)}
                        for _ in range(rng.randint(1, 4))
                    ],
                    "Note": text(rng, rng.randint(50, 250)),
                }
            )
    return items


def _day(day: str) -> list[str]:
    return [f"pk = '{day}.{s}'" for s in range(1, SHARDS + 1)]


_ORDER = "O-1234567"
_ORDER_DAY = "2014-07-07"


MODEL = Model(
    name="shards",
    title="Write sharding with a calculated suffix (AWS Developer Guide, aws-samples)",
    citations=(GUIDE, SAMPLE),
    table=Table(pk=("pk", "S"), sk=("sk", "S")),
    make_items=make_items,
    notes="N = 10 shards instead of the guide's 200, to keep the corpus small.",
    patterns=(
        Pattern(
            "shards-day",
            "Read all the items for a given day",
            naive=scan("OrderDate = '2014-07-09'"),
            best=queries(_day("2014-07-09")),
            tags=("write-sharding",),
            source=GUIDE.key,
        ),
        Pattern(
            "shards-day-prefix",
            "Read all the items for a given day (filtering on the partition key's prefix)",
            naive=scan("begins_with(pk, '2014-07-09.')"),
            best=queries(_day("2014-07-09")),
            tags=("write-sharding",),
            source=GUIDE.key,
        ),
        Pattern(
            "shards-day-filter",
            "A day's orders above an amount",
            naive=scan("OrderDate = '2014-07-09' AND Amount > 500"),
            best=queries(_day("2014-07-09"), "Amount > 500"),
            tags=("write-sharding", "filter-stays"),
            source=SAMPLE.key,
        ),
        Pattern(
            "shards-order",
            "Read one order of a known date (calculated suffix: GetItem)",
            naive=scan(f"OrderId = '{_ORDER}' AND OrderDate = '{_ORDER_DAY}'"),
            best=get(f"pk = '{_ORDER_DAY}.{suffix(_ORDER)}' AND sk = '{_ORDER}'"),
            tags=("write-sharding", "calculated-suffix", "get-item"),
            source=GUIDE.key,
        ),
    ),
)
