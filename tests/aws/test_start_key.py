"""--start-key chains: reading a table N pages at a time, each run going on from the note of the last one,
gives every item exactly once — on both engines, for query (incl. an index), scan, and PartiQL."""

from __future__ import annotations

import pytest

from ddbtui.cli import main
from ddbtui.core.values import parse_plain_json
from tests.aws.test_faults import start_key_from
from tests.conftest import create_table


@pytest.fixture(params=["moto", "ddblocal"])
def engine(request):
    server = request.getfixturevalue(f"{request.param}_server")
    client = request.getfixturevalue(f"{request.param}_client")
    return request.param, server.endpoint_url, client


@pytest.fixture
def numbered(engine, table_name):
    """47 items: pk P (numbers sort key) with a GSI on g; binary and 38-digit values ride along."""
    _name, _url, client = engine
    create_table(client, table_name, sk=("n", "N"), gsis=[("byg", ("g", "S"), ("n", "N"), "ALL")])
    for i in range(47):
        client.put_item(
            TableName=table_name,
            Item={
                "pk": {"S": "P"},
                "n": {"N": f"1234567890123456789012345678901234567{i % 10}" if i == 46 else str(i)},
                "g": {"S": "G"},
                "b": {"B": bytes([i])},
            },
        )
    return table_name


def chain(argv: list[str], capsys, limit_rounds: int = 30) -> tuple[list[dict], int]:
    items: list[dict] = []
    token = None
    for rounds in range(1, limit_rounds + 1):
        code = main([*argv, *(["--start-key", token] if token else [])])
        out, err = capsys.readouterr()
        assert code == 0, err
        items += [parse_plain_json(line) for line in out.splitlines()]
        if "--start-key" not in err:
            return items, rounds
        token = start_key_from(err)
    raise AssertionError("never finished")


@pytest.mark.parametrize(
    "op",
    [
        ["query", "--key", "pk = 'P'"],
        ["query", "--key", "pk = 'P'", "--desc"],
        ["query", "--index", "byg", "--key", "g = 'G'"],
        ["scan"],
        ["scan", "--filter", "n > 5"],
    ],
    ids=["query", "query-desc", "query-gsi", "scan", "scan-filter"],
)
def test_max_pages_chain_reads_everything_once(engine, numbered, capsys, op):
    _name, url, _client = engine
    argv = [op[0], numbered, *op[1:], "--page-size", "10", "--max-pages", "1", "--format", "jsonl"]
    items, rounds = chain([*argv, "--endpoint-url", url], capsys)
    keys = [it["n"] for it in items]
    want = 47 if "--filter" not in op else 41
    assert len(keys) == len(set(keys)) == want
    assert rounds >= 4  # it really went page by page


def test_limit_chain_reads_everything_once(engine, numbered, capsys):
    _name, url, _client = engine
    argv = [
        "query",
        numbered,
        "--key",
        "pk = 'P'",
        "--filter",
        'b <> b64"Aw=="',
        "--limit",
        "9",
        "--page-size",
        "7",
    ]
    items, rounds = chain([*argv, "--format", "jsonl", "--endpoint-url", url], capsys)
    keys = [it["n"] for it in items]
    assert len(keys) == len(set(keys)) == 46 and rounds >= 5


def test_partiql_next_token_chain(ddblocal_server, ddblocal_client, table_name, capsys):
    """DynamoDB Local pages ExecuteStatement with NextToken: the token goes round as a JSON string."""
    create_table(ddblocal_client, table_name)
    for i in range(23):
        ddblocal_client.put_item(TableName=table_name, Item={"pk": {"S": f"K{i:02d}"}, "sk": {"S": "s"}})
    argv = [
        "sql",
        f'SELECT * FROM "{table_name}"',
        "--page-size",
        "5",
        "--max-pages",
        "1",
        "--format",
        "jsonl",
    ]
    items, rounds = chain([*argv, "--endpoint-url", ddblocal_server.endpoint_url], capsys)
    keys = [it["pk"] for it in items]
    assert len(keys) == len(set(keys)) == 23 and rounds >= 5


def test_interrupt_while_a_page_is_written_resumes_from_that_page(engine, numbered, capsys, monkeypatch):
    """^C (or a broken pipe) while page 2 is being written: the note's key goes on from page 2 again, so
    its items are not lost — the two runs together hold every item exactly once."""
    from ddbtui.commands import read  # the read commands live here (#13)

    real = read.write_bytes
    calls = {"n": 0}

    def interrupted_on_second_page(data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real(data)

    monkeypatch.setattr(read, "write_bytes", interrupted_on_second_page)
    argv = [
        "scan",
        numbered,
        "--page-size",
        "10",
        "--format",
        "jsonl",
        "--endpoint-url",
        engine[1],
    ]
    assert main(argv) == 130
    out1, err1 = capsys.readouterr()
    assert len(out1.splitlines()) == 10 and "10 items · scanned 10 · 1 page" in err1
    monkeypatch.setattr(read, "write_bytes", real)
    assert main([*argv, "--start-key", start_key_from(err1)]) == 0
    out2, _ = capsys.readouterr()
    keys = [parse_plain_json(line)["n"] for line in (out1 + out2).splitlines()]
    assert len(keys) == len(set(keys)) == 47


def test_limit_cut_without_a_key_says_more_and_offers_no_wrong_key(engine, numbered, capsys):
    """A filtered, projected scan whose kept items carry no key: --limit cuts a page, so there is more —
    but no exact point to go on from; nothing claims the read finished, and no key past the cut is given."""
    import json

    argv = ["scan", numbered, "--project", "g", "--filter", "n > 2", "--limit", "2", "--endpoint-url"]
    assert main([*argv, engine[1], "--format", "json"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["count"] == 2 and doc["last_evaluated_key"] is None
    assert "more available" in err and "no resume point" in err and "--start-key" not in err


def test_partiql_limit_cut_is_not_called_the_end(ddblocal_server, ddblocal_client, table_name, capsys):
    create_table(ddblocal_client, table_name)
    for i in range(5):
        ddblocal_client.put_item(TableName=table_name, Item={"pk": {"S": f"K{i}"}, "sk": {"S": "s"}})
    argv = ["sql", f'SELECT * FROM "{table_name}"', "--limit", "2", "--format", "jsonl"]
    assert main([*argv, "--endpoint-url", ddblocal_server.endpoint_url]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert "more available" in err and "no resume point" in err


def test_parallel_scan_stopped_by_max_pages_says_more_and_chains_exactly(moto_server, moto_client, capsys):
    """8 segments, 2 pages: whichever segment's page came last, the other segments are unread — more is
    available, and the --start-key chain reads every item once."""
    table = "start_key_spread"
    create_table(moto_client, table)
    for i in range(60):
        moto_client.put_item(TableName=table, Item={"pk": {"S": f"P{i:03d}"}, "sk": {"S": "0"}})
    argv = ["scan", table, "--segments", "8", "--page-size", "50", "--max-pages", "2", "--format", "jsonl"]
    items, rounds = chain([*argv, "--endpoint-url", moto_server.endpoint_url], capsys)
    keys = [it["pk"] for it in items]
    assert len(keys) == len(set(keys)) == 60 and rounds >= 2
