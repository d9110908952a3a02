"""What the workbench's controllers call on the app: its session services and the widgets they drive.

``DdbtuiApp`` implements ``Host``; the controllers (advice, requests, tables, writes, selection, …) are
handed the app typed as a ``Host`` and never import ``ddbtui.ui.app``, so the app composes them without an
import cycle. Only what a controller really uses is listed here; the Textual part mirrors ``textual.app.App``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker
from textual.worker_manager import WorkerManager

from ddbtui.core.capacity import Ledger
from ddbtui.core.schema import TableSchema
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from ddbtui.ui.results import ResultSet
from ddbtui.ui.widgets.query_builder import QueryBuilder
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.status_bar import StatusBar


class Host(Protocol):
    """The workbench app, as its controllers see it."""

    # --- the session --------------------------------------------------------------------------------
    client: Any  # the boto3 DynamoDB client (built on the main thread)
    connection: Any  # ddbtui.aws.session.Connection, or None
    connection_label: str
    config: Config
    history: History
    ledger: Ledger
    estimate: bool  # estimate the capacity of requests DynamoDB does not report it for
    seed_demo: bool  # --demo: the tables are the demo data set (sized from it, not sampled)
    clock: Callable[[], float]

    @property
    def schema(self) -> TableSchema | None:
        """The open table's schema."""
        ...

    @property
    def result(self) -> ResultSet | None:
        """The request whose rows the results pane shows."""
        ...

    # --- the workbench's widgets and services ---------------------------------------------------------

    @property
    def results(self) -> ResultsView: ...

    @property
    def builder(self) -> QueryBuilder: ...

    @property
    def status(self) -> StatusBar: ...

    def show_error(self, message: str, *, in_results: bool = True) -> None: ...

    def show_page_info(self, row: int | None = None) -> None: ...

    def open_table(self, name: str, then: Callable[[], None] | None = None) -> None: ...

    # --- Textual's App ------------------------------------------------------------------------------

    @property
    def screen(self) -> Screen[Any]: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...

    @property
    def workers(self) -> WorkerManager: ...

    @property
    def size(self) -> Any: ...

    @property
    def current_theme(self) -> Any: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def pop_screen(self) -> Any: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def run_worker(
        self,
        work: Any,
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[Any]: ...

    def set_timer(self, delay: float, callback: Any = None) -> Timer: ...

    def refresh_bindings(self) -> None: ...

    def copy_to_clipboard(self, text: str) -> None: ...

    def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
