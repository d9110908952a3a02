"""Reading a model file (TOML, parsed by the standard library's ``tomllib``) and checking it: every mistake
is reported, each on its own line with the line of the file it is on.

``tomllib`` gives a line and column for syntax errors only; for everything else (an unknown key, a rate
that is not a number, a key condition that does not parse) the line is found in the source text here,
by the section and key it belongs to.

The format (README: "Model your access patterns")::

    table = "Shop"                       # the table the patterns read (a pattern may name another)
    type_attribute = "type"              # optional: the attribute that names an item's entity

    [entities.order]
    pk = "CUSTOMER#{customer_id}"        # any other string: a key template (attribute = template)
    sk = "ORDER#{created_at}#{order_id}"
    type = "ORDER"                       # optional: its value of type_attribute
    attributes = ["total", "status"]     # optional (design)
    identity = ["order_id"]              # optional (design): what identifies one item
    types = { total = "N" }              # optional (design): key types other than S

    [[patterns]]
    name = "orders of a customer, newest first"
    request = "query Shop key \"pk = :cust AND begins_with(sk, 'ORDER#')\" desc limit 10"
    rate = 50                            # optional: requests per second
    needs = ["total", "status"]          # optional: attributes the caller reads
    entity = "order"                     # optional: the entity it reads
    params = { cust = "CUSTOMER#0001" }  # optional: values of its :parameters (else from a sampled item)
    sort = "created_at"                  # optional (design): the order the caller wants

The request: ``query|scan|get [TABLE] [index NAME] [key "EXPR"] [filter "EXPR"] [project "a,b"]
[desc] [limit N] [page-size N] [consistent]``; a get's key is a condition of ``=`` on every key attribute.
"""

from __future__ import annotations

import math
import re
import shlex
import tomllib
from typing import Any

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import ValueRef, parse_condition, parse_projection, walk
from ddbtui.core.model.spec import Entity, Model, ModelError, Pattern
from ddbtui.core.model.templates import Template, TemplateError
from ddbtui.core.requests import ReadRequest

TOP_KEYS = ("table", "type_attribute", "entities", "patterns")
ENTITY_KEYS = ("type", "attributes", "identity", "types", "description")
PATTERN_KEYS = ("name", "request", "rate", "needs", "entity", "params", "sort", "description")
OPERATIONS = ("query", "scan", "get")
FLAGS = ("desc", "consistent")
VALUED = ("index", "key", "filter", "project", "limit", "page-size")


class _Lines:
    """Where a key of a section is in the source: ``("entities.order", "pk")`` → line 7."""

    _ARRAY = re.compile(r"^\s*\[\[\s*([^\]]+?)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, str], int] = {}
        self.sections: dict[str, int] = {}
        counts: dict[str, int] = {}
        section = ""
        for n, line in enumerate(text.splitlines(), start=1):
            if m := self._ARRAY.match(line):
                name = _unquote(m.group(1))
                i = counts.get(name, 0)
                counts[name] = i + 1
                section = f"{name}[{i}]"
                self.sections[section] = n
            elif m := self._TABLE.match(line):
                section = _unquote(m.group(1))
                self.sections[section] = n
            elif m := self._KEY.match(line):
                key = _unquote(m.group(1))
                self.keys.setdefault((section, key), n)
                # dotted keys (entities.order.pk = ...) and inline tables (order = { pk = ... }) too
                if "." in key:
                    head, _, last = key.rpartition(".")
                    full = f"{section}.{head}" if section else head
                    self.keys.setdefault((full, last), n)
                    self.sections.setdefault(full, n)
                full = f"{section}.{key}" if section else key
                self.sections.setdefault(full, n)
                for inner in re.finditer(r"[{,]\s*([A-Za-z0-9_-]+)\s*=", line):
                    self.keys.setdefault((full, inner.group(1)), n)

    def of(self, section: str, key: str | None = None) -> int | None:
        if key is not None and (section, key) in self.keys:
            return self.keys[(section, key)]
        if key is not None and (f"{section}.{key}" if section else key) in self.sections:
            return self.sections[f"{section}.{key}" if section else key]
        if section in self.sections:
            return self.sections[section]
        head = section.rpartition(".")[0]
        return self.of(head) if head else None


def _unquote(name: str) -> str:
    parts = [p.strip().strip("\"'") for p in name.split(".")]
    return ".".join(parts)


def load_model(text: str, path: str = "model.toml") -> Model:
    """The model in ``text`` (a file's contents; ``path`` names it in errors). Raises ModelError."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ModelError(path, [(int(m.group(1)) if m else None, f"not valid TOML: {msg}")]) from None
    return _Reader(path, _Lines(text)).model(doc)


class _Reader:
    def __init__(self, path: str, lines: _Lines) -> None:
        self.path, self.lines = path, lines
        self.problems: list[tuple[int | None, str]] = []

    def bad(self, section: str, key: str | None, message: str) -> None:
        self.problems.append((self.lines.of(section, key), message))

    def model(self, doc: dict[str, Any]) -> Model:
        for k in doc:
            if k not in TOP_KEYS:
                self.bad("", k, f"unknown key {k!r} (known: {', '.join(TOP_KEYS)})")
        table = doc.get("table")
        if table is not None and (not isinstance(table, str) or not table):
            self.bad("", "table", "table must be a table name (a string)")
            table = None
        type_attr = doc.get("type_attribute", "type")
        if not isinstance(type_attr, str) or not type_attr:
            self.bad("", "type_attribute", "type_attribute must be an attribute name (a string)")
            type_attr = "type"
        entities: dict[str, Entity] = {}
        raw_entities = doc.get("entities", {})
        if not isinstance(raw_entities, dict):
            self.bad("", "entities", "entities must be a table: [entities.NAME] sections")
            raw_entities = {}
        for name, raw in raw_entities.items():
            e = self.entity(name, raw)
            if e is not None:
                entities[name] = e
        raw_patterns = doc.get("patterns", [])
        if not isinstance(raw_patterns, list):
            self.bad("", "patterns", "patterns must be an array of tables: [[patterns]] sections")
            raw_patterns = []
        if not raw_patterns and not self.problems:
            self.bad("", None, "no access patterns: add a [[patterns]] section with name and request")
        patterns: list[Pattern] = []
        seen: set[str] = set()
        for i, raw in enumerate(raw_patterns):
            p = self.pattern(i, raw, table, entities)
            if p is None:
                continue
            if p.name in seen:
                self.bad(f"patterns[{i}]", "name", f"two patterns are named {p.name!r}")
            seen.add(p.name)
            patterns.append(p)
        if self.problems:
            raise ModelError(self.path, sorted(self.problems, key=lambda p: p[0] or 0))
        return Model(self.path, table, entities, tuple(patterns), type_attr)

    def _strings(self, section: str, key: str, value: Any) -> tuple[str, ...] | None:
        if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            return tuple(value)
        self.bad(section, key, f'{key} must be a list of attribute names, e.g. ["total", "status"]')
        return None

    def entity(self, name: str, raw: Any) -> Entity | None:
        section = f"entities.{name}"
        if not isinstance(raw, dict):
            self.bad("entities", name, f"entity {name!r} must be a table of key templates")
            return None
        templates: dict[str, Template] = {}
        for k, v in raw.items():
            if k in ENTITY_KEYS:
                continue
            if not isinstance(v, str):
                self.bad(
                    section,
                    k,
                    f'{name}.{k}: a key template is a string such as "CUSTOMER#{{id}}" '
                    f"(or one of {', '.join(ENTITY_KEYS)})",
                )
                continue
            try:
                templates[k] = Template.parse(v)
            except TemplateError as e:
                self.bad(section, k, f"{name}.{k}: {e}")
        type_value = raw.get("type")
        if type_value is not None and not isinstance(type_value, str):
            self.bad(section, "type", f"{name}.type must be a string (the item's type attribute value)")
            type_value = None
        attrs = self._strings(section, "attributes", raw["attributes"]) if "attributes" in raw else ()
        ident = self._strings(section, "identity", raw["identity"]) if "identity" in raw else ()
        types: dict[str, str] = {}
        raw_types = raw.get("types", {})
        if not isinstance(raw_types, dict) or any(v not in ("S", "N", "B") for v in raw_types.values()):
            self.bad(section, "types", f'{name}.types maps attributes to S, N or B, e.g. {{ total = "N" }}')
        else:
            types = dict(raw_types)
        fields = {f for t in templates.values() for f in t.fields}
        all_attrs = tuple(dict.fromkeys([*sorted(fields), *(attrs or ())]))
        if not templates and not all_attrs and not any(k not in ENTITY_KEYS for k in raw):
            self.bad("entities", name, f"entity {name!r} has no key templates and no attributes")
        return Entity(name, templates, type_value, all_attrs, ident or (), types, self.lines.of(section))

    def pattern(self, i: int, raw: Any, table: str | None, entities: dict[str, Entity]) -> Pattern | None:
        section = f"patterns[{i}]"
        if not isinstance(raw, dict):
            self.bad("", "patterns", "each pattern is a table with name and request")
            return None
        for k in raw:
            if k not in PATTERN_KEYS:
                self.bad(section, k, f"unknown key {k!r} in a pattern (known: {', '.join(PATTERN_KEYS)})")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            self.bad(section, "name", "a pattern needs a name (a string)")
            name = f"pattern {i + 1}"
        text = raw.get("request")
        req: ReadRequest | None = None
        if not isinstance(text, str) or not text.strip():
            self.bad(section, "request", f"pattern {name!r} needs a request, e.g. \"query T key 'pk = :id'\"")
        else:
            try:
                req = parse_request(text, table)
            except UsageError as e:
                self.bad(section, "request", f"pattern {name!r}: {e}")
        params = request_params(req) if req is not None else ()
        rate = raw.get("rate")
        if rate is not None and (
            isinstance(rate, bool)
            or not isinstance(rate, int | float)
            or not math.isfinite(rate)
            or rate <= 0
        ):
            self.bad(section, "rate", f"pattern {name!r}: rate is requests per second, a number above 0")
            rate = None
        needs = self._strings(section, "needs", raw["needs"]) if "needs" in raw else ()
        entity = raw.get("entity")
        if entity is not None and entity not in entities:
            known = ", ".join(entities) or "none defined"
            self.bad(section, "entity", f"pattern {name!r}: no entity {entity!r} (entities: {known})")
            entity = None
        given: dict[str, Any] = {}
        raw_params = raw.get("params", {})
        if not isinstance(raw_params, dict):
            self.bad(section, "params", f'pattern {name!r}: params is a table, e.g. {{ cust = "A" }}')
            raw_params = {}
        for k, v in raw_params.items():
            ref = k if k.startswith(":") else f":{k}"
            if req is not None and ref not in params:
                have = ", ".join(params) or "none"
                self.bad(
                    f"{section}.params", k, f"pattern {name!r}: the request has no {ref} (it has: {have})"
                )
            given[ref] = v
        sort = raw.get("sort")
        if sort is not None and not isinstance(sort, str):
            self.bad(section, "sort", f"pattern {name!r}: sort is an attribute name")
            sort = None
        if req is None or not isinstance(text, str):
            return None
        return Pattern(
            name.strip(),
            text,
            req,
            params,
            given,
            float(rate) if rate else None,
            needs or (),
            entity,
            sort,
            self.lines.of(section, "name"),
        )


def parse_request(text: str, table: str | None) -> ReadRequest:
    """``query Shop key "pk = :c" desc limit 10`` as a ReadRequest (expressions parsed, not yet built)."""
    try:
        words = shlex.split(text)
    except ValueError as e:
        raise UsageError(f"cannot split the request into words: {e}") from None
    if not words or words[0].lower() not in OPERATIONS:
        raise UsageError(f"a request starts with {', '.join(OPERATIONS)} (got {words[0] if words else ''!r})")
    op = words[0].lower()
    rest = words[1:]
    if rest and rest[0].lower() not in (*FLAGS, *VALUED):
        table = rest.pop(0)
    if not table:
        raise UsageError("the request names no table and the model has no top-level table")
    opts: dict[str, str] = {}
    flags: set[str] = set()
    while rest:
        w = rest.pop(0).lower()
        if w in FLAGS:
            flags.add(w)
        elif w in VALUED:
            if not rest:
                raise UsageError(f"{w} needs a value")
            if w in opts:
                raise UsageError(f"{w} is given twice")
            opts[w] = rest.pop(0)
        else:
            raise UsageError(f"unknown word {w!r} (known: {', '.join((*FLAGS, *VALUED))})")
    nums: dict[str, int] = {}
    for w in ("limit", "page-size"):
        if w in opts:
            if not opts[w].isdigit() or int(opts[w]) < 1:
                raise UsageError(f"{w} takes a whole number above 0 (got {opts[w]!r})")
            nums[w] = int(opts[w])
    if op == "query" and "key" not in opts:
        raise UsageError('a query needs key "EXPR"')
    if op == "scan" and ("key" in opts or "desc" in flags):
        raise UsageError("a scan takes no key condition and no desc; use a query")
    if op == "get" and ("filter" in opts or "index" in opts or "desc" in flags or "key" not in opts):
        raise UsageError('a get takes key "pk = :a AND sk = :b" only (no index, filter or desc)')
    for what in ("key", "filter"):
        if what in opts:
            try:
                parse_condition(opts[what])
            except ExprError as e:
                raise UsageError(f"{what} {e}") from None
    if "project" in opts:
        try:
            parse_projection(opts["project"])
        except ExprError as e:
            raise UsageError(f"project {e}") from None
    return ReadRequest(
        operation=op,  # type: ignore[arg-type]
        table=table,
        index=opts.get("index"),
        key=opts.get("key"),
        filter=opts.get("filter"),
        projection=opts.get("project"),
        limit=nums.get("limit"),
        page_size=nums.get("page-size"),
        descending="desc" in flags,
        consistent="consistent" in flags,
    )


def request_params(req: ReadRequest) -> tuple[str, ...]:
    """The ``:name`` placeholders of the request's key condition and filter, in order, each once."""
    out: dict[str, None] = {}
    for text in (req.key, req.filter):
        if text:
            for n in walk(parse_condition(text)):
                if isinstance(n, ValueRef):
                    out[n.name] = None
    return tuple(out)
