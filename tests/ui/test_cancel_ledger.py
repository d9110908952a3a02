"""A request that reached the server counts in the session's capacity ledger even when its page is dropped:
cancelled with escape, or superseded by a newer request (#21 item 11)."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.ui.conftest import settle, wait_until
from tests.ui.test_workbench import SIZE, open_by_typing


async def test_a_cancelled_requests_late_page_is_counted(make_app, orders_table, slow_client):
    app = make_app(client=slow_client)
    gate = slow_client.gate
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await settle(pilot)
        before = app.ledger.totals()
        gate.close()
        await pilot.press("ctrl+r")
        await wait_until(pilot, gate.entered.is_set)
        await pilot.press("escape")
        await pilot.pause()
        assert app.ledger.totals().requests == before.requests  # nothing has come back yet
        gate.open()  # the Scan reaches the server and its page comes back, to be dropped
        await wait_until(pilot, lambda: app.ledger.totals().requests == before.requests + 1)
        await settle(pilot)
        after = app.ledger.totals()
        assert app.results.rows == []
        assert after.requests == before.requests + 1
        assert after.read_units > before.read_units


async def test_a_superseded_requests_page_is_counted(make_app, orders_table, slow_client):
    app = make_app(client=slow_client)
    gate = slow_client.gate
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        await settle(pilot)
        before = app.ledger.totals().requests
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
        await wait_until(pilot, lambda: app.ledger.totals().requests == before + 2)
        await settle(pilot)
        assert all(r["pk"]["S"] == "C#2" for r in app.results.rows)
        assert app.ledger.totals().requests == before + 2  # the Query and the dropped Scan
