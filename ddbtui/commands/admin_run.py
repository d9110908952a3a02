"""The runners of the admin subcommands (``ddbtui.commands.admin`` declares their arguments).

Imported only when one of them runs (boto3 and the plans load lazily)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ddbtui.commands.common import (
    EXIT_OK,
)
from ddbtui.core import admin as core
from ddbtui.core.admin.specs import check_name
from ddbtui.core.errors import UsageError
from ddbtui.core.values import safe_text


def _connect(args: argparse.Namespace, tables: list[str] | None = None) -> Any:
    from ddbtui.commands.common import connect

    return connect(args, demo_tables=tables if tables is not None else [])


def _say(text: str) -> None:
    sys.stderr.write(safe_text(text).replace("\\n", "\n") + "\n")
    sys.stderr.flush()


def _policy(args: argparse.Namespace, tables: list[str]) -> Any:
    from ddbtui.core.writes import WritePolicy

    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    if not getattr(args, "dry_run", False):
        for t in tables:
            policy.check(t)  # before connecting: a refused change costs nothing
    return policy


def _out(
    args: argparse.Namespace, plan: core.Plan, *, dry_run: bool, result: Any = None, **extra: Any
) -> None:
    if args.format == "json":
        doc = {
            "plan": plan.to_json(),
            "dry_run": dry_run,
            "done": [s.summary for s in (result.done if result else [])],
            "journal_ids": [r.id for r in (result.records if result else [])],
            **extra,
        }
        sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(safe_text(plan.render()).replace("\\n", "\n"))
        if dry_run:
            sys.stdout.write("dry run: nothing was sent\n")


def _progress() -> Callable[[Any], None]:
    tty = sys.stderr.isatty()
    last: list[Any] = [None]

    def show(p: Any) -> None:
        key = (p.number, p.phase, p.table_status, p.index_status, p.backfilling, p.item_count)
        if tty:
            sys.stderr.write("\r\x1b[K" + safe_text(p.describe()[:200]))
            if p.phase == "done":
                sys.stderr.write("\n")
        elif key != last[0]:
            sys.stderr.write(safe_text(p.describe()) + "\n")
        last[0] = key
        sys.stderr.flush()

    return show


def _poll(client: Any) -> float:
    from ddbtui.aws.session import Connection

    return 0.2 if Connection(endpoint_url=str(client.meta.endpoint_url)).is_emulator else 2.0


def _send(args: argparse.Namespace, client: Any, plan: core.Plan, policy: Any, aas: Any = None) -> Any:
    """Print the plan, send it, say what was done. ^C while waiting: say what DynamoDB goes on with."""
    from ddbtui.aws.admin import Cancelled, ExecResult, admin_journal, execute

    if args.format == "text":
        sys.stdout.write(safe_text(plan.render()).replace("\\n", "\n"))
        sys.stdout.flush()
    result = ExecResult(plan)
    cancel = threading.Event()
    try:
        execute(client, plan, aas=aas, policy=policy, journal=admin_journal(), cancel=cancel,
                on_progress=_progress(), poll=_poll(client), timeout=args.wait_timeout, result=result)  # fmt: skip
    except KeyboardInterrupt:
        cancel.set()
        step = plan.steps[len(result.done) - 1] if result.done else None
        _say(
            f"ddbtui: interrupted after {len(result.done)} of {len(plan.steps)} steps"
            + (f"; DynamoDB goes on with '{step.summary}'" if step and step.wait else "")
            + (" (ddbtui admin-undo reverses what was done)" if result.records else "")
        )
        raise
    except Cancelled:
        raise
    except Exception as e:
        done = getattr(e, "done", None)
        if done:
            _say(f"note: {len(done)} of {len(plan.steps)} steps were applied before the error: "
                 + "; ".join(s.summary for s in done) + " (ddbtui admin-undo reverses them)")  # fmt: skip
        raise
    return result


def _finish(args: argparse.Namespace, plan: core.Plan, result: Any, what: str, **extra: Any) -> int:
    if args.format == "json":
        _out(args, plan, dry_run=False, result=result, **extra)
    else:
        sys.stdout.write(f"done: {what}\n")
    ids = [r.id for r in result.records if r.undoes is None and r.request["step"].get("undo")]
    _say(f"{what} · {len(result.done)} call{'s' if len(result.done) != 1 else ''}"
         + (" · undo with ddbtui admin-undo" if ids else ""))  # fmt: skip
    return EXIT_OK


# --- create-table ------------------------------------------------------------------------------------


def _read_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"--from-json: cannot read {path}: {e.strerror or e}") from None
    try:
        return json.loads(text)
    except ValueError as e:
        raise UsageError(f"--from-json: {path} is not JSON: {e}") from None


def _create_params(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    if args.from_json:
        clash = [
            f
            for f in ("key", "gsi", "lsi", "provisioned", "gsi_provisioned", "stream", "table_class", "tag")
            if getattr(args, f)
        ]
        if clash or args.deletion_protection:
            flags = ", ".join("--" + f.replace("_", "-") for f in clash) or "--deletion-protection"
            raise UsageError(
                f"--from-json gives the whole CreateTable request: put {flags} in the JSON instead"
            )
        return core.from_json(_read_json(args.from_json), args.name)
    if not args.name or not args.key:
        raise UsageError("create-table needs NAME and --key pk:S[,sk:N] (or --from-json FILE)")
    key = core.parse_key(args.key)
    own = dict(core.parse_index_throughput(s) for s in args.gsi_provisioned or [])
    gsis = [core.parse_gsi(s) for s in args.gsi or []]
    gsis = [replace(g, throughput=own[g.name]) if g.name in own else g for g in gsis]
    unknown = set(own) - {g.name for g in gsis}
    if unknown:
        raise UsageError(f"--gsi-provisioned names {', '.join(sorted(unknown))}, which no --gsi creates")
    design = core.TableDesign(
        name=args.name,
        key=key,
        gsis=gsis,
        lsis=[core.parse_lsi(s, key) for s in args.lsi or []],
        provisioned=core.parse_throughput(args.provisioned) if args.provisioned else None,
        stream=core.parse_stream(args.stream) if args.stream else None,
        deletion_protection=args.deletion_protection,
        table_class=core.parse_table_class(args.table_class) if args.table_class else None,
        tags=core.parse_tags(args.tag),
    )
    return design.params(), []


def run_create(args: argparse.Namespace) -> int:
    params, notes = _create_params(args)
    for n in notes:
        _say(f"note: {n}")
    region = getattr(args, "region", None)
    plan = core.plan_create(
        params,
        ttl=core.parse_ttl(args.ttl) if args.ttl else None,
        pitr=args.pitr,
        autoscaling=core.parse_autoscaling(args.autoscaling) if args.autoscaling else None,
        region=region,
    )
    if args.dry_run:  # nothing is sent: not even a connection is made
        _out(args, plan, dry_run=True)
        return EXIT_OK
    policy = _policy(args, [plan.table])
    with _connect(args) as (client, conn):
        aas = _aas(client, conn) if args.autoscaling else None
        result = _send(args, client, plan, policy, aas)
    return _finish(args, plan, result, f"created table {plan.table}")


def _aas(client: Any, conn: Any) -> Any:
    from ddbtui.aws.admin_info import autoscaling_client

    return autoscaling_client(client, getattr(conn, "profile", None))


# --- alter ---------------------------------------------------------------------------------------------


def _alter_request(args: argparse.Namespace) -> core.AlterRequest:
    own = dict(core.parse_index_throughput(s) for s in args.gsi_provisioned or [])
    req = core.AlterRequest(
        add_gsis=[core.parse_gsi(s) for s in args.add_gsi or []],
        drop_gsis=[check_name(n, "--drop-gsi") for n in args.drop_gsi or []],
        ttl=None if args.ttl is None else (core.parse_ttl(args.ttl) or False),
        pitr=None if args.pitr is None else core.parse_switch(args.pitr, "--pitr"),
        deletion_protection=None
        if args.deletion_protection is None
        else core.parse_switch(args.deletion_protection, "--deletion-protection"),
        on_demand=args.on_demand,
        provisioned=core.parse_throughput(args.provisioned) if args.provisioned else None,
        gsi_throughput=own,
        autoscaling=core.parse_autoscaling(args.autoscaling) if args.autoscaling else None,
        stream=None if args.stream is None else (core.parse_stream(args.stream) or False),
        contributor_insights=None
        if args.contributor_insights is None
        else core.parse_switch(args.contributor_insights, "--contributor-insights"),
        table_class=core.parse_table_class(args.table_class) if args.table_class else None,
    )
    if req == core.AlterRequest():
        raise UsageError("alter: name a change, e.g. --add-gsi, --ttl, --pitr, --provisioned (see --help)")
    return req


def _sample(client: Any, table: str, n: int) -> list[dict[str, Any]]:
    if n <= 0:
        return []
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"TableName": table, "Limit": min(n, 1000)}
    while len(items) < n:
        page = client.scan(**params)
        items.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return items[:n]


def _index_uses(table: str, names: list[str]) -> dict[str, list[str]]:
    from ddbtui.core.paths import data_dir
    from ddbtui.core.patterns import PATTERNS

    history: dict[str, Any] = {}
    try:
        raw = json.loads((data_dir(create=False) / "history.json").read_text(encoding="utf-8"))
        history = raw if isinstance(raw, dict) else {}
    except (OSError, ValueError):
        pass
    return {n: core.index_uses(table, n, PATTERNS, history) for n in names}


def run_alter(args: argparse.Namespace) -> int:
    from ddbtui.aws.admin_info import table_state

    req = _alter_request(args)
    policy = _policy(args, [args.table])
    with _connect(args, [args.table]) as (client, conn):
        aas = _aas(client, conn) if req.autoscaling else None
        state = table_state(client, args.table, aas)
        sample = _sample(client, args.table, args.sample) if req.add_gsis else None
        plan = core.plan_alter(state, req, region=client.meta.region_name, sample=sample,
                               index_uses=_index_uses(args.table, req.drop_gsis), now=datetime.now(UTC))  # fmt: skip
        if args.dry_run or plan.empty:
            _out(args, plan, dry_run=args.dry_run)
            return EXIT_OK
        result = _send(args, client, plan, policy, aas)
    return _finish(args, plan, result, f"altered {args.table}: {len(result.done)} change(s)")


# --- backups, restore, drop ------------------------------------------------------------------------------


def run_backup(args: argparse.Namespace) -> int:
    name = args.name or core.default_backup_name(args.table, datetime.now(UTC))
    plan = core.plan_backup(args.table, name)
    if args.dry_run:
        _out(args, plan, dry_run=True)
        return EXIT_OK
    policy = _policy(args, [args.table])
    with _connect(args, [args.table]) as (client, _conn):
        result = _send(args, client, plan, policy)
    details = result.responses[0].get("BackupDetails", {})
    arn = details.get("BackupArn")
    if args.format == "text":
        sys.stdout.write(f"backup ARN: {arn}\n")
    return _finish(
        args,
        plan,
        result,
        f"backup {name} of {args.table} ({details.get('BackupStatus', '?')})",
        backup_arn=arn,
    )


def run_backups(args: argparse.Namespace) -> int:
    from ddbtui.aws.admin_info import list_backups

    with _connect(args, [args.table] if args.table else []) as (client, _conn):
        backups = list_backups(client, args.table)
    rows = [
        {"table": b.get("TableName"), "name": b.get("BackupName"), "created": str(b.get("BackupCreationDateTime", "")),
         "status": b.get("BackupStatus"), "type": b.get("BackupType"), "size_bytes": b.get("BackupSizeBytes"),
         "arn": b.get("BackupArn")}
        for b in backups
    ]  # fmt: skip
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif args.format == "jsonl":
        sys.stdout.writelines(json.dumps(r) + "\n" for r in rows)
    else:
        for r in rows:
            sys.stdout.write(
                safe_text(f"{r['table']}  {r['name']}  {r['created']}  {r['status']}  {r['arn']}") + "\n"
            )
    _say(f"{len(rows)} backup{'s' if len(rows) != 1 else ''}" + (f" of {args.table}" if args.table else ""))
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    if args.backup and (args.table or args.time):
        raise UsageError("restore --backup ARN takes no TABLE or --time: the backup names its table")
    if not args.backup and not (args.table and args.time):
        raise UsageError("restore needs --backup ARN, or TABLE --time ISO8601|latest (point in time)")
    when = core.parse_restore_time(args.time) if args.time else None
    plan = core.plan_restore(args.to, backup_arn=args.backup, source=args.table, time=when)
    if args.dry_run:
        _out(args, plan, dry_run=True)
        return EXIT_OK
    policy = _policy(args, [args.to])
    with _connect(args, [args.table] if args.table else []) as (client, _conn):
        result = _send(args, client, plan, policy)
        source = (
            args.table
            or ((result.responses[0].get("TableDescription") or {}).get("RestoreSummary") or {})
            .get("SourceTableArn", "")
            .rpartition("/")[2]
        )
        diff = None
        if not args.no_count and source:
            from ddbtui.aws.admin_info import count_diff

            diff = count_diff(client, source, args.to, when)
            if args.format == "text":
                sys.stdout.write(safe_text(f"item counts: {diff.describe()}") + "\n")
    return _finish(args, plan, result, f"restored into {args.to}", counts=diff.to_json() if diff else None)


def run_drop(args: argparse.Namespace) -> int:
    if args.confirm != args.table:  # before connecting: a refused drop costs nothing
        core.plan_drop(args.table, args.confirm, deletion_protection=False, pitr=None)
    policy = _policy(args, [args.table])
    from ddbtui.aws.admin_info import table_state

    with _connect(args, [args.table]) as (client, _conn):
        state = table_state(client, args.table)
        backup = core.default_backup_name(args.table, datetime.now(UTC)) if args.backup_first else None
        plan = core.plan_drop(args.table, args.confirm, deletion_protection=state.schema.deletion_protection,
                              pitr=state.pitr, backup_name=backup)  # fmt: skip
        if args.dry_run:
            _out(args, plan, dry_run=True)
            return EXIT_OK
        result = _send(args, client, plan, policy)
    return _finish(args, plan, result, f"dropped table {args.table}")


def admin_change_is_newer(write_journal: Any = None) -> bool:
    """True when the latest table change not undone is newer than the latest item write not undone: what
    ``ddbtui undo`` should take back first (hook-up for commands/writes.run_undo)."""
    from ddbtui.aws.admin import admin_journal

    admin = admin_journal().pending_undo()
    if not admin:
        return False
    if write_journal is None:
        from ddbtui.aws.journal import Journal

        write_journal = Journal()
    writes = write_journal.pending_undo()
    return not writes or max(r.time for r in admin) > max(r.time for r in writes)


def run_admin_undo(args: argparse.Namespace) -> int:
    from ddbtui.aws.admin import admin_journal, undo_last
    from ddbtui.core.writes import WritePolicy

    # also called from `ddbtui undo`, whose options differ: --format json|ddb-json, no --dry-run
    fmt = "json" if getattr(args, "format", "text") == "json" else "text"
    args = argparse.Namespace(**{**vars(args), "format": fmt, "dry_run": getattr(args, "dry_run", False),
                                 "wait_timeout": getattr(args, "wait_timeout", None)})  # fmt: skip
    journal = admin_journal()
    records = journal.pending_undo()
    if not records:
        raise UsageError(
            f"nothing to undo: the admin journal ({journal.path}) has no table change left to undo"
        )
    plan = core.undo_plan(records)
    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    if args.dry_run or not policy.enabled:
        _out(args, plan, dry_run=True)
        if not policy.enabled and not args.dry_run:
            raise UsageError("undo changes the table: re-run with --allow-writes to send the plan above")
        return EXIT_OK
    with _connect(args) as (client, conn):
        aas = _aas(client, conn) if any(s.service != "dynamodb" for s in plan.steps) else None
        if args.format == "text":
            sys.stdout.write(safe_text(plan.render()).replace("\\n", "\n"))
        plan, result = undo_last(client, journal, aas=aas, policy=policy, on_progress=_progress(),
                                 poll=_poll(client), timeout=args.wait_timeout)  # fmt: skip
    if result is None:
        _say("nothing to send: " + "; ".join(plan.notes))
        return EXIT_OK
    return _finish(args, plan, result, f"undid: {records[0].request.get('plan', 'the last table change')}")


def run_as_create(args: argparse.Namespace) -> int:
    """``describe TABLE --as-create``: the table's design as a CreateTable JSON that --from-json takes."""
    with _connect(args, [args.table]) as (client, _conn):
        desc = client.describe_table(TableName=args.table)["Table"]
        tags = None
        try:
            tags = client.list_tags_of_resource(ResourceArn=desc["TableArn"]).get("Tags") or None
        except Exception:  # noqa: BLE001 - tags are optional (DynamoDB Local lacks them)
            tags = None
    params, notes = core.as_create(desc, tags)
    sys.stdout.write(json.dumps(params, indent=2, default=str) + "\n")
    for n in notes:
        _say(f"note: {n}")
    return EXIT_OK


RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "create-table": run_create,
    "alter": run_alter,
    "backup": run_backup,
    "backups": run_backups,
    "restore": run_restore,
    "drop-table": run_drop,
    "admin-undo": run_admin_undo,
}
