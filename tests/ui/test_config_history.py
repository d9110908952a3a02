"""Settings and history live in 0600 files under the platform dirs and change what the workbench does."""

from __future__ import annotations

import json
import stat

from ddbtui.core.requests import ReadRequest
from ddbtui.ui.config import Config, config_dir
from ddbtui.ui.history import MAX_PER_TABLE, History
from tests.ui.conftest import settle
from tests.ui.test_workbench import open_by_typing


def test_config_round_trip_is_private(tmp_path):
    path = tmp_path / "c" / "config.json"
    Config(page_size=50, theme="nord", keymap={"run": "f5"}, price_region="eu-west-1").save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # a new directory: only the user may list it
    loaded = Config.load(path)
    assert (loaded.page_size, loaded.theme, loaded.keymap, loaded.price_region) == (
        50,
        "nord",
        {"run": "f5"},
        "eu-west-1",
    )


def test_bad_config_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"page_size": "many", "keymap": {"run": 5}, "theme": "gruvbox"}))
    loaded = Config.load(path)
    assert loaded.page_size == Config().page_size and loaded.keymap == {} and loaded.theme == "gruvbox"
    path.write_text("not json")
    assert Config.load(path) == Config()


def test_history_keeps_last_500_per_table_newest_first(tmp_path):
    h = History(tmp_path / "h.json")
    for i in range(MAX_PER_TABLE + 20):
        h.add(ReadRequest("query", "T", key=f"pk = 'X{i}'"))
    h.add(ReadRequest("scan", "Other"))
    again = History(tmp_path / "h.json")
    recent = again.recent("T")
    assert len(recent) == MAX_PER_TABLE and recent[0].key == f"pk = 'X{MAX_PER_TABLE + 19}'"
    assert again.recent("Other")[0].operation == "scan"
    assert stat.S_IMODE((tmp_path / "h.json").stat().st_mode) == 0o600


async def test_config_page_size_and_keymap_override_apply(make_app, orders_table):
    app = make_app(config=Config(page_size=10, keymap={"run": "f5"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_by_typing(pilot, orders_table)
        assert len(app.results.rows) == 10
        requests = app.ledger.totals().requests
        await pilot.press("f5")
        await settle(pilot)
        assert app.ledger.totals().requests == requests + 1


async def test_theme_choice_is_saved(make_app, orders_table):
    app = make_app(config=Config.load())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((config_dir() / "config.json").read_text())["theme"] == "nord"
