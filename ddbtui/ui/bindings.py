"""The workbench's own keys: the footer's word (description) and the sentence f1 shows (tooltip) of each,
with an id for the keymap. ``DdbtuiApp.BINDINGS`` is this list; f1's list is built from it (``ui.keys``)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

WORKBENCH_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+r", "run", "Run", priority=True, id="run", tooltip="Run the builder's request (first page)"
    ),
    Binding("n", "next_page", "Next", id="next_page", tooltip="Fetch the next page (not while typing)"),
    Binding(
        "a",
        "apply_advice",
        "Apply",
        id="apply_advice",
        tooltip="Apply the advisor's suggestion to the builder (not while typing)",
    ),
    Binding(
        "ctrl+n",
        "next_page",
        "Next",
        show=False,
        priority=True,
        id="next_page_anywhere",
        tooltip="Fetch the next page, even while typing",
    ),
    Binding(
        "ctrl+f",
        "fetch_all",
        "All",
        priority=True,
        id="fetch_all",
        tooltip="Fetch all pages, up to a capacity cap",
    ),
    Binding(
        "escape", "cancel", "Cancel", id="cancel", tooltip="Cancel the request in flight; close a dialog"
    ),
    Binding("f1", "help", "Help", id="help", tooltip="This list of keys"),
    Binding(
        "f2", "show_request", "Request", id="show_request", tooltip="The request's exact boto3 parameters"
    ),
    Binding("f3", "history", "History", id="history", tooltip="Recent requests of this table, to recall"),
    Binding("f4", "explain", "Explain", id="explain", tooltip="What the request reads, discards and costs"),
    Binding("f5", "show_code", "Code", id="show_code", tooltip="The request as boto3, AWS CLI, PartiQL code"),
    Binding("f6", "advice", "Advice", id="advice", tooltip="Every suggestion of the advisor, to apply"),
    # g: the advisor line shows it when it applies ([g] create index); not in the footer
    Binding(
        "g",
        "create_index",
        "Create index",
        show=False,
        id="create_index",
        tooltip="Plan the GSI the advisor proposes, to confirm (not while typing)",
    ),
    Binding("f7", "patterns", "Patterns", id="patterns", tooltip="Access patterns of the demo data, to load"),
    Binding(
        "f8",
        "report",
        "Report",
        id="report",
        tooltip="Table report: findings, configuration, distribution",
    ),
    Binding("f9", "stream", "Stream", id="stream", tooltip="Tail the open table's stream live"),
    Binding(
        "f11",
        "metrics",
        "Metrics",
        show=False,
        id="metrics",
        tooltip="The open table's CloudWatch metrics: throttling and billing",
    ),
    Binding(
        "ctrl+t",
        "focus_tables",
        "Tables",
        show=False,
        priority=True,
        id="focus_tables",
        tooltip="Go to the tables pane",
    ),
    Binding(
        "ctrl+b",
        "focus_builder",
        "Builder",
        show=False,
        priority=True,
        id="focus_builder",
        tooltip="Go to the query builder",
    ),
    Binding(
        "ctrl+l",
        "focus_results",
        "Results",
        show=False,
        priority=True,
        id="focus_results",
        tooltip="Go to the results",
    ),
    Binding(
        "ctrl+y",
        "copy_request",
        "Copy request",
        show=False,
        id="copy_request",
        tooltip="Copy the request as JSON",
    ),
    Binding(
        "ctrl+w",
        "write('toggle')",
        "Writes",
        show=False,
        id="toggle_writes",
        tooltip="Writes on (asks first) / off; read-only by default",
    ),
    Binding(
        "ctrl+z",
        "write('undo')",
        "Undo",
        show=False,
        id="undo",
        tooltip="Undo the last write (asks first)",
    ),
    Binding(
        "f10",
        "save_query",
        "Save query",
        show=False,
        id="save_query",
        tooltip="Save the builder's request under a name (ddbtui run NAME)",
    ),
    Binding(
        "ctrl+g",
        "saved_queries",
        "Saved queries",
        show=False,
        priority=True,
        id="saved_queries",
        tooltip="Open a saved query into the builder (the open table's first)",
    ),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit", tooltip="Quit"),
]
