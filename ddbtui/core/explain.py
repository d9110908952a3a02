"""``explain``: what a read request makes DynamoDB do, in plain words, and what it costs — without sending it.

Which partition(s), segments or items DynamoDB reads and through which index, what the key condition
selects, what the filter throws away after the read (still paid for), what one 1 MB page and the whole
request cost, then the advisor's suggestions. Sizes come from the schema (TableSizeBytes / ItemCount) and,
when the request has run, from its statistics.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core import prices
from ddbtui.core.advisor import (
    PAGE_BYTES,
    Advisor,
    Analysis,
    CannotAdvise,
    RunStats,
    Suggestion,
    TableSample,
    analyse,
    key_shape,
    rcu_text,
    review,
)
from ddbtui.core.capacity import format_cost, get_item_units, read_units
from ddbtui.core.codegen import create_gsi_cli, ddbtui_command
from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import and_, to_source
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import IndexSchema, TableSchema

_SORT_WORDS = {
    "=": "equals",
    "<": "is less than",
    "<=": "is at most",
    ">": "is greater than",
    ">=": "is at least",
}


@dataclass
class Plan:
    """The explanation of one request. ``to_text`` for people, ``to_json`` for programs."""

    operation: str  # the request: scan | query | get | sql
    runs_as: str  # what DynamoDB runs: scan | query | get_item | queries (PartiQL IN) | unknown
    table: str
    index: str | None
    index_kind: str
    reads: str
    key_condition: str | None = None
    selects: str | None = None
    filter: str | None = None
    discards: str | None = None
    returns: str | None = None
    limits: list[str] = field(default_factory=list)
    page_rcu: float | None = None
    estimated_rcu: float | None = None
    estimated_cost_usd: float | None = None
    cost: str = ""
    last_run: str | None = None
    problems: list[str] = field(default_factory=list)
    considered: dict[str, str] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    sample_label: str | None = None  # "from a sample of N items" when the advice had one
    request: ReadRequest = field(default_factory=lambda: ReadRequest("scan"), repr=False)

    def to_json(self) -> dict[str, Any]:
        """``{"operation", "table", "index", "suggestions": [...]}`` plus the plan and its figures."""
        return {
            "operation": self.operation,
            "table": self.table,
            "index": self.index,
            "runs_as": self.runs_as,
            "index_kind": self.index_kind,
            "plan": {
                "reads": self.reads,
                "key_condition": self.key_condition,
                "selects": self.selects,
                "filter": self.filter,
                "discards": self.discards,
                "returns": self.returns,
                "limits": self.limits,
                "cost": self.cost,
                "last_run": self.last_run,
            },
            "page_rcu": self.page_rcu,
            "estimated_rcu": self.estimated_rcu,
            "estimated_cost_usd": self.estimated_cost_usd,
            "problems": self.problems,
            "indexes_rejected": self.considered,
            "suggestions": [s.to_json() for s in self.suggestions],
        }

    def no_suggestion(self) -> str:
        """What "no suggestion" means, without claiming more than ddbtui knows (#20 item 6)."""
        if not self.filter:
            if self.runs_as == "scan":
                return "Suggestions: none — a Scan with no filter returns every item it reads."
            return "Suggestions: none — the key condition reads only the items it returns."
        if self.sample_label is None:
            return (
                "Suggestions: none known. The filter is applied after the read and is paid for, so this "
                "request may read far more than it returns; ddbtui had no sample to measure how much "
                "(`ddbtui explain --sample N` reads one)."
            )
        return (
            "Suggestions: none — no index or key condition reads less, and the discard the sample shows "
            f"({self.sample_label}) is small."
        )

    def to_text(self, width: int = 100) -> str:
        """The plan as labelled paragraphs, then the numbered suggestions with a command to run each."""
        title = {"scan": "Scan", "query": "Query", "get": "GetItem", "sql": "PartiQL SELECT"}[self.operation]
        runs = {"scan": "a Scan", "query": "a Query", "get_item": "a GetItem", "queries": "several Queries"}
        head = f"{title} of table {self.table}"
        if self.index is not None:
            head = f"{title} of {self.index_kind.upper()} {self.index} on table {self.table}"
        if self.operation == "sql":
            head += f" — runs as {runs.get(self.runs_as, 'something ddbtui cannot tell')}"
        lines = [head]
        rows = [("Problem", p) for p in self.problems] + [
            ("Reads", self.reads),
            ("Key", self.key_condition and f"{self.key_condition} — {self.selects}"),
            ("Filter", self.filter and f"{self.filter} — {self.discards}"),
            ("Returns", self.returns),
            *(("Limits", x) for x in self.limits),
            ("Cost", self.cost),
            ("Last run", self.last_run),
        ]
        rows += [("Not used", f"{name}: {why}") for name, why in self.considered.items()]
        for label, text in rows:
            if not text:
                continue
            wrapped = textwrap.wrap(text, width - 11) or [""]
            lines.append(f"  {label:<9}{wrapped[0]}")
            lines.extend(f"  {'':<9}{w}" for w in wrapped[1:])
        lines.append("")
        if not self.suggestions:
            lines.extend(textwrap.wrap(self.no_suggestion(), width, subsequent_indent="  "))
            return "\n".join(lines)
        lines.append("Suggestions")
        for s in self.suggestions:
            rcu = f" · ~{rcu_text(s.estimated_rcu)} RCU" if s.estimated_rcu is not None else ""
            on = f" on {s.index}" if s.index else ""
            lines.append(f"  {s.rank}. {s.kind}{on}{rcu}")
            lines.extend(f"     {c}" for c in suggestion_commands(self.request, self.table, s))
            lines.extend(f"     {w}" for w in textwrap.wrap(s.reason, width - 5))
        return "\n".join(lines)


def suggestion_commands(request: ReadRequest, table: str, s: Suggestion) -> list[str]:
    """The commands that carry out a suggestion: the ``ddbtui`` command of the rewritten request, and for
    ``create-gsi`` the ``aws dynamodb update-table`` that creates the index first."""
    if not s.changes:
        return []
    command = ddbtui_command(s.apply(request))
    if s.kind == "create-gsi" and s.index_definition:
        return [*create_gsi_cli(table, s.index_definition).splitlines(), f"# once it is ACTIVE: {command}"]
    return [command]


def explain(
    request: ReadRequest,
    schema: TableSchema,
    stats: RunStats | None = None,
    *,
    region: str | None = None,
    sample: TableSample | None = None,
) -> Plan:
    """Explain ``request`` on ``schema`` (for PartiQL: the schema of the statement's table).

    Raises ExprError / UsageError for what the user must fix first (a syntax error, an unknown index,
    a placeholder without a value). What DynamoDB would reject although it parses (a filter on a key, a
    key condition on the wrong attribute) is listed in ``problems`` and the advice still given.
    """
    try:
        a = analyse(request, schema)
    except CannotAdvise as e:
        raise UsageError(str(e)) from None
    problems: list[str] = []
    try:
        build(request, schema if request.operation != "sql" else None)
    except ExprError as e:
        where = f" (column {e.column} of `{e.text}`)" if e.column and e.text else ""
        problems.append(f"DynamoDB would reject this request: {e.message}{where}")
    except UsageError as e:
        problems.append(f"DynamoDB would reject this request: {e}")
    rv = review(request, schema, stats, region=region, sample=sample)
    return _Explainer(request, schema, stats, region, a, sample).plan(problems, rv.suggestions, rv.rejected)


class _Explainer:
    def __init__(
        self,
        request: ReadRequest,
        schema: TableSchema,
        stats: RunStats | None,
        region: str | None,
        a: Analysis,
        sample: TableSample | None = None,
    ) -> None:
        self.req, self.schema, self.stats, self.region, self.a = request, schema, stats, region, a
        self.sample = sample
        try:
            self.adv: Advisor | None = Advisor(request, schema, stats, region, sample)
        except CannotAdvise:
            self.adv = None

    def where(self, index: IndexSchema) -> str:
        return "the table" if index.kind == "table" else f"{index.kind.upper()} {index.name}"

    def plan(self, problems: list[str], suggestions: list[Suggestion], rejected: dict[str, str]) -> Plan:
        a = self.a
        runs_as = {"scan": "scan", "query": "query", "get": "get_item"}.get(a.operation, "scan")
        if a.operation == "sql":
            if a.sql_problem is not None:
                runs_as = "unknown"
            elif self.adv is not None and self.adv.sql_keyed():
                pk = a.reads.key.partition_key
                eq = any(
                    (s := key_shape(c)) and s[0] == pk and (s[1] == "=" or len(s[2]) == 1) for c in a.filter
                )
                runs_as = "query" if eq else "queries"
        plan = Plan(
            operation=a.operation,
            runs_as=runs_as,
            table=self.schema.name,
            index=a.reads.name,
            index_kind=a.reads.kind,
            reads="",
            problems=problems,
            considered={
                k: v for k, v in rejected.items() if k != (a.reads.label if runs_as != "scan" else None)
            },
            suggestions=suggestions,
            request=self.req,
            sample_label=self.sample.label() if self.sample is not None else None,
        )
        if a.sql_problem is not None:
            plan.problems.append(f"ddbtui cannot read this statement: {a.sql_problem}")
            plan.reads = (
                "cannot tell: with `=` or IN on the partition key in WHERE it is a Query, otherwise a Scan of "
                "the whole table"
            )
            return plan
        if runs_as == "scan":
            self.scan(plan)
        elif runs_as in ("query", "queries"):
            self.query(plan)
        else:
            self.get(plan)
        self.filter(plan)
        self.returns(plan)
        self.limits(plan)
        self.last_run(plan)
        return plan

    # ---- reads ---------------------------------------------------------------------------------------

    def scan(self, plan: Plan) -> None:
        a, adv = self.a, self.adv
        reads = a.reads
        what = (
            "every item of the table"
            if reads.kind == "table"
            else f"every entry of {self.where(reads)} (only the items that have "
            f"{' and '.join(reads.key.attributes)}: indexes are sparse)"
        )
        segments = self.req.segments
        seg = (
            "in one segment"
            if segments <= 1
            else f"in {segments} parallel segments, each reading 1/{segments}"
        )
        nbytes, source = adv.table_bytes() if adv else (None, "")
        count = adv.scan_items() if adv else None
        size = f"{count:,} items" if count else "an unknown number of items"
        if nbytes is not None:
            pages = max(1, math.ceil(nbytes / PAGE_BYTES))
            size += f", ~{_mb(nbytes)} ({source}): ~{pages:,} page{'s' if pages != 1 else ''} of 1 MB"
        plan.reads = f"{what}, {seg} — {size}."
        plan.page_rcu = self.page_units(reads)
        total = self.full_rcu(nbytes, reads)
        plan.estimated_rcu = total
        plan.estimated_cost_usd = self.usd(total) if total is not None else None
        plan.cost = self.cost_words(
            plan.page_rcu, total, "the whole scan", source if nbytes is None else None
        )

    def query(self, plan: Plan) -> None:
        a = self.a
        reads = a.reads
        pk = reads.key.partition_key
        key_conjs = (
            a.key
            if a.operation == "query"
            else [c for c in a.filter if (s := key_shape(c)) is not None and s[0] in reads.key.attributes]
        )
        part = next(((s[1], s[2]) for c in key_conjs if (s := key_shape(c)) is not None and s[0] == pk), None)
        if part is None:
            plan.reads = (
                f"nothing yet: a Query needs `{pk} = value` on the partition key of {self.where(reads)}."
            )
        elif part[0] == "IN" and len(part[1]) > 1:
            plan.reads = (
                f"{len(part[1])} partitions of {self.where(reads)} ({pk} IN "
                f"{', '.join(to_source(v) for v in part[1][:5])}{' …' if len(part[1]) > 5 else ''}), one Query each."
            )
        else:
            plan.reads = f"one partition of {self.where(reads)}: {pk} = {to_source(part[1][0])}."
        plan.key_condition = to_source(and_(*key_conjs)) if key_conjs else None
        sk = reads.key.sort_key
        sort = next(
            ((s[1], s[2]) for c in key_conjs if (s := key_shape(c)) is not None and sk and s[0] == sk), None
        )
        order = "descending" if (self.req.descending or (a.select and a.select.descending)) else "ascending"
        if sk is None:
            plan.selects = "every item of that partition (the index has no sort key)."
        elif sort is None:
            plan.selects = f"every item of that partition, in {order} {sk} order."
        else:
            op, values = sort
            if op == "BETWEEN":
                cond = f"is between {to_source(values[0])} and {to_source(values[1])} (inclusive)"
            elif op == "begins_with":
                cond = f"begins with {to_source(values[0])}"
            else:
                cond = f"{_SORT_WORDS.get(op, op)} {to_source(values[0])}"
            plan.selects = (
                f"only the items of that partition whose {sk} {cond}, in {order} {sk} order; DynamoDB reads just "
                "those (a range of the sorted partition)."
            )
        plan.page_rcu = self.page_units(reads)
        total = None
        st = self.stats
        whole = "the whole Query"
        if st and st.exhausted and st.consumed_rcu is not None:
            total = st.consumed_rcu
        elif self.adv is not None and self.sample is not None:
            total = self.adv.sampled_rcu()
            whole += f" (estimated {self.sample.label()})" if total is not None else ""
        plan.estimated_rcu = total
        plan.estimated_cost_usd = self.usd(total) if total is not None else None
        plan.cost = self.cost_words(
            plan.page_rcu,
            total,
            whole,
            "how many items the key condition selects is known only once it runs" if total is None else None,
        )

    def get(self, plan: Plan) -> None:
        a, adv = self.a, self.adv
        key = ", ".join(to_source(c) for c in a.key)
        plan.reads = f"one item by its full primary key ({key}); a missing item still costs one read."
        size = adv.avg_item_size() if adv else None
        units = get_item_units(math.ceil(size) if size else 1, bool(self.req.consistent))
        plan.page_rcu = None
        plan.estimated_rcu = units
        sized = f"an item of ~{_kb(size)} (the table's average)" if size else "an item up to 4 KB"
        plan.cost = (
            f"{rcu_text(units)} RCU for {sized}: {'1 RCU' if self.req.consistent else '0.5 RCU'} per 4 KB, "
            f"rounded up; {self.money(units)}. A projection does not lower it: the whole item is read."
        )
        plan.estimated_cost_usd = self.usd(units)

    # ---- the rest ------------------------------------------------------------------------------------

    def filter(self, plan: Plan) -> None:
        a = self.a
        if a.operation == "sql":
            if plan.runs_as == "scan":
                rest = a.filter
            else:
                keys = set(a.reads.key.attributes)
                rest = [c for c in a.filter if not ((s := key_shape(c)) is not None and s[0] in keys)]
        else:
            rest = a.filter
        if not rest:
            return
        plan.filter = to_source(and_(*rest))
        plan.discards = (
            "applied after the read: DynamoDB reads every item the "
            + ("scan" if plan.runs_as == "scan" else "key condition")
            + " selects, charges for all of them, and drops those that fail the filter before they are returned."
        )
        st = self.stats
        if st is not None and st.scanned_count:
            dropped = st.scanned_count - st.count
            plan.discards += (
                f" The {'run' if st.exhausted else 'last run so far'} discarded {dropped:,} of "
                f"{st.scanned_count:,} items read ({dropped / st.scanned_count * 100:.3g}%)."
            )

    def returns(self, plan: Plan) -> None:
        a = self.a
        reads = a.reads
        if a.projection:
            plan.returns = f"only {to_source(a.projection)}. A projection trims what comes back, not what is read and paid for."
            missing = sorted((a.needed or set()) - _projected_names(reads, self.schema))
            if reads.kind == "lsi" and reads.projection != "ALL" and missing:
                plan.returns += (
                    f" {self.where(reads)} projects {_projection(reads, self.schema)}: DynamoDB fetches "
                    f"{', '.join(missing)} from the table for each item, one extra read per item."
                )
        elif reads.kind in ("gsi", "lsi") and reads.projection != "ALL":
            # A Query on an index with neither Select nor a projection returns ALL_PROJECTED_ATTRIBUTES:
            # ddbtui sends neither, so it gets what the index holds — an LSI fetches nothing unasked.
            plan.returns = f"what {self.where(reads)} projects: {_projection(reads, self.schema)}."
            if reads.kind == "lsi":
                plan.returns += (
                    " DynamoDB fetches the other attributes from the table only when the Query names them "
                    "(--project) or selects ALL_ATTRIBUTES, one extra read per item; this one does neither."
                )
        else:
            plan.returns = "every attribute of each item."

    def limits(self, plan: Plan) -> None:
        req = self.req
        if req.page_size:
            plan.limits.append(
                f"Limit {req.page_size}: each request reads at most {req.page_size} items"
                + (" before the filter." if plan.filter else ".")
            )
        if req.limit:
            plan.limits.append(f"ddbtui stops after {req.limit:,} items returned.")
        if req.max_pages:
            plan.limits.append(
                f"ddbtui stops after {req.max_pages:,} request{'s' if req.max_pages > 1 else ''}."
            )

    def last_run(self, plan: Plan) -> None:
        st = self.stats
        if st is None:
            return
        cap = ""
        if st.consumed_rcu is not None:
            cap = f", {rcu_text(st.consumed_rcu)} RCU{' (est.)' if st.estimated else ''}"
        plan.last_run = (
            f"{st.count:,} items returned of {st.scanned_count:,} read in {st.pages:,} page"
            f"{'s' if st.pages != 1 else ''}{cap}{'' if st.exhausted else ' (not read to the end)'}."
        )

    # ---- numbers ---------------------------------------------------------------------------------------

    def consistent(self, index: IndexSchema) -> bool:
        return bool(self.req.consistent) and index.kind != "gsi"

    def page_units(self, index: IndexSchema) -> float:
        return read_units(PAGE_BYTES, self.consistent(index))

    def full_rcu(self, nbytes: float | None, index: IndexSchema) -> float | None:
        if nbytes is None:
            return None
        return read_units(math.ceil(nbytes), self.consistent(index))

    def usd(self, rcu: float) -> float:
        return prices.cost(rcu, 0.0, self.region, self.schema.billing_mode)

    def money(self, rcu: float) -> str:
        price = prices.price_for(self.region, self.schema.billing_mode)
        mode = "on-demand" if price.billing_mode == prices.ON_DEMAND else "of provisioned capacity"
        return f"{format_cost(self.usd(rcu))} {mode} in {price.region}"

    def cost_words(self, page: float, total: float | None, whole: str, unknown: str | None) -> str:
        reads = self.a.reads
        consistency = (
            "strongly consistent: 1 RCU per 4 KB read"
            if self.consistent(reads)
            else "eventually consistent"
            + (" as GSIs always are" if reads.kind == "gsi" else "")
            + ": 0.5 RCU per 4 KB read"
        )
        text = f"one full 1 MB page costs {rcu_text(page)} RCU ({consistency}, summed over the page)"
        if total is not None:
            text += f"; {whole} ~{rcu_text(total)} RCU, {self.money(total)}."
        else:
            text += f"; {whole}: unknown — {unknown or 'run it once to measure'}."
        return text[0].upper() + text[1:]


def _projected_names(index: IndexSchema | None, schema: TableSchema) -> set[str]:
    """The attributes an index's items hold (the table's and the index's keys, and INCLUDE's list)."""
    if index is None or index.projection == "ALL":
        return set()
    names = set(schema.key.attributes) | set(index.key.attributes)
    if index.projection == "INCLUDE":
        names |= set(index.non_key_attributes)
    return names


def _projection(index: IndexSchema, schema: TableSchema) -> str:
    keys = list(dict.fromkeys((*schema.key.attributes, *index.key.attributes)))
    if index.projection == "INCLUDE":
        return "the keys " + ", ".join(keys) + " and " + ", ".join(index.non_key_attributes)
    return "only the keys " + ", ".join(keys)


def _mb(nbytes: float) -> str:
    if nbytes >= PAGE_BYTES:
        return f"{nbytes / PAGE_BYTES:,.1f} MB"
    return _kb(nbytes)


def _kb(nbytes: float) -> str:
    if nbytes >= 1024:
        return f"{nbytes / 1024:,.1f} KB"
    return f"{nbytes:,.0f} B"
