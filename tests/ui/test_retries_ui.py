"""The workbench shows botocore's retries as they happen and stays responsive while a request is retried."""

from __future__ import annotations

import threading

from textual.widgets import Input

from ddbtui.aws.session import Connection, make_client
from tests import faults
from tests.ui.conftest import settle, wait_until
from tests.ui.screen import screen_text
from tests.ui.test_workbench import SIZE, open_by_typing


class ThrottleThenHold:
    """Scan: throttled twice, then the third try is held on the wire until ``release``."""

    def __init__(self) -> None:
        self.armed = False
        self.sends = 0
        self.held = threading.Event()
        self.release = threading.Event()

    def __call__(self, request, **_kw):
        if not self.armed:
            return None
        self.sends += 1
        if self.sends <= 2:
            return faults.THROTTLING(request)
        self.held.set()
        self.release.wait(15)
        return None


async def test_retries_show_in_the_status_bar_and_a_toast_while_the_ui_answers(
    make_app, orders_table, moto_server
):
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    fault = ThrottleThenHold()
    client.meta.events.register("before-send.dynamodb.Scan", fault)
    app = make_app(client=client)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_by_typing(pilot, orders_table)
        fault.armed = True
        await pilot.press("ctrl+r")
        await wait_until(pilot, fault.held.is_set)
        await wait_until(pilot, lambda: "try 3 of 5" in app.status.retry)
        await pilot.pause()
        text = screen_text(app)
        assert "retrying Scan: try 3 of 5 after ThrottlingException" in text
        assert any("retrying Scan" in n.message for n in app._notifications)
        # keys are answered while the retried request is on the wire
        app.query_one("#table-filter", Input).focus()
        await pilot.press("ctrl+u", *"xyz")
        assert app.query_one("#table-filter", Input).value == "xyz"
        fault.release.set()
        await settle(pilot)
        assert fault.sends == 3
        assert app.results.rows  # the third try's page arrived
        assert app.status.retry == ""  # the request is over: so are its retries
        assert "retrying" not in app.query_one("#status-text").render().plain


async def test_retries_exhausted_end_in_the_error_with_no_retry_left_on_screen(
    make_app, orders_table, moto_server
):
    client = make_client(
        Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1", max_attempts=2)
    )
    app = make_app(client=client)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        faults.inject(client, "Scan", faults.THROTTLED)
        await pilot.press("ctrl+r")
        await settle(pilot)
        text = screen_text(app)
        assert "ProvisionedThroughputExceededException" in text
        assert any("try 2 of 2" in n.message for n in app._notifications)
        assert app.status.retry == ""
