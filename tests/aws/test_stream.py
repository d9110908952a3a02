"""Stream tail against moto and DynamoDB Local, shard bookkeeping, and the image diff."""

from __future__ import annotations

import json
import time

import botocore.awsrequest
import pytest

from ddbtui.aws.session import Connection
from ddbtui.aws.stream import (
    ShardTracker,
    StreamNotEnabled,
    StreamTail,
    image_diff,
    list_shards,
    service_client,
    stream_arn_of,
    streams_client,
)
from tests.conftest import create_table


@pytest.fixture(params=["moto", "ddblocal"])
def engine(request):
    server = request.getfixturevalue(f"{request.param}_server")
    client = request.getfixturevalue(f"{request.param}_client")
    return Connection(endpoint_url=server.endpoint_url, region="us-east-1"), client


def streamed_table(client, name):
    create_table(client, name)
    client.update_table(
        TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    for _ in range(50):
        if client.describe_table(TableName=name)["Table"].get("LatestStreamArn"):
            break
        time.sleep(0.1)
    return name


def changes(client, name):
    key = {"pk": {"S": "C#1"}, "sk": {"S": "PROFILE"}}
    client.put_item(
        TableName=name, Item={**key, "name": {"S": "Zoë"}, "n": {"N": "5"}, "tmp": {"BOOL": True}}
    )
    client.update_item(
        TableName=name,
        Key=key,
        UpdateExpression="SET #n = :name, n = :five, added = :a REMOVE tmp",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":name": {"S": "Zoe"}, ":five": {"N": "5.0"}, ":a": {"SS": ["x"]}},
    )
    client.delete_item(TableName=name, Key=key)


# --------------------------------------------------------------------------------------------- live


def test_tail_from_now_shows_insert_modify_remove_by_another_client(engine, table_name):
    conn, client = engine
    name = streamed_table(client, table_name)
    client.put_item(TableName=name, Item={"pk": {"S": "before"}, "sk": {"S": "start"}})
    arn, view = stream_arn_of(client, name)
    assert view == "NEW_AND_OLD_IMAGES"
    tail = StreamTail(streams_client(conn), arn, poll_interval=0.05).start()
    changes(client, name)  # another client, after the tail is positioned
    events = list(tail.events(max_records=3, idle_timeout=15))
    assert [e.event_name for e in events] == ["INSERT", "MODIFY", "REMOVE"]
    ins, mod, rem = events
    assert ins.keys == {"pk": {"S": "C#1"}, "sk": {"S": "PROFILE"}} and ins.old is None
    assert mod.diff.changed == ("name",)  # 5 -> 5.0 is the same number
    assert mod.diff.added == ("added",) and mod.diff.removed == ("tmp",)
    assert rem.new is None and rem.old["name"] == {"S": "Zoe"}
    assert all(e.approximate_time is not None for e in events)
    assert not rem.by_ttl


def test_tail_from_start_reads_earlier_changes(engine, table_name):
    conn, client = engine
    name = streamed_table(client, table_name)
    changes(client, name)
    arn, _ = stream_arn_of(client, name)
    tail = StreamTail(streams_client(conn), arn, from_start=True, poll_interval=0.05)
    events = list(tail.events(idle_timeout=1.5))
    assert [e.event_name for e in events] == ["INSERT", "MODIFY", "REMOVE"]


def test_idle_timeout_stops_a_quiet_tail(engine, table_name):
    conn, client = engine
    name = streamed_table(client, table_name)
    arn, _ = stream_arn_of(client, name)
    t0 = time.monotonic()
    assert list(StreamTail(streams_client(conn), arn, poll_interval=0.1).events(idle_timeout=0.5)) == []
    assert time.monotonic() - t0 < 5


def test_table_without_a_stream_says_how_to_enable_it(moto_client, table_name):
    create_table(moto_client, table_name)
    with pytest.raises(StreamNotEnabled, match="StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"):
        stream_arn_of(moto_client, table_name)


def test_an_expired_iterator_is_renewed_after_the_last_record(moto_server, moto_client, table_name):
    conn = Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1")
    name = streamed_table(moto_client, table_name)
    arn, _ = stream_arn_of(moto_client, name)
    streams = streams_client(conn)
    tail = StreamTail(streams, arn, poll_interval=0.05).start()
    moto_client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
    first = list(tail.events(max_records=1, idle_timeout=10))
    calls = {"n": 0}

    def expire_once(request, **_kw):
        calls["n"] += 1
        if calls["n"] == 1:
            body = json.dumps({"__type": "ExpiredIteratorException", "message": "Iterator expired"}).encode()
            return botocore.awsrequest.AWSResponse(
                request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, _Raw(body)
            )
        return None

    streams.meta.events.register("before-send.dynamodbstreams.GetRecords", expire_once)
    moto_client.put_item(TableName=name, Item={"pk": {"S": "b"}, "sk": {"S": "2"}})
    second = list(tail.events(max_records=1, idle_timeout=10))
    assert [e.keys["pk"]["S"] for e in first + second] == ["a", "b"]  # no repeat of "a", no gap
    assert calls["n"] >= 2


def test_stopping_inside_a_batch_keeps_the_rest_for_the_next_call(engine, table_name):
    conn, client = engine
    name = streamed_table(client, table_name)
    arn, _ = stream_arn_of(client, name)
    tail = StreamTail(streams_client(conn), arn, poll_interval=0.05).start()
    for i in range(5):
        client.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "sk": {"S": "1"}})
    first = list(tail.events(max_records=2, idle_timeout=10))
    gen = tail.events(idle_timeout=10)
    third = next(gen)
    gen.close()  # a consumer that walks away mid-batch
    rest = list(tail.events(idle_timeout=1))
    assert [e.keys["pk"]["S"] for e in [*first, third, *rest]] == [f"k{i}" for i in range(5)]


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_kw):
        yield self.data


def test_list_shards_follows_exclusive_start_shard_id(moto_server, moto_client, table_name):
    conn = Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1")
    name = streamed_table(moto_client, table_name)
    arn, _ = stream_arn_of(moto_client, name)
    streams = streams_client(conn)
    sent = []

    def record(params, **_kw):
        sent.append(dict(params))

    def page_once(parsed, **_kw):
        if len(sent) == 1:  # pretend the first answer was a partial page
            parsed["StreamDescription"]["LastEvaluatedShardId"] = parsed["StreamDescription"]["Shards"][0][
                "ShardId"
            ]

    streams.meta.events.register("provide-client-params.dynamodbstreams.DescribeStream", record)
    streams.meta.events.register("after-call.dynamodbstreams.DescribeStream", page_once)
    _desc, shards = list_shards(streams, arn)
    assert len(sent) == 2 and sent[1]["ExclusiveStartShardId"] == shards[0]["ShardId"]
    assert len(shards) == 1  # the same shard twice is listed once


def test_sibling_clients_use_the_emulator_endpoint_but_not_an_aws_one(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODBSTREAMS", raising=False)
    local = Connection(endpoint_url="http://127.0.0.1:8000", region="eu-west-1")
    assert streams_client(local).meta.endpoint_url == "http://127.0.0.1:8000"
    aws = Connection(endpoint_url="https://dynamodb.eu-west-1.amazonaws.com", region="eu-west-1")
    assert streams_client(aws).meta.endpoint_url == "https://streams.dynamodb.eu-west-1.amazonaws.com"
    assert service_client(local, "application-autoscaling").meta.region_name == "eu-west-1"


# --------------------------------------------------------------------------------------------- pure


def shard(sid, parent=None, closed=False):
    s = {"ShardId": sid, "SequenceNumberRange": {"StartingSequenceNumber": "1"}}
    if parent:
        s["ParentShardId"] = parent
    if closed:
        s["SequenceNumberRange"]["EndingSequenceNumber"] = "9"
    return s


def test_tracker_from_now_skips_closed_shards_and_starts_open_ones_at_latest():
    t = ShardTracker(from_start=False)
    t.update([shard("s1", closed=True), shard("s2", parent="s1"), shard("s3", parent="s1")])
    assert t.readable() == ["s2", "s3"]
    assert t.start_position("s2") == "LATEST"


def test_tracker_from_start_reads_parents_before_children():
    t = ShardTracker(from_start=True)
    t.update([shard("s1", closed=True), shard("s2", parent="s1")])
    assert t.readable() == ["s1"]
    assert t.start_position("s1") == "TRIM_HORIZON"
    t.drain("s1")
    assert t.readable() == ["s2"]


def test_tracker_reads_shards_born_after_the_start_from_their_beginning():
    t = ShardTracker(from_start=False)
    t.update([shard("s1")])
    assert t.readable() == ["s1"]
    # the shard splits: s1 closes, two children appear
    assert t.update([shard("s1", closed=True), shard("s2", "s1"), shard("s3", "s1")]) == ["s2", "s3"]
    assert t.readable() == ["s1"]  # children wait until the parent is drained
    t.drain("s1")
    assert t.readable() == ["s2", "s3"]
    assert t.start_position("s2") == "TRIM_HORIZON"


def test_tracker_lets_children_go_when_the_parent_expired():
    t = ShardTracker(from_start=True)
    t.update([shard("child", parent="gone")])  # the parent is older than 24 hours: not listed
    assert t.readable() == ["child"]


def test_image_diff_uses_dynamodb_equality():
    old = {"a": {"N": "5"}, "s": {"SS": ["x", "y"]}, "gone": {"S": "1"}, "c": {"S": "old"}}
    new = {"a": {"N": "5.0"}, "s": {"SS": ["y", "x"]}, "c": {"S": "new"}, "add": {"NULL": True}}
    d = image_diff(old, new)
    assert d.changed == ("c",) and d.added == ("add",) and d.removed == ("gone",)
    assert image_diff(None, {"a": {"S": "1"}}).added == ("a",)
