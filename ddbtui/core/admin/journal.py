"""Journal records of table changes, and the undo plan they give back.

A table change is journaled as a ``JournalRecord`` (the write journal's record) with ``operation``
``admin:<kind>`` (``admin:ttl``, ``admin:gsi-create``, ...), no key or images, and ``request`` holding
the step as sent (``step``) with its undo calls; one ``group`` per plan, so an undo takes back the whole
command, last change first. Pure: stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ddbtui.core.admin.plan import Plan, Step
from ddbtui.core.writes import JournalRecord

PREFIX = "admin:"
ADMIN_JOURNAL_NAME = "admin-journal.jsonl"


def is_admin(record: JournalRecord) -> bool:
    return record.operation.startswith(PREFIX)


def change_record(
    step: Step,
    plan: Plan,
    *,
    endpoint: str | None,
    region: str | None,
    before: Mapping[str, Any] | None = None,
    undoes: str | None = None,
) -> JournalRecord:
    """The record of one step sent: what it changed, what it was before, and how to undo it."""
    return JournalRecord(
        table=step.table or plan.table,
        key={},
        operation=PREFIX + (step.kind or step.operation),
        old=None,
        new=None,
        request={"step": step.to_json(), "plan": plan.title, "before": dict(before or {})},
        endpoint=endpoint,
        region=region,
        group=plan.id,
        undoes=undoes,
    )


def record_step(record: JournalRecord) -> Step:
    return Step.from_json(record.request["step"])


def undo_plan(records: Sequence[JournalRecord]) -> Plan:
    """The plan that takes back ``records`` (one group, oldest first): each step's undo calls, the last
    change first; a step without an undo is named in the notes and left as it is."""
    table = records[0].table if records else ""
    title = records[0].request.get("plan", "a table change") if records else "nothing"
    out = Plan(f"undo: {title}", table)
    for r in reversed(list(records)):
        step = record_step(r)
        if step.undo is None:
            out.notes.append(
                f"cannot undo: {step.summary} ({step.irreversible or 'DynamoDB has no inverse'})"
            )
        else:
            out.steps.extend(step.undo)
    if not out.steps and not out.notes:
        out.notes.append("the change needs nothing undone")
    return out
