"""f8: the table report (``ddbtui report``) for the open table, with the shape of its sample.

``gather`` runs in a thread worker (a bounded parallel Scan plus the settings APIs); escape sets the cancel
event and closes at once. Findings come severity-coloured with their recommendation and fix command, then
the configuration, then the distribution: items and bytes per partition key for the top partitions as
bar rows, and a sparkline of the items per partition. Every name and value comes from the table: it is
shown through ``safe_text`` inside ``Text``. ``y`` copies the Markdown report.

The findings that have a fix (``core.report.fixes``: the IDs of ``ddbtui report --fix``) are listed above
the report; ``x`` on the highlighted one hands it to ``fixer`` (the workbench's ``TableChanges.fix``: plan,
confirm, send under the write gate) and, once sent, gathers the report again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, LoadingIndicator, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ddbtui.core.distribution import Distribution
from ddbtui.core.report import Finding, SampleFacts, TableFacts, Unknown, _config_rows, configuration
from ddbtui.core.report.rules.keys import census_shares
from ddbtui.core.values import safe_text
from ddbtui.ui.safe import safe_lines

SEVERITY_STYLES = {"critical": "bold red", "warning": "bold yellow", "info": "bold cyan"}
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
TOP_PARTITIONS = 10
BAR_WIDTH = 20


def _bar(share: float, width: int = BAR_WIDTH) -> str:
    n = round(max(0.0, min(1.0, share)) * width)
    return "█" * n + "·" * (width - n)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"  # pragma: no cover


def findings_text(found: list[Finding]) -> Text:
    """The findings, worst first: severity, title, detail, recommendation and fix command."""
    t = Text()
    if not found:
        t.append("✓ no findings: nothing to change\n", style="bold green")
        return t
    for f in sorted(found, key=lambda f: SEVERITY_ORDER.get(f.severity, 3)):
        style = SEVERITY_STYLES.get(f.severity, "bold")
        t.append(f"{f.severity.upper():<8} ", style=style)
        t.append(safe_text(f.title), style="bold")
        t.append("\n")
        t.append(safe_lines(f.detail) + "\n", style="dim")
        t.append("→ ", style=style)
        t.append(safe_lines(f.recommendation) + "\n")
        if f.fix:
            for line in f.fix.split("\n"):
                t.append("  $ ", style="dim")
                t.append(safe_text(line) + "\n", style="green")
        t.append("\n")
    return t


def configuration_text(facts: TableFacts) -> Text:
    t = Text()
    t.append("Configuration\n", style="bold underline")
    for label, value in _config_rows(configuration(facts)):
        t.append(f"{label:<30}", style="bold")
        t.append(safe_text(value) + "\n")
    return t


def _key_cell(key: str) -> str:
    """A partition key for a bar row: terminal-safe, cut to 24 cells, padded."""
    text = safe_text(key)
    return f"{text if len(text) <= 24 else text[:23] + '…':<24}"


def distribution_text(d: Distribution, sample: SampleFacts) -> Text:
    """Items and bytes per partition key for the top partitions, as bar rows."""
    t = Text()
    t.append("Distribution of the sample\n", style="bold underline")
    more = "" if sample.complete else " (a sample: not the whole table)"
    t.append(
        f"{d.items:,} items · {_size(d.bytes)} · {d.partitions:,} partition keys · "
        f"median {d.median_items_per_partition:g} items/key · skew {d.gini:.2f}{more}\n\n"
    )
    c = sample.census
    if c is not None:
        t.append("Key census: ", style="bold")
        t.append(safe_text(c.describe()) + "\n")
        t.append(f"{c.keys:,} keys · median {c.median_items_per_key:g} items/key · skew {c.gini:.2f}\n")
        of = "of the table" if c.complete else "of the table, est."
        for k in census_shares(sample, c)[:TOP_PARTITIONS]:  # "≥": a lower bound (the cap cut it)
            t.append(f"{_key_cell(k.key)} ", style="bold")
            t.append(_bar(k.share), style="yellow" if k.share >= 0.05 else "green")
            t.append(f" {k.items:>7,} items {'≥' if k.at_least else ' '}{k.share:>5.1%} {of}\n")
        t.append("\n")
    elif sample.census_note and not sample.complete:
        t.append(f"Key census: not taken ({safe_text(sample.census_note)})\n\n")
    if not d.top_by_items:
        return t
    t.append(
        "Top partition keys by items" + ("" if sample.complete else " in the sample") + "\n", style="bold"
    )
    for p in d.top_by_items[:TOP_PARTITIONS]:
        t.append(f"{_key_cell(p.key)} ", style="bold")
        t.append(_bar(p.share_items), style="yellow" if p.share_items >= 0.05 else "green")
        t.append(f" {p.items:>7,} items {p.share_items:>6.1%}\n")
    t.append("\nTop partition keys by bytes\n", style="bold")
    for p in d.top_by_bytes[:TOP_PARTITIONS]:
        t.append(f"{_key_cell(p.key)} ", style="bold")
        t.append(_bar(p.share_bytes), style="magenta")
        t.append(f" {_size(p.bytes):>10} {p.share_bytes:>6.1%}\n")
    return t


class ReportScreen(ModalScreen[None]):
    """The report of ``table``; ``gather`` is injectable for tests."""

    DEFAULT_CSS = """
    #report-dialog { height: 90%; }
    #report-scroll { height: 1fr; }
    #report-loading { height: 3; }
    #report-spark { height: 2; margin: 0 1; }
    #report-spark-label { height: 1; margin-top: 1; }
    #report-fixes { height: auto; max-height: 6; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="report.close", tooltip="Stop gathering and close"),
        Binding("y", "copy", "Copy Markdown", id="report.copy", tooltip="Copy the report as Markdown"),
        Binding(
            "x",
            "fix",
            "Fix this finding",
            id="report.fix",
            tooltip="Plan the highlighted finding's fix, to confirm (writes on)",
        ),  # fmt: skip
    ]

    def __init__(
        self,
        client: Any,
        connection: Any,
        table: str,
        *,
        sample: int = 2000,
        fixer: Callable[[str, Any, Callable[[bool], None]], None] | None = None,
    ) -> None:
        super().__init__()
        self.fixer = fixer
        self.fixes: dict[str, Any] = {}  # finding ID -> core.report.fixes.Fix
        self.client = client
        self.connection = connection
        self.table = table
        self.sample = sample
        self.cancel = threading.Event()
        self.facts: TableFacts | None = None
        self.found: list[Finding] = []
        self.markdown = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="report-dialog", classes="dialog"):
            yield Static(Text(f"Table report · {safe_text(self.table)}", style="bold"), id="report-title")
            yield Static(Text("gathering: settings and a sample of the items…"), id="report-status")
            yield LoadingIndicator(id="report-loading")
            yield OptionList(id="report-fixes")
            with VerticalScroll(id="report-scroll"):
                yield Static(Text(""), id="report-findings")
                yield Static(Text(""), id="report-config")
                yield Static(Text(""), id="report-dist")
                yield Static(Text(""), id="report-spark-label")
                yield Sparkline([], id="report-spark")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report-spark").display = False
        self.query_one("#report-spark-label").display = False
        self.query_one("#report-fixes").display = False
        self.query_one("#report-scroll").focus()
        self._gather()

    def on_unmount(self) -> None:
        self.cancel.set()

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _gather(self) -> None:
        from ddbtui.aws.report import gather
        from ddbtui.core.report import findings, render_markdown

        def progress(p: Any) -> None:
            if not self.cancel.is_set():
                text = (
                    f"counting partition keys: {p.census_items:,} items · {p.capacity:,.1f} RCU"
                    if p.phase == "census"
                    else f"sampling: {p.items:,} of {p.requested:,} items · {p.pages:,} pages"
                )
                self.app.call_from_thread(self._status, text)

        try:
            facts = gather(
                self.client,
                self.connection,
                self.table,
                sample=self.sample,
                cancel=self.cancel,
                on_progress=progress,
            )
            found = findings(facts)
            from ddbtui.core.report.fixes import fixable

            self.fixes = fixable(facts, found)
            markdown = render_markdown(facts, found)
        except Exception as e:  # noqa: BLE001 - shown in the dialog; the app keeps running
            if not self.cancel.is_set():
                self.app.call_from_thread(self._failed, str(e) or type(e).__name__)
            return
        if not self.cancel.is_set():
            self.app.call_from_thread(self._show, facts, found, markdown)

    def _status(self, text: str) -> None:
        if self.is_mounted:
            self.query_one("#report-status", Static).update(Text(safe_text(text)))

    def _failed(self, message: str) -> None:
        if not self.is_mounted:
            return
        self.query_one("#report-loading").display = False
        self.query_one("#report-status", Static).update(Text("✗ " + safe_text(message), style="bold red"))

    def _show(self, facts: TableFacts, found: list[Finding], markdown: str) -> None:
        if not self.is_mounted:
            return
        self.facts, self.found, self.markdown = facts, found, markdown
        self.query_one("#report-loading").display = False
        counts = {s: sum(1 for f in found if f.severity == s) for s in SEVERITY_ORDER}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no findings"
        self.query_one("#report-status", Static).update(Text(f"{summary} · y copies the Markdown report"))
        self.query_one("#report-findings", Static).update(findings_text(found))
        fixes = self.query_one("#report-fixes", OptionList)
        fixes.clear_options()
        fixes.add_options(
            [Option(Text(safe_text(f"{fid} — {fx.summary}")), id=fid) for fid, fx in self.fixes.items()]
        )
        fixes.display = bool(self.fixes)
        if self.fixes:
            fixes.highlighted = 0
            fixes.border_title = "Fixes · x applies the highlighted one"
        self.query_one("#report-config", Static).update(configuration_text(facts))
        sample = facts.sample
        if isinstance(sample, SampleFacts):
            d = sample.distribution
            self.query_one("#report-dist", Static).update(
                Text("\n").append_text(distribution_text(d, sample))
            )
            if d.top_by_items:
                spark = self.query_one("#report-spark", Sparkline)
                spark.data = [float(p.items) for p in d.top_by_items]
                spark.display = True
                label = self.query_one("#report-spark-label", Static)
                label.update(Text("Items per partition key, largest first", style="bold"))
                label.display = True
        elif isinstance(sample, Unknown):
            self.query_one("#report-dist", Static).update(
                Text("\nsample: unknown (" + safe_text(sample.reason) + ")", style="dim")
            )

    def action_close(self) -> None:
        self.cancel.set()
        self.dismiss(None)

    def action_fix(self) -> None:
        if not self.fixes:
            self.notify("no finding here has a fix ddbtui can make", timeout=3, markup=False)
            return
        if self.fixer is None:
            self.notify("fixes are applied from the workbench", timeout=3, markup=False)
            return
        fixes = self.query_one("#report-fixes", OptionList)
        i = fixes.highlighted if fixes.highlighted is not None else 0
        fid = list(self.fixes)[i]
        self.fixer(self.table, self.fixes[fid], self._fixed)

    def _fixed(self, sent: bool) -> None:
        if sent and self.is_mounted:
            self.query_one("#report-loading").display = True
            self._status("gathering again: settings and a sample of the items…")
            self._gather()

    def action_copy(self) -> None:
        if not self.markdown:
            self.notify("the report is not ready yet", timeout=2, markup=False)
            return
        self.app.copy_to_clipboard(self.markdown)
        self.notify("report copied to the clipboard as Markdown (OSC 52)", timeout=2, markup=False)
