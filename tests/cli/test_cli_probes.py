"""Hostile-user probes of #21 items 7 and 10: each was a traceback or a wrong message before, and is one
clear line with a documented exit status now. The installed ``ddbtui`` in a subprocess."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.cli.test_cli_read import DDBTUI, run
from tests.conftest import create_table


@pytest.mark.parametrize("url", ["notaurl", "http://", "http://h:abc", "ftp://host"])
def test_a_bad_endpoint_url_is_one_line_exit_2(url):
    for argv, env in (
        (["scan", "T", "--endpoint-url", url], None),
        (["tables"], {"AWS_ENDPOINT_URL_DYNAMODB": url}),
    ):
        r = run(*argv, env=env)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1
        assert f"the endpoint URL {url!r} is not a URL" in r.stderr


def test_stdout_closed_is_one_line_exit_2(moto_server, moto_client, table_name):
    create_table(moto_client, table_name)
    env = dict(os.environ, AWS_ACCESS_KEY_ID="t", AWS_SECRET_ACCESS_KEY="t", AWS_REGION="us-east-1")
    r = subprocess.run(
        [DDBTUI, "scan", table_name, "--endpoint-url", moto_server.endpoint_url, "--format", "jsonl"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=lambda: os.close(1),  # the child starts with fd 1 closed, as `ddbtui scan T >&-`
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "standard output is closed" in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_output_is_one_line_exit_1(moto_server, moto_client, table_name):
    create_table(moto_client, table_name)
    moto_client.put_item(TableName=table_name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
    env = dict(os.environ, AWS_ACCESS_KEY_ID="t", AWS_SECRET_ACCESS_KEY="t", AWS_REGION="us-east-1")
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [DDBTUI, "scan", table_name, "--endpoint-url", moto_server.endpoint_url, "--format", "jsonl"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "cannot write the output: No space left on device" in r.stderr


def test_limit_messages_say_what_is_accepted():
    r = run("scan", "T", "--limit", "-1", endpoint="http://127.0.0.1:9")
    assert r.returncode == 2 and "--limit: must be at least 1, got -1" in r.stderr
    r = run("sql", "SELEC * FROM T", endpoint="http://127.0.0.1:9")
    assert r.returncode == 2 and "a PartiQL read starts with SELECT, not 'SELEC'" in r.stderr
    assert "changes data" not in r.stderr
    r = run("sql", "UPDATE T SET a = 1 WHERE pk = 'x'", endpoint="http://127.0.0.1:9")
    assert r.returncode == 2 and "UPDATE changes data" in r.stderr


def test_a_huge_limit_is_not_sent_as_dynamodbs_limit(ddblocal_server, ddblocal_client, table_name):
    """--limit 2147483648 on DynamoDB Local: a Limit that large is not one DynamoDB takes; the per-request
    Limit is capped like --page-size, so the read answers at once (and in full)."""
    create_table(ddblocal_client, table_name)
    for i in range(3):
        ddblocal_client.put_item(TableName=table_name, Item={"pk": {"S": f"p{i}"}, "sk": {"S": "s"}})
    r = run(
        "scan", table_name, "--limit", "2147483648", "--max-attempts", "1", "--format", "jsonl",
        endpoint=ddblocal_server.endpoint_url,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 3 and "retrying" not in r.stderr


def test_a_server_error_message_reaches_the_terminal_escaped(moto_server, moto_client, table_name, capsys):
    """#21 item 8: an error text from the server with ESC sequences and a bidi override is printed with
    them escaped (the same safe-text function the workbench uses), on one line."""
    from ddbtui.cli import main
    from tests import faults

    create_table(moto_client, table_name)
    hostile = "bad \x1b[2J\x1b]0;pwned\x07 key \u202eevil\nsecond line"
    rule = faults.ProxyRule("status", status=400, error_code="ValidationException", message=hostile)
    with faults.FaultProxy(
        moto_server.endpoint_url, lambda _n, t: rule if t == "Scan" else faults.ProxyRule("pass")
    ) as proxy:
        code = main(["scan", table_name, "--endpoint-url", proxy.url, "--max-attempts", "1"])
    err = capsys.readouterr().err
    assert code == 3
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    line = err.strip().splitlines()[-1]
    assert (
        line == "ddbtui: ValidationException: bad \\e[2J\\e]0;pwned\\x07 key \\u202eevil\\nsecond line (Scan)"
    )


def test_an_item_naming_an_attribute_twice_is_refused_before_any_request():
    # the endpoint accepts nothing: a request would be exit 3, not 2
    r = run("put", "T", "--item", '{"pk": "a", "pk": "b"}', "--allow-writes", endpoint="http://127.0.0.1:9")
    assert r.returncode == 2 and "the name 'pk' appears twice in one object" in r.stderr


@pytest.mark.parametrize(
    ("segments", "words"),
    [
        ("1000001", "--segments is at most 1,000,000 (DynamoDB's limit on TotalSegments)"),
        ("6", "--segments 6 is more than the --sample of 5 items"),
    ],
)
def test_report_refuses_more_segments_than_dynamodb_or_the_sample_allows(segments, words):
    # found by the argv fuzzer: 1,000,001 segments made a thread pool of that size (memory, not a refusal)
    r = run("report", "T", "--sample", "5", "--segments", segments, endpoint="http://127.0.0.1:9")
    assert r.returncode == 2
    assert r.stderr.strip() == f"ddbtui: error: {words}"
    assert r.stdout == ""
