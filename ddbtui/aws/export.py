"""Export a table to a file: JSON Lines, CSV or DynamoDB JSON, by a (parallel) Scan, resumable.

The output grows page by page. After each page is written and flushed to disk, a state file beside the
output (``OUT.ddbtui-state.json``, mode 0600, replaced atomically) records each segment's
LastEvaluatedKey and how many bytes and lines of output are *committed*. A resumed export truncates the
output to the committed length and starts every segment from its recorded key, so an interruption at any
moment (Ctrl-C, a crash, a kill, a capacity cap) leaves no duplicate and no gap.

CSV needs every column before its first row, so a CSV export stages its rows as DynamoDB JSON lines
(``OUT.ddbtui-partial.jsonl``, exact types) and converts them in two streaming passes at the end: memory
holds the set of column names, never the items.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ddbtui.aws import fastpath
from ddbtui.aws.catalog import describe
from ddbtui.aws.runner import Page, PageRunner
from ddbtui.core import prices
from ddbtui.core.capacity import format_cost, format_units
from ddbtui.core.errors import UsageError
from ddbtui.core.formats import csv_cell
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import av_to_ddb_json, ddb_json_to_av, item_to_ddb_json, item_to_plain_json

EXPORT_FORMATS = ("jsonl", "csv", "ddb-json")
STATE_SUFFIX = ".ddbtui-state.json"
STAGING_SUFFIX = ".ddbtui-partial.jsonl"
STATE_VERSION = 1
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

    @property
    def state_path(self) -> Path:
        return Path(self.out + STATE_SUFFIX)

    @property
    def staging_path(self) -> Path:
        return Path(self.out + STAGING_SUFFIX)

    @property
    def target(self) -> Path:
        """The file pages are appended to: the output itself, or the staging file of a CSV export."""
        return self.staging_path if self.fmt == "csv" else Path(self.out)

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


# --------------------------------------------------------------------------------------------- state


def _key_to_json(key: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if key is None else {k: av_to_ddb_json(v) for k, v in key.items()}


def _key_from_json(key: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if key is None else {k: ddb_json_to_av(v) for k, v in key.items()}


@dataclass
class ExportState:
    """The resume state file. ``positions``: segment → {"done": bool, "key": LastEvaluatedKey as DDB JSON}."""

    identity: dict[str, Any]
    target: str
    committed_bytes: int = 0
    committed_lines: int = 0
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: int = 0
    scanned: int = 0
    pages: int = 0
    capacity: float = 0.0
    estimated: bool = False
    started_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    version: int = STATE_VERSION

    @classmethod
    def fresh(cls, spec: ExportSpec) -> ExportState:
        positions = {str(s): {"done": False, "key": None} for s in range(spec.segments)}
        return cls(spec.identity(), str(spec.target), positions=positions)

    @classmethod
    def load(cls, path: Path) -> ExportState:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != STATE_VERSION:
                raise UsageError(f"{path} was written by another version of ddbtui; start the export again")
            return cls(**raw)
        except (OSError, ValueError, TypeError) as e:
            raise UsageError(f"cannot read the export state {path}: {e}") from None

    def save(self, path: Path) -> None:
        """Write atomically: a 0600 temp file in the same folder, fsync'd, then renamed over the old one."""
        self.updated_at = time.time()
        data = json.dumps(asdict(self), indent=1, sort_keys=True).encode()
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent or ".")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def start_keys(self) -> dict[int, Any]:
        """PageRunner's ``start``: a segment's LastEvaluatedKey, None for a finished one; a segment that
        has not read a page yet is left out (it starts from the beginning)."""
        return {
            int(s): None if p["done"] else _key_from_json(p["key"])
            for s, p in self.positions.items()
            if p["done"] or p["key"] is not None
        }

    def done_segments(self) -> set[int]:
        return {int(s) for s, p in self.positions.items() if p["done"]}

    def commit(self, page: Page, data_bytes: int, lines: int, capacity: float, estimated: bool) -> None:
        seg = str(page.segment or 0)
        self.positions[seg] = {
            "done": page.last_evaluated_key is None,
            "key": _key_to_json(page.last_evaluated_key),
        }
        self.committed_bytes += data_bytes
        self.committed_lines += lines
        self.items += lines
        self.scanned += page.scanned_count
        self.pages += 1
        self.capacity += capacity
        self.estimated = self.estimated or estimated

    @property
    def complete(self) -> bool:
        return all(p["done"] for p in self.positions.values())


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


def _open_private(path: Path, flags: int) -> int:
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_CREAT: make it private too
    return fd


def _open_target(spec: ExportSpec, state: ExportState, resume: bool) -> Any:
    path = spec.target
    if not resume:
        return os.fdopen(_open_private(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "wb")
    try:
        fd = _open_private(path, os.O_RDWR)
    except FileNotFoundError:
        if state.committed_bytes:
            raise UsageError(
                f"cannot resume: {path} is gone ({state.committed_lines:,} lines were written)"
            ) from None
        fd = _open_private(path, os.O_RDWR | os.O_CREAT)
    f = os.fdopen(fd, "r+b")
    size = os.fstat(fd).st_size
    if size < state.committed_bytes:
        f.close()
        raise UsageError(
            f"cannot resume: {path} has {size:,} bytes, fewer than the {state.committed_bytes:,} committed; "
            "start the export again"
        )
    f.truncate(state.committed_bytes)  # drop what was written after the last commit
    f.seek(state.committed_bytes)
    return f


def page_writer(fmt: str, fast: bool) -> Callable[[list[dict[str, Any]]], bytes]:
    """One page's output bytes. Items may be raw (binary as base64 text): both writers accept that.

    Worker processes (``procsource``) format their pages with this same function: same bytes."""
    if fmt == "jsonl" and fast:
        return fastpath.plain_json_lines  # item_to_plain_json's text, faster
    # ddb-json, and the staging lines of a CSV export
    return _line_writer(item_to_plain_json if fmt == "jsonl" else item_to_ddb_json)


def _line_writer(line: Callable[[dict[str, Any]], str]) -> Callable[[list[dict[str, Any]]], bytes]:
    def write(items: list[dict[str, Any]]) -> bytes:
        return "".join([line(it) + "\n" for it in items]).encode("utf-8", "surrogatepass")

    return write


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

    An exception (an AWS error, KeyboardInterrupt) leaves the output and its state at the last committed
    page: ``resume=True`` continues from there. ``fast=False`` reads and writes through botocore's parsed
    items and ``item_to_plain_json`` (the reference the fast path is tested against; same bytes).

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
    notice = on_notice or (lambda _m: None)
    cancel = cancel or threading.Event()
    state_path = spec.state_path
    if resume:
        if not state_path.exists():
            raise UsageError(f"nothing to resume: there is no {state_path}")
        state = ExportState.load(state_path)
        want = spec.identity()
        diff = [k for k in want if state.identity.get(k) != want[k]]
        if diff:
            was = ", ".join(f"{k}={state.identity.get(k)!r}" for k in diff)
            raise UsageError(f"the export to resume was started with {was}; resume it with the same options")
    else:
        if state_path.exists():
            prior = ExportState.load(state_path)
            raise UsageError(
                f"an unfinished export to {spec.out} exists ({prior.committed_lines:,} items written): add "
                f"--resume to continue it, or delete {state_path} to start over"
            )
        state = ExportState.fresh(spec)

    desc = describe(client, spec.table)
    schema = TableSchema.from_describe(desc)
    advice = s3_export_advice(desc, client.meta.region_name)
    if advice:
        notice(advice)
    built = build(spec.request(), schema)
    for w in built.warnings:
        notice(w)

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
    status: Status = "cancelled"
    write_page = _page_writer(spec, fast)
    started = time.monotonic()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    use_processes = connection is not None and processes >= 2 and spec.segments >= 2
    with _open_target(spec, state, resume) as f:
        state.save(state_path)  # from here on, an interruption is resumable
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
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
                cap = page.capacity(estimate_capacity)
                units = cap.total if cap else 0.0
                state.commit(page, len(data), lines, units, bool(cap and cap.estimated))
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
            staged_to_csv(spec.staging_path, Path(spec.out), schema.key.attributes)
        state_path.unlink(missing_ok=True)
        if spec.fmt == "csv":
            spec.staging_path.unlink(missing_ok=True)
    elif status == "capacity-cap":
        notes.append(
            f"stopped at the capacity cap ({format_units(progress.run_capacity)} of "
            f"{format_units(spec.max_capacity or 0)} RCU); continue with --resume"
        )
    return ExportResult(
        status,
        progress,
        Path(spec.out),
        None if state.complete else state_path,
        notes,
        billing_mode=schema.billing_mode,
        region=client.meta.region_name,
    )
