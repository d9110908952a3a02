"""Words and request changes that several rules share."""

from __future__ import annotations

from typing import Any

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.candidates import Candidate
from ddbtui.core.advisor.context import Context
from ddbtui.core.expr import Node, to_source


def searches(a: Analysis) -> bool:
    """The request is a Scan, a Query or a SELECT ddbtui can read: the rules on its conditions apply."""
    return a.operation in ("scan", "query", "sql") and a.sql_problem is None


def what(a: Analysis) -> str:
    """How the request reads now, as the start of a sentence."""
    if a.operation == "scan":
        return "This Scan reads every item and filters afterwards"
    if a.operation == "sql" and not a.sql_keyed:
        return "This SELECT runs as a full Scan and filters afterwards"
    if a.operation == "sql":
        return "This SELECT runs as a Query"
    return "This Query"


def projection_text(cand: Candidate) -> str | None:
    return to_source(cand.projection) if cand.projection else None


def query_changes(
    a: Analysis, ctx: Context, cand: Candidate, key: Node | None = None
) -> tuple[tuple[str, Any], ...]:
    """The changes that turn the request into the Query of ``cand``."""
    filt = cand.filter_node()
    gsi = cand.index.kind == "gsi"
    return (
        ("operation", "query"),
        ("table", ctx.schema.name),
        ("index", cand.index.name),
        ("key", to_source(key if key is not None else cand.key_node())),
        ("filter", to_source(filt) if filt is not None else None),
        ("projection", projection_text(cand)),
        ("statement", None),
        ("names", None),
        ("values", None),
        ("segments", 1),
        ("descending", ctx.request.descending if a.operation == "query" else False),
        ("consistent", False if gsi else ctx.request.consistent),
    )
