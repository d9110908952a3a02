"""Hostile data through every output of the command line (run in-process against moto).

JSON outputs must be exact (parsed back, they equal the items); table, CSV and text outputs must show the
data literally with no raw ESC, C0, C1 or bidi character; and nothing may raise.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from decimal import Decimal

import pytest

from ddbtui.cli import main
from ddbtui.core.values import ddb_json_to_av, item_to_plain_json
from tests import hostile
from tests.conftest import create_table, table_names

csv.field_size_limit(10_000_000)  # the 400 KB value is one field

TABLE = "hostile_cli"


@pytest.fixture(scope="module")
def endpoint(moto_server, moto_client):
    if TABLE not in table_names(moto_client):
        create_table(moto_client, TABLE, sk=None)
        moto_client.update_table(
            TableName=TABLE,
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        for item in hostile.items():
            moto_client.put_item(TableName=TABLE, Item=item)
    return moto_server.endpoint_url


def cli(capsys, endpoint, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--endpoint-url", endpoint])
    out, err = capsys.readouterr()
    return code, out, err


def by_pk(items: list) -> dict:
    return {it["pk"]: it for it in items}


def plain(item: dict) -> dict:
    return json.loads(item_to_plain_json(item), parse_float=Decimal, parse_int=Decimal)


EXPECTED = {it["pk"]["S"]: plain(it) for it in hostile.items()}


def assert_terminal_safe(text: str) -> None:
    assert not hostile.unsafe_in(text), hostile.unsafe_in(text)


def test_jsonl_is_exact(capsys, endpoint):
    code, out, err = cli(capsys, endpoint, "scan", TABLE, "--format", "jsonl")
    assert code == 0, err
    got = by_pk([json.loads(line, parse_float=Decimal, parse_int=Decimal) for line in out.splitlines()])
    assert got == EXPECTED
    assert_terminal_safe(err)


def test_json_document_is_exact(capsys, endpoint):
    code, out, err = cli(capsys, endpoint, "scan", TABLE, "--format", "json")
    assert code == 0, err
    doc = json.loads(out, parse_float=Decimal, parse_int=Decimal)
    assert by_pk(doc["items"]) == EXPECTED
    assert doc["count"] == len(EXPECTED)


def test_ddb_json_is_exact(capsys, endpoint):
    code, out, err = cli(capsys, endpoint, "scan", TABLE, "--format", "ddb-json")
    assert code == 0, err
    got = {}
    for line in out.splitlines():
        item = {k: ddb_json_to_av(v) for k, v in json.loads(line).items()}
        got[item["pk"]["S"]] = item
    for original in hostile.items():
        back = got[original["pk"]["S"]]
        assert plain(back) == plain(original)
        if "b" in original:
            assert back["b"]["B"] == original["b"]["B"]


def test_get_of_a_hostile_key_is_exact(capsys, endpoint):
    key = json.dumps({"pk": hostile.ANSI + hostile.MARKUP})
    code, out, err = cli(capsys, endpoint, "get", TABLE, "--key", key, "--format", "jsonl")
    assert code == 0, err
    assert json.loads(out) == EXPECTED[hostile.ANSI + hostile.MARKUP]


def test_table_shows_everything_literally_and_safely(capsys, endpoint, monkeypatch):
    monkeypatch.setenv("COLUMNS", "3000")  # forty columns: room to show each
    code, out, err = cli(capsys, endpoint, "scan", TABLE, "--format", "table")
    assert code == 0, err
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    assert hostile.CLOSING in out and "[@click" in out  # markup shown, not parsed
    assert "\\e[2J" in out  # ESC made visible
    assert hostile.HUGE_NUMBER in out


def test_csv_off_a_terminal_keeps_every_value_exact(capsys, endpoint):
    """#21 item 9: CSV into a file or a pipe is lossless (CSV quoting carries any text; ESC and a literal
    backslash-e stay different). On a terminal the escaped form is shown instead: see
    tests/cli/test_cli_export_targets.py::test_scan_csv_on_a_terminal_shows_the_escape_not_the_byte."""
    code, out, err = cli(capsys, endpoint, "scan", TABLE, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == len(EXPECTED)
    numbers = next(r for r in rows if r["pk"] == "f-numbers")
    assert numbers["huge"] == hostile.HUGE_NUMBER and numbers["tiny"] == hostile.TINY_NUMBER
    binary = next(r for r in rows if r["pk"] == "d-binary")
    assert base64.b64decode(binary["b"]) == hostile.BINARY
    strings = next(r for r in rows if r["pk"] == "a-strings")
    assert strings["markup"] == hostile.MARKUP
    assert strings["ansi"] == hostile.ANSI  # the bytes themselves: a file keeps what the table holds
    assert strings["c0"] == hostile.C0  # NUL, BEL, CR... exact (csv quotes them)
    assert_terminal_safe(err)


def test_describe_in_every_format(capsys, endpoint):
    for fmt in ("table", "json", "jsonl", "csv"):
        code, out, err = cli(capsys, endpoint, "describe", TABLE, "--format", fmt)
        assert code == 0, err
        assert_terminal_safe(out + err)


def test_explain_with_hostile_names_and_values(capsys, endpoint):
    names = json.dumps({"#a": hostile.OSC52, "#b": hostile.MARKUP})
    values = json.dumps({":v": hostile.ANSI + hostile.BIDI})
    code, out, err = cli(
        capsys, endpoint, "explain", TABLE, "--filter", "#a = :v AND attribute_exists(#b)",
        "--names", names, "--values", values,
    )  # fmt: skip
    assert code == 0, err  # hostile names and values are data: the request is valid and explained
    assert f"Scan of table {TABLE}" in out and "Filter" in out
    assert_terminal_safe(out + err)


def test_report_markdown_and_json(capsys, endpoint):
    code, out, err = cli(capsys, endpoint, "report", TABLE, "--sample", "50")
    assert code == 0, err
    assert_terminal_safe(out + err)
    code, out, err = cli(capsys, endpoint, "report", TABLE, "--sample", "50", "--format", "json")
    assert code == 0, err
    json.loads(out)


def test_stream_text_and_jsonl(capsys, endpoint):
    n = len(hostile.items())
    common = [
        "stream",
        TABLE,
        "--from-start",
        "--max-records",
        str(n),
        "--idle-timeout",
        "3",
        "--poll",
        "0.1",
    ]
    code, out, err = cli(capsys, endpoint, *common, "--format", "text")
    assert code == 0, err
    assert_terminal_safe(out + err)
    assert len(out.splitlines()) >= n
    code, out, err = cli(capsys, endpoint, *common, "--format", "jsonl")
    assert code == 0, err
    assert len([json.loads(line) for line in out.splitlines()]) == n


@pytest.mark.parametrize("bad", [hostile.ANSI, hostile.OSC52, hostile.C1 + hostile.BIDI, hostile.MARKUP])
def test_errors_naming_hostile_input_are_safe(capsys, endpoint, bad):
    # table names with escapes: the server's (or our) error quotes them back
    for args in (["describe", bad], ["scan", bad], ["query", TABLE, "--key", f"pk = '{bad}' AND"]):
        code, out, err = cli(capsys, endpoint, *args)
        assert code in (2, 3), (args, err)
        assert_terminal_safe(out + err)
        assert "Traceback" not in err


def test_csv_export_of_a_value_with_a_carriage_return_reads_back_row_for_row(capsys, endpoint, tmp_path):
    out = tmp_path / "h.csv"
    code, _out, err = cli(capsys, endpoint, "export", TABLE, "--out", str(out), "--format", "csv")
    assert code == 0, err
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(EXPECTED)
    assert next(r for r in rows if r["pk"] == "a-strings")["c0"] == hostile.C0
