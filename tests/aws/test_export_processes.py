"""`ddbtui export --segments N` with the segments read in worker processes (ddbtui/aws/procsource.py).

The same output as the thread path (as a multiset of lines: segments interleave), every item exactly once
through transient faults, a clean stop with exit 3 and a resume with no gap and no duplicate after a
persistent one, and no worker process left behind by a cancel, ^C or a killed parent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.export import ExportSpec, ExportState, run_export
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import BatchWriter
from ddbtui.core.values import parse_plain_json
from ddbtui.core.writes import WritePolicy
from tests import faults
from tests.conftest import create_table

N_ITEMS = 120
PAGE = 5  # moto splits segments by partition key: ~40 items a segment, ~8 pages each
EXPECTED = {(f"P{i:03d}", "0") for i in range(N_ITEMS)}


def conn_for(endpoint: str, **kw) -> Connection:
    return Connection(endpoint_url=endpoint, region="us-east-1", **kw)


@pytest.fixture(scope="module")
def table(moto_server):
    """120 partitions (every segment gets items), with every attribute type the writers format."""
    client = make_client(conn_for(moto_server.endpoint_url))
    name = "export_procs"
    create_table(client, name)
    with BatchWriter(client, load_schema(client, name), policy=WritePolicy(True)) as w:
        for i in range(N_ITEMS):
            w.put(
                {
                    "pk": {"S": f"P{i:03d}"},
                    "sk": {"S": "0"},
                    "n": {"N": str(i * 1.5)},
                    "b": {"B": bytes([i, 0, 255])},
                    "ss": {"SS": ["b", "a", "é\u2028"]},
                    "m": {"M": {"x": {"L": [{"BOOL": True}, {"NULL": True}, {"NS": ["2", "10"]}]}}},
                    "bs": {"BS": [b"\x01", b"\x00"]},
                }
            )
    return name


def keys_of(path: Path, fmt: str = "jsonl") -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if fmt == "jsonl":
                item = parse_plain_json(line)
                out.append((item["pk"], item["sk"]))
            else:
                item = json.loads(line)
                out.append((item["pk"]["S"], item["sk"]["S"]))
    return out


def assert_exact(got, expected=EXPECTED) -> None:
    assert len(got) == len(set(got)), "duplicates"
    assert set(got) == expected, f"missing {len(expected - set(got))}, extra {len(set(got) - expected)}"


def cli(*argv: str) -> int:
    from ddbtui.cli import main

    return main(list(argv))


@pytest.mark.parametrize("fmt", ["jsonl", "ddb-json", "csv"])
def test_processes_write_the_same_lines_as_threads(moto_server, table, tmp_path, fmt):
    url = moto_server.endpoint_url
    threads, procs = tmp_path / f"threads.{fmt}", tmp_path / f"procs.{fmt}"
    common = ["export", table, "--format", fmt, "--segments", "3", "--page-size", str(PAGE)]
    assert cli(*common, "--out", str(threads), "--processes", "0", "--endpoint-url", url) == 0
    assert cli(*common, "--out", str(procs), "--processes", "3", "--endpoint-url", url) == 0
    a, b = threads.read_bytes().splitlines(), procs.read_bytes().splitlines()
    if fmt == "csv":
        assert a[0] == b[0]  # the same columns
        a, b = a[1:], b[1:]
    assert sorted(a) == sorted(b)  # byte-identical lines, order aside
    if fmt != "csv":
        assert_exact(keys_of(procs, fmt))
    assert len(b) == N_ITEMS
    assert not Path(str(procs) + ".ddbtui-state.json").exists()


def test_workers_count_like_threads(moto_server, table, tmp_path):
    """run_export with a Connection and processes=3: items, pages, bytes and capacity as with threads."""
    conn = conn_for(moto_server.endpoint_url)
    client = make_client(conn)
    spec_t = ExportSpec(table, str(tmp_path / "t.jsonl"), segments=3, page_size=PAGE)
    spec_p = ExportSpec(table, str(tmp_path / "p.jsonl"), segments=3, page_size=PAGE)
    rt = run_export(client, spec_t, estimate_capacity=True)
    rp = run_export(client, spec_p, estimate_capacity=True, connection=conn, processes=3)
    assert rt.complete and rp.complete
    for attr in ("items", "scanned", "pages", "bytes", "segments_done"):
        assert getattr(rt.progress, attr) == getattr(rp.progress, attr), attr
    assert rp.progress.capacity == pytest.approx(rt.progress.capacity)
    assert_exact(keys_of(Path(spec_p.out)))


@pytest.mark.parametrize(
    "rule",
    [
        faults.ProxyRule("status", status=503),
        faults.ProxyRule.aws_error("ProvisionedThroughputExceededException"),
    ],
    ids=["http503", "throttled"],
)
def test_transient_fault_in_a_worker_is_absorbed(moto_server, table, tmp_path, rule):
    out = tmp_path / "e.jsonl"
    plan = faults.on_requests({4, 9}, rule, target="Scan")
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = cli(
            "export", table, "--out", str(out), "--segments", "3", "--processes", "3",
            "--page-size", str(PAGE), "--endpoint-url", proxy.url,
        )  # fmt: skip
    assert code == 0
    assert any(kind == "status" for _n, _t, kind in proxy.log)
    assert_exact(keys_of(out))


def test_persistent_access_denied_stops_with_exit_3_and_resumes_exactly(moto_server, table, tmp_path, capsys):
    out = tmp_path / "e.jsonl"
    denied = faults.ProxyRule.aws_error("AccessDeniedException")
    plan = faults.on_requests(set(range(8, 10_000)), denied, target="Scan")  # from the 8th Scan on
    base = ["export", table, "--out", str(out), "--segments", "3", "--page-size", str(PAGE)]
    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = cli(*base, "--processes", "3", "--endpoint-url", proxy.url)
    err = capsys.readouterr().err
    assert code == 3
    assert "AccessDeniedException: injected (Scan)" in err and "Traceback" not in err and "--resume" in err
    state = ExportState.load(Path(str(out) + ".ddbtui-state.json"))
    assert 0 < state.committed_lines < N_ITEMS
    partial = Path(str(out) + ".ddbtui-partial")  # out itself appears only when complete (#21 5)
    assert len(keys_of(partial)) >= state.committed_lines  # anything past the commit is dropped on resume
    assert cli(*base, "--processes", "3", "--resume", "--endpoint-url", moto_server.endpoint_url) == 0
    assert_exact(keys_of(out))
    assert not Path(str(out) + ".ddbtui-state.json").exists()


def test_capacity_cap_stops_workers_and_resume_is_exact(moto_server, table, tmp_path):
    conn = conn_for(moto_server.endpoint_url)
    client = make_client(conn)
    spec = ExportSpec(table, str(tmp_path / "e.jsonl"), segments=3, page_size=PAGE, max_capacity=3)
    r = run_export(client, spec, estimate_capacity=True, connection=conn, processes=3)
    assert r.status == "capacity-cap"
    assert 0 < ExportState.load(spec.state_path).committed_lines < N_ITEMS
    assert not _workers_of(os.getpid())
    spec = ExportSpec(table, spec.out, segments=3, page_size=PAGE)
    r = run_export(client, spec, resume=True, estimate_capacity=True, connection=conn, processes=2)
    assert r.complete
    assert_exact(keys_of(Path(spec.out)))


# --------------------------------------------------------------------------------------------- processes


def _workers_of(pid: int) -> list[int]:
    """Live (not zombie) worker processes whose parent is ``pid``."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z" and b"ddbtui.aws.procsource" in cmd:
            found.append(int(d.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(cond, within: float = 60.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


def _start_slow_export(proxy_url: str, out: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "ddbtui", "export", "export_procs", "--out", str(out), "--segments", "3"]
    argv += ["--processes", "3", "--page-size", str(PAGE), "--endpoint-url", proxy_url]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _committed(out: Path) -> int:
    try:
        return ExportState.load(Path(str(out) + ".ddbtui-state.json")).committed_lines
    except Exception:  # noqa: BLE001 - not written yet, or being replaced
        return 0


@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_no_worker_outlives_the_export(moto_server, table, tmp_path, how):
    """^C: exit 130, workers reaped, resume exact. A SIGKILLed parent: its workers exit by themselves."""
    out = tmp_path / "e.jsonl"
    slow = lambda _n, t: faults.ProxyRule("pass", delay=0.2) if t == "Scan" else faults.ProxyRule("pass")  # noqa: E731
    with faults.FaultProxy(moto_server.endpoint_url, slow) as proxy:
        proc = _start_slow_export(proxy.url, out)
        try:
            assert _wait_for(lambda: _committed(out) > 0)
            workers = _workers_of(proc.pid)
            assert workers
            proc.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
            code = proc.wait(60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert _wait_for(lambda: not any(_alive(w) for w in workers), within=30)
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close() if proc.stderr else None
    if how == "sigint":
        assert code == 130, err
        assert "--resume" in err and "Traceback" not in err
    else:
        assert code == -signal.SIGKILL
    assert 0 < _committed(out) < N_ITEMS
    assert cli("export", table, "--out", str(out), "--segments", "3", "--page-size", str(PAGE), "--resume",
               "--endpoint-url", moto_server.endpoint_url) == 0  # fmt: skip
    assert_exact(keys_of(out))


def test_segments_alone_use_worker_processes(moto_server, table, tmp_path, monkeypatch):
    from ddbtui.aws import procsource

    spawned = []
    real = procsource.ProcessPages._spawn

    def spy(self, job):
        spawned.append(job.segments)
        return real(self, job)

    monkeypatch.setattr(procsource.ProcessPages, "_spawn", spy)
    out = tmp_path / "e.jsonl"
    assert (
        cli("export", table, "--out", str(out), "--segments", "3", "--endpoint-url", moto_server.endpoint_url)
        == 0
    )
    assert len(spawned) == procsource.default_processes(3)
    assert sorted(s for share in spawned for s in share) == [0, 1, 2]
    spawned.clear()
    assert cli("export", table, "--out", str(tmp_path / "t.jsonl"), "--segments", "3", "--processes", "1",
               "--endpoint-url", moto_server.endpoint_url) == 0  # fmt: skip
    assert spawned == []  # threads
    assert_exact(keys_of(out))


def test_a_worker_that_dies_stops_the_export_resumably(moto_server, table, tmp_path):
    from ddbtui.aws.procsource import WorkerFailed

    slow = lambda _n, t: faults.ProxyRule("pass", delay=0.1) if t == "Scan" else faults.ProxyRule("pass")  # noqa: E731
    spec = ExportSpec(table, str(tmp_path / "e.jsonl"), segments=3, page_size=PAGE)
    killed = []

    def kill_one(_progress) -> None:
        if not killed:
            victim = _workers_of(os.getpid())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    with faults.FaultProxy(moto_server.endpoint_url, slow) as proxy:
        conn = conn_for(proxy.url)
        with pytest.raises(WorkerFailed, match="worker process stopped"):
            run_export(make_client(conn), spec, connection=conn, processes=3, on_progress=kill_one)
    assert killed and not _workers_of(os.getpid())
    assert 0 < ExportState.load(spec.state_path).committed_lines < N_ITEMS
    conn = conn_for(moto_server.endpoint_url)
    assert run_export(make_client(conn), spec, resume=True, connection=conn, processes=3).complete
    assert_exact(keys_of(Path(spec.out)))
