"""Faults × operations: every read and write either completes with each item exactly once or stops with a
clear error and a state it can resume from — never a silent gap or a duplicate.

Faults come from tests/faults.py (botocore before-send hooks, or a loopback proxy in front of moto for a
real connection reset and slow answers). Transient faults (two failed sends) must be absorbed by
botocore's standard retries; persistent ones must surface as one readable error, and resuming from the
recorded key after the fault clears must give exactly the table's contents.
"""

from __future__ import annotations

import threading
import time

import botocore.exceptions
import pytest

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.errors import describe_aws_error
from ddbtui.aws.export import ExportSpec, ExportState, run_export
from ddbtui.aws.runner import PageRunner
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import BatchWriteError, BatchWriter
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.values import parse_plain_json
from ddbtui.core.writes import WritePolicy
from tests import faults
from tests.conftest import create_table

N_ITEMS = 120
PAGE = 20  # six pages: faults land mid-run

TRANSIENT = {
    "throttled": faults.THROTTLED,
    "throttling": faults.THROTTLING,
    "http500": faults.HTTP_500,
    "http503": faults.HTTP_503,
    "reset": faults.connection_reset,
}
PERSISTENT = {
    **TRANSIENT,
    "expired-token": faults.EXPIRED,
    "access-denied": faults.DENIED,
}


def fresh_client(endpoint: str, **kw) -> object:
    """A client of its own: hooks and the retry quota of one test touch no other."""
    return make_client(Connection(endpoint_url=endpoint, region="us-east-1", **kw))


@pytest.fixture(scope="module")
def table(moto_server):
    """One partition of N_ITEMS items (a Query pages through all of them) plus a second partition."""
    client = fresh_client(moto_server.endpoint_url)
    name = "faults_read"
    create_table(client, name)
    with client_batch(client, name) as w:
        for i in range(N_ITEMS):
            w.put({"pk": {"S": "P"}, "sk": {"S": f"{i:04d}"}, "n": {"N": str(i)}})
        w.put({"pk": {"S": "Q"}, "sk": {"S": "0"}})
    return name


def client_batch(client, table) -> BatchWriter:
    return BatchWriter(client, load_schema(client, table), policy=WritePolicy(True))


EXPECTED_QUERY = {("P", f"{i:04d}") for i in range(N_ITEMS)}
EXPECTED_SCAN = EXPECTED_QUERY | {("Q", "0")}


def keys(items) -> list[tuple[str, str]]:
    return [(it["pk"]["S"], it["sk"]["S"]) for it in items]


def read_pages(client, table, op: str, start=None, segments: int = 1):
    """Run a Scan or Query through PageRunner; return (keys read, runner, error or None)."""
    req = ReadRequest(
        operation=op,
        table=table,
        key="pk = 'P'" if op == "query" else None,
        page_size=PAGE,
        segments=segments,
    )
    runner = PageRunner(client, build(req, load_schema(client, table)), start=start)
    got: list[tuple[str, str]] = []
    try:
        for page in runner.pages():
            got += keys(page.items)
    except Exception as e:  # noqa: BLE001 - the test inspects it
        return got, runner, e
    return got, runner, None


def assert_exact(got, expected) -> None:
    assert len(got) == len(set(got)), "duplicates"
    assert set(got) == expected, f"missing {len(expected - set(got))}, extra {len(set(got) - expected)}"


# --------------------------------------------------------------------------------------------- reads


@pytest.mark.parametrize("fault", list(TRANSIENT), ids=list(TRANSIENT))
@pytest.mark.parametrize("op", ["scan", "query"])
def test_transient_fault_is_retried_and_the_read_is_exact(moto_server, table, op, fault):
    client = fresh_client(moto_server.endpoint_url)
    hook = faults.inject(client, op.capitalize(), TRANSIENT[fault], nth=3, times=2)
    got, _runner, error = read_pages(client, table, op)
    assert error is None
    assert hook.hits == 2
    assert_exact(got, EXPECTED_SCAN if op == "scan" else EXPECTED_QUERY)


@pytest.mark.parametrize("fault", list(PERSISTENT), ids=list(PERSISTENT))
@pytest.mark.parametrize("op", ["scan", "query"])
def test_persistent_fault_stops_clearly_and_resume_is_exact(moto_server, table, op, fault):
    # max_attempts=1: one retry, so a persistent fault gives up in about a second, not fifteen
    client = fresh_client(moto_server.endpoint_url, max_attempts=1)
    hook = faults.inject(client, op.capitalize(), PERSISTENT[fault], nth=3)
    got, runner, error = read_pages(client, table, op)
    assert error is not None
    message = describe_aws_error(error)
    assert message and "Traceback" not in message
    assert 0 < len(got) < N_ITEMS
    hook.remove()
    rest, _r2, error2 = read_pages(client, table, op, start=runner.state.resume)
    assert error2 is None
    assert_exact(got + rest, EXPECTED_SCAN if op == "scan" else EXPECTED_QUERY)


def test_access_denied_on_one_table_leaves_the_others_readable(moto_server, table):
    client = fresh_client(moto_server.endpoint_url)
    other = create_table(client, "faults_other", sk=None)
    client.put_item(TableName=other, Item={"pk": {"S": "x"}})
    faults.inject(client, "Scan", faults.DENIED, on=faults.on_table(other))
    _got, _runner, error = read_pages(client, other, "scan")
    assert isinstance(error, botocore.exceptions.ClientError)
    assert describe_aws_error(error).startswith("AccessDeniedException: ")
    got, _runner, error = read_pages(client, table, "scan")
    assert error is None
    assert_exact(got, EXPECTED_SCAN)


@pytest.mark.parametrize("kind", ["reset", "status503", "slow"])
@pytest.mark.parametrize("op", ["scan", "query"])
def test_real_connection_faults_through_a_proxy_are_retried_exactly(moto_server, table, op, kind):
    rule = {
        "reset": faults.ProxyRule("reset", after_bytes=300),  # headers and part of the JSON, then RST
        "status503": faults.ProxyRule("status", status=503),
        "slow": faults.ProxyRule("delay", delay=0.5),
    }[kind]
    target = op.capitalize()
    plan = faults.on_requests({2, 3}, rule, target=target)
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        client = fresh_client(proxy.url, read_timeout=5)
        got, _runner, error = read_pages(client, table, op)
    assert error is None
    assert [k for _n, t, k in proxy.log if t == target].count(rule.kind) == 2
    assert_exact(got, EXPECTED_SCAN if op == "scan" else EXPECTED_QUERY)


def test_parallel_scan_failure_resume_has_no_gap(moto_server):
    client = fresh_client(moto_server.endpoint_url, max_attempts=1)
    table = "faults_spread"  # moto splits segments by partition key: 120 partitions, about 40 per segment
    create_table(client, table)
    with client_batch(client, table) as w:
        for i in range(N_ITEMS):
            w.put({"pk": {"S": f"P{i:03d}"}, "sk": {"S": "0"}})
    expected = {(f"P{i:03d}", "0") for i in range(N_ITEMS)}

    def segment0_after_first(_n, request):
        return b'"Segment": 0' in request.body and b"ExclusiveStartKey" in request.body

    faults.inject(client, "Scan", faults.DENIED, on=segment0_after_first)
    req = ReadRequest(operation="scan", table=table, page_size=5, segments=3)
    runner = PageRunner(client, build(req, load_schema(client, table)))
    got: list[tuple[str, str]] = []
    with pytest.raises(botocore.exceptions.ClientError):
        for page in runner.pages():
            got += keys(page.items)
            time.sleep(0.2)  # a slow consumer (a UI, a pipe): the other segments fill the queue
    clean = fresh_client(moto_server.endpoint_url)
    rest, _r, error = read_pages(clean, table, "scan", start=runner.state.resume, segments=3)
    assert error is None
    assert_exact(got + rest, expected)


def test_cli_scan_stopped_by_an_error_says_so_and_how_far_it_got(moto_server, table, capsys):
    """`ddbtui scan` streams JSON Lines as pages come: an AccessDenied on the 3rd page exits 3 with one
    line after exactly the items of the first two pages — nothing half-written, nothing repeated."""
    from ddbtui.cli import main

    plan = faults.on_requests({3}, faults.ProxyRule.aws_error("AccessDeniedException"), target="Scan")
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = main(
            ["scan", table, "--page-size", str(PAGE), "--format", "jsonl", "--endpoint-url", proxy.url]
        )
    out, err = capsys.readouterr()
    assert code == 3
    assert err.strip().splitlines()[-1].startswith("ddbtui: AccessDeniedException: injected (Scan)")
    got = [(it["pk"], it["sk"]) for it in map(parse_plain_json, out.splitlines())]
    assert len(got) == len(set(got)) == 2 * PAGE


def start_key_from(err: str) -> str:
    """The --start-key value of the note a stopped or unfinished read prints on stderr."""
    import shlex

    notes = [line for line in err.splitlines() if "--start-key" in line]
    assert len(notes) == 1, err
    return shlex.split(notes[0].split("--start-key", 1)[1])[0]


@pytest.mark.parametrize(
    "op, extra, expected",
    [
        ("scan", [], EXPECTED_SCAN),
        ("query", ["--key", "pk = 'P'"], EXPECTED_QUERY),
        ("query", ["--key", "pk = 'P'", "--desc"], EXPECTED_QUERY),
    ],
    ids=["scan", "query", "query-desc"],
)
def test_cli_read_stopped_by_an_error_resumes_with_start_key(moto_server, table, capsys, op, extra, expected):
    """An error on the 3rd page: stderr names a --start-key; running again with it (fault gone) gives the
    rest — both runs together hold every item exactly once."""
    from ddbtui.cli import main

    target = op.capitalize()
    plan = faults.on_requests({3}, faults.ProxyRule.aws_error("AccessDeniedException"), target=target)
    base = [op, table, *extra, "--page-size", str(PAGE), "--format", "jsonl"]
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        assert main([*base, "--endpoint-url", proxy.url]) == 3
    out1, err1 = capsys.readouterr()
    assert f"{N_ITEMS - 2 * PAGE:04d}" in err1 or f"{(2 * PAGE) - 1:04d}" in err1  # the last key written
    token = start_key_from(err1)
    assert main([*base, "--endpoint-url", moto_server.endpoint_url, "--start-key", token]) == 0
    out2, err2 = capsys.readouterr()
    assert "--start-key" not in err2  # read to the end: nothing left to resume
    got = [(it["pk"], it["sk"]) for it in map(parse_plain_json, (out1 + out2).splitlines())]
    assert len(got) == 2 * PAGE + (len(expected) - 2 * PAGE)
    assert_exact(got, expected)


def test_cli_parallel_scan_stopped_by_an_error_resumes_every_segment(moto_server, capsys):
    from ddbtui.cli import main

    client = fresh_client(moto_server.endpoint_url)
    table = "faults_cli_spread"
    create_table(client, table)
    with client_batch(client, table) as w:
        for i in range(N_ITEMS):
            w.put({"pk": {"S": f"P{i:03d}"}, "sk": {"S": "0"}})
    expected = {(f"P{i:03d}", "0") for i in range(N_ITEMS)}
    plan = faults.on_requests({4}, faults.ProxyRule.aws_error("AccessDeniedException"), target="Scan")
    base = ["scan", table, "--page-size", "7", "--segments", "3", "--format", "jsonl"]
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        assert main([*base, "--endpoint-url", proxy.url, "--max-attempts", "1"]) == 3
    out1, err1 = capsys.readouterr()
    token = start_key_from(err1)
    assert '"total_segments": 3' in token
    # the token is for 3 segments: anything else is refused before a request
    assert (
        main([*base[:-4], "--format", "jsonl", "--start-key", token, "--endpoint-url", "http://127.0.0.1:9"])
        == 2
    )
    assert "--segments 3" in capsys.readouterr().err
    assert main([*base, "--endpoint-url", moto_server.endpoint_url, "--start-key", token]) == 0
    out2, _err2 = capsys.readouterr()
    got = [(it["pk"], it["sk"]) for it in map(parse_plain_json, (out1 + out2).splitlines())]
    assert_exact(got, expected)


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_cli_limit_with_a_filter_goes_on_exactly_where_it_stopped(moto_server, table, capsys, fmt):
    """--limit cuts a filtered page in the middle: the page's own LastEvaluatedKey lies past the items cut
    off, so the --start-key printed (and json's last_evaluated_key) is the last item kept. Reading 7 at
    a time to the end gives every matching item once."""
    import json

    from ddbtui.cli import main

    matching = {("P", f"{i:04d}") for i in range(N_ITEMS) if i % 3 == 0}
    got: list[tuple[str, str]] = []
    token = None
    for _round in range(20):
        argv = [
            "query",
            table,
            "--key",
            "pk = 'P'",
            "--filter",
            "n IN (" + ", ".join(str(i) for i in range(0, N_ITEMS, 3)) + ")",
        ]
        argv += [
            "--limit",
            "7",
            "--page-size",
            "25",
            "--format",
            fmt,
            "--endpoint-url",
            moto_server.endpoint_url,
        ]
        if token:
            argv += ["--start-key", token]
        assert main(argv) == 0
        out, err = capsys.readouterr()
        if fmt == "json":
            doc = json.loads(out)
            items = doc["items"]
            if doc["last_evaluated_key"] is not None:  # the last item kept, not the cut page's end
                assert doc["last_evaluated_key"] == {"pk": items[-1]["pk"], "sk": items[-1]["sk"]}
        else:
            items = [parse_plain_json(line) for line in out.splitlines()]
        got += [(it["pk"], it["sk"]) for it in items]
        if "--start-key" not in err:
            break
        token = start_key_from(err)
    assert_exact(got, matching)


def test_start_key_is_checked_before_any_request(moto_server, table, capsys):
    from ddbtui.cli import main

    for bad, message in [
        ("{not json", "bad --start-key JSON"),
        ('{"pk": {"S": "P"}}', "must name exactly pk, sk"),
        ('{"pk": "P", "sk": "1"}', "DynamoDB JSON"),
        ('"a-token"', "DynamoDB JSON"),
    ]:
        code = main(["scan", table, "--start-key", bad, "--endpoint-url", moto_server.endpoint_url])
        err = capsys.readouterr().err
        assert code == 2, (bad, err)
        assert message in err, (bad, err)


# --------------------------------------------------------------------------------------------- export


def export_lines(path) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            item = parse_plain_json(line)
            out.append((item["pk"], item["sk"]))
    return out


@pytest.mark.parametrize("segments", [1, 3])
@pytest.mark.parametrize("fault", list(TRANSIENT), ids=list(TRANSIENT))
def test_export_absorbs_transient_faults(moto_server, table, tmp_path, fault, segments):
    client = fresh_client(moto_server.endpoint_url)
    faults.inject(client, "Scan", TRANSIENT[fault], nth=3, times=1)
    out = tmp_path / "e.jsonl"
    r = run_export(client, ExportSpec(table, str(out), segments=segments, page_size=PAGE))
    assert r.complete
    assert_exact(export_lines(out), EXPECTED_SCAN)


@pytest.mark.parametrize("segments", [1, 3])
@pytest.mark.parametrize("fault", list(PERSISTENT), ids=list(PERSISTENT))
def test_export_stops_on_a_persistent_fault_and_resumes_exactly(
    moto_server, table, tmp_path, fault, segments
):
    client = fresh_client(moto_server.endpoint_url, max_attempts=1)
    hook = faults.inject(client, "Scan", PERSISTENT[fault], nth=4)
    out = tmp_path / "e.jsonl"
    spec = ExportSpec(table, str(out), segments=segments, page_size=PAGE)
    with pytest.raises((botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)) as info:
        run_export(client, spec)
    assert describe_aws_error(info.value)
    state = ExportState.load(spec.state_path)
    assert 0 < state.committed_lines < len(EXPECTED_SCAN)
    hook.remove()
    r = run_export(client, spec, resume=True)
    assert r.complete and not spec.state_path.exists()
    assert_exact(export_lines(out), EXPECTED_SCAN)


def test_cli_export_resume_after_a_reset_mid_response(moto_server, table, tmp_path, capsys):
    """The command line end to end: a proxy resets every Scan from the 3rd on; `export` exits 3 with one
    line; `export --resume` through a healthy endpoint finishes with every item once."""
    from ddbtui.cli import main

    out = tmp_path / "cli.jsonl"
    plan = lambda n, t: faults.ProxyRule("reset") if t == "Scan" and n >= 3 else faults.ProxyRule("pass")  # noqa: E731
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = main(
            ["export", table, "--out", str(out), "--page-size", str(PAGE), "--endpoint-url", proxy.url]
        )
    err = capsys.readouterr().err
    assert code == 3
    assert "ddbtui:" in err and "Traceback" not in err and "--resume" in err
    code = main(["export", table, "--out", str(out), "--resume", "--endpoint-url", moto_server.endpoint_url])
    assert code == 0
    assert_exact(export_lines(out), EXPECTED_SCAN)


# --------------------------------------------------------------------------------------------- batches


def table_keys(client, name) -> list[tuple[str, str]]:
    got = []
    for page in client.get_paginator("scan").paginate(TableName=name):
        got += keys(page["Items"])
    return got


def write_batch(client, name, n=60) -> BatchWriter:
    w = BatchWriter(client, load_schema(client, name), policy=WritePolicy(True), sleep=lambda _s: None)
    for i in range(n):
        w.put({"pk": {"S": "W"}, "sk": {"S": f"{i:04d}"}})
    return w


@pytest.mark.parametrize("fault", list(TRANSIENT), ids=list(TRANSIENT))
def test_batch_write_absorbs_transient_faults(moto_server, table_name, fault):
    client = fresh_client(moto_server.endpoint_url)
    create_table(client, table_name)
    faults.inject(client, "BatchWriteItem", TRANSIENT[fault], nth=2, times=2)
    result = write_batch(client, table_name).close()
    assert result.ok and result.written == 60
    assert_exact(table_keys(client, table_name), {("W", f"{i:04d}") for i in range(60)})


@pytest.mark.parametrize("fault", ["throttled", "throttling"])
def test_batch_write_outlasting_retries_lists_every_unwritten_item(moto_server, table_name, fault):
    client = fresh_client(moto_server.endpoint_url, max_attempts=1)
    create_table(client, table_name)
    faults.inject(client, "BatchWriteItem", TRANSIENT[fault], nth=2)
    w = BatchWriter(
        client, load_schema(client, table_name), policy=WritePolicy(True), max_attempts=2, sleep=lambda _s: 0
    )
    for i in range(60):
        w.put({"pk": {"S": "W"}, "sk": {"S": f"{i:04d}"}})
    result = w.close()
    written = set(table_keys(client, table_name))
    failed = {(f.key["pk"]["S"], f.key["sk"]["S"]) for f in result.failed}
    assert not result.ok and result.written == len(written) == 25
    assert not written & failed  # what failed is exactly what is missing: a rerun of `failed` completes
    assert written | failed == {("W", f"{i:04d}") for i in range(60)}


@pytest.mark.parametrize("fault", ["http500", "reset", "expired-token", "access-denied"])
def test_batch_write_stops_on_a_persistent_error_and_says_what_was_written(moto_server, table_name, fault):
    client = fresh_client(moto_server.endpoint_url, max_attempts=1)
    create_table(client, table_name)
    faults.inject(client, "BatchWriteItem", PERSISTENT[fault], nth=2)
    w = BatchWriter(client, load_schema(client, table_name), policy=WritePolicy(True), sleep=lambda _s: 0)
    with pytest.raises(BatchWriteError) as info:
        for i in range(60):
            w.put({"pk": {"S": "W"}, "sk": {"S": f"{i:04d}"}})
        w.close()
    assert str(info.value) and "Traceback" not in str(info.value)
    result = info.value.result
    written = set(table_keys(client, table_name))
    failed = {(f.key["pk"]["S"], f.key["sk"]["S"]) for f in result.failed}
    assert result.written == len(written) == 25  # the first group; the second is the failing one
    assert len(failed) == 25 and not written & failed  # named, so a rerun of them completes the write
    assert result.total == 50  # the rest were never handed over: the caller's loop stopped at the error


def test_slow_server_with_a_short_read_timeout_is_retried(moto_server, table):
    plan = faults.on_requests({1}, faults.ProxyRule("delay", delay=1.5), target="Scan")
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        client = fresh_client(proxy.url, read_timeout=0.5)
        got, _runner, error = read_pages(client, table, "scan")
    assert error is None
    assert_exact(got, EXPECTED_SCAN)


def test_hooks_are_thread_safe_under_parallel_scan(moto_server, table):
    client = fresh_client(moto_server.endpoint_url)
    hook = faults.inject(client, "Scan", faults.THROTTLED, on=lambda n, _r: n % 4 == 0)
    got, _runner, error = read_pages(client, table, "scan", segments=4)
    assert error is None and hook.hits > 0
    assert_exact(got, EXPECTED_SCAN)
    assert threading.active_count() < 50
