"""Data from tables is untrusted: whatever a value, an attribute name or an error says, the screen shows it
literally, with control characters made visible, and nothing reaches the terminal as an escape sequence."""

from __future__ import annotations

import json

from ddbtui.ui.screens.item_screen import ItemScreen
from tests.conftest import create_table
from tests.ui.conftest import settle
from tests.ui.screen import screen_text, terminal_bytes
from tests.ui.test_workbench import _error_response, open_by_typing

MARKUP = "[@click=app.quit]click me[/]"
CLOSING = "[/x]"
ANSI = "\x1b[2J\x1b[31mred"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"
C1 = "\x9b31mC1"
BIDI = "abc\u202edcba"


def nested(depth: int) -> dict:
    av: dict = {"S": "bottom [/x]"}
    for i in range(depth):
        av = {"M": {f"level{i}": av}}
    return av


HOSTILE_ITEMS = [
    {"pk": {"S": "a-markup"}, "v": {"S": MARKUP}, "w": {"S": CLOSING}, "x": {"S": "[bold red]BOLD[/]"}},
    {"pk": {"S": "b-ansi"}, "v": {"S": ANSI}, "w": {"S": OSC52}, "x": {"S": C1 + BIDI}},
    {
        "pk": {"S": "c-names"},
        CLOSING: {"S": "closing tag as a name"},
        "[@click=app.quit]": {"S": "click as a name"},
        "esc\x1b[2Jname": {"N": "1"},
    },
    {"pk": {"S": "d-binary"}, "v": {"B": b"\x1b[2J\x00\xff\x9b" * 10}, "w": {"BS": [b"\x1b]52;c;eA==\x07"]}},
    {"pk": {"S": "e-deep"}, "v": nested(32), "w": {"L": [{"S": OSC52}, {"NULL": True}, {"BOOL": True}]}},
    {"pk": {"S": "f-large"}, "v": {"S": ("x" * 1000 + "\x1b[2J") * 380}},
]


async def test_hostile_values_and_names_render_literally(make_app, moto_client, table_name):
    create_table(moto_client, table_name, sk=None)
    for item in HOSTILE_ITEMS:
        moto_client.put_item(TableName=table_name, Item=item)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await open_by_typing(pilot, table_name)
        assert len(app.results.rows) == len(HOSTILE_ITEMS)
        text = screen_text(app)
        raw = terminal_bytes(app)
        assert MARKUP in text and CLOSING in text and "[bold red]BOLD[/]" in text
        assert "\\e[2J\\e[31mred" in text  # ESC made visible
        assert "\\e]52;c;aGVsbG8=\\x07" in text
        assert "\\x9b31mC1" in text and "\\u202e" in text
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
        assert "\x1b]52" not in raw and "\x1b[2J" not in raw
        assert app.is_running

        # every item opens complete in the item view, in both JSON forms, nothing reaching the terminal
        for row in range(len(HOSTILE_ITEMS)):
            app.results.move_to(row)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ItemScreen)
            for _ in range(2):
                shown = screen_text(app)
                assert "\x1b" not in shown and "\x9b" not in shown
                assert "\x1b]52" not in terminal_bytes(app) and "\x1b[2J" not in terminal_bytes(app)
                await pilot.press("d")
                await pilot.pause()
            document = app.screen.query_one("#item-json").text.replace("\n", "")  # long lines are broken
            if app.results.rows[row]["pk"]["S"] == "f-large":
                assert len(document) > 380_000  # complete here, truncated in the cells
                assert document.count("\\u001b[2J") == 380  # JSON escapes ESC itself
            await pilot.press("escape")
            await pilot.pause()
        # copying hands the data to the clipboard verbatim (OSC 52 base64-encodes it)
        app.results.move_to(1)
        await pilot.press("y")
        assert json.loads(app.clipboard)["w"] == OSC52
        assert app.is_running


async def test_hostile_key_attribute_names_in_schema_and_builder(make_app, moto_client, table_name):
    create_table(moto_client, table_name, pk=("[/x]", "S"), sk=("[@click=app.quit]", "S"))
    moto_client.put_item(TableName=table_name, Item={"[/x]": {"S": "p"}, "[@click=app.quit]": {"S": "s"}})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_typing(pilot, table_name)
        text = screen_text(app)
        assert "[/x] S /" in text and "[@click=app.quit] S" in text  # the schema pane
        app.builder.query_one("#qb-op").value = "query"
        await pilot.pause()
        app.builder.query_one("#qb-pk").value = "p"
        await pilot.pause()
        assert app.builder.built is not None, app.builder.error
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.results.rows) == 1
        assert "[@click=app.quit] (S)" in screen_text(app)
        assert app.is_running


async def test_hostile_error_text_is_shown_literally(make_app, moto_server, moto_client, table_name):
    from ddbtui.aws.session import Connection, make_client

    create_table(moto_client, table_name)
    client = make_client(
        Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1", max_attempts=1)
    )
    failing = [False]
    message = "denied [/x] [@click=app.quit]quit[/] \x1b[2J\x1b]52;c;aGVsbG8=\x07"

    def hook(request, **kwargs):
        return _error_response(400, "AccessDeniedException", message) if failing[0] else None

    client.meta.events.register("before-send.dynamodb.*", hook)
    app = make_app(client=client)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_by_typing(pilot, table_name)
        failing[0] = True
        await pilot.press("ctrl+r")
        await settle(pilot)
        text = screen_text(app)
        assert "denied [/x] [@click=app.quit]quit[/] \\e[2J" in text
        assert "\x1b" not in text and "\x1b]52" not in terminal_bytes(app)
        assert app.is_running
