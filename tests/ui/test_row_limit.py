"""A fetch-all on a large table can't exhaust memory: the results pane keeps at most max_rows items."""

from __future__ import annotations

from ddbtui.ui.config import Config
from ddbtui.ui.screens.dialogs import FetchAllScreen
from tests.ui.conftest import settle
from tests.ui.screen import screen_text
from tests.ui.test_workbench import SIZE, open_by_typing


async def test_fetch_all_stops_at_the_row_limit_and_says_what_to_do(make_app, orders_table):
    app = make_app(config=Config(max_rows=30))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_by_typing(pilot, orders_table)
        assert len(app.results.rows) == 25  # the first page
        requests = app.ledger.totals().requests
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FetchAllScreen)
        await pilot.press("enter")
        await settle(pilot)
        # one more page (kept whole, so the resume point stays exact), then it stops: not all 60
        assert len(app.results.rows) == 50
        assert app.ledger.totals().requests == requests + 1
        assert app.result.has_more
        assert "stopped at 50 items" in screen_text(app)
        assert any("max_rows" in n.message for n in app._notifications)
        # n is refused too, with no request
        await pilot.press("n")
        await settle(pilot)
        assert len(app.results.rows) == 50 and app.ledger.totals().requests == requests + 1


async def test_the_limit_does_not_stop_a_read_that_fits(make_app, orders_table):
    app = make_app(config=Config(max_rows=1000))
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.results.rows) == 60 and not app.result.has_more
        assert "stopped at" not in screen_text(app)
