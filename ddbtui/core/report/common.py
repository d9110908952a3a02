"""Helpers the findings and the renderers share: the AWS CLI command of the connection, sizes and
shares as text, table values made terminal-safe."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from ddbtui.core.report.model import (
    TableFacts,
)
from ddbtui.core.schema import IndexSchema
from ddbtui.core.values import safe_text


def aws_cli(facts: TableFacts, command: str) -> str:
    """An AWS CLI command for this connection: ``--region`` and, off AWS, ``--endpoint-url`` appended."""
    extra = []
    if facts.region:
        extra.append(f"--region {shlex.quote(facts.region)}")
    if facts.endpoint_url:
        extra.append(f"--endpoint-url {shlex.quote(facts.endpoint_url)}")
    return " ".join(["aws", command, *extra])


def q(text: str) -> str:
    return shlex.quote(text)


def kb(size: float) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{int(size)} B"


def pct(x: float) -> str:
    return f"{100 * x:.1f}%" if x < 0.995 else f"{100 * x:.0f}%"


def show(text: str, width: int = 60) -> str:
    """A value from the table, made terminal-safe and cut to ``width`` characters."""
    text = safe_text(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def table_class(desc: Mapping[str, Any]) -> str:
    return (desc.get("TableClassSummary") or {}).get("TableClass") or "STANDARD"


def index_raw(f: TableFacts, ix: IndexSchema) -> dict[str, Any]:
    group = "GlobalSecondaryIndexes" if ix.kind == "gsi" else "LocalSecondaryIndexes"
    return next((x for x in f.table.get(group, []) if x.get("IndexName") == ix.name), {})
