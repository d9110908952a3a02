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
from typing import Any, TypeVar

from textual.binding import Binding
from textual.widget import Widget

from ddbtui.core.advisor import Advisor, CannotAdvise, RunStats, Suggestion, TableSample, key_shape, rcu_text
from ddbtui.core.capacity import ConsumedCapacity
from ddbtui.core.codegen import snippets
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.explain import explain
from ddbtui.core.expr import conjuncts, parse_condition
from ddbtui.core.partiql import PartiQLUnsupported, parse_select
from ddbtui.core.patterns import PATTERNS, AccessPattern, by_id
from ddbtui.core.requests import BuiltRequest, ReadRequest
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.ui.advice_sample import AdviceSamples
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.host import Host
from ddbtui.ui.model_patterns import ModelPatterns
from ddbtui.ui.results import ResultSet
from ddbtui.ui.screens.advice_screen import AdviceScreen
from ddbtui.ui.screens.code_screen import CodeScreen
from ddbtui.ui.screens.explain_screen import ExplainScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen, pattern_request
from ddbtui.ui.widgets.advisor_line import AdvisorLine
from ddbtui.ui.widgets.query_builder import QueryBuilder
from ddbtui.ui.widgets.results_view import ResultsView
from ddbtui.ui.widgets.tables_pane import TablesPane

W = TypeVar("W", bound=Widget)

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


def _equalities(request: ReadRequest) -> list[str]:
    """Attributes the request's filter (or WHERE) fixes with ``=``, in order."""
    try:
        if request.operation == "sql":
            where = parse_select(request.statement or "").where
        else:
            where = parse_condition(request.filter) if request.filter else None
    except (DdbtuiError, PartiQLUnsupported):
        return []
    if where is None:
        return []
    shapes = [key_shape(c) for c in conjuncts(where)]
    return [shape[0] for shape in shapes if shape is not None and shape[1] == "="]


def _filtered_on(request: ReadRequest, key_condition: str | None) -> str | None:
    """The filtered attribute a suggested key stands for: the key's own, else (an overloaded key) the first
    one the filter fixes."""
    attrs = _equalities(request)
    pk = re.match(r"\s*([^\s=]+)\s*=", key_condition or "")
    if pk and pk.group(1) in attrs:
        return pk.group(1)
    return attrs[0] if attrs else None


def headline(s: Suggestion, request: ReadRequest, current_rcu: float | None) -> str:
    """One line for the advisor line: what is wrong — what to do: what it saves (then any detail)."""
    k, where, detail = s.kind, _where(s.index), s.key_condition
    if k == "use-query" and request.operation in ("scan", "sql"):
        what = "Scan" if request.operation == "scan" else "SELECT"
        attr = _filtered_on(request, s.key_condition)
        text = f"{what} filters on {attr}" if attr else f"{what} reads every item"
        text += f" — Query {where}"
        detail = None
    elif k == "use-query":
        text = f"a better key — Query {where}"
    elif k == "use-get-item":
        text = "the filter fixes the whole key — GetItem"
    elif k == "use-batch-get":
        text = "IN names whole keys — key lookups (PartiQL)"
    elif k == "use-parallel-queries":
        text = f"IN names several partitions of {where} — one Query each (PartiQL)"
    elif k == "filter-on-key" and s.runnable:
        text = "the filter is on a key — move it into the key condition"
    elif k == "create-gsi":
        text, detail = f"no index serves this filter — a new GSI {s.index} would", None
    elif k == "consistent-read-cost" and s.severity == "error":
        text = "ConsistentRead is refused on a GSI — drop it"
    elif k == "consistent-read-cost":
        text = "ConsistentRead doubles the cost — drop it unless reads must see every write"
    elif k == "partiql-full-scan":
        text = "no = on the partition key: this SELECT scans the whole table"
    elif k == "limit-before-filter":
        text = "Limit (page) applies before the filter — cap results with limit"
    elif k == "full-scan-cost":
        text = "a full scan of the table"
    else:
        text, detail = _first_sentence(s.reason), None
    rcu = s.estimated_rcu
    if rcu is not None and s.actionable and current_rcu and rcu > 0 and current_rcu / rcu >= 1.5:
        text += f": ~{current_rcu / rcu:,.0f}× fewer RCU"
    elif rcu is not None:
        text += f": ~{rcu_text(rcu)} RCU" + ("" if s.actionable else " a run")
    if detail and s.actionable:
        text += f" · {detail}"
    return text


def shown_suggestion(suggestions: list[Suggestion]) -> Suggestion | None:
    """The one the line shows: the best that ``a`` can apply, else the best there is."""
    runnable = [s for s in suggestions if s.runnable]
    return runnable[0] if runnable else (suggestions[0] if suggestions else None)


def _advise(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None,
    region: str | None,
    sample: TableSample | None = None,
) -> tuple[list[Suggestion], float | None]:
    try:
        advisor = Advisor(request, schema, stats, region, sample)
        return advisor.run(), advisor.current_rcu()
    except CannotAdvise:
        return [], None


class _AdviceList(AdviceScreen):
    """f6's list, where ``g`` on a create-gsi suggestion dismisses with it: its plan opens next."""

    BINDINGS = [Binding("g", "create_index", "Create index", show=False, id="advice.create_index")]

    def action_create_index(self) -> None:
        s = self._highlighted()
        if s is None or s.kind != "create-gsi" or not s.index_definition:
            self.notify("g creates the index of a create-gsi suggestion", markup=False)
            return
        self.dismiss(s)


class AdviceController:
    """Holds the advice for the builder's request and runs the views; the app's actions call it."""

    def __init__(self, app: Host) -> None:
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
        # create-gsi: (suggestion, request, current RCU, sampled items) -> the plan dialog (admin_controller)
        self.on_create_index: Callable[..., None] | None = None
        self.on_run: Callable[[ResultSet], None] | None = None  # told of every run (the before/after figures)
        self.samples = AdviceSamples(app)  # read by the first f4 on a table, then used by all advice
        self.model = ModelPatterns(app, self.show_lessons, lambda: bool(self.available_patterns()))

    # --- advice as you type and after a run -------------------------------------------------------------

    # Timers and workers call back while a dialog may be on top: the widgets are looked up on the
    # workbench screen itself (``App.query_one`` would search the dialog).
    def _find(self, selector: str, kind: type[W]) -> W:
        return self.app.screen_stack[0].query_one(selector, kind)

    @property
    def line(self) -> AdvisorLine:
        return self._find("#advisor", AdvisorLine)

    @property
    def builder(self) -> QueryBuilder:
        return self._find("#builder", QueryBuilder)

    def schedule(self) -> None:
        """The builder changed: advise once it has been quiet for ``DEBOUNCE`` seconds."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(DEBOUNCE, self.refresh)

    def _subject(self) -> tuple[ReadRequest, TableSchema] | None:
        """The builder's request (even one it refuses) and the schema to advise on (PartiQL: its table's)."""
        builder = self.builder
        schema = builder.schema
        if schema is None:
            return None
        if builder.built is not None:
            req = builder.built.request
        else:
            # refused by the builder, which says why; the advisor may still know the fix (a filter on a key)
            try:
                req = builder.request()
            except DdbtuiError:
                return None
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
        if not self.app.screen_stack:
            return  # the app is closing
        subject = self._subject()
        if subject is None:
            self._show([], None, None)
            return
        req, schema = subject
        gen, stats, region = self._generation, self._stats_for(req), self.app.ledger.region
        sample = self.samples.get(schema.name)

        def work() -> None:
            suggestions, current = _advise(req, schema, stats, region, sample)
            with contextlib.suppress(RuntimeError):  # the app is gone
                self.app.call_from_thread(self._ready, gen, req, suggestions, current)

        self.app.run_worker(work, thread=True, group="advice", exclusive=True, exit_on_error=False)

    def _ready(
        self, gen: int, req: ReadRequest, suggestions: list[Suggestion], current: float | None
    ) -> None:
        if gen == self._generation and self.app.screen_stack:
            self._show(suggestions, req, current)

    def _show(self, suggestions: list[Suggestion], req: ReadRequest | None, current: float | None) -> None:
        self.suggestions, self.request, self.current_rcu = suggestions, req, current
        s = shown_suggestion(suggestions)
        if s is None or req is None:
            # nothing from the advisor: the request's own warnings (from build) still deserve the line
            built = self.builder.built
            warning = built.warnings[0] if built is not None and built.warnings else ""
            self.line.set_advice(warning, severity="warning")
        else:
            hints = ("[a] apply",) if s.runnable else ("[f6] more",)
            if s.kind == "create-gsi" and s.index_definition:
                hints = ("[g] create index", *hints)
            if len(suggestions) > 1 and s.runnable:
                hints += (f"[f6] +{len(suggestions) - 1}",)
            self.line.set_advice(headline(s, req, current), severity=s.severity, hints=hints)
        self.app.refresh_bindings()

    def after_run(self, result: ResultSet, rows: list[dict[str, Any]]) -> None:
        """A run finished (or paused between pages): advise again with what it measured."""
        request = result.built.request
        self.stats = (request, run_stats(result, rows))
        pattern = self._pattern
        if pattern is not None and result.capacity is not None and same_request(pattern[1], request):
            self.pattern_runs[pattern[0]] = result.capacity
        if self.on_run is not None:
            self.on_run(result)
        self.refresh()

    # --- applying -----------------------------------------------------------------------------------------

    @property
    def can_apply(self) -> bool:
        return any(s.runnable for s in self.suggestions)

    @property
    def can_create_index(self) -> bool:
        return any(s.kind == "create-gsi" and s.index_definition for s in self.suggestions)

    def create_index(self, suggestion: Suggestion | None = None) -> None:
        """``g``: open the plan of the advised index (``suggestion``, default the first create-gsi one),
        prefilled, with the measured saving next to its backfill cost."""
        fresh = self._fresh()
        if fresh is None:
            self.app.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        req, suggestions = fresh
        s = suggestion or next(
            (x for x in suggestions if x.kind == "create-gsi" and x.index_definition), None
        )
        if s is None or self.on_create_index is None:
            self.app.notify("the advisor proposes no index for this request", markup=False)
            return
        stats = self._stats_for(req)
        current = (
            stats.consumed_rcu if stats is not None and stats.consumed_rcu is not None else self.current_rcu
        )
        self.on_create_index(s, req, current_rcu=current, sample=stats.items if stats else None)

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
            app.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        req, suggestions = fresh
        s = suggestion or next((x for x in suggestions if x.runnable), None)
        if s is None:
            app.notify("no advice to apply to this request", markup=False)
            return
        self.builder.load_request(s.apply(req))
        app.notify(
            f"applied: {safe_text(headline(s, req, self.current_rcu))} — ctrl+r runs it",
            title="Advisor",
            markup=False,
            timeout=4,
        )

    def create_index_here(self) -> None:
        """``g`` on the workbench: the advisor line's index (f6's list has its own ``g``)."""
        self.create_index()

    def show_all(self) -> None:
        """f6: every suggestion, with its reason, estimated RCU and command."""
        fresh = self._fresh()
        if fresh is None:
            self.app.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        req, suggestions = fresh

        def chosen(s: Suggestion | None) -> None:
            if s is not None and s.kind == "create-gsi" and s.index_definition:
                self.create_index(s)  # an index to create first: its plan
            elif s is not None:
                self.apply(s)

        title = f"Advisor · {len(suggestions)} suggestion{'s' if len(suggestions) != 1 else ''} · {req.table}"
        self.app.push_screen(_AdviceList(suggestions, req, title), chosen)

    # --- explain and code -----------------------------------------------------------------------------

    def show_explain(self) -> None:
        """f4: the plan of the builder's request, in plain words."""
        app = self.app
        subject = self._subject()
        if subject is None:
            app.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        req, schema = subject
        if self.samples.wanted(schema):
            self.samples.read(schema, self.show_explain_now)  # then the plan, and the advice, use it
            return
        self.show_explain_now()

    def show_explain_now(self) -> None:
        """The plan with the sample this session has of the table (if any), as ``ddbtui explain`` words it."""
        app = self.app
        subject = self._subject()
        if subject is None:
            return
        req, schema = subject
        width = max(40, int(app.size.width * 0.9) - 6)
        sample = self.samples.get(schema.name)
        try:
            plan = explain(req, schema, self._stats_for(req), region=app.ledger.region, sample=sample)
            lines = plan.to_text(width).split("\n")
            if sample is not None:
                lines.insert(1, f"  {'Sample':<9}{sample.read_text()}, read for this advice.")
            text = "\n".join(lines)
        except DdbtuiError as e:
            text = f"ddbtui cannot explain this request: {e}"
        app.push_screen(ExplainScreen(f"Explain · {req.table}", text))
        self.refresh()  # the advisor line takes the sample too

    def show_code(self) -> None:
        """f5: the builder's request as boto3, AWS CLI, PartiQL and ddbtui code."""
        app = self.app
        built: BuiltRequest | None = self.builder.built
        if built is None:
            app.show_error(self.builder.error or "no valid request in the builder", in_results=False)
            return
        code = snippets(built, self.builder.schema)
        dark = app.current_theme.dark if app.current_theme else True
        app.push_screen(CodeScreen(code, f"Code · {built.request.table or 'PartiQL'}", dark=dark))

    # --- access patterns ------------------------------------------------------------------------------

    def available_patterns(self) -> list[AccessPattern]:
        """The patterns whose table is among the connected tables (the demo data's)."""
        tables = set(self._find("#tables", TablesPane).names)
        return [p for p in PATTERNS if p.table in tables]

    def show_patterns(self) -> None:
        """f7: the model file's patterns checked (``ui.model_patterns``), else the demo data's lessons."""
        if self.model.show():
            return
        self.show_lessons()

    def show_lessons(self) -> None:
        """The access patterns of the demo data, to load into the builder."""
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
        if app.schema is not None and app.schema.name == p.table and self.builder.schema is app.schema:
            self._fill(p, req)
        else:
            app.open_table(p.table, then=lambda: self._fill(p, req))

    def _fill(self, p: AccessPattern, req: ReadRequest) -> None:
        builder = self.builder
        builder.load_request(req)
        self._find(
            "#results", ResultsView
        ).focus()  # where `n`, `a` and enter work; ctrl+r runs from anywhere
        built = builder.built
        self._pattern = (p.id, built.request if built is not None else req)
        better = f" · better: {by_id(p.better).title} (f7, b)" if p.better else ""
        run = (
            "ctrl+r runs it" if built is not None else "DynamoDB would refuse it: a applies the advisor's fix"
        )
        self.app.notify(
            f"{p.title} — {run}{better}",
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
                "Create the advised index",
                "g: plan the advisor's new GSI, confirm, run on it",
                self.create_index,
            ),
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
