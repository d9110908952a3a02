"""f9: tail the open table's stream live (``ddbtui stream`` in the workbench).

A thread worker follows the stream with ``StreamTail`` (from now; ``t`` restarts it from the oldest record
kept) and hands each record to the screen as one line: time, event, keys, what changed — the line of
``ddbtui stream``, every value through ``safe_text``/``display_av`` inside ``Text``, into a ``RichLog``
that never parses markup. A table without a stream shows the command that turns it on. Escape sets the
cancel event (the worker stops within one poll) and closes.
"""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, RichLog, Static

from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines

MAX_LINES = 2000


class StreamScreen(ModalScreen[None]):
    """Tail the stream of ``table``. ``poll`` is the idle wait between GetRecords rounds."""

    DEFAULT_CSS = """
    #stream-dialog { height: 90%; }
    #stream-log { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="stream.close", tooltip="Stop the tail and close"),
        Binding(
            "t",
            "toggle_start",
            "From start/now",
            id="stream.from_start",
            tooltip="Restart the tail from the oldest record kept (trim horizon) / from now",
        ),
        Binding("c", "clear", "Clear", id="stream.clear", tooltip="Clear the lines shown"),
    ]

    def __init__(self, client: Any, connection: Any, table: str, *, poll: float = 0.5) -> None:
        super().__init__()
        self.client = client
        self.connection = connection
        self.table = table
        self.poll = poll
        self.from_start = False
        self.cancel = threading.Event()
        self.records = 0
        self.tailing = False  # the iterators are positioned: from now on no change is missed

    def compose(self) -> ComposeResult:
        with Vertical(id="stream-dialog", classes="dialog"):
            yield Static(Text(f"Stream · {safe_text(self.table)}", style="bold"), id="stream-title")
            yield Static(Text("connecting to the stream…"), id="stream-status")
            yield RichLog(
                id="stream-log",
                max_lines=MAX_LINES,
                wrap=False,
                markup=False,
                highlight=False,
                auto_scroll=True,
            )
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stream-log").focus()
        self._restart()

    def on_unmount(self) -> None:
        self.cancel.set()

    def _restart(self) -> None:
        self.cancel.set()  # the previous tail, if any, stops within one poll
        self.cancel = threading.Event()
        self.tailing = False
        self._tail(self.cancel, self.from_start)

    @work(thread=True, exclusive=True, group="stream", exit_on_error=False)
    def _tail(self, cancel: threading.Event, from_start: bool) -> None:
        from ddbtui.aws.stream import StreamNotEnabled, StreamTail, service_client, stream_arn_of
        from ddbtui.core.stream_lines import text_line

        def post(fn: Any, *args: Any) -> None:
            if not cancel.is_set():
                self.app.call_from_thread(fn, *args)

        try:
            arn, view = stream_arn_of(self.client, self.table)
            tail = StreamTail(
                service_client(self.connection, "dynamodbstreams"),
                arn,
                from_start=from_start,
                cancel=cancel,
                poll_interval=self.poll,
            ).start()
            shards = tail.shard_count
            where = "the oldest record kept" if from_start else "now"
            post(
                self._started,
                f"tailing ({safe_text(view)}, {shards} shard{'s' if shards != 1 else ''}) from {where} · "
                "t: " + ("from now" if from_start else "from the oldest record kept"),
            )
            for ev in tail.events():
                post(self._add, text_line(ev))
        except StreamNotEnabled as e:
            post(self._no_stream, str(e))
        except Exception as e:  # noqa: BLE001 - shown in the dialog; the app keeps running
            post(self._failed, str(e) or type(e).__name__)

    def _started(self, status: str) -> None:
        if self.is_mounted:
            self.tailing = True
            self.query_one("#stream-status", Static).update(Text(status))

    def _add(self, line: Text) -> None:
        if self.is_mounted:
            self.records += 1
            self.query_one("#stream-log", RichLog).write(line)

    def _no_stream(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#stream-status", Static).update(Text(safe_lines(message), style="yellow"))

    def _failed(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#stream-status", Static).update(Text("✗ " + safe_text(message), style="bold red"))

    def action_toggle_start(self) -> None:
        self.from_start = not self.from_start
        self.query_one("#stream-log", RichLog).clear()
        self.query_one("#stream-status", Static).update(Text("connecting to the stream…"))
        self._restart()

    def action_clear(self) -> None:
        self.query_one("#stream-log", RichLog).clear()

    def action_close(self) -> None:
        self.cancel.set()
        self.dismiss(None)
