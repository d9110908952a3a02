"""f7 when there is a model file: its access patterns checked against the connected tables, and loaded into
the builder with parameters from a sampled item.

Which model: the config file's ``model`` path, else ``./ddbtui.model.toml`` in the working directory, else
(``--demo``) the demo's own (``core/data/demo.model.toml``). The check is ``ddbtui model check``'s own
(``aws.model_check.check_model``: a bounded sample, each key read run once for its capacity) in a thread
worker; the verdicts come back to ``ModelPatternsScreen``. Without a model, f7 shows the demo's lessons as
before, and the model screen offers them too (``l``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ddbtui.core.errors import DdbtuiError
from ddbtui.core.model.check import Verdict
from ddbtui.core.requests import ReadRequest
from ddbtui.ui.host import Host
from ddbtui.ui.screens.model_patterns_screen import ModelPatternsScreen

LOCAL_MODEL = "ddbtui.model.toml"
DEMO_MODEL = "demo.model.toml"
SAMPLE_ITEMS = 300  # the sample the check reads per table (the CLI's default is 1000): a quick f7


def model_source(app: Host) -> tuple[str, str] | None:
    """(the model file's text, its name), or None when there is none to use. UsageError: unreadable."""
    from ddbtui.core.errors import UsageError

    configured = getattr(app.config, "model", None)
    path = Path(configured).expanduser() if configured else Path(LOCAL_MODEL)
    if configured or path.is_file():
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(
                f"cannot read the model file {path}: {getattr(e, 'strerror', None) or e}"
            ) from None
    if app.seed_demo:
        from importlib import resources

        text = resources.files("ddbtui.core").joinpath(f"data/{DEMO_MODEL}").read_text(encoding="utf-8")
        return text, DEMO_MODEL
    return None


def filled_request(v: Verdict) -> ReadRequest:
    """The pattern's request with its ``:parameters`` written in as literals (the builder takes no
    placeholders); a get's key as the JSON key the builder's GetItem takes."""
    from ddbtui.core.advisor.analysis import Resolver
    from ddbtui.core.expr import parse_condition, to_source
    from ddbtui.core.model.match import get_key_json

    req = v.pattern.request
    values = {(k if k.startswith(":") else f":{k}"): val for k, val in v.params.items() if val != "?"}

    def fill(text: str | None) -> str | None:
        if not text or not values:
            return text
        try:
            return to_source(Resolver(None, values)(parse_condition(text)))
        except (DdbtuiError, KeyError, ValueError):
            return text

    if req.operation == "get" and req.key:
        try:
            return req.with_(key=get_key_json(req.key, values), values=None)
        except (DdbtuiError, KeyError, ValueError):
            return req.with_(values=None)
    return req.with_(key=fill(req.key), filter=fill(req.filter), values=None)


class ModelPatterns:
    """Runs the check in a worker and the screen; ``lessons`` opens the demo's lessons (the old f7)."""

    def __init__(self, app: Host, lessons: Callable[[], None], has_lessons: Callable[[], bool]) -> None:
        self.app = app
        self.lessons = lessons
        self.has_lessons = has_lessons
        self.verdicts: list[Verdict] = []
        self.source = ""

    def show(self) -> bool:
        """Check the model's patterns and show them; False when there is no model (f7 shows the lessons)."""
        app = self.app
        try:
            found = model_source(app)
        except DdbtuiError as e:
            app.notify(str(e), severity="error", markup=False)
            return True
        if found is None or app.client is None:
            return False
        from ddbtui.core.model import load_model

        text, source = found
        try:
            model = load_model(text, source)
        except DdbtuiError as e:
            app.notify(
                str(e), title="The model file has mistakes", severity="error", markup=False, timeout=10
            )
            return True
        from ddbtui.ui.widgets.tables_pane import TablesPane

        tables = set(app.screen_stack[0].query_one("#tables", TablesPane).names)
        open_table = app.schema.name if app.schema is not None else None
        mine = [p for p in model.patterns if p.request.table in tables]
        if open_table is not None and any(p.request.table == open_table for p in mine):
            mine = [p for p in mine if p.request.table == open_table]  # the open table's patterns
        if not mine:
            app.notify(f"{source}: none of its patterns reads a table of this connection", markup=False)
            return False
        from dataclasses import replace

        model = replace(model, patterns=tuple(mine))
        client, estimate, demo = app.client, app.estimate, app.seed_demo
        app.notify(f"checking {len(mine)} patterns of {Path(source).name}…", markup=False, timeout=3)

        def work() -> None:
            from ddbtui.aws.model_check import check_model

            sized = None
            if demo:
                from ddbtui.aws.demo_data import sized_schema as sized
            try:
                result = check_model(client, model, estimate_capacity=estimate, sample_items=SAMPLE_ITEMS,
                                     sized=sized)  # fmt: skip
            except Exception as e:  # an AWS error: said, never raised in the worker
                app.call_from_thread(app.notify, f"model check: {e}", severity="error", markup=False)
                return
            app.call_from_thread(self._ready, result.verdicts, source)

        app.run_worker(work, thread=True, group="model-patterns", exclusive=True, exit_on_error=False)
        return True

    def _ready(self, verdicts: list[Verdict], source: str) -> None:
        self.verdicts, self.source = verdicts, source

        def chosen(picked: tuple[str, int] | None) -> None:
            if picked is None:
                return
            if picked[0] == "lessons":
                self.lessons()
            else:
                self.load(self.verdicts[picked[1]])

        self.app.push_screen(
            ModelPatternsScreen(verdicts, Path(source).name, lessons=self.has_lessons()), chosen
        )

    def load(self, v: Verdict) -> None:
        """Into the builder (opening its table first when another one is open), parameters filled."""
        req = filled_request(v)
        app = self.app

        def fill() -> None:
            app.builder.load_request(req)
            app.results.focus()
            mark = {"ok": "✓", "warn": "⚠", "fail": "✗"}[v.status]
            app.notify(f"{mark} {v.pattern.name} — ctrl+r runs it", title="Pattern loaded", markup=False,
                       severity="warning" if v.status == "fail" else "information", timeout=6)  # fmt: skip

        if app.schema is not None and app.schema.name == req.table:
            fill()
        else:
            app.open_table(req.table, then=fill)
