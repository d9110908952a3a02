"""The embedded engines: they serve, survive the thread that started them, and never outlive ddbtui."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from ddbtui.aws.embedded import MotoServer


def _serving(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def test_engine_started_from_a_worker_thread_outlives_the_thread():
    engine = MotoServer()
    t = threading.Thread(target=engine.start)
    t.start()
    t.join()
    try:
        # the watchdog polls every 0.2 s: the server must answer through several of its polls
        for _ in range(8):
            assert _serving(engine.endpoint_url)
            time.sleep(0.1)
    finally:
        engine.stop()
    assert not _serving(engine.endpoint_url)


def test_engine_dies_when_its_owner_is_killed():
    code = (
        "import os, signal, sys\n"
        "from ddbtui.aws.embedded import MotoServer\n"
        "e = MotoServer().start()\n"
        "print(e.endpoint_url, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    url = proc.stdout.strip()
    assert url.startswith("http://127.0.0.1:")
    deadline = time.monotonic() + 10
    while _serving(url) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _serving(url)
