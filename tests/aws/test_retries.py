"""Retries are botocore's; ddbtui reports each one as it happens (the workbench shows them)."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ddbtui.aws.retries import RetryEvent, watch_retries
from ddbtui.aws.session import Connection, make_client
from tests import faults
from tests.conftest import create_table


@pytest.fixture(scope="module")
def table(moto_server):
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    create_table(client, "retries_seen")
    client.put_item(TableName="retries_seen", Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
    return "retries_seen"


def client_for(endpoint: str, **kw):
    return make_client(Connection(endpoint_url=endpoint, region="us-east-1", **kw))


@pytest.mark.parametrize(
    "fault, cause",
    [
        (faults.THROTTLED, "ProvisionedThroughputExceededException"),
        (faults.THROTTLING, "ThrottlingException"),
        (faults.HTTP_503, "HTTP 503"),
        (faults.connection_reset, "ConnectionClosedError"),
    ],
    ids=["throttled", "throttling", "http503", "reset"],
)
def test_each_retry_is_reported_with_its_cause(moto_server, table, fault, cause):
    client = client_for(moto_server.endpoint_url)
    seen: list[RetryEvent] = []
    watch_retries(client, seen.append)
    faults.inject(client, "Scan", fault, nth=1, times=2)
    resp = client.scan(TableName=table)
    assert resp["Count"] == 1  # absorbed: the third try worked
    assert [(e.operation, e.attempt, e.max_attempts) for e in seen] == [("Scan", 2, 5), ("Scan", 3, 5)]
    assert all(e.cause.startswith(cause.split()[0]) for e in seen), seen
    assert seen[0].describe() == f"retrying Scan: try 2 of 5 after {seen[0].cause}"


def test_no_report_without_a_retry_and_none_after_unwatch(moto_server, table):
    client = client_for(moto_server.endpoint_url, max_attempts=3)
    seen: list[RetryEvent] = []
    unwatch = watch_retries(client, seen.append)
    client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert seen == []
    faults.inject(client, "GetItem", faults.THROTTLING)  # every one from now on
    with pytest.raises(botocore.exceptions.ClientError):
        client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert [e.attempt for e in seen] == [2, 3]  # --max-attempts 3: two retries, then the error
    unwatch()
    seen.clear()
    with pytest.raises(botocore.exceptions.ClientError):
        client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert seen == []


def test_a_slow_proxy_timeout_is_reported(moto_server, table):
    plan = faults.on_requests({1}, faults.ProxyRule("hang"), target="Scan")
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        client = client_for(proxy.url, read_timeout=0.3)
        seen: list[RetryEvent] = []
        watch_retries(client, seen.append)
        assert client.scan(TableName=table)["Count"] == 1
    assert [(e.attempt, e.cause) for e in seen] == [(2, "ReadTimeoutError")]


def test_the_cli_notes_each_retry_on_stderr(moto_server, table, capsys):
    from ddbtui.cli import main

    plan = faults.on_requests({1, 2}, faults.ProxyRule("status", status=503), target="Scan")
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = main(["scan", table, "--format", "jsonl", "--endpoint-url", proxy.url])
    out, err = capsys.readouterr()
    assert code == 0 and len(out.splitlines()) == 1
    notes = [line for line in err.splitlines() if line.startswith("note: retrying")]
    assert notes == [
        "note: retrying Scan: try 2 of 5 after HTTP 503",
        "note: retrying Scan: try 3 of 5 after HTTP 503",
    ]
