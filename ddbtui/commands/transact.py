"""``ddbtui transact FILE --allow-writes``: one TransactWriteItems from a JSON Lines file of actions in the
API's own shape, journaled as one group that ``ddbtui undo`` takes back whole."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ddbtui.commands.common import EXIT_AWS, EXIT_OK, allow_writes_option

DESCRIPTION = (
    "Run one TransactWriteItems (all actions or none) from FILE, JSON Lines: one action a line in the "
    'API\'s own shape, as `aws dynamodb transact-write-items` takes them: {"Put": {...}}, {"Update": {...}}, '
    '{"Delete": {...}}, {"ConditionCheck": {...}}, AttributeValues in DynamoDB JSON; at most 100. '
    "TransactWriteItems returns no old images, so ddbtui first reads every item (one TransactGetItems) and "
    "makes every action conditional on its item being exactly as read (attribute_not_exists when there was "
    "none), ANDed with the action's own ConditionExpression. If anything changed the item in between, the "
    "transaction is cancelled and nothing is written; otherwise the journal holds the exact old and new "
    "images and `ddbtui undo --allow-writes` takes the whole transaction back. A cancelled transaction "
    "shows DynamoDB's reason for each action (exit 3)."
)


def add_parser(command: Any) -> None:
    p = command("transact", "TransactWriteItems from a JSON Lines file of actions; undoable as one group")
    p.description = DESCRIPTION
    p.add_argument("file", metavar="FILE", help='one action a line ({"Put": ...} ...); - for stdin')
    allow_writes_option(
        p, "enable writes (ddbtui is read-only by default); --allow-writes=Orders,Users allows only those"
    )
    p.add_argument(
        "--format", choices=("json", "ddb-json"), default="json", help="how items are printed (default json)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ddbtui.aws.catalog import load_schema
    from ddbtui.aws.writes import Journal, TransactionFailed, transact
    from ddbtui.aws.writes.importer import read_lines
    from ddbtui.aws.writes.transact import read_images
    from ddbtui.commands.common import connect
    from ddbtui.commands.writes import _capacity_text, _item_json, _say
    from ddbtui.core.capacity import Ledger
    from ddbtui.core.writes import WritePolicy, key_text
    from ddbtui.core.writes.transact_file import action_key, parse_actions, plan_transaction

    actions = parse_actions(read_lines(args.file))  # before connecting: a bad file costs nothing
    tables = list(dict.fromkeys(body["TableName"] for _kind, body in actions))
    policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
    for t in tables:
        policy.check(t)
    journal = Journal()
    with connect(args, demo_tables=tables) as (client, conn):
        schemas = {t: load_schema(client, t) for t in tables}
        keys = [(b["TableName"], action_key(k, b, schemas[b["TableName"]])) for k, b in actions]
        images = read_images(client, keys)
        plan = plan_transaction(actions, schemas, images)
        ledger = Ledger(region=client.meta.region_name)
        try:
            result = transact(client, plan, schemas, policy=policy, journal=journal, ledger=ledger,
                              prefer_estimate=conn.estimate_capacity)  # fmt: skip
        except TransactionFailed as e:
            reasons = []
            for r in e.reasons:
                n = plan.ops.index(r.op) + 1
                reasons.append({"action": n, "table": r.op.table, "key": json.loads(_item_json(r.op.key, args.format)),
                                "code": r.code, "message": r.message,
                                "item": json.loads(_item_json(r.item, args.format))})  # fmt: skip
                _say(f"action {n}: {r.describe()}")
            sys.stdout.write(json.dumps({"cancelled": True, "reasons": reasons}, ensure_ascii=False) + "\n")
            _say(f"ddbtui: TransactionCanceledException: nothing was written ({len(plan.ops)} actions)")
            return EXIT_AWS
    for op, rec in zip(plan.ops, result.records or [None] * len(plan.ops), strict=True):
        sys.stdout.write(
            "{"
            f'"operation": {json.dumps(op.operation)}, "table": {json.dumps(op.table, ensure_ascii=False)}, '
            f'"key": {_item_json(op.key, args.format)}, "old": {_item_json(op.old, args.format)}, '
            f'"new": {_item_json(op.new, args.format)}, "journal_id": {json.dumps(rec.id if rec else None)}'
            "}\n"
        )
    for op in plan.ops:
        _say(f"{op.operation} {op.table} {key_text(op.key)}")
    _say(
        f"transaction of {len(plan.ops)} actions written · {_capacity_text(result.capacity(conn.estimate_capacity))}"
        " · `ddbtui undo --allow-writes` takes it all back"
    )
    return EXIT_OK
