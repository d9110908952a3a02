"""Saved queries in the workbench (#17): f10 saves the builder's request under a name into queries.toml,
ctrl+g lists them and opens one back into the builder, which runs it."""

from __future__ import annotations

from ddbtui.aws.saved_store import SavedStore
from ddbtui.core.requests import ReadRequest
from ddbtui.ui.screens.saved_screen import SavedQueriesScreen, SaveQueryScreen
from tests.ui.conftest import settle
from tests.ui.test_workbench import open_by_typing


async def test_save_then_reopen_and_run(make_app, orders_table, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_by_typing(pilot, orders_table)
        saved = ReadRequest("query", orders_table, key="pk = 'C#1'", filter="total > 100", limit=4,
                            descending=True)  # fmt: skip
        app.builder.load_request(saved)
        await settle(pilot)
        titles = [c.title for c in app.palette_commands()]
        assert "Save the query…" in titles and "Saved queries" in titles
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SaveQueryScreen)
        await pilot.press(*"big ones", "enter")
        await settle(pilot)
        store = SavedStore(tmp_path / "config" / "queries.toml")  # DDBTUI_CONFIG_DIR of tests/ui/conftest.py
        assert store.get("big ones").request == saved
        # something else in the builder, then open the saved one back
        app.builder.load_request(ReadRequest("scan", orders_table))
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SavedQueriesScreen)
        await pilot.press("enter")  # the first of this table's queries is highlighted
        await settle(pilot)
        assert not isinstance(app.screen, SavedQueriesScreen)
        assert app.builder.request().with_(page_size=None) == saved
        await pilot.press("ctrl+r")
        await settle(pilot)
        # C#1 holds orders 1, 4, 7, …, 58 (total = 10 i + 5): over 100, newest first, 4 of them
        assert [r["sk"] for r in app.results.rows] == [{"S": f"ORDER#{i:04d}"} for i in (58, 55, 52, 49)]
