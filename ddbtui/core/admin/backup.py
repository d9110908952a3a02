"""Backups, restores and dropping a table: their plans, the refusals, and the item-count diff of a
rehearsed recovery (restore into a new table, compare with the source). Pure: stdlib only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.admin.specs import check_name
from ddbtui.core.errors import UsageError

RESTORE_NOTE = (
    "a restored table gets the source's keys, indexes, billing mode and data; DynamoDB does not restore "
    "TTL, autoscaling, tags, stream, PITR or IAM settings: set them on the new table (ddbtui alter)"
)


def default_backup_name(table: str, now: datetime) -> str:
    return f"{table}-{now.strftime('%Y%m%d-%H%M%S')}"


def plan_backup(table: str, name: str) -> Plan:
    """CreateBackup: an on-demand backup, kept until deleted."""
    plan = Plan(f"back up {table}", table)
    check_name(name, "backup")
    plan.steps.append(
        Step(
            "CreateBackup",
            {"TableName": table, "BackupName": name},
            f"on-demand backup {name} of {table}",
            kind="backup",
            table=table,
            undo=(),
        )  # fmt: skip
    )
    plan.costs.append("on-demand backups are billed per GB-month of the table's size while kept")
    plan.notes.append(
        "the backup does not change the table; it is kept until deleted (aws dynamodb delete-backup)"
    )
    return plan


def parse_restore_time(value: str) -> str | None:
    """``latest`` → None (the latest restorable time); else an ISO 8601 time, returned normalised."""
    if value.strip().lower() == "latest":
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--time {value!r}: expected an ISO 8601 time (2026-12-01T10:00:00Z) or latest"
        ) from None
    if when.tzinfo is None:
        raise UsageError(f"--time {value!r}: give a time zone (Z or +hh:mm): a restore time is absolute")
    return when.isoformat()


def plan_restore(
    target: str, *, backup_arn: str | None = None, source: str | None = None, time: str | None = None
) -> Plan:
    """A restore into the new table ``target``, from a backup or to a point in time of ``source``
    (``time`` None: the latest restorable time). Nothing is written to the source."""
    check_name(target, "--to table")
    if (backup_arn is None) == (source is None):
        raise UsageError("restore from --backup ARN, or a TABLE with --time ISO8601|latest, not both")
    if source is not None and source == target:
        raise UsageError("--to must name a new table: a restore never overwrites the source")
    undo_text = f"ddbtui undo does not delete tables: remove the restored table with ddbtui drop-table {target} --confirm {target}"
    if backup_arn is not None:
        plan = Plan(f"restore backup into {target}", target)
        step = Step("RestoreTableFromBackup", {"TargetTableName": target, "BackupArn": backup_arn},
                    f"new table {target} from backup {backup_arn}", kind="restore", table=target,
                    wait=Wait("table-active", target), undo=None, irreversible=undo_text)  # fmt: skip
    else:
        assert source is not None
        plan = Plan(f"restore {source} into {target}", source)
        params: dict[str, Any] = {"SourceTableName": source, "TargetTableName": target}
        if time is None:
            params["UseLatestRestorableTime"] = True
        else:
            params["RestoreDateTime"] = time
        step = Step("RestoreTableToPointInTime", params,
                    f"new table {target} from {source} as it was at {time or 'the latest restorable time'}",
                    kind="restore", table=target, wait=Wait("table-active", target), undo=None,
                    irreversible=undo_text)  # fmt: skip
        plan.notes.append("point-in-time recovery must be on for the source (ddbtui alter TABLE --pitr on)")
    plan.steps.append(step)
    plan.notes.append(RESTORE_NOTE)
    plan.costs.append("a restore is billed per GB of data restored")
    return plan


def plan_drop(
    table: str,
    confirm: str | None,
    *,
    deletion_protection: bool | None,
    pitr: bool | None,
    backup_name: str | None = None,
) -> Plan:
    """DeleteTable, refused unless ``confirm`` repeats the name and deletion protection is off."""
    if confirm != table:
        raise UsageError(
            f"dropping a table deletes it and every item: repeat its name to confirm, --confirm {table}"
        )
    if deletion_protection:
        raise UsageError(
            f"{table} has deletion protection on: DynamoDB refuses to delete it. If you mean it, turn it off "
            f"first: ddbtui alter {table} --deletion-protection off --allow-writes"
        )
    plan = Plan(f"drop table {table}", table)
    if backup_name:
        plan.steps.append(plan_backup(table, backup_name).steps[0])
    why = "the table and all its items are deleted; only a backup or point-in-time recovery can bring the data back, into a new table"
    plan.steps.append(
        Step(
            "DeleteTable",
            {"TableName": table},
            f"delete table {table} and all its items",
            kind="table-drop",
            table=table,
            wait=Wait("table-gone", table),
            undo=None,
            irreversible=why,
        )  # fmt: skip
    )
    plan.risks.append(why)
    if pitr:
        plan.notes.append("PITR is on: DynamoDB keeps a system backup of the dropped table for 35 days")
    elif not backup_name:
        plan.risks.append("no backup is taken first (add --backup-first) and PITR is "
                          + ("off" if pitr is False else "unknown"))  # fmt: skip
    return plan


@dataclass(frozen=True)
class CountDiff:
    """Item counts of the source and the restored table, counted by Scan (Select=COUNT) right after."""

    source: str
    target: str
    source_count: int | None
    target_count: int
    restore_time: str | None = None  # None: latest, or a backup

    @property
    def difference(self) -> int | None:
        return None if self.source_count is None else self.target_count - self.source_count

    def describe(self) -> str:
        if self.source_count is None:
            return f"{self.target} holds {self.target_count:,} items (the source {self.source} could not be counted)"
        d = self.difference or 0
        same = (
            "the same count" if d == 0 else f"{abs(d):,} {'more' if d > 0 else 'fewer'} in the restored table"
        )
        when = (
            f" (restored to {self.restore_time}; the source has changed since)"
            if self.restore_time and d
            else ""
        )
        return f"{self.source}: {self.source_count:,} items now · {self.target}: {self.target_count:,} items · {same}{when}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "source_count": self.source_count,
                "target_count": self.target_count, "difference": self.difference}  # fmt: skip
