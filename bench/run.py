"""ddbtui's benchmark, one command: every figure measured side by side in one run, as a ratio to a baseline.

    .venv/bin/python bench/run.py            # 100,000 items, 3 repetitions (median), ~10 minutes
    .venv/bin/python bench/run.py --quick    # 20,000 items: a smoke run of the same table

Prints one table and writes bench/RESULTS.md (machine, versions, table, analysis). Each contender runs as
its own subprocess against ``bench/replay_server.py`` (another subprocess), and is measured with
``os.wait4``: wall time, CPU seconds (user + system) and peak RSS of that process alone. Repetitions are
interleaved (A B C, A B C, …) so a busy neighbour hurts every contender alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
TABLE = "Shop"
ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "PYTHONDONTWRITEBYTECODE": "1",
}
for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
    ENV.pop(var, None)

# "The usual user code": a boto3 paginator, TypeDeserializer, json.dumps of the plain values.
BOTO3_PAGINATOR = r"""
import base64, json, sys
from decimal import Decimal
import boto3
from boto3.dynamodb.types import Binary, TypeDeserializer

def default(o):
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() else float(o)
    if isinstance(o, (set, frozenset)):
        return sorted(default(x) if isinstance(x, (Decimal, Binary, bytes)) else x for x in o)
    if isinstance(o, Binary):
        return base64.b64encode(o.value).decode()
    if isinstance(o, bytes):
        return base64.b64encode(o).decode()
    return str(o)

url, table, out = sys.argv[1:4]
client = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1")
des = TypeDeserializer()
with open(out, "w", encoding="utf-8") as f:
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            plain = {k: des.deserialize(v) for k, v in item.items()}
            f.write(json.dumps(plain, default=default, ensure_ascii=False) + "\n")
"""

# ddbtui's export before the fast path: botocore's parsed items and values.item_to_plain_json.
DDBTUI_PLAIN = r"""
import sys
from ddbtui.aws.export import ExportSpec, run_export
from ddbtui.aws.session import Connection, make_client
url, table, out = sys.argv[1:4]
client = make_client(Connection(endpoint_url=url, region="us-east-1", capacity_mode="reported"))
run_export(client, ExportSpec(table, out), fast=False)
"""

# Time from process start to the workbench showing the tables list (headless, App.run_test).
UI_TABLES = r"""
import asyncio, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from ddbtui.aws.session import Connection, make_client
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.widgets.tables_pane import TablesPane

async def main():
    engine = None
    if sys.argv[1] == "demo":
        from ddbtui.aws.embedded import MotoServer
        engine = MotoServer()
        engine.spawn()
        conn = Connection(endpoint_url=engine.endpoint_url, region="us-east-1", demo=True)
    else:
        conn = Connection(endpoint_url=sys.argv[1], region="us-east-1")
    app = DdbtuiApp(make_client(conn), conn, engine=engine, seed=engine is not None)
    try:
        async with app.run_test(size=(120, 40)):
            deadline = time.monotonic() + 120
            while not app.query_one(TablesPane).names and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            if not app.query_one(TablesPane).names:
                raise SystemExit("no tables on screen after 120 s")
            print(f"{time.time() - t0:.4f}", flush=True)
    finally:
        if engine is not None:
            engine.stop()
        os._exit(0)  # the table-describing worker may still be running: the figure is taken

asyncio.run(main())
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    out: str = ""


@dataclass
class Row:
    section: str
    what: str
    runs: list[Run] = field(default_factory=list)
    items: int | None = None  # items/s shown when set
    value: float | None = None  # a figure that is not a process' wall time (e.g. reported seconds)
    unit: str = "s"
    baseline: Row | None = None
    ratio_of: str = "items/s"  # or "time"
    target: str = ""
    note: str = ""

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs) if self.runs else float("nan")

    @property
    def rate(self) -> float:
        return (self.items or 0) / self.median("wall")

    def headline(self) -> str:
        if self.value is not None:
            return f"{self.value:,.3f} {self.unit}"
        if self.items:
            return f"{self.rate:,.0f} items/s"
        return f"{self.median('wall'):.3f} s"

    def ratio(self) -> str:
        if self.baseline is None:
            return "1.00 (base)" if self.ratio_of != "none" else ""
        if self.ratio_of == "items/s":
            return f"{self.rate / self.baseline.rate:.2f}×"
        mine = self.value if self.value is not None else self.median("wall")
        base = self.baseline.value if self.baseline.value is not None else self.baseline.median("wall")
        return f"{mine / base:.2f}×"


def measure(
    argv: list[str], stdout: Path | None = None, env: dict[str, str] | None = None, check: bool = True
) -> Run:
    """Run one process; its own wall time, CPU seconds and peak RSS (os.wait4, not the children total)."""
    with tempfile.TemporaryFile() as err_f, tempfile.TemporaryFile() as cap_f:
        out_f = stdout.open("wb") if stdout else cap_f
        try:
            t0 = time.perf_counter()
            # GNU time in between: a child's peak RSS counts what it inherited at fork (the parent's pages),
            # so it must be forked from a small process; time's own CPU figures include its child's
            proc = subprocess.Popen(
                ["/usr/bin/time", "-f", "@@RSS %M", *argv],
                stdout=out_f,
                stderr=err_f,
                env={**(env or ENV), "BENCH_T0": str(time.time())},
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout:
                out_f.close()
        cap_f.seek(0)
        err_f.seek(0)
        captured, err = cap_f.read(), err_f.read()
    if check and proc.returncode != 0:
        label = " ".join(a[:40] for a in argv[:4])
        raise RuntimeError(f"{label}… exited {proc.returncode}: {err.decode(errors='replace')[-800:]}")
    rss = [line for line in err.decode(errors="replace").splitlines() if line.startswith("@@RSS ")]
    return Run(wall, usage.ru_utime + usage.ru_stime, int(rss[-1].split()[1]) / 1024, captured.decode())


def clean(path: Path) -> None:
    for p in (path, Path(str(path) + ".ddbtui-state.json")):
        p.unlink(missing_ok=True)


def start_server(items: int, latencies: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc = subprocess.Popen(
        [PY, str(ROOT / "bench" / "replay_server.py"), "--items", str(items), "--latency-ms", latencies],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        raise RuntimeError("the replay server did not start")
    return proc, json.loads(line)["urls"]


def server_ceiling(items: int) -> dict[str, float]:
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "replay_server.py"), "--items", str(items), "--selftest"],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    return json.loads(out.stdout)


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


# ------------------------------------------------------------------------------------------- sections


def export_rows(urls: dict[str, str], items: int, reps: int, tmp: Path) -> list[Row]:
    rows: list[Row] = []
    ddbtui = str(BIN / "ddbtui")
    aws = str(BIN / "aws")
    for lat in ("0", "50"):
        url = urls[lat]
        sec = f"export → JSONL, {lat} ms latency"
        out = tmp / f"out-{lat}.jsonl"
        contenders: list[tuple[Row, list[str], Path | None]] = []
        base = Row(sec, "boto3 paginator + TypeDeserializer + json.dumps", items=items)
        contenders.append((base, [PY, "-c", BOTO3_PAGINATOR, url, TABLE, str(out)], None))
        cli_row = Row(sec, "aws dynamodb scan > file", items=items, baseline=base)
        if lat == "0":
            cli_row.target = "ddbtui(1) ≥ 3× this"
        argv_cli = [aws, "dynamodb", "scan", "--table-name", TABLE, "--endpoint-url", url, "--output", "json"]
        contenders.append((cli_row, argv_cli, out))
        if lat == "0":
            plain = Row(sec, "ddbtui export, botocore parsing (before)", items=items, baseline=base)
            contenders.append((plain, [PY, "-c", DDBTUI_PLAIN, url, TABLE, str(out)], None))
        one: Row | None = None
        for n in (1, 2, 4, 8):
            r = Row(sec, f"ddbtui export --segments {n}", items=items, baseline=base)
            if n == 1:
                one = r
                if lat == "0":
                    r.target = "≥ 1.5× boto3, ≥ 3× aws"
            argv = [
                ddbtui,
                "export",
                TABLE,
                "--out",
                str(out),
                "--endpoint-url",
                url,
                "--capacity",
                "reported",
            ]
            contenders.append((r, [*argv, "--segments", str(n)], None))
            if lat == "50" and n > 1:
                r.note = "seg-scaling"
                # the same segments as threads of one process (the path before worker processes)
                t = Row(sec, f"ddbtui export --segments {n} --processes 0", items=items, baseline=base)
                t.note = "seg-scaling"
                contenders.append((t, [*argv, "--segments", str(n), "--processes", "0"], None))
        if lat == "0":  # the same scan, then the staged pages converted to Parquet (pyarrow: ddbtui[parquet])
            pq_row = Row(sec, "ddbtui export --format parquet", items=items, baseline=base)
            contenders.append((pq_row, [*argv[:-2], "--format", "parquet", *argv[-2:]], None))
        for _ in range(reps):
            for row, argv, stdout in contenders:
                clean(out)
                row.runs.append(measure(argv, stdout))
                if "--format parquet" in row.what:
                    import pyarrow.parquet as pq

                    got = pq.ParquetFile(out).metadata.num_rows
                else:
                    got = count_lines(out) if stdout is None else len(json.loads(out.read_text())["Items"])
                if got != items:
                    raise RuntimeError(f"{row.what}: {got} items, expected {items}")
        if lat == "50":
            assert one is not None
            for row, _, _ in contenders:
                if row.note == "seg-scaling":
                    n = int(row.what.split("--segments ", 1)[1].split()[0])
                    row.note = f"{row.rate / one.rate:.2f}× of 1 segment = {row.rate / one.rate / n:.2f}·N"
                    row.target = "≥ 0.8·N× one segment"
        rows += [c[0] for c in contenders]
        clean(out)
    return rows


def scan_rows(url: str, items: int, reps: int, tmp: Path, export_base: Row | None) -> list[Row]:
    ddbtui = str(BIN / "ddbtui")
    sec = f"headless scan, {items:,} items, 0 ms"
    rows = []
    for fmt in ("jsonl", "json"):
        r = Row(sec, f"ddbtui scan --format {fmt} > file", items=items, baseline=export_base)
        rows.append(r)
    out = tmp / "scan.out"
    for _ in range(reps):
        for r, fmt in zip(rows, ("jsonl", "json"), strict=True):
            argv = [ddbtui, "scan", TABLE, "--format", fmt, "--endpoint-url", url, "--capacity", "reported"]
            r.runs.append(measure(argv, out))
    out.unlink(missing_ok=True)
    return rows


def ui_rows(items: int) -> tuple[list[Row], str]:
    """bench/ui_stall.py at ``items`` and at a tenth of it: the RSS difference / items is per retained item."""
    small = max(items // 10, 5000)
    # ui_stall exits 1 when a stall is over its target: a result, not a failure
    big_run = measure([PY, str(ROOT / "bench" / "ui_stall.py"), "--items", str(items)], check=False)
    small_run = measure([PY, str(ROOT / "bench" / "ui_stall.py"), "--items", str(small)], check=False)
    rows = []
    for line in big_run.out.splitlines():
        m = re.match(r"(.{24}) +([\d.]+) +([\d.]+) +([\d.]+) +(\d+) +([\d.]+)  ?(.*)", line)
        if m:
            r = Row("UI (bench/ui_stall.py)", f"longest stall: {m.group(1).strip()}", value=float(m.group(2)))
            r.unit, r.ratio_of, r.target = "ms", "none", "≤ 50 ms"
            r.note = f"p99 {m.group(3)} ms; {m.group(7)}"
            rows.append(r)
    per_item = (big_run.rss_mb - small_run.rss_mb) * 1024 * 1024 / (items - small)
    mem = Row("UI (bench/ui_stall.py)", "memory per retained item", value=per_item, ratio_of="none")
    mem.unit = "B"
    mem.note = f"(RSS {big_run.rss_mb:.0f} MB at {items:,} − {small_run.rss_mb:.0f} MB at {small:,}) / items"
    rows.append(mem)
    return rows, big_run.out


def startup_rows(url: str, reps: int) -> list[Row]:
    ddbtui = str(BIN / "ddbtui")
    sec = "start-up"
    base = Row(sec, "python -c pass")
    help_row = Row(sec, "ddbtui --help", baseline=base, ratio_of="time", target="≤ 0.3 s")
    tables = Row(sec, "ddbtui tables (replay server)", baseline=base, ratio_of="time")
    ui = Row(sec, "workbench: process start → tables list on screen", baseline=base, ratio_of="time")
    demo_cli = Row(sec, "ddbtui --demo tables", baseline=base, ratio_of="time")
    demo_ui = Row(sec, "--demo workbench: start → tables on screen", baseline=base, ratio_of="time")
    plan = [
        (base, [PY, "-c", "pass"], 5),
        (help_row, [ddbtui, "--help"], 5),
        (tables, [ddbtui, "tables", "--endpoint-url", url, "--format", "json"], reps),
        (ui, [PY, "-c", UI_TABLES, url], reps),
        (demo_cli, [ddbtui, "--demo", "tables", "--format", "json"], reps),
        (demo_ui, [PY, "-c", UI_TABLES, "demo"], reps),
    ]
    for i in range(max(n for _, _, n in plan)):
        for row, argv, n in plan:
            if i < n:
                run = measure(argv)
                if argv[-1] in (url, "demo") and row in (ui, demo_ui):
                    run.wall = float(run.out.strip().splitlines()[-1])  # until the rows show, not exit
                row.runs.append(run)
    return [base, help_row, tables, ui, demo_cli, demo_ui]


# ------------------------------------------------------------------------------------------- report


def render(rows: list[Row]) -> str:
    head = ["section", "what", "median", "ratio", "CPU s", "peak RSS MB", "target", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cpu = f"{r.median('cpu'):.2f}" if r.runs else ""
        rss = f"{max(x.rss_mb for x in r.runs):.0f}" if r.runs else ""
        cells = [r.section, r.what, r.headline(), r.ratio(), cpu, rss, r.target, r.note]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def versions() -> str:
    from importlib.metadata import version

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("boto3", "botocore", "textual", "moto", "awscli"))
    return (
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}\n- machine: {os.cpu_count()} CPUs (nproc "
        f"{len(os.sched_getaffinity(0))}), {cpu}, {platform.platform()}\n- python {platform.python_version()}, "
        f"{pkgs}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="20,000 items: a smoke run")
    ap.add_argument("--items", type=int, help="items in the table (default 100,000; 20,000 with --quick)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions, median taken (default 3)")
    ap.add_argument("--only", help="comma-separated sections: server,export,scan,ui,startup")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = ap.parse_args()
    items = args.items or (20_000 if args.quick else 100_000)
    only = set((args.only or "server,export,scan,ui,startup").split(","))
    if not shutil.which("aws", path=str(BIN)):
        print("awscli is not installed in the venv: pip install awscli", file=sys.stderr)
        return 2
    rows: list[Row] = []
    ceiling = server_ceiling(items) if "server" in only else None
    if ceiling:
        r = Row(
            "replay server", "its ceiling: raw http.client, bodies not parsed", value=ceiling["items_per_s"]
        )
        r.unit, r.ratio_of = "items/s", "none"
        r.note = f"{ceiling['items']:,} items in {ceiling['seconds']:.3f} s, 1 MB pages"
        rows.append(r)
        print(render(rows), flush=True)
    server, urls = start_server(items, "0,50")
    ui_text = ""
    try:
        with tempfile.TemporaryDirectory(prefix="ddbtui-bench-") as d:
            tmp = Path(d)
            base = None
            if "export" in only:
                ex = export_rows(urls, items, args.reps, tmp)
                rows += ex
                base = ex[0]
                print(render(rows), flush=True)
            if "scan" in only:
                rows += scan_rows(urls["0"], items, args.reps, tmp, base)
            if "startup" in only:
                rows += startup_rows(urls["0"], args.reps)
            if "ui" in only:
                ui, ui_text = ui_rows(items)
                rows += ui
    finally:
        server.terminate()
        server.wait()
    table = render(rows)
    print(table)
    doc = (
        "# ddbtui benchmark results\n\n"
        f"`.venv/bin/python bench/run.py{' --quick' if args.quick else ''}` — {items:,} items, median of "
        f"{args.reps} interleaved repetitions, each contender a subprocess against `bench/replay_server.py` "
        "(1 MB pages of the demo Shop items, in another process). Ratios: items/s against the boto3 "
        "paginator of the same latency; start-up times against `python -c pass`. ddbtui runs with "
        "`--capacity reported`, as it does against AWS (on a loopback endpoint it would size every item "
        "for its own estimate).\n\n"
        f"{versions()}\n\n{table}\n\n"
        + (f"bench/ui_stall.py output:\n\n```\n{ui_text.strip()}\n```\n\n" if ui_text else "")
        + ANALYSIS_MARK
        + "\n"
    )
    path = Path(args.out)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if ANALYSIS_MARK in old:  # keep the hand-written analysis below the mark
        doc = doc.replace(ANALYSIS_MARK + "\n", ANALYSIS_MARK + old.split(ANALYSIS_MARK, 1)[1])
    path.write_text(doc, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


ANALYSIS_MARK = "## Analysis"


if __name__ == "__main__":
    sys.exit(main())
