"""The workbench's key flows, driven by keys through Pilot against the real moto server, at 80x24."""

from __future__ import annotations

import json
import re
import sys

import pytest
from textual.widgets import Input, Select

from ddbtui.ui.screens.dialogs import FetchAllScreen, HistoryScreen
from ddbtui.ui.screens.help_screen import HelpScreen
from ddbtui.ui.screens.item_screen import ItemScreen
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.tables_pane import TableList, TablesPane
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text

SIZE = (80, 24)


async def open_by_typing(pilot, name: str) -> None:
    """Type the start of the table's name into the tables pane (filter as you type) and press enter."""
    await settle(pilot)
    await pilot.press(*name[:6])
    assert pilot.app.query_one(TablesPane).highlighted == name
    await pilot.press("enter")
    await settle(pilot)


async def test_start_focuses_tables_pane_on_first_table(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, TableList)
        pane = app.query_one(TablesPane)
        assert pane.highlighted == sorted(pane.names)[0]
        assert orders_table in pane.names


async def test_typing_filters_the_tables(make_app, orders_table, moto_client, table_name):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*orders_table[:8])
        pane = app.query_one(TablesPane)
        ol = app.query_one(TableList)
        shown = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        assert shown == [n for n in sorted(pane.names) if orders_table[:8] in n]
        assert orders_table in shown


async def test_enter_opens_table_with_schema_and_small_first_page(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        assert app.schema is not None and app.schema.name == orders_table
        text = screen_text(app)
        assert "GSI1" in text and "gsi1pk S / gsi1sk S" in text
        assert len(app.results.rows) == 25  # the config's page size
        assert app.results.columns[:2] == ["pk", "sk"]
        assert "more: n" in text
        assert "RCU est." in text  # moto is an emulator: ddbtui's own figure, marked
        assert isinstance(app.focused, ResultsView)


async def test_table_option_opens_it_at_start(make_app, orders_table):
    app = make_app(table=orders_table)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 3)
        assert app.schema.name == orders_table
        assert len(app.results.rows) == 25


async def test_n_fetches_next_page_and_earlier_pages_stay(make_app, orders_table, recorder):
    app = make_app(client=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        requests = app.ledger.totals().requests
        sent = list(recorder.sent)
        await pilot.press("n")
        await settle(pilot)
        assert len(app.results.rows) == 50
        assert app.results.cursor_row == 25  # the cursor lands on the new page
        assert len(app.result.pages) == 2
        await pilot.press("n")
        await settle(pilot)
        assert len(app.results.rows) == 60
        assert not app.result.has_more
        assert recorder.sent == [*sent, "Scan", "Scan"]  # on the wire: one Scan per page
        assert app.ledger.totals().requests == requests + 2
        keys = {(r["pk"]["S"], r["sk"]["S"]) for r in app.results.rows}
        assert len(keys) == 60  # no page fetched twice, none skipped
        # going back through fetched pages costs no request
        await pilot.press("left_square_bracket")
        assert app.results.cursor_row == 25
        await pilot.press("left_square_bracket")
        assert app.results.cursor_row == 0
        assert recorder.sent == [*sent, "Scan", "Scan"]
        assert app.ledger.totals().requests == requests + 2
        await pilot.press("n")
        await settle(pilot)
        assert "no more pages" in " ".join(str(n.message) for n in app._notifications)
        assert recorder.sent == [*sent, "Scan", "Scan"]  # and "no more pages" sent nothing


async def test_ctrl_r_runs_query_built_in_builder(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        b = app.builder
        b.query_one("#qb-op", Select).value = "query"
        await pilot.pause()
        b.query_one("#qb-pk", Input).value = "C#1"
        b.query_one("#qb-sk-op", Select).value = "begins_with"
        b.query_one("#qb-sk", Input).value = "ORDER#001"
        b.query_one("#qb-filter", Input).value = "total > 100"
        await pilot.pause()
        assert b.built is not None, b.error
        params = b.built.params
        assert params["KeyConditionExpression"]
        assert "FilterExpression" in params
        assert b.error is None
        await pilot.press("ctrl+r")
        await settle(pilot)
        rows = app.results.rows
        assert rows and all(r["pk"]["S"] == "C#1" and r["sk"]["S"].startswith("ORDER#001") for r in rows)
        assert all(int(r["total"]["N"]) > 100 for r in rows)
        # the preview shows the exact parameters
        assert "KeyConditionExpression" in screen_text(app)


async def test_query_on_index_picked_in_schema_pane(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        app.query_one("#schema").focus()
        await pilot.press("down", "enter")  # the GSI1 entry
        await pilot.pause()
        assert app.builder.index == "GSI1" and app.builder.operation == "query"
        await pilot.press(*"SHIPPED", "enter")  # enter in an input runs the request
        await settle(pilot)
        assert len(app.results.rows) == 20
        assert app.results.columns[:4] == ["pk", "sk", "gsi1pk", "gsi1sk"]


async def test_operation_picked_with_keys_alone(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        app.builder.query_one("#qb-op", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("up", "enter")  # Scan -> Query
        await pilot.pause()
        assert app.builder.operation == "query"


async def test_bad_filter_shows_error_and_column_before_any_request(make_app, orders_table, recorder):
    app = make_app(client=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        sent = list(recorder.sent)
        app.builder.query_one("#qb-filter", Input).focus()
        await pilot.press(*"total >")
        await pilot.pause()
        assert app.builder.built is None
        assert app.builder.error == "filter, column 8: expected a value after '>' but found end of input"
        assert app.builder.query_one("#qb-filter").has_class("-bad")
        assert "column" in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert recorder.sent == sent  # nothing was sent


async def test_slow_request_shows_spinner_keeps_answering_and_escape_cancels(
    make_app, orders_table, slow_client
):
    app = make_app(client=slow_client)
    gate = slow_client.gate
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        gate.close()
        await pilot.press("ctrl+r")
        await wait_until(pilot, gate.entered.is_set)
        assert app._in_flight and app.results.loading and app.status.busy
        # the UI answers keys while the request is held on the wire
        app.query_one("#table-filter", Input).focus()
        await pilot.press("ctrl+u", *"abc")
        assert app.query_one("#table-filter", Input).value == "abc"
        assert app._in_flight
        await pilot.press("escape")
        await pilot.pause()
        assert not app._in_flight and not app.results.loading
        assert "cancelled" in screen_text(app)
        gate.open()  # the late page arrives now, and is dropped
        await settle(pilot)
        assert app.results.rows == [] and "cancelled" in screen_text(app)


async def test_superseded_request_results_are_dropped(make_app, orders_table, slow_client):
    app = make_app(client=slow_client)
    gate = slow_client.gate
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        gate.close()
        await pilot.press("ctrl+r")  # a Scan, held
        await wait_until(pilot, gate.entered.is_set)
        gate.closed = False  # the next request goes through; the Scan stays held
        b = app.builder
        b.query_one("#qb-op", Select).value = "query"
        await pilot.pause()
        b.query_one("#qb-pk", Input).value = "C#2"
        await pilot.pause()
        await pilot.press("ctrl+r")  # supersedes the Scan
        await wait_until(pilot, lambda: bool(app.results.rows))
        gate.open()  # the Scan's page arrives last, and is dropped
        await settle(pilot)
        assert app.results.rows and all(r["pk"]["S"] == "C#2" for r in app.results.rows)


async def test_enter_opens_item_as_json_with_size_and_toggle(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        item = app.results.rows[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        text = screen_text(app)
        assert item["sk"]["S"] in text
        assert " B · GetItem 0.5 RCU" in text
        assert '"total": ' in text
        await pilot.press("d")
        await pilot.pause()
        assert '"S": ' in screen_text(app)
        await pilot.press("y")
        assert json.loads(app.clipboard)["sk"]["S"] == item["sk"]["S"]
        await pilot.press("p")  # $PAGER needs a real terminal (tests/ui/test_real_terminal.py): one line
        await pilot.pause()
        assert "this terminal cannot hand over to a pager" in [n.message for n in app._notifications]
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ItemScreen)


async def test_ttl_attribute_shown_as_date_marked_expired(make_app, moto_client, table_name):
    create_table(moto_client, table_name)
    moto_client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )
    put_items(
        moto_client, table_name, [{"pk": {"S": "a"}, "sk": {"S": "b"}, "expiresAt": {"N": "1700000000"}}]
    )
    app = make_app(clock=lambda: 1800000000.0)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, table_name)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "TTL expiresAt: 2023-11-14 22:13:20 UTC" in text
        assert "expired" in text


async def test_copy_cell_and_request(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await pilot.press("right", "c")
        assert app.clipboard == app.results.rows[0]["sk"]["S"]
        await pilot.press("ctrl+y")
        assert json.loads(app.clipboard)["TableName"] == orders_table


async def test_fetch_all_asks_for_a_cap_and_stops_there(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FetchAllScreen)
        await pilot.press("ctrl+u", "0", ".", "5", "enter")  # stop at 0.5 RCU: one more page
        await settle(pilot)
        assert len(app.results.rows) == 50
        assert "capacity cap" in screen_text(app)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("enter")  # the proposed cap
        await settle(pilot)
        assert len(app.results.rows) == 60 and not app.result.has_more


async def test_fetch_all_escape_in_dialog_sends_nothing(make_app, orders_table, recorder):
    app = make_app(client=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        sent = list(recorder.sent)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FetchAllScreen)
        assert recorder.sent == sent


async def test_status_bar_keeps_session_ledger(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await pilot.press("n")
        await settle(pilot)
        text = screen_text(app)
        assert "session: 2 requests · 1 RCU est." in text
        assert "READ-ONLY" in text and "test" in text


async def test_palette_lists_actions_and_runs_them(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next page")
        await pilot.pause(0.3)
        assert "Next page" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.results.rows) == 50
        titles = {c.title for c in app.palette_commands()}
        for action in (
            "Run the request",
            "Fetch all pages",
            "Cancel the request",
            "Copy the request as JSON",
            "Query history",
            "Help: every key",
            f"Open table {orders_table}",
        ):
            assert action in titles


async def test_f1_lists_every_key(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in (
            "ctrl+r",
            " n ",
            "escape",
            "f1",
            "ctrl+p",
            "ctrl+q",
            "enter",
            "ctrl+f",
            "f2",
            "f3",
            "y ",
            "c ",
        ):
            assert key in text, key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_aws_error_is_shown_and_app_keeps_running(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table("no-such-table-here")
        await settle(pilot)
        text = screen_text(app)
        assert "ResourceNotFoundException" in text
        await pilot.press("ctrl+t", *orders_table, "enter")
        await settle(pilot)
        assert app.schema.name == orders_table and app.results.rows


def _error_response(status: int, code: str, message: str):
    from botocore.awsrequest import AWSResponse

    class Raw:
        def stream(self, **kwargs):
            yield json.dumps(
                {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
            ).encode()

    headers = {"x-amzn-RequestId": "test", "Content-Type": "application/x-amz-json-1.0"}
    return AWSResponse("http://test", status, headers, Raw())


@pytest.mark.parametrize(
    ("code", "message", "shown"),
    [
        (
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/x is not authorized to perform: dynamodb:Scan",
            "dynamodb:Scan",
        ),
        (
            "ProvisionedThroughputExceededException",
            "Rate of requests exceeds the allowed throughput",
            "throttled",
        ),
        ("ExpiredTokenException", "The security token included in the request is expired", "expired"),
    ],
)
async def test_aws_errors_read_plainly(make_app, orders_table, moto_server, code, message, shown):
    from ddbtui.aws.session import Connection, make_client

    # two attempts: throttling is retried before it is shown (standard retries)
    attempts = 2 if "Throughput" in code else 1
    client = make_client(
        Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1", max_attempts=attempts)
    )
    failing = [False]

    def hook(request, **kwargs):
        return _error_response(400, code, message) if failing[0] else None

    client.meta.events.register("before-send.dynamodb.*", hook)
    app = make_app(client=client)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        failing[0] = True
        await pilot.press("ctrl+r")
        await pilot.pause(0.5)
        await settle(pilot)
        text = screen_text(app)
        assert code in text and shown in text
        assert not app._in_flight
        failing[0] = False
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.results.rows


async def test_history_recalls_a_request(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        app.builder.query_one("#qb-filter", Input).value = "total > 300"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        app.builder.query_one("#qb-filter", Input).value = ""
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert "filter total > 300" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.builder.query_one("#qb-filter", Input).value == "total > 300"


async def test_layout_fits_80x24(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        for part in (
            "Tables",
            "Indexes",
            "Query",
            "Count 25 · Scanned 25",
            "session:",
            "READ-ONLY",
            "^r Run",
            "f1 Help",
        ):
            assert part in text, part
        # the column header and the first rows are visible, in the results pane right of the tables
        assert re.search(r"││pk +sk +status +total +gsi1pk +gsi1sk +│$", lines[7]), lines[7]
        assert "││C#0  ORDER#0000  SHIPPED      5  SHIPPED  0000 " in lines[8], lines[8]
        assert "││C#0  ORDER#0003  SHIPPED     35  SHIPPED  0003 " in lines[9], lines[9]


_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_codes(raw: bytes) -> set[str]:
    """Every colour an SGR sequence in ``raw`` sets: "31", "38;5;n", "48;2;r;g;b"... (39/49, the
    terminal's default colours, are no colour; bold, dim, reverse and underline are not colour either)."""
    found: set[str] = set()
    for match in _SGR.finditer(raw):
        params = [p.decode() for p in re.split(rb"[;:]", match.group(1)) if p]
        i = 0
        while i < len(params):
            n = int(params[i])
            if n in (38, 48, 58):  # extended colour: 5;n (256 colours) or 2;r;g;b (truecolor)
                width = 5 if params[i + 1 : i + 2] == ["2"] else 3
                found.add(";".join(params[i : i + width]))
                i += width
                continue
            if 30 <= n <= 37 or 40 <= n <= 47 or 90 <= n <= 97 or 100 <= n <= 107:
                found.add(str(n))
            i += 1
    return found


def _is_grey(code: str) -> bool:
    parts = [int(p) for p in code.split(";")]
    if parts[1:2] == [5]:  # xterm 256: 16 and 231 (black, white), 232-255 (grey ramp), equal cube steps
        n = parts[2]
        if n in (16, 231) or n >= 232:
            return True
        if 16 < n < 231:
            r, g, b = (n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6
            return r == g == b
        return n in (0, 7, 8, 15)
    if parts[1:2] == [2]:
        return parts[2] == parts[3] == parts[4]
    return code in ("30", "37", "90", "97", "40", "47", "100", "107")


@pytest.fixture(scope="module")
def terminal_bytes(moto_server, tmp_path_factory):
    """The bytes a real terminal receives from the installed ddbtui showing a table, with and without
    NO_COLOR (one run each, shared by the tests below)."""
    from ddbtui.aws.session import Connection, make_client
    from tests.ui.test_real_terminal import Terminal, ddbtui_env

    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    name = "nocolor_" + tmp_path_factory.mktemp("n").name.replace("-", "_")[-12:]
    create_table(client, name)
    client.put_item(TableName=name, Item={"pk": {"S": "C#1"}, "sk": {"S": "ORDER#1"}})
    raw = {}
    for no_color in (False, True):
        extra = {"NO_COLOR": "1"} if no_color else {}
        ddbtui, env = ddbtui_env(
            tmp_path_factory.mktemp("term"), AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", **extra
        )
        if not no_color:
            env.pop("NO_COLOR", None)
        argv = [ddbtui, "--endpoint-url", moto_server.endpoint_url, "--region", "us-east-1", "--table", name]
        term = Terminal(argv, env)
        try:
            term.wait_for("ORDER#1")
            term.pump(1.0)  # let the first page and the status bar settle
            term.press(b"\x11")  # ctrl+q
            assert term.wait_exit() == 0
        finally:
            term.close()
        raw[no_color] = bytes(term.raw)
    return raw


@pytest.mark.skipif(sys.platform != "linux", reason="pty")
def test_no_color_output_has_no_hue(terminal_bytes):
    """NO_COLOR, read in the bytes the terminal receives: every colour ddbtui sets is a grey. Without it
    the same screen has hues (so the check can fail)."""
    coloured = colour_codes(terminal_bytes[False])
    assert any(not _is_grey(c) for c in coloured), sorted(coloured)
    plain = colour_codes(terminal_bytes[True])
    assert [c for c in sorted(plain) if not _is_grey(c)] == []


@pytest.mark.skipif(sys.platform != "linux", reason="pty")
def test_no_color_output_has_no_colour_escapes(terminal_bytes):
    """no-color.org: no colour codes at all; what a background highlighted (the row cursor, the selected
    table) is shown in reverse video instead (SGR 7), so it is still visible."""
    assert sorted(colour_codes(terminal_bytes[True])) == []
    params = [re.split(rb"[;:]", m.group(1)) for m in _SGR.finditer(terminal_bytes[True])]
    assert any(b"7" in p for p in params)  # no colour parameters (above), so a 7 is reverse video


async def test_getitem_and_partiql_from_builder(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        b = app.builder
        b.query_one("#qb-op", Select).value = "get"
        await pilot.pause()
        b.query_one("#qb-pk", Input).value = "C#1"
        b.query_one("#qb-sk", Input).value = "ORDER#0004"
        await pilot.pause()
        assert b.built is not None and b.built.api == "get_item", b.error
        assert b.built.params["Key"] == {"pk": {"S": "C#1"}, "sk": {"S": "ORDER#0004"}}
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [r["sk"]["S"] for r in app.results.rows] == ["ORDER#0004"]
        app.results.focus()
        await pilot.press("n")  # a GetItem has no pages: said so, no request
        await settle(pilot)
        assert "GetItem reads one item" in " ".join(str(n.message) for n in app._notifications)

        b.query_one("#qb-op", Select).value = "sql"
        await pilot.pause()
        sql = b.query_one("#qb-sql")
        assert sql.display and sql.language == "sql"
        assert sql.text == f'SELECT * FROM "{orders_table}"'
        sql.text = f"SELECT * FROM \"{orders_table}\" WHERE pk = 'C#2'"
        await pilot.pause()
        assert b.built is not None and b.built.api == "execute_statement", b.error
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.results.rows and all(r["pk"]["S"] == "C#2" for r in app.results.rows)
        sql.text = f'DELETE FROM "{orders_table}"'
        await pilot.pause()
        assert b.built is None and "SELECT" in b.error  # read-only: refused before any request


def test_run_refuses_bad_connection_setup_with_status_2(monkeypatch, capsys):
    import argparse

    from ddbtui.ui.app import run

    monkeypatch.delenv("AWS_PROFILE", raising=False)
    args = argparse.Namespace(
        table=None, demo=False, engine="moto", profile=None, region=None, endpoint_url=None, capacity=None
    )
    assert run(args) == 2
    assert "--engine" in capsys.readouterr().err
    args.engine, args.profile = None, "no-such-profile-ddbtui"
    assert run(args) == 2
    assert "no-such-profile-ddbtui" in capsys.readouterr().err


async def test_recalled_key_condition_fills_the_key_fields(make_app, orders_table):
    from ddbtui.core.requests import ReadRequest

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        key = "pk = 'C#1' AND sk BETWEEN 'ORDER#0010' AND 'ORDER#0030'"
        app.builder.load_request(ReadRequest("query", orders_table, key=key, filter="total > 100"))
        await pilot.pause()
        b = app.builder
        assert b.query_one("#qb-pk", Input).value == "'C#1'"
        assert b.query_one("#qb-sk-op", Select).value == "between"
        assert b.query_one("#qb-sk2", Input).value == "'ORDER#0030'"
        assert b.built is not None and b.built.request.key == key
        await pilot.press("ctrl+r")
        await settle(pilot)
        # C#1 holds orders 1, 4, 7, …; between 10 and 30, all with totals over 100
        assert [r["sk"]["S"] for r in app.results.rows] == [f"ORDER#{i:04d}" for i in range(10, 31, 3)]


async def test_main_screen_keys_do_nothing_under_a_dialog(make_app, orders_table, recorder):
    """In the item view, ctrl+r, ctrl+f, f5 and ctrl+t don't run, fetch or stack screens behind it; once it
    is closed they work again."""
    app = make_app(client=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        sent = list(recorder.sent)
        await pilot.press("enter")  # the item view of the first row
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        for key in ("ctrl+r", "ctrl+f", "f5", "f2", "ctrl+t", "n", "ctrl+p"):  # the palette's commands too
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, ItemScreen) and len(app.screen_stack) == 2, key
        assert recorder.sent == sent
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert recorder.sent == [*sent, "Scan"]
