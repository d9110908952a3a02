"""Rules on PartiQL: a SELECT without `=` or IN on the partition key runs as a full Scan."""

from __future__ import annotations

from collections.abc import Iterator

from ddbtui.core.advisor.analysis import Analysis
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.cost import rcu_text
from ddbtui.core.advisor.model import Suggestion


def partiql_unreadable(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A SELECT ddbtui cannot read: the warning that, without a key in WHERE, it scans the table.

    Anti-pattern: sql "SELECT * FROM \"Orders\" WHERE something ddbtui cannot parse"
    Best:         sql "SELECT * FROM \"Orders\" WHERE \"pk\" = 'C#1'"
    """
    if a.operation != "sql" or a.sql_problem is None:
        return
    yield Suggestion(
        "partiql-full-scan",
        "ddbtui cannot tell how DynamoDB runs this statement "
        f"({a.sql_problem}). Without `=` or IN on the partition key "
        f"{ctx.schema.key.partition_key} in WHERE, a SELECT scans the whole table.",
        severity="warning",
    )


def partiql_full_scan(a: Analysis, ctx: Context) -> Iterator[Suggestion]:
    """A SELECT whose WHERE has no `=` or IN on the partition key: DynamoDB scans, then filters.

    Anti-pattern: sql "SELECT * FROM \"Orders\" WHERE \"status\" = 'OPEN'"
    Best:         sql "SELECT * FROM \"Orders\".\"ByStatus\" WHERE \"status\" = 'OPEN'"
    """
    if a.operation != "sql" or a.sql_problem is not None or a.sql_keyed:
        return
    reads = a.reads
    pk = reads.key.partition_key
    where = "table" if reads.kind == "table" else f"index {reads.name}"
    nbytes, _source = ctx.cost.table_bytes()
    cost = ""
    if nbytes is not None:
        rcu = ctx.cost.rcu(nbytes, reads)
        cost = f" (~{rcu_text(rcu)} RCU, {ctx.cost.price(rcu)}, on every run)"
    yield Suggestion(
        "partiql-full-scan",
        f"The WHERE clause has no `=` or IN on the partition key {pk}, so DynamoDB runs this SELECT "
        f"as a Scan of the whole {where}{cost}, and filters afterwards.",
        estimated_rcu=ctx.cost.rcu(nbytes, reads) if nbytes is not None else None,
        severity="warning",
    )
