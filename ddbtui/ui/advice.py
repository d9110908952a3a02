"""The advisor in the workbench: advice on the builder's request as the user types and after each run,
applied with one key; the explain, code and access-pattern views.

As you type: every change of the builder (debounced) runs ``core.advisor.advise`` on its request and the
open table's schema, in a thread worker, without any request to DynamoDB. After a run: the same, with the
run's measured figures (Count, ScannedCount, pages, capacity and a sample of the items, which reveal
overloaded GSI keys) — as long as the builder still holds the request that ran.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ddbtui.core.advisor import Advisor, CannotAdvise, RunStats, Suggestion, rcu_text
from ddbtui.core.capacity import ConsumedCapacity
from ddbtui.core.codegen import snippets
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.explain import explain
from ddbtui.core.partiql import PartiQLUnsupported, parse_select
from ddbtui.core.patterns import PATTERNS, AccessPattern, by_id
from ddbtui.core.requests import BuiltRequest, ReadRequest
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.results import ResultSet
from ddbtui.ui.screens.advice_screen import AdviceScreen
from ddbtui.ui.screens.code_screen import CodeScreen
from ddbtui.ui.screens.explain_screen import ExplainScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen, pattern_request
from ddbtui.ui.widgets.advisor_line import AdvisorLine
from ddbtui.ui.widgets.tables_pane import TablesPane

if TYPE_CHECKING:
    from ddbtui.ui.app import DdbtuiApp

DEBOUNCE = 0.15  # seconds of quiet in the builder before the advisor runs
SAMPLE_ITEMS = 500  # items of a run handed to the advisor (sizes, overloaded keys): ~30 ms of its time


def same_request(a: ReadRequest, b: ReadRequest) -> bool:
    """The same request, however many pages a run of it asked for."""
    return a.with_(max_pages=None) == b.with_(max_pages=None)


def run_stats(result: ResultSet, rows: list[dict[str, Any]]) -> RunStats:
    """What a run measured, for the advisor: totals of its pages, and an even sample of its items."""
    cap = result.capacity
    step = max(1, len(rows) // SAMPLE_ITEMS)
    return RunStats(
        count=sum(p.count for p in result.pages),
        scanned_count=result.scanned,
        pages=len(result.pages),
        consumed_rcu=cap.total if cap is not None and cap.kind == "read" else None,
        estimated=bool(cap and cap.estimated),
        exhausted=not result.has_more,
        items=tuple(rows[::step][:SAMPLE_ITEMS]),
    )


def _where(index: str | None) -> str:
    return "the table" if index is None else index


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.:;])\s", text, maxsplit=1)[0].rstrip(".:;")


def headline(s: Suggestion, request: ReadRequest, current_rcu: float | None) -> str:
    """One line for the advisor line: what is wrong and what to do, and what it saves."""
    k = s.kind
    if k == "use-query" and request.operation in ("scan", "sql"):
        what = "this Scan" if request.operation == "scan" else "this SELECT"
        pk = re.match(r"\s*([\w.#-]+)\s*=", s.key_condition or "")
        source = request.filter if request.operation == "scan" else request.statement
        if pk and re.search(rf"(?<![\w#:.]){re.escape(pk.group(1))}(?!\w)", source or ""):
            text = f"{what} filters on {pk.group(1)} — Query {_where(s.index)} instead"
        else:
            text = f"{what} reads every item — Query {_where(s.index)} on {s.key_condition} instead"
    elif k == "use-query":
        text = f"a better key: Query {_where(s.index)} on {s.key_condition}"
    elif k == "use-get-item":
        text = f"the filter fixes the whole key — GetItem {s.key_condition} instead"
    elif k == "use-batch-get":
        text = "IN names whole primary keys — read them as key lookups (PartiQL) instead"
    elif k == "use-parallel-queries":
        text = f"IN names several partitions of {_where(s.index)} — one Query per value (PartiQL) instead"
    elif k == "filter-on-key" and s.runnable:
        text = f"the filter is on a key — move it into the key condition: {s.key_condition}"
    elif k == "create-gsi":
        text = f"no index serves this filter — a new GSI {s.index} would"
    elif k == "consistent-read-cost" and s.severity == "error":
        text = "ConsistentRead is refused on a GSI — drop it"
    elif k == "consistent-read-cost":
        text = "ConsistentRead doubles the cost — drop it unless reads must see every write"
    elif k == "partiql-full-scan":
        text = "no = on the partition key: this SELECT scans the whole table"
    elif k == "limit-before-filter":
        text = "Limit (page) applies before the filter: pages can come back short or empty — use limit"
    elif k == "full-scan-cost":
        text = "this reads the whole table"
    else:
        text = _first_sentence(s.reason)
    rcu = s.estimated_rcu
    if rcu is not None and s.actionable and current_rcu and rcu > 0 and current_rcu / rcu >= 1.5:
        text += f" (~{current_rcu / rcu:,.0f}× fewer RCU)"
    elif rcu is not None and s.actionable:
        text += f" (~{rcu_text(rcu)} RCU)"
    elif rcu is not None:
        text += f" (~{rcu_text(rcu)} RCU a run)"
    return text


def shown_suggestion(suggestions: list[Suggestion]) -> Suggestion | None:
    """The one the line shows: the best that ``a`` can apply, else the best there is."""
    runnable = [s for s in suggestions if s.runnable]
    return runnable[0] if runnable else (suggestions[0] if suggestions else None)


def _advise(
    request: ReadRequest, schema: TableSchema, stats: RunStats | None, region: str | None
) -> tuple[list[Suggestion], float | None]:
    try:
        advisor = Advisor(request, schema, stats, region)
        return advisor.run(), advisor.current_rcu()
    except CannotAdvise:
        return [], None


class AdviceController:
    """Holds the advice for the builder's request and runs the views; the app's actions call it."""

    def __init__(self, app: DdbtuiApp) -> None:
        self.app = app
        self.suggestions: list[Suggestion] = []
        self.request: ReadRequest | None = None  # what the suggestions are about
        self.current_rcu: float | None = None
        self.stats: tuple[ReadRequest, RunStats] | None = None  # the last run, and what it measured
        self.pattern_runs: dict[str, ConsumedCapacity] = {}  # access pattern id -> its last run's capacity
        self._pattern: tuple[str, ReadRequest] | None = None  # the pattern loaded, as the builder built it
        self._last_pattern: str | None = None
        self._timer: Any = None
        self._generation = 0

    # --- advice as you type and after a run -------------------------------------------------------------

    @property
    def line(self) -> AdvisorLine:
        return self.app.query_one("#advisor", AdvisorLine)

    def schedule(self) -> None:
        """The builder changed: advise once it has been quiet for ``DEBOUNCE`` seconds."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(DEBOUNCE, self.refresh)

    def _subject(self) -> tuple[ReadRequest, TableSchema] | None:
        """The builder's valid request and the schema to advise it with (PartiQL: of its own table)."""
        builder = self.app.builder
        built, schema = builder.built, builder.schema
        if built is None or schema is None:
            return None
        req = built.request
        if req.operation == "sql":
            try:
                if parse_select(req.statement or "").table != schema.name:
                    return None  # another table's schema is not at hand
            except (PartiQLUnsupported, DdbtuiError):
                pass  # the advisor says what it can of a statement it cannot read
        return req.with_(table=req.table or schema.name), schema

    def _stats_for(self, req: ReadRequest) -> RunStats | None:
        if self.stats is not None and same_request(self.stats[0], req):
            return self.stats[1]
        return None

    def refresh(self) -> None:
        """Advise on the builder's request now (in a thread worker; a newer call supersedes it)."""
        self._timer = None
        self._generation += 1
        subject = self._subject()
        if subject is None:
            self._show([], None, None)
            return
        req, schema = subject
        gen, stats, region = self._generation, self._stats_for(req), self.app.ledger.region

        def work() -> None:
            suggestions, current = _advise(req, schema, stats, region)
            with contextlib.suppress(RuntimeError):  # the app is gone
                self.app.call_from_thread(self._ready, gen, req, suggestions, current)

        self.app.run_worker(work, thread=True, group="advice", exclusive=True, exit_on_error=False)

    def _ready(
        self, gen: int, req: ReadRequest, suggestions: list[Suggestion], current: float | None
    ) -> None:
        if gen == self._generation:
            self._show(suggestions, req, current)

    def _show(self, suggestions: list[Suggestion], req: ReadRequest | None, current: float | None) -> None:
        self.suggestions, self.request, self.current_rcu = suggestions, req, current
        s = shown_suggestion(suggestions)
        if s is None or req is None:
            # nothing from the advisor: the request's own warnings (from build) still deserve the line
            built = self.app.builder.built
            warning = built.warnings[0] if built is not None and built.warnings else ""
            self.line.set_advice(warning, severity="warning")
        else:
            hints = ["[a] apply"] if s.runnable else ["[f6] more"]
            if len(suggestions) > 1 and s.runnable:
                hints.append(f"[f6] +{len(suggestions) - 1}")
            self.line.set_advice(headline(s, req, current), severity=s.severity, hint=" ".join(hints))
        self.app.refresh_bindings()

    def after_run(self, result: ResultSet, rows: list[dict[str, Any]]) -> None:
        """A run finished (or paused between pages): advise again with what it measured."""
        request = result.built.request
        self.stats = (request, run_stats(result, rows))
        pattern = self._pattern
        if pattern is not None and result.capacity is not None and same_request(pattern[1], request):
            self.pattern_runs[pattern[0]] = result.capacity
        self.refresh()

    # --- applying -----------------------------------------------------------------------------------------

    @property
    def can_apply(self) -> bool:
        return any(s.runnable for s in self.suggestions)

    def _fresh(self) -> tuple[ReadRequest, list[Suggestion]] | None:
        """The advice for the builder's request as it is now (the line may be a keystroke behind)."""
        subject = self._subject()
        if subject is None:
            return None
        req, schema = subject
        if self.request is None or req != self.request or self._timer is not None:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            suggestions, current = _advise(req, schema, self._stats_for(req), self.app.ledger.region)
            self._generation += 1
            self._show(suggestions, req, current)
        return req, self.suggestions

    def apply(self, suggestion: Suggestion | None = None) -> None:
        """Rewrite the builder's request as ``suggestion`` says (default: the best one that can run)."""
        app = self.app
        fresh = self._fresh()
        if fresh is None:
            app.show_error(app.builder.error or "no valid request in the builder", in_results=False)
            return
        req, suggestions = fresh
        s = suggestion or next((x for x in suggestions if x.runnable), None)
        if s is None:
            app.notify("no advice to apply to this request", markup=False)
            return
        app.builder.load_request(s.apply(req))
        app.notify(
            f"applied: {safe_text(headline(s, req, self.current_rcu))} — ctrl+r runs it",
            title="Advisor",
            markup=False,
            timeout=4,
        )

    def show_all(self) -> None:
        """f6: every suggestion, with its reason, estimated RCU and command."""
        fresh = self._fresh()
        if fresh is None:
            self.app.show_error(self.app.builder.error or "no valid request in the builder", in_results=False)
            return
        req, suggestions = fresh

        def chosen(s: Suggestion | None) -> None:
            if s is not None:
                self.apply(s)

        title = f"Advisor · {len(suggestions)} suggestion{'s' if len(suggestions) != 1 else ''} · {req.table}"
        self.app.push_screen(AdviceScreen(suggestions, req, title), chosen)

    # --- explain and code -----------------------------------------------------------------------------

    def show_explain(self) -> None:
        """f4: the plan of the builder's request, in plain words."""
        app = self.app
        subject = self._subject()
        if subject is None:
            app.show_error(app.builder.error or "no valid request in the builder", in_results=False)
            return
        req, schema = subject
        width = max(40, int(app.size.width * 0.9) - 6)
        try:
            plan = explain(req, schema, self._stats_for(req), region=app.ledger.region)
            text = plan.to_text(width)
        except DdbtuiError as e:
            text = f"ddbtui cannot explain this request: {e}"
        app.push_screen(ExplainScreen(f"Explain · {req.table}", text))

    def show_code(self) -> None:
        """f5: the builder's request as boto3, AWS CLI, PartiQL and ddbtui code."""
        app = self.app
        built: BuiltRequest | None = app.builder.built
        if built is None:
            app.show_error(app.builder.error or "no valid request in the builder", in_results=False)
            return
        code = snippets(built, app.builder.schema)
        dark = app.current_theme.dark if app.current_theme else True
        app.push_screen(CodeScreen(code, f"Code · {built.request.table or 'PartiQL'}", dark=dark))

    # --- access patterns ------------------------------------------------------------------------------

    def available_patterns(self) -> list[AccessPattern]:
        """The patterns whose table is among the connected tables (the demo data's)."""
        tables = set(self.app.query_one(TablesPane).names)
        return [p for p in PATTERNS if p.table in tables]

    def show_patterns(self) -> None:
        """f7: the access patterns of the demo data, to load into the builder."""
        patterns = self.available_patterns()
        if not patterns:
            self.app.notify(
                "no access patterns here: they belong to the demo data (ddbtui --demo)", markup=False
            )
            return

        def chosen(pattern_id: str | None) -> None:
            if pattern_id is not None:
                self.load_pattern(by_id(pattern_id))

        self.app.push_screen(
            PatternsScreen(patterns, self.pattern_runs, highlight=self._last_pattern), chosen
        )

    def load_pattern(self, p: AccessPattern) -> None:
        """Into the builder, opening its table first when another one is open."""
        req = pattern_request(p)
        self._last_pattern = p.id
        app = self.app
        if app.schema is not None and app.schema.name == p.table and app.builder.schema is app.schema:
            self._fill(p, req)
        else:
            app.open_table(p.table, then=lambda: self._fill(p, req))

    def _fill(self, p: AccessPattern, req: ReadRequest) -> None:
        builder = self.app.builder
        builder.load_request(req)
        built = builder.built
        self._pattern = (p.id, built.request if built is not None else req)
        better = f" · better: {by_id(p.better).title} (f7, b)" if p.better else ""
        self.app.notify(
            f"{p.title} — ctrl+r runs it{better}",
            title="Anti-pattern loaded" if p.anti_pattern else "Pattern loaded",
            severity="warning" if p.anti_pattern else "information",
            markup=False,
            timeout=6,
        )

    # --- palette ----------------------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        cmds = [
            PaletteCommand("Apply advice", "a: the advisor's best suggestion, into the builder", self.apply),
            PaletteCommand("Show all advice", "f6: every suggestion, with reasons and RCU", self.show_all),
            PaletteCommand(
                "Explain the request", "f4: what DynamoDB reads, discards and bills", self.show_explain
            ),
            PaletteCommand("Show code", "f5: boto3, AWS CLI, PartiQL, ddbtui", self.show_code),
            PaletteCommand(
                "Access patterns", "f7: the demo data's patterns and anti-patterns", self.show_patterns
            ),
        ]
        for p in self.available_patterns():
            title = p.title if p.title.startswith("Anti-pattern") else f"Pattern: {p.title}"
            cmds.append(PaletteCommand(title, "load into the builder", _bind(self.load_pattern, p)))
        return cmds


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)
