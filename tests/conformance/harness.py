"""Running a case both ways: ddbtui's installed CLI in a subprocess, and boto3 against the same tables.

A case's outcome holds everything the checks look at (the CLI's exit status, output and journal, the
oracle's pages, items and errors, the stored items before and after, the undo). Outcomes are computed in a
few threads at once (each CLI start costs about half a second), one case per thread, each write on an item
of its own, so the cases never see each other.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from tests.conformance.av import load_plain
from tests.conformance.cases import Case
from tests.conformance.data import TABLES, WRITE_TABLE

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"
READ_OPS = {"query", "scan", "get_item", "execute_statement"}


@dataclass
class Env:
    endpoint: str
    client: Any
    cli_tables: dict[str, str]  # template → the table the CLI reads and writes
    ref_tables: dict[str, str]  # template → the table boto3 uses (the twin for "@W")
    base_dir: Path


def substitute(obj: Any, tables: dict[str, str]) -> Any:
    """``obj`` with every table template (``@main``...) replaced in its strings."""
    if isinstance(obj, str):
        for template in sorted(tables, key=len, reverse=True):
            obj = obj.replace(template, tables[template])
        return obj
    if isinstance(obj, list | tuple):
        return type(obj)(substitute(v, tables) for v in obj)
    if isinstance(obj, dict):
        return {k: substitute(v, tables) for k, v in obj.items()}
    return obj


# ------------------------------------------------------------------------------------------ the CLI


@dataclass
class Proc:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def doc(self) -> Any:
        """The JSON document on stdout (``--format json``), or None when there is none."""
        try:
            return load_plain(self.stdout)
        except ValueError:
            return None

    def describe(self) -> str:
        shown = " ".join(self.argv[1:])
        return f"$ ddbtui {shown[:300]}\nexit {self.returncode}\nstderr: {self.stderr.strip()[:1500]}"


def run_cli(env: Env, args: tuple[str, ...] | list[str], data_dir: Path, *, writes: bool = False) -> Proc:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DDBTUI_"))}
    run_env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DDBTUI_DATA_DIR": str(data_dir / "data"),
            "DDBTUI_CONFIG_DIR": str(data_dir / "config"),
            "XDG_DATA_HOME": str(data_dir / "xdg-data"),
            "XDG_CONFIG_HOME": str(data_dir / "xdg-config"),
            "XDG_CACHE_HOME": str(data_dir / "xdg-cache"),
            "XDG_STATE_HOME": str(data_dir / "xdg-state"),
            "NO_COLOR": "1",
        }
    )
    argv = [
        DDBTUI,
        *substitute(list(args), env.cli_tables),
        "--endpoint-url",
        env.endpoint,
        "--format",
        "json",
    ]
    if writes:
        argv.append("--allow-writes")
    start = time.monotonic()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, env=run_env, timeout=120)
        return Proc(argv, r.returncode, r.stdout, r.stderr, time.monotonic() - start)
    except subprocess.TimeoutExpired as e:
        return Proc(argv, -9, str(e.stdout or ""), f"timed out: {e}", time.monotonic() - start)


def journal(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "data" / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ the oracle


@dataclass
class Page:
    count: int
    scanned_count: int | None
    capacity: dict[str, Any] | None


@dataclass
class Oracle:
    error: tuple[str, str] | None = None  # (code, message)
    items: list[dict[str, Any]] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    last_key: dict[str, Any] | None = None  # DynamoDB's LastEvaluatedKey after the last page read
    truncated: bool = False  # --limit cut the result short of what DynamoDB had
    full: list[dict[str, Any]] | None = None  # the whole result (for --limit cases)
    next_token: str | None = None
    capacity: dict[str, Any] | None = None  # summed over pages / the write's ConsumedCapacity

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def scanned_count(self) -> int:
        return sum(p.scanned_count or 0 for p in self.pages)


def capacity_of(consumed: Any) -> dict[str, Any] | None:
    """DynamoDB's ConsumedCapacity (INDEXES) as ``{total, table, indexes}``, summed when a list."""
    if not consumed:
        return None
    entries = consumed if isinstance(consumed, list) else [consumed]
    out: dict[str, Any] = {"total": 0.0, "table": 0.0, "indexes": {}}
    for c in entries:
        out["total"] += float(c.get("CapacityUnits", 0.0))
        out["table"] += float((c.get("Table") or {}).get("CapacityUnits", 0.0))
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for name, v in (c.get(kind) or {}).items():
                out["indexes"][name] = out["indexes"].get(name, 0.0) + float(v.get("CapacityUnits", 0.0))
    return out


def add_capacity(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, Any] | None:
    if a is None or b is None:
        return a or b
    indexes = dict(a["indexes"])
    for k, v in b["indexes"].items():
        indexes[k] = indexes.get(k, 0.0) + v
    return {"total": a["total"] + b["total"], "table": a["table"] + b["table"], "indexes": indexes}


def _error(e: ClientError) -> tuple[str, str]:
    err = e.response.get("Error", {})
    return err.get("Code", ""), err.get("Message", "")


def _read_pages(client: Any, op: str, params: dict[str, Any], limit: int | None, max_pages: int | None,
                out: Oracle) -> None:  # fmt: skip
    """Read like ddbtui's paging contract: ``Limit`` per request, at most ``max_pages`` requests, stop once
    ``limit`` items are in hand."""
    call = getattr(client, op)
    p = dict(params, ReturnConsumedCapacity="INDEXES")
    while True:
        resp = call(**p)
        items = resp.get("Items", [])
        cap = capacity_of(resp.get("ConsumedCapacity"))
        out.pages.append(Page(resp.get("Count", len(items)), resp.get("ScannedCount"), cap))
        out.capacity = add_capacity(out.capacity, cap)
        token = resp.get("NextToken") if op == "execute_statement" else resp.get("LastEvaluatedKey")
        if limit is not None and len(out.items) + len(items) >= limit:
            taken = limit - len(out.items)
            out.items += items[:taken]
            out.truncated = taken < len(items) or bool(token)
            out.last_key = token
            return
        out.items += items
        out.last_key = token
        if not token or (max_pages is not None and len(out.pages) >= max_pages):
            return
        p["NextToken" if op == "execute_statement" else "ExclusiveStartKey"] = token


def oracle_read(env: Env, case: Case) -> Oracle:
    out = Oracle()
    params = substitute(case.request, env.ref_tables)
    if case.params:
        params["Parameters"] = list(case.params)
    try:
        if case.op == "get_item":
            resp = env.client.get_item(**params, ReturnConsumedCapacity="INDEXES")
            out.items = [resp["Item"]] if "Item" in resp else []
            out.capacity = capacity_of(resp.get("ConsumedCapacity"))
            out.pages = [Page(len(out.items), None, out.capacity)]
        elif case.segments:
            for segment in range(case.segments):
                seg = dict(params, Segment=segment, TotalSegments=case.segments)
                _read_pages(env.client, case.op, seg, None, case.max_pages, out)
        else:
            _read_pages(env.client, case.op, params, case.limit, case.max_pages, out)
            if case.limit is not None:
                whole = Oracle()
                _read_pages(
                    env.client, case.op, {k: v for k, v in params.items() if k != "Limit"}, None, None, whole
                )
                out.full = whole.items
    except ClientError as e:
        out.error = _error(e)
    return out


def key_names(case: Case) -> list[str]:
    """The attributes of a LastEvaluatedKey for ``case``: the table's key plus the index's."""
    table = case.request.get("TableName", "")
    spec = TABLES.get(table) or (WRITE_TABLE if table == "@W" else None)
    if spec is None:
        return []
    names = [spec["pk"][0]] + ([spec["sk"][0]] if spec.get("sk") else [])
    index = case.request.get("IndexName")
    for iname, ipk, isk, _ in list(spec.get("gsis", [])) + list(spec.get("lsis", [])):
        if iname == index:
            names += [a[0] for a in (ipk, isk) if a and a[0] not in names]
    return names


# ------------------------------------------------------------------------------------------ outcomes


@dataclass
class ReadOutcome:
    case: Case
    oracle: Oracle
    cli: Proc
    resume: Proc | None = None
    resume_key: dict[str, Any] | None = None


@dataclass
class WriteOutcome:
    case: Case
    before: dict[str, Any] | None  # the item as the request found it (boto3, on the CLI's table)
    oracle_error: tuple[str, str] | None
    oracle_capacity: dict[str, Any] | None
    stored_ref: dict[str, Any] | None  # the twin table's item after boto3's request
    cli: Proc
    stored_cli: dict[str, Any] | None  # the CLI's table after ddbtui's request
    journal: list[dict[str, Any]]
    undo: Proc | None = None
    after_undo: dict[str, Any] | None = None


def _get(client: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def run_read(env: Env, case: Case, work: Path) -> ReadOutcome:
    oracle = oracle_read(env, case)
    proc = run_cli(env, case.cli, work)
    out = ReadOutcome(case, oracle, proc)
    if case.resume and proc.returncode == 0 and oracle.error is None:
        doc = proc.doc() or {}
        lek = doc.get("last_evaluated_key")
        if lek and oracle.items:
            # go on from the last item ddbtui returned, with its key in DynamoDB JSON (as --start-key takes it)
            from tests.conformance.av import item_to_ddb_json

            last = oracle.items[-1]
            out.resume_key = {k: last[k] for k in key_names(case) if k in last}
            args = list(case.cli)
            i = args.index("--limit")
            del args[i : i + 2]
            args += ["--start-key", json.dumps(item_to_ddb_json(out.resume_key))]
            out.resume = run_cli(env, args, work)
    return out


def run_write(env: Env, case: Case, work: Path) -> WriteOutcome:
    client = env.client
    key = case.key or {}
    cli_table, ref_table = env.cli_tables["@W"], env.ref_tables["@W"]
    params = substitute(case.request, env.ref_tables)
    before = _get(client, cli_table, key)
    oracle_error, oracle_capacity = None, None
    try:
        resp = getattr(client, case.op)(**params, ReturnConsumedCapacity="INDEXES")
        oracle_capacity = capacity_of(resp.get("ConsumedCapacity"))
    except ClientError as e:
        oracle_error = _error(e)
    stored_ref = _get(client, ref_table, key)
    proc = run_cli(env, case.cli, work, writes=True)
    out = WriteOutcome(case, before, oracle_error, oracle_capacity, stored_ref, proc, _get(client, cli_table, key),
                       journal(work))  # fmt: skip
    if proc.returncode == 0 and out.oracle_error is None:
        # every write the suite makes is taken back, and the item compared with the original (issue #19)
        out.undo = run_cli(env, ("undo",), work, writes=True)
        out.after_undo = _get(client, cli_table, key)
    return out


def run_case(env: Env, case: Case) -> ReadOutcome | WriteOutcome:
    work = env.base_dir / case.id
    work.mkdir(parents=True, exist_ok=True)
    return run_write(env, case, work) if case.is_write else run_read(env, case, work)


class Runner:
    """Outcomes by case id, computed in a few threads ahead of the tests that need them."""

    def __init__(self, env: Env, workers: int) -> None:
        self.env = env
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="conformance")
        self.futures: dict[str, Future] = {}
        self.lock = threading.Lock()

    def submit(self, case: Case) -> Future:
        with self.lock:
            fut = self.futures.get(case.id)
            if fut is None:
                fut = self.futures[case.id] = self.pool.submit(run_case, self.env, case)
            return fut

    def prefetch(self, cases: list[Case]) -> None:
        for case in cases:
            self.submit(case)

    def get(self, case: Case) -> Any:
        return self.submit(case).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
