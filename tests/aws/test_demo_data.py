"""The demo data set: deterministic, big enough, every DynamoDB feature present, loadable into real engines."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ddbtui.aws import demo_data, seed
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.patterns import PATTERNS, by_id

ALL_TYPES = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}


def _plain(av):
    ((kind, v),) = av.items()
    return v


def _digest(table: str) -> str:
    h = hashlib.sha256()
    for item in demo_data.items(table):
        h.update(
            json.dumps(item, default=lambda b: base64.b64encode(b).decode(), ensure_ascii=False).encode()
        )
        h.update(b"\n")
    return h.hexdigest()


def _num_size(text: str) -> int:
    d = Decimal(text)
    if d == 0:
        return 1
    digits = len(d.as_tuple().digits)
    return (digits + 1) // 2 + 1 + (1 if d < 0 else 0)  # close enough for the size checks here


def _value_size(av) -> int:
    ((kind, v),) = av.items()
    if kind == "S":
        return len(v.encode())
    if kind == "B":
        return len(v)
    if kind == "N":
        return _num_size(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(x.encode()) for x in v)
    if kind == "BS":
        return sum(len(x) for x in v)
    if kind == "NS":
        return sum(_num_size(x) for x in v)
    if kind == "L":
        return 3 + sum(1 + _value_size(x) for x in v)
    return 3 + sum(1 + len(k.encode()) + _value_size(x) for k, x in v.items())


def item_size(item) -> int:
    """DynamoDB's item size (DESIGN §5): attribute names plus values."""
    return sum(len(k.encode()) + _value_size(v) for k, v in item.items())


def _types(av, out: set[str]) -> None:
    ((kind, v),) = av.items()
    out.add(kind)
    if kind == "L":
        for x in v:
            _types(x, out)
    elif kind == "M":
        for x in v.values():
            _types(x, out)


@pytest.fixture(scope="module")
def shop():
    return list(demo_data.items("Shop"))


@pytest.fixture(scope="module")
def music():
    return list(demo_data.items("Music"))


# ---- the data set ---------------------------------------------------------------------------------


def test_deterministic_across_runs_and_hash_seeds():
    here = {t: _digest(t) for t in demo_data.table_names()}
    assert here == {t: _digest(t) for t in demo_data.table_names()}
    # another interpreter with another str hash seed: set ordering must not leak into the data
    code = (
        "import json; from tests.aws.test_demo_data import _digest; from ddbtui.aws import demo_data; "
        "print(json.dumps({t: _digest(t) for t in demo_data.table_names()}))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=root
    )
    assert json.loads(out.stdout) == here


def test_counts(shop, music):
    assert len(shop) == demo_data.item_count("Shop")
    assert len(music) == demo_data.item_count("Music")
    assert len(shop) + len(music) >= 10_000
    with pytest.raises(KeyError):
        demo_data.item_count("Nope")
    with pytest.raises(KeyError):
        demo_data.items("Nope")


@pytest.mark.parametrize("table", ["Shop", "Music"])
def test_items_fit_the_table_definition(table, shop, music):
    data = shop if table == "Shop" else music
    spec = demo_data.table_definition(table)
    types = {a["AttributeName"]: a["AttributeType"] for a in spec["AttributeDefinitions"]}
    key_names = [k["AttributeName"] for k in spec["KeySchema"]]
    used = set(key_names)
    for idx in spec.get("GlobalSecondaryIndexes", []) + spec.get("LocalSecondaryIndexes", []):
        used |= {k["AttributeName"] for k in idx["KeySchema"]}
    assert used == set(types), "every AttributeDefinition is a key of the table or an index"
    keys = set()
    for item in data:
        for name in key_names:
            assert set(item[name]) == {types[name]}, (name, item[name])
        for name in types:  # index keys, where present, have the declared type
            if name in item:
                assert set(item[name]) == {types[name]}, (name, item[name])
        keys.add(tuple(_plain(item[n]) for n in key_names))
        assert item_size(item) < 350_000
    assert len(keys) == len(data), "primary keys are unique"


def test_entities_and_overloaded_gsi(shop):
    kinds = Counter(_plain(i["type"]) for i in shop)
    for kind in ("customer", "order", "orderLine", "product", "review", "cart", "session", "stock", "media"):
        assert kinds[kind] > 0, kind
    gsi1_types = {_plain(i["type"]) for i in shop if "gsi1pk" in i}
    assert len(gsi1_types) >= 3
    prefixes = {_plain(i["gsi1pk"]).split("#")[0] for i in shop if "gsi1pk" in i}
    assert {"STATUS", "CATEGORY", "EMAIL", "CUSTOMER", "PRODUCT"} <= prefixes


def test_sparse_index_is_sparse(shop):
    flagged = [i for i in shop if "flag" in i]
    assert 0 < len(flagged) < 0.05 * len(shop)
    assert all("flaggedAt" in i for i in flagged)
    assert {_plain(i["type"]) for i in flagged} == {"order", "review"}


def test_lsi_attribute(shop):
    with_total = [i for i in shop if "total" in i]
    assert {_plain(i["type"]) for i in with_total} == {"order"}
    assert all("N" in i["total"] for i in with_total)


def test_ttl_values(shop):
    assert demo_data.TTL == {"Shop": "expiresAt"}
    expires = [int(_plain(i["expiresAt"])) for i in shop if "expiresAt" in i]
    assert {_plain(i["type"]) for i in shop if "expiresAt" in i} == {"cart", "session"}
    expired = [e for e in expires if e < demo_data.NOW_EPOCH]
    alive = [e for e in expires if e > 2_051_222_400]  # after 2035-01-01: unexpired for years
    assert expired and alive
    assert len(expired) + len(alive) == len(expires)


def test_large_items_and_hot_partition(shop):
    large = [i for i in shop if item_size(i) > 100_000]
    assert 4 <= len(large) <= 5
    assert all(item_size(i) < 350_000 for i in large)
    hot = Counter(_plain(i["pk"]) for i in shop).most_common(1)[0]
    assert hot[0] == f"CUSTOMER#{demo_data.HOT_CUSTOMER}" and hot[1] >= 2_000


def test_every_attribute_value_kind(shop, music):
    for data in (shop, music):
        seen: set[str] = set()
        for item in data:
            for av in item.values():
                _types(av, seen)
        if data is shop:
            assert seen == ALL_TYPES
    strings = [_plain(v) for i in shop for v in i.values() if "S" in v]
    assert any(any(ord(c) > 0xFFFF for c in s) for s in strings), "4-byte UTF-8 (emoji)"
    assert any(any(0x3040 <= ord(c) <= 0x9FFF for c in s) for s in strings), "CJK"
    assert any("\x1b" in s for s in strings), "hostile input for the display sanitiser"
    numbers = []
    for i in shop:
        for v in i.values():
            if "N" in v:
                numbers.append(v["N"])
            elif "M" in v:
                numbers += [x["N"] for x in v["M"].values() if "N" in x]
    assert any(n.startswith("-") for n in numbers)
    assert any(len(re.sub(r"\D", "", n)) >= 38 for n in numbers)


def test_tables_are_pay_per_request_with_stream():
    by_name = {t["TableName"]: t for t in demo_data.TABLES}
    assert set(by_name) == {"Shop", "Music"}
    assert all(t["BillingMode"] == "PAY_PER_REQUEST" for t in demo_data.TABLES)
    assert by_name["Shop"]["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert [i["IndexName"] for i in by_name["Shop"]["LocalSecondaryIndexes"]] == ["ByTotal"]
    assert demo_data.__doc__ and "hot partition" in demo_data.__doc__


# ---- the patterns ---------------------------------------------------------------------------------

_PARTITION_EQ = re.compile(r"^\s*(\w+)\s*=\s*'([^']*)'")


def _index_keys(table: str, index: str | None) -> list[str]:
    spec = demo_data.table_definition(table)
    if index is None:
        return [k["AttributeName"] for k in spec["KeySchema"]]
    for idx in spec.get("GlobalSecondaryIndexes", []) + spec.get("LocalSecondaryIndexes", []):
        if idx["IndexName"] == index:
            return [k["AttributeName"] for k in idx["KeySchema"]]
    raise AssertionError(f"{table} has no index {index}")


def test_patterns_are_consistent():
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))
    ops = Counter(p.operation for p in PATTERNS)
    assert set(ops) == {"query", "scan", "get", "sql"}
    assert sum(p.anti_pattern for p in PATTERNS) >= 4
    for p in PATTERNS:
        assert p.table in demo_data.table_names(), p.id
        keys = _index_keys(p.table, p.index)
        assert 2 <= p.explanation.count(". ") + 1 <= 5, p.id
        if p.better is not None:
            assert p.anti_pattern and not by_id(p.better).anti_pattern
        if p.anti_pattern:
            assert p.better is not None, p.id
        if p.operation in ("query", "get"):
            m = _PARTITION_EQ.match(p.key or "")
            assert m and m.group(1) == keys[0], p.id
        if p.operation == "get":
            assert p.index is None and len(re.findall(r"=\s*'", p.key)) == 2
        if p.operation == "sql":
            assert p.statement and f'"{p.table}"' in p.statement
        else:
            assert p.statement is None


def test_pattern_values_exist_in_the_data(shop, music):
    data = {"Shop": shop, "Music": music}
    for p in PATTERNS:
        if p.operation not in ("query", "get"):
            continue
        attr, value = _PARTITION_EQ.match(p.key).groups()
        hits = [i for i in data[p.table] if attr in i and _plain(i[attr]) == value]
        assert hits, p.id
    # the named values in the prose and statements
    assert any(_plain(i["pk"]) == "CUSTOMER#0002" for i in shop)
    assert any(_plain(i["gsi1sk"]).startswith("PRICE#0000") for i in shop if "gsi1sk" in i)


# ---- seeding into real engines --------------------------------------------------------------------


def _count(client, **params) -> int:
    n, start = 0, None
    while True:
        kw = dict(params, Select="COUNT")
        if start:
            kw["ExclusiveStartKey"] = start
        op = client.query if "KeyConditionExpression" in kw else client.scan
        resp = op(**kw)
        n += resp["Count"]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return n


@pytest.fixture(scope="module")
def seeded_moto(moto_client):
    prefix = f"d{uuid.uuid4().hex[:6]}_"
    calls = []
    t0 = time.perf_counter()
    written = seed.seed(moto_client, table_prefix=prefix, progress=lambda w, t: calls.append((w, t)))
    took = time.perf_counter() - t0
    print(f"\nseeded {written} items into moto in {took:.2f} s ({written / took:.0f} items/s)")
    yield prefix, written, calls
    _drop(moto_client, prefix)


def _drop(client, prefix: str, tables=None) -> None:
    """Delete seeded copies: moto's ExecuteStatement converts every item of every table on each call."""
    for t in tables or demo_data.table_names():
        with contextlib.suppress(client.exceptions.ResourceNotFoundException):
            client.delete_table(TableName=prefix + t)


def test_seed_into_moto(moto_client, seeded_moto, shop):
    prefix, written, calls = seeded_moto
    total = sum(demo_data.item_count(t) for t in demo_data.table_names())
    assert written == total
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [w for w, _ in calls] == sorted(w for w, _ in calls)
    for t in demo_data.table_names():
        assert _count(moto_client, TableName=prefix + t) == demo_data.item_count(t)
    desc = moto_client.describe_table(TableName=prefix + "Shop")["Table"]
    assert desc["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    ttl = moto_client.describe_time_to_live(TableName=prefix + "Shop")["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == "expiresAt"


def test_sparse_index_and_hot_partition_on_moto(moto_client, seeded_moto, shop):
    prefix = seeded_moto[0]
    scanned = moto_client.scan(TableName=prefix + "Shop", IndexName="FlaggedIndex")
    assert "LastEvaluatedKey" not in scanned
    assert scanned["Count"] == sum("flag" in i for i in shop)
    assert all("flag" in i and "flaggedAt" in i for i in scanned["Items"])
    hot = f"CUSTOMER#{demo_data.HOT_CUSTOMER}"
    n = _count(
        moto_client,
        TableName=prefix + "Shop",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": hot}},
    )
    assert n == sum(_plain(i["pk"]) == hot for i in shop) >= 2_000
    big = moto_client.get_item(
        TableName=prefix + "Shop", Key={"pk": {"S": "PRODUCT#P-0007"}, "sk": {"S": "MEDIA#MANUAL"}}
    )
    assert len(big["Item"]["content"]["B"]) > 300_000


def test_pattern_partitions_exist_on_moto(moto_client, seeded_moto):
    prefix = seeded_moto[0]
    for p in PATTERNS:
        if p.operation != "query":
            continue
        attr, value = _PARTITION_EQ.match(p.key).groups()
        params = {
            "TableName": prefix + p.table,
            "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": {"#k": attr},
            "ExpressionAttributeValues": {":v": {"S": value}},
            "Limit": 1,
        }
        if p.index:
            params["IndexName"] = p.index
        assert moto_client.query(**params)["Count"] >= 1, p.id


def test_seed_cancel_and_existing_tables(moto_client):
    prefix = f"c{uuid.uuid4().hex[:6]}_"
    stop = threading.Event()

    def progress(written, total):
        if written >= 100:
            stop.set()

    n = seed.seed(moto_client, tables=["Music"], progress=progress, table_prefix=prefix, cancel=stop)
    assert 100 <= n < demo_data.item_count("Music")
    # seeding again into existing tables is fine (puts overwrite), single-threaded path
    n = seed.seed(moto_client, tables=["Music"], table_prefix=prefix, threads=1)
    assert n == demo_data.item_count("Music") == _count(moto_client, TableName=prefix + "Music")
    _drop(moto_client, prefix, ["Music"])


def test_unprocessed_items_are_retried(moto_server):
    """moto never returns UnprocessedItems: a before-send hook answers the first batch with all unprocessed."""
    from botocore.awsrequest import AWSResponse

    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    prefix = f"u{uuid.uuid4().hex[:6]}_"
    seed.create_tables(client, ["Music"], prefix)
    state = {"calls": 0}

    def fake_unprocessed(request, **kwargs):
        state["calls"] += 1
        if state["calls"] > 2:
            return None  # send for real
        body = json.loads(request.body)
        raw = json.dumps({"UnprocessedItems": body["RequestItems"]}).encode()

        class Raw:
            def stream(self, **kw):
                yield raw

        return AWSResponse(request.url, 200, {"content-type": "application/x-amz-json-1.0"}, Raw())

    client.meta.events.register("before-send.dynamodb.BatchWriteItem", fake_unprocessed)
    batch = list(demo_data.items("Music"))[:25]
    assert seed.write_batch(client, prefix + "Music", batch) == 25
    assert state["calls"] == 3
    assert _count(client, TableName=prefix + "Music") == 25
    _drop(client, prefix, ["Music"])


def test_seed_order_small_tables_first():
    assert seed.seed_order() == ["Music", "Shop"]
    assert seed.seed_order(["Shop"]) == ["Shop"]
    with pytest.raises(KeyError):
        seed.seed_order(["Nope"])


@pytest.mark.ddblocal
@pytest.mark.xdist_group("demo")  # ddblocal_demo seeds once, on the worker of this group
def test_seed_into_dynamodb_local(ddblocal_client, ddblocal_demo, shop):
    """AWS's own engine accepts every item (sizes, numbers, strings) and the counts match. The seeding is
    ``ddblocal_demo``'s (``seed.seed`` with 4 threads, once per test process, shared with other tests)."""
    prefix = "demo_"
    for t in demo_data.table_names():
        assert _count(ddblocal_client, TableName=prefix + t) == demo_data.item_count(t)
    assert _count(ddblocal_client, TableName=prefix + "Shop", IndexName="FlaggedIndex") == sum(
        "flag" in i for i in shop
    )
    desc = ddblocal_client.describe_table(TableName=prefix + "Shop")["Table"]
    assert desc["StreamSpecification"]["StreamEnabled"]


def test_create_tables_then_enable_streams(moto_client):
    prefix = f"s{uuid.uuid4().hex[:6]}_"
    assert seed.create_tables(moto_client, table_prefix=prefix) == [prefix + "Music", prefix + "Shop"]
    desc = moto_client.describe_table(TableName=prefix + "Shop")["Table"]
    assert not desc.get("StreamSpecification", {}).get("StreamEnabled")
    assert {g["IndexName"] for g in desc["GlobalSecondaryIndexes"]} == {"GSI1", "FlaggedIndex"}
    seed.enable_streams(moto_client, table_prefix=prefix)
    seed.enable_streams(moto_client, table_prefix=prefix)  # idempotent
    desc = moto_client.describe_table(TableName=prefix + "Shop")["Table"]
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    _drop(moto_client, prefix)
