"""At 40x12 the results pane still shows rows (#21 item 11): the side pane narrows and the builder drops its
projection row and parameter line below 60 columns / 18 rows; an invalid request still shows its error."""

from __future__ import annotations

import re

from ddbtui.core.requests import ReadRequest
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle
from tests.ui.screen import screen_text


async def test_forty_by_twelve_shows_three_result_rows(make_app, moto_client, table_name):
    create_table(moto_client, table_name, sk=None)
    put_items(moto_client, table_name, [{"pk": {"S": f"k{i:02d}"}} for i in range(30)])
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        app.open_table(table_name)
        await settle(pilot)
        app.builder.load_request(ReadRequest("scan", table_name))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.results.rows) == 30
        shown = set(re.findall(r"k\d\d", screen_text(app)))
        assert len(shown) >= 3, screen_text(app)


async def test_a_short_terminal_still_shows_the_request_error(make_app, moto_client, table_name):
    create_table(moto_client, table_name, sk=None)
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        app.open_table(table_name)
        await settle(pilot)
        app.builder.load_request(ReadRequest("scan", table_name, filter="a = "))
        await settle(pilot)
        message = app.query_one("#qb-message")
        assert message.display is True and message.region.height >= 1
        assert message.has_class("-error")
