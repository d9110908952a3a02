"""The query builder: index, operation, key values, filter, projection, paging options, PartiQL editor.

Every change rebuilds the request with ``core.requests.build`` (pure, no I/O): an error shows with its
column before anything is sent, and the preview shows the exact boto3 parameters the run would send.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import parse_condition, split_key_condition
from ddbtui.core.expr.printer import name_source, quote, to_source
from ddbtui.core.partiql import parameters_text, parse_parameters, placeholder_count
from ddbtui.core.requests import BuiltRequest, ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import safe_text
from ddbtui.ui.safe import params_json

OPERATIONS = [("Query", "query"), ("Scan", "scan"), ("GetItem", "get"), ("PartiQL", "sql")]
SK_OPERATORS = ["=", "<", "<=", ">", ">=", "between", "begins_with"]
TABLE_INDEX = "(table)"  # the Select value for "no index": Select values cannot be None


def literal_expr(text: str, attr_type: str | None) -> str:
    """A key value typed by the user as an expression-language literal.

    Quoted text (or ``b64"…"``) is taken as written; otherwise the key's type decides: a string key gets
    the text quoted for it (so ``CUSTOMER#42`` needs no quotes), a number key the number as typed.
    """
    t = text.strip()
    if t[:1] in ("'", '"') or t.startswith('b64"'):
        return t
    if attr_type == "N":
        return t
    if attr_type == "B":
        return 'b64"' + t + '"'
    return quote(t)


def literal_json(text: str, attr_type: str | None, name: str) -> str:
    """A key value as JSON for GetItem's key object."""
    t = text.strip()
    if attr_type == "B" or t.startswith('b64"'):
        raise UsageError(
            f"GetItem in the builder needs a string or number key; {name} is binary: use a Query"
        )
    if t[:1] == '"':
        try:
            return json.dumps(json.loads(t))
        except ValueError:
            raise UsageError(f"{name}: bad quoted string {t}") from None
    if t[:1] == "'" and t.endswith("'") and len(t) >= 2:
        return json.dumps(t[1:-1].replace("\\'", "'"))
    if attr_type == "N":
        try:
            Decimal(t)
        except InvalidOperation:
            raise UsageError(f"{name} is a number key; {t!r} is not a number") from None
        return t
    return json.dumps(t)


class QueryBuilder(Vertical):
    """Builds a ``ReadRequest`` from its inputs; ``built`` is the checked request or None with ``error``."""

    class Changed(Message):
        """The request in the builder changed (valid or not)."""

    class RunRequested(Message):
        """``enter`` in a field: run the request, as ctrl+r does."""

    def __init__(self, *, page_size: int = 25, id: str | None = None) -> None:
        super().__init__(id=id)
        self.schema: TableSchema | None = None
        self.built: BuiltRequest | None = None
        self.error: str | None = None
        self.default_page_size = page_size
        self._loading = False
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="qb-row"):
            yield Select(
                [("table", TABLE_INDEX)], value=TABLE_INDEX, allow_blank=False, id="qb-index", compact=True
            )
            yield Select(OPERATIONS, value="scan", allow_blank=False, id="qb-op", compact=True)
            yield Checkbox("desc", id="qb-desc", compact=True)
            yield Checkbox("consistent", id="qb-consistent", compact=True)
        with Horizontal(classes="qb-row", id="qb-pk-row"):
            yield Label("pk =", id="qb-pk-label", classes="qb-label")
            yield Input(placeholder="partition key value, e.g. CUSTOMER#0042", id="qb-pk", compact=True)
        with Horizontal(classes="qb-row", id="qb-sk-row"):
            yield Label("sk", id="qb-sk-label", classes="qb-label")
            yield Select(
                [(o, o) for o in SK_OPERATORS], value="=", allow_blank=False, id="qb-sk-op", compact=True
            )
            yield Input(placeholder="sort key value (optional)", id="qb-sk", compact=True)
            yield Input(placeholder="and…", id="qb-sk2", compact=True)
        with Horizontal(classes="qb-row", id="qb-filter-row"):
            yield Label("filter", classes="qb-label")
            yield Input(placeholder="e.g. status = 'OPEN' AND total > 100", id="qb-filter", compact=True)
        yield TextArea(
            "",
            language="sql" if "sql" in TextArea().available_languages else None,
            id="qb-sql",
            show_line_numbers=False,
            soft_wrap=True,
            compact=True,
        )
        with Horizontal(classes="qb-row", id="qb-params-row"):  # PartiQL with ? placeholders
            yield Label("params", classes="qb-label")
            yield Input(placeholder='values of the ?s, e.g. ["a", 5]', id="qb-params", compact=True)
        with Horizontal(classes="qb-row qb-extra"):  # hidden on a short terminal (app.tcss)
            yield Label("project", classes="qb-label")
            yield Input(placeholder="a, b.c", id="qb-project", compact=True)
            yield Label("limit", classes="qb-label")
            yield Input(placeholder="all", id="qb-limit", type="integer", compact=True)
            yield Label("page", classes="qb-label")
            yield Input(str(self.default_page_size), id="qb-page", type="integer", compact=True)
            yield Label("seg", classes="qb-label", id="qb-seg-label")
            yield Input("1", id="qb-segments", type="integer", compact=True)
        # One line: the error (with its column) when the request is invalid, else the exact parameters.
        yield Static("", id="qb-message")

    def on_mount(self) -> None:
        self._sync_visibility()
        self._rebuild()

    # --- state in, request out ------------------------------------------------------------------------

    def _value(self, id_: str) -> str:
        return self.query_one(f"#{id_}", Input).value.strip()

    def _int(self, id_: str) -> int | None:
        text = self._value(id_)
        return int(text) if text.lstrip("-").isdigit() else None

    @property
    def operation(self) -> str:
        return str(self.query_one("#qb-op", Select).value)

    @property
    def index(self) -> str | None:
        value = self.query_one("#qb-index", Select).value
        return None if value == TABLE_INDEX else str(value)

    def set_schema(self, schema: TableSchema, request: ReadRequest | None = None) -> None:
        """A table was opened: offer its indexes; load ``request`` (default: a Scan of the table)."""
        self.schema = schema
        # names from DescribeTable: Text, so that a Select never reads them as markup
        options = [(Text("table"), TABLE_INDEX)] + [
            (Text(f"{safe_text(i.name)} ({i.kind.upper()})"), i.name)
            for i in (*schema.gsis, *schema.lsis)
            if i.name
        ]
        self._loading = True
        try:
            self.query_one("#qb-index", Select).set_options(options)
            self.load_request(request or ReadRequest("scan", schema.name, page_size=self.default_page_size))
        finally:
            self._loading = False
        self._sync_visibility()
        self._rebuild()

    def load_request(self, req: ReadRequest) -> None:
        """Fill the inputs from a request (history recall, an advisor suggestion, a table opened)."""
        loading, self._loading = self._loading, True
        try:
            index_values = [v for _, v in self.query_one("#qb-index", Select)._options]
            self.query_one("#qb-index", Select).value = (
                req.index if req.index in index_values else TABLE_INDEX
            )
            self.query_one("#qb-op", Select).value = req.operation
            pk, sk_op, sk1, sk2 = self._split_key(req)
            self.query_one("#qb-pk", Input).value = pk
            self.query_one("#qb-sk-op", Select).value = sk_op
            self.query_one("#qb-sk", Input).value = sk1
            self.query_one("#qb-sk2", Input).value = sk2
            self.query_one("#qb-filter", Input).value = req.filter or ""
            self.query_one("#qb-project", Input).value = req.projection or ""
            self.query_one("#qb-limit", Input).value = str(req.limit) if req.limit else ""
            self.query_one("#qb-page", Input).value = str(req.page_size) if req.page_size else ""
            self.query_one("#qb-segments", Input).value = str(req.segments or 1)
            self.query_one("#qb-desc", Checkbox).value = req.descending
            self.query_one("#qb-consistent", Checkbox).value = req.consistent
            self.query_one("#qb-sql", TextArea).text = req.statement or ""
            self.query_one("#qb-params", Input).value = (
                parameters_text(req.parameters) if req.parameters else ""
            )
        finally:
            self._loading = loading
        self._sync_visibility()
        self._rebuild()

    def _split_key(self, req: ReadRequest) -> tuple[str, str, str, str]:
        """Key text back into the pk / sk inputs, when the request came with a whole key condition."""
        if not req.key:
            return "", "=", "", ""
        if req.operation == "get":
            try:
                key = json.loads(req.key)
            except ValueError:
                return "", "=", "", ""
            idx = self.schema.key if self.schema else None
            if idx is None or not isinstance(key, dict):
                return "", "=", "", ""
            pk = key.get(idx.partition_key, "")
            sk = key.get(idx.sort_key, "") if idx.sort_key else ""
            return (
                (json.dumps(pk) if isinstance(pk, str) else str(pk)),
                "=",
                (json.dumps(sk) if isinstance(sk, str) else str(sk)),
                "",
            )
        # A whole key condition (history, an advisor suggestion): the parser splits it, as build() does.
        if self.schema is None:
            return req.key, "=", "", ""
        try:
            index = self.schema.index(req.index)
            kc = split_key_condition(parse_condition(req.key), index, self.schema.attribute_types)
        except (KeyError, UsageError):
            return req.key, "=", "", ""  # shown as typed; the builder then says what is wrong with it
        pk = to_source(kc.partition[1])
        if kc.sort is None:
            return pk, "=", "", ""
        op, values = kc.sort
        return (
            pk,
            op.lower() if op == "BETWEEN" else op,
            to_source(values[0]),
            to_source(values[-1]) if len(values) > 1 else "",
        )

    def _key_text(self, op: str) -> str | None:
        """The key condition (Query) or key JSON (GetItem) made from the pk / sk inputs."""
        schema = self.schema
        if schema is None:
            return None
        try:
            idx = schema.index(self.index if op == "query" else None)
        except KeyError:
            return None
        pk_text, sk_text, sk2_text = self._value("qb-pk"), self._value("qb-sk"), self._value("qb-sk2")
        types = schema.attribute_types
        pk, sk = idx.key.partition_key, idx.key.sort_key
        if op == "get":
            if not pk_text:
                return None
            parts = [f"{json.dumps(pk)}: {literal_json(pk_text, types.get(pk), pk)}"]
            if sk:
                if not sk_text:
                    raise UsageError(f"GetItem needs the whole primary key: a value for {sk} too")
                parts.append(f"{json.dumps(sk)}: {literal_json(sk_text, types.get(sk), sk)}")
            return "{" + ", ".join(parts) + "}"
        if not pk_text:
            return None
        text = f"{name_source(pk)} = {literal_expr(pk_text, types.get(pk))}"
        if sk and sk_text:
            sk_op = str(self.query_one("#qb-sk-op", Select).value)
            lit = literal_expr(sk_text, types.get(sk))
            if sk_op == "between":
                if not sk2_text:
                    raise UsageError(f"between needs two values for {sk}")
                text += f" AND {name_source(sk)} BETWEEN {lit} AND {literal_expr(sk2_text, types.get(sk))}"
            elif sk_op == "begins_with":
                text += f" AND begins_with({name_source(sk)}, {lit})"
            else:
                text += f" AND {name_source(sk)} {sk_op} {lit}"
        return text

    def request(self) -> ReadRequest:
        """The request in the builder (unchecked: ``build`` checks it). Raises UsageError for bad input."""
        op = self.operation
        table = self.schema.name if self.schema else ""
        if op == "sql":
            params = self._value("qb-params")
            return ReadRequest(
                "sql",
                table,
                statement=self.query_one("#qb-sql", TextArea).text,
                parameters=parse_parameters(params) if params else None,
                limit=self._int("qb-limit"),
                page_size=self._int("qb-page"),
                consistent=self.query_one("#qb-consistent", Checkbox).value,
            )
        return ReadRequest(
            op,  # type: ignore[arg-type]
            table,
            index=self.index if op != "get" else None,
            key=self._key_text(op) if op in ("query", "get") else None,
            filter=(self._value("qb-filter") or None) if op != "get" else None,
            projection=self._value("qb-project") or None,
            limit=self._int("qb-limit") if op != "get" else None,
            page_size=self._int("qb-page") if op != "get" else None,
            descending=op == "query" and self.query_one("#qb-desc", Checkbox).value,
            consistent=self.query_one("#qb-consistent", Checkbox).value,
            segments=(self._int("qb-segments") or 1) if op == "scan" else 1,
        )

    # --- validation as you type -------------------------------------------------------------------------

    def _rebuild(self) -> None:
        for w in self.query(Input):
            w.remove_class("-bad")
        self.built, self.error = None, None
        message: Text
        if self.schema is None and self.operation != "sql":
            message = Text("open a table (enter in the tables pane), or write PartiQL", style="dim")
        else:
            try:
                req = self.request()
                self.built = build(req, self.schema)
                message = self._preview()  # warnings go to the advisor line (the app shows them)
            except ExprError as e:
                self.error = self._expr_message(e)
                message = Text("✗ " + self.error, style="bold red")
            except UsageError as e:
                self.error = safe_text(str(e))
                message = Text("✗ " + self.error, style="bold red")
        # an error wraps onto a second line: it must be read whole; the parameters stay on one
        self.query_one("#qb-message").set_class(self.error is not None, "-error")
        self._update("#qb-message", message)
        if not self._loading:
            self.post_message(self.Changed())

    def _update(self, selector: str, text: Text) -> None:
        # an update re-lays the screen out; typing should not pay for it when nothing changed
        if self._shown.get(selector) != text.plain:
            self._shown[selector] = text.plain
            self.query_one(selector, Static).update(text)

    def _expr_message(self, e: ExprError) -> str:
        """``filter, column 12: message`` and the input it points into marked invalid."""
        where = e.message.split(":", 1)[0]
        field = {"filter": "qb-filter", "projection": "qb-project"}.get(where)
        if where == "key condition":
            # the key text is "pk = LIT AND …": a column inside the first part is the pk value's fault
            key = self._key_text("query") or ""
            first = key.split(" AND ", 1)[0]
            field = "qb-pk" if e.column is None or e.column <= len(first) else "qb-sk"
        if field:
            self.query_one(f"#{field}", Input).add_class("-bad")
        text = safe_text(e.message)
        if e.column is not None:
            kind, _, rest = text.partition(": ")
            text = f"{kind}, column {e.column}: {rest}" if rest else f"column {e.column}: {text}"
        return text

    def _preview(self) -> Text:
        if self.built is None:
            return Text("")
        # The same parameters, the telling ones first: one line cannot hold them all (f2 shows them whole).
        tail = (
            "ExpressionAttributeNames",
            "ExpressionAttributeValues",
            "TableName",
            "ReturnConsumedCapacity",
        )
        first = {k: v for k, v in self.built.params.items() if k not in tail}
        params = params_json(first | {k: self.built.params[k] for k in tail if k in self.built.params})
        return Text(f"{self.built.api}({safe_text(params)})", style="dim", no_wrap=True, overflow="ellipsis")

    def _sync_visibility(self) -> None:
        op = self.operation
        sql = op == "sql"
        keyed = op in ("query", "get")
        schema = self.schema
        try:
            idx = schema.index(self.index if op in ("query", "scan") else None) if schema else None
        except KeyError:
            idx = None
        self.query_one("#qb-index").display = op in ("query", "scan")
        self.query_one("#qb-consistent").display = not (idx is not None and idx.kind == "gsi")
        self.query_one("#qb-pk-row").display = keyed
        self.query_one("#qb-sk-row").display = keyed and bool(idx and idx.key.sort_key)
        self.query_one("#qb-sk-op").display = op == "query"
        between = op == "query" and self.query_one("#qb-sk-op", Select).value == "between"
        self.query_one("#qb-sk2").display = between
        self.query_one("#qb-filter-row").display = op in ("query", "scan")
        self.query_one("#qb-sql").display = sql
        statement = self.query_one("#qb-sql", TextArea).text if sql else ""
        self.query_one("#qb-params-row").display = sql and (
            placeholder_count(statement) > 0 or bool(self._value("qb-params"))
        )
        self.query_one("#qb-segments").display = op == "scan"
        self.query_one("#qb-seg-label").display = op == "scan"
        self.query_one("#qb-desc").display = op == "query"
        if idx is not None:
            types = schema.attribute_types if schema else {}
            pk = idx.key.partition_key
            self.query_one("#qb-pk-label", Label).update(Text(f"{safe_text(pk)} ({types.get(pk, '?')}) ="))
            if idx.key.sort_key:
                sk = idx.key.sort_key
                self.query_one("#qb-sk-label", Label).update(Text(f"{safe_text(sk)} ({types.get(sk, '?')})"))

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _input_changed(self, event: Message) -> None:
        event.stop()
        if not self._loading:
            self._rebuild()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if (
            event.select.id == "qb-op"
            and event.value == "sql"
            and not self.query_one("#qb-sql", TextArea).text
        ):
            table = self.schema.name if self.schema else "TableName"
            self.query_one("#qb-sql", TextArea).text = f'SELECT * FROM "{table}"'
        if (
            event.select.id == "qb-index"
            and self.index
            and self.schema
            and self.schema.index(self.index).kind == "gsi"
        ):
            # ConsistentRead is refused on a GSI: clear it rather than show an error the user did not make
            self.query_one("#qb-consistent", Checkbox).value = False
        if not self._loading:
            self._sync_visibility()
            self._rebuild()

    @on(TextArea.Changed, "#qb-sql")
    def _sql_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if not self._loading:
            self._sync_visibility()  # the params line shows once the statement has a ?
            self._rebuild()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # enter in any input runs the request, as ctrl+r does
        event.stop()
        self.post_message(self.RunRequested())
