"""The command palette (ctrl+p): every workbench action, each open-able table and recent request.

Titles can hold table names, which are data: they are shown through ``highlight_plain`` because the
stock ``Matcher.highlight`` parses its text as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ddbtui.core.schema import TableSchema
from ddbtui.ui.history import History, describe_request
from ddbtui.ui.safe import highlight_plain, plain_content
from ddbtui.ui.widgets.query_builder import QueryBuilder
from ddbtui.ui.widgets.results_view import ResultsView


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str  # our own words only: the palette parses help as markup
    callback: Callable[[], object]


class _HasCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


class _Tables(Protocol):
    @property
    def names(self) -> list[str]: ...

    def load_tables(self) -> None: ...


class PaletteHost(Protocol):
    """What the palette lists of the workbench app: its actions, and the controllers' own commands."""

    advice: _HasCommands
    writes: _HasCommands
    selection: _HasCommands
    metrics: _HasCommands
    tables: _Tables
    history: History

    @property
    def schema(self) -> TableSchema | None: ...

    @property
    def results(self) -> ResultsView: ...

    @property
    def builder(self) -> QueryBuilder: ...

    def open_table(self, name: str, then: Callable[[], None] | None = None) -> None: ...

    def palette_commands(self) -> list[PaletteCommand]: ...

    def action_run(self) -> None: ...
    def action_next_page(self) -> None: ...
    def action_fetch_all(self) -> None: ...
    def action_cancel(self) -> None: ...
    def action_show_request(self) -> None: ...
    def action_copy_request(self) -> None: ...
    def action_history(self) -> None: ...
    def action_focus_tables(self) -> None: ...
    def action_focus_builder(self) -> None: ...
    def action_focus_results(self) -> None: ...
    def action_help(self) -> None: ...
    def action_report(self) -> None: ...
    def action_stream(self) -> None: ...
    def action_export(self) -> None: ...


def workbench_commands(app: PaletteHost) -> list[PaletteCommand]:
    """Every action of the workbench ``app``, each table to open, and the open table's recent requests."""
    results = app.results
    cmds = [
        PaletteCommand("Run the request", "ctrl+r: send the builder's request (first page)", app.action_run),
        PaletteCommand("Next page", "n: fetch the next page of the results", app.action_next_page),
        PaletteCommand(
            "Fetch all pages", "ctrl+f: read to the end, up to a capacity cap", app.action_fetch_all
        ),
        PaletteCommand("Cancel the request", "escape: stop the request in flight", app.action_cancel),
        PaletteCommand(
            "Show the request parameters", "f2: the exact boto3 parameters", app.action_show_request
        ),
        PaletteCommand(
            "Copy the request as JSON",
            "ctrl+y: the boto3 parameters, to the clipboard",
            app.action_copy_request,
        ),
        PaletteCommand("Open the item under the cursor", "enter in the results", results.action_open_item),
        PaletteCommand("Copy the item as JSON", "y in the results", results.action_copy_item),
        PaletteCommand("Copy the cell", "c in the results", results.action_copy_cell),
        PaletteCommand(
            "Previous fetched page", "[ in the results: no request", lambda: app.results.action_page_start(-1)
        ),
        PaletteCommand(
            "Next fetched page", "] in the results: no request", lambda: app.results.action_page_start(1)
        ),
        PaletteCommand("Query history", "f3: recall a recent request", app.action_history),
        PaletteCommand("Refresh the tables list", "ListTables again", app.tables.load_tables),
        PaletteCommand("Focus the tables", "ctrl+t", app.action_focus_tables),
        PaletteCommand("Focus the query builder", "ctrl+b", app.action_focus_builder),
        PaletteCommand("Focus the results", "ctrl+l", app.action_focus_results),
        PaletteCommand("Help: every key", "f1", app.action_help),
        PaletteCommand("Table report", "f8: findings, configuration and key distribution", app.action_report),
        PaletteCommand("Tail stream", "f9: the open table's stream, live", app.action_stream),
        PaletteCommand(
            "Export results to file…",
            "the builder's table and filter to JSON Lines, CSV or DynamoDB JSON",
            app.action_export,
        ),
        *app.advice.palette_commands(),
        *app.writes.palette_commands(),
        *app.selection.palette_commands(),
        *app.metrics.palette_commands(),
    ]
    for name in app.tables.names:
        cmds.append(
            PaletteCommand(
                f"Open table {name}", "show its schema and a first page", _bind(app.open_table, name)
            )
        )
    if app.schema is not None:
        for req in app.history.recent(app.schema.name)[:20]:
            cmds.append(
                PaletteCommand(
                    f"Recall: {describe_request(req)}",
                    "load into the builder",
                    _bind(app.builder.load_request, req),
                )
            )
    return cmds


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)


class WorkbenchCommands(Provider):
    """Hits from the workbench app's ``palette_commands()``."""

    def _commands(self) -> list[PaletteCommand]:
        return cast("PaletteHost", self.app).palette_commands()

    async def discover(self) -> Hits:
        for cmd in self._commands():
            yield DiscoveryHit(plain_content(cmd.title), cmd.callback, text=cmd.title, help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, cmd.title)
            if score > 0:
                yield Hit(
                    score, highlight_plain(cmd.title, offsets), cmd.callback, text=cmd.title, help=cmd.help
                )
