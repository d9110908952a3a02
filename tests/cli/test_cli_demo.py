"""`--demo` end to end: the installed command starts its own moto server, seeds it, answers, and stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

from tests.cli.test_cli_read import DDBTUI


def _engines_marked(mark: str) -> list[int]:
    """PIDs of live processes whose environment carries ``mark`` (the demo's child engine inherits it)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (
                mark.encode() in (proc / "environ").read_bytes()
                and b"moto.server" in (proc / "cmdline").read_bytes()
            ):
                state = (proc / "stat").read_text().split(") ", 1)[1][0]
                if state != "Z":
                    pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _env(mark: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["DDBTUI_TEST_MARK"] = mark
    return env


def test_demo_query_answers_and_stops_its_server():
    mark = uuid.uuid4().hex
    r = subprocess.run(
        [DDBTUI, "--demo", "query", "Music", "--key", "Artist = 'Miles Ahead Quartet'", "--format", "json"],
        capture_output=True, text=True, env=_env(mark), timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["count"] > 0 and all(i["Artist"] == "Miles Ahead Quartet" for i in doc["items"])
    assert doc["consumed_capacity"]["estimated"] is True
    assert _engines_marked(mark) == []


def test_demo_tables_lists_both_demo_tables():
    r = subprocess.run(
        [DDBTUI, "--demo", "tables"], capture_output=True, text=True, env=_env("x"), timeout=120
    )
    assert r.returncode == 0, r.stderr
    rows = {json.loads(line)["name"]: json.loads(line) for line in r.stdout.splitlines()}
    assert set(rows) == {"Shop", "Music"}
    # not loaded for a listing, but listed with the counts and sizes the loaded tables have
    from ddbtui.aws import demo_data
    from ddbtui.core.capacity import item_size

    for name, row in rows.items():
        assert row["item_count"] == demo_data.item_count(name)
        assert row["size_bytes"] == sum(item_size(it) for it in demo_data.items(name))


def test_demo_interrupted_exits_130_and_stops_its_server():
    mark = uuid.uuid4().hex
    proc = subprocess.Popen(
        [DDBTUI, "--demo", "scan", "Shop", "--page-size", "5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(mark),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not _engines_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _engines_marked(mark), "the demo engine never started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    deadline = time.monotonic() + 10
    while _engines_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _engines_marked(mark) == []


def test_demo_terminated_stops_its_server():
    mark = uuid.uuid4().hex
    proc = subprocess.Popen(
        [DDBTUI, "--demo", "scan", "Shop", "--page-size", "5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(mark),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not _engines_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _engines_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _engines_marked(mark) == []
