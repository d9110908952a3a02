"""``ddbtui model check|init|design``: a model file of access patterns (README: "Model your access
patterns"), proven against the live table, drafted from one, and turned into a key design.

Exit status: 0 when every pattern is served (✓ or ⚠), 4 (``EXIT_MODEL``) when ``check`` finds a pattern ✗
(a Scan, a missing index, a request the table cannot serve, an attribute the index does not project) or
``design`` finds a pattern it cannot serve without a Scan; 2 for a model file with mistakes (each listed
with its line), 3 for an AWS error — as every other command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ddbtui.commands.common import connection_options

EXIT_MODEL = 4  # a pattern is not served by a key read (check), or cannot be (design)
DEMO_MODEL = "demo.model.toml"


def add_parser(command: Any) -> None:
    p = command("model", "access patterns as a file: check them against a table, draft one, design keys")
    sub = p.add_subparsers(dest="model_command", metavar="ACTION", required=True)

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        connection_options(sp, suppress=True)
        return sp

    c = action("check", "run every pattern once against the live table: operation, index, cost, advice")
    c.add_argument("file", metavar="FILE", nargs="?", help="the model file (with --demo: the demo's)")
    c.add_argument("--table", dest="model_table", metavar="T", help="check against this table instead")
    c.add_argument("--sample", type=int, default=1000, metavar="N", help="items to sample (default 1000)")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(run=run_check)

    i = action("init", "draft a model file from a live table (entities from its key prefixes)")
    i.add_argument("table", metavar="TABLE")
    i.add_argument("--out", metavar="FILE", help="write the draft here (default: standard output)")
    i.add_argument("--sample", type=int, default=1000, metavar="N", help="items to sample (default 1000)")
    i.set_defaults(run=run_init)

    d = action("design", "propose keys, GSIs and a CreateTable JSON from the entities and patterns")
    d.add_argument("file", metavar="FILE", nargs="?", help="the model file (with --demo: the demo's)")
    d.add_argument("--table-name", metavar="NAME", help="the TableName of the CreateTable JSON")
    d.add_argument("--out", metavar="FILE", help="write the CreateTable JSON here (create-table --from-json)")
    d.add_argument("--format", choices=("text", "json"), default="text")
    d.set_defaults(run=run_design)

    w = action("import-workbench", "a NoSQL Workbench model (JSON export) as a model file; --create makes it")
    w.add_argument("file", metavar="FILE.json", help="the Workbench's exported data model")
    w.add_argument("--out", metavar="MODEL.toml", help="write the model file here (default: standard output)")
    w.add_argument("--create", action="store_true", help="create its tables and put its sample items")
    from ddbtui.commands.common import allow_writes_option

    allow_writes_option(w, "with --create: allow the writes (ddbtui is read-only by default)")

    def run_import(args: argparse.Namespace) -> int:
        from ddbtui.commands.model_import import run_import_workbench

        return run_import_workbench(args)

    w.set_defaults(run=run_import)


def _model_text(args: argparse.Namespace) -> tuple[str, str]:
    from ddbtui.core.errors import UsageError

    path = getattr(args, "file", None)
    if path is None:
        if not getattr(args, "demo", False):
            raise UsageError("give the model FILE (only --demo has one of its own)")
        from importlib import resources

        text = resources.files("ddbtui.core").joinpath(f"data/{DEMO_MODEL}").read_text(encoding="utf-8")
        return text, DEMO_MODEL
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def run_check(args: argparse.Namespace) -> int:
    import json

    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.model import load_model

    text, path = _model_text(args)
    model = load_model(text, path)
    tables = sorted({args.model_table or p.request.table for p in model.patterns})
    with connect(args, demo_tables=tables) as (client, conn):
        from ddbtui.aws.model_check import check_model

        sized = None
        if conn.demo:
            from ddbtui.aws.demo_data import sized_schema as sized
        result = check_model(
            client,
            model,
            table=args.model_table,
            estimate_capacity=conn.estimate_capacity,
            sample_items=max(0, args.sample),
            sized=sized,
        )
    failed = [v for v in result.verdicts if v.status == "fail"]
    if args.format == "json":
        doc = {
            "model": path,
            "tables": {
                n: {"sample": s.to_json() if s else None, "templates": result.fits[n].to_json()}
                for n, s in result.samples.items()
            },
            "patterns": [v.to_json() for v in result.verdicts],
            "failed": len(failed),
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        from ddbtui.commands.model_text import check_text

        sys.stdout.write(check_text(result, path))
    return EXIT_MODEL if failed else EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from ddbtui.commands.common import EXIT_OK, connect
    from ddbtui.core.errors import UsageError
    from ddbtui.core.model.draft import draft

    with connect(args, demo_tables=[args.table]) as (client, conn):
        from ddbtui.aws.advisor_sample import read_advisor_sample
        from ddbtui.aws.catalog import load_schema

        schema = load_schema(client, args.table)
        sample = read_advisor_sample(
            client, schema, items=max(1, args.sample), estimate_capacity=conn.estimate_capacity
        )
    text = draft(schema, sample.items if sample else (), history=_history(args.table))
    if args.out:
        try:
            with open(args.out, "x", encoding="utf-8") as f:
                f.write(text)
        except FileExistsError:
            raise UsageError(f"{args.out} exists: ddbtui does not overwrite a model file") from None
        except OSError as e:
            raise UsageError(f"cannot write {args.out}: {e.strerror}") from None
        sys.stderr.write(f"wrote {args.out}: check it with ddbtui model check {args.out}\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _history(table: str) -> list[Any]:
    """The workbench's recent requests of ``table`` (its history file), newest first."""
    from ddbtui.aws.local_files import read_history
    from ddbtui.core.requests import request_from_json

    entries = read_history().get(table, [])
    requests = (request_from_json(e.get("request", {})) for e in entries if isinstance(e, dict))
    return [r for r in requests if r is not None]


def run_design(args: argparse.Namespace) -> int:
    import json

    from ddbtui.commands.common import EXIT_OK
    from ddbtui.core.errors import UsageError
    from ddbtui.core.model import load_model
    from ddbtui.core.model.design import design

    text, path = _model_text(args)
    model = load_model(text, path)
    d = design(model, table_name=args.table_name)
    create = d.create_table()
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(json.dumps(create, indent=2) + "\n")
        except OSError as e:
            raise UsageError(f"cannot write {args.out}: {e.strerror}") from None
    if args.format == "json":
        sys.stdout.write(json.dumps(d.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        from ddbtui.core.values import safe_text

        sys.stdout.write("\n".join(safe_text(line) for line in d.to_text().split("\n")) + "\n")
        if args.out:
            sys.stdout.write(
                f"\nCreateTable JSON written to {safe_text(args.out)}: "
                f"ddbtui create-table --from-json {safe_text(args.out)}\n"
            )
    return EXIT_MODEL if d.unserved else EXIT_OK
