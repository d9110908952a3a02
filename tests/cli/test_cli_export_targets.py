"""`ddbtui export --out` and `--resume` against hostile targets and state files; one CSV writer (#21 5, 6, 9,
11). The installed `ddbtui` in a subprocess, against the session's moto servers."""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli_export_report import DDBTUI, env, run
from tests.conftest import create_table, table_names

TABLE = "exp_targets"
N_ITEMS = 300
PARTIAL = ".ddbtui-partial"
STATE = ".ddbtui-state.json"
EXIT_CAPACITY_CAP = 4  # README: "4 export stopped at its --max-capacity"

ESC_VALUE = "\x1b[31mred"  # a real ESC
LITERAL_VALUE = "\\e[31mred"  # a backslash and an "e": six characters of plain text


@pytest.fixture(scope="module")
def server(moto_server, moto_client):
    if TABLE not in table_names(moto_client):
        create_table(moto_client, TABLE)
        for i in range(N_ITEMS):
            moto_client.put_item(
                TableName=TABLE,
                Item={"pk": {"S": f"p{i:04d}"}, "sk": {"S": "x"}, "pad": {"S": "y" * 300}},
            )
        moto_client.put_item(
            TableName=TABLE,
            Item={
                "pk": {"S": "zz-esc"},
                "sk": {"S": "x"},
                "esc": {"S": ESC_VALUE},
                "lit": {"S": LITERAL_VALUE},
                "both": {"S": 'a\\b,c"d\ne'},
            },
        )
    return moto_server.endpoint_url


def one_line_error(r) -> str:
    """The command failed with exactly one ``ddbtui:`` line and no traceback; returns it."""
    assert "Traceback" not in r.stderr, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("ddbtui: "), r.stderr
    return lines[0]


def all_lines(server, tmp_path) -> bytes:
    out = tmp_path / "reference.jsonl"
    r = run("export", TABLE, "--out", str(out), endpoint=server)
    assert r.returncode == 0, r.stderr
    return out.read_bytes()


# ---- 5: the target -----------------------------------------------------------------------------------


def test_an_existing_file_is_refused_unless_overwrite(server, tmp_path):
    out = tmp_path / "keep.jsonl"
    out.write_text("precious\n")
    os.chmod(out, 0o644)
    r = run("export", TABLE, "--out", str(out), endpoint=server)
    assert r.returncode == 2
    assert "exists" in one_line_error(r) and "--overwrite" in r.stderr
    assert out.read_text() == "precious\n" and stat.S_IMODE(out.stat().st_mode) == 0o644
    assert not Path(str(out) + STATE).exists() and not Path(str(out) + PARTIAL).exists()

    ok = run("export", TABLE, "--out", str(out), "--overwrite", endpoint=server)
    assert ok.returncode == 0, ok.stderr
    assert len(out.read_text().splitlines()) == N_ITEMS + 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["keep.jsonl"]  # no temp file, no state left


def test_the_old_file_stays_whole_until_the_new_one_is_complete(server, tmp_path):
    out = tmp_path / "keep.jsonl"
    out.write_text("precious\n")
    r = run("export", TABLE, "--out", str(out), "--overwrite", "--page-size", "50", "--max-capacity", "1",
            endpoint=server)  # fmt: skip
    assert r.returncode == EXIT_CAPACITY_CAP, r.stderr
    assert out.read_text() == "precious\n"  # stopped half way: the old file is untouched
    partial = Path(str(out) + PARTIAL)
    assert partial.stat().st_size > 0 and stat.S_IMODE(partial.stat().st_mode) == 0o600
    done = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text().splitlines()) == N_ITEMS + 1 and not partial.exists()


@pytest.fixture
def device(tmp_path):
    """A character device that is safe to probe: as root, a fresh node of /dev/null's device in tmp_path
    (chmodding it cannot touch /dev/null); otherwise /dev/null itself, which a user cannot chmod."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    node = tmp_path / "null-device"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return node


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_a_device_is_never_chmodded_or_written(server, device, overwrite):
    before = os.stat(device)
    r = run("export", TABLE, "--out", str(device), *(["--overwrite"] if overwrite else []), endpoint=server)
    assert r.returncode == 2
    assert "not a regular file" in one_line_error(r)
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_mode == before.st_mode
    assert not Path(str(device) + STATE).exists() and not Path(str(device) + PARTIAL).exists()


def test_dev_full_is_refused_and_leaves_nothing_in_dev(server):
    if os.geteuid() == 0:
        before = os.stat("/dev/full").st_mode
    r = run("export", TABLE, "--out", "/dev/full", "--overwrite", endpoint=server)
    assert r.returncode == 2 and "not a regular file" in one_line_error(r)
    assert not os.path.exists("/dev/full" + STATE) and not os.path.exists("/dev/full" + PARTIAL)
    if os.geteuid() == 0:
        assert os.stat("/dev/full").st_mode == before


def test_a_directory_is_one_line(server, tmp_path):
    r = run("export", TABLE, "--out", str(tmp_path), endpoint=server)
    assert r.returncode == 2 and "is a directory" in one_line_error(r)
    assert os.listdir(tmp_path) == []


def test_a_permission_error_is_one_line(server, tmp_path):
    if os.geteuid() == 0:
        target = Path("/sys/ddbtui-export.jsonl")  # sysfs refuses new files even to root
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "e.jsonl"
    r = run("export", TABLE, "--out", str(target), endpoint=server)
    assert r.returncode == 2
    line = one_line_error(r)
    assert "ermission denied" in line and str(target.parent) in line


@pytest.fixture
def small_fs(tmp_path):
    """A real 64 KB tmpfs (root only), or a read-only one."""

    def mount(options: str) -> Path:
        where = tmp_path / f"mnt-{options.replace(',', '-')}"
        where.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
        mounted.append(where)
        return where

    mounted: list[Path] = []
    yield mount
    for m in mounted:
        subprocess.run(["umount", str(m)], check=False)


def test_a_read_only_filesystem_is_one_line(server, small_fs):
    where = small_fs("size=64k,ro")
    r = run("export", TABLE, "--out", str(where / "e.jsonl"), endpoint=server)
    assert r.returncode == 2 and "read-only file system" in one_line_error(r).lower()


def test_a_full_disk_is_one_line_and_resumable(server, small_fs, tmp_path):
    where = small_fs("size=64k")
    out = where / "e.jsonl"
    r = run("export", TABLE, "--out", str(out), "--page-size", "20", endpoint=server)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert any("No space left on device" in x and x.startswith("ddbtui: ") for x in r.stderr.splitlines())
    assert not out.exists()  # only a complete export is renamed into place


# ---- 6: the resume state -----------------------------------------------------------------------------


def stopped_export(server, out: Path) -> Path:
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--max-capacity", "1", endpoint=server)
    assert "capacity cap" in r.stderr, r.stderr  # its exit status: test_capacity_cap_has_its_own_exit_status
    return Path(str(out) + STATE)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        (None, [1, 2], "JSON object"),
        ("committed_bytes", "abc", "committed_bytes"),
        ("committed_bytes", -5, "committed_bytes"),
        ("committed_bytes", True, "committed_bytes"),
        ("positions", "x", "positions"),
        ("positions", {"0": {"done": "no", "key": None}}, "positions"),
        ("positions", {"0": {"done": False, "key": {"pk": {"Q": 1}}}}, "positions"),
        ("identity", None, "identity"),
    ],
)
def test_a_bad_state_is_one_line(server, tmp_path, field, value, says):
    out = tmp_path / "e.jsonl"
    state = stopped_export(server, out)
    raw = json.loads(state.read_text())
    state.write_text(json.dumps(value if field is None else dict(raw, **{field: value})))
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert r.returncode == 2
    line = one_line_error(r)
    assert says in line and "--resume" not in line  # no advice to repeat what just failed


def test_a_state_that_disagrees_with_the_file_is_refused(server, tmp_path):
    out = tmp_path / "e.jsonl"
    state = stopped_export(server, out)
    raw = json.loads(state.read_text())
    partial = Path(raw["target"])
    size = partial.stat().st_size
    assert size == raw["committed_bytes"]
    # 10 bytes short: resume would cut the last line in half and call it done
    state.write_text(json.dumps(dict(raw, committed_bytes=raw["committed_bytes"] - 10)))
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert r.returncode == 2 and "line" in one_line_error(r)
    assert partial.stat().st_size == size  # nothing was truncated
    # exactly one line short: every line whole, but the count disagrees
    last = partial.read_bytes().splitlines(keepends=True)[-1]
    state.write_text(json.dumps(dict(raw, committed_bytes=raw["committed_bytes"] - len(last))))
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert r.returncode == 2 and "line" in one_line_error(r)
    # the true state still resumes
    state.write_text(json.dumps(raw))
    ok = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert ok.returncode == 0, ok.stderr
    assert len(out.read_text().splitlines()) == N_ITEMS + 1


@pytest.mark.xdist_group("demo")  # the demo server is seeded once, on the worker of this group
def test_a_state_from_another_database_is_refused(server, demo_server, tmp_path):
    from ddbtui.aws.session import Connection, make_client

    other = make_client(Connection(endpoint_url=demo_server.endpoint_url, region="us-east-1"))
    if TABLE not in table_names(other):
        create_table(other, TABLE)
        other.put_item(TableName=TABLE, Item={"pk": {"S": "elsewhere"}, "sk": {"S": "x"}})
    out = tmp_path / "e.jsonl"
    stopped_export(server, out)
    r = run(
        "export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=demo_server.endpoint_url
    )
    assert r.returncode == 2 and "endpoint" in one_line_error(r)
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", "--region", "eu-west-1",
            endpoint=server)  # fmt: skip
    assert r.returncode == 2 and "region" in r.stderr and "Traceback" not in r.stderr


# ---- 11: the exit status of a stopped export ---------------------------------------------------------


def test_capacity_cap_has_its_own_exit_status(server, tmp_path):
    out = tmp_path / "e.jsonl"
    r = run("export", TABLE, "--out", str(out), "--page-size", "50", "--max-capacity", "1", endpoint=server)
    assert r.returncode == EXIT_CAPACITY_CAP
    assert "capacity cap" in r.stderr and "--resume" in r.stderr
    done = run("export", TABLE, "--out", str(out), "--page-size", "50", "--resume", endpoint=server)
    assert done.returncode == 0, done.stderr
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "4 `export` stopped at its `--max-capacity`" in readme


# ---- 9: one lossless CSV writer ----------------------------------------------------------------------


def test_scan_and_export_csv_are_the_same_lossless_bytes(server, tmp_path):
    argv = ["--filter", "pk = :p", "--values", '{":p": "zz-esc"}']
    scanned = subprocess.run(
        [DDBTUI, "scan", TABLE, "--format", "csv", *argv, "--endpoint-url", server],
        capture_output=True, env=env(), timeout=120,
    )  # fmt: skip
    assert scanned.returncode == 0, scanned.stderr
    out = tmp_path / "e.csv"
    r = run("export", TABLE, "--out", str(out), "--format", "csv", *argv, endpoint=server)
    assert r.returncode == 0, r.stderr
    exported = out.read_bytes()
    assert scanned.stdout == exported
    text = exported.decode("utf-8")
    assert ESC_VALUE in text and LITERAL_VALUE in text  # both kept, and told apart
    assert text.count("\x1b") == 1 and text.count("\\e[31m") == 1
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["esc"] == ESC_VALUE and rows[0]["lit"] == LITERAL_VALUE
    assert rows[0]["both"] == 'a\\b,c"d\ne'


def test_scan_csv_on_a_terminal_shows_the_escape_not_the_byte(server):
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [DDBTUI, "scan", TABLE, "--format", "csv", "--filter", "pk = :p", "--values", '{":p": "zz-esc"}',
         "--endpoint-url", server],
        stdout=slave, stderr=subprocess.PIPE, env=env(),
    )  # fmt: skip
    os.close(slave)
    got = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read()
    assert b"\x1b" not in got and b"\\e[31mred" in got
