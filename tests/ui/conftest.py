"""Workbench tests: the app against the real moto server, with its config and history in a temp dir."""

from __future__ import annotations

import asyncio
import inspect
import threading

import pytest

from ddbtui.aws.session import Connection, make_client
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from tests.conftest import create_table


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (Pilot needs one; no asyncio plugin required)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """No test reads or writes the user's real config or history."""
    monkeypatch.setenv("DDBTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("DDBTUI_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def make_app(moto_server, moto_client, tmp_path):
    """``make_app(table=None, client=None, **kw)``: the workbench on the session's moto server."""

    def make(client=None, **kw) -> DdbtuiApp:
        conn = Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1")
        kw.setdefault("connection_label", "test")
        kw.setdefault("config", Config())
        kw.setdefault("history", History(tmp_path / "history.json"))
        return DdbtuiApp(client or moto_client, conn, **kw)

    return make


class Gate:
    """A botocore ``before-send`` hook that holds requests on the wire until the test opens it."""

    def __init__(self) -> None:
        self.closed = False
        self.entered = threading.Event()  # a request is being held
        self.opened = threading.Event()

    def hook(self, **kwargs) -> None:
        if self.closed:
            self.entered.set()
            self.opened.wait(15)
        # returning None lets the request go ahead

    def close(self) -> None:
        self.entered.clear()
        self.opened.clear()
        self.closed = True

    def open(self) -> None:
        self.closed = False
        self.opened.set()


@pytest.fixture
def recorder(moto_server):
    """A client of its own that records the DynamoDB operations it sends."""
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    client.sent = []

    def hook(request, **kwargs) -> None:
        client.sent.append(request.headers.get("X-Amz-Target", b"").decode().split(".")[-1])

    client.meta.events.register("before-send.dynamodb.*", hook)
    return client


@pytest.fixture
def slow_client(moto_server):
    """A client of its own whose requests can be held (``client.gate``): a slow link, on demand."""
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    client.gate = Gate()
    client.meta.events.register("before-send.dynamodb.*", client.gate.hook)
    yield client
    client.gate.open()


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def order_items(n: int, customers: int = 3) -> list[dict]:
    return [
        {
            "pk": {"S": f"C#{i % customers}"},
            "sk": {"S": f"ORDER#{i:04d}"},
            "status": {"S": "OPEN" if i % 3 else "SHIPPED"},
            "total": {"N": str(i * 10 + 5)},
            "gsi1pk": {"S": "OPEN" if i % 3 else "SHIPPED"},
            "gsi1sk": {"S": f"{i:04d}"},
        }
        for i in range(n)
    ]


def put_items(client, table: str, items: list[dict]) -> None:
    for start in range(0, len(items), 25):
        client.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": it}} for it in items[start : start + 25]]}
        )


@pytest.fixture
def orders_table(moto_client, table_name):
    """A table of 60 orders over three customers, with a GSI on status."""
    create_table(moto_client, table_name, gsis=[("GSI1", ("gsi1pk", "S"), ("gsi1sk", "S"), "ALL")])
    put_items(moto_client, table_name, order_items(60))
    return table_name


async def settle(pilot, times: int = 2, timeout: float = 10.0) -> None:
    """Let workers finish (cancelled ones included) and the screen catch up."""
    import time

    deadline = time.monotonic() + timeout
    for _ in range(times):
        while any(not w.is_finished for w in pilot.app.workers):
            if time.monotonic() >= deadline:
                busy = [w.name for w in pilot.app.workers if not w.is_finished]
                raise AssertionError(f"workers still running after {timeout:g} s: {busy}")
            await pilot.pause(0.02)
        await pilot.pause()
