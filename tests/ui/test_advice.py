"""The advisor in the workbench: advice as you type (no request), applied with one key, after a run with
measured figures; the explain, code and access-pattern views. Pilot at 80x24 against real moto servers."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input

from ddbtui.aws import demo_data
from ddbtui.aws.embedded import MotoServer
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.advisor import advise
from ddbtui.core.codegen import snippets
from ddbtui.core.errors import ExprError
from ddbtui.core.patterns import PATTERNS, by_id
from ddbtui.core.requests import build
from ddbtui.core.schema import TableSchema
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from ddbtui.ui.screens.advice_screen import AdviceScreen
from ddbtui.ui.screens.code_screen import CodeScreen
from ddbtui.ui.screens.explain_screen import ExplainScreen
from ddbtui.ui.screens.help_screen import HelpScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen, pattern_request
from ddbtui.ui.widgets.advisor_line import AdvisorLine
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text, terminal_bytes
from tests.ui.test_workbench import open_by_typing

SIZE = (80, 24)


class Recorder:
    """A botocore ``before-send`` hook that counts the requests put on the wire."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def hook(self, request, **kwargs) -> None:
        with self._lock:
            self.sent.append(request.headers.get("X-Amz-Target", b"").decode())


@pytest.fixture
def counting_client(moto_server):
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    client.recorder = Recorder()
    client.meta.events.register("before-send.dynamodb.*", client.recorder.hook)
    return client


def advisor_text(app) -> str:
    return app.query_one("#advisor", AdvisorLine).text


async def type_filter(pilot, text: str) -> None:
    box = pilot.app.builder.query_one("#qb-filter", Input)
    box.focus()
    await pilot.press(*text)


async def set_filter(pilot, text: str) -> None:
    """The filter in one change (typing it key by key costs a re-layout a key), and its advice."""
    app = pilot.app
    app.builder.query_one("#qb-filter", Input).value = text
    await wait_until(pilot, lambda: app.advice.request is not None and app.advice.request.filter == text)


async def test_typing_scan_filter_on_gsi_key_updates_advisor_without_a_request(
    make_app, orders_table, counting_client
):
    app = make_app(client=counting_client)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        sent = len(counting_client.recorder.sent)
        requests = app.ledger.totals().requests
        await type_filter(pilot, "gsi1pk = 'OPEN'")
        await wait_until(pilot, lambda: "Query GSI1" in advisor_text(app))
        await settle(pilot)
        line = advisor_text(app)
        assert line.startswith("Advisor: Scan filters on gsi1pk — Query GSI1")
        assert "[a] apply" in line
        assert "Advisor: Scan filters on gsi1pk — Query GSI1" in screen_text(app)
        assert len(counting_client.recorder.sent) == sent  # nothing went on the wire
        assert app.ledger.totals().requests == requests
        # a half-typed filter has no advice; the builder shows its error and the line clears
        await pilot.press("ctrl+u")  # Input: delete to the start
        await pilot.press(*"gsi1pk =")
        await wait_until(pilot, lambda: not app.query_one(AdvisorLine).display)
        assert len(counting_client.recorder.sent) == sent


async def test_apply_turns_the_scan_into_a_gsi_query_with_the_same_items(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        app.builder.query_one("#qb-page", Input).value = ""  # no Limit: the whole table in one page
        await set_filter(pilot, "gsi1pk = 'OPEN'")
        await pilot.press("ctrl+r")
        await settle(pilot)
        scanned = {(r["pk"]["S"], r["sk"]["S"]) for r in app.results.rows}
        assert len(scanned) == 40
        # after the run the advice carries the measured figures
        await wait_until(pilot, lambda: "RCU" in advisor_text(app))
        assert app.advice.stats is not None and app.advice.stats[1].exhausted
        top = next(s for s in app.advice.suggestions if s.runnable)
        assert top.kind == "use-query" and top.estimated_rcu is not None
        assert "a Apply" in screen_text(app) or app.check_action("apply_advice", ())

        app.results.focus()
        await pilot.press("a")
        await pilot.pause()
        b = app.builder
        assert (b.operation, b.index) == ("query", "GSI1")
        assert b.built is not None and b.built.params["IndexName"] == "GSI1"
        assert b.query_one("#qb-pk", Input).value == "'OPEN'"
        assert "KeyConditionExpression" in b.built.params and "FilterExpression" not in b.built.params
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert {(r["pk"]["S"], r["sk"]["S"]) for r in app.results.rows} == scanned
        assert app.result.built.api == "query"


async def test_advice_view_lists_every_suggestion_and_applies_the_chosen(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await set_filter(pilot, "gsi1pk = 'OPEN'")
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        text = screen_text(app)
        assert "1. use-query on GSI1" in text and "2. limit-before-filter" in text
        assert "ddbtui query" in text
        await pilot.press("y")
        assert app.clipboard.startswith("ddbtui query ")
        await pilot.press("down", "enter")  # the second: the Limit warning, which also has a fix
        await pilot.pause()
        assert not isinstance(app.screen, AdviceScreen)
        req = app.builder.built.request
        assert (req.operation, req.page_size, req.limit) == ("scan", None, 25)


async def test_palette_has_the_advisor_commands(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await set_filter(pilot, "gsi1pk = 'OPEN'")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"apply advice")
        await pilot.pause(0.3)
        assert "Apply advice" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.builder.index == "GSI1"
        titles = {c.title for c in app.palette_commands()}
        for title in (
            "Apply advice",
            "Show all advice",
            "Explain the request",
            "Show code",
            "Access patterns",
        ):
            assert title in titles


async def test_explain_view_shows_the_plan(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await set_filter(pilot, "gsi1pk = 'OPEN'")
        before = app.ledger.requests
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ExplainScreen)
        text = screen_text(app)
        assert f"Scan of table {orders_table}" in text
        # #20: the first f4 on a table reads the advisor's sample (as `ddbtui explain` does), says so and
        # counts it in the session's ledger; the table's items fit in one sample, so it is the whole table
        assert "Sample   " in app.screen.text and "(the whole table)" in app.screen.text
        assert "read for this advice" in app.screen.text
        assert app.ledger.requests > before
        assert app.advice.samples.get(orders_table) is not None
        assert "Filter   gsi1pk = 'OPEN'" in text
        assert "every item of the table" in text
        assert "Suggestions" in app.screen.text and "use-query on GSI1" in app.screen.text
        await pilot.press("end")  # scrollable: the suggestions are further down
        await pilot.pause()
        assert "use-query on GSI1" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExplainScreen)
        sampled = app.ledger.requests
        await pilot.press("f4")  # the sample is kept: no second read
        await settle(pilot)
        assert isinstance(app.screen, ExplainScreen)
        assert "read for this advice" in app.screen.text
        assert app.ledger.requests == sampled


async def test_code_view_shows_boto3_and_copies_each_snippet(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await set_filter(pilot, "gsi1pk = 'OPEN'")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen)
        code = snippets(app.builder.built, app.builder.schema)
        text = screen_text(app)
        assert "1 boto3" in text and "2 AWS CLI" in text and "4 ddbtui" in text
        assert "import boto3" in text and 'client = boto3.client("dynamodb")' in text
        await pilot.press("y")
        assert app.clipboard == code[0].code
        await pilot.press("tab")
        await pilot.pause()
        assert "aws dynamodb scan" in screen_text(app)
        await pilot.press("y")
        assert app.clipboard == code[1].code
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard.startswith(f"ddbtui scan {orders_table}")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CodeScreen)


async def test_help_lists_the_advisor_keys(make_app, orders_table):
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key, words in (
            ("a ", "Apply the advisor's suggestion"),
            ("f4", "reads, discards and costs"),
            ("f5", "boto3, AWS CLI, PartiQL"),
            ("f6", "Every suggestion"),
            ("f7", "Access patterns"),
        ):
            assert key in text and words in text, key
        views = dict(app.key_sections())["Advisor views"]
        assert ("b", "Load an anti-pattern's better way") in views
        assert ("y", "Copy the snippet on show") in views
        assert ("tab", "Next snippet") in views


MARKUP = "[@click=app.quit]x[/]"
CLOSING = "[/x]"
ESC = "\x1b[2J"


async def test_hostile_values_in_advice_render_literally(make_app, moto_client, table_name):
    create_table(moto_client, table_name, gsis=[("GSI1", ("gsi1pk", "S"), ("gsi1sk", "S"), "ALL")])
    key = f"{MARKUP}{ESC}{CLOSING}#OPEN"  # table data, quoted by the advisor's reason
    put_items(
        moto_client,
        table_name,
        [
            {
                "pk": {"S": f"C#{i}"},
                "sk": {"S": "ORDER"},
                "status": {"S": "OPEN" if i % 2 else "DONE"},
                "gsi1pk": {"S": key if i % 2 else "DONE"},
                "gsi1sk": {"S": f"{i:03d}"},
            }
            for i in range(20)
        ],
    )
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await open_by_typing(pilot, table_name)
        # typed values (ESC as the language's escape): quoted in the line, with GetItem's key
        await set_filter(pilot, f"pk = '{CLOSING}\\u001b[2J' AND sk = '{MARKUP}'")
        await wait_until(pilot, lambda: "GetItem" in advisor_text(app))
        text = screen_text(app)
        assert f"pk = '{CLOSING}\\u001b[2J' AND sk = '{MARKUP}'" in text  # the printer escapes ESC
        assert "\x1b" not in text and ESC not in terminal_bytes(app)

        # table values: quoted in the reason of an overloaded key, after a run
        app.builder.query_one("#qb-filter", Input).value = "status = 'OPEN'"
        app.builder.query_one("#qb-page", Input).value = ""
        await pilot.press("ctrl+r")
        await settle(pilot)
        await wait_until(pilot, lambda: "Query GSI1" in advisor_text(app))
        await pilot.press("f6")
        await pilot.pause()
        text = screen_text(app)
        assert "overloaded key" in text
        assert f"{MARKUP}\\u001b[2J{CLOSING}#OPEN" in text
        assert "\x1b" not in text and ESC not in terminal_bytes(app)
        await pilot.press("enter")  # apply it: the builder takes the value as it is
        await pilot.pause()
        assert app.builder.index == "GSI1"
        assert app.builder.built.params["ExpressionAttributeValues"][":v0"] == {"S": key}
        assert app.is_running


# ---- access patterns ----------------------------------------------------------------------------------


def test_every_pattern_loads_as_a_valid_request():
    schemas = {t: TableSchema.from_describe(demo_data.table_definition(t)) for t in demo_data.table_names()}
    for p in PATTERNS:
        req = pattern_request(p)
        assert req.page_size == p.limit and req.descending == p.descending, p.id
        if p.id == "anti-filter-on-key":
            # what DynamoDB rejects: the builder says so, and the advisor has the fix
            with pytest.raises(ExprError, match="key"):
                build(req, schemas[p.table])
            fix = advise(req, schemas[p.table])[0]
            assert fix.kind == "filter-on-key" and fix.runnable
            continue
        built = build(req, schemas[p.table] if p.operation != "sql" else None)
        if p.operation == "get":
            assert set(built.params["Key"]) == {"pk", "sk"}, p.id


@pytest.fixture(scope="module")
def music_server():
    """A server of its own holding the demo's Music table (a slice of it): the patterns screen offers the
    patterns of the tables it finds."""
    with MotoServer() as server:
        client = make_client(Connection(endpoint_url=server.endpoint_url, region="us-east-1"))
        client.create_table(**demo_data.table_definition("Music"))
        songs = list(demo_data.items("Music"))
        jazz = [
            s
            for s in songs
            if s.get("Genre") == {"S": "Jazz"} and 1960 <= int(s.get("Year", {}).get("N", 0)) <= 1969
        ]
        assert jazz
        put_items(client, "Music", songs[:40] + [s for s in jazz if s not in songs[:40]])
        yield server


async def test_patterns_screen_loads_an_anti_pattern_and_its_better_alternative(music_server, tmp_path):
    conn = Connection(endpoint_url=music_server.endpoint_url, region="us-east-1")
    app = DdbtuiApp(
        make_client(conn), conn, config=Config(), history=History(tmp_path / "h.json"), connection_label="t"
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PatternsScreen)
        assert {p.table for p in screen.patterns} == {"Music"}  # only the tables that are there
        anti = by_id("anti-scan-music-genre")
        screen.query_one("#patterns-list").highlighted = screen.patterns.index(anti)
        await wait_until(pilot, lambda: "b Load better" in screen_text(app))  # the footer follows
        assert "Better: Jazz from the 1960s (GenreIndex)" in screen_text(app)

        await pilot.press("enter")  # opens Music (no first page: nothing runs) and loads the pattern
        await settle(pilot)
        assert app.schema is not None and app.schema.name == "Music"
        assert app.ledger.totals().requests == 0
        req = app.builder.built.request
        assert (req.operation, req.filter) == ("scan", anti.filter)
        await pilot.press("ctrl+r")
        await settle(pilot)
        scanned = {(r["Artist"]["S"], r["SongTitle"]["S"]) for r in app.results.rows}
        assert scanned and "anti-scan-music-genre" in app.advice.pattern_runs

        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.current.id == anti.id  # the list comes back where it was
        assert "RCU" in screen_text(app)  # the last run's units next to the pattern
        await pilot.press("b")
        await settle(pilot)
        req = app.builder.built.request
        better = by_id(anti.better)
        assert (req.operation, req.index, app.builder.index) == ("query", better.index, better.index)
        assert app.builder.built.params["KeyConditionExpression"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert {(r["Artist"]["S"], r["SongTitle"]["S"]) for r in app.results.rows} == scanned
        assert set(app.advice.pattern_runs) == {anti.id, better.id}
        assert app.ledger.totals().requests == 2
