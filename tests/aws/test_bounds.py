"""Resource bounds: reads stream in bounded memory, a stuck request times out with a clear error, the
embedded engine never outlives its owner, and every file ddbtui writes is private (0600)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import tracemalloc
import urllib.request

import botocore.exceptions
import pytest

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.errors import describe_aws_error
from ddbtui.aws.export import ExportSpec, run_export
from ddbtui.aws.runner import PageRunner
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import BatchWriter, Journal
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.writes import WritePolicy
from tests import faults
from tests.conftest import create_table, table_names

N_BIG = 1500
PAYLOAD = "x" * 1000


@pytest.fixture(scope="module")
def big_table(moto_server, moto_client):
    """About 1.5 MB: enough that keeping every item shows against one page's worth."""
    name = "bounds_big"
    if name not in table_names(moto_client):
        create_table(moto_client, name, sk=None)
        with BatchWriter(moto_client, load_schema(moto_client, name), policy=WritePolicy(True)) as w:
            for i in range(N_BIG):
                w.put({"pk": {"S": f"{i:05d}"}, "p": {"S": PAYLOAD}})
    return name


def peak_while(fn) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


@pytest.mark.parametrize("segments", [1, 4])
def test_a_full_scan_streams_in_memory_of_a_few_pages(moto_client, big_table, segments):
    req = ReadRequest(operation="scan", table=big_table, page_size=50, segments=segments)
    built = build(req, load_schema(moto_client, big_table))

    def run():
        runner = PageRunner(moto_client, built)
        n = 0
        for page in runner.pages():
            n += len(page.items)  # the consumer drops each page: nothing in the runner may keep it
        return n

    peak, n = peak_while(run)
    assert n == N_BIG
    # the table holds ~1.6 MB as Python objects several times over; a page of 50 is ~100 KB
    assert peak < 1_200_000, f"peak {peak:,} B for a streamed scan"


def cli_scan_growth(endpoint: str, table: str, fmt: str, monkeypatch) -> int:
    """How much more memory `ddbtui scan` peaks at for the whole table than for one item (stdout to
    /dev/null). Each run builds a client, whose model loading alone peaks at ~10 MB: compare, don't sum."""
    from ddbtui.cli import main

    argv = ["scan", table, "--format", fmt, "--page-size", "50", "--endpoint-url", endpoint]
    with open(os.devnull, "w") as null:
        monkeypatch.setattr(sys, "stdout", null)
        monkeypatch.setattr(sys, "stderr", null)
        assert main([*argv, "--limit", "1"]) == 0  # warm-up: imports
        one, _code = peak_while(lambda: main([*argv, "--limit", "1"]))
        everything, code = peak_while(lambda: main(argv))
    assert code == 0
    return everything - one


def test_cli_jsonl_scan_streams_in_bounded_memory(moto_server, big_table, monkeypatch):
    growth = cli_scan_growth(moto_server.endpoint_url, big_table, "jsonl", monkeypatch)
    assert growth < 1_000_000, f"{growth:,} B more for {N_BIG} items than for one"


def test_cli_json_scan_streams_in_bounded_memory(moto_server, big_table, monkeypatch):
    growth = cli_scan_growth(moto_server.endpoint_url, big_table, "json", monkeypatch)
    assert growth < 1_000_000, f"{growth:,} B more for {N_BIG} items than for one"


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_cli_kept_formats_stop_at_a_row_cap_without_limit_and_say_so(
    moto_server, big_table, monkeypatch, capsys, fmt
):
    """csv and table keep their rows (columns first; a laid-out table): without --limit they stop at a cap."""
    import ddbtui.cli as cli
    import ddbtui.commands.read as read  # the read commands live here (#13)

    monkeypatch.setattr(read, "MAX_KEPT_ROWS", 100)
    argv = [
        "scan",
        big_table,
        "--format",
        fmt,
        "--page-size",
        "30",
        "--endpoint-url",
        moto_server.endpoint_url,
    ]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert "100 items" in err and "more available" in err and "stops at 100 items" in err
    if fmt == "csv":
        assert len(out.splitlines()) == 101  # header + the cap
    assert cli.main([*argv, "--limit", "120"]) == 0  # an explicit --limit is honoured past the cap
    out, err = capsys.readouterr()
    assert "120 items" in err and "stops at" not in err


# --------------------------------------------------------------------------------------------- timeouts


def test_a_stuck_request_times_out_with_a_clear_error(moto_server, moto_client, big_table):
    hang = lambda _n, _t: faults.ProxyRule("hang")  # noqa: E731 - accepts, reads, never answers
    with faults.FaultProxy(moto_server.endpoint_url, hang) as proxy:
        client = make_client(
            Connection(endpoint_url=proxy.url, region="us-east-1", read_timeout=0.5, max_attempts=1)
        )
        built = build(
            ReadRequest(operation="scan", table=big_table, page_size=10), load_schema(moto_client, big_table)
        )
        with pytest.raises(botocore.exceptions.ReadTimeoutError) as info:
            list(PageRunner(client, built).pages())
    assert [t for _n, t, _k in proxy.log] == ["Scan"]  # one attempt, given up after the read timeout
    message = describe_aws_error(info.value)
    assert message.startswith("ReadTimeoutError: ") and "Read timeout" in message


def test_the_cli_gives_up_on_a_stuck_request_after_timeout_and_max_attempts(moto_server, big_table, capsys):
    """--timeout bounds each try and --max-attempts the tries: a Scan that never answers is sent exactly
    twice, then one line and exit 3."""
    from ddbtui.cli import main

    def plan(_n, target):
        return faults.ProxyRule("hang" if target == "Scan" else "pass")

    with faults.FaultProxy(moto_server.endpoint_url, plan) as proxy:
        code = main(
            ["scan", big_table, "--timeout", "0.3", "--max-attempts", "2", "--endpoint-url", proxy.url]
        )
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("ddbtui: ReadTimeoutError: ")
    assert [t for _n, t, _k in proxy.log if t == "Scan"] == ["Scan", "Scan"]


@pytest.mark.parametrize("bad", [["--timeout", "0"], ["--timeout", "x"], ["--max-attempts", "0"]])
def test_timeout_and_attempts_are_checked(bad, capsys):
    from ddbtui.cli import main

    assert main(["tables", *bad, "--endpoint-url", "http://127.0.0.1:9"]) == 2
    assert "argument" in capsys.readouterr().err


def test_the_cli_reports_a_stuck_endpoint_on_connect_and_exits_3(capsys):
    """A port that accepts nothing: the connect timeout ends it; one line, exit 3 (not a hang)."""
    from ddbtui.cli import main

    code = main(["tables", "--endpoint-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and "127.0.0.1:9" in err


# --------------------------------------------------------------------------------------------- engine


def _serving(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=0.5)  # noqa: S310 - loopback
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _gone(url: str, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while _serving(url) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _serving(url)


@pytest.mark.parametrize(
    "ending",
    [
        "raise RuntimeError('crash inside the with block')",
        "os.kill(os.getpid(), signal.SIGTERM)",  # library use: no CLI handler turning it into an interrupt
        "os._exit(1)",  # no atexit, no unwinding
    ],
    ids=["exception", "sigterm-default", "os-exit"],
)
def test_the_embedded_engine_never_outlives_its_owner(ending):
    code = (
        "import os, signal\n"
        "from ddbtui.aws.embedded import MotoServer\n"
        "with MotoServer() as e:\n"
        "    print(e.endpoint_url, flush=True)\n"
        f"    {ending}\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    url = proc.stdout.strip()
    assert url.startswith("http://127.0.0.1:"), proc.stderr
    assert _gone(url)


def test_demo_cli_crash_stops_its_engine(tmp_path):
    """An unexpected exception in a --demo command (here: stdout closed under it) still stops moto."""
    code = (
        "import sys, threading\n"
        "import ddbtui.aws.embedded as emb\n"
        "urls = []\n"
        "orig = emb.MotoServer.start\n"
        "def start(self, *a, **k):\n"
        "    r = orig(self, *a, **k); urls.append(self.endpoint_url); sys.stderr.write(self.endpoint_url + '\\n')\n"
        "    sys.stderr.flush(); return r\n"
        "emb.MotoServer.start = start\n"
        "import ddbtui.cli as cli, ddbtui.commands.read as read\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "read._summary = boom\n"
        "sys.exit(cli.main(['--demo', 'scan', 'Music', '--limit', '1']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    url = next(line for line in proc.stderr.splitlines() if line.startswith("http://127.0.0.1:"))
    assert proc.returncode != 0 and "boom" in proc.stderr
    assert _gone(url)


# --------------------------------------------------------------------------------------------- files


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_journal_config_and_history_are_private(tmp_path, monkeypatch, loose_umask):
    from ddbtui.core.requests import ReadRequest as RR
    from ddbtui.core.writes import JournalRecord
    from ddbtui.ui.config import Config
    from ddbtui.ui.history import History

    monkeypatch.setenv("DDBTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DDBTUI_CONFIG_DIR", str(tmp_path / "config"))
    journal = Journal()
    journal.append(JournalRecord("t", {"pk": {"S": "a"}}, "put", None, {"pk": {"S": "a"}}, {}))
    assert _mode(journal.path) == 0o600
    assert _mode(journal.path.parent) & 0o077 == 0

    # a file that exists with loose permissions is tightened when written again
    os.chmod(journal.path, 0o644)
    journal.append(JournalRecord("t", {"pk": {"S": "b"}}, "put", None, {"pk": {"S": "b"}}, {}))
    assert _mode(journal.path) == 0o600

    config_path = tmp_path / "config" / "config.json"
    Config().save(config_path)
    assert _mode(config_path) == 0o600
    os.chmod(config_path, 0o644)
    Config(page_size=7).save(config_path)
    assert _mode(config_path) == 0o600

    history = History(tmp_path / "data" / "history.json")
    history.add(RR(operation="scan", table="t"))
    history.save()
    assert _mode(history.path) == 0o600
    assert json.loads(history.path.read_text())


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "ddb-json"])
def test_export_output_state_and_staging_are_private(moto_client, big_table, tmp_path, fmt, loose_umask):
    out = tmp_path / f"e.{fmt}"
    spec = ExportSpec(big_table, str(out), fmt=fmt, page_size=500)
    modes = set()

    def progress(_p):
        for path in (spec.state_path, spec.staging_path, out):
            if path.exists():
                modes.add((path.name, _mode(path)))

    assert run_export(moto_client, spec, on_progress=progress).complete
    assert modes and {m for _n, m in modes} == {0o600}, modes
    assert _mode(out) == 0o600
    assert not spec.state_path.exists() and not spec.staging_path.exists()
