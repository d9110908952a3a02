"""Sending a table-change plan (``ddbtui.core.admin.Plan``): each call in order, each wait polled with
progress (IndexStatus, Backfilling, ItemCount of a GSI being built) and cancellable, each change
journaled with its undo as soon as DynamoDB accepts it; and ``undo_last`` to reverse the latest one.

Nothing here prints: progress goes to a callback, so the command line and the workbench (from a worker
thread, cancelling with an Event) share this code. The admin journal is its own file next to the write
journal (``admin-journal.jsonl``), in the same record format.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbtui.aws.admin_info import AdminError, explain_error
from ddbtui.aws.journal import Journal, _journal
from ddbtui.core.admin.journal import ADMIN_JOURNAL_NAME, change_record, undo_plan
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.errors import UsageError
from ddbtui.core.writes import JournalRecord, WritePolicy

__all__ = ["AdminError", "Cancelled", "ExecResult", "Progress", "admin_journal", "execute", "undo_last"]


class Cancelled(AdminError):
    """Waiting was cancelled. DynamoDB goes on with the change it accepted; nothing after it was sent."""


@dataclass(frozen=True)
class Progress:
    """Where a plan is: step ``number`` of ``total`` (1-based), its phase (``sending``, ``waiting``,
    ``done``) and, while waiting, what DescribeTable says."""

    number: int
    total: int
    step: Step
    phase: str
    elapsed: float = 0.0
    table_status: str | None = None
    index_status: str | None = None
    backfilling: bool | None = None
    item_count: int | None = None

    def describe(self) -> str:
        text = f"[{self.number}/{self.total}] {self.step.operation} {self.step.summary}"
        if self.phase == "waiting" and self.step.wait is not None:
            bits = [f"{self.elapsed:.0f} s"]
            if self.table_status:
                bits.append(f"table {self.table_status}")
            if self.index_status:
                bits.append(f"index {self.index_status}" + (" backfilling" if self.backfilling else ""))
            if self.item_count is not None:
                bits.append(f"{self.item_count:,} items")
            text += f": {self.step.wait.describe()} ({', '.join(bits)})"
        elif self.phase == "done":
            text += ": done"
        return text


@dataclass
class ExecResult:
    """What was sent: the steps DynamoDB accepted (in order), their responses, the journal records."""

    plan: Plan
    done: list[Step] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    records: list[JournalRecord] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.done) == len(self.plan.steps)


def admin_journal(path: Path | str | None = None) -> Journal:
    """The journal of table changes (``admin-journal.jsonl`` under the data dir unless ``path``)."""
    if path is None:
        from ddbtui.core.paths import data_dir

        path = data_dir() / ADMIN_JOURNAL_NAME
    return Journal(path)


def _endpoint(client: Any) -> str:
    return str(client.meta.endpoint_url).rstrip("/")


def _describe(client: Any, table: str) -> dict[str, Any] | None:
    try:
        return client.describe_table(TableName=table)["Table"]
    except Exception as e:
        code = (getattr(e, "response", None) or {}).get("Error", {}).get("Code")
        if code == "ResourceNotFoundException":
            return None
        raise


def _reached(wait: Wait, desc: dict[str, Any] | None) -> tuple[bool, dict[str, Any]]:
    """Whether ``wait`` is over, and what to show meanwhile."""
    if wait.kind == "table-gone":
        return desc is None, {"table_status": None if desc is None else desc.get("TableStatus")}
    if desc is None:
        if wait.kind == "table-active":
            return False, {"table_status": "not yet visible"}
        raise AdminError(f"ResourceNotFoundException: {wait.table} disappeared while ddbtui waited for it")
    gsis = {g["IndexName"]: g for g in desc.get("GlobalSecondaryIndexes") or []}
    info: dict[str, Any] = {"table_status": desc.get("TableStatus")}
    active = desc.get("TableStatus") == "ACTIVE"
    if wait.kind == "table-active":
        return active and all(g.get("IndexStatus", "ACTIVE") == "ACTIVE" for g in gsis.values()), info
    index = gsis.get(wait.index or "")
    if wait.kind == "index-gone":
        if index is not None:
            info["index_status"] = index.get("IndexStatus")
        return index is None and active, info
    if index is None:
        raise AdminError(
            f"index {wait.index} is not on {wait.table} any more: its creation failed or it was dropped meanwhile "
            f"(ddbtui describe {wait.table})"
        )
    info.update(
        index_status=index.get("IndexStatus"),
        backfilling=index.get("Backfilling"),
        item_count=index.get("ItemCount"),
    )
    return active and index.get("IndexStatus") == "ACTIVE" and not index.get("Backfilling"), info


def _call(step: Step, client: Any, aas: Any) -> dict[str, Any]:
    target = client if step.service == "dynamodb" else aas
    if target is None:
        raise AdminError(f"{step.operation} needs an Application Auto Scaling client (autoscaling steps)")
    response = getattr(target, step.method)(**step.params)
    response.pop("ResponseMetadata", None)
    return response


def execute(
    client: Any,
    plan: Plan,
    *,
    aas: Any = None,
    policy: WritePolicy | None = None,
    journal: Journal | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    poll: float = 1.0,
    timeout: float | None = None,
    undoes: dict[int, str] | None = None,
    result: ExecResult | None = None,
) -> ExecResult:
    """Send ``plan``'s steps in order, waiting after each as it says.

    ``policy`` is checked for every table the plan changes before anything is sent. Each accepted step is
    journaled at once (with ``undoes[i]`` naming the record step ``i`` reverses, for an undo). A failure
    raises ``AdminError`` (one line, what to do) with ``done``; ``cancel`` set during a wait raises
    ``Cancelled`` — the change in flight goes on in DynamoDB, later steps are not sent. ``result`` (an
    ExecResult the caller made) is filled in as steps complete, so a ^C caller still knows what was done.
    """
    if policy is not None:
        for s in plan.steps:
            policy.check(s.table or plan.table)
    cancel = cancel or threading.Event()
    out = result if result is not None else ExecResult(plan)
    total = len(plan.steps)
    region = client.meta.region_name
    for i, step in enumerate(plan.steps):
        if cancel.is_set():
            raise Cancelled(_cancel_text(out, step, sent=False), "Cancelled", out.done)
        if on_progress:
            on_progress(Progress(i + 1, total, step, "sending"))
        try:
            response = _call(step, client, aas)
        except AdminError as e:
            e.done = list(out.done)
            raise
        except Exception as e:
            err = explain_error(
                e,
                step.operation,
                step.params.get("TableName") or step.params.get("TargetTableName") or step.table,
                region,
            )
            if err is None:
                raise
            err.done = list(out.done)
            raise err from None
        out.done.append(step)
        out.responses.append(response)
        if step.kind:  # every change, undoable or not: the journal says what was done
            record = change_record(step, plan, endpoint=_endpoint(client), region=region,
                                   undoes=(undoes or {}).get(i))  # fmt: skip
            _journal(journal, record)
            out.records.append(record)
        if step.wait is not None:
            _wait(client, step, i + 1, total, cancel, on_progress, poll, timeout, out)
        if on_progress:
            on_progress(Progress(i + 1, total, step, "done"))
    return out


def _wait(client: Any, step: Step, number: int, total: int, cancel: threading.Event,
          on_progress: Callable[[Progress], None] | None, poll: float, timeout: float | None, out: ExecResult) -> None:  # fmt: skip
    assert step.wait is not None
    started = time.monotonic()
    while True:
        try:
            reached, info = _reached(step.wait, _describe(client, step.wait.table))
        except AdminError as e:
            e.done = list(out.done)
            raise
        elapsed = time.monotonic() - started
        if on_progress:
            on_progress(Progress(number, total, step, "waiting", elapsed, **info))
        if reached:
            return
        if timeout is not None and elapsed >= timeout:
            raise AdminError(
                f"Timeout: {step.wait.describe()} took more than {timeout:.0f} s; DynamoDB goes on with it — "
                f"check with ddbtui describe {step.wait.table}", "Timeout", out.done,
            )  # fmt: skip
        if cancel.wait(poll):
            raise Cancelled(_cancel_text(out, step, sent=True), "Cancelled", out.done)


def _cancel_text(out: ExecResult, step: Step, sent: bool) -> str:
    left = out.plan.steps[len(out.done) :]
    text = f"stopped waiting after {len(out.done)} of {len(out.plan.steps)} steps"
    if sent:
        text += f"; DynamoDB goes on with '{step.summary}' (check with ddbtui describe {step.wait.table if step.wait else step.table})"
    if left:
        text += f"; not sent: {', '.join(s.summary for s in left)}"
    return text


def undo_last(
    client: Any,
    journal: Journal,
    *,
    aas: Any = None,
    policy: WritePolicy,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    poll: float = 1.0,
    timeout: float | None = None,
    dry_run: bool = False,
) -> tuple[Plan, ExecResult | None]:
    """Reverse the latest table change in ``journal`` not undone yet (one command's steps, last first),
    on the same endpoint and region only. Returns the undo plan and, unless ``dry_run``, what was sent."""
    records = journal.pending_undo()
    if not records:
        raise UsageError(
            f"nothing to undo: the admin journal ({journal.path}) has no table change left to undo"
        )
    endpoint, region = _endpoint(client), client.meta.region_name
    for r in records:
        if (r.endpoint or "").rstrip("/") != endpoint or r.region != region:
            raise UsageError(
                f"the last table change ({r.operation} {r.table}) went to {r.endpoint} in {r.region}; this "
                f"connection is {endpoint} in {region}. Connect there to undo it"
            )
    plan = undo_plan(records)
    if dry_run or plan.empty:
        if plan.empty and not dry_run:
            # nothing to send (every step irreversible): mark them undone, so undo goes further back
            _journal(journal, *[_undone_marker(r, plan) for r in records])
        return plan, None
    # each undo step reverses the record it came from: journal it as undoing that record
    owners: dict[int, str] = {}
    i = 0
    for r in reversed(records):
        step = Step.from_json(r.request["step"])
        for _ in step.undo or ():
            owners[i] = r.id
            i += 1
    result = execute(client, plan, aas=aas, policy=policy, journal=journal, cancel=cancel,
                     on_progress=on_progress, poll=poll, timeout=timeout, undoes=owners)  # fmt: skip
    covered = {rec.undoes for rec in result.records}
    marks = [_undone_marker(r, plan) for r in records if r.id not in covered]
    _journal(journal, *marks)
    return plan, result


def _undone_marker(record: JournalRecord, plan: Plan) -> JournalRecord:
    step = Step("", {}, f"undone: {record.operation}", kind="undo", table=record.table)
    return change_record(step, plan, endpoint=record.endpoint, region=record.region, undoes=record.id)
