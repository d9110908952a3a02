"""The installed ``ddbtui`` in a real pseudo-terminal, read back through a terminal emulator (pyte).

Pilot runs the app headless; what it can't show is the hand-over to ``$EDITOR`` (App.suspend needs a
real terminal) and what a user's terminal actually receives. Here the whole round trip runs as a user
would: open the table, edit the item in $EDITOR (a script), review the diff, write, quit — and the item
on the server is what the editor wrote, with every other attribute's type intact.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

import pyte
import pytest

from ddbtui.aws.session import Connection, make_client
from tests.conftest import create_table

COLS, ROWS = 120, 36


class Terminal:
    """A child process on a pty, its output fed to a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become ddbtui
            os.execvpe(argv[0], argv, env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.raw = bytearray()
        self.exit_code: int | None = None

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.raw += data
                self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never appeared; the screen:\n{self.text()}")
            self.pump(0.1)

    def press(self, keys: bytes, settle: float = 0.3) -> None:
        os.write(self.fd, keys)
        self.pump(settle)

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_code = os.waitstatus_to_exitcode(status)
                return self.exit_code
        raise AssertionError(f"ddbtui did not exit; the screen:\n{self.text()}")

    def close(self) -> None:
        """Kill the child if it is still there (after a failure), and close the pty."""
        if self.exit_code is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def ddbtui_env(tmp_path: Path, **extra: str) -> tuple[str, dict[str, str]]:
    """The installed ddbtui and an environment for it: a terminal, private config and data dirs."""
    ddbtui = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"
    env = dict(
        os.environ,
        TERM="xterm-256color",
        DDBTUI_CONFIG_DIR=str(tmp_path / "config"),
        DDBTUI_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    env.pop("VISUAL", None)
    return ddbtui, env


def workbench(ddbtui: str, endpoint: str, table: str, *more: str) -> list[str]:
    """The command line that opens ``table`` in the workbench on ``endpoint``."""
    return [ddbtui, "--endpoint-url", endpoint, "--region", "us-east-1", "--table", table, *more]


EDITOR = """\
import json, sys
path = sys.argv[1]
item = json.load(open(path, encoding="utf-8"))
assert item["status"] == {"S": "OPEN"}, item   # the editor gets DynamoDB JSON: types are explicit
item["status"] = {"S": "CLOSED"}
item["note"] = {"S": "edited in $EDITOR"}
json.dump(item, open(path, "w", encoding="utf-8"))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="pty + /proc")
def test_edit_in_editor_diff_and_write_in_a_real_terminal(moto_server, table_name, tmp_path):
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    create_table(client, table_name)
    item = {
        "pk": {"S": "C#1"},
        "sk": {"S": "ORDER#1"},
        "status": {"S": "OPEN"},
        "total": {"N": "12345678901234567890.123456789012345678"},  # 38 digits
        "tags": {"SS": ["a", "b"]},
        "blob": {"B": b"\x00\xff"},
        "scores": {"NS": ["1.5", "2"]},
    }
    client.put_item(TableName=table_name, Item=item)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    ddbtui, env = ddbtui_env(
        tmp_path, EDITOR=f"{sys.executable} {script}", AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test"
    )
    term = Terminal(workbench(ddbtui, moto_server.endpoint_url, table_name, "--allow-writes"), env)
    try:
        term.wait_for("ORDER#1")  # the table opened and its first page is on screen
        assert "WRITES" in term.text()
        term.press(b"\x0c")  # ctrl+l: the results
        term.press(b"e")  # edit the item under the cursor
        term.wait_for("$EDITOR")
        term.press(b"\x0f", settle=1.0)  # ctrl+o: hand the terminal to $EDITOR, then take it back
        term.wait_for("CLOSED")
        term.press(b"\x13")  # ctrl+s: review
        term.wait_for("1 added")
        assert "status" in term.text()
        term.press(b"\x13")  # ctrl+s in the diff: write
        deadline = time.monotonic() + 20
        while True:
            now = client.get_item(TableName=table_name, Key={"pk": item["pk"], "sk": item["sk"]})["Item"]
            if now["status"] == {"S": "CLOSED"} or time.monotonic() > deadline:
                break
            term.pump(0.2)
        term.press(b"\x11")  # ctrl+q
        code = term.wait_exit()
    finally:
        term.close()
    assert code == 0
    assert now == {**item, "status": {"S": "CLOSED"}, "note": {"S": "edited in $EDITOR"}}
    assert b"\x1b[?1049l" in term.raw  # the alternate screen was left: the terminal is given back


PAGER = """\
import shutil, sys
shutil.copyfile(sys.argv[2], sys.argv[1])  # $PAGER is "python pager.py OUT"; ddbtui adds the file
"""


@pytest.mark.skipif(sys.platform != "linux", reason="pty")
def test_item_view_hands_the_item_to_the_pager_and_takes_the_terminal_back(moto_server, table_name, tmp_path):
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    create_table(client, table_name)
    item = {"pk": {"S": "C#1"}, "sk": {"S": "ORDER#7"}, "total": {"N": "12.50"}, "note": {"S": "a\x1b[2Jb"}}
    client.put_item(TableName=table_name, Item=item)
    script, shown = tmp_path / "pager.py", tmp_path / "shown.json"
    script.write_text(PAGER)
    ddbtui, env = ddbtui_env(
        tmp_path, PAGER=f"{sys.executable} {script} {shown}", AWS_ACCESS_KEY_ID="t", AWS_SECRET_ACCESS_KEY="t"
    )
    term = Terminal(workbench(ddbtui, moto_server.endpoint_url, table_name), env)
    try:
        term.wait_for("ORDER#7")
        term.press(b"\x0c")  # ctrl+l: the results
        term.press(b"\r")  # the item view
        term.wait_for("GetItem")  # its size and cost line
        term.press(b"p", settle=1.0)  # hand the terminal to $PAGER, then take it back
        deadline = time.monotonic() + 20
        while not shown.exists() and time.monotonic() < deadline:
            term.pump(0.1)
        term.wait_for("GetItem")  # the item view again, redrawn
        term.press(b"\x1b")  # escape: the results
        term.press(b"\x11")  # ctrl+q
        code = term.wait_exit()
    finally:
        term.close()
    assert code == 0
    text = shown.read_bytes().decode("utf-8")
    assert b"\x1b" not in shown.read_bytes()  # the hostile value arrives escaped, as the view shows it
    # plain JSON, as the view shows it: the number's digits as stored, the ESC as a JSON escape
    assert '"total": 12.50' in text and '"note": "a\\u001b[2Jb"' in text
    assert json.loads(text, parse_float=Decimal) == {
        "pk": "C#1",
        "sk": "ORDER#7",
        "total": Decimal("12.50"),
        "note": "a\x1b[2Jb",
    }
    assert b"\x1b[?1049l" in term.raw  # the alternate screen was left for the pager and on exit


@pytest.mark.skipif(sys.platform != "linux", reason="pty")
def test_hostile_table_data_never_reaches_the_terminal_raw(moto_server, table_name, tmp_path):
    """The shared hostile corpus, shown in the table view and in the item view of each item: none of its
    escape sequences, C1 controls or bidi overrides is among the bytes the terminal receives, and the
    [@click=app.quit] markup quits nothing."""
    from tests import hostile

    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    client.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for it in hostile.items():
        client.put_item(TableName=table_name, Item=it)
    ddbtui, env = ddbtui_env(tmp_path, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    term = Terminal(workbench(ddbtui, moto_server.endpoint_url, table_name), env)
    try:
        term.wait_for("a-strings")
        term.press(b"\x0c")  # ctrl+l: the results
        for _ in hostile.items():  # open each item, then back, then the next row
            term.press(b"\r", settle=0.3)
            term.wait_for("Copy item")  # the item view's footer
            term.press(b"\x1b", settle=0.4)
            term.press(b"\x1b[B", settle=0.2)  # down
        assert term.exit_code is None and os.waitpid(term.pid, os.WNOHANG) == (0, 0)  # nothing quit it
        term.press(b"\x11")  # ctrl+q
        assert term.wait_exit() == 0
    finally:
        term.close()
    raw = bytes(term.raw)
    for payload in (
        b"\x1b]52;c;aGVsbG8=",  # OSC 52: a clipboard write
        b"\x1b]52;c;eA==",
        b"\x1b]8;;https://evil.example",  # OSC 8: a hidden link
        b"\x1b[31mred",  # data's own colour
        "\x9b31m".encode(),  # C1 CSI, as UTF-8
        "\x9d0;title".encode(),  # C1 OSC
        "\u202e".encode(),  # bidi override
        "\u2066".encode(),
    ):
        assert payload not in raw, payload
    assert "a-strings" in raw.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform != "linux", reason="pty + /proc")
def test_demo_workbench_opens_a_table_and_quits_leaving_no_engine(tmp_path):
    """`ddbtui --demo --table Shop` in a terminal: the embedded engine starts, Shop (the larger table, seeded
    last by size) is loaded first and opened once whole — its first page is full, never "no items" of a
    table still loading; ctrl+q quits with 0 and the engine is gone."""
    from tests.cli.test_cli_demo import _engines_marked

    mark = f"ddbtui-pty-{os.getpid()}-{time.monotonic_ns()}"
    ddbtui, env = ddbtui_env(tmp_path, DDBTUI_TEST_MARK=mark)
    term = Terminal([ddbtui, "--demo", "--table", "Shop"], env)
    try:
        term.wait_for("25 items · more: n", timeout=90)  # Shop's first page, full, on screen
        # the schema pane's title and the page are painted in separate frames: under load the terminal
        # can be read between them. The first index is waited for, not the last: once the sparse counts
        # arrive the pane scrolls and GSI1 is below its fold in a 24-row terminal
        term.wait_for("Indexes · Shop", timeout=30)
        term.wait_for("ByTotal LSI", timeout=30)
        assert "no items" not in term.text()
        assert "demo" in term.text()
        assert _engines_marked(mark), "the demo engine is not running under ddbtui"
        term.press(b"\x11")  # ctrl+q
        assert term.wait_exit(timeout=30) == 0
    finally:
        term.close()
    deadline = time.monotonic() + 10
    while _engines_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _engines_marked(mark) == []
