"""`ddbtui export`, `report` and `stream` as installed, in a subprocess, against real servers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.aws.test_export import PREFIX, seed_demo
from tests.conftest import create_table, table_names

# the demo server (seeded with 12k items) lives on one xdist worker: see pyproject's --dist loadgroup
pytestmark = pytest.mark.xdist_group("demo")

DDBTUI = shutil.which("ddbtui", path=str(Path(sys.executable).parent)) or "ddbtui"
SHOP, MUSIC = PREFIX + "Shop", PREFIX + "Music"


def env() -> dict:
    e = dict(os.environ)
    e.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"})
    e.pop("AWS_ENDPOINT_URL", None)
    return e


def run(*args: str, endpoint: str | None = None, timeout: float = 180, text: bool = True):
    argv = [DDBTUI, *args] + (["--endpoint-url", endpoint] if endpoint else [])
    return subprocess.run(argv, capture_output=True, text=text, env=env(), timeout=timeout)


def start(*args: str, endpoint: str) -> subprocess.Popen:
    return subprocess.Popen(
        [DDBTUI, *args, "--endpoint-url", endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def wait_for_progress(state: Path, proc: subprocess.Popen, timeout: float = 120) -> int:
    """Wait until the export has committed at least one page; returns the committed line count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            lines = json.loads(state.read_text())["committed_lines"]
        except (OSError, ValueError):
            lines = 0
        if lines > 0:
            return lines
        time.sleep(0.05)
    raise AssertionError("the export made no progress")


@pytest.fixture(scope="module")
def moto(demo_server, demo_client):
    seed_demo(demo_client)
    return demo_server.endpoint_url


@pytest.fixture(scope="module")
def music_scan(moto):
    r = run("scan", MUSIC, "--format", "jsonl", endpoint=moto, text=False)
    assert r.returncode == 0, r.stderr
    return r.stdout


# --------------------------------------------------------------------------------------------- export


@pytest.mark.ddblocal
def test_export_is_byte_identical_to_scan_jsonl(ddblocal_demo, tmp_path):
    # the demo's Shop (11k items: every type, sparse attributes, large items) on AWS's own engine
    shop = "demo_Shop"
    scan = run("scan", shop, "--format", "jsonl", endpoint=ddblocal_demo, text=False)
    assert scan.returncode == 0, scan.stderr
    out = tmp_path / "shop.jsonl"
    r = run("export", shop, "--out", str(out), endpoint=ddblocal_demo)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == scan.stdout
    assert "exported 11,285 items" in r.stderr
    assert "RCU" in r.stderr and "(est.)" not in r.stderr  # DynamoDB Local's own figures (#19 defect 4)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not Path(str(out) + ".ddbtui-state.json").exists()


def test_csv_export_is_byte_identical_to_scan_csv(moto, tmp_path):
    scan = run("scan", MUSIC, "--format", "csv", endpoint=moto, text=False)
    out = tmp_path / "music.csv"
    r = run("export", MUSIC, "--out", str(out), "--format", "csv", endpoint=moto)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == scan.stdout


def test_export_killed_midway_resumes_with_no_duplicate_or_gap(moto, tmp_path, music_scan):
    out = tmp_path / "music.jsonl"
    state = Path(str(out) + ".ddbtui-state.json")
    args = ("export", MUSIC, "--out", str(out), "--segments", "4", "--page-size", "25")
    proc = start(*args, endpoint=moto)
    committed = wait_for_progress(state, proc)
    proc.kill()  # SIGKILL: no cleanup at all
    proc.wait()
    assert 0 < committed < 997
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    r = run(*args, "--resume", endpoint=moto)
    assert r.returncode == 0, r.stderr
    got = out.read_bytes().splitlines()
    assert len(got) == len(set(got)) == 997
    assert set(got) == set(music_scan.splitlines())


def test_ctrl_c_exits_130_with_the_resume_command(moto, tmp_path, music_scan):
    out = tmp_path / "m.jsonl"
    args = ("export", MUSIC, "--out", str(out), "--page-size", "40")
    proc = start(*args, endpoint=moto)
    wait_for_progress(Path(str(out) + ".ddbtui-state.json"), proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    r = run(*args, "--resume", endpoint=moto)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == music_scan


def test_capacity_cap_stops_cleanly_then_resume_completes(moto, tmp_path, music_scan):
    out = tmp_path / "m.jsonl"
    r = run("export", MUSIC, "--out", str(out), "--page-size", "100", "--max-capacity", "2", endpoint=moto)
    assert r.returncode == 4, r.stderr  # stopped, not done (#21 11)
    assert "partly exported" in r.stderr and "capacity cap" in r.stderr and "--resume" in r.stderr
    assert not out.exists()  # the pages are in the partial file until the export is complete (#21 5)
    assert 0 < len(Path(str(out) + ".ddbtui-partial").read_bytes()) < len(music_scan)
    again = run("export", MUSIC, "--out", str(out), "--page-size", "100", endpoint=moto)
    assert again.returncode == 2 and "--resume" in again.stderr
    done = run("export", MUSIC, "--out", str(out), "--page-size", "100", "--resume", endpoint=moto)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == music_scan


def test_export_errors_have_exit_codes(moto, tmp_path):
    missing = run("export", "no_such_table", "--out", str(tmp_path / "x"), endpoint=moto)
    assert missing.returncode == 3 and "ResourceNotFoundException" in missing.stderr
    bad = run("export", MUSIC, "--out", str(tmp_path / "y"), "--filter", "Year >", endpoint=moto)
    assert bad.returncode == 2 and "column" in bad.stderr
    nothing = run("export", MUSIC, "--out", str(tmp_path / "z"), "--resume", endpoint=moto)
    assert nothing.returncode == 2 and "nothing to resume" in nothing.stderr


def test_export_with_demo_backend(tmp_path):
    out = tmp_path / "music.jsonl"
    r = run("--demo", "export", "Music", "--out", str(out), "--format", "ddb-json", "--segments", "2")
    assert r.returncode == 0, r.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 997


# --------------------------------------------------------------------------------------------- report


def test_report_json_on_the_demo_shop(moto):
    r = run("report", SHOP, "--format", "json", "--sample", "1000", "--no-census", endpoint=moto)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["table"] == SHOP and doc["sample"]["items"] == 1000
    assert doc["sample"]["key_census"] is None  # --no-census: the sample's counts only
    ids = {f["id"] for f in doc["findings"]}
    assert {"hot-partition", "pitr-off", "deletion-protection-off", "sparse-gsi:FlaggedIndex"} <= ids
    assert doc["configuration"]["contributor_insights"]["status"] == "unknown"
    assert "findings:" in r.stderr


def test_report_markdown_and_errors(moto):
    r = run("report", MUSIC, "--sample", "300", endpoint=moto)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"# Table report: {MUSIC}") and "## Findings" in r.stdout
    assert "GenreIndex" in r.stdout
    missing = run("report", "no_such_table", endpoint=moto)
    assert (
        missing.returncode == 3
        and "ResourceNotFoundException" in missing.stderr
        and "Traceback" not in missing.stderr
    )


def test_report_on_dynamodb_local_marks_missing_apis_unknown(ddblocal_server, ddblocal_client):
    name = "cli_report_local"
    if name not in table_names(ddblocal_client):
        create_table(ddblocal_client, name)
        ddblocal_client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "b"}})
    r = run("report", name, "--format", "json", endpoint=ddblocal_server.endpoint_url)
    assert r.returncode == 0, r.stderr
    cfg = json.loads(r.stdout)["configuration"]
    assert cfg["point_in_time_recovery"]["status"] == "unknown"
    assert "does not implement" in cfg["tags"]["reason"]


# --------------------------------------------------------------------------------------------- stream


@pytest.fixture(params=["moto", "ddblocal"])
def streamed(request, table_name):
    server = request.getfixturevalue(f"{request.param}_server")
    client = request.getfixturevalue(f"{request.param}_client")
    create_table(client, table_name)
    client.update_table(
        TableName=table_name,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return server.endpoint_url, client, table_name


def test_stream_tails_changes_made_by_another_client(streamed):
    endpoint, client, name = streamed
    proc = start(
        "stream", name, "--max-records", "3", "--idle-timeout", "30", "--poll", "0.1", endpoint=endpoint
    )
    ready = proc.stderr.readline()
    assert "tailing" in ready and "from now" in ready
    key = {"pk": {"S": "C#1"}, "sk": {"S": "A"}}
    client.put_item(TableName=name, Item={**key, "v": {"N": "1"}, "note": {"S": "\x1b[2Jhi"}})
    client.update_item(
        TableName=name, Key=key, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}}
    )
    client.delete_item(TableName=name, Key=key)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["event"] for e in events] == ["INSERT", "MODIFY", "REMOVE"]
    assert events[0]["keys"] == {"pk": "C#1", "sk": "A"} and events[0]["new"]["note"] == "\x1b[2Jhi"
    assert events[1]["changed"] == ["v"] and events[1]["old"]["v"] == 1 and events[1]["new"]["v"] == 2
    assert events[2]["new"] is None and events[2]["time"].endswith("Z")
    assert "\x1b" not in out  # JSON escapes it
    assert "3 records" in err


def test_stream_text_lines_escape_table_data(streamed):
    endpoint, client, name = streamed
    client.put_item(TableName=name, Item={"pk": {"S": "[red]x\x1b]52;c;AAAA\x07"}, "sk": {"S": "1"}})
    client.update_item(
        TableName=name,
        Key={"pk": {"S": "[red]x\x1b]52;c;AAAA\x07"}, "sk": {"S": "1"}},
        UpdateExpression="SET evil = :e",
        ExpressionAttributeValues={":e": {"S": "\u202egnp.exe"}},
    )
    r = run(
        "stream",
        name,
        "--from-start",
        "--format",
        "text",
        "--idle-timeout",
        "2",
        "--poll",
        "0.2",
        endpoint=endpoint,
    )
    assert r.returncode == 0, r.stderr
    assert "INSERT" in r.stdout and "MODIFY" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout
    assert "\\e]52" in r.stdout and "+evil=\\u202egnp.exe" in r.stdout


def test_stream_ctrl_c_exits_130(streamed):
    endpoint, _client, name = streamed
    proc = subprocess.Popen(
        [DDBTUI, "stream", name, "--poll", "0.1", "--endpoint-url", endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env(), "DDBTUI_DUMP_STACKS": "1"},
    )
    assert "tailing" in proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # still running: show where it is stuck, then fail
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"ddbtui stream ignored SIGINT for 30 s; its threads:\n{err}")
    assert proc.returncode == 130 and "Traceback" not in err


def test_stream_off_exits_2_with_the_command_to_enable_it(moto_server, moto_client, table_name):
    create_table(moto_client, table_name)
    r = run("stream", table_name, endpoint=moto_server.endpoint_url)
    assert r.returncode == 2
    assert (
        f"aws dynamodb update-table --table-name {table_name} "
        "--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"
    ) in r.stderr
