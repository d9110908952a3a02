"""Export a table to a file: JSON Lines, CSV or DynamoDB JSON, by a (parallel) Scan, resumable.

The pages go to a partial file beside the output (``OUT.ddbtui-partial``, 0600; see ``export_target``),
which is renamed over ``OUT`` only when the export is complete: an existing ``OUT`` (replaced only with
``overwrite``) stays whole until then. After each page is written and fsync'd, a state file beside the
output (``OUT.ddbtui-state.json``, mode 0600, replaced atomically; see ``export_state``) records each
segment's LastEvaluatedKey, how many bytes and lines are *committed*, and which database the export
reads. A resumed export checks the state and the partial file against each other, truncates the file to
the committed length and starts every segment from its recorded key, so an interruption at any moment
(Ctrl-C, a crash, a kill, a capacity cap, a full disk) leaves no duplicate and no gap.

CSV needs every column before its first row, so a CSV export stages its rows as DynamoDB JSON lines (in
the partial file, exact types) and converts them in two streaming passes at the end: memory holds the
set of column names, never the items. A Parquet export does the same (its column types come from every
row; ``parquet_writer``), writing one row group per 10,000 rows.

Nothing here prints: progress and notices go to callbacks, so the TUI can show them too.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import shlex
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ddbtui.aws.catalog import describe
from ddbtui.aws.export_state import STATE_SUFFIX, STATE_VERSION, BadState, ExportState, check_committed
from ddbtui.aws.export_target import (
    PARTIAL_SUFFIX,
    ExportFileError,
    check_target,
    file_errors,
    open_partial,
    put_in_place,
)
from ddbtui.aws.pagewriter import page_writer
from ddbtui.aws.runner import PageRunner
from ddbtui.core import prices
from ddbtui.core.capacity import format_cost, format_units
from ddbtui.core.errors import UsageError
from ddbtui.core.formats import csv_cell
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema

__all__ = [  # the state's names stay importable from here, where they were
    "EXPORT_FORMATS", "STAGING_SUFFIX", "STATE_SUFFIX", "STATE_VERSION", "BadState", "ExportFileError",
    "ExportProgress", "ExportResult", "ExportSpec", "ExportState", "run_export", "s3_export_advice",
    "staged_to_csv",
]  # fmt: skip

EXPORT_FORMATS = ("jsonl", "csv", "ddb-json", "parquet")
STAGING_SUFFIX = PARTIAL_SUFFIX  # every format's pages, CSV's staged lines too
S3_EXPORT_THRESHOLD = 5 * 1024**3  # above this, DynamoDB's own export to S3 is the right tool

Status = Literal["complete", "capacity-cap", "cancelled"]
Notice = Callable[[str], None]


@dataclass(frozen=True)
class ExportSpec:
    """What to export where. ``max_capacity``: read units this run may consume before it stops (resumable)."""

    table: str
    out: str
    fmt: str = "jsonl"
    filter: str | None = None
    names: dict[str, str] | None = None
    values: dict[str, Any] | None = None
    segments: int = 1
    page_size: int | None = None
    max_capacity: float | None = None
    overwrite: bool = False  # replace an existing regular file at ``out`` (once the export is complete)

    @property
    def state_path(self) -> Path:
        return Path(self.out + STATE_SUFFIX)

    @property
    def staging_path(self) -> Path:
        return Path(self.out + STAGING_SUFFIX)

    @property
    def target(self) -> Path:
        """The file pages are appended to (renamed over ``out``, or converted to CSV, when complete)."""
        return self.staging_path

    def request(self) -> ReadRequest:
        return ReadRequest(
            operation="scan",
            table=self.table,
            filter=self.filter,
            page_size=self.page_size,
            segments=self.segments,
            names=self.names,
            values=self.values,
        )

    def identity(self) -> dict[str, Any]:
        """What a resumed export must share with the one it continues (the keys depend on all of it)."""
        return {
            "table": self.table,
            "format": self.fmt,
            "filter": self.filter,
            "names": self.names,
            "values": json.loads(json.dumps(self.values, default=str)) if self.values else None,
            "segments": self.segments,
        }


@dataclass
class ExportProgress:
    """Where an export is. Totals include earlier runs of a resumed export; ``run_*`` only this run."""

    items: int = 0
    scanned: int = 0
    pages: int = 0
    capacity: float = 0.0
    estimated: bool = False
    bytes: int = 0
    expected: int | None = None  # ItemCount from DescribeTable (refreshed about every 6 hours on AWS)
    segments: int = 1
    segments_done: int = 0
    run_items: int = 0
    run_scanned: int = 0
    run_capacity: float = 0.0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        """Items per second in this run."""
        return self.run_items / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, from ItemCount and the scan rate of this run (None when unknown)."""
        if not self.expected or self.elapsed <= 0 or self.run_scanned <= 0:
            return None
        left = max(0, self.expected - self.scanned)
        return left / (self.run_scanned / self.elapsed)


@dataclass
class ExportResult:
    status: Status
    progress: ExportProgress
    out: Path
    state_path: Path | None  # where the resume state is, when the export is not complete
    notes: list[str] = field(default_factory=list)
    billing_mode: str = "PAY_PER_REQUEST"
    region: str | None = None

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def cost(self) -> float:
        """Estimated dollars of every run of this export (see ``ddbtui.core.prices``)."""
        return prices.price_for(self.region, self.billing_mode).cost(self.progress.capacity, 0.0)


# --------------------------------------------------------------------------------------------- advice


def s3_export_advice(desc: dict[str, Any], region: str | None) -> str | None:
    """For a table larger than a few GB: why DynamoDB's export to S3 is the better tool, and the commands."""
    size = desc.get("TableSizeBytes") or 0
    if size < S3_EXPORT_THRESHOLD:
        return None
    name = desc["TableName"]
    arn = desc.get("TableArn") or f"arn:aws:dynamodb:{region or 'REGION'}:ACCOUNT:table/{name}"
    billing = (desc.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    rcu = math.ceil(size / 4096) / 2  # a full Scan, eventually consistent
    cost = prices.price_for(region, billing).cost(rcu, 0)
    reg = f" --region {shlex.quote(region)}" if region else ""
    return (
        f"{name} holds {size / 1024**3:,.1f} GB: a Scan export reads about {format_units(rcu)} RCU "
        f"({format_cost(cost)}) and competes with the table's traffic. DynamoDB's own export to S3 reads no "
        "capacity and leaves the table alone (it needs point-in-time recovery):\n"
        f"  aws dynamodb update-continuous-backups --table-name {shlex.quote(name)} "
        f"--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true{reg}\n"
        f"  aws dynamodb export-table-to-point-in-time --table-arn {shlex.quote(arn)} "
        f"--s3-bucket YOUR-BUCKET --s3-prefix {shlex.quote('exports/' + name)} "
        f"--export-format DYNAMODB_JSON{reg}"
    )


# --------------------------------------------------------------------------------------------- files


def _page_writer(spec: ExportSpec, fast: bool) -> Callable[[list[dict[str, Any]]], bytes]:
    return page_writer(spec.fmt, fast)


def staged_to_csv(staging: Path, out: Path, key_attributes: tuple[str, ...]) -> int:
    """Convert staged DynamoDB JSON lines to CSV: pass 1 collects the columns, pass 2 writes the rows.

    Columns as ``ddbtui scan --format csv`` orders them: the key attributes, then the others sorted.
    Returns the number of rows. Written to a temp file (0600) and renamed, so ``out`` is never half done.
    """
    seen: set[str] = set()
    with staging.open("rb") as f:
        for line in f:
            if line.strip():
                seen.update(json.loads(line))
    keys = [k for k in key_attributes if k in seen]
    cols = keys + sorted(seen - set(keys))
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent or ".")
    rows = 0
    try:
        os.fchmod(fd, 0o600)
        with (
            os.fdopen(fd, "w", encoding="utf-8", newline="", errors="surrogatepass") as dst,
            staging.open("rb") as src,
        ):
            w = csv.writer(dst, lineterminator="\r\n")
            w.writerow(cols)
            for line in src:
                if not line.strip():
                    continue
                item = json.loads(line)
                w.writerow([csv_cell(item.get(c)) for c in cols])
                rows += 1
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return rows


# --------------------------------------------------------------------------------------------- runner


def _database(client: Any, desc: dict[str, Any] | None = None) -> dict[str, Any]:
    """What names the database an export reads (``WHERE``), and the table's creation time, which tells a
    table from another of the same name (another server, or the table dropped and created again)."""
    where: dict[str, Any] = {"endpoint": client.meta.endpoint_url, "region": client.meta.region_name}
    if desc is not None:
        parts = str(desc.get("TableArn") or "").split(":")  # arn:aws:dynamodb:REGION:ACCOUNT:table/NAME
        where["account"] = parts[4] if len(parts) > 5 and parts[4] else None
        created = desc.get("CreationDateTime")
        where["table_created"] = created.isoformat() if hasattr(created, "isoformat") else created
    return where


def _same_database(state: ExportState, where: dict[str, Any], state_path: Path, notice: Notice) -> None:
    """Refuse a state written by an export of another database: another region or account, or a table
    created at another time. Another endpoint is the same database only when the table's creation time
    says so (a proxy, another URL of the same service); without that time, another endpoint is refused."""
    start_over = f"delete {state_path} to start over"
    for name in ("region", "account"):
        if name in where and state.identity.get(name) != where[name]:
            raise BadState(
                f"the export to resume read {name} {state.identity.get(name)!r}, this one "
                f"{where[name]!r}: resume it against the same database, or {start_over}"
            )
    if "table_created" not in where:
        return  # before DescribeTable: the endpoint is judged with the table's creation time
    was, now = state.identity.get("table_created"), where["table_created"]
    was_at, now_at = state.identity.get("endpoint"), where["endpoint"]
    table = state.identity.get("table")
    if was is not None and now is not None and was != now:
        at = "" if was_at == now_at else f" at endpoint {now_at!r}"
        raise BadState(
            f"the export to resume read the table {table!r} created {was} at endpoint {was_at!r}; the one"
            f"{at} was created {now}: another table; {start_over}"
        )
    if was_at != now_at:
        if was is None or now is None:
            raise BadState(
                f"the export to resume read endpoint {was_at!r}, this one {now_at!r}: resume it against "
                f"the same database, or {start_over}"
            )
        notice(
            f"resuming through endpoint {now_at} (the export started at {was_at}): the same table, created {now}"
        )


def _same_options(state: ExportState, spec: ExportSpec) -> None:
    want = spec.identity()
    diff = [k for k in want if state.identity.get(k) != want[k]]
    if diff:
        was = ", ".join(f"{k}={state.identity.get(k)!r}" for k in diff)
        raise UsageError(f"the export to resume was started with {was}; resume it with the same options")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _load_state(spec: ExportSpec, resume: bool, where: dict[str, Any], notice: Notice) -> ExportState | None:
    """The state to resume (checked against its schema, the options and the database), or None for a new
    export (refused when an unfinished one is in the way)."""
    state_path = spec.state_path
    if not resume:
        if os.path.lexists(state_path):
            prior = ExportState.load(state_path)
            raise UsageError(
                f"an unfinished export to {spec.out} exists ({prior.committed_lines:,} items written): add "
                f"--resume to continue it, or delete {state_path} to start over"
            )
        return None
    if not os.path.lexists(state_path):
        raise UsageError(f"nothing to resume: there is no {state_path}")
    state = ExportState.load(state_path)
    _same_database(state, where, state_path, notice)
    _same_options(state, spec)
    state.check_segments(spec.segments, state_path)
    return state


def run_export(
    client: Any,
    spec: ExportSpec,
    *,
    resume: bool = False,
    estimate_capacity: bool = False,
    cancel: threading.Event | None = None,
    on_progress: Callable[[ExportProgress], None] | None = None,
    on_notice: Notice | None = None,
    fast: bool = True,
    connection: Any = None,
    processes: int = 0,
) -> ExportResult:
    """Run (or resume) an export. Returns when it is complete, at the capacity cap, or cancelled.

    An exception (an AWS error, KeyboardInterrupt, ``ExportFileError`` with ``resumable``) leaves the
    partial file and its state at the last committed page: ``resume=True`` continues from there. A bad
    target or state raises ``ExportFileError`` / ``BadState`` (``UsageError``s, one line) before anything
    is written. ``fast=False`` reads and writes through botocore's parsed items and ``item_to_plain_json``
    (the reference the fast path is tested against; same bytes).

    ``processes`` ≥ 2 with ``connection`` (the ``Connection`` the client was made from) and 2 or more
    segments: the segments are read and formatted in that many worker processes (``procsource``; each
    child builds its own client from ``connection``, so hooks registered on ``client`` do not apply to
    the reads). This process still writes, commits and counts every page, exactly as with threads.
    Otherwise segments are threads of this process.
    """
    if spec.fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {spec.fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if spec.max_capacity is not None and spec.max_capacity <= 0:
        raise UsageError("--max-capacity must be more than 0")
    if spec.fmt == "parquet":
        from ddbtui.aws.parquet_writer import require_pyarrow

        require_pyarrow()  # before anything is read: one line saying how to install it
    notice = on_notice or (lambda _m: None)
    cancel = cancel or threading.Event()
    out, target, state_path = Path(spec.out), spec.target, spec.state_path
    check_target(out, overwrite=spec.overwrite, resume=resume)
    resumed = _load_state(spec, resume, _database(client), notice)

    desc = describe(client, spec.table)
    where = _database(client, desc)
    if resumed is not None:
        _same_database(resumed, where, state_path, notice)
    state = resumed or ExportState.fresh(spec, where)
    schema = TableSchema.from_describe(desc)

    def result(status: Status, progress: ExportProgress, notes: list[str] | None = None) -> ExportResult:
        return ExportResult(
            status, progress, out, None if status == "complete" else state_path, notes or [],
            billing_mode=schema.billing_mode, region=client.meta.region_name,
        )  # fmt: skip

    progress = ExportProgress(
        items=state.items,
        scanned=state.scanned,
        pages=state.pages,
        capacity=state.capacity,
        estimated=state.estimated,
        bytes=state.committed_bytes,
        expected=desc.get("ItemCount") or None,
        segments=spec.segments,
        segments_done=len(state.done_segments()),
    )
    if resumed is not None and state.complete and not os.path.lexists(target) and out.is_file():
        # stopped between putting the file in place and deleting the state: only the state is left to go
        state_path.unlink(missing_ok=True)
        return result("complete", progress)
    advice = s3_export_advice(desc, client.meta.region_name)
    if advice:
        notice(advice)
    built = build(spec.request(), schema)
    for w in built.warnings:
        notice(w)

    status: Status = "cancelled"
    write_page = _page_writer(spec, fast)
    started = time.monotonic()
    use_processes = connection is not None and processes >= 2 and spec.segments >= 2
    # a resumed export that committed nothing yet may have lost its (empty) file: start it anew
    fresh = resumed is None or (state.committed_bytes == 0 and not os.path.lexists(target))
    f = open_partial(target, fresh=fresh)
    with f:
        fd = f.fileno()
        if not fresh:
            check_committed(f, state, target, state_path)
            with file_errors(f"cannot write {target}"):
                f.truncate(state.committed_bytes)  # drop what was written after the last commit
                f.seek(state.committed_bytes)
        try:
            with file_errors(f"cannot write the export state {state_path}"):
                state.save(state_path)  # from here on, an interruption is resumable
        except ExportFileError:
            if fresh:
                with contextlib.suppress(OSError):
                    target.unlink()
            raise
        pages: Any
        if use_processes:
            from ddbtui.aws.procsource import ProcessPages

            source = ProcessPages(
                connection,
                built,
                schema,
                start=state.start_keys(),
                fmt=spec.fmt,
                fast=fast,
                estimate_capacity=estimate_capacity,
                processes=processes,
                cancel=cancel,
                on_notice=notice,
            )
            pages = source.pages()
        else:
            runner = PageRunner(client, built, schema, cancel, start=state.start_keys(), raw=fast)
            pages = runner.pages()
        try:
            for page in pages:
                # a worker process's page comes formatted (WrittenPage.data); the same writer made it
                data = page.data if use_processes else write_page(page.items)
                lines = page.lines if use_processes else len(page.items)
                with file_errors(f"cannot write {target}", resumable=True):
                    _write_all(fd, data)
                    os.fsync(fd)
                cap = page.capacity(estimate_capacity)
                units = cap.total if cap else 0.0
                state.commit(page, len(data), lines, units, bool(cap and cap.estimated))
                with file_errors(f"cannot write the export state {state_path}", resumable=True):
                    state.save(state_path)
                progress.items, progress.scanned, progress.pages = state.items, state.scanned, state.pages
                progress.capacity, progress.estimated = state.capacity, state.estimated
                progress.bytes = state.committed_bytes
                progress.segments_done = len(state.done_segments())
                progress.run_items += lines
                progress.run_scanned += page.scanned_count
                progress.run_capacity += units
                progress.elapsed = time.monotonic() - started
                if on_progress:
                    on_progress(progress)
                if spec.max_capacity is not None and progress.run_capacity >= spec.max_capacity:
                    if not state.complete:
                        status = "capacity-cap"
                    break
        finally:
            pages.close()  # stops parallel segments at once (the runner sets its cancel)
    progress.elapsed = time.monotonic() - started
    notes: list[str] = []
    if state.complete:
        status = "complete"
        if spec.fmt == "csv":
            with file_errors(f"cannot write {out}", resumable=True):
                staged_to_csv(target, out, schema.key.attributes)
                target.unlink()
        elif spec.fmt == "parquet":  # staged as DynamoDB JSON lines, like CSV: the types of every row first
            from ddbtui.aws.parquet_writer import staged_to_parquet

            with file_errors(f"cannot write {out}", resumable=True):
                staged_to_parquet(target, out, schema.key.attributes)
                target.unlink()
        else:
            put_in_place(target, out)
        state_path.unlink(missing_ok=True)
    elif status == "capacity-cap":
        notes.append(
            f"stopped at the capacity cap ({format_units(progress.run_capacity)} of "
            f"{format_units(spec.max_capacity or 0)} RCU); continue with --resume"
        )
    return result(status, progress, notes)
