"""Table administration, pure: the command line's specs, CreateTable validation and conversion, and the
plans of create-table, alter, backup, restore and drop-table (calls in order, waits, costs, risks, undo).

``ddbtui.aws.admin`` sends a plan; ``ddbtui.commands.admin`` is the command line. No boto3 here.
"""

from ddbtui.core.admin.alter import AlterRequest, TableState, plan_alter
from ddbtui.core.admin.autoscale import autoscaling_steps
from ddbtui.core.admin.backup import (
    CountDiff,
    default_backup_name,
    parse_restore_time,
    plan_backup,
    plan_drop,
    plan_restore,
)
from ddbtui.core.admin.cost import BackfillEstimate, backfill_estimate, provisioned_monthly_cost
from ddbtui.core.admin.create import TableDesign, as_create, from_json, plan_create, validate_create
from ddbtui.core.admin.journal import ADMIN_JOURNAL_NAME, change_record, is_admin, undo_plan
from ddbtui.core.admin.plan import Plan, Step, Wait
from ddbtui.core.admin.specs import (
    Autoscaling,
    IndexSpec,
    KeyAttr,
    parse_autoscaling,
    parse_gsi,
    parse_index_throughput,
    parse_key,
    parse_lsi,
    parse_stream,
    parse_switch,
    parse_table_class,
    parse_tags,
    parse_throughput,
    parse_ttl,
)
from ddbtui.core.admin.uses import index_uses

__all__ = [
    "ADMIN_JOURNAL_NAME",
    "AlterRequest",
    "Autoscaling",
    "BackfillEstimate",
    "CountDiff",
    "IndexSpec",
    "KeyAttr",
    "Plan",
    "Step",
    "TableDesign",
    "TableState",
    "Wait",
    "as_create",
    "autoscaling_steps",
    "backfill_estimate",
    "change_record",
    "default_backup_name",
    "from_json",
    "index_uses",
    "is_admin",
    "parse_autoscaling",
    "parse_gsi",
    "parse_index_throughput",
    "parse_key",
    "parse_lsi",
    "parse_restore_time",
    "parse_stream",
    "parse_switch",
    "parse_table_class",
    "parse_tags",
    "parse_throughput",
    "parse_ttl",
    "plan_alter",
    "plan_backup",
    "plan_create",
    "plan_drop",
    "plan_restore",
    "provisioned_monthly_cost",
    "undo_plan",
    "validate_create",
]
