"""The lean read path (ddbtui.aws.fastpath) writes the same bytes as botocore's, and fails the same way."""

from __future__ import annotations

import base64
import json

import botocore.exceptions
import pytest

from ddbtui.aws import demo_data, fastpath
from ddbtui.aws.export import ExportSpec, run_export
from ddbtui.aws.runner import PageRunner
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import item_to_ddb_json, item_to_plain_json
from tests import hostile
from tests.conftest import create_table
from tests.faults import THROTTLED, inject

BIG = "12345678901234567890123456789012345678"  # 38 significant digits


def corpus() -> list[dict]:
    """Hostile strings and names, binary and its sets, 38-digit numbers, unicode, every type, deep maps."""
    items = hostile.items()
    items += [
        {
            "pk": {"S": f"x-{i:03d}"},
            "n": {"N": BIG if i % 2 else "-0.0000000000000000000000000000000000001"},
            "e": {"N": "1E+125" if i % 3 == 0 else "9.9999999999999999999999999999999999999E+125"},
            "ns": {"NS": [BIG, "-" + BIG, "0.5", "1e-130"]},
            "b": {"B": bytes(range(i % 256)) + b"\x00\xff"},
            "bs": {"BS": [b"\x00", b"\xff\xfe" + bytes([i % 256]), b"z"]},
            "ss": {"SS": ["Ωmega", "émile", "😀 emoji", 'quote " and \\ backslash']},
            "u": {"S": "日本語 – \u2028 line sep \u0000 nul"},
            "l": {"L": [{"NULL": True}, {"BOOL": False}, {"M": {" ": {"S": ""}}}, {"L": []}]},
            "m": {"M": {"ключ": {"N": "0"}, "🔑": {"SS": ["a"]}}},
        }
        for i in range(40)
    ]
    return items


def to_raw(item: dict) -> dict:
    """An item as the raw JSON body carries it (binary as base64 text)."""
    return json.loads(item_to_ddb_json(item))


def test_plain_json_line_is_item_to_plain_json_for_parsed_and_raw_items():
    items = corpus() + list(demo_data.items("Music"))
    for item in items:
        expected = item_to_plain_json(item)
        assert fastpath.plain_json_line(item) == expected
        assert fastpath.plain_json_line(to_raw(item)) == expected
        assert item_to_plain_json(to_raw(item)) == expected
    joined = fastpath.plain_json_lines([to_raw(i) for i in items])
    assert joined == "".join(item_to_plain_json(i) + "\n" for i in items).encode("utf-8", "surrogatepass")


def test_key_from_raw_gives_binary_keys_back_as_bytes():
    raw = {"pk": {"S": "a"}, "sk": {"B": base64.b64encode(b"\x00\xff").decode()}}
    assert fastpath.key_from_raw(raw) == {"pk": {"S": "a"}, "sk": {"B": b"\x00\xff"}}
    assert fastpath.key_from_raw(None) is None


@pytest.fixture
def corpus_table(any_client, table_name):
    create_table(any_client, table_name, pk=("pk", "S"), sk=None)
    for item in corpus():
        any_client.put_item(TableName=table_name, Item=item)
    return any_client, table_name


@pytest.mark.parametrize("fmt", ["jsonl", "ddb-json", "csv"])
def test_fast_export_writes_the_same_bytes_as_the_botocore_path(corpus_table, tmp_path, fmt):
    client, table = corpus_table
    fast, plain = tmp_path / "fast.out", tmp_path / "plain.out"
    # a small page size: many pages, so LastEvaluatedKey goes round the fast path too
    r1 = run_export(client, ExportSpec(table, str(fast), fmt=fmt, page_size=7), fast=True)
    r2 = run_export(client, ExportSpec(table, str(plain), fmt=fmt, page_size=7), fast=False)
    assert r1.complete and r2.complete and r1.progress.pages > 3
    assert fast.read_bytes() == plain.read_bytes()
    assert r1.progress.items == r2.progress.items == len(corpus())
    assert r1.progress.capacity == r2.progress.capacity


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_cli_scan_output_is_the_plain_path_byte_for_byte(corpus_table, capsys, fmt):
    """`ddbtui scan` reads raw pages and writes them with the fast writers; the same items through
    botocore's parsing and the plain writers (json_document / item_to_plain_json) give the same bytes."""
    from ddbtui.cli import main
    from ddbtui.core.formats import json_document

    client, table = corpus_table
    url = client.meta.endpoint_url
    assert main(["scan", table, "--page-size", "3", "--format", fmt, "--endpoint-url", url]) == 0
    out = capsys.readouterr().out
    items = []
    for page in client.get_paginator("scan").paginate(TableName=table, Limit=3):
        items += page["Items"]
    if fmt == "jsonl":
        assert out == "".join(item_to_plain_json(it) + "\n" for it in items)
        return
    doc = json.loads(out)
    expected = json_document(
        items, doc["count"], doc["scanned_count"], doc["pages"], doc["consumed_capacity"], None
    )
    assert out == expected and doc["count"] == len(corpus())


def test_fast_export_in_segments_writes_the_same_lines(corpus_table, tmp_path):
    client, table = corpus_table
    fast, plain = tmp_path / "fast.jsonl", tmp_path / "plain.jsonl"
    run_export(client, ExportSpec(table, str(fast), segments=3, page_size=5), fast=True)
    run_export(client, ExportSpec(table, str(plain), page_size=5), fast=False)
    assert sorted(fast.read_bytes().splitlines()) == sorted(plain.read_bytes().splitlines())


def test_binary_sort_keys_page_through_the_fast_path(any_client, table_name, tmp_path):
    # LastEvaluatedKey holds binary: sent back as base64 text it would be encoded twice
    create_table(any_client, table_name, pk=("pk", "S"), sk=("sk", "B"))
    for i in range(30):
        any_client.put_item(
            TableName=table_name,
            Item={"pk": {"S": "p"}, "sk": {"B": bytes([i, 0xFF, 0])}, "v": {"N": str(i)}},
        )
    fast, plain = tmp_path / "fast.jsonl", tmp_path / "plain.jsonl"
    r = run_export(any_client, ExportSpec(table_name, str(fast), page_size=4), fast=True)
    run_export(any_client, ExportSpec(table_name, str(plain), page_size=4), fast=False)
    assert r.complete and r.progress.items == 30
    assert fast.read_bytes() == plain.read_bytes()


def _runner(client, table: str, raw: bool, **request) -> PageRunner:
    schema = TableSchema.from_describe(client.describe_table(TableName=table)["Table"])
    return PageRunner(client, build(ReadRequest("scan", table, **request), schema), schema, raw=raw)


def test_raw_pages_match_parsed_pages_and_do_not_leak_to_other_calls(corpus_table):
    client, table = corpus_table
    raw = list(_runner(client, table, True, page_size=9).pages())
    parsed = list(_runner(client, table, False, page_size=9).pages())
    assert [p.last_evaluated_key for p in raw] == [p.last_evaluated_key for p in parsed]
    assert [p.count for p in raw] == [p.count for p in parsed]
    assert [p.capacity(True) for p in raw] == [p.capacity(True) for p in parsed]
    assert [[item_to_plain_json(i) for i in p.items] for p in raw] == [
        [item_to_plain_json(i) for i in p.items] for p in parsed
    ]
    # the same client outside raw_responses() still gets botocore's items (binary as bytes)
    got = client.get_item(TableName=table, Key={"pk": {"S": "d-binary"}})["Item"]
    assert isinstance(got["b"]["B"], bytes)
    scanned = client.scan(TableName=table)["Items"]
    assert any(isinstance(i.get("b", {}).get("B"), bytes) for i in scanned)


@pytest.fixture
def throttle_client(moto_server, table_name):
    client = make_client(
        Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1", max_attempts=3)
    )
    create_table(client, table_name, pk=("pk", "S"), sk=None)
    for i in range(5):
        client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}, "b": {"B": b"\x01"}})
    return client


def _throttled_to_the_end(client, table: str, raw: bool) -> tuple:
    hook = inject(client, "Scan", THROTTLED)
    try:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            list(_runner(client, table, raw).pages())
    finally:
        hook.remove()
    err = e.value
    return (
        type(err).__name__,
        err.operation_name,
        err.response["Error"],
        err.response["ResponseMetadata"]["RetryAttempts"],
        hook.hits,
    )


@pytest.mark.parametrize("raw", [True, False], ids=["fast", "botocore"])
def test_throttling_is_retried_by_standard_retries(throttle_client, table_name, raw):
    # two throttled answers, then the real one: standard retries (3 attempts) get through
    hook = inject(throttle_client, "Scan", THROTTLED, times=2)
    pages = list(_runner(throttle_client, table_name, raw).pages())
    hook.remove()
    assert hook.hits == 2 and sum(len(p.items) for p in pages) == 5


def test_throttling_to_the_end_raises_the_same_client_error_on_both_paths(throttle_client, table_name):
    fast = _throttled_to_the_end(throttle_client, table_name, True)
    plain = _throttled_to_the_end(throttle_client, table_name, False)
    assert fast == plain
    name, op, error, retries, hits = fast
    assert op == "Scan" and error["Code"] == "ProvisionedThroughputExceededException"
    assert retries >= 1 and hits == retries + 1


def test_a_missing_table_raises_resource_not_found_on_both_paths(throttle_client, table_name):
    runners = [_runner(throttle_client, table_name, raw) for raw in (True, False)]
    throttle_client.delete_table(TableName=table_name)
    codes = []
    for runner in runners:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            list(runner.pages())
        codes.append((type(e.value), e.value.response["Error"]["Code"]))
    assert codes[0] == codes[1] and codes[0][1] == "ResourceNotFoundException"
