"""``ddbtui model import-workbench FILE.json [--out MODEL.toml] [--create --allow-writes]``: a NoSQL Workbench
data model (its JSON export) read by ``ddbtui.core.model.workbench``, written as a model file (one entity
and one pattern per facet, one pattern per GSI), and with ``--create`` its tables created and its sample
items put (``ddbtui.aws.workbench_import``: create-table's and import's own code paths, journaled).

Exit status: 0; 2 for a file that is not a Workbench export (the place of the mistake named) or writes
not allowed; 3 for an AWS error (a table that exists already among them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ddbtui.commands.common import EXIT_AWS, EXIT_OK
from ddbtui.core.errors import UsageError
from ddbtui.core.values import safe_text


def _say(text: str) -> None:
    sys.stderr.write(safe_text(text) + "\n")
    sys.stderr.flush()


def run_import_workbench(args: argparse.Namespace) -> int:
    from ddbtui.core.model import load_model
    from ddbtui.core.model.workbench import model_text, read_workbench

    try:
        raw = Path(args.file).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot read {args.file}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.file} is not UTF-8 text") from None
    try:
        doc = json.loads(raw)
    except ValueError as e:
        raise UsageError(f"{args.file} is not JSON: {e}") from None
    wb = read_workbench(doc)
    text = model_text(wb, Path(args.file).name)
    load_model(text, args.out or "<import-workbench>")  # what is written must read back
    for t in wb.tables:
        for n in t.notes:
            _say(f"note: {n}")
    policy = None
    if args.create:
        from ddbtui.core.writes import WritePolicy

        policy = WritePolicy.from_flag(getattr(args, "allow_writes", None))
        for t in wb.tables:
            policy.check(t.name)  # before connecting, before the model file is written
    if args.out:
        try:
            with open(args.out, "x", encoding="utf-8") as f:
                f.write(text)
        except FileExistsError:
            raise UsageError(f"{args.out} exists: ddbtui does not overwrite a model file") from None
        except OSError as e:
            raise UsageError(f"cannot write {args.out}: {e.strerror}") from None
        _say(f"wrote {args.out}: {sum(len(t.facets) for t in wb.tables)} facets of {len(wb.tables)} tables")
    else:
        sys.stdout.write(text)
    if policy is None:
        return EXIT_OK
    from ddbtui.commands.common import connect

    with connect(args, demo_tables=[]) as (client, conn):
        from ddbtui.aws.session import Connection
        from ddbtui.aws.workbench_import import create_and_load

        emulator = Connection(endpoint_url=str(client.meta.endpoint_url)).is_emulator
        loaded = create_and_load(client, wb, policy=policy, estimate_capacity=conn.estimate_capacity,
                                 poll=0.2 if emulator else 2.0, say=_say)  # fmt: skip
    bad = False
    for lo in loaded:
        line = f"created {lo.table}: {lo.written:,} of {lo.items:,} items put"
        if lo.skipped:
            line += f", {lo.skipped:,} left alone (their key exists)"
        if lo.group:
            line += f" (journal group {lo.group}: ddbtui undo takes them back)"
        _say(line)
        for reason in lo.failed[:10]:
            _say(f"failed: {reason}")
        bad = bad or bool(lo.failed)
    if getattr(args, "demo", False):
        _say("note: --demo's embedded backend stops with this command: the tables go with it")
    elif args.out:
        _say(f"check it: ddbtui model check {args.out}")
    return EXIT_AWS if bad else EXIT_OK
