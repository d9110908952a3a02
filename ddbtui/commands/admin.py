"""``create-table``, ``alter``, ``backup``, ``backups``, ``restore``, ``drop-table`` (and ``admin-undo``):
table administration from the command line, under the same gate as writes (``--allow-writes``).

Every change prints its plan first — the API calls in order, the equivalent ``aws`` commands, costs and
risks, what cannot be undone — then sends it, waiting (with progress on stderr; ^C stops waiting) for the
table and its indexes. ``--dry-run`` prints the plan and sends no change (create-table sends nothing at
all; the others read the table to plan). ``--format json`` prints ``{"plan", "dry_run", "done",
"journal_ids", ...}``. Changes are journaled (``admin-journal.jsonl``) so ``admin-undo`` reverses them.

Hook-up: ``add_parser(command)`` as every module of ``ddbtui.commands``; ``add_parsers(subparsers)`` and
``run(args)`` for a plain argparse tree; ``python -m ddbtui.commands.admin`` runs them on their own.
"""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.commands.argtypes import count, positive_float
from ddbtui.commands.common import allow_writes_option

COMMANDS = ("create-table", "alter", "backup", "backups", "restore", "drop-table", "admin-undo")


def _gate(p: argparse.ArgumentParser, dry_run: bool = True) -> None:
    allow_writes_option(
        p, "enable changes (ddbtui is read-only by default); --allow-writes=T allows table T only"
    )
    if dry_run:
        p.add_argument("--dry-run", action="store_true", help="print the plan and send no change")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    p.add_argument(
        "--wait-timeout",
        type=positive_float,
        metavar="SECONDS",
        help="give up waiting for a step after this long (DynamoDB goes on); default: wait until done",
    )


def _table_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--provisioned", metavar="RCU,WCU", help="provisioned capacity (default: on-demand)")
    p.add_argument(
        "--gsi-provisioned",
        action="append",
        metavar="NAME=RCU,WCU",
        help="a GSI's own provisioned capacity (default: the table's)",
    )
    p.add_argument("--autoscaling", metavar="MIN,MAX,PCT", help="Application Auto Scaling for table and GSIs")
    p.add_argument("--ttl", metavar="ATTR", help="TTL on this attribute (epoch seconds)" + "")
    p.add_argument("--stream", metavar="VIEW", help="NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES | KEYS_ONLY")
    p.add_argument("--table-class", metavar="CLASS", help="STANDARD or IA (STANDARD_INFREQUENT_ACCESS)")


def add_parser(command: Any) -> None:
    """Register the admin subcommands; ``command(name, help)`` returns a subparser with the connection
    options (the convention of ``ddbtui.commands``)."""
    p = command(
        "create-table", "create a table (keys, indexes, billing, TTL, stream, PITR...) and wait for it"
    )
    p.add_argument(
        "name", metavar="NAME", nargs="?", help="the table (with --from-json: overrides TableName)"
    )
    p.add_argument(
        "--key", metavar="pk:S[,sk:N]", help="partition key and optional sort key with types S/N/B"
    )
    p.add_argument(
        "--gsi", action="append", metavar="SPEC", help="NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b]"
    )
    p.add_argument(
        "--lsi", action="append", metavar="SPEC", help="NAME=sk:N[:projection] (table's partition key)"
    )
    _table_options(p)
    p.add_argument("--pitr", action="store_true", help="turn point-in-time recovery on")
    p.add_argument("--deletion-protection", action="store_true", help="refuse DeleteTable until turned off")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="a tag (repeat for more)")
    p.add_argument(
        "--from-json", metavar="FILE", help="a CreateTable JSON (aws --cli-input-json shape; - for stdin)"
    )
    _gate(p)
    p.set_defaults(run=run)

    p = command("alter", "change a table: indexes, TTL, PITR, billing, autoscaling, stream... in safe steps")
    p.add_argument("table", metavar="TABLE")
    p.add_argument(
        "--add-gsi", action="append", metavar="SPEC", help="NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b]"
    )
    p.add_argument("--drop-gsi", action="append", metavar="NAME", help="drop this GSI (cannot be undone)")
    _table_options(p)
    p.add_argument("--on-demand", action="store_true", help="switch to on-demand (PAY_PER_REQUEST)")
    p.add_argument("--pitr", metavar="on|off", help="point-in-time recovery")
    p.add_argument("--deletion-protection", metavar="on|off", help="deletion protection")
    p.add_argument("--contributor-insights", metavar="on|off", help="CloudWatch Contributor Insights")
    p.add_argument(
        "--sample",
        type=count,
        default=100,
        metavar="N",
        help="items read to estimate a new GSI's backfill (default 100; 0: from TableSizeBytes only)",
    )
    _gate(p)
    p.set_defaults(run=run)

    p = command("backup", "take an on-demand backup of a table")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--name", metavar="N", help="the backup's name (default TABLE-YYYYmmdd-HHMMSS)")
    _gate(p)
    p.set_defaults(run=run)

    p = command("backups", "list the backups (of one table, or all)")
    p.add_argument("table", metavar="TABLE", nargs="?")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="output format")
    p.set_defaults(run=run)

    p = command("restore", "restore a backup or a point in time into a NEW table, then compare item counts")
    p.add_argument("table", metavar="TABLE", nargs="?", help="the source table (point-in-time restore)")
    p.add_argument("--backup", metavar="ARN", help="restore this backup")
    p.add_argument("--to", required=True, metavar="NEW", help="the new table to create")
    p.add_argument("--time", metavar="ISO8601|latest", help="point in time of TABLE to restore")
    p.add_argument("--no-count", action="store_true", help="skip the item-count comparison (a Scan of both)")
    _gate(p)
    p.set_defaults(run=run)

    p = command("drop-table", "delete a table and all its items (refused while deletion protection is on)")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--confirm", metavar="TABLE", help="repeat the table's name: required")
    p.add_argument("--backup-first", action="store_true", help="take an on-demand backup before deleting")
    _gate(p)
    p.set_defaults(run=run)

    p = command("admin-undo", "undo the last table change ddbtui made (shows it without --allow-writes)")
    _gate(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the admin subcommand ``args.command``; the exit status (0, 2 usage, 3 AWS, 130 interrupted)."""
    from ddbtui.commands import admin_run

    return admin_run.RUNNERS[args.command](args)
