"""Runs the corpus against DynamoDB Local and grades ``ddbtui explain``'s top suggestion.

The naive and the documented requests are compiled here, by a small compiler of our own (so the oracle does
not lean on the code under test); the advisor's suggestion is compiled with ``ddbtui.core.requests.build``.
DynamoDB Local is the oracle for the items and the consumed capacity of all three.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from tests.advisor_models.corpus import Model, Pattern, Req

_SER = TypeSerializer()
_DES = TypeDeserializer()

# ================================================================================= a tiny compiler

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<bt>`(?:[^`\\]|\\.)*`)
      | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<op><=|>=|<>|=|<|>|\(|\)|,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.X,
)
_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"}
_FUNCTIONS = {"begins_with", "attribute_exists", "attribute_not_exists", "attribute_type", "contains", "size"}


def _unquote(tok: str) -> str:
    return re.sub(r"\\(.)", r"\1", tok[1:-1])


def tokenize(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r} in {text!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class Compiler:
    """ddbtui-style inline-literal expressions → ``#n``/``:v`` placeholders (every name is a placeholder)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def _name(self, name: str) -> str:
        for ph, n in self.names.items():
            if n == name:
                return ph
        ph = f"#n{len(self.names)}"
        self.names[ph] = name
        return ph

    def _value(self, av: dict[str, Any]) -> str:
        ph = f":v{len(self.values)}"
        self.values[ph] = av
        return ph

    def expr(self, text: str) -> str:
        toks = tokenize(text)
        out: list[str] = []
        for i, (kind, tok) in enumerate(toks):
            nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
            if kind == "bt":
                out.append(self._name(_unquote(tok)))
            elif kind == "str":
                out.append(self._value({"S": _unquote(tok)}))
            elif kind == "num":
                out.append(self._value({"N": tok}))
            elif kind == "op":
                out.append(tok)
            elif tok.upper() in _KEYWORDS:
                out.append(tok.upper())
            elif tok in _FUNCTIONS and nxt == "(":
                out.append(tok)
            elif tok in ("true", "false"):
                out.append(self._value({"BOOL": tok == "true"}))
            elif tok == "null":
                out.append(self._value({"NULL": True}))
            else:
                out.append(self._name(tok))
        return " ".join(out)

    def projection(self, text: str) -> str:
        names = [p.strip() for p in text.split(",") if p.strip()]
        return ", ".join(self._name(n[1:-1] if n.startswith("`") else n) for n in names)

    def apply(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.names:
            params["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            params["ExpressionAttributeValues"] = dict(self.values)
        return params


@dataclass(frozen=True)
class Conjunct:
    attr: str
    op: str  # = < <= > >= BETWEEN begins_with
    values: tuple[Any, ...]


def key_conjuncts(text: str) -> list[Conjunct]:
    """A key condition (``a = 'x' AND begins_with(b, 'y')`` …) as conjuncts; ValueError when it is not one."""
    toks = tokenize(text)
    out: list[Conjunct] = []
    i = 0

    def lit(t: tuple[str, str]) -> Any:
        kind, tok = t
        if kind == "str":
            return _unquote(tok)
        if kind == "num":
            return Decimal(tok)
        raise ValueError(f"expected a literal, got {tok!r} in {text!r}")

    def name(t: tuple[str, str]) -> str:
        kind, tok = t
        if kind == "bt":
            return _unquote(tok)
        if kind == "word" and tok.upper() not in _KEYWORDS:
            return tok
        raise ValueError(f"expected a name, got {tok!r} in {text!r}")

    while i < len(toks):
        kind, tok = toks[i]
        if kind == "word" and tok == "begins_with":
            out.append(Conjunct(name(toks[i + 2]), "begins_with", (lit(toks[i + 4]),)))
            i += 6
        elif kind == "op" and tok == "(":
            raise ValueError(f"parentheses in a key condition: {text!r}")
        else:
            attr = name(toks[i])
            op = toks[i + 1][1]
            if op.upper() == "BETWEEN":
                out.append(Conjunct(attr, "BETWEEN", (lit(toks[i + 2]), lit(toks[i + 4]))))
                i += 5
            else:
                out.append(Conjunct(attr, op, (lit(toks[i + 2]),)))
                i += 3
        if i < len(toks):
            if toks[i][1].upper() != "AND":
                raise ValueError(f"expected AND in {text!r}")
            i += 1
    return out


def shape(text: str | None) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    return tuple(sorted((c.attr, c.op) for c in key_conjuncts(text)))


# ================================================================================= running requests


@dataclass
class Outcome:
    items: dict[tuple, dict[str, Any]]
    rcu: float
    scanned: int
    requests: int
    error: str | None = None


class Runner:
    def __init__(self, client: Any, model: Model, table: str) -> None:
        self.client = client
        self.model = model
        self.table = table
        self.key_attrs = [model.table.pk[0]] + ([model.table.sk[0]] if model.table.sk else [])

    def _key(self, av_item: dict[str, Any]) -> tuple:
        return tuple(_DES.deserialize(av_item[a]) for a in self.key_attrs)

    def _lsi_projected_only(self, params: dict[str, Any]) -> set[str] | None:
        """DynamoDB Local fetches every item from the table whenever a Query on an LSI carries a
        ProjectionExpression — even one naming only projected attributes, which real DynamoDB answers from
        the index alone (LSI.html: 'Because the Replies attribute is projected into the index, DynamoDB can
        retrieve this attribute without consuming any additional provisioned throughput'). For such a request
        we send Select=ALL_PROJECTED_ATTRIBUTES instead and trim the items to the projection: the same items,
        the capacity real DynamoDB charges. Returns the projected names, or None to send the request as is."""
        spec = next((x for x in self.model.table.lsis if x[0] == params.get("IndexName")), None)
        if spec is None or "ProjectionExpression" not in params or "Select" in params:
            return None
        names = params.get("ExpressionAttributeNames", {})
        wanted = {names.get(n.strip(), n.strip()) for n in params["ProjectionExpression"].split(",")}
        proj = spec[3] if isinstance(spec[3], dict) else {"ProjectionType": spec[3]}
        if proj["ProjectionType"] != "ALL":
            have = {*self.key_attrs, spec[1][0], spec[2][0], *proj.get("NonKeyAttributes", [])}
            if not wanted <= have:
                return None
        del params["ProjectionExpression"]
        params["Select"] = "ALL_PROJECTED_ATTRIBUTES"
        used = " ".join(str(params.get(k, "")) for k in ("KeyConditionExpression", "FilterExpression"))
        kept = {k: v for k, v in names.items() if re.search(re.escape(k) + r"\b", used)}
        if kept:
            params["ExpressionAttributeNames"] = kept
        else:
            params.pop("ExpressionAttributeNames", None)
        return wanted

    def _pages(self, api: str, params: dict[str, Any], out: Outcome) -> None:
        call = getattr(self.client, api)
        params = {**params, "ReturnConsumedCapacity": "TOTAL"}
        trim = self._lsi_projected_only(params) if api == "query" else None
        while True:
            resp = call(**params)
            out.requests += 1
            out.rcu += float(resp.get("ConsumedCapacity", {}).get("CapacityUnits", 0.0))
            out.scanned += int(resp.get("ScannedCount", len(resp.get("Items", []))))
            for it in resp.get("Items", []):
                item = {k: _DES.deserialize(v) for k, v in it.items() if trim is None or k in trim}
                out.items[self._key(it)] = item
            lek = resp.get("LastEvaluatedKey")
            if not lek:
                return
            params["ExclusiveStartKey"] = lek

    def with_keys(self, project: str | None) -> str | None:
        """A projection plus the table's key attributes (to key the items; costs nothing: capacity counts the
        items read, and every index carries the table's key)."""
        if not project:
            return project
        have = {p.strip().strip("`") for p in project.split(",")}
        extra = [a for a in self.key_attrs if a not in have]
        return ", ".join([project, *(f"`{a}`" for a in extra)]) if extra else project

    def run(self, req: Req) -> Outcome:
        """Our own compilation of a corpus request (naive or documented)."""
        out = Outcome({}, 0.0, 0, 0)
        project = self.with_keys(req.project)
        try:
            if req.op == "get":
                key = {c.attr: _SER.serialize(c.values[0]) for c in key_conjuncts(req.key or "")}
                params: dict[str, Any] = {
                    "TableName": self.table,
                    "Key": key,
                    "ReturnConsumedCapacity": "TOTAL",
                }
                comp = Compiler()
                if project:
                    params["ProjectionExpression"] = comp.projection(project)
                if comp.names:
                    params["ExpressionAttributeNames"] = comp.names
                resp = self.client.get_item(**params)
                out.requests += 1
                out.rcu += float(resp.get("ConsumedCapacity", {}).get("CapacityUnits", 0.0))
                if "Item" in resp:
                    out.items[self._key(resp["Item"])] = {
                        k: _DES.deserialize(v) for k, v in resp["Item"].items()
                    }
                return out
            keys = req.keys if req.op == "queries" else ((req.key,) if req.op == "query" else (None,))
            for key in keys:
                comp = Compiler()
                params = {"TableName": self.table}
                if req.index:
                    params["IndexName"] = req.index
                if key:
                    params["KeyConditionExpression"] = comp.expr(key)
                if req.filter:
                    params["FilterExpression"] = comp.expr(req.filter)
                if project:
                    params["ProjectionExpression"] = comp.projection(project)
                if req.select:
                    params["Select"] = req.select
                if req.desc:
                    params["ScanIndexForward"] = False
                self._pages("scan" if req.op == "scan" else "query", comp.apply(params), out)
        except Exception as e:  # a corpus error or a rejected request: reported, never swallowed silently
            out.error = f"{type(e).__name__}: {e}"
        return out

    def run_suggestion(self, schema: Any, sugg: dict[str, Any], naive: Req) -> tuple[Outcome, Req | None]:
        """The suggestion compiled by ddbtui (``ddbtui.core.requests.build``), with the naive request's
        projection (and the suggestion's own ``projection``/``select`` when its JSON carries them)."""
        from ddbtui.core.requests import ReadRequest, build

        out = Outcome({}, 0.0, 0, 0)
        kind = sugg.get("kind")
        project = self.with_keys(sugg.get("projection") or naive.project)
        select = sugg.get("select")
        index = sugg.get("index")
        keys = list(sugg.get("key_conditions") or [])
        if not keys and sugg.get("key_condition"):
            keys = [sugg["key_condition"]]
        if not keys and kind in ("use-parallel-queries", "use-batch-get"):
            reason = sugg.get("reason", "")
            if not re.search(r"\band \d+ more\b", reason):
                keys = re.findall(r'--key "((?:[^"\\]|\\.)*)"', reason)
        if kind == "create-gsi":
            out.error = f"create-gsi proposes an index that does not exist yet ({index})"
            return out, None
        if not keys:
            out.error = f"{kind} gives no key condition to run"
            return out, None
        as_req = Req(
            "get" if kind == "use-get-item" else ("queries" if len(keys) > 1 else "query"),
            key=keys[0] if len(keys) == 1 else None,
            keys=tuple(keys) if len(keys) > 1 else (),
            index=index,
            filter=sugg.get("filter"),
            project=project,
            select=select,
        )
        try:
            for kc in keys:
                built = build(
                    ReadRequest(
                        operation="query",
                        table=self.table,
                        index=index,
                        key=kc,
                        filter=sugg.get("filter") if kind != "use-get-item" else None,
                        projection=project,
                        descending=bool(naive.desc),
                    ),
                    schema,
                )
                params = dict(built.params)
                params["ReturnConsumedCapacity"] = "TOTAL"
                if select:
                    params["Select"] = select
                if kind == "use-get-item":
                    self._get_from_query_params(params, out)
                else:
                    self._pages("query", params, out)
        except Exception as e:
            out.error = f"{type(e).__name__}: {e}"
        return out, as_req

    def _get_from_query_params(self, params: dict[str, Any], out: Outcome) -> None:
        names = params.get("ExpressionAttributeNames", {})
        values = params.get("ExpressionAttributeValues", {})
        key = {}
        for n, v in re.findall(r"([#\w]+)\s*=\s*(:\w+)", params["KeyConditionExpression"]):
            key[names.get(n, n)] = values[v]
        get: dict[str, Any] = {
            "TableName": params["TableName"],
            "Key": key,
            "ReturnConsumedCapacity": "TOTAL",
        }
        if "ProjectionExpression" in params:
            get["ProjectionExpression"] = params["ProjectionExpression"]
            used = set(re.findall(r"#\w+", params["ProjectionExpression"]))
            if used:
                get["ExpressionAttributeNames"] = {k: names[k] for k in used}
        resp = self.client.get_item(**get)
        out.requests += 1
        out.rcu += float(resp.get("ConsumedCapacity", {}).get("CapacityUnits", 0.0))
        if "Item" in resp:
            out.items[self._key(resp["Item"])] = {k: _DES.deserialize(v) for k, v in resp["Item"].items()}


# ================================================================================= explain (the CLI)


def ddbtui_command() -> list[str]:
    exe = Path(sys.executable).with_name("ddbtui")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ddbtui")
    return [found] if found else [sys.executable, "-m", "ddbtui"]


def explain_argv(table: str, req: Req, endpoint: str) -> list[str]:
    argv = [*ddbtui_command(), "explain", table]
    if req.index:
        argv += ["--index", req.index]
    if req.op == "query" and req.key:
        argv += ["--key", req.key]
    if req.filter:
        argv += ["--filter", req.filter]
    if req.project:
        argv += ["--project", req.project]
    if req.desc:
        argv.append("--desc")
    return [*argv, "--format", "json", "--endpoint-url", endpoint]


def run_explain(table: str, req: Req, endpoint: str) -> dict[str, Any]:
    argv = explain_argv(table, req, endpoint)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    if proc.returncode != 0:
        return {"_error": f"exit {proc.returncode}: {proc.stderr.strip()[-600:]}", "_argv": argv}
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return {"_error": f"not JSON: {proc.stdout[:300]!r}", "_argv": argv}
    data["_argv"] = argv
    return data


class InProcessExplain:
    """``ddbtui explain`` of one table, in this process: the command's own argument parser and request
    (``commands.explain._request``), its connection, schema and sample (read once: the sample is seeded by
    the table's name, so every run of the CLI on the table reads the same one), and ``core.explain``.

    The CLI in a subprocess costs ~0.5 s of start-up per pattern; ``test_cli_explain_gives_the_same_plan``
    proves, per model, that the subprocess prints exactly what this gives.
    """

    def __init__(self, table: str, endpoint: str) -> None:
        self.table = table
        self.endpoint = endpoint
        self._ready: tuple[Any, Any, str | None] | None = None
        self._lock = threading.Lock()

    def _args(self, req: Req) -> Any:
        from ddbtui.cli import build_parser

        return build_parser().parse_args(
            explain_argv(self.table, req, self.endpoint)[len(ddbtui_command()) :]
        )

    def _context(self, args: Any) -> tuple[Any, Any, str | None]:
        with self._lock:
            if self._ready is None:
                from ddbtui.aws.advisor_sample import DEFAULT_SAMPLE_ITEMS, read_advisor_sample
                from ddbtui.aws.catalog import load_schema
                from ddbtui.commands.common import connect

                with connect(args, demo_tables=[]) as (client, conn):
                    schema = load_schema(client, self.table)
                    sample = read_advisor_sample(
                        client, schema, items=DEFAULT_SAMPLE_ITEMS, estimate_capacity=conn.estimate_capacity
                    )
                    self._ready = (schema, sample, client.meta.region_name)
            return self._ready

    def run(self, req: Req) -> dict[str, Any]:
        from ddbtui.commands.explain import _request
        from ddbtui.core.advisor import analyse
        from ddbtui.core.explain import explain

        args = self._args(req)
        schema, sample, region = self._context(args)
        try:
            request = _request(args)
            analyse(request, schema)
            doc = explain(request, schema, region=region, sample=sample).to_json()
        except Exception as e:  # what the CLI would print as its one-line error
            return {
                "_error": f"{type(e).__name__}: {e}",
                "_argv": explain_argv(self.table, req, self.endpoint),
            }
        doc["sample"] = sample.to_json() if sample is not None else None
        # the JSON the CLI prints, read back: the same types (tuples become lists)
        data = json.loads(json.dumps(doc, ensure_ascii=False))
        data["_argv"] = explain_argv(self.table, req, self.endpoint)
        return data


# ================================================================================= grading

ACTIONABLE = {
    "filter-on-key",
    "use-get-item",
    "use-batch-get",
    "use-query",
    "use-parallel-queries",
    "create-gsi",
}
_NEGATION = re.compile(r"\b(no|not|never|without|nothing|cannot|can't|doesn't|don't)\b", re.I)


def fetch_claims(reason: str) -> list[str]:
    """Sentences that say DynamoDB fetches (affirmatively) — each must come with a request that asks for it."""
    sentences = re.split(r"(?<=[.;:])\s+", reason or "")
    return [s for s in sentences if re.search(r"\bfetch(es)?\b", s, re.I) and not _NEGATION.search(s)]


def low_cardinality(items: list[dict[str, Any]], attr: str) -> tuple[bool, str]:
    """Fewer than 10 distinct values among the items holding ``attr``, or one value holds more than half."""
    values = Counter(repr(it[attr]) for it in items if attr in it)
    if not values:
        return False, "no item has it"
    top, n = values.most_common(1)[0]
    share = n / sum(values.values())
    low = len(values) < 10 or share > 0.5
    return low, f"{len(values)} distinct values, the commonest ({top}) in {share:.0%} of the items holding it"


@dataclass
class Result:
    model: str
    pattern: str
    top_kind: str = "none"
    match: bool = False
    items_ok: bool = False
    capacity_ok: bool = False
    estimate_ok: bool = False
    naive_rcu: float | None = None
    best_rcu: float | None = None
    sugg_rcu: float | None = None
    estimate: float | None = None
    wrong_claims: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    top: dict[str, Any] | None = None

    def row(self) -> str:
        def f(x: float | None) -> str:
            return "-" if x is None else f"{x:g}"

        return (
            f"{self.model:10} {self.pattern:34} {self.top_kind[:20]:20} {'yes' if self.match else 'NO':4} "
            f"{f(self.naive_rcu):>8} {f(self.best_rcu):>8} {f(self.sugg_rcu):>8} {f(self.estimate):>8} "
            f"{'ok' if self.estimate_ok else 'off':4} {len(self.wrong_claims)}"
        )


HEADER = (
    f"{'model':10} {'pattern':34} {'top kind':20} {'match':4} {'naiveRCU':>8} {'bestRCU':>8} {'suggRCU':>8} "
    f"{'estimate':>8} {'est':4} claims"
)


def _same_items(a: Outcome, b: Outcome, wanted: list[str] | None) -> tuple[bool, str]:
    if set(a.items) != set(b.items):
        missing = len(set(a.items) - set(b.items))
        extra = len(set(b.items) - set(a.items))
        return False, f"{missing} of the naive request's items missing, {extra} extra"
    for k, item in a.items.items():
        other = b.items[k]
        names = wanted if wanted is not None else sorted(set(item) | set(other))
        for n in names:
            if item.get(n) != other.get(n):
                return False, f"item {k}: attribute {n} differs ({item.get(n)!r:.40} vs {other.get(n)!r:.40})"
    return True, ""


class Grader:
    """One model's tables on DynamoDB Local, and the grading of its patterns."""

    def __init__(self, client: Any, model: Model, table: str, endpoint: str) -> None:
        self.client = client
        self.model = model
        self.table = table
        self.endpoint = endpoint
        self.runner = Runner(client, model, table)
        self._explained: dict[str, dict[str, Any]] = {}
        self._outcomes: dict[str, tuple[Outcome, Outcome]] = {}
        self._lock = threading.Lock()
        self._schema: Any = None
        self.in_process = InProcessExplain(table, endpoint)

    @property
    def schema(self) -> Any:
        if self._schema is None:
            from ddbtui.core.schema import TableSchema

            self._schema = TableSchema.from_describe(
                self.client.describe_table(TableName=self.table)["Table"]
            )
        return self._schema

    def explain(self, p: Pattern) -> dict[str, Any]:
        with self._lock:
            if p.id in self._explained:
                return self._explained[p.id]
        data = self.in_process.run(p.naive)
        with self._lock:
            self._explained[p.id] = data
        return data

    def outcomes(self, p: Pattern) -> tuple[Outcome, Outcome]:
        """The naive and the documented request's outcomes (run once per pattern)."""
        with self._lock:
            if p.id in self._outcomes:
                return self._outcomes[p.id]
        pair = (self.runner.run(p.naive), self.runner.run(p.best))
        with self._lock:
            self._outcomes[p.id] = pair
        return pair

    def grade(self, p: Pattern) -> Result:
        r = Result(self.model.name, p.id, tags=p.tags)
        naive, best = self.outcomes(p)
        if naive.error or best.error:
            r.problems.append(f"corpus error: naive {naive.error} / documented {best.error}")
            return r
        r.naive_rcu, r.best_rcu = naive.rcu, best.rcu
        plan = self.explain(p)
        if "_error" in plan:
            r.top_kind = "explain-error"
            r.problems.append(f"ddbtui explain failed: {plan['_error']}")
            return r
        suggestions = plan.get("suggestions") or []
        top = suggestions[0] if suggestions else None
        r.top = top
        r.top_kind = top["kind"] if top else "none"
        self._check_claims(p, suggestions, r)

        wanted = [x.strip().strip("`") for x in p.naive.project.split(",")] if p.naive.project else None
        if top is None or top.get("kind") not in ACTIONABLE:
            # nothing to do: the request stays as it is — right only when it already reads no more
            sugg, as_req = naive, p.naive
            r.estimate = plan.get("estimated_rcu")
        else:
            sugg, as_req = self.runner.run_suggestion(self.schema, top, p.naive)
            r.estimate = top.get("estimated_rcu")
            if sugg.error:
                r.problems.append(f"top suggestion {r.top_kind} does not run: {sugg.error}")
        if not sugg.error:
            r.sugg_rcu = sugg.rcu
            ok, why = _same_items(naive, sugg, wanted)
            r.items_ok = ok
            if not ok:
                r.problems.append(f"items differ from the naive request's: {why}")
            r.capacity_ok = sugg.rcu <= naive.rcu + 1e-9
            if not r.capacity_ok:
                r.problems.append(f"suggestion consumes {sugg.rcu:g} RCU, the naive request {naive.rcu:g}")
            same_shape = False
            if as_req is not None and as_req is not p.naive:
                b_keys = p.best.keys or ((p.best.key,) if p.best.key else ())
                s_keys = as_req.keys or ((as_req.key,) if as_req.key else ())
                try:
                    same_shape = (as_req.index or None) == (p.best.index or None) and sorted(
                        map(shape, s_keys)
                    ) == sorted(map(shape, b_keys))
                except (ValueError, IndexError):
                    same_shape = False
            reads_no_more = sugg.rcu <= best.rcu + 1e-9
            r.match = r.items_ok and (same_shape or reads_no_more)
            if not r.match and as_req is p.naive:
                r.problems.append(
                    f"false 'nothing to do' (top: {r.top_kind}): the documented request "
                    f"({p.best.describe()}) reads {best.rcu:g} RCU, the request as written {naive.rcu:g}"
                )
            elif not r.match:
                r.problems.append(
                    f"not the documented request ({p.best.describe()}: {best.rcu:g} RCU); got "
                    f"{as_req.describe() if as_req else r.top_kind}: {sugg.rcu:g} RCU"
                )
            ref = max(sugg.rcu, 0.5)
            est = r.estimate
            r.estimate_ok = est is not None and ref / 2 <= float(est) <= ref * 2
            if not r.estimate_ok:
                r.problems.append(f"estimated_rcu {est} is not within 2x of the {sugg.rcu:g} RCU consumed")
        if r.wrong_claims:
            r.problems += [f"wrong claim: {c}" for c in r.wrong_claims]
        return r

    def _check_claims(self, p: Pattern, suggestions: list[dict[str, Any]], r: Result) -> None:
        items = self.model.items()
        for s in suggestions:
            asks = bool(s.get("projection") or p.naive.project) or s.get("select") == "ALL_ATTRIBUTES"
            idx = s.get("index")
            is_gsi = any(g[0] == idx for g in self.model.table.gsis)
            for claim in fetch_claims(s.get("reason", "")):
                if is_gsi:
                    r.wrong_claims.append(
                        f"{s['kind']} on GSI {idx} says it fetches (a GSI never does): {claim}"
                    )
                elif not asks:
                    r.wrong_claims.append(
                        f"{s['kind']} says DynamoDB fetches, but the request asks for no attribute "
                        f"(no projection, no Select=ALL_ATTRIBUTES): {claim}"
                    )
            if s.get("kind") != "create-gsi":
                continue
            pk = None
            definition = s.get("index_definition") or {}
            for k in definition.get("KeySchema", []):
                if k.get("KeyType") == "HASH":
                    pk = k["AttributeName"]
            if pk is None and s.get("key_condition"):
                try:
                    pk = next((c.attr for c in key_conjuncts(s["key_condition"]) if c.op == "="), None)
                except (ValueError, IndexError):
                    pk = None
            if pk is None:
                continue
            low, why = low_cardinality(items, pk)
            if low:
                r.wrong_claims.append(f"create-gsi keys on {pk}, a low-cardinality attribute ({why})")
            used = self._request_partition_key(p.naive)
            if used and pk == used:
                r.wrong_claims.append(f"create-gsi keys on {pk}, the partition key the request already uses")

    def _request_partition_key(self, req: Req) -> str | None:
        if req.op != "query":
            return None
        if req.index is None:
            return self.model.table.pk[0]
        for spec in (*self.model.table.gsis, *self.model.table.lsis):
            if spec[0] == req.index:
                return spec[1][0]
        return None


def prefetch(graders_and_patterns: list[tuple[Grader, Pattern]], workers: int = 3) -> None:
    """Explain many patterns in parallel (each model's schema and sample are read once)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda gp: gp[0].explain(gp[1]), graders_and_patterns))


def seed(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    requests = [{"PutRequest": {"Item": {k: _SER.serialize(v) for k, v in it.items()}}} for it in items]
    for i in range(0, len(requests), 25):
        pending = {table: requests[i : i + 25]}
        for _ in range(20):
            resp = client.batch_write_item(RequestItems=pending)
            pending = resp.get("UnprocessedItems") or {}
            if not pending:
                break
        else:
            raise RuntimeError(f"could not seed {table}: items left unprocessed")


def score(results: list[Result]) -> dict[str, Any]:
    n = len(results)
    matched = sum(r.match for r in results)
    est = sum(r.estimate_ok for r in results)
    claims = sum(len(r.wrong_claims) for r in results)
    by_tag: dict[str, list[int]] = {}
    for r in results:
        for t in r.tags:
            by_tag.setdefault(t, [0, 0])
            by_tag[t][0] += r.match
            by_tag[t][1] += 1
    return {
        "patterns": n,
        "matched": matched,
        "match_rate": matched / n if n else math.nan,
        "estimates_ok": est,
        "estimate_rate": est / n if n else math.nan,
        "wrong_claims": claims,
        "nothing_to_do": sum(r.top_kind not in ACTIONABLE and not r.match for r in results),
        "by_tag": by_tag,
        "top_kinds": Counter(r.top_kind for r in results),
    }
