"""Saved queries: named read requests in a plain TOML file (``queries.toml`` in the config dir) that can be
kept in git; parsed with ``tomllib``, written here (strings, integers, booleans, tables: nothing else is
needed). Pure: the file itself is read and written by ``ddbtui.aws.saved_store``.

One table per query, under ``queries``::

    [queries."orders of a customer"]
    table = "Shop"
    operation = "query"
    key = "pk = :customer"
    filter = "#s = :status"
    limit = 10
    descending = true

    [queries."orders of a customer".names]
    "#s" = "status"

    [queries."orders of a customer".values]   # fixed values, and defaults of parameters
    ":status" = "OPEN"

    [queries."orders of a customer".params]   # a parameter's type: S (default), N or BOOL
    customer = "S"

A ``:name`` in the key condition, the filter or a PartiQL statement that ``values`` does not give is a
*parameter*: ``ddbtui run NAME --param customer=CUSTOMER#0001`` supplies it (``--param`` also overrides a
value). In a PartiQL statement each ``:name`` becomes a ``?`` with its value, in order.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.requests import ReadRequest

OPERATIONS = ("query", "scan", "get", "sql")
TYPES = ("S", "N", "BOOL")
_STRINGS = ("table", "index", "key", "filter", "projection", "statement")
_INTS = ("limit", "page_size", "max_pages", "segments")
_BOOLS = ("descending", "consistent")
_NAME = re.compile(r"[A-Za-z0-9_]+")
_TOML_FLOAT = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    request: ReadRequest
    params: dict[str, str] = field(default_factory=dict)  # parameter -> S | N | BOOL

    @property
    def table(self) -> str:
        return "" if self.request.operation == "sql" else self.request.table

    def parameters(self) -> list[str]:
        """Every ``:name`` of the request's expressions, in order of first use (without the colon)."""
        out: dict[str, None] = {}
        for text in _texts(self.request):
            for _s, _e, name in _placeholders(text):
                out[name] = None
        return list(out)

    def required(self) -> list[str]:
        """The parameters ``values`` gives no value for."""
        given = self.request.values or {}
        return [p for p in self.parameters() if f":{p}" not in given]


def _texts(req: ReadRequest) -> list[str]:
    if req.operation == "sql":
        return [req.statement or ""]
    if req.operation == "get":
        return []
    return [t for t in (req.key, req.filter) if t]


def _placeholders(text: str, marks: str = ":") -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of each ``:name`` (or ``#name`` with ``marks="#:"``) outside quotes ('…', "…",
    `…`, with backslash escapes and doubled quotes inside); ``name`` keeps its mark unless ``marks`` is ":"."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            continue
        if c in marks:
            m = _NAME.match(text, i + 1)
            if m:
                yield i, m.end(), (m.group() if marks == ":" else c + m.group())
                i = m.end()
                continue
        i += 1


def for_builder(query: SavedQuery) -> ReadRequest:
    """The request as the workbench's builder holds it (it has no placeholder fields): each ``#name`` and
    ``:value`` the query gives is written inline; a parameter without a value stays ``:name``, for the user
    to fill in."""
    from ddbtui.core.expr.printer import literal_source, name_source

    req = query.request
    names, values = req.names or {}, req.values or {}
    if req.operation == "sql":
        if query.required():
            return req.with_(names=None, values=None)
        return bind(query, {}).with_(names=None, values=None)

    def inline(text: str | None) -> str | None:
        if not text:
            return text
        out, last = [], 0
        for s, e, ref in _placeholders(text, "#:"):
            if ref in names:
                out.append(text[last:s] + name_source(names[ref]))
            elif ref in values:
                out.append(text[last:s] + literal_source(values[ref]))
            else:
                out.append(text[last:e])
            last = e
        return "".join(out) + text[last:]

    return req.with_(
        key=inline(req.key) if req.operation == "query" else req.key,
        filter=inline(req.filter),
        projection=inline(req.projection),
        names=None,
        values=None,
    )


# --- binding ---------------------------------------------------------------------------------------


def _typed(name: str, text: str, kind: str) -> Any:
    if kind == "N":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise UsageError(f"--param {name} is a number (N): {text!r} is not one") from None
        if not number.is_finite():
            raise UsageError(f"--param {name} is a number (N): {text!r} is not one")
        return number
    if kind == "BOOL":
        if text.lower() not in ("true", "false"):
            raise UsageError(f"--param {name} is true or false (BOOL), not {text!r}")
        return text.lower() == "true"
    return text


def parse_param_args(pairs: list[str]) -> dict[str, str]:
    """``--param k=v`` arguments as a dict (``:k=v`` accepted too)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        name = name.strip().lstrip(":")
        if not eq or not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise UsageError(f"--param {pair!r}: write NAME=VALUE (NAME letters, digits or _)")
        out[name] = value
    return out


def bind(query: SavedQuery, given: Mapping[str, str]) -> ReadRequest:
    """The request with its parameters filled in from ``given`` (name -> text, typed by ``params``)."""
    known = query.parameters()
    unknown = [k for k in given if k not in known]
    if unknown:
        which = ", ".join(f":{k}" for k in known) or "none"
        raise UsageError(f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {which})")
    missing = [p for p in query.required() if p not in given]
    if missing:
        raise UsageError(f"{query.name} needs " + " ".join(f"--param {p}=VALUE" for p in missing))
    values: dict[str, Any] = dict(query.request.values or {})
    for k, v in given.items():
        values[f":{k}"] = _typed(k, v, query.params.get(k, "S"))
    req = query.request
    if req.operation != "sql":
        return req.with_(values=values or None)
    from ddbtui.core.expr import to_attribute_value

    text = req.statement or ""
    out, last, avs = [], 0, []
    for s, e, name in _placeholders(text):
        out.append(text[last:s] + "?")
        avs.append(to_attribute_value(values[f":{name}"]))
        last = e
    out.append(text[last:])
    return req.with_(statement="".join(out), values=None, parameters=tuple(avs) or None)


# --- the file ---------------------------------------------------------------------------------------


def _check_plain(where: str, value: Any) -> Any:
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, float | Decimal) and _TOML_FLOAT.fullmatch(str(value)):
        return Decimal(str(value))
    raise UsageError(f"{where}: a saved query keeps strings, numbers and true/false, not {value!r}")


def query_from_toml(name: str, raw: Any) -> SavedQuery:
    where = f"saved query {name!r}"
    if not isinstance(raw, dict):
        raise UsageError(f"{where} is not a table")
    op = raw.get("operation", "query")
    if op not in OPERATIONS:
        raise UsageError(f"{where}: operation must be one of {', '.join(OPERATIONS)}")
    fields: dict[str, Any] = {"operation": op}
    for k in _STRINGS:
        if k in raw:
            if not isinstance(raw[k], str):
                raise UsageError(f"{where}: {k} must be a string")
            fields[k] = raw[k]
    for k in _INTS:
        if k in raw:
            if not isinstance(raw[k], int) or isinstance(raw[k], bool) or raw[k] < 1:
                raise UsageError(f"{where}: {k} must be a whole number, at least 1")
            fields[k] = raw[k]
    for k in _BOOLS:
        if k in raw:
            if not isinstance(raw[k], bool):
                raise UsageError(f"{where}: {k} must be true or false")
            fields[k] = raw[k]
    for k in ("names", "values", "params"):
        if k in raw and not isinstance(raw[k], dict):
            raise UsageError(f"{where}: {k} must be a table")
    names = raw.get("names") or {}
    if not all(isinstance(v, str) for v in names.values()):
        raise UsageError(f"{where}: names map #placeholders to attribute names (strings)")
    values = {k: _check_plain(f"{where} value {k}", v) for k, v in (raw.get("values") or {}).items()}
    params = raw.get("params") or {}
    bad = [k for k, v in params.items() if v not in TYPES]
    if bad:
        raise UsageError(f"{where}: the type of parameter {bad[0]} must be S, N or BOOL")
    if op != "sql" and not fields.get("table"):
        raise UsageError(f"{where}: table is missing")
    if op == "sql" and not fields.get("statement"):
        raise UsageError(f"{where}: statement is missing")
    req = ReadRequest(**fields, names=dict(names) or None, values=values or None)
    return SavedQuery(name, req, dict(params))


def parse_saved(text: str) -> dict[str, SavedQuery]:
    """Every saved query of the file's text, by name; UsageError naming what is wrong."""
    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"the saved queries file is not TOML: {e}") from None
    queries = doc.get("queries", {})
    if not isinstance(queries, dict):
        raise UsageError("the saved queries file: queries must be a table")
    return {name: query_from_toml(name, raw) for name, raw in queries.items()}


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_str(key)


def _toml_str(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return str(v)  # TOML's float syntax (checked by _check_plain); an integral one reads back as int
    if isinstance(v, str):
        return _toml_str(v)
    raise UsageError(f"a saved query keeps strings, numbers and true/false, not {v!r}")


def format_query(q: SavedQuery) -> str:
    req = q.request
    head = f"queries.{_toml_key(q.name)}"
    lines = [f"[{head}]", f"operation = {_toml_value(req.operation)}"]
    for k in _STRINGS:
        v = getattr(req, k)
        if v and not (k == "table" and req.operation == "sql"):
            lines.append(f"{k} = {_toml_value(v)}")
    for k in _INTS:
        v = getattr(req, k)
        if v is not None and not (k == "segments" and v == 1):
            lines.append(f"{k} = {v}")
    for k in _BOOLS:
        if getattr(req, k):
            lines.append(f"{k} = true")
    for part, table in (("names", req.names), ("values", req.values), ("params", q.params)):
        if table:
            lines += ["", f"[{head}.{part}]"]
            lines += [
                f"{_toml_key(k)} = {_toml_value(_check_plain(f'{q.name} {k}', v))}" for k, v in table.items()
            ]
    return "\n".join(lines) + "\n"


HEADER = (
    "# ddbtui saved queries: `ddbtui saved list`, `ddbtui run NAME --param k=v`, or open one in the\n"
    "# workbench. A :name the values table does not give is a parameter.\n"
)


def format_saved(queries: Mapping[str, SavedQuery]) -> str:
    return HEADER + "".join("\n" + format_query(q) for q in queries.values())


def from_request(name: str, req: ReadRequest) -> SavedQuery:
    """The builder's request under ``name``; what cannot be saved (a PartiQL statement's ? values, binary
    or nested values) is a UsageError."""
    if not name.strip():
        raise UsageError("a saved query needs a name")
    if req.parameters:
        raise UsageError("a PartiQL statement's ? values are not saved: write them as :name parameters")
    values = {k: _check_plain(f"value {k}", v) for k, v in (req.values or {}).items()}
    kept = req.with_(values=values or None, parameters=None, page_size=None, max_pages=None)
    return SavedQuery(name.strip(), kept)


def describe(q: SavedQuery) -> str:
    """One line for a list: the table, what the request does, its parameters."""
    req = q.request
    what = (
        req.statement
        if req.operation == "sql"
        else " · ".join(
            x for x in (req.operation, req.index, req.key, req.filter and f"filter {req.filter}") if x
        )
    )
    params = q.parameters()
    tail = f" · params {', '.join(':' + p for p in params)}" if params else ""
    return f"{q.table or '(PartiQL)'} · {what}{tail}"


def to_json(q: SavedQuery) -> dict[str, Any]:
    """The query as JSON data (``ddbtui saved show --format json``)."""
    import dataclasses

    req = {k: v for k, v in dataclasses.asdict(q.request).items() if v not in (None, False, "")}
    if "values" in req:
        req["values"] = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in req["values"].items()}
    return {"name": q.name, "request": req, "params": q.params, "parameters": q.parameters()}
