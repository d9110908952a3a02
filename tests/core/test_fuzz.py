"""Fuzzing every way user text gets in: update expressions, JSON items, PartiQL, the config file and the
command line. Only the project's own errors (DdbtuiError) may come out — never a crash — and invalid
command lines never read or write an item. Text strategies include lone surrogates and control characters;
the command lines run against moto (a real table), so parsed commands run past their first request.

Case counts: each test's ``max_examples`` (run ``pytest --hypothesis-show-statistics`` for timings).
"""

from __future__ import annotations

import contextlib
import json
import os
import string
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ddbtui.core.errors import DdbtuiError
from ddbtui.core.expr import Placeholders, parse_condition, to_source
from ddbtui.core.expr.update import apply_update, compile_update, parse_update, update_source
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import KeySchema, TableSchema
from ddbtui.core.values import parse_plain_json
from ddbtui.core.writes import check_item, parse_item

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UPDATE_TOKENS = [
    "SET", "REMOVE", "ADD", "DELETE", "set", "a", "b.c", "x[0]", "x[-1]", "x[99999999999]", "pk", "#n",
    ":v", ":s", "=", "+", "-", ",", "(", ")", "if_not_exists(", "list_append(", "1", "-2.5", "1e400",
    "'s'", '"q"', "[1, 2]", "{'a': 1}", "<<1, 2>>", "<<'a'>>", "<<>>", "null", "true", "b64\"AA==\"",
    " ", "\x00", "é", "\\", "`", "[", "]",
]  # fmt: skip
update_soup = st.lists(st.sampled_from(UPDATE_TOKENS), max_size=20).map(" ".join)
ITEM = {"pk": {"S": "k"}, "a": {"N": "1"}, "b": {"M": {"c": {"L": [{"S": "x"}]}}}, "x": {"L": [{"N": "2"}]}}


@FAST
@given(update_soup | st.text(max_size=40))
def test_update_expressions_raise_only_our_errors(text):
    try:
        update = parse_update(text)
    except DdbtuiError:
        return
    assert parse_update(update_source(update)) == update  # what we print, we read back the same
    ph = Placeholders(names={"#n": "n"}, values={":v": 1, ":s": {"SS": ["a"]}})
    with contextlib.suppress(DdbtuiError):
        compile_update(update, ph, text, key_attributes=("pk",))
    with contextlib.suppress(DdbtuiError):
        apply_update(dict(ITEM), update, ph, text)
    with contextlib.suppress(DdbtuiError):
        apply_update(None, update, ph, text)


# every category, lone surrogates (Cs) and control characters (Cc) included: JSON's \\ud800 escapes and
# raw C0 bytes must give our error (DynamoDB strings are UTF-8), never a crash
any_char = st.characters(categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"))
json_text = st.text(any_char, max_size=10)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(any_char, max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
DDB_TAGS = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X", ""]
ddb_values = st.recursive(
    st.sampled_from(DDB_TAGS).flatmap(lambda t: st.fixed_dictionaries({t: json_scalars})),
    lambda inner: st.sampled_from(DDB_TAGS).flatmap(
        lambda t: st.fixed_dictionaries({t: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)})
    ),
    max_leaves=12,
)  # fmt: skip
SCHEMA = TableSchema(name="t", key=KeySchema("pk", "sk"), attribute_types={"pk": "S", "sk": "N"})


def _json_texts():
    junk = st.text(any_char, max_size=60)
    keys = st.sampled_from(["pk", "sk", "a", ""]) | st.text(any_char, max_size=4)
    # escaped (\\ud800, \\u0007) and raw (the characters themselves, inside the JSON text)
    plain = st.tuples(st.dictionaries(keys, json_values), st.booleans()).map(
        lambda t: json.dumps(t[0], ensure_ascii=t[1])
    )
    ddb = st.tuples(st.dictionaries(st.sampled_from(["pk", "sk", "a"]), ddb_values), st.booleans()).map(
        lambda t: json.dumps(t[0], ensure_ascii=t[1])
    )
    number_edges = st.sampled_from(["1e999999", "-0", "1E-400", "1" * 60, "0.1e-130", "NaN", "Infinity"]).map(
        lambda n: '{"pk": "a", "sk": ' + n + "}"
    )
    return junk | plain | ddb | number_edges


@FAST
@given(_json_texts(), st.booleans())
def test_json_item_input_raises_only_our_errors(text, ddb_json):
    with contextlib.suppress(DdbtuiError):
        parse_plain_json(text)
    try:
        item = parse_item(text, ddb_json=ddb_json)
    except DdbtuiError:
        return
    with contextlib.suppress(DdbtuiError):
        check_item(item, SCHEMA)


PARTIQL_TOKENS = [
    "SELECT", "select", "*", "a", "b.c", "x[0]", ",", "FROM", '"T"', '"T"."I"', '"', "WHERE", "pk", "=",
    "<>", "<", ">=", "'v'", "1", "-1.5e3", "AND", "OR", "NOT", "BETWEEN", "IN", "[", "]", "{", "}", ":",
    "begins_with(", "contains(", "size(", "attribute_type(", ")", "IS", "MISSING", "NULL", "ORDER", "BY",
    "ASC", "DESC", "?", "INSERT", "UPDATE", ";", "--", "/*", "'", "é", "\x00",
]  # fmt: skip
partiql_soup = st.lists(st.sampled_from(PARTIQL_TOKENS), max_size=20).map(" ".join)


@pytest.mark.parametrize(
    "text", ['{"a": 8888888E88888888888888888888}', "1E9999999999999999999999", "[" * 100_000]
)
@pytest.mark.parametrize("ddb_json", [False, True])
def test_json_numbers_out_of_decimal_range_and_deep_nesting_are_refused(text, ddb_json):
    """Found by atheris: Decimal raised InvalidOperation from inside json.loads (and deep nesting a
    RecursionError), which reached the command line as a traceback."""
    with pytest.raises(DdbtuiError):
        parse_plain_json(text)
    with pytest.raises(DdbtuiError):
        parse_item(text, ddb_json=ddb_json)


def test_cli_refuses_an_out_of_range_number_in_values_with_exit_2(capsys):
    from ddbtui.cli import main

    code = main(
        ["scan", "T", "--values", '{":v": 1E9999999999999999999999}', "--endpoint-url", "http://127.0.0.1:9"]
    )
    assert code == 2 and "out of range" in capsys.readouterr().err


@FAST
@given(partiql_soup | st.text(max_size=50), st.none() | st.integers(-2, 3), st.none() | st.integers(-2, 3))
def test_partiql_input_raises_only_our_errors(statement, limit, page_size):
    req = ReadRequest(operation="sql", statement=statement, limit=limit, page_size=page_size)
    with contextlib.suppress(DdbtuiError):
        built = build(req, None)
        assert built.api == "execute_statement"


@FAST
@given(st.text(max_size=40), st.text(max_size=40))
def test_condition_round_trip_holds_for_any_parsed_text(a, b):
    for text in (a, f"{a} AND {b}", f"NOT ({b})"):
        try:
            node = parse_condition(text)
        except DdbtuiError:
            continue
        assert parse_condition(to_source(node)) == node


config_values = json_values | st.sampled_from([0, -1, 1e308, float("nan"), "", "x" * 1000, True, [], {}])
config_docs = st.dictionaries(
    st.sampled_from(["page_size", "theme", "keymap", "price_region", "max_cell_width", "fetch_all_cap", "x"]),
    config_values | st.dictionaries(st.text(max_size=5), json_values, max_size=3),
).map(json.dumps)


@FAST
@given(st.binary(max_size=200) | config_docs.map(str.encode))
def test_a_corrupt_config_file_loads_as_defaults_never_raises(data):
    from ddbtui.ui.config import Config

    assume(b"Infinity" not in data)  # a known bug: test_an_infinite_number_in_the_config_falls_back...
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "config.json"
        path.write_bytes(data)
        config = Config.load(path)
    assert isinstance(config.page_size, int) and config.page_size > 0
    assert isinstance(config.keymap, dict) and isinstance(config.theme, str)
    assert isinstance(config.fetch_all_cap, int | float) and config.fetch_all_cap > 0


# --------------------------------------------------------------------------------------------- argv

COMMANDS = [
    "tables", "describe", "query", "scan", "get", "sql", "explain", "export", "report", "stream", "put",
    "update", "delete", "undo",
]  # fmt: skip
ARGS = [
    "T", "Tbl", "--key", "pk = 'a'", "pk = = 1", '{"pk": "a"}', "{", "--filter", "a > :v", "--values",
    '{":v": 1}', '{":v": }', "--names", '{"#n": "x"}', "--index", "I", "--limit", "0", "-1", "5", "x",
    "--page-size", "100000", "--segments", "1000001", "--format", "json", "csv", "table", "nope",
    "--project", "a,b", "--desc", "--consistent", "--max-pages", "--out", "o.jsonl", "--resume",
    "--item", '{"pk": "a", "sk": 1}', "--update", "SET a = a + 1", "REMOVE", "--allow-writes",
    "--region", "us-east-1", "--profile", "nosuchprofile", "--capacity", "estimate", "--engine", "moto",
    "--sample", "-5", "--max-capacity", "0", "--from-start", "--max-records", "1", "--idle-timeout",
    "0.1", "--sql", "SELECT * FROM \"T\"", "--", "-", "", "\x1b[2J", "[/x]", "\x00",
]  # fmt: skip
OPTION_PAIRS = [
    ["--key", "pk = 'a'"], ["--key", "pk = = 1"], ["--key", '{"pk": "a", "sk": 1}'], ["--filter", "a > :v"],
    ["--values", '{":v": 1}'], ["--values", "[1]"], ["--names", '{"#n": "x"}'], ["--limit", "3"],
    ["--limit", "0"], ["--page-size", "1001"], ["--segments", "4"], ["--segments", "1000001"],
    ["--format", "json"], ["--format", "csv"], ["--project", "a,,b"], ["--index", "I"], ["--desc"],
    ["--out", "o.jsonl"], ["--resume"], ["--item", '{"pk": "a"}'], ["--update", "SET a = a +"],
    ["--allow-writes"], ["--sample", "0"], ["--max-records", "1"], ["--idle-timeout", "0.1"],
    ["--sql", 'SELECT * FROM "T"'], ["--capacity", "estimate"], ["--engine", "moto"],
]  # fmt: skip
# text as it can reach argv: control characters, and lone surrogates (how Python decodes bytes that are
# not UTF-8 in argv: surrogateescape)
wild_text = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs", "Cc", "Cs")), max_size=8)
random_argv = st.tuples(
    st.sampled_from(COMMANDS), st.lists(st.sampled_from(ARGS) | wild_text, max_size=8)
).map(lambda t: [t[0], *t[1]])
structured_argv = st.tuples(
    st.sampled_from(COMMANDS),
    st.sampled_from(["T", "Tbl", "SELECT * FROM \"T\" WHERE pk = 'a'", "\x1b[2J"]),
    st.lists(st.sampled_from(OPTION_PAIRS), max_size=4),
).map(lambda t: [t[0], t[1], *[x for pair in t[2] for x in pair]])
VALID = [
    ["tables"], ["describe", "T"], ["scan", "T"], ["scan", "T", "--segments", "3"],
    ["scan", "T", "--filter", "a = :v", "--values", '{":v": "x"}', "--project", "pk, sk"],
    ["query", "T", "--key", "pk = 'a'"], ["query", "T", "--key", "pk = 'a' AND sk > 2", "--desc", "--limit", "2"],
    ["query", "T", "--index", "I", "--key", "a = 'x'"], ["get", "T", "--key", '{"pk": "a", "sk": 1}'],
    ["sql", "SELECT * FROM \"T\" WHERE pk = 'a'"], ["explain", "T", "--key", "pk = 'a'"],
    ["report", "T", "--sample", "5"], ["export", "T", "--out", "o.jsonl", "--overwrite"],
    ["put", "T", "--item", '{"pk": "b", "sk": 1, "a": "x"}', "--allow-writes", "--overwrite"],
    ["update", "T", "--key", '{"pk": "a", "sk": 1}', "--update", "SET c = :v", "--values", '{":v": 1}',
     "--allow-writes"],
    ["delete", "T", "--key", '{"pk": "b", "sk": 1}', "--allow-writes", "--missing-ok"], ["undo", "--allow-writes"],
]  # fmt: skip
# a command that works, then up to two more options or words: most run to the end, the rest are refused
valid_argv = st.tuples(
    st.sampled_from(VALID), st.lists(st.sampled_from(OPTION_PAIRS) | wild_text.map(lambda t: [t]), max_size=1)
).map(lambda t: [*t[0], *[x for extra in t[1] for x in extra]])
# valid commands 3 times in 5, the others once each
argv_strategy = st.integers(0, 4).flatmap(lambda n: (valid_argv, structured_argv, random_argv)[max(0, n - 2)])


FUZZ_TABLE_ROWS = 6
# what a refused command (exit 2) may still have asked: the table's shape, never its data
SHAPE_OPS = frozenset({"DescribeTable", "ListTables", "DescribeTimeToLive", "DescribeContinuousBackups",
                       "ListTagsOfResource", "DescribeLimits", "DescribeEndpoints"})  # fmt: skip
DATA_OPS = frozenset({"Scan", "Query", "GetItem", "ExecuteStatement", "PutItem", "UpdateItem", "DeleteItem"})


def test_command_line_fuzz_runs_commands_to_the_end_and_refuses_bad_ones_before_reading(
    capsys, moto_server, moto_client
):
    """Random argv in-process against moto through a logging loopback proxy, with ``T`` a real table of
    a few items (``Tbl`` does not exist): parsed commands run past their first request (scans, queries,
    writes answer), so what happens after it is fuzzed too. Exit codes: 0, 2 (our refusal), 3 (an AWS
    error) or 4 (export stopped at --max-capacity); a 2 never read or wrote an item."""
    import uuid

    from ddbtui.cli import main
    from tests.conftest import create_table
    from tests.faults import FaultProxy

    prefix = f"fz{uuid.uuid4().hex[:6]}_"
    table = create_table(moto_client, prefix + "T", sk=("sk", "N"), gsis=[("Idx", ("a", "S"), None, "ALL")])
    for i in range(FUZZ_TABLE_ROWS):
        moto_client.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"N": str(i)}, "a": {"S": "x"}})

    def named(arg: str) -> str:
        if arg in ("T", "Tbl"):
            return prefix + arg
        if arg == "I":  # index names have 3 characters at least
            return "Idx"
        return arg.replace('"T"', f'"{table}"')

    seen = {"runs": 0, "codes": {}, "ran": 0}
    with FaultProxy(moto_server.endpoint_url) as server, tempfile.TemporaryDirectory() as d:
        saved = {k: os.environ.get(k) for k in ("DDBTUI_DATA_DIR", "DDBTUI_CONFIG_DIR", "AWS_PROFILE")}
        old_cwd = os.getcwd()
        os.environ.update(DDBTUI_DATA_DIR=d, DDBTUI_CONFIG_DIR=d)
        os.chdir(d)
        try:

            @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
            @given(argv_strategy)
            def run(argv):
                if "--endpoint-url" in argv or "--demo" in argv:
                    return
                # as a real process's stderr (backslashreplace: a lone surrogate from argv is shown, never
                # an error); stdout stays strict, as it is for real
                sys.stderr.reconfigure(errors="backslashreplace")
                before = len(server.log)
                code = main([*map(named, argv), "--endpoint-url", server.url])
                capsys.readouterr()
                sent = {target for _n, target, _kind in server.log[before:]}
                seen["runs"] += 1
                seen["codes"][code] = seen["codes"].get(code, 0) + 1
                assert code in (0, 2, 3, 4), (argv, code)
                if code == 2:
                    assert sent <= SHAPE_OPS, (argv, sent)
                if code == 0 and sent & DATA_OPS:
                    seen["ran"] += 1

            run()
        finally:
            os.chdir(old_cwd)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    targets = sorted({t for _n, t, _k in server.log})
    print(
        f"argv fuzz: {seen['runs']} runs, exit codes {seen['codes']}, {seen['ran']} ran to the end; {targets}"
    )
    assert seen["runs"] > 80
    assert seen["ran"] > 10  # commands that read or wrote items and succeeded (about 20 a run)
    assert {"Scan", "Query"} <= set(targets)


@pytest.mark.parametrize(
    "doc", ['{"max_cell_width": Infinity}', '{"page_size": 1e999}', '{"page_size": NaN}']
)
def test_an_infinite_number_in_the_config_falls_back_to_the_default(tmp_path, doc):
    from ddbtui.ui.config import Config

    path = tmp_path / "config.json"
    path.write_text(doc)
    assert Config.load(path) == Config()


_printable = st.text(string.printable, max_size=30)


@FAST
@given(_printable)
def test_names_and_values_options_raise_only_our_errors(text):
    from ddbtui.cli import _json_arg

    with contextlib.suppress(DdbtuiError):
        _json_arg(text, "--values")
