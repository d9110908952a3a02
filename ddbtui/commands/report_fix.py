"""``ddbtui report TABLE --fix ID``: apply one finding's fix.

The report is gathered again (so the finding is checked on the table as it is now), the finding's fix
becomes the ``AlterRequest`` that ``ddbtui alter`` would make (``core.report.fixes``), and its plan is
printed and sent exactly as alter's is: under ``--allow-writes``, journaled in ``admin-journal.jsonl``
(``ddbtui undo`` / ``admin-undo`` reverse it), ``--dry-run`` sends nothing. Without ``--allow-writes`` the
plan is printed and the command exits 2 without sending it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.values import safe_text


def run_fix(args: argparse.Namespace, progress: Callable[[Any], None]) -> int:
    from ddbtui.aws.admin_info import table_state
    from ddbtui.aws.report import gather
    from ddbtui.commands import admin_run
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core import admin as core
    from ddbtui.core.report import findings
    from ddbtui.core.report.fixes import fixable
    from ddbtui.core.writes import WritePolicy

    # admin_run's printers speak "text" / "json"
    ns = argparse.Namespace(**{**vars(args), "format": "json" if args.format == "json" else "text",
                               "wait_timeout": getattr(args, "wait_timeout", None)})  # fmt: skip
    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    with connect(args, demo_tables=[args.table]) as (client, conn):
        facts = gather(client, conn, args.table, sample=args.sample, max_capacity=args.max_capacity,
                       segments=args.segments, on_progress=progress, census=False)  # fmt: skip
        if sys.stderr.isatty() and args.sample:
            sys.stderr.write("\r\x1b[K")
        found = findings(facts)
        fixes = fixable(facts, found)
        fix = fixes.get(args.fix)
        if fix is None:
            if any(f.id == args.fix for f in found):
                raise UsageError(f"--fix {args.fix}: this finding has no change ddbtui can make")
            known = ", ".join(fixes) or "none"
            raise UsageError(
                f"--fix {args.fix}: no such finding on {args.table} now (already fixed?); "
                f"findings with a fix: {known}"
            )
        finding = next(f for f in found if f.id == args.fix)
        admin_run._say(f"fixing: {finding.title} — {fix.summary}")
        req = fix.request
        aas = admin_run._aas(client, conn) if req.autoscaling else None
        state = table_state(client, args.table, aas)
        plan = core.plan_alter(state, req, region=client.meta.region_name,
                               index_uses=admin_run._index_uses(args.table, req.drop_gsis),
                               now=datetime.now(UTC))  # fmt: skip
        plan.title = f"fix {args.fix} on {args.table}: {plan.title}"
        if args.dry_run or plan.empty or not policy.allows(args.table):
            admin_run._out(ns, plan, dry_run=args.dry_run or not plan.empty)
            if not plan.empty and not args.dry_run:
                policy.check(args.table)  # the refusal names the flag (exit 2)
                raise UsageError("re-run with --allow-writes to send the plan above")
            return EXIT_OK
        result = admin_run._send(ns, client, plan, policy, aas)
    sys.stdout.flush()
    return admin_run._finish(ns, plan, result, safe_text(f"fixed {args.fix} on {args.table}"))
