"""The table report (f8), the stream tail (f9) and the export dialog in the workbench: Pilot against the
real moto server, small tables made in each test; hostile values render literally, with no ESC byte."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from ddbtui.core.values import item_to_plain_json
from ddbtui.ui.screens.export_screen import ExportScreen
from ddbtui.ui.screens.help_screen import HelpScreen
from ddbtui.ui.screens.report_screen import ReportScreen
from ddbtui.ui.screens.stream_screen import StreamScreen
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text, terminal_bytes

SIZE = (80, 24)
TALL = (110, 70)
HOSTILE = "hot[/x]\x1b[2J\x1b]52;c;aGVsbG8=\x07key"


def hot_items() -> list[dict]:
    items = [{"pk": {"S": HOSTILE}, "sk": {"S": f"{i:04d}"}, "v": {"N": str(i)}} for i in range(60)]
    items += [{"pk": {"S": f"cold{i}"}, "sk": {"S": "0"}, "v": {"N": "1"}} for i in range(5)]
    return items


def assert_no_escape(app) -> None:
    text = screen_text(app)
    raw = terminal_bytes(app)
    assert "\x1b" not in text and "\x07" not in text
    assert "\x1b]52" not in raw and "\x1b[2J" not in raw


async def open_table(pilot, name: str) -> None:
    await wait_until(pilot, lambda: pilot.app.schema is not None and pilot.app.schema.name == name)
    await settle(pilot)


def scan_all(client, table: str) -> list[dict]:
    items, kw = [], {}
    while True:
        page = client.scan(TableName=table, **kw)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]


# --------------------------------------------------------------------------------------------- report


async def test_report_shows_hot_partition_finding_and_distribution(make_app, moto_client, table_name):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, hot_items())
    app = make_app(table=table_name)
    async with app.run_test(size=TALL) as pilot:
        await open_table(pilot, table_name)
        await pilot.press("f8")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await wait_until(pilot, lambda: screen.facts is not None, timeout=20)
        await pilot.pause()
        assert any(f.id == "hot-partition" for f in screen.found)
        text = screen_text(app)
        assert "Hot partition risk" in text
        assert "WARNING" in text
        assert "Configuration" in text and "Billing mode" in text
        assert "hot[/x]\\e[2J" in text  # the hostile key in the finding: markup literal, ESC visible
        assert_no_escape(app)
        screen.query_one("#report-scroll").scroll_end(animate=False)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Top partition keys by items" in text
        assert "hot[/x]\\e[2J" in text  # and in the distribution rows
        assert "60 items" in text
        assert_no_escape(app)
        assert screen.markdown.startswith("#")
        assert screen.query_one("#report-spark").display
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


async def test_report_screen_shows_the_key_census_of_a_table_larger_than_its_sample(
    make_app, moto_client, table_name
):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, hot_items())
    app = make_app(table=table_name)
    async with app.run_test(size=TALL) as pilot:
        await open_table(pilot, table_name)
        screen = ReportScreen(app.client, app.connection, table_name, sample=20)  # 20 of 65 items
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.facts is not None, timeout=20)
        await pilot.pause()
        assert not screen.facts.sample.complete and screen.facts.sample.census.complete
        hot = next(f for f in screen.found if f.id == "hot-partition")
        assert "holds 92.3% of the table's items" in hot.title  # 60 of 65, counted by the census
        screen.query_one("#report-scroll").scroll_end(animate=False)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Key census: keys of all 65 items counted" in text
        assert "6 keys · median 1 items/key" in text
        assert "hot[/x]\\e[2J" in text and "60 items  92.3% of the table" in text
        assert "Top partition keys by items in the sample" in text
        assert_no_escape(app)


async def test_report_escape_cancels_while_gathering(make_app, slow_client, table_name, moto_client):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, hot_items()[:10])
    app = make_app(client=slow_client, table=table_name)
    async with app.run_test(size=SIZE) as pilot:
        await open_table(pilot, table_name)
        slow_client.gate.close()
        await pilot.press("f8")
        assert isinstance(app.screen, ReportScreen)
        await wait_until(pilot, slow_client.gate.entered.is_set)
        assert "gathering" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)
        slow_client.gate.open()
        await settle(pilot)


async def test_report_needs_an_open_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


# --------------------------------------------------------------------------------------------- stream


def create_stream_table(client, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )


async def test_stream_tail_shows_insert_and_modify_by_another_client(make_app, moto_client, table_name):
    create_stream_table(moto_client, table_name)
    moto_client.put_item(TableName=table_name, Item={"pk": {"S": "before"}, "sk": {"S": "0"}})
    app = make_app(table=table_name)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_table(pilot, table_name)
        await pilot.press("f9")
        screen = app.screen
        assert isinstance(screen, StreamScreen)
        await wait_until(pilot, lambda: screen.tailing, timeout=15)
        key = {"pk": {"S": "order1"}, "sk": {"S": "A"}}
        moto_client.put_item(TableName=table_name, Item={**key, "status": {"S": "OPEN"}, "n": {"N": "1"}})
        moto_client.update_item(
            TableName=table_name,
            Key=key,
            UpdateExpression="SET #s = :s, note = :h",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "SHIPPED"}, ":h": {"S": HOSTILE}},
        )
        await wait_until(pilot, lambda: screen.records >= 2, timeout=15)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "INSERT" in text and "MODIFY" in text
        assert "pk=order1" in text
        assert "before" not in text  # from now: the record made before the tail started is not shown
        assert "~status: OPEN → SHIPPED" in text
        assert "+note=hot[/x]\\e[2J" in text
        assert_no_escape(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StreamScreen)
        assert screen.cancel.is_set()
        await settle(pilot)


async def test_stream_toggle_reads_from_trim_horizon(make_app, moto_client, table_name):
    create_stream_table(moto_client, table_name)
    moto_client.put_item(TableName=table_name, Item={"pk": {"S": "earlier"}, "sk": {"S": "0"}})
    app = make_app(table=table_name)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_table(pilot, table_name)
        await pilot.press("f9")
        screen = app.screen
        await wait_until(pilot, lambda: screen.tailing, timeout=15)
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.records >= 1, timeout=15)
        assert "pk=earlier" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)


async def test_stream_off_says_how_to_turn_it_on(make_app, moto_client, table_name):
    create_table(moto_client, table_name)
    app = make_app(table=table_name)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_table(pilot, table_name)
        await pilot.press("f9")
        await wait_until(pilot, lambda: "no stream" in screen_text(app), timeout=15)
        text = screen_text(app)
        assert "update-table" in text and "StreamEnabled=true" in text.replace(" ", "")
        await pilot.press("escape")
        await settle(pilot)


# --------------------------------------------------------------------------------------------- export


async def run_palette(pilot, title: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*title)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_export_dialog_writes_jsonl_equal_to_a_scan(make_app, moto_client, table_name, tmp_path):
    create_table(moto_client, table_name)
    items = hot_items()[:40] + [
        {"pk": {"S": "x"}, "sk": {"S": "y"}, "m": {"M": {"a": {"L": [{"N": "1.5"}]}}}}
    ]
    put_items(moto_client, table_name, items)
    out = tmp_path / "out.jsonl"
    app = make_app(table=table_name)
    async with app.run_test(size=SIZE) as pilot:
        await open_table(pilot, table_name)
        await run_palette(pilot, "Export results to file")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one("#export-format", Select).value == "jsonl"
        box = screen.query_one("#export-path", Input)
        assert app.focused is box
        box.value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.result is not None, timeout=20)
        assert screen.result.complete
        assert "exported 41 items" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    got = sorted(json.dumps(json.loads(line), sort_keys=True) for line in out.read_text().splitlines())
    want = sorted(
        json.dumps(json.loads(item_to_plain_json(it)), sort_keys=True)
        for it in scan_all(moto_client, table_name)
    )
    assert got == want and len(got) == 41


async def test_export_uses_the_builders_filter(make_app, moto_client, table_name, tmp_path):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, hot_items())
    out = tmp_path / "cold.jsonl"
    app = make_app(table=table_name)
    async with app.run_test(size=SIZE) as pilot:
        await open_table(pilot, table_name)
        app.builder.query_one("#qb-filter", Input).value = "begins_with(pk, 'cold')"
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.filter == "begins_with(pk, 'cold')"
        screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.result is not None, timeout=20)
        await pilot.press("escape")
        await settle(pilot)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["pk"] for r in rows) == [f"cold{i}" for i in range(5)]


async def test_export_escape_cancels_in_flight_then_closes(
    make_app, slow_client, moto_client, table_name, tmp_path
):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, hot_items())
    out = tmp_path / "cancelled.jsonl"
    app = make_app(client=slow_client, table=table_name)
    async with app.run_test(size=SIZE) as pilot:
        await open_table(pilot, table_name)
        app.action_export()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-path", Input).value = str(out)
        slow_client.gate.close()
        await pilot.press("enter")
        await wait_until(pilot, slow_client.gate.entered.is_set)
        await pilot.press("escape")  # cancels, does not close
        await pilot.pause()
        assert app.screen is screen and screen.cancel.is_set()
        assert "cancelling" in screen_text(app)
        slow_client.gate.open()
        await wait_until(pilot, lambda: screen.result is not None, timeout=20)
        assert screen.result.status == "cancelled"
        assert "cancelled after" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        await settle(pilot)


# --------------------------------------------------------------------------------------------- help, palette


async def test_help_and_palette_list_the_new_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everywhere = dict(app.key_sections()[0][1])
        assert "f8" in everywhere and "f9" in everywhere
        titles = {c.title for c in app.palette_commands()}
        assert {"Table report", "Tail stream", "Export results to file…"} <= titles
        sections = dict(app.key_sections())
        keys = dict(sections["Report, stream and export"])
        assert "y" in keys and "t" in keys
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
