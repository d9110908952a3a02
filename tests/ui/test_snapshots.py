"""SVG snapshots of the workbench at 80x24 and 120x40, on a moto server of their own holding fixed data.

Regenerate with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and read the SVGs' text.
"""

from __future__ import annotations

import pytest

from ddbtui.aws.embedded import MotoServer
from ddbtui.aws.session import Connection, make_client
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from tests.conftest import create_table
from tests.ui.conftest import order_items, put_items, settle, wait_until


@pytest.fixture(scope="module")
def fixed_server():
    """Only these tables, so the tables pane is the same on every run."""
    with MotoServer() as server:
        client = make_client(Connection(endpoint_url=server.endpoint_url, region="us-east-1"))
        create_table(client, "Orders", gsis=[("GSI1", ("gsi1pk", "S"), ("gsi1sk", "S"), "ALL")])
        put_items(client, "Orders", order_items(60))
        create_table(client, "Music", pk=("artist", "S"), sk=("song", "S"))
        put_items(
            client,
            "Music",
            [
                {"artist": {"S": f"Artist {i}"}, "song": {"S": f"Song {i}"}, "year": {"N": str(1960 + i)}}
                for i in range(5)
            ],
        )
        yield server


@pytest.fixture
def snap_app(fixed_server, tmp_path):
    def make() -> DdbtuiApp:
        conn = Connection(endpoint_url=fixed_server.endpoint_url, region="us-east-1")
        client = make_client(conn)
        return DdbtuiApp(
            client,
            conn,
            config=Config(),
            history=History(tmp_path / "history.json"),
            connection_label="snapshot · us-east-1",
            clock=lambda: 1_800_000_000.0,
        )

    return make


def keys(*presses: str):
    """A run_before that presses keys, letting every request finish after each one."""

    async def run(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause(0.2)  # the footer follows the focus a moment later

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_start(snap_compare, snap_app, size):
    assert snap_compare(snap_app(), run_before=keys(), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_table_opened(snap_compare, snap_app, size):
    assert snap_compare(snap_app(), run_before=keys("down", "enter"), terminal_size=size)


def test_next_page(snap_compare, snap_app):
    assert snap_compare(snap_app(), run_before=keys("down", "enter", "n"), terminal_size=(80, 24))


def test_item_view(snap_compare, snap_app):
    assert snap_compare(snap_app(), run_before=keys("down", "enter", "enter"), terminal_size=(80, 24))


def test_help(snap_compare, snap_app):
    assert snap_compare(snap_app(), run_before=keys("f1"), terminal_size=(120, 40))


def test_filter_error(snap_compare, snap_app):
    async def run(pilot) -> None:
        await keys("down", "enter")(pilot)
        box = pilot.app.builder.query_one("#qb-filter")
        box.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        box.focus()
        await pilot.press(*"total >> 5")
        await settle(pilot)
        await pilot.pause(0.2)

    assert snap_compare(snap_app(), run_before=run, terminal_size=(80, 24))


def test_advisor_line(snap_compare, snap_app):
    async def run(pilot) -> None:
        await keys("down", "enter")(pilot)
        box = pilot.app.builder.query_one("#qb-filter")
        box.cursor_blink = False
        box.value = "gsi1pk = 'OPEN'"
        # the advisor waits for a quiet moment, then thinks in a worker
        await wait_until(pilot, lambda: pilot.app.query_one("#advisor").display)
        await settle(pilot)
        await pilot.pause(0.2)

    assert snap_compare(snap_app(), run_before=run, terminal_size=(80, 24))
