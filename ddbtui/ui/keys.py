"""f1's list of keys, by where they work, built from the widgets' and screens' own bindings (so the help
cannot drift from the keys), with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding, BindingType

from ddbtui.ui.screens.advice_screen import AdviceScreen
from ddbtui.ui.screens.code_screen import CodeScreen
from ddbtui.ui.screens.dialogs import FetchAllScreen, HistoryScreen, RequestScreen
from ddbtui.ui.screens.explain_screen import ExplainScreen
from ddbtui.ui.screens.export_screen import ExportScreen
from ddbtui.ui.screens.help_screen import HelpScreen, Section
from ddbtui.ui.screens.item_screen import ItemScreen
from ddbtui.ui.screens.metrics_screen import MetricsScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen
from ddbtui.ui.screens.report_screen import ReportScreen
from ddbtui.ui.screens.stream_screen import StreamScreen
from ddbtui.ui.selection_actions import SelectionActions
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.tables_pane import TableList
from ddbtui.ui.write_actions import WriteActions


def _key_name(key: str) -> str:
    return {"left_square_bracket": "[", "right_square_bracket": "]", "slash": "/"}.get(key, key)


def binding_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of ``binding`` as the user has them (``keymap``: binding id -> keys)."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return ", ".join(_key_name(k.strip()) for k in keys.split(","))


def key_sections(app_bindings: list[BindingType], keymap: Mapping[str, str]) -> list[Section]:
    """Every key, by where it works: ``app_bindings`` (the app's own) first."""

    def rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
        return [
            (binding_keys(b, keymap), b.tooltip or b.description)
            for b in bindings
            if isinstance(b, Binding) and b.description
        ]

    return [
        (
            "Everywhere",
            [
                *rows(app_bindings),
                ("ctrl+p", "Command palette (every action)"),
                ("tab, shift+tab", "Next / previous pane or field"),
            ],
        ),
        (
            "Tables pane",
            [
                ("type", "Filter the tables"),
                ("up, down", "Move"),
                ("enter", "Open the table: schema + a first page"),
                *rows(TableList.BINDINGS),
            ],
        ),
        ("Indexes pane", [("enter", "Query this index in the builder")]),
        (
            "Query builder",
            [
                ("enter", "Run (in any field)"),
                ("up, down, enter", "Open a picker (index, operation, sort-key operator)"),
                ("space", "Toggle a checkbox"),
            ],
        ),
        (
            "Results",
            [
                ("up, down, pgup, pgdn", "Move the cursor"),
                ("home, end", "First / last row"),
                ("left, right", "Move the cell cursor"),
                *rows([b for b in ResultsView.BINDINGS if isinstance(b, Binding) and b.tooltip]),
            ],
        ),
        ("Item view", rows(ItemScreen.BINDINGS)),
        (
            "Dialogs",
            [
                *rows(FetchAllScreen.BINDINGS),
                *rows(RequestScreen.BINDINGS),
                *rows(HistoryScreen.BINDINGS),
                *rows(HelpScreen.BINDINGS),
            ],
        ),
        (
            "Advisor views",
            [
                ("enter", "Advice: apply the suggestion · Patterns: load the pattern"),
                *rows(
                    [
                        b
                        for screen in (AdviceScreen, ExplainScreen, CodeScreen, PatternsScreen)
                        for b in screen.BINDINGS
                        if isinstance(b, Binding) and b.key not in ("escape", "enter")
                    ]
                ),
            ],
        ),
        ("Item editor and write dialogs", WriteActions.help_rows(rows)),
        ("Batch actions", SelectionActions.help_rows(rows)),
        (
            "Report, stream and export",
            [
                *rows(ReportScreen.BINDINGS),
                *rows(StreamScreen.BINDINGS),
                ("enter", "Export dialog: start the export"),
                *rows(ExportScreen.BINDINGS),
                *rows(MetricsScreen.BINDINGS),
            ],
        ),
    ]
